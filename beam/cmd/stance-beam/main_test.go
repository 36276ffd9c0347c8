package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stance-dev/stance/classify"
)

// The tests run stance-beam's pipelines on Prism, in this process, and the
// stance command (built from the root module) on the same inputs, and
// compare: score records sorted by ID, table JSON, model hash.

const seedThread = "../../../testdata/nyt-huawei-shared-values-2019-12-27.txt"

var (
	stanceOnce sync.Once
	stanceBin  string
	stanceErr  error
)

// stanceCmd builds the stance command once and returns its path.
func stanceCmd(t *testing.T) string {
	t.Helper()
	stanceOnce.Do(func() {
		dir, err := os.MkdirTemp("", "stance-beam-test-")
		if err != nil {
			stanceErr = err
			return
		}
		stanceBin = filepath.Join(dir, "stance")
		for _, pkg := range []string{"./cmd/stance", "./scripts/gencorpus"} {
			out := filepath.Join(dir, filepath.Base(pkg))
			cmd := exec.Command("go", "build", "-o", out, pkg)
			cmd.Dir = "../../.."
			if b, err := cmd.CombinedOutput(); err != nil {
				stanceErr = fmt.Errorf("go build %s: %v\n%s", pkg, err, b)
				return
			}
		}
	})
	if stanceErr != nil {
		t.Fatal(stanceErr)
	}
	return stanceBin
}

