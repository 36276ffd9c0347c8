package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/olekukonko/tablewriter"

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
		// The other formats are the same tables through package report's
		// renderers.
		{"seed-default.md", []string{"eval", "training/default/seed-labels.jsonl", "--taxonomy", "default", "--preset", "topic", "-f", "markdown"}},
		{"seed-default.csv", []string{"eval", "training/default/seed-labels.jsonl", "--taxonomy", "default", "--preset", "topic", "-f", "csv"}},
		{"heldout-default.md", []string{"eval", "training/default/seed-labels.jsonl", "--taxonomy", "default", "--preset", "topic",
			"--test", "training/testdata/heldout.jsonl", "-f", "markdown", "--metric", "f-pair=no-evidence,state-control"}},
		{"heldout-default.csv", []string{"eval", "training/default/seed-labels.jsonl", "--taxonomy", "default", "--preset", "topic",
			"--test", "training/testdata/heldout.jsonl", "-f", "csv"}},
	}
	for _, c := range cases {
		t.Run(c.golden, func(t *testing.T) {
			code, out, errOut := runCmd(t, c.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			checkGolden(t, filepath.Join("testdata/golden/eval", c.golden), out)
		})
	}
	// The evaluated configuration is exactly the default model's.
	m, err := training.Default()
	if err != nil {
		t.Fatal(err)
	}
	_, out, _ := runCmd(t, "eval", "training/default/seed-labels.jsonl", "--taxonomy", "default", "--preset", "topic", "-f", "json")
	var r training.EvalReport
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

// writeTwoLabels writes n lines of fastText data to dir, a and b in turn,
// and returns the file's path.
func writeTwoLabels(t *testing.T, dir string, n int, a, b string) string {
	t.Helper()
	var s strings.Builder
	for i := range n {
		if i%2 == 0 {
			s.WriteString(a + "\n")
		} else {
			s.WriteString(b + "\n")
		}
	}
	p := filepath.Join(dir, "ft.txt")
	if err := os.WriteFile(p, []byte(s.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestEvalWithoutTaxonomy(t *testing.T) {
	// fastText data, no taxonomy: the classes are the labels found.
	p := writeTwoLabels(t, t.TempDir(), 30, "__label__pos a great fine lovely film", "__label__neg a dull awful boring film")
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

// localeOutEnv names the file TestLocaleChild writes to. Set, the test
// binary is the child that TestEvalLocale runs under another locale.
const localeOutEnv = "STANCE_TEST_LOCALE_OUT"

// TestEvalLocale checks that eval's tables are the same bytes whatever the
// locale. Under a Chinese UTF-8 locale (in a terminal tablewriter does not
// know as modern), or with RUNEWIDTH_EASTASIAN=1, tablewriter counts East Asian ambiguous characters ("±", "–", Greek
// letters) as two columns wide; the one table setup (internal/textable)
// pins them to one. The width is chosen when a process starts, so each
// locale runs in a child process: this test binary, running
// TestLocaleChild. A control table drawn with tablewriter's defaults shows
// that the locales do change widths, so the test can fail.
func TestEvalLocale(t *testing.T) {
	dir := t.TempDir()
	data := writeTwoLabels(t, dir, 12, "__label__α-for a great fine lovely plan", "__label__β-against a dull awful risky plan")
	run := func(env ...string) (eval, control string) {
		t.Helper()
		out := filepath.Join(dir, "out.txt")
		cmd := exec.Command(os.Args[0], "-test.run=^TestLocaleChild$", "-test.count=1")
		// Without the terminal's variables (TERM=xterm, TERM_PROGRAM...),
		// which tablewriter takes to mean single widths whatever the
		// locale, as on a Linux console or under cron.
		for _, kv := range os.Environ() {
			keep := true
			for _, p := range []string{"LANG=", "LC_", "RUNEWIDTH_", "TERM", "VTE_", "WT_", "WSL_", "ConEmu", "ALACRITTY", "KITTY"} {
				keep = keep && !strings.HasPrefix(kv, p)
			}
			if keep {
				cmd.Env = append(cmd.Env, kv)
			}
		}
		cmd.Env = append(cmd.Env, append(env, localeOutEnv+"="+out, "STANCE_TEST_LOCALE_DATA="+data)...)
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", env, err, msg)
		}
		got, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		eval, control, _ = strings.Cut(string(got), "\x00")
		return eval, control
	}
	cEval, cControl := run("LANG=C", "LC_ALL=C")
	if !strings.Contains(cEval, "f-pair (α-for, β-against)") || !strings.Contains(cEval, "│ Labels │ Accuracy │     ± │") {
		t.Fatalf("the outputs lack the ambiguous characters the test is about:\n%s", cEval)
	}
	for _, env := range [][]string{{"LANG=zh_CN.UTF-8", "LC_ALL=zh_CN.UTF-8"}, {"LANG=C", "LC_ALL=C", "RUNEWIDTH_EASTASIAN=1"}} {
		eval, control := run(env...)
		if control == cControl {
			t.Errorf("%v: tablewriter's default widths are those of the C locale: the test shows nothing", env)
		}
		if eval != cEval {
			t.Errorf("%v: eval output differs from the C locale's:\n%s\nC locale:\n%s", env, eval, cEval)
		}
	}
}

// TestLocaleChild writes, when run by TestEvalLocale, the output of eval
// (its report, then a learning curve) and, after a NUL byte, a control
// table drawn with tablewriter's defaults.
func TestLocaleChild(t *testing.T) {
	out := os.Getenv(localeOutEnv)
	if out == "" {
		t.Skip("run by TestEvalLocale")
	}
	data := os.Getenv("STANCE_TEST_LOCALE_DATA")
	// The control comes first: setting the East Asian width of one
	// tablewriter table sets it for the whole process.
	var control strings.Builder
	tbl := tablewriter.NewTable(&control)
	tbl.Header("±")
	if err := tbl.Append([]string{"α–β"}); err != nil {
		t.Fatal(err)
	}
	if err := tbl.Render(); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, args := range [][]string{
		{"eval", data, "--folds", "3", "--metric", "f-pair=α-for,β-against"},
		{"eval", data, "--learning-curve", "4,8", "--test", data, "--repeats", "2"},
	} {
		code, stdout, stderr := runCmd(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		b.WriteString(stdout)
	}
	b.WriteByte(0)
	b.WriteString(control.String())
	if err := os.WriteFile(out, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestEvalHTML checks that eval -f html is one page with a section per
// table of the report, and names the model measured.
func TestEvalHTML(t *testing.T) {
	code, out, errOut := runCmd(t, "eval", "../../training/default/seed-labels.jsonl", "--taxonomy", "default", "--preset", "topic", "-f", "html")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	m, err := training.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<!DOCTYPE html>", "<h1>Evaluation of " + m.ID() + "</h1>", `<table data-table="summary">`,
		`<table data-table="per-class">`, `<table data-table="confusion">`, "<td>china-untrustworthy</td>", "model " + m.ID() + "."} {
		if !strings.Contains(out, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Count(out, "<section ") != 3 {
		t.Errorf("%d sections, want 3", strings.Count(out, "<section "))
	}
}
