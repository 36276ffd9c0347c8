package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// matrixComment is one generated comment, as every input format writes it.
type matrixComment struct {
	id, author, location, text, parent, thread string
	recs                                       int
}

// matrixComments generates n comments from the seed thread's bodies: 40
// authors, three threads, a reply ("@Author ...", with the parent's ID) for
// every fourth comment, to a comment of the same thread at most 50 back.
func matrixComments(t *testing.T, n int) []matrixComment {
	t.Helper()
	bodies := seedBodies(t)
	out := make([]matrixComment, n)
	for i := range out {
		c := &out[i]
		c.id = "m" + strconv.Itoa(i+1)
		c.author = fmt.Sprintf("Reader%d", i*7%40)
		c.location = fmt.Sprintf("Town%d", i%13)
		c.thread = fmt.Sprintf("T%d", (i/100)%3)
		c.recs = (i * 31) % 17
		c.text = bodies[(i*11)%len(bodies)]
		if i%4 == 3 {
			for back := 1 + i%7; back <= 50 && i-back >= 0; back++ {
				p := &out[i-back]
				if p.thread == c.thread && p.author != c.author {
					c.parent = p.id
					c.text = "@" + p.author + " " + c.text
					break
				}
			}
		}
	}
	return out
}

// seedBodies returns the seed thread's comment bodies, each on one line.
func seedBodies(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, c := range seedComments(t) {
		out = append(out, strings.Join(strings.Fields(c.Text), " "))
	}
	return out
}

// matrixFormats writes generated comments in every input format stance
// reads; hasIDs tells whether the format carries the comments' IDs.
var matrixFormats = []struct {
	name   string
	hasIDs bool
	write  func(cs []matrixComment) []byte
}{
	{"jsonl", true, func(cs []matrixComment) []byte {
		var b bytes.Buffer
		for _, c := range cs {
			rec, _ := json.Marshal(map[string]any{"id": c.id, "author": c.author, "location": c.location,
				"text": c.text, "parent": c.parent, "articleID": c.thread, "recommendations": c.recs})
			b.Write(rec)
			b.WriteByte('\n')
		}
		return b.Bytes()
	}},
	{"csv", true, func(cs []matrixComment) []byte { return matrixCSV(cs, ',') }},
	{"tsv", true, func(cs []matrixComment) []byte { return matrixCSV(cs, '\t') }},
	{"nytapi", true, func(cs []matrixComment) []byte {
		type apiComment struct {
			CommentID       string `json:"commentID"`
			UserDisplayName string `json:"userDisplayName"`
			UserLocation    string `json:"userLocation"`
			CommentBody     string `json:"commentBody"`
			ParentID        string `json:"parentID,omitempty"`
			Recommendations int    `json:"recommendations"`
		}
		list := []apiComment{}
		for _, c := range cs {
			list = append(list, apiComment{c.id, c.author, c.location, c.text, c.parent, c.recs})
		}
		b, _ := json.Marshal(map[string]any{"results": map[string]any{"comments": list}})
		return b
	}},
	{"nyt", false, func(cs []matrixComment) []byte {
		var b bytes.Buffer
		if len(cs) == 0 {
			return nil
		}
		fmt.Fprintf(&b, "A generated thread\n\nDec 27, 2019 · %d comments\n", len(cs))
		for _, c := range cs {
			fmt.Fprintf(&b, "%s (%s)\n%s\n", c.author, c.location, c.text)
		}
		return b.Bytes()
	}},
	{"lines", false, func(cs []matrixComment) []byte {
		var b bytes.Buffer
		for _, c := range cs {
			b.WriteString(c.text)
			b.WriteByte('\n')
		}
		return b.Bytes()
	}},
}

func matrixCSV(cs []matrixComment, comma rune) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Comma = comma
	w.Write([]string{"commentID", "userDisplayName", "userLocation", "commentBody", "parentID", "articleID", "recommendations"})
	for _, c := range cs {
		w.Write([]string{c.id, c.author, c.location, c.text, c.parent, c.thread, strconv.Itoa(c.recs)})
	}
	w.Flush()
	return b.Bytes()
}