// stance runs the stance command and returns its stdout.
func stance(t *testing.T, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(stanceCmd(t), args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("stance %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return out
}

// beamRun runs stance-beam in this process (on Prism) and returns its
// stdout and stderr.
func beamRun(t *testing.T, args ...string) (string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	start := time.Now()
	if code := run(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("stance-beam %s: exit %d\n%s", strings.Join(args, " "), code, stderr.String())
	}
	t.Logf("stance-beam %s: %.1fs", args[0], time.Since(start).Seconds())
	return stdout.String(), stderr.String()
}

// sortedByID returns the JSONL records sorted by their id (then bytes).
func sortedByID(t *testing.T, data []byte) []string {
	t.Helper()
	lines := strings.SplitAfter(string(data), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	ids := make(map[string]string, len(lines))
	for _, l := range lines {
		var r struct{ ID string }
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("record %q: %v", l, err)
		}
		ids[l] = r.ID
	}
	sort.SliceStable(lines, func(i, j int) bool {
		if a, b := ids[lines[i]], ids[lines[j]]; a != b {
			return a < b
		}
		return lines[i] < lines[j]
	})
	return lines
}

// shardsOf reads the output shards of prefix, concatenated.
func shardsOf(t *testing.T, prefix string) []byte {
	t.Helper()
	files, err := filepath.Glob(prefix + "-*-of-*.jsonl")
	if err != nil || len(files) == 0 {
		t.Fatalf("no output shards %s-*: %v", prefix, err)
	}
	var all []byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

// corpus is a test input: the glob and its files, sorted.
type corpus struct {
	glob  string
	files []string
}

// seedCorpus is the seed thread as one input.
func seedCorpus(t *testing.T) corpus {
	dir := t.TempDir()
	data, err := os.ReadFile(seedThread)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "seed.txt")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return corpus{glob: filepath.Join(dir, "*.txt"), files: []string{p}}
}

// dumpCorpus generates n comments (scripts/gencorpus) in 8 JSONL shards,
// with one bad record in the fourth shard when bad is set.
func dumpCorpus(t *testing.T, n int, bad bool) corpus {
	stanceCmd(t)
	dir := t.TempDir()
	all := filepath.Join(dir, "all.jsonl")
	gen := exec.Command(filepath.Join(filepath.Dir(stanceBin), "gencorpus"), "-n", fmt.Sprint(n), "-o", all, "-seed", seedThread)
	if b, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("gencorpus: %v\n%s", err, b)
	}
	data, err := os.ReadFile(all)
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(all)
	lines := strings.SplitAfter(string(data), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	var c corpus
	per := (len(lines) + 7) / 8
	for i := range 8 {
		part := lines[min(i*per, len(lines)):min((i+1)*per, len(lines))]
		if bad && i == 3 {
			part = slices.Insert(slices.Clone(part), len(part)/2, "{\"commentID\": 1, \"commentBody\": \"cut off\n")
		}
		p := filepath.Join(dir, fmt.Sprintf("dump-%02d.jsonl", i))
		if err := os.WriteFile(p, []byte(strings.Join(part, "")), 0o644); err != nil {
			t.Fatal(err)
		}
		c.files = append(c.files, p)
	}
	c.glob = filepath.Join(dir, "dump-*.jsonl")
	return c
}

// checkScore compares stance-beam score with stance score.
func checkScore(t *testing.T, c corpus, extra ...string) string {
	want := stance(t, append(append([]string{"score", "--quiet"}, extra...), c.files...)...)
	prefix := filepath.Join(t.TempDir(), "scored")
	_, stderr := beamRun(t, append([]string{"score", "--input", c.glob, "--output", prefix}, extra...)...)
	got := shardsOf(t, prefix)
	w, g := sortedByID(t, want), sortedByID(t, got)
	if len(w) != len(g) {
		t.Fatalf("stance-beam score: %d records, stance score %d", len(g), len(w))
	}
	for i := range w {
		if w[i] != g[i] {
			t.Fatalf("record %d (sorted by ID) differs:\nstance-beam %s\nstance      %s", i, g[i], w[i])
		}
	}
	return stderr
}

// checkTables compares the JSON of stance-beam table with stance table.
func checkTables(t *testing.T, c corpus, bys []string, extra ...string) {
	for _, by := range bys {
		args := append([]string{"--by", by, "-f", "json"}, extra...)
		want := stance(t, append(append([]string{"table", "--quiet"}, args...), c.files...)...)
		got, _ := beamRun(t, append([]string{"table", "--input", c.glob}, args...)...)
		if string(want) == got {
			continue
		}
		// A mean whose sum was added up in another order may round the
		// other way at its 4th decimal.
		if err := sameJSON(want, []byte(got), 1e-4); err != nil {
			t.Errorf("--by %s: table JSON differs: %v\nstance-beam:\n%s\nstance:\n%s", by, err, got, want)
		} else {
			t.Logf("--by %s: equal up to the 4th decimal of a mean", by)
		}
	}
}

// modelHash reads a model file's hash.
func modelHash(t *testing.T, path string) (string, []byte) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := classify.DecodeModel(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return m.Hash(), data
}

// checkTrain compares stance-beam train with stance train.
func checkTrain(t *testing.T, c corpus, args ...string) {
	dir := t.TempDir()
	want, got := filepath.Join(dir, "stance.json"), filepath.Join(dir, "beam.json")
	stance(t, append(append([]string{"train", "-o", want}, args...), c.files...)...)
	beamRun(t, append([]string{"train", "--input", c.glob, "-o", got}, args...)...)
	wh, wb := modelHash(t, want)
	gh, gb := modelHash(t, got)
	if wh != gh {
		t.Errorf("train %v: model hash %s, stance train's %s", args, gh, wh)
	}
	if !bytes.Equal(wb, gb) {
		t.Errorf("train %v: model files differ", args)
	}
}

func TestSeedThread(t *testing.T) {
	c := seedCorpus(t)
	checkScore(t, c)
	checkTables(t, c, []string{"argument", "stance", "exchange", "thread"})
	checkTables(t, c, []string{"argument"}, "--weight", "recommendations", "--bootstrap", "200")
	checkTables(t, c, []string{"argument", "stance"}, "--estimate", "acc")
}

// labeledShards writes the seed labels in three shards.
func labeledShards(t *testing.T) corpus {
	data, err := os.ReadFile("../../../training/default/seed-labels.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	return splitLines(t, data, 3, "labels")
}

// splitLines writes the lines of data in n files named name-NN.jsonl.
func splitLines(t *testing.T, data []byte, n int, name string) corpus {
	dir := t.TempDir()
	lines := strings.SplitAfter(strings.TrimRight(string(data), "\n")+"\n", "\n")
	lines = lines[:len(lines)-1]
	var c corpus
	per := (len(lines) + n - 1) / n
	for i := range n {
		p := filepath.Join(dir, fmt.Sprintf("%s-%02d.jsonl", name, i))
		part := lines[min(i*per, len(lines)):min((i+1)*per, len(lines))]
		if err := os.WriteFile(p, []byte(strings.Join(part, "")), 0o644); err != nil {
			t.Fatal(err)
		}
		c.files = append(c.files, p)
	}
	c.glob = filepath.Join(dir, name+"-*.jsonl")
	return c
}

func TestTrainSeedLabels(t *testing.T) {
	c := labeledShards(t)
	// integer counts: the CombineFn's counts are the model's (stance-beam's
	// default preset is default: stance train's default, auto, needs the
	// documents in one place)
	checkTrain(t, c, "--taxonomy", "default", "--preset", "default", "--name", "m")
	// TF-IDF (the default model's preset): counted again in order
	checkTrain(t, c, "--taxonomy", "default", "--preset", "topic", "--name", "m")
	checkTrain(t, c, "--preset", "opinion", "--calibrate=false", "--name", "m")
}

// dumpSize is the size of the generated dump: 100,000 comments, 10,000
// under -short.
func dumpSize() int {
	if testing.Short() {
		return 10_000
	}
	return 100_000
}

func TestDump(t *testing.T) {
	c := dumpCorpus(t, dumpSize(), true)
	stderr := checkScore(t, c, "--skip-bad")
	if !strings.Contains(stderr, "skipped 1 bad record(s): ") || !strings.Contains(stderr, "dump-03.jsonl:") {
		t.Errorf("stance-beam score --skip-bad does not report the bad record:\n%s", stderr)
	}
	checkTables(t, c, []string{"argument", "stance", "exchange", "thread"}, "--skip-bad")

	// train on the dump labeled by the default model
	scored := stance(t, append([]string{"score", "--quiet", "--skip-bad", "--text"}, c.files...)...)
	var labeled bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(scored))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r struct {
			Text     string
			Argument struct{ Label string }
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(map[string]string{"text": r.Text, "label": r.Argument.Label})
		labeled.Write(append(b, '\n'))
	}
	checkTrain(t, splitLines(t, labeled.Bytes(), 8, "labeled"), "--taxonomy", "default", "--preset", "default", "--name", "m")
}

// TestUniversalRunner submits a table job to a job server, Prism's own
// (the same portable job API as Flink's and Spark's), with the workers in
// this process (LOOPBACK).
func TestUniversalRunner(t *testing.T) {
	dir := t.TempDir()
	prism := filepath.Join(dir, "prism")
	if b, err := exec.Command("go", "build", "-o", prism, "github.com/apache/beam/sdks/v2/go/cmd/prism").CombinedOutput(); err != nil {
		t.Fatalf("go build prism: %v\n%s", err, b)
	}
	l, err := net.Listen("tcp", "localhost:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	srv := exec.Command(prism, "--job_port", fmt.Sprint(port), "--serve_http=false")
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { srv.Process.Kill(); srv.Wait() }()
	endpoint := fmt.Sprintf("localhost:%d", port)
	for i := 0; ; i++ {
		if c, err := net.Dial("tcp", endpoint); err == nil {
			c.Close()
			break
		}
		if i == 100 {
			t.Fatal("the job server does not listen")
		}
		time.Sleep(100 * time.Millisecond)
	}
	c := seedCorpus(t)
	want := stance(t, append([]string{"table", "--quiet", "--by", "exchange", "-f", "json"}, c.files...)...)
	got, _ := beamRun(t, "table", "--runner", "universal", "--endpoint", endpoint, "--environment_type", "LOOPBACK",
		"--input", c.glob, "--by", "exchange", "-f", "json")
	if err := sameJSON(want, []byte(got), 1e-4); err != nil {
		t.Errorf("table on the universal runner differs: %v", err)
	}
}

func TestBadRecordFails(t *testing.T) {
	c := dumpCorpus(t, 2000, true)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"score", "--input", c.glob, "--output", filepath.Join(t.TempDir(), "x")}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "dump-03.jsonl:") {
		t.Errorf("a bad record without --skip-bad: exit %d, want 1 naming FILE:LINE\n%s", code, stderr.String())
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"nope"}, {"score"}, {"score", "--input", "x"}, {"table", "--input", "x", "--by", "comments"}} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", args, code, stderr.String())
		}
	}
}

