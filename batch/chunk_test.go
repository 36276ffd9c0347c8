package batch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stance-dev/stance/comments"
)

func TestLineChunks(t *testing.T) {
	lines := seedLines(t)
	var in bytes.Buffer
	for i := range 3000 {
		fmt.Fprintf(&in, "%d %s\n", i, lines[i%len(lines)])
	}
	in.WriteString("last line without newline")
	for _, size := range []int{1, 100, 4096, 1 << 20} {
		for name, r := range map[string]io.Reader{
			"whole": bytes.NewReader(in.Bytes()),
			"bytes": iotest.OneByteReader(bytes.NewReader(in.Bytes())),
			"half":  iotest.HalfReader(bytes.NewReader(in.Bytes())),
		} {
			next := LineChunks(r, size)
			var got []byte
			var buf []byte
			chunks := 0
			for {
				chunk, err := next(buf[:0])
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if len(chunk) == 0 {
					t.Fatalf("size %d %s: empty chunk", size, name)
				}
				// Every chunk is whole lines: it ends with a newline, except
				// the input's last line.
				if chunk[len(chunk)-1] != '\n' && !bytes.HasSuffix(chunk, []byte("without newline")) {
					t.Fatalf("size %d %s: chunk %d cuts a line: ...%q", size, name, chunks, chunk[max(0, len(chunk)-20):])
				}
				got = append(got, chunk...)
				buf = chunk
				chunks++
			}
			if !bytes.Equal(got, in.Bytes()) {
				t.Fatalf("size %d %s: chunks do not add up to the input", size, name)
			}
			if size == 1 && chunks != 3001 {
				t.Fatalf("size 1 %s: %d chunks, want one per line (3001)", name, chunks)
			}
		}
	}
}

// lineChunked decodes "id<TAB>text" lines; "BAD" lines are bad records,
// skippable unless they say "FATAL". Order numbers the lines and drops the
// skippable bad ones, counting them.
type lineChunked struct {
	line    int
	skipped int
	ordered []int // chunk sizes seen by Order, in order
}

func (l *lineChunked) decode(dst []Item, chunk []byte) []Item {
	for i, line := range strings.Split(strings.TrimSuffix(string(chunk), "\n"), "\n") {
		id, text, ok := strings.Cut(line, "\t")
		if !ok || strings.HasPrefix(text, "BAD") {
			dst = append(dst, Item{Err: &comments.ParseError{File: "in", Line: i + 1, Err: errors.New("bad"), Skippable: !strings.Contains(text, "FATAL")}})
			continue
		}
		dst = append(dst, Item{Comment: &comments.Comment{ID: id, Text: text}})
	}
	return dst
}

func (l *lineChunked) order(dst []*comments.Comment, items []Item, chunk []byte) ([]*comments.Comment, error) {
	l.ordered = append(l.ordered, len(items))
	for _, it := range items {
		l.line++
		if it.Err != nil {
			var pe *comments.ParseError
			errors.As(it.Err, &pe)
			pe.Line = l.line // the absolute line
			if !pe.Skippable {
				return dst, it.Err
			}
			l.skipped++
			continue
		}
		dst = append(dst, it.Comment)
	}
	return dst, nil
}

func chunkedInput(t *testing.T, n int, bad map[int]string) []byte {
	lines := seedLines(t)
	var b bytes.Buffer
	for i := 1; i <= n; i++ {
		if s, ok := bad[i]; ok {
			fmt.Fprintf(&b, "c%d\t%s\n", i, s)
			continue
		}
		fmt.Fprintf(&b, "c%d\t%s\n", i, lines[i%len(lines)])
	}
	return b.Bytes()
}

// runChunked runs the pipeline over a chunked input decoded by as many
// goroutines as there are scoring workers.
func runChunked(ctx context.Context, in Chunked, sc Scorer, enc Encoder, w io.Writer, opt Options) (Stats, error) {
	b, stop := DecodeChunks(in, opt.Workers)
	defer stop()
	return RunBatches(ctx, b, sc, enc, w, opt)
}

func TestRunChunkedKeepsOrder(t *testing.T) {
	const n = 4000
	in := chunkedInput(t, n, nil)
	for _, c := range []struct{ workers, size int }{{1, 1 << 16}, {2, 4096}, {8, 1}, {5, 777}} {
		l := &lineChunked{}
		var out bytes.Buffer
		st, err := runChunked(context.Background(), Chunked{Next: LineChunks(bytes.NewReader(in), c.size), Decode: l.decode, Order: l.order},
			&hashScorer{}, mustEncoder(t, "jsonl", "m@1", false), &out, Options{Workers: c.workers})
		if err != nil || st.Comments != n {
			t.Fatalf("workers %d size %d: %+v, %v", c.workers, c.size, st, err)
		}
		got := ids(t, out.Bytes())
		if len(got) != n {
			t.Fatalf("%d records", len(got))
		}
		for i, id := range got {
			if id != fmt.Sprintf("c%d", i+1) {
				t.Fatalf("workers %d size %d: record %d has id %s", c.workers, c.size, i+1, id)
			}
		}
		if l.line != n {
			t.Fatalf("Order saw %d records, want %d", l.line, n)
		}
	}
}