// matrixFile writes the comments in format (compressed for a ".gz" or
// ".zst" suffix) into dir and returns its path.
func matrixFile(t testing.TB, dir string, cs []matrixComment, format string) string {
	t.Helper()
	base, comp, _ := strings.Cut(format, ".")
	var data []byte
	for _, f := range matrixFormats {
		if f.name == base {
			data = f.write(cs)
		}
	}
	switch comp {
	case "gz":
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(data)
		zw.Close()
		data = b.Bytes()
	case "zst":
		zw, _ := zstd.NewWriter(nil)
		data = zw.EncodeAll(data, nil)
	}
	p := filepath.Join(dir, fmt.Sprintf("in-%d.%s", len(cs), format))
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// matrixRun runs stance with args under GOMAXPROCS procs (0: unchanged).
func matrixRun(t *testing.T, procs int, args ...string) (stdout, stderr string) {
	t.Helper()
	if procs > 0 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
	}
	var out, errb bytes.Buffer
	ios := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errb}
	if code := run(context.Background(), ios, append(args, "--quiet")); code != 0 {
		t.Fatalf("stance %s: exit %d: %s", strings.Join(args, " "), code, errb.String())
	}
	return out.String(), errb.String()
}

// matrixTable is what the matrix checks of a table's JSON.
type matrixTable struct {
	Input struct {
		Comments int `json:"comments"`
	} `json:"input"`
	Rows   []map[string]any `json:"rows"`
	Totals map[string]any   `json:"totals"`
}

func parseMatrixTable(t *testing.T, s string) matrixTable {
	t.Helper()
	var tj matrixTable
	if err := json.Unmarshal([]byte(s), &tj); err != nil {
		t.Fatalf("table JSON: %v\n%s", err, s)
	}
	return tj
}

// checkTotals checks that a table accounts for every one of n comments.
func checkTotals(t *testing.T, what, by string, tj matrixTable, n int) {
	t.Helper()
	if tj.Input.Comments != n {
		t.Fatalf("%s: input.comments %d, want %d", what, tj.Input.Comments, n)
	}
	sum := 0.0
	for _, r := range tj.Rows {
		if x, ok := r["count"].(float64); ok {
			sum += x
		}
	}
	switch by {
	case "argument", "stance", "thread":
		if int(sum) != n || (tj.Totals != nil && n > 0 && tj.Totals["count"] != float64(n)) {
			t.Fatalf("%s: rows add up to %v, totals %v; want %d comments", what, sum, tj.Totals["count"], n)
		}
	}
}

