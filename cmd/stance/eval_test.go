package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stance-dev/stance/training"
)

// runCmd runs `stance args...` with empty stdin.
func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	ios := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errb}
	code = run(context.Background(), ios, args)
	return code, out.String(), errb.String()
}

// TestEvalGolden runs, at the repository root, the command whose table the
// README shows: the cross-validated quality of the default model.
// Refresh with `go test ./cmd/stance -run EvalGolden -update`.
func TestEvalGolden(t *testing.T) {
	t.Chdir("../..")
	cases := []struct {
		golden string
		args   []string
	}{
		{"seed-default.txt", []string{"eval", "training/default/seed-labels.jsonl", "--taxonomy", "default", "--preset", "topic"}},
		{"seed-default.json", []string{"eval", "training/default/seed-labels.jsonl", "--taxonomy", "default", "--preset", "topic",
			"-f", "json", "--metric", "f-pair=no-evidence,state-control"}},
		{"heldout-default.txt", []string{"eval", "training/default/seed-labels.jsonl", "--taxonomy", "default", "--preset", "topic",
			"--test", "training/testdata/heldout.jsonl"}},
	}
	for _, c := range cases {
		t.Run(c.golden, func(t *testing.T) {
			code, out, errOut := runCmd(t, c.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			path := filepath.Join("testdata/golden/eval", c.golden)
			if *update {
				if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if out != string(want) {
				t.Errorf("output differs from %s (rerun with -update if intended):\n%s", path, out)
			}
		})
	}
	// The evaluated configuration is exactly the default model's.
	m, err := training.Default()
	if err != nil {
		t.Fatal(err)
	}
	_, out, _ := runCmd(t, "eval", "training/default/seed-labels.jsonl", "--taxonomy", "default", "--preset", "topic", "-f", "json")
	var r training.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Model != m.ID() {
		t.Errorf("eval measured %s, the default model is %s", r.Model, m.ID())
	}
}

func TestEvalJSONSchema(t *testing.T) {
	code, out, errOut := runCmd(t, "eval", "../../training/default/seed-labels.jsonl", "--taxonomy", "default",
		"--folds", "5", "--seed", "3", "-f", "json", "--metric", "f-pair=no-evidence,state-control")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &top); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"accuracy", "macro_f1", "kappa", "f_pair", "per_class", "confusion", "baseline"} {
		if _, ok := top[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	// The headline numbers come first.
	if !strings.HasPrefix(out, "{\n  \"accuracy\": ") || strings.Index(out, `"kappa"`) > strings.Index(out, `"per_class"`) {
		t.Errorf("headline numbers not first:\n%.200s", out)
	}
	// Deterministic for a seed.
	_, again, _ := runCmd(t, "eval", "../../training/default/seed-labels.jsonl", "--taxonomy", "default",
		"--folds", "5", "--seed", "3", "-f", "json", "--metric", "f-pair=no-evidence,state-control")
	if again != out {
		t.Errorf("eval is not deterministic for a seed")
	}
}

func TestEvalErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte("{\"text\":\"a\",\"label\":\"no-evidence\"}\n{\"text\":\"b\",\"label\":\"cats\"}\n"), 0o644)
	badTax := filepath.Join(dir, "t.toml")
	os.WriteFile(badTax, []byte("stances = [\"for\"]\n[[arguments]]\nid = \"a\"\nname = \"A\"\nstance = \"pro\"\n"), 0o644)
	seed := "../../training/default/seed-labels.jsonl"
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"eval", bad, "--taxonomy", "default"}, 1, bad + `:2: field label: unknown label "cats": not in the taxonomy`},
		{[]string{"eval", seed, "--taxonomy", badTax}, 1, badTax + `:5: field stance: argument "a" has unknown stance "pro" (stances: for)`},
		{[]string{"eval", seed, "--folds", "1"}, 2, "invalid --folds 1"},
		{[]string{"eval", seed, "--metric", "f1"}, 2, `invalid --metric "f1": want f-pair=A,B`},
		{[]string{"eval", seed, "--metric", "f-pair=a,b"}, 2, `--metric f-pair: unknown class "a"`},
		{[]string{"eval", seed, "--test", seed, "--folds", "3"}, 2, "--folds and --test exclude each other"},
		{[]string{"eval", seed, "--alpha", "zero"}, 2, `invalid --alpha "zero"`},
		{[]string{"eval", seed, "--preset", "fast"}, 2, `invalid --preset: unknown preset "fast"`},
		{[]string{"eval", seed, "-f", "xml"}, 2, `invalid --format "xml"`},
		{[]string{"eval", filepath.Join(dir, "missing.jsonl")}, 1, "open labeled data"},
		{[]string{"eval"}, 2, "requires at least 1 arg"},
		{[]string{"eval", "-", "--test", "-"}, 2, "cannot both read stdin"},
	}
	for _, c := range cases {
		code, _, errOut := runCmd(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", c.args[1:], code, errOut, c.code, c.want)
		}
	}
}

func TestEvalWithoutTaxonomy(t *testing.T) {
	// fastText data, no taxonomy: the classes are the labels found.
	dir := t.TempDir()
	var b strings.Builder
	for i := range 30 {
		if i%2 == 0 {
			b.WriteString("__label__pos a great fine lovely film\n")
		} else {
			b.WriteString("__label__neg a dull awful boring film\n")
		}
	}
	p := filepath.Join(dir, "ft.txt")
	os.WriteFile(p, []byte(b.String()), 0o644)
	code, out, errOut := runCmd(t, "eval", p, "--preset", "opinion", "--folds", "3", "--metric", "f-pair=pos,neg")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"stratified 3-fold cross-validation, 30 documents", "│ accuracy          │ 1.000", "f-pair (pos, neg) │ 1.000"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestEvalHelp(t *testing.T) {
	code, out, _ := runCmd(t, "eval", "--help")
	for _, flag := range []string{"--folds", "--test", "--seed", "--metric", "--taxonomy", "--preset", "--alpha", "--cue-weight", "Examples:"} {
		if !strings.Contains(out, flag) {
			t.Errorf("help lacks %s", flag)
		}
	}
	if code != 0 {
		t.Errorf("exit %d", code)
	}
}

// TestEvalTestStdin checks that --test - reads the test set from stdin and
// gives the same report as the file (the README's held-out table).
func TestEvalTestStdin(t *testing.T) {
	t.Chdir("../..")
	held, err := os.ReadFile("training/testdata/heldout.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/golden/eval/heldout-default.txt")
	if err != nil {
		t.Fatal(err)
	}
	ios, out, errOut := testStreams(string(held))
	code := run(context.Background(), ios, []string{"eval", "training/default/seed-labels.jsonl", "--taxonomy", "default", "--preset", "topic", "--test", "-"})
	if code != 0 || out.String() != string(want) {
		t.Errorf("eval --test -: exit %d (stderr %q), output:\n%s\nwant:\n%s", code, errOut, out, want)
	}
}
