package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/label"
	"github.com/stance-dev/stance/training"
)

const seedThread = "../../testdata/nyt-huawei-shared-values-2019-12-27.txt"

func TestLabelFlags(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "l.jsonl")
	cases := []struct {
		args []string
		want string // "" for ok
	}{
		{[]string{seedThread, "--taxonomy", "default", "-o", out}, ""},
		{[]string{seedThread, "--taxonomy", "default"}, "-o/--output is required"},
		{[]string{seedThread, "-o", out}, "--taxonomy or --model is required"},
		{[]string{seedThread, "--taxonomy", "default", "--model", "m.json", "-o", out}, "exclude each other"},
		{[]string{seedThread, "--taxonomy", "default", "-o", out, "--select", "smart"}, "valid values are {active|random|sequential}"},
		{[]string{"-", "--taxonomy", "default", "-o", out}, "cannot come from stdin"},
		{[]string{seedThread, "--taxonomy", "default", "-o", seedThread}, "is an input"},
		{[]string{seedThread, "--taxonomy", "default", "-o", out, "--preset", "x"}, "invalid --preset"},
	}
	for _, c := range cases {
		var got *labelOptions
		cmd := newLabelCommand(&IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard},
			func(o *labelOptions) error { got = o; return nil })
		cmd.SetArgs(c.args)
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		err := cmd.Execute()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%v: %v", c.args, err)
		case c.want == "" && (got == nil || got.Select != "active" || got.Seed != 1 || got.Preset != "topic"):
			t.Errorf("%v: options %+v", c.args, got)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%v: err %v, want %q", c.args, err, c.want)
		case c.want != "":
			var ue usageError
			if !isUsage(err, &ue) {
				t.Errorf("%v: %v is not a usage error", c.args, err)
			}
		}
	}
}

func isUsage(err error, ue *usageError) bool {
	u, ok := err.(usageError)
	*ue = u
	return ok
}

