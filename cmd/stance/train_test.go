package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stance-dev/stance/training"
)

func TestTrainSaveLoadPredict(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "m.json.gz")
	seed := "../../training/default/seed-labels.jsonl"
	code, stdout, errOut := runCmd(t, "train", seed, "--taxonomy", "default", "--preset", "topic", "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	m, err := loadModel(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Class", "Labeled", "Weighted tokens", "china-untrustworthy", "(50 labeled)", "vocabulary", m.ID(), m.Hash()} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	// Same data and options as the default model: same predictions.
	def, _ := loadModel("")
	f, _ := os.Open(seed)
	docs, err := training.ReadDocs(seed, f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if a, b := m.Predict(d.Text), def.Predict(d.Text); a.Label != b.Label {
			t.Errorf("trained %s, default %s", a.Label, b.Label)
		}
	}
	// Plain JSON output, no taxonomy, fastText from stdin.
	plain := filepath.Join(dir, "p.json")
	ios, outb, errb := testStreams("__label__a x y z\n__label__b u v w\n")
	if code := run(t.Context(), ios, []string{"train", "-", "--preset", "opinion", "--alpha", "auto", "--name", "ab", "-o", plain}); code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	pm, err := loadModel(plain)
	if err != nil {
		t.Fatal(err)
	}
	if pm.Name != "ab" || pm.Taxonomy != nil || len(pm.Classes()) != 2 || !strings.Contains(outb.String(), "alpha auto: chose") {
		t.Errorf("model %s classes %v taxonomy %v; out %s", pm.ID(), pm.Classes(), pm.Taxonomy, outb)
	}
	if p := pm.Predict("x z"); p.Label != "a" {
		t.Errorf("predict %+v", p)
	}
}

func TestTrainErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("text,label\nhello,no-evidence\n\"multi\nline\",\n"), 0o644)
	unknown := filepath.Join(dir, "u.jsonl")
	os.WriteFile(unknown, []byte("{\"text\":\"a\",\"label\":\"no-evidence\"}\n{\"text\":\"b\",\"label\":\"cats\"}\n"), 0o644)
	out := filepath.Join(dir, "m.json")
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"train", bad}, 2, "-o/--output is required"},
		{[]string{"train", bad, "-o", out}, 1, bad + ":3: field label: no label"},
		{[]string{"train", unknown, "--taxonomy", "default", "-o", out}, 1, unknown + `:2: field label: unknown label "cats"`},
		{[]string{"train", unknown, "--add-labels", "-o", out}, 2, "--add-labels needs --taxonomy"},
		{[]string{"train", unknown, "--abstain", "1.5", "-o", out}, 2, "invalid --abstain 1.5"},
		{[]string{"train", unknown, "--cue-weight", "-1", "-o", out}, 2, "invalid --cue-weight -1"},
		{[]string{"train", unknown, "--taxonomy", filepath.Join(dir, "none.toml"), "-o", out}, 1, "open taxonomy"},
	}
	for _, c := range cases {
		code, _, errOut := runCmd(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", c.args[1:], code, errOut, c.code, c.want)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed train left %s", out)
	}
	// --add-labels extends the taxonomy.
	code, _, errOut := runCmd(t, "train", unknown, "--taxonomy", "default", "--add-labels", "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	m, err := loadModel(out)
	if err != nil {
		t.Fatal(err)
	}
	if cl := m.Classes(); len(cl) != 9 || cl[8] != "cats" {
		t.Errorf("classes %v", cl)
	}
}

