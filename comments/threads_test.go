package comments

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// TestThreadKeys checks the thread keys of every format that can carry one,
// and their precedence.
func TestThreadKeys(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // thread of each comment
	}{
		{"jsonl thread beats articleID", `{"text":"a","thread":"T","articleID":"A"}`, []string{"T"}},
		{"jsonl articleID beats link_id", `{"text":"a","link_id":"t3_L","articleID":"A"}`, []string{"A"}},
		{"jsonl link_id beats assetID", `{"body":"a","link_id":"t3_L","assetID":9}`, []string{"L"}},
		{"jsonl assetID beats articleURL", `{"text":"a","articleURL":"https://x/a.html","assetID":9}`, []string{"9"}},
		{"jsonl articleURL beats url", `{"text":"a","url":"https://x/u.html","articleURL":"https://x/a.html"}`, []string{"https://x/a.html"}},
		{"jsonl url, fragment dropped", `{"text":"a","url":"https://x/u.html#permid=5"}` + "\n" + `{"text":"b","url":"https://x/u.html"}`,
			[]string{"https://x/u.html", "https://x/u.html"}},
		{"jsonl not a URL keeps its #", `{"text":"a","thread":"a#1"}`, []string{"a#1"}},
		{"csv NYT dataset", "articleID,commentBody,url\nA1,hello,https://nyt/a.html\nA2,there,https://nyt/b.html\n", []string{"A1", "A2"}},
		{"csv url only", "commentBody,url\nhello,https://nyt/a.html#c1\n", []string{"https://nyt/a.html"}},
		{"nytapi response key", `{"results":{"articleURL":"https://nyt/a.html","comments":[{"commentBody":"a","replies":[{"commentBody":"b"}]}]}}`,
			[]string{"https://nyt/a.html", "https://nyt/a.html"}},
		{"nytapi assetID beats articleURL", `{"results":{"articleURL":"https://nyt/a.html","assetID":100,"comments":[{"commentBody":"a"}]}}`, []string{"100"}},
		{"nytapi own key wins, replies inherit", `{"results":{"assetID":100,"comments":[{"commentBody":"a","assetID":7,"replies":[{"commentBody":"b"}]},{"commentBody":"c"}]}}`,
			[]string{"7", "7", "100"}},
		{"nytapi bare array", `[{"commentBody":"a","articleURL":"https://nyt/a.html"}]`, []string{"https://nyt/a.html"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := readAllStream(t, "in", []byte(tt.in), Options{})
			if err != nil {
				t.Fatal(err)
			}
			var th []string
			for _, c := range got {
				th = append(th, c.ThreadID)
			}
			if strings.Join(th, "|") != strings.Join(tt.want, "|") {
				t.Errorf("threads %q, want %q", th, tt.want)
			}
		})
	}
}

// refLinker links like Linker, without any bound: the reference for the
// generated inputs, which stay within the linker's bounds.
type refLinker struct {
	authors map[string]map[string]authorRef // thread -> lower-cased author -> latest
	ids     map[string]map[string]int       // thread -> ID -> depth
	owner   map[string]string               // ID -> its latest thread
}

func (r *refLinker) link(c *Comment) {
	if r.ids == nil {
		r.authors, r.ids, r.owner = map[string]map[string]authorRef{}, map[string]map[string]int{}, map[string]string{}
	}
	th := c.ThreadID
	if r.ids[th] == nil {
		r.ids[th], r.authors[th] = map[string]int{}, map[string]authorRef{}
	}
	c.ReplyTo = ""
	var ref authorRef
	matched := false
	if rest, ok := strings.CutPrefix(c.Text, "@"); ok {
		name, _, _ := strings.Cut(rest, " ")
		c.ReplyTo = name
		ref, matched = r.authors[th][strings.ToLower(name)]
	}
	src := c.Depth
	if c.ParentID == c.ID {
		c.ParentID = ""
	}
	if c.ParentID != "" {
		if d, ok := r.ids[th][c.ParentID]; ok {
			c.Depth = d + 1
		} else if o, ok := r.owner[c.ParentID]; ok && o != th {
			c.ParentID = ""
		} else {
			c.Depth = max(1, src)
		}
	}
	switch {
	case c.ParentID != "":
	case matched:
		c.ParentID, c.Depth = ref.id, ref.depth+1
	default:
		c.Depth = 0
	}
	if c.Author != "" {
		r.authors[th][strings.ToLower(c.Author)] = authorRef{c.ID, c.Depth}
	}
	r.ids[th][c.ID] = c.Depth
	r.owner[c.ID] = th
}