// seedPool reads the seed thread into a pool.
func seedPool(t *testing.T) []label.Item {
	t.Helper()
	items, err := readPool(&IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard}, &commonOptions{InputFormat: "auto"}, []string{seedThread})
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func openSeedSession(t *testing.T, path string) *label.Session {
	t.Helper()
	items := seedPool(t)
	m := label.SeedModel("huawei", training.DefaultTaxonomy(), mustPreset(t, "topic"), 1)
	s, err := label.Open(path, items, label.Config{Model: m}) // sequential
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustPreset(t *testing.T, name string) classify.Options {
	o, err := classify.Preset(name)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestLabelPool(t *testing.T) {
	items := seedPool(t)
	if len(items) != 50 {
		t.Fatalf("%d items, want 50", len(items))
	}
	replies := 0
	for _, it := range items {
		if it.Parent >= 0 {
			replies++
		}
		if !strings.HasPrefix(it.Thread, "Blocked in U.S.") {
			t.Errorf("%s: thread %q", it.ID, it.Thread)
		}
	}
	if replies != 15 {
		t.Errorf("%d replies with a parent, want 15", replies)
	}
}

// TestLabelScreenFits: every screen fits 80x24, whatever the comment.
func TestLabelScreenFits(t *testing.T) {
	path := filepath.Join(t.TempDir(), "l.jsonl")
	s := openSeedSession(t, path)
	defer s.Close()
	ui := newLabelUI(s, path, 0)
	check := func(what string) {
		t.Helper()
		v := ui.View()
		lines := strings.Split(v, "\n")
		if len(lines) > 24 {
			t.Errorf("%s: %d lines", what, len(lines))
		}
		for _, l := range lines {
			if w := lipgloss.Width(l); w > 80 {
				t.Errorf("%s: line of %d columns: %q", what, w, l)
			}
		}
	}
	for range s.Items() {
		check(ui.s.Items()[ui.cur].ID)
		ui.key("2") // choose an argument: the stance prompt
		check("stance prompt")
		ui.key("enter")
	}
	check("done")
	ui.key("?")
	check("help")
	if s.Labeled() != 50 {
		t.Errorf("%d labeled", s.Labeled())
	}
}

// screenBuffer is a bytes.Buffer safe for one writer and one reader.
type screenBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *screenBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *screenBuffer) contains(want string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Contains(s.b.Bytes(), []byte(want))
}

// TestLabelTUI drives the bubbletea program as a terminal would: label
// three comments (one with an explicit stance), undo one, quit; then
// resume and check the file. (charmbracelet/x/exp/teatest cannot be used
// here: its golden package defines an -update flag, as this package's
// tests do.)
func TestLabelTUI(t *testing.T) {
	path := filepath.Join(t.TempDir(), "labels.jsonl")
	s := openSeedSession(t, path)
	ui := newLabelUI(s, path, 0)
	var out screenBuffer
	p := tea.NewProgram(ui, tea.WithInput(nil), tea.WithOutput(&out), tea.WithoutSignalHandler())
	type result struct {
		m   tea.Model
		err error
	}
	done := make(chan result, 1)
	go func() {
		m, err := p.Run()
		done <- result{m, err}
	}()
	p.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	waitFor := func(want string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !out.contains(want) {
			if time.Now().After(deadline) {
				t.Fatalf("the screen never showed %q", want)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	typeKeys := func(keys string) {
		for _, r := range keys {
			p.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		}
	}
	waitFor("Kai (Oatey)")
	typeKeys("1")
	waitFor("Stance of China untrustworthy?")
	p.Send(tea.KeyMsg{Type: tea.KeyEnter}) // its own stance: against
	waitFor("saved c1")
	typeKeys("62") // US alienates allies, stance 2: against
	waitFor("saved c2")
	typeKeys("7")
	p.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor("saved c3")
	typeKeys("u")
	waitFor("undid c3")
	typeKeys("q")
	var res result
	select {
	case res = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the program did not quit")
	}
	if res.err != nil {
		t.Fatal(res.err)
	}
	final := res.m.(*labelUI)
	if final.err != nil || final.given != 3 || final.undone != 1 {
		t.Fatalf("final: err %v, given %d, undone %d", final.err, final.given, final.undone)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	recs := readRecords(t, path)
	if len(recs) != 4 {
		t.Fatalf("%d records, want 4", len(recs))
	}
	want := []struct{ id, label, stance string }{{"c1", "china-untrustworthy", "against"}, {"c2", "us-alienates-allies", "against"}, {"c3", "europe-naive", "against"}}
	for i, w := range want {
		r := recs[i]
		if r.ID != w.id || r.Label != w.label || r.Stance != w.stance || r.Text == "" || r.Time.IsZero() || r.Retract {
			t.Errorf("record %d: %+v, want %v", i+1, r, w)
		}
	}
	if !recs[3].Retract || recs[3].ID != "c3" {
		t.Errorf("record 4: %+v, want the retraction of c3", recs[3])
	}
	// Resume: c1 and c2 are labeled, c3 comes first again.
	s2 := openSeedSession(t, path)
	defer s2.Close()
	ui2 := newLabelUI(s2, path, 0)
	if s2.Labeled() != 2 || s2.Items()[ui2.cur].ID != "c3" {
		t.Errorf("resumed: %d labeled, showing %s", s2.Labeled(), s2.Items()[ui2.cur].ID)
	}
	if v := ui2.View(); !strings.Contains(v, "2 labeled · 48 left") {
		t.Errorf("resumed screen:\n%s", v)
	}
}

func readRecords(t *testing.T, path string) []label.Record {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var recs []label.Record
	sc := bufio.NewScanner(bytes.NewReader(src))
	for sc.Scan() {
		var r label.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%s: bad line %q: %v", path, sc.Text(), err)
		}
		recs = append(recs, r)
	}
	if len(src) > 0 && src[len(src)-1] != '\n' {
		t.Fatalf("%s does not end with a newline", path)
	}
	return recs
}

// labelBinary builds the stance binary once per test run.
var labelBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "stance-label-test")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "stance")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", &buildError{err, string(out)}
	}
	return bin, nil
})

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

// labelProc is a `stance label` process fed keys on a pipe.
type labelProc struct {
	cmd    *exec.Cmd
	keys   io.WriteCloser
	stderr *bytes.Buffer
}

const testTaxonomy = `subject = "test"
[[arguments]]
id = "one"
name = "One"
cues = ["huawei", "china"]
[[arguments]]
id = "two"
name = "Two"
cues = ["europe", "trump"]
`