// sameJSON reports how the JSON documents a and b differ, but for numbers
// within tol of each other.
func sameJSON(a, b []byte, tol float64) error {
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		return err
	}
	if err := json.Unmarshal(b, &y); err != nil {
		return err
	}
	return sameValue("$", x, y, tol)
}

func sameValue(path string, x, y any, tol float64) error {
	switch xv := x.(type) {
	case float64:
		yv, ok := y.(float64)
		if !ok || math.Abs(xv-yv) > tol*(1+1e-9) {
			return fmt.Errorf("%s: %v vs %v", path, x, y)
		}
		return nil
	case []any:
		yv, ok := y.([]any)
		if !ok || len(xv) != len(yv) {
			return fmt.Errorf("%s: %v vs %v", path, x, y)
		}
		for i := range xv {
			if err := sameValue(fmt.Sprintf("%s[%d]", path, i), xv[i], yv[i], tol); err != nil {
				return err
			}
		}
		return nil
	case map[string]any:
		yv, ok := y.(map[string]any)
		if !ok || len(xv) != len(yv) {
			return fmt.Errorf("%s: %v vs %v", path, x, y)
		}
		for k := range xv {
			if err := sameValue(path+"."+k, xv[k], yv[k], tol); err != nil {
				return err
			}
		}
		return nil
	}
	if !reflect.DeepEqual(x, y) {
		return fmt.Errorf("%s: %v vs %v", path, x, y)
	}
	return nil
}

// TestTrainRefineRefused checks that stance-beam refuses --refine, which
// fits on the documents themselves, with an error that says so.
func TestTrainRefineRefused(t *testing.T) {
	var stdout, stderr bytes.Buffer
	args := []string{"train", "--input", "../../../training/default/seed-labels.jsonl", "--refine", "-o", filepath.Join(t.TempDir(), "m.json")}
	if code := run(context.Background(), args, &stdout, &stderr); code == 0 || !strings.Contains(stderr.String(), "--refine is not available in stance-beam") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}
