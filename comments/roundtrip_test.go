package comments

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// roundTripInputs are one real input per format.
func roundTripInputs(t *testing.T) map[string][]byte {
	return map[string][]byte{
		"nyt":      mustRead(t, seedPath),
		"nyt-page": mustRead(t, pagePath),
		"jsonl": []byte(`{"commentID": 11, "commentBody": "Huawei is a risk.", "userDisplayName": "Ann", "createDate": "1577456400", "articleID": "a1", "sharing": 1, "tags": ["x", {"y": null}]}
{"id": "12", "body": "@Ann no\n\nreally", "user": "Bo", "n_recommend": 3, "parent_id": 11, "articleID": "a1", "editorsSelection": 1}
{"id": "t1_13", "body": "@Nobody hi", "author": "Cy", "link_id": "t3_b2", "created_utc": "2019-12-27T10:00:00+01:00"}
`),
		"csv": []byte("articleID,commentBody,commentID,createDate,depth,editorsSelection,parentID,recommendations,userDisplayName,userLocation,sharing\n" +
			"a1,\"Huawei is a risk.<br/>Really.\",11,1577456400,1,True,0,4,Ann,\"Oslo, Norway\",1\n" +
			"a1,\"@Ann no, \"\"it\"\" isn't\",12,1577456400,2,False,11,0,Bo,,0\n" +
			"a1,orphan,13,,2,,99,,Cy,,\n"),
		"tsv":    []byte("author\tlocation\ttext\nAnn\tOslo\tHe said no\nBo\t\t@Ann yes\n"),
		"nytapi": []byte(`{"results":{"comments":[{"commentID":1,"commentBody":"Trust &amp; verify.<br/>Then less.","userDisplayName":"Ann","recommendations":7,"replies":[{"commentID":2,"commentBody":"@Ann ok","userDisplayName":"Bo","parentID":1,"replies":[]}]}]}}`),
		"lines":  []byte("Huawei is a risk.\n@Bob who?\n\nthird\n"),
	}
}