func startLabel(t *testing.T, dir string, extra ...string) *labelProc {
	t.Helper()
	bin, err := labelBinary()
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	tax := filepath.Join(dir, "t.toml")
	if err := os.WriteFile(tax, []byte(testTaxonomy), 0o644); err != nil {
		t.Fatal(err)
	}
	thread, _ := filepath.Abs(seedThread)
	args := append([]string{"label", thread, "--taxonomy", tax, "-o", filepath.Join(dir, "labels.jsonl"), "--select", "sequential"}, extra...)
	cmd := exec.Command(bin, args...)
	keys, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &labelProc{cmd: cmd, keys: keys, stderr: &bytes.Buffer{}}
	cmd.Stdout = io.Discard
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return p
}

// typeKey sends a key and waits until the labels file has n lines.
func (p *labelProc) typeKey(t *testing.T, key string, file string, n int) {
	t.Helper()
	if _, err := io.WriteString(p.keys, key); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if src, err := os.ReadFile(file); err == nil && bytes.Count(src, []byte{'\n'}) >= n {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("after key %q: %s has not %d lines; stderr: %s", key, file, n, p.stderr)
}

func (p *labelProc) quit(t *testing.T) {
	t.Helper()
	io.WriteString(p.keys, "q")
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("stance label: %v; stderr: %s", err, p.stderr)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("stance label did not quit; stderr: %s", p.stderr)
	}
}

// TestLabelBinary drives the built binary through a pipe: label three
// comments, undo one, quit, resume, and check the file.
func TestLabelBinary(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "labels.jsonl")
	p := startLabel(t, dir)
	p.typeKey(t, "1", file, 1)
	p.typeKey(t, "2", file, 2)
	p.typeKey(t, "1", file, 3)
	p.typeKey(t, "u", file, 4)
	p.quit(t)
	if !strings.Contains(p.stderr.String(), "3 labels given") || !strings.Contains(p.stderr.String(), "2 in force") {
		t.Errorf("summary: %s", p.stderr)
	}
	// Resume: the undone c3 comes first, then c4.
	p = startLabel(t, dir)
	p.typeKey(t, "2", file, 5)
	p.typeKey(t, "2", file, 6)
	p.quit(t)
	recs := readRecords(t, file)
	var got []string
	for _, r := range recs {
		if r.Retract {
			got = append(got, "-"+r.ID)
		} else {
			got = append(got, r.ID+"="+r.Label)
		}
	}
	if strings.Join(got, " ") != "c1=one c2=two c3=one -c3 c3=two c4=two" {
		t.Errorf("records: %v", got)
	}
	// The labels in force train a model (after --export).
	export := filepath.Join(dir, "train.jsonl")
	bin, _ := labelBinary()
	out, err := exec.Command(bin, "label", seedThread, "--taxonomy", filepath.Join(dir, "t.toml"), "-o", file, "--export", export).CombinedOutput()
	if err != nil {
		t.Fatalf("export: %v: %s", err, out)
	}
	f, _ := os.Open(export)
	defer f.Close()
	docs, err := training.ReadDocs(export, f)
	if err != nil || len(docs) != 4 {
		t.Errorf("exported: %d docs, %v", len(docs), err)
	}
}

// TestLabelKill9 kills the process in the middle of a session: every
// label acknowledged is in the file, the file is whole, and the session
// resumes. Then a torn last line, as a crash in the middle of a write
// would leave, is dropped and reported on resume.
func TestLabelKill9(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGKILL on windows")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "labels.jsonl")
	p := startLabel(t, dir)
	p.typeKey(t, "1", file, 1)
	p.typeKey(t, "2", file, 2)
	p.typeKey(t, "1", file, 3)
	io.WriteString(p.keys, "2121") // a burst, killed mid-way
	time.Sleep(30 * time.Millisecond)
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	p.cmd.Wait()
	recs := readRecords(t, file) // every line whole
	if len(recs) < 3 || len(recs) > 7 {
		t.Fatalf("%d records after kill -9, want 3 to 7", len(recs))
	}
	for i, r := range recs {
		if r.Retract || r.ID != "c"+string(rune('1'+i)) {
			t.Errorf("record %d: %+v", i+1, r)
		}
	}
	n := len(recs)
	// Resume: the next comment is the first unlabeled one.
	p = startLabel(t, dir)
	p.typeKey(t, "1", file, n+1)
	p.quit(t)
	recs = readRecords(t, file)
	if last := recs[len(recs)-1]; last.ID != "c"+string(rune('1'+n)) {
		t.Errorf("resumed label went to %s, want c%d", last.ID, n+1)
	}
	// A torn write.
	f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"id":"c40","text":"Europe will reg`)
	f.Close()
	p = startLabel(t, dir)
	p.quit(t)
	if !strings.Contains(p.stderr.String(), "dropped a truncated last record") {
		t.Errorf("no report of the torn record: %s", p.stderr)
	}
	if got := readRecords(t, file); len(got) != n+1 {
		t.Errorf("%d records after repair, want %d", len(got), n+1)
	}
}

