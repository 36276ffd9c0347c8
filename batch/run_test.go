package batch

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/comments"
)

const seedPath = "../testdata/nyt-huawei-shared-values-2019-12-27.txt"

// seedLines returns the non-empty lines of the seed thread: real comment
// text (and some headers), used as comment bodies.
func seedLines(t testing.TB) []string {
	t.Helper()
	data, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for l := range strings.Lines(string(data)) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// hashScorer is a deterministic stand-in for classify.Scorer: the pipeline
// must not care what the scores are, only keep them with their comment. It
// takes a variable time per comment so that workers finish out of order.
type hashScorer struct {
	calls atomic.Int64
	fast  bool // no delays
}

func (h *hashScorer) Score(c *comments.Comment) classify.Result {
	h.calls.Add(1)
	f := fnv.New64a()
	f.Write([]byte(c.Text))
	x := f.Sum64()
	if x%7 == 0 && !h.fast {
		time.Sleep(time.Duration(x%50) * time.Microsecond)
	}
	u := float64(x%20001)/10000 - 1
	return classify.Result{
		Comment:   c,
		Sentiment: classify.Sentiment{Compound: u, Pos: float64(x%100) / 100, Neu: 1 - float64(x%100)/100, Label: "neutral"},
		Argument:  classify.Prediction{Label: fmt.Sprintf("a%d", x%5), Name: "Arg", P: float64(x%1000) / 999, RunnerUp: "b", Cues: []classify.Cue{{Token: "tok", LogOdds: 1}}},
		Stance:    "for",
	}
}

// genSource returns a source of n comments cycling through the seed lines,
// with IDs c1..cn.
func genSource(lines []string, n int) (Source, *atomic.Int64) {
	var read atomic.Int64
	i := 0
	return func() (*comments.Comment, error) {
		if i >= n {
			return nil, io.EOF
		}
		i++
		read.Add(1)
		return &comments.Comment{
			ID:     fmt.Sprintf("c%d", i),
			Author: "user" + fmt.Sprint(i%97),
			Text:   lines[i%len(lines)],
			Extra:  map[string]any{"n": float64(i), "k": "v"},
		}, nil
	}, &read
}

func runToBytes(t *testing.T, n, workers, size int) []byte {
	t.Helper()
	src, _ := genSource(seedLines(t), n)
	var out bytes.Buffer
	st, err := Run(context.Background(), src, &hashScorer{}, mustEncoder(t, "jsonl", "m@1", false), &out, Options{Workers: workers, BatchSize: size})
	if err != nil {
		t.Fatal(err)
	}
	if st.Comments != n || st.Bytes != int64(out.Len()) {
		t.Fatalf("stats %+v, want %d comments, %d bytes", st, n, out.Len())
	}
	return out.Bytes()
}

// ids returns the "id" of every JSONL line.
func ids(t *testing.T, out []byte) []string {
	t.Helper()
	var got []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec struct{ ID string }
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("line %d: %v", len(got)+1, err)
		}
		got = append(got, rec.ID)
	}
	return got
}

func TestRunKeepsOrderWithManyWorkers(t *testing.T) {
	const n = 5000
	out := runToBytes(t, n, 16, 7)
	got := ids(t, out)
	if len(got) != n {
		t.Fatalf("%d records, want %d", len(got), n)
	}
	for i, id := range got {
		if want := fmt.Sprintf("c%d", i+1); id != want {
			t.Fatalf("record %d has id %s, want %s", i+1, id, want)
		}
	}
}

func TestRunSameBytesForAnyWorkers(t *testing.T) {
	const n = 3000
	want := runToBytes(t, n, 1, 512)
	for _, c := range []struct{ workers, size int }{{2, 512}, {8, 512}, {8, 1}, {3, 100}, {32, 13}} {
		if got := runToBytes(t, n, c.workers, c.size); !bytes.Equal(got, want) {
			t.Errorf("workers=%d batch=%d: output differs from 1 worker", c.workers, c.size)
		}
	}
}

func TestRunEmpty(t *testing.T) {
	var out bytes.Buffer
	st, err := Run(context.Background(), func() (*comments.Comment, error) { return nil, io.EOF }, &hashScorer{}, mustEncoder(t, "csv", "m", false), &out, Options{})
	if err != nil || st.Comments != 0 {
		t.Fatalf("got %+v, %v", st, err)
	}
	if got, want := out.String(), string(mustEncoder(t, "csv", "", false).Header()); got != want {
		t.Fatalf("empty CSV run wrote %q, want the header %q", got, want)
	}
}