func TestTrainFlags(t *testing.T) {
	var got *trainOptions
	ios, _, _ := testStreams("")
	cmd := newTrainCommand(ios, func(o *trainOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"a.jsonl", "b.csv", "--preset", "opinion", "--complement", "--binary=false", "--alpha", "0.2", "-o", "m.json"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	cfg, err := got.config(got.Paths)
	if err != nil {
		t.Fatal(err)
	}
	o := cfg.Options
	if !o.Complement || o.Binary || !o.Bigrams || !o.Negation || o.Alpha != 0.2 || o.Abstain != 0 || cfg.Name != "a" || cfg.Taxonomy != nil {
		t.Errorf("config %+v", cfg)
	}
	if strings.Join(got.Paths, ",") != "a.jsonl,b.csv" || got.Output != "m.json" {
		t.Errorf("options %+v", got)
	}
}

// TestTrainAbstainNeedsFallback checks that --abstain without a fallback
// class to fall back to is a usage error, and works with one.
func TestTrainAbstainNeedsFallback(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		wantErr bool
	}{
		{[]string{"a.jsonl", "--abstain", "0.4", "-o", "m.json"}, true},
		{[]string{"a.jsonl", "--abstain", "0", "-o", "m.json"}, false},
		{[]string{"a.jsonl", "--abstain", "0.4", "--taxonomy", "default", "-o", "m.json"}, false},
	} {
		var got *trainOptions
		ios, _, _ := testStreams("")
		cmd := newTrainCommand(ios, func(o *trainOptions) error { got = o; return nil })
		cmd.SetArgs(tc.args)
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		_, err := got.config(got.Paths)
		var ue usageError
		if tc.wantErr != (err != nil) || (err != nil && !errors.As(err, &ue)) {
			t.Errorf("%v: error %v, want a usage error: %v", tc.args, err, tc.wantErr)
		}
	}
}

func TestTrainHelp(t *testing.T) {
	_, out, _ := runCmd(t, "train", "--help")
	for _, flag := range []string{"--taxonomy", "--add-labels", "--alpha", "--complement", "--tfidf", "--binary", "--bigrams", "--negation", "--abstain", "--preset", "--cue-weight", "--name", "-o, --output", "Examples:", "__label__"} {
		if !strings.Contains(out, flag) {
			t.Errorf("help lacks %s", flag)
		}
	}
}

// TestTrainStreamed trains on more documents than training holds in
// memory (training.SmallData), from a file and from stdin: the two models
// are the same, calibrated, with the summary's labeled counts of all the
// documents.
func TestTrainStreamed(t *testing.T) {
	dir := t.TempDir()
	var sb strings.Builder
	n := training.SmallData + 500
	words := strings.Fields("china huawei network security spy trust values market price phone")
	for i := range n {
		fmt.Fprintf(&sb, "__label__k%d %s %s %s\n", i%3, words[i%len(words)], words[(i*7)%len(words)], words[(i/3+i%3)%len(words)])
	}
	in := filepath.Join(dir, "train.ft")
	if err := os.WriteFile(in, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	fromFile := filepath.Join(dir, "f.json")
	code, stdout, errOut := runCmd(t, "train", in, "--name", "s", "-o", fromFile)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(stdout, fmt.Sprintf("(%d labeled)", n)) {
		t.Errorf("summary:\n%s", stdout)
	}
	fromStdin := filepath.Join(dir, "s.json")
	ios, _, errb := testStreams(sb.String())
	if code := run(t.Context(), ios, []string{"train", "-", "--name", "s", "-o", fromStdin}); code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	a, err := loadModel(fromFile)
	if err != nil {
		t.Fatal(err)
	}
	b, err := loadModel(fromStdin)
	if err != nil {
		t.Fatal(err)
	}
	if a.Hash() != b.Hash() || a.Heldout() == nil || a.Heldout().Documents != n || a.Training.Documents != int64(n) {
		t.Errorf("file %s, stdin %s; held-out %v", a.ID(), b.ID(), a.Heldout() != nil)
	}
}

// cancelAtEOF is a reader that cancels a context when its reader is done:
// the command has read all its input and is training or evaluating.
type cancelAtEOF struct {
	r      io.Reader
	cancel func()
}

func (c *cancelAtEOF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err == io.EOF {
		c.cancel()
	}
	return n, err
}

// TestTrainEvalInterrupted checks that SIGINT/SIGTERM (the command's
// context cancelled) stops train and eval while they train or
// cross-validate, not only while they read: exit 130, "interrupted", no
// model and no report. Before, both ran on to the end, wrote the model,
// and exited 0.
func TestTrainEvalInterrupted(t *testing.T) {
	var sb strings.Builder
	words := strings.Fields("china huawei network security spy trust values market price phone europe nsa")
	for i := range 10000 {
		fmt.Fprintf(&sb, "__label__k%d %s %s %s %s\n", i%3, words[i%len(words)], words[(i*7)%len(words)],
			words[(i/3+i%3)%len(words)], words[(i*5+i%3)%len(words)])
	}
	for _, args := range [][]string{{"train", "-", "-o", "MODEL"}, {"eval", "-", "--folds", "10"}} {
		dir := t.TempDir()
		model := filepath.Join(dir, "m.stm")
		args = slices.Clone(args)
		for i, a := range args {
			if a == "MODEL" {
				args[i] = model
			}
		}
		ctx, cancel := context.WithCancel(t.Context())
		var out, errb bytes.Buffer
		// ErrTTY: the search reports its progress from the training's
		// goroutine, which goes on after the command returns, muted.
		ios := &IOStreams{In: &cancelAtEOF{r: strings.NewReader(sb.String()), cancel: cancel}, Out: &out, ErrOut: &errb, ErrTTY: true}
		code := run(ctx, ios, args)
		cancel()
		if code != exitInterrupted || !strings.Contains(errb.String(), "interrupted") || out.Len() > 0 {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", args[0], code, out.String(), errb.String())
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 0 {
			t.Errorf("%s: files left: %v", args[0], ents)
		}
	}
}