// TestTableMatrix checks that `stance table` counts every comment, at
// every size around the pipeline's batch (512) and beyond, for every input
// format and compression, every table and output format, any number of
// workers and GOMAXPROCS: totals equal the comments read, the bytes are the
// same across runs and worker counts, and --by comments lists the comments
// in input order. The inputs are generated, not committed. Its concurrency
// parts run under -race only (as .ci/run does): the pipeline's writer is
// the only goroutine feeding the table.
func TestTableMatrix(t *testing.T) {
	dir := t.TempDir()
	formats := []string{"jsonl", "csv", "tsv", "nytapi", "nyt", "lines", "jsonl.gz", "jsonl.zst", "csv.gz", "nyt.zst"}
	t.Run("sizes", func(t *testing.T) {
		for _, n := range []int{0, 1, 511, 512, 513, 4999} {
			cs := matrixComments(t, n)
			for _, f := range formats {
				if n > 513 && !slices.Contains([]string{"jsonl", "nyt", "csv.zst"}, f) {
					continue // the largest size on the parallel and sequential paths, and a compressed one
				}
				if raceEnabled && n < 513 && f != "jsonl" {
					continue // every size and format runs in the plain pass; under -race, what crosses a batch
				}
				p := matrixFile(t, dir, cs, f)
				what := fmt.Sprintf("%s n=%d", f, n)
				by := "argument"
				if f == "jsonl" {
					by = "thread"
				}
				out, _ := matrixRun(t, 0, "table", p, "--by", by, "-f", "json", "--workers", "2")
				checkTotals(t, what+" --by "+by, by, parseMatrixTable(t, out), n)
				out, _ = matrixRun(t, 0, "table", p, "--by", "comments", "-f", "csv", "--workers", "3")
				checkCommentOrder(t, what, out, cs, f)
			}
		}
	})
	if !raceEnabled {
		// The sizes and formats above are checked in every run; the rest
		// of the matrix is about concurrency, and .ci/run runs it under
		// -race (go test -race ./cmd/stance -run TestTableMatrix).
		t.Log("the worker, format and 100k parts of the matrix run under -race")
		return
	}
	t.Run("workers and GOMAXPROCS", func(t *testing.T) {
		cs := matrixComments(t, 1300)
		for _, f := range []string{"jsonl", "nyt"} {
			p := matrixFile(t, dir, cs, f)
			tables := []string{"argument", "comments"}
			if f == "jsonl" {
				tables = append(tables, "exchange")
			}
			for _, by := range tables {
				var want string
				for _, procs := range []int{1, 2, 8} {
					for _, w := range []string{"1", "2", "8"} {
						if procs == 2 && w != "2" {
							continue // 1 and 8 cover the extremes; 2 with 2 the common case
						}
						got, _ := matrixRun(t, procs, "table", p, "--by", by, "-f", "json", "--workers", w)
						if want == "" {
							want = got
							if by != "comments" && by != "exchange" {
								checkTotals(t, f, by, parseMatrixTable(t, got), len(cs))
							}
						} else if got != want {
							t.Fatalf("%s --by %s: GOMAXPROCS=%d --workers %s: output differs from GOMAXPROCS=1 --workers 1", f, by, procs, w)
						}
					}
				}
			}
		}
	})
	t.Run("every table and format", func(t *testing.T) {
		cs := matrixComments(t, 600)
		p := matrixFile(t, dir, cs, "jsonl")
		for _, by := range []string{"argument", "stance", "exchange", "thread", "comments"} {
			for _, f := range []string{"table", "markdown", "csv", "json", "jsonl", "html", "svg"} {
				weights := [][]string{nil}
				if f == "json" {
					weights = append(weights, []string{"--weight", "recommendations", "--per-author", "--bootstrap", "100"})
				}
				for _, weight := range weights {
					args := append([]string{"table", p, "--by", by, "-f", f}, weight...)
					a, _ := matrixRun(t, 0, append(args, "--workers", "8")...)
					if f == "json" {
						// Runs and worker counts give the same bytes.
						if b, _ := matrixRun(t, 0, append(args, "--workers", "1")...); a != b {
							t.Fatalf("%v: output differs across worker counts", args)
						}
						if by != "comments" && by != "exchange" && weight == nil {
							checkTotals(t, "every", by, parseMatrixTable(t, a), len(cs))
						}
					} else if a == "" {
						t.Fatalf("%v: no output", args)
					}
				}
			}
		}
	})
	t.Run("100k", func(t *testing.T) {
		cs := matrixComments(t, 100_000)
		p := matrixFile(t, dir, cs, "jsonl")
		out, _ := matrixRun(t, 0, "table", p, "--by", "comments", "-f", "csv")
		checkCommentOrder(t, "jsonl 100k", out, cs, "jsonl")
		p = matrixFile(t, dir, cs[:20_000], "csv.gz")
		out, _ = matrixRun(t, 0, "table", p, "--by", "stance", "-f", "json", "--workers", "8")
		checkTotals(t, "csv.gz 20k", "stance", parseMatrixTable(t, out), 20_000)
	})
}

// checkCommentOrder checks that the comments table's CSV lists every
// comment once, in input order.
func checkCommentOrder(t *testing.T, what, out string, cs []matrixComment, format string) {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("%s: comments CSV: %v", what, err)
	}
	if len(cs) == 0 {
		if len(recs) > 1 {
			t.Fatalf("%s: %d rows for no comments", what, len(recs)-1)
		}
		return
	}
	if len(recs)-1 != len(cs) {
		t.Fatalf("%s: %d rows, want %d comments", what, len(recs)-1, len(cs))
	}
	col := map[string]int{}
	for i, k := range recs[0] {
		col[k] = i
	}
	hasIDs := false
	for _, f := range matrixFormats {
		if strings.HasPrefix(format, f.name) && (format == f.name || format[len(f.name)] == '.') {
			hasIDs = f.hasIDs
		}
	}
	for i, r := range recs[1:] {
		want := "c" + strconv.Itoa(i+1)
		if hasIDs {
			want = cs[i].id
		}
		author := cs[i].author
		if strings.HasPrefix(format, "lines") {
			author = "" // plain lines carry no author
		}
		if r[col["n"]] != strconv.Itoa(i+1) || r[col["id"]] != want || r[col["author"]] != author {
			t.Fatalf("%s: row %d is #%s %s by %s, want #%d %s by %s", what, i+1, r[col["n"]], r[col["id"]], r[col["author"]], i+1, want, author)
		}
	}
}