// TestEvalLearningCurve runs `stance eval --learning-curve` on the seed
// labels, tested on the held-out comments, and checks the JSON rows and
// the flag checks.
func TestEvalLearningCurve(t *testing.T) {
	labeled, test := "../../training/default/seed-labels.jsonl", "../../training/testdata/heldout.jsonl"
	code, out, errOut := runCmd(t, "eval", labeled, "--test", test, "--taxonomy", "default", "--preset", "topic",
		"--learning-curve", "10,20,40,100", "--select", "active", "--repeats", "2", "-f", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r struct {
		LearningCurve []struct {
			Labels   *int     `json:"labels"`
			Accuracy *float64 `json:"accuracy"`
			MacroF1  *float64 `json:"macro_f1"`
		} `json:"learning_curve"`
		Select  string `json:"select"`
		Pool    int    `json:"pool"`
		Repeats int    `json:"repeats"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if len(r.LearningCurve) != 4 || r.Select != "active" || r.Pool != 50 || r.Repeats != 2 {
		t.Fatalf("report %+v", r)
	}
	for i, want := range []int{10, 20, 40, 50} {
		p := r.LearningCurve[i]
		if p.Labels == nil || *p.Labels != want || p.Accuracy == nil || p.MacroF1 == nil || *p.Accuracy <= 0 {
			t.Errorf("row %d: %s", i, out)
		}
	}
	code, out, _ = runCmd(t, "eval", labeled, "--test", test, "--taxonomy", "default", "--learning-curve", "10,20", "--select", "random", "--repeats", "1")
	if code != 0 || !strings.Contains(out, "│ select  │ random") || !strings.Contains(out, "│ 20     │") {
		t.Errorf("table (exit %d):\n%s", code, out)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--learning-curve", "10,20"}, "needs --test"},
		{[]string{"--test", test, "--learning-curve", "20,10"}, "ascending"},
		{[]string{"--test", test, "--learning-curve", "x"}, "invalid --learning-curve"},
		{[]string{"--test", test, "--learning-curve", "10", "--select", "smart"}, "invalid --select"},
		{[]string{"--test", test, "--learning-curve", "10", "--repeats", "0"}, "invalid --repeats"},
		{[]string{"--test", test, "--select", "random"}, "needs --learning-curve"},
		{[]string{"--test", test, "--learning-curve", "10", "--alpha", "auto"}, "alpha auto"},
	} {
		code, _, errOut := runCmd(t, append([]string{"eval", labeled, "--taxonomy", "default"}, c.args...)...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %s; want exit 2 and %q", c.args, code, errOut, c.want)
		}
	}
	// A labels file of `stance label` is read with its retractions.
	dir := t.TempDir()
	lf := filepath.Join(dir, "l.jsonl")
	f, _ := os.Open(labeled)
	docs, err := training.ReadDocs(labeled, f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	var recs []label.Record
	for i, d := range docs {
		recs = append(recs, label.Record{ID: fmt.Sprintf("c%d", i+1), Text: d.Text, Label: d.Label(), Labels: d.Labels})
	}
	var buf bytes.Buffer
	if err := label.WriteDocs(&buf, recs); err != nil {
		t.Fatal(err)
	}
	buf.WriteString(`{"id":"c1","retract":true}` + "\n")
	os.WriteFile(lf, buf.Bytes(), 0o644)
	code, out, errOut = runCmd(t, "eval", lf, "--test", test, "--taxonomy", "default", "--learning-curve", "10", "--repeats", "1", "-f", "json")
	if code != 0 || !strings.Contains(out, `"pool": 49`) {
		t.Errorf("labels file with a retraction: exit %d %s\n%s", code, errOut, out)
	}
}