// genThreads returns n comments in threads interleaving at random, as JSON
// Lines: top-level comments, replies by source parent, @name replies,
// replies to a comment of another thread and to unknown IDs.
func genThreads(n, threads int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, 7))
	byThread := make([][]string, threads)
	var all []string
	var b bytes.Buffer
	for i := range n {
		th := rng.IntN(threads)
		id := fmt.Sprintf("t%d-%d", th, i)
		rec := map[string]any{"id": id, "author": "u" + strconv.Itoa(rng.IntN(40)), "link_id": "t3_" + strconv.Itoa(th)}
		text := "comment " + strconv.Itoa(i)
		switch k := rng.IntN(20); {
		case k < 7 && len(byThread[th]) > 0:
			rec["parent_id"] = "t1_" + byThread[th][rng.IntN(len(byThread[th]))]
		case k < 12:
			text = "@U" + strconv.Itoa(rng.IntN(40)) + " " + text
		case k < 13 && len(all) > 0:
			rec["parent_id"] = "t1_" + all[rng.IntN(len(all))] // most often another thread
		case k < 14:
			rec["parent_id"] = "t1_nope" + strconv.Itoa(i)
			rec["depth"] = rng.IntN(4)
		}
		rec["body"] = text
		line, _ := json.Marshal(rec)
		b.Write(line)
		b.WriteByte('\n')
		byThread[th] = append(byThread[th], id)
		all = append(all, id)
	}
	return b.Bytes()
}