func TestRunCancelWritesWhatWasRead(t *testing.T) {
	lines := seedLines(t)
	for _, workers := range []int{1, 4} {
		ctx, cancel := context.WithCancel(context.Background())
		inner, read := genSource(lines, 1_000_000)
		const stopAt = 1234
		src := func() (*comments.Comment, error) {
			if read.Load() == stopAt {
				cancel()
			}
			return inner()
		}
		var out bytes.Buffer
		sc := &hashScorer{}
		st, err := Run(ctx, src, sc, mustEncoder(t, "jsonl", "m", false), &out, Options{Workers: workers, BatchSize: 100})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("workers=%d: err = %v, want context.Canceled", workers, err)
		}
		// Every comment read is scored and written, in order; no more are read.
		n := int(read.Load())
		if n < stopAt || n > stopAt+1 {
			t.Fatalf("workers=%d: read %d comments after cancelling at %d", workers, n, stopAt)
		}
		got := ids(t, out.Bytes())
		if len(got) != n || st.Comments != n || sc.calls.Load() != int64(n) {
			t.Fatalf("workers=%d: read %d, scored %d, wrote %d lines, stats %d", workers, n, sc.calls.Load(), len(got), st.Comments)
		}
		for i, id := range got {
			if id != fmt.Sprintf("c%d", i+1) {
				t.Fatalf("line %d: id %s", i+1, id)
			}
		}
		cancel()
	}
}

func TestRunSourceErrorWins(t *testing.T) {
	inner, read := genSource(seedLines(t), 10_000)
	bad := &comments.ParseError{File: "in.jsonl", Line: 777, Field: "text", Err: comments.ErrNoText}
	src := func() (*comments.Comment, error) {
		if read.Load() == 776 {
			return nil, bad
		}
		return inner()
	}
	var out bytes.Buffer
	st, err := Run(context.Background(), src, &hashScorer{}, mustEncoder(t, "jsonl", "", false), &out, Options{Workers: 4, BatchSize: 50})
	if !errors.Is(err, bad) {
		t.Fatalf("err = %v, want the source's error", err)
	}
	if got := ids(t, out.Bytes()); len(got) != 776 || st.Comments != 776 {
		t.Fatalf("wrote %d records (stats %d) before the error at record 777, want 776", len(got), st.Comments)
	}
}

// failWriter fails after n bytes.
type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, errors.New("disk full")
	}
	w.n -= len(p)
	return len(p), nil
}

func TestRunWriteErrorStopsReader(t *testing.T) {
	const n = 200_000
	src, read := genSource(seedLines(t), n)
	_, err := Run(context.Background(), src, &hashScorer{}, mustEncoder(t, "jsonl", "", false), &failWriter{n: 100_000}, Options{Workers: 2, BatchSize: 64})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err = %v, want the write error", err)
	}
	if r := read.Load(); r >= n {
		t.Fatalf("the reader went on to the end (%d comments) after the writer failed", r)
	}
}

// peakHeap samples the heap in use every few milliseconds until stop is
// closed, and returns the peak.
func peakHeap(stop <-chan struct{}) <-chan uint64 {
	res := make(chan uint64, 1)
	go func() {
		var peak uint64
		var ms runtime.MemStats
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-stop:
				res <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return res
}

// TestRunBigInputFlatMemory streams about 1 GB of comment text through the
// pipeline and checks that the heap stays small. Opt-in: STANCE_BIG=1.
func TestRunBigInputFlatMemory(t *testing.T) {
	if os.Getenv("STANCE_BIG") == "" {
		t.Skip("set STANCE_BIG=1 to stream 1 GB through the pipeline")
	}
	lines := seedLines(t)
	// Bodies of ~580 bytes made of seed lines; 1 GB of text in all.
	var bodies []string
	for i := range lines {
		var b strings.Builder
		for j := i; b.Len() < 580; j++ {
			b.WriteString(lines[j%len(lines)])
			b.WriteByte(' ')
		}
		bodies = append(bodies, b.String())
	}
	const total = 1 << 30
	var textBytes int64
	n := 0
	src := func() (*comments.Comment, error) {
		if textBytes >= total {
			return nil, io.EOF
		}
		n++
		// A fresh copy, as a reader would allocate it.
		body := strings.Clone(bodies[n%len(bodies)])
		textBytes += int64(len(body))
		return &comments.Comment{ID: fmt.Sprintf("c%d", n), Text: body, Extra: map[string]any{"n": float64(n)}}, nil
	}
	runtime.GC()
	stop := make(chan struct{})
	peak := peakHeap(stop)
	start := time.Now()
	st, err := Run(context.Background(), src, &hashScorer{fast: true}, mustEncoder(t, "jsonl", "m", true), io.Discard, Options{})
	close(stop)
	if err != nil {
		t.Fatal(err)
	}
	p := <-peak
	t.Logf("%d comments, %d MB of text in, %d MB out, %.1fs: peak heap in use %.1f MB",
		st.Comments, textBytes>>20, st.Bytes>>20, time.Since(start).Seconds(), float64(p)/(1<<20))
	if p > 64<<20 {
		t.Fatalf("peak heap %d MB for a 1 GB input: the pipeline holds too much", p>>20)
	}
}

// mustEncoder returns the record encoder of a format.
func mustEncoder(t testing.TB, format, model string, text bool) Encoder {
	t.Helper()
	enc, err := NewEncoder(format, model, text)
	if err != nil {
		t.Fatal(err)
	}
	return enc
}