func TestRunChunkedSameBytesForAnyWorkers(t *testing.T) {
	in := chunkedInput(t, 3000, map[int]string{7: "BAD", 2000: "BAD"})
	var first []byte
	for _, w := range []int{1, 2, 8} {
		l := &lineChunked{}
		var out bytes.Buffer
		st, err := runChunked(context.Background(), Chunked{Next: LineChunks(bytes.NewReader(in), 1000), Decode: l.decode, Order: l.order},
			&hashScorer{}, mustEncoder(t, "csv", "m@1", true), &out, Options{Workers: w})
		if err != nil || st.Comments != 2998 || l.skipped != 2 {
			t.Fatalf("workers %d: %+v, %v, skipped %d", w, st, err, l.skipped)
		}
		if first == nil {
			first = out.Bytes()
		} else if !bytes.Equal(out.Bytes(), first) {
			t.Fatalf("workers %d: output differs from 1 worker", w)
		}
	}
}

func TestRunChunkedOrderErrorWins(t *testing.T) {
	in := chunkedInput(t, 5000, map[int]string{10: "BAD", 1234: "BAD FATAL", 4000: "BAD FATAL"})
	for _, w := range []int{1, 4} {
		l := &lineChunked{}
		var out bytes.Buffer
		st, err := runChunked(context.Background(), Chunked{Next: LineChunks(bytes.NewReader(in), 500), Decode: l.decode, Order: l.order},
			&hashScorer{}, mustEncoder(t, "jsonl", "", false), &out, Options{Workers: w})
		var pe *comments.ParseError
		if !errors.As(err, &pe) || pe.Line != 1234 {
			t.Fatalf("workers %d: err %v, want the bad record of line 1234", w, err)
		}
		// Everything before it is written, nothing after.
		got := ids(t, out.Bytes())
		if len(got) != 1232 || st.Comments != 1232 || got[len(got)-1] != "c1233" {
			t.Fatalf("workers %d: wrote %d records (stats %d), last %s; want c1..c1233 without c10", w, len(got), st.Comments, got[len(got)-1])
		}
	}
}

func TestRunChunkedCancel(t *testing.T) {
	in := chunkedInput(t, 20000, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	next := LineChunks(bytes.NewReader(in), 1000)
	chunks := 0
	src := func(dst []byte) ([]byte, error) {
		chunks++
		if chunks == 5 {
			cancel()
		}
		return next(dst)
	}
	l := &lineChunked{}
	var out bytes.Buffer
	st, err := runChunked(ctx, Chunked{Next: src, Decode: l.decode, Order: l.order}, &hashScorer{}, mustEncoder(t, "jsonl", "", false), &out, Options{Workers: 3})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	// Every chunk put in order is scored and written, in order, and the
	// cutter stops soon after the cancel (it reads ahead by its pool only).
	got := ids(t, out.Bytes())
	if len(got) != l.line || st.Comments != l.line || len(l.ordered) > 5+2*3+2 {
		t.Fatalf("ordered %d records in %d chunks, wrote %d (stats %d)", l.line, len(l.ordered), len(got), st.Comments)
	}
	for i, id := range got {
		if id != fmt.Sprintf("c%d", i+1) {
			t.Fatalf("record %d has id %s", i+1, id)
		}
	}
}

// TestLineChunksMaxLine cuts an input with lines far over the bound: they
// come out as their replacement lines, in place, and no chunk buffer grows
// to hold them.
func TestLineChunksMaxLine(t *testing.T) {
	long := strings.Repeat("x", 1<<20)
	in := "a\n" + long + "\nb\n" + long + long + "\nc\n" + long
	repl := func(n int64) []byte { return fmt.Appendf(nil, "LONG %d\n", n) }
	want := "a\nLONG 1048576\nb\nLONG 2097152\nc\nLONG 1048576\n"
	for _, size := range []int{1, 100, 64 << 10} {
		for name, r := range map[string]io.Reader{
			"whole": strings.NewReader(in),
			"half":  iotest.HalfReader(strings.NewReader(in)),
		} {
			next := LineChunksMax(r, size, 1000, repl)
			var got []byte
			var buf []byte
			for {
				chunk, err := next(buf[:0])
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, chunk...)
				if cap(chunk) > 256<<10 {
					t.Fatalf("size %d %s: a chunk buffer of %d bytes: the long line was held", size, name, cap(chunk))
				}
				buf = chunk
			}
			if string(got) != want {
				t.Fatalf("size %d %s: got %q, want %q", size, name, got, want)
			}
		}
	}
}