// TestInterleavedThreads reads thousands of comments of many interleaved
// threads, and checks every link against the unbounded reference: replies
// are linked within their thread only, whatever the interleaving.
func TestInterleavedThreads(t *testing.T) {
	for _, tc := range []struct{ n, threads int }{{5000, 3}, {20000, 400}, {20000, 5000}} {
		t.Run(fmt.Sprintf("%d/%d", tc.n, tc.threads), func(t *testing.T) {
			data := genThreads(tc.n, tc.threads, uint64(tc.threads))
			got, _, err := readAllStream(t, "in", data, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.n {
				t.Fatalf("%d comments, want %d", len(got), tc.n)
			}
			var ref refLinker
			links, cross, missed := 0, 0, 0
			lines := bytes.Split(data, []byte{'\n'})
			for i, c := range got {
				want := *c
				want.ParentID, want.Depth = "", 0
				var raw map[string]any
				json.Unmarshal(lines[i], &raw)
				if p, ok := raw["parent_id"].(string); ok {
					want.ParentID = strings.TrimPrefix(p, "t1_")
				}
				if d, ok := raw["depth"].(float64); ok {
					want.Depth = int(d)
				}
				hadParent, srcParent, srcDepth := want.ParentID != "", want.ParentID, want.Depth
				ref.link(&want)
				if hadParent && want.ParentID == "" && c.ParentID == srcParent && c.Depth == max(1, srcDepth) {
					// a parent in another thread that dropped out of the
					// linker's table of owners: kept as an unknown parent
					missed++
					ref.ids[c.ThreadID][c.ID] = c.Depth
					ref.authors[c.ThreadID][strings.ToLower(c.Author)] = authorRef{c.ID, c.Depth}
					continue
				}
				if want.ParentID != c.ParentID || want.Depth != c.Depth || want.ReplyTo != c.ReplyTo {
					t.Fatalf("comment %d (%s, thread %s, %q): parent %q depth %d reply_to %q; want %q %d %q",
						i+1, c.ID, c.ThreadID, c.Text, c.ParentID, c.Depth, c.ReplyTo, want.ParentID, want.Depth, want.ReplyTo)
				}
				if c.ParentID != "" {
					links++
				}
				if hadParent && want.ParentID == "" {
					cross++
				}
			}
			t.Logf("%d comments, %d threads: %d linked, %d source parents in another thread dropped, %d taken for unknown", tc.n, tc.threads, links, cross, missed)
			if missed*20 > cross {
				t.Errorf("%d of %d parents in another thread taken for unknown ones: over 5%%", missed, cross+missed)
			}
			if links < tc.n/4 || cross < tc.n/40 {
				t.Errorf("too few links (%d) or cross-thread parents (%d) to test", links, cross)
			}
			// the chunked decoder links the same
			out, _, ok := readChunked(t, data, Options{}, 97)
			want, _ := readStream(t, data, Options{})
			if !ok || strings.Join(out, "\n") != strings.Join(want, "\n") {
				t.Error("the chunked decoder links differently from Open")
			}
		})
	}
}

// TestLinkerMemoryBound links a Reddit-like dump of many short threads and
// a single endless thread with ever new authors: what the linker remembers
// stays under maxRemembered, and the heap stays flat.
func TestLinkerMemoryBound(t *testing.T) {
	n := 400_000
	if testing.Short() || raceEnabled {
		n = 200_000
	}
	for _, mode := range []string{"many threads", "one thread, new authors", "a busy thread among tiny ones"} {
		t.Run(mode, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			l := NewLinker()
			maxTotal := 0
			for i := range n {
				c := &Comment{ID: "id" + strconv.Itoa(i), Author: "a" + strconv.Itoa(i), Text: "@a" + strconv.Itoa(i-3) + " x"}
				if mode == "many threads" {
					c.ThreadID = "t3_" + strconv.Itoa(i/3) // interleaving a little
					if i%2 == 1 {
						c.ThreadID = "t3_" + strconv.Itoa((i-1)/3+7)
					}
					if i%5 == 0 && i > 100 {
						c.ParentID = "id" + strconv.Itoa(i-100)
					}
				}
				if mode == "a busy thread among tiny ones" {
					c.ThreadID = "t3_" + strconv.Itoa(i)
					if i%2 == 0 {
						c.ThreadID = "t3_busy"
					}
				}
				l.Link(c)
				maxTotal = max(maxTotal, l.total)
			}
			if maxTotal > maxRemembered+threadCost {
				t.Errorf("the linker remembered %d entries, want at most %d", maxTotal, maxRemembered+threadCost)
			}
			// check the accounting
			sum := 0
			for _, th := range l.threads {
				if n := threadCost + len(th.authors.cur) + len(th.authors.old) + len(th.depths.cur) + len(th.depths.old); th.size != n {
					t.Fatalf("thread %q: size %d, has %d", th.key, th.size, n)
				}
				sum += th.size
			}
			if sum != l.total {
				t.Errorf("total %d, threads hold %d", l.total, sum)
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			grown := int64(after.HeapInuse) - int64(before.HeapInuse)
			t.Logf("%s: %d comments, %d threads kept, %d entries; heap grew by %.1f MiB", mode, n, len(l.threads), l.total, float64(grown)/(1<<20))
			if grown > 48<<20 {
				t.Errorf("heap grew by %d MiB: not bounded", grown>>20)
			}
			runtime.KeepAlive(l)
		})
	}
}

// TestDuplicateIDs checks the warning about IDs seen twice in a thread, and
// that the same ID in two threads is no duplicate.
func TestDuplicateIDs(t *testing.T) {
	in := strings.Join([]string{
		`{"id":"1","text":"a","thread":"A"}`,
		`{"id":"1","text":"b","thread":"B"}`,
		`{"id":"1","text":"c","thread":"A"}`,
		`{"id":"2","text":"d","thread":"A"}`,
		`{"id":"2","text":"e","thread":"A"}`,
		`{"id":"2","text":"f","thread":"A"}`,
		`{"id":"1","text":"g","thread":"B"}`,
		`{"text":"h","parent":"1","thread":"A"}`,
	}, "\n")
	s, err := Open("in", strings.NewReader(in), Options{Warn: func(m string) { t.Log(m) }})
	if err != nil {
		t.Fatal(err)
	}
	var warns []string
	s.warn = func(m string) { warns = append(warns, m) }
	got, err := ReadAll(s)
	if err != nil {
		t.Fatal(err)
	}
	if s.Duplicates() != 4 {
		t.Errorf("%d duplicates, want 4", s.Duplicates())
	}
	if len(warns) != 1 || !strings.Contains(warns[0], `in: 4 comment(s) repeat the ID of an earlier comment of their thread: in:3 ("1"), in:5 ("2"), in:6 ("2") and 1 more`) {
		t.Errorf("warnings %q", warns)
	}
	if last := got[len(got)-1]; last.ParentID != "1" || last.Depth != 1 {
		t.Errorf("a reply to a duplicate ID: parent %q depth %d", last.ParentID, last.Depth)
	}
}

// TestDeleted checks that deleted Reddit comments are skipped, counted and
// warned about once, in every format with records, and that the replies of
// a deleted NYT API comment are kept.
func TestDeleted(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		texts string
		n     int
	}{
		{"jsonl", `{"body":"[deleted]","author":"[deleted]","id":"t1_a"}` + "\n" + `{"body":"kept","id":"t1_b","parent_id":"t1_a"}` + "\n" +
			`{"body":" [removed] ","id":"t1_c"}` + "\n" + `{"body":"[deleted] but more"}`, "kept|[deleted] but more", 2},
		{"csv", "body,id\n[deleted],1\nkept,2\n[removed],3\n", "kept", 2},
		{"nytapi", `[{"commentID":1,"commentBody":"[deleted]","replies":[{"commentID":2,"commentBody":"reply","parentID":1}]},{"commentID":3,"commentBody":"[removed]"}]`, "reply", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var warns []string
			s, err := Open("in", strings.NewReader(tt.in), Options{Warn: func(m string) { warns = append(warns, m) }})
			if err != nil {
				t.Fatal(err)
			}
			got, err := ReadAll(s)
			if err != nil {
				t.Fatal(err)
			}
			var texts []string
			for _, c := range got {
				texts = append(texts, c.Text)
			}
			if strings.Join(texts, "|") != tt.texts || s.Deleted() != tt.n {
				t.Errorf("got %q and %d deleted, want %q and %d", texts, s.Deleted(), tt.texts, tt.n)
			}
			if len(warns) != 1 || warns[0] != DeletedWarning("in", tt.n) {
				t.Errorf("warnings %q", warns)
			}
		})
	}
	// an input of deleted comments only has no comments
	_, warns, err := readAllStream(t, "in", []byte(`{"body":"[deleted]"}`+"\n"+`{"body":"[removed]"}`), Options{})
	if !errors.Is(err, ErrEmpty) || err.Error() != "in: no comments: only 2 deleted or removed comment(s)" || len(warns) != 1 {
		t.Errorf("only deleted comments: %v, warnings %q", err, warns)
	}
	// a reader on its own returns them as skippable errors
	r := NewJSONLReader("in", strings.NewReader(`{"body":"[deleted]"}`))
	if _, err := r.Read(); err == nil || !strings.Contains(err.Error(), "in:1: field body: deleted comment") {
		t.Errorf("JSONLReader: %v", err)
	}
	_ = io.EOF
}