// TestRoundTrip parses each format, writes JSONL and CSV, parses those again
// and compares.
func TestRoundTrip(t *testing.T) {
	for name, in := range roundTripInputs(t) {
		t.Run(name, func(t *testing.T) {
			first, _, err := readAllStream(t, name, in, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var jb, cb bytes.Buffer
			jw, cw := NewJSONLWriter(&jb), NewCSVWriter(&cb)
			for _, c := range first {
				if err := jw.Write(c); err != nil {
					t.Fatal(err)
				}
				if err := cw.Write(c); err != nil {
					t.Fatal(err)
				}
			}
			if err := jw.Flush(); err != nil {
				t.Fatal(err)
			}
			if err := cw.Flush(); err != nil {
				t.Fatal(err)
			}
			again, _, err := readAllStream(t, "out.jsonl", jb.Bytes(), Options{})
			if err != nil {
				t.Fatalf("reparse JSONL: %v", err)
			}
			sameComments(t, again, first)
			againCSV, _, err := readAllStream(t, "out.csv", cb.Bytes(), Options{})
			if err != nil {
				t.Fatalf("reparse CSV: %v", err)
			}
			// CSV carries extra values through JSON: compare via JSONL
			var jb2 bytes.Buffer
			jw2 := NewJSONLWriter(&jb2)
			for _, c := range againCSV {
				c.Source = ""
				jw2.Write(c)
			}
			jw2.Flush()
			var jb3 bytes.Buffer
			jw3 := NewJSONLWriter(&jb3)
			for _, c := range first {
				d := *c
				d.Source = ""
				jw3.Write(&d)
			}
			jw3.Flush()
			if jb2.String() != jb3.String() {
				t.Errorf("CSV round trip differs:\n%s\nwant\n%s", jb2.String(), jb3.String())
			}
		})
	}
}

func TestCompressed(t *testing.T) {
	seed := mustRead(t, seedPath)
	var gz, zs bytes.Buffer
	gw := gzip.NewWriter(&gz)
	gw.Write(seed)
	gw.Close()
	zw, _ := zstd.NewWriter(&zs)
	zw.Write(seed)
	zw.Close()
	for name, data := range map[string][]byte{"gzip": gz.Bytes(), "zstd": zs.Bytes()} {
		t.Run(name, func(t *testing.T) {
			s, err := Open("seed."+name, bytes.NewReader(data), Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			got, err := ReadAll(s)
			if err != nil {
				t.Fatal(err)
			}
			checkSeed(t, "seed."+name, got, false)
			if s.Format() != "nyt" || s.BytesRead() != int64(len(data)) {
				t.Errorf("format %q, %d bytes read; want nyt, %d (compressed size)", s.Format(), s.BytesRead(), len(data))
			}
		})
	}
	// a corrupt gzip stream is an error, not a panic
	bad := append([]byte{}, gz.Bytes()[:len(gz.Bytes())/2]...)
	if _, _, err := readAllStream(t, "x.gz", bad, Options{}); err == nil {
		t.Error("truncated gzip: no error")
	} else if pe := (*ParseError)(nil); !errors.Is(err, ErrTruncated) || !errors.As(err, &pe) || pe.File != "x.gz" {
		t.Errorf("truncated gzip: error %#v, want a *ParseError naming x.gz that wraps ErrTruncated", err)
	}
}

func TestLinker(t *testing.T) {
	type in struct{ id, author, text, parent, thread string }
	tests := []struct {
		name string
		in   []in
		want []string // "parent/reply_to/depth"
	}{
		{"longest name wins", []in{{"1", "TK", "a", "", ""}, {"2", "TK Sung", "b", "", ""}, {"3", "x", "@TK Sung: yes", "", ""}, {"4", "y", "@TK Sungs", "", ""}},
			[]string{"//0", "//0", "2/TK Sung/1", "1/TK/1"}},
		{"latest comment of the author", []in{{"1", "Ann", "a", "", ""}, {"2", "Ann", "b", "", ""}, {"3", "Bo", "@ann hi", "", ""}},
			[]string{"//0", "//0", "2/ann/1"}},
		{"non-ASCII name", []in{{"1", "heinryk wüste", "a", "", ""}, {"2", "Bo", "@heinryk wüste, no", "", ""}},
			[]string{"//0", "1/heinryk wüste/1"}},
		{"name must end at a word boundary", []in{{"1", "Ed", "a", "", ""}, {"2", "Bo", "@Edward hi", "", ""}},
			[]string{"//0", "/Edward/0"}},
		{"source parent wins", []in{{"1", "Ann", "a", "", ""}, {"2", "Bo", "b", "", ""}, {"3", "Cy", "@Ann hi", "2", ""}},
			[]string{"//0", "//0", "2/Ann/1"}},
		{"unknown source parent", []in{{"3", "Cy", "hi", "99", ""}}, []string{"99//1"}},
		{"self parent is no parent", []in{{"1", "Ann", "a", "", ""}, {"4", "Di", "self", "4", ""}, {"5", "Ed", "@Ann me", "5", ""}},
			[]string{"//0", "//0", "1/Ann/1"}},
		{"not across threads", []in{{"1", "Ann", "a", "", "t1"}, {"2", "Bo", "@Ann hi", "", "t2"}, {"3", "Cy", "@Bo hi", "", "t2"}},
			[]string{"//0", "/Ann/0", "2/Bo/1"}},
		{"no self-evident name", []in{{"1", "Ann", "@ hi", "", ""}, {"2", "Bo", "@@Ann", "", ""}}, []string{"//0", "//0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := NewLinker()
			for i, x := range tt.in {
				c := &Comment{ID: x.id, Author: x.author, Text: x.text, ParentID: x.parent, ThreadID: x.thread}
				l.Link(c)
				if got := c.ParentID + "/" + c.ReplyTo + "/" + string(rune('0'+c.Depth)); got != tt.want[i] {
					t.Errorf("comment %d: got %s, want %s", i+1, got, tt.want[i])
				}
			}
		})
	}
}

// TestMadeUpParents checks that a source parent may name a made-up ID
// (c1..cN), and that the latest comment with an ID gives the depth.
func TestMadeUpParents(t *testing.T) {
	in := `{"text":"a"}` + "\n" + `{"text":"b","parent":"c1"}` + "\n" + `{"text":"c","parent":"c2"}` + "\n" +
		`{"id":"c2","text":"d"}` + "\n" + `{"text":"e","parent":"c2"}` + "\n"
	got, _, err := readAllStream(t, "in", []byte(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var depths []int
	for _, c := range got {
		depths = append(depths, c.Depth)
	}
	if fmt.Sprint(depths) != "[0 1 2 0 1]" {
		t.Errorf("depths %v, want [0 1 2 0 1]", depths)
	}
}

// TestLinkerBoundedIDs links a long run of replies with source IDs and no
// thread key (one endless thread): the linker remembers the depth of the
// latest depthIDs IDs at least, forgets older ones (a reply to one keeps its
// parent ID and takes the source's depth), and its memory stays bounded.
func TestLinkerBoundedIDs(t *testing.T) {
	const n = 8 * depthIDs
	l := NewLinker()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := 1; i <= n; i++ {
		// each comment answers the one before it, so depth = i-1 as long
		// as the chain is remembered; every 1000th answers a far one
		c := &Comment{ID: "i" + strconv.Itoa(i), Text: "x", Depth: 7}
		if i > 1 {
			c.ParentID = "i" + strconv.Itoa(i-1)
		}
		far := i - depthIDs
		if i%1000 == 0 && far > 0 {
			c.ParentID = "i" + strconv.Itoa(far)
		}
		l.Link(c)
		switch {
		case i == 1 && c.Depth != 0, i > 1 && i%1000 != 0 && c.Depth < 1:
			t.Fatalf("comment %d: depth %d", i, c.Depth)
		case i%1000 == 0 && far > 0 && c.Depth == 7:
			t.Fatalf("comment %d: its parent, %d comments back, is forgotten", i, depthIDs)
		}
		if len(l.cur.depths.cur) > depthIDs || len(l.cur.depths.old) > depthIDs {
			t.Fatalf("comment %d: %d + %d IDs remembered, want at most %d each", i, len(l.cur.depths.cur), len(l.cur.depths.old), depthIDs)
		}
	}
	// a parent 2*depthIDs back is forgotten: the source's depth
	c := &Comment{ID: "last", Text: "x", ParentID: "i" + strconv.Itoa(n-2*depthIDs), Depth: 7}
	l.Link(c)
	if c.Depth != 7 || c.ParentID != "i"+strconv.Itoa(n-2*depthIDs) {
		t.Errorf("reply to a forgotten parent: parent %q depth %d, want the source's depth 7", c.ParentID, c.Depth)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	grown := int64(after.HeapInuse) - int64(before.HeapInuse)
	t.Logf("%d comments linked; heap in use grew by %.1f MiB", n, float64(grown)/(1<<20))
	if grown > 32<<20 {
		t.Errorf("heap grew by %d MiB linking %d comments: not bounded", grown>>20, n)
	}
	runtime.KeepAlive(l)
}
