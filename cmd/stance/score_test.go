package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stance-dev/stance/comments"
)

const scoreSeed = "../../testdata/nyt-huawei-shared-values-2019-12-27.txt"

// runScoreCmd runs `stance score args...` on the given stdin.
func runScoreCmd(t *testing.T, ctx context.Context, stdin io.Reader, errTTY bool, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	ios := &IOStreams{In: stdin, Out: &out, ErrOut: &errb, ErrTTY: errTTY}
	if stdin == nil {
		ios.In = strings.NewReader("")
	}
	code = run(ctx, ios, append([]string{"score"}, args...))
	return code, out.String(), errb.String()
}

// seedComments reads the seed thread with the real reader.
func seedComments(t *testing.T) []*comments.Comment {
	t.Helper()
	f, err := os.Open(scoreSeed)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := comments.Open(scoreSeed, f, comments.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := comments.ReadAll(s)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// scoredLine is the part of a scored JSONL record the tests look at.
type scoredLine struct {
	ID        string `json:"id"`
	Author    string `json:"author"`
	Sentiment struct {
		Compound float64 `json:"compound"`
		Label    string  `json:"label"`
	} `json:"sentiment"`
	Argument struct {
		Label string  `json:"label"`
		P     float64 `json:"p"`
	} `json:"argument"`
	Model string  `json:"model"`
	Text  *string `json:"text"`
}

func parseScored(t *testing.T, out string) []scoredLine {
	t.Helper()
	var recs []scoredLine
	for i, line := range strings.SplitAfter(out, "\n") {
		if line == "" {
			continue
		}
		if !strings.HasSuffix(line, "\n") {
			t.Fatalf("line %d is cut short: %q", i+1, line)
		}
		var r scoredLine
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("line %d: %v: %s", i+1, err, line)
		}
		recs = append(recs, r)
	}
	return recs
}

func TestScoreSeedThread(t *testing.T) {
	want := seedComments(t)
	m, err := loadModel("")
	if err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runScoreCmd(t, context.Background(), nil, false, scoreSeed, "--text")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	recs := parseScored(t, out)
	if len(recs) != len(want) {
		t.Fatalf("%d records for %d comments", len(recs), len(want))
	}
	labels := map[string]bool{}
	for i, r := range recs {
		c := want[i]
		if r.ID != c.ID || r.Author != c.Author || r.Text == nil || *r.Text != c.Text {
			t.Fatalf("record %d is %s by %q, want comment %s by %q with its text", i+1, r.ID, r.Author, c.ID, c.Author)
		}
		if r.Model != m.ID() {
			t.Fatalf("record %d: model %q, want %q", i+1, r.Model, m.ID())
		}
		if r.Argument.P <= 0 || r.Argument.P > 1 || r.Argument.Label == "" {
			t.Fatalf("record %d: argument %+v", i+1, r.Argument)
		}
		labels[r.Sentiment.Label] = true
	}
	// The thread has angry and approving comments: VADER must see both.
	if !labels["positive"] || !labels["negative"] {
		t.Errorf("sentiment labels seen: %v, want positive and negative", labels)
	}
	if !regexp.MustCompile(fmt.Sprintf(`^scored %d comments \(0 skipped\) in [0-9.]+ s: [0-9]+ comments/s\n$`, len(want))).MatchString(stderr) {
		t.Errorf("stderr = %q, want the summary only", stderr)
	}
}

// bigJSONL returns n NYT-dataset-like JSONL records whose bodies are the
// seed thread's comments.
func bigJSONL(t *testing.T, n int) []byte {
	t.Helper()
	cs := seedComments(t)
	var b bytes.Buffer
	for i := range n {
		c := cs[i%len(cs)]
		rec := map[string]any{"commentID": 1000 + i, "userDisplayName": c.Author, "userLocation": c.Location,
			"commentBody": c.Text, "recommendations": i % 17, "articleID": "5e06", "status": "approved"}
		line, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func TestScoreSameOutputForAnyWorkers(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	if err := os.WriteFile(in, bigJSONL(t, 3000), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"jsonl", "csv"} {
		var first string
		for _, w := range []string{"1", "2", "7"} {
			code, out, stderr := runScoreCmd(t, context.Background(), nil, false, in, "-f", format, "--workers", w, "--quiet")
			if code != 0 || stderr != "" {
				t.Fatalf("workers %s: exit %d, stderr %q", w, code, stderr)
			}
			if first == "" {
				first = out
				continue
			}
			if out != first {
				t.Fatalf("-f %s: output with %s workers differs from 1 worker", format, w)
			}
		}
		if format == "jsonl" {
			recs := parseScored(t, first)
			if len(recs) != 3000 {
				t.Fatalf("%d records, want 3000", len(recs))
			}
			for i, r := range recs {
				if r.ID != fmt.Sprint(1000+i) {
					t.Fatalf("record %d has id %s: order lost", i+1, r.ID)
				}
			}
		} else {
			rows, err := csv.NewReader(strings.NewReader(first)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 3001 || rows[0][4] != "sentiment.compound" || rows[1][0] != "1000" {
				t.Fatalf("CSV: %d rows, header %q, first id %q", len(rows), rows[0], rows[1][0])
			}
		}
	}
}

func TestScoreOutputFile(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "scored.jsonl")
	code, stdout, stderr := runScoreCmd(t, context.Background(), nil, false, scoreSeed, "-o", out)
	if code != 0 || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(parseScored(t, string(data))); n != len(seedComments(t)) {
		t.Fatalf("%d records in %s", n, out)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("files left in the output directory: %v", ents)
	}
	// Never overwrite an input.
	in := filepath.Join(dir, "in.txt")
	seed, _ := os.ReadFile(scoreSeed)
	os.WriteFile(in, seed, 0o644)
	code, _, stderr = runScoreCmd(t, context.Background(), nil, false, in, "-o", in)
	if code != exitData || !strings.Contains(stderr, "also an input") {
		t.Fatalf("-o over the input: exit %d, stderr %q", code, stderr)
	}
	if got, _ := os.ReadFile(in); !bytes.Equal(got, seed) {
		t.Fatal("the input was changed")
	}
	// Nor when the input comes on stdin.
	f, err := os.Open(in)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	code, _, stderr = runScoreCmd(t, context.Background(), f, false, "-", "-o", in)
	if code != exitData || !strings.Contains(stderr, "also the input") {
		t.Fatalf("-o over stdin's file: exit %d, stderr %q", code, stderr)
	}
	if got, _ := os.ReadFile(in); !bytes.Equal(got, seed) {
		t.Fatal("the input was changed")
	}
}

func TestScoreBadRecords(t *testing.T) {
	good := bigJSONL(t, 20)
	lines := bytes.SplitAfter(good, []byte("\n"))
	var in bytes.Buffer
	for i, l := range lines {
		in.Write(l)
		switch i {
		case 4:
			in.WriteString("{\"commentID\": 7, \"commentBody\": \"cut short\n") // line 6
		case 9:
			in.WriteString("{\"commentID\": 8, \"userDisplayName\": \"no text\"}\n") // line 12
		}
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(path, in.Bytes(), 0o644)
	out := filepath.Join(dir, "out.jsonl")

	code, _, stderr := runScoreCmd(t, context.Background(), nil, false, path, "-o", out)
	if code != exitData || !strings.Contains(stderr, path+":6") {
		t.Fatalf("without --skip-bad: exit %d, stderr %q; want 1 and %s:6", code, stderr, path)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("a failed run left its output")
	}
	// It says how far it got, and keeps the 5 whole records before the
	// bad one in OUT.partial, never under OUT.
	if !strings.Contains(stderr, "scored 5 comments (0 skipped)") || !strings.Contains(stderr, "stopped after 5 comments; partial output left in "+out+".partial") {
		t.Fatalf("without --skip-bad: stderr %q: want the summary and the partial output", stderr)
	}
	partial, _ := os.ReadFile(out + ".partial")
	if n := len(parseScored(t, string(partial))); n != 5 {
		t.Fatalf("the partial output holds %d records, want 5", n)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Fatalf("files left behind: %v", ents)
	}
	os.Remove(out + ".partial")

	code, _, stderr = runScoreCmd(t, context.Background(), nil, false, path, "-o", out, "--skip-bad")
	if code != 0 {
		t.Fatalf("--skip-bad: exit %d, stderr %q", code, stderr)
	}
	data, _ := os.ReadFile(out)
	if n := len(parseScored(t, string(data))); n != 20 {
		t.Fatalf("--skip-bad wrote %d records, want the 20 good ones", n)
	}
	if !strings.Contains(stderr, "scored 20 comments (2 skipped)") || !strings.Contains(stderr, path+":6") || !strings.Contains(stderr, path+":12") {
		t.Fatalf("--skip-bad stderr %q: want both bad lines and the counts", stderr)
	}
}

func TestScoreFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"-f", "xml", scoreSeed}, exitUsage},
		{[]string{"--workers", "-2", scoreSeed}, exitUsage},
		{[]string{"--bogus", scoreSeed}, exitUsage},
		{[]string{"--input-format", "xml", scoreSeed}, exitUsage},
		{[]string{"does-not-exist.jsonl"}, exitData},
	} {
		if code, _, stderr := runScoreCmd(t, context.Background(), nil, false, c.args...); code != c.code {
			t.Errorf("score %q: exit %d, want %d (stderr %q)", c.args, code, c.code, stderr)
		}
	}
	var got *scoreOptions
	cmd := newScoreCommand(&IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard},
		func(_ context.Context, o *scoreOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"a.jsonl", "-", "-f", "csv", "--workers", "3", "--text", "--skip-bad", "-o", "x.csv", "--model", "m.json"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Format != "csv" || got.Workers != 3 || !got.Text || !got.SkipBad || got.Output != "x.csv" ||
		got.Model != "m.json" || strings.Join(got.Paths, " ") != "a.jsonl -" {
		t.Fatalf("parsed %+v", got)
	}
}

func TestScoreProgress(t *testing.T) {
	in := bigJSONL(t, 2000)
	// A terminal stderr shows the bar even with stdout redirected.
	code, _, stderr := runScoreCmdThrottle(t, bytes.NewReader(in), true)
	if code != 0 || !strings.Contains(stderr, "\r") || !regexp.MustCompile(`\d+ comments, \d+/s`).MatchString(stderr) {
		t.Fatalf("tty: exit %d, stderr %q: want a progress bar with comments and rate", code, stderr)
	}
	code, _, stderr = runScoreCmd(t, context.Background(), bytes.NewReader(in), true, "--quiet")
	if code != 0 || stderr != "" {
		t.Fatalf("--quiet on a tty: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runScoreCmd(t, context.Background(), bytes.NewReader(in), false)
	if code != 0 || strings.Contains(stderr, "\r") || strings.Count(stderr, "\n") != 1 {
		t.Fatalf("not a tty: exit %d, stderr %q: want the summary line only", code, stderr)
	}
}

// runScoreCmdThrottle runs score on stdin with a progress bar redrawn at
// every batch, so a short run draws it.
func runScoreCmdThrottle(t *testing.T, stdin io.Reader, errTTY bool) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	ios := &IOStreams{In: stdin, Out: &out, ErrOut: &errb, ErrTTY: errTTY}
	cmd := newScoreCommand(ios, func(ctx context.Context, o *scoreOptions) error {
		o.throttle = time.Nanosecond
		o.batchSize = 64
		return runScore(ctx, o)
	})
	cmd.SetArgs([]string{"-"})
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		return 1, out.String(), errb.String() + err.Error()
	}
	return 0, out.String(), errb.String()
}

// endlessJSONL is an input that never ends: seed comments, numbered.
type endlessJSONL struct {
	recs  [][]byte
	i     int
	buf   []byte
	bytes atomic.Int64
	// limit, if > 0, ends the input with the first whole record past it.
	limit int64
	made  int64
	// threads numbers the article IDs: thread k is "A<k>".
	threads bool
}

func newEndless(t *testing.T) *endlessJSONL {
	var recs [][]byte
	for _, c := range seedComments(t) {
		line, _ := json.Marshal(map[string]any{"userDisplayName": c.Author, "commentBody": c.Text, "status": "approved"})
		recs = append(recs, line)
	}
	return &endlessJSONL{recs: recs}
}

// withThreads makes the endless input's records carry an article ID that
// changes every 500 records, as dumps like the NYT dataset do.
func (e *endlessJSONL) withThreads(t *testing.T) *endlessJSONL {
	var recs [][]byte
	for i := range 500 / len(e.recs) * len(e.recs) {
		var m map[string]any
		if err := json.Unmarshal(e.recs[i%len(e.recs)], &m); err != nil {
			t.Fatal(err)
		}
		m["articleID"] = "A" // replaced per thread below
		line, _ := json.Marshal(m)
		recs = append(recs, line)
	}
	e.recs = recs
	e.threads = true
	return e
}

func (e *endlessJSONL) Read(p []byte) (int, error) {
	for len(e.buf) < len(p) && (e.limit <= 0 || e.made < e.limit) {
		rec := e.recs[e.i%len(e.recs)]
		start := len(e.buf)
		if e.threads {
			k := bytes.Index(rec, []byte(`"articleID":"A"`)) + len(`"articleID":"A`)
			e.buf = append(e.buf, rec[:k]...)
			e.buf = strconv.AppendInt(e.buf, int64(e.i/len(e.recs)), 10)
			e.buf = append(e.buf, rec[k:]...)
		} else {
			e.buf = append(e.buf, rec...)
		}
		e.buf = append(e.buf, '\n')
		e.made += int64(len(e.buf) - start)
		e.i++
	}
	if len(e.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, e.buf)
	e.buf = e.buf[n:]
	e.bytes.Add(int64(n))
	return n, nil
}

// cancelAfter is a reader that calls cancel once n bytes are read.
type cancelAfter struct {
	r      io.Reader
	n      int64
	cancel func()
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	k, err := c.r.Read(p)
	if c.n -= int64(k); c.n <= 0 && c.cancel != nil {
		c.cancel()
		c.cancel = nil
	}
	return k, err
}

// checkPartial checks an interrupted run's output: no OUT, an OUT.partial of
// complete records (n of them), no temporary file left.
func checkPartial(t *testing.T, dir, out string, n int) {
	t.Helper()
	if _, err := os.Stat(out); err == nil {
		t.Fatalf("interrupted run left a complete-looking %s", out)
	}
	data, err := os.ReadFile(out + ".partial")
	if err != nil {
		t.Fatalf("no partial output: %v", err)
	}
	recs := parseScored(t, string(data))
	if len(recs) == 0 || (n >= 0 && len(recs) != n) {
		t.Fatalf("%d records in the partial output, want %d (> 0)", len(recs), n)
	}
	for i, r := range recs {
		if r.ID != fmt.Sprintf("c%d", i+1) {
			t.Fatalf("partial record %d has id %s", i+1, r.ID)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("files left: %v", ents)
	}
}

func TestScoreInterruptedContext(t *testing.T) {
	// Plain JSONL takes the chunked path; gzip, the one-reader path.
	for _, zipped := range []bool{false, true} {
		dir := t.TempDir()
		out := filepath.Join(dir, "scored.jsonl")
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		in := newEndless(t)
		// Cancel once the command has read 5 MB (of gzip: 200 KB).
		stdin := &cancelAfter{r: in, n: 5 << 20, cancel: cancel}
		if zipped {
			pr, pw := io.Pipe()
			go func() {
				zw := gzip.NewWriter(pw)
				_, err := io.Copy(zw, in) // until the reader side is closed
				pw.CloseWithError(err)
			}()
			defer pr.Close()
			stdin = &cancelAfter{r: pr, n: 200 << 10, cancel: cancel}
		}
		code, stdout, stderr := runScoreCmd(t, ctx, stdin, false, "-", "-o", out)
		if code != exitInterrupted || stdout != "" {
			t.Fatalf("gzip %v: exit %d, stdout %q, stderr %q", zipped, code, stdout, stderr)
		}
		m := regexp.MustCompile(`scored (\d+) comments \(0 skipped\)`).FindStringSubmatch(stderr)
		if m == nil || !strings.Contains(stderr, out+".partial") {
			t.Fatalf("gzip %v: stderr %q: want the summary and the partial file's name", zipped, stderr)
		}
		var n int
		fmt.Sscan(m[1], &n)
		checkPartial(t, dir, out, n)
	}
}

// TestScoreSIGINT builds the binary and sends it a real SIGINT while it
// scores an endless stdin, and a SIGTERM while it scores a large file; it
// must stop cleanly each time.
func TestScoreSIGINT(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "stance")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	big := filepath.Join(dir, "big.jsonl")
	e := newEndless(t).withThreads(t)
	e.limit = 64 << 20
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(f, e); err != nil {
		t.Fatal(err)
	}
	f.Close()

	for _, c := range []struct {
		name  string
		sig   os.Signal
		input string // "-": endless stdin
	}{{"SIGINT-stdin", syscall.SIGINT, "-"}, {"SIGTERM-file", syscall.SIGTERM, big}} {
		outDir := filepath.Join(dir, c.name)
		os.Mkdir(outDir, 0o755)
		out := filepath.Join(outDir, "scored.jsonl")
		cmd := exec.Command(bin, "score", c.input, "-o", out)
		in := newEndless(t)
		if c.input == "-" {
			cmd.Stdin = in
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait until it has scored and written something.
		deadline := time.Now().Add(30 * time.Second)
		for {
			ents, _ := os.ReadDir(outDir)
			if len(ents) == 1 {
				if fi, err := ents[0].Info(); err == nil && fi.Size() > 1<<20 {
					break
				}
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatalf("%s: no output after 30 s; stderr %q", c.name, stderr.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
		cmd.Process.Signal(c.sig)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
				t.Fatalf("%s: exit %d (%v), want 130; stderr %q", c.name, code, err, stderr.String())
			}
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("%s: still running 30 s after the signal; stderr %q", c.name, stderr.String())
		}
		m := regexp.MustCompile(`scored (\d+) comments`).FindStringSubmatch(stderr.String())
		if m == nil || !strings.Contains(stderr.String(), out+".partial") {
			t.Fatalf("%s: stderr %q: want the summary and the partial file", c.name, stderr.String())
		}
		var n int
		fmt.Sscan(m[1], &n)
		checkPartial(t, outDir, out, n)
		t.Logf("%s: %d comments written; stderr %q", c.name, n, stderr.String())
	}
}

// TestScoreBigInputFlatMemory streams about 1 GB of JSONL through the whole
// command (reader, scorer, encoder) and reads the peak heap. Opt-in:
// STANCE_BIG=1 (STANCE_BIG_MB=N for another size; STANCE_BIG_NOTHREAD=1 for
// records without an article ID, one endless thread).
func TestScoreBigInputFlatMemory(t *testing.T) {
	if os.Getenv("STANCE_BIG") == "" {
		t.Skip("set STANCE_BIG=1 to score 1 GB")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	in := newEndless(t)
	if os.Getenv("STANCE_BIG_NOTHREAD") == "" {
		in.withThreads(t)
	}
	in.limit = 1 << 30
	if mb, err := strconv.Atoi(os.Getenv("STANCE_BIG_MB")); err == nil {
		in.limit = int64(mb) << 20
	}
	stop := make(chan struct{})
	peak := make(chan uint64, 1)
	go func() {
		var p uint64
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			p = max(p, ms.HeapInuse)
			select {
			case <-stop:
				peak <- p
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	start := time.Now()
	var out countWriter
	var errb bytes.Buffer
	ios := &IOStreams{In: in, Out: &out, ErrOut: &errb}
	code := run(ctx, ios, []string{"score", "-"})
	close(stop)
	p := <-peak
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	t.Logf("%d MB of JSONL in, %d MB out, %.1f s: peak heap in use %.1f MB; %s",
		in.bytes.Load()>>20, out.n>>20, time.Since(start).Seconds(), float64(p)/(1<<20), errb.String())
	if p > 100<<20 {
		t.Fatalf("peak heap %d MB for 1 GB of input", p>>20)
	}
}

type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// runScoreOpts runs score with options a flag cannot set (small batches).
func runScoreOpts(t *testing.T, batchSize int, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	ios := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errb}
	cmd := newScoreCommand(ios, func(ctx context.Context, o *scoreOptions) error {
		o.batchSize = batchSize
		return runScore(ctx, o)
	})
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		return 1, out.String(), errb.String() + "stance: " + err.Error() + "\n"
	}
	return 0, out.String(), errb.String()
}

// TestScoreChunkedMatchesStream checks that plain JSON Lines, decoded in
// parallel chunks, gives exactly what the one-goroutine reader gives (it
// reads the same file gzipped): same records, IDs, reply links, errors and
// line numbers, whatever the chunk size.
func TestScoreChunkedMatchesStream(t *testing.T) {
	in := newEndless(t).withThreads(t)
	in.limit = 400 << 10
	data, err := io.ReadAll(in)
	if err != nil {
		t.Fatal(err)
	}
	// Bad records and invalid UTF-8 at known lines.
	lines := bytes.SplitAfter(data, []byte("\n"))
	lines[40] = []byte("{\"commentBody\": \"cut\n")
	lines[41] = []byte("{\"userDisplayName\": \"no text\"}\n")
	lines[700] = []byte("not json at all\n")
	lines[5] = bytes.Replace(lines[5], []byte("commentBody\":\""), []byte("commentBody\":\"\xff\xfe "), 1)
	data = bytes.Join(lines, nil)
	dir := t.TempDir()
	plain := filepath.Join(dir, "in.jsonl")
	os.WriteFile(plain, data, 0o644)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(data)
	zw.Close()
	zipped := filepath.Join(dir, "in.jsonl.gz")
	os.WriteFile(zipped, gz.Bytes(), 0o644)

	summary := regexp.MustCompile(`(?m)^scored .*\n`)
	code, want, wantErr := runScoreCmd(t, context.Background(), nil, false, zipped, "--skip-bad", "--text")
	if code != 0 {
		t.Fatalf("gzip: exit %d: %s", code, wantErr)
	}
	wantErr = strings.ReplaceAll(summary.ReplaceAllString(wantErr, ""), zipped, plain)
	for _, line := range []string{":41:", ":42:", ":701:"} {
		if !strings.Contains(wantErr, plain+line) {
			t.Fatalf("stream reader stderr %q lacks %s%s", wantErr, plain, line)
		}
	}
	for _, bs := range []int{0, 1, 3, 50} {
		code, got, gotErr := runScoreOpts(t, bs, plain, "--skip-bad", "--text")
		if code != 0 {
			t.Fatalf("batch %d: exit %d: %s", bs, code, gotErr)
		}
		if got != want {
			t.Fatalf("batch %d: chunked output differs from the stream reader's", bs)
		}
		if gotErr = summary.ReplaceAllString(gotErr, ""); gotErr != wantErr {
			t.Fatalf("batch %d: stderr\n%s\nwant\n%s", bs, gotErr, wantErr)
		}
		// Without --skip-bad, both stop at the first bad record.
		code, _, gotErr = runScoreOpts(t, bs, plain)
		if code == 0 || !strings.Contains(gotErr, plain+":41:") {
			t.Fatalf("batch %d without --skip-bad: exit %d, stderr %q", bs, code, gotErr)
		}
	}
}
