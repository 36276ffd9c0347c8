package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const parseSeed = "testdata/nyt-huawei-shared-values-2019-12-27.txt"

// parseRun runs the CLI from the repository root with stdin, so that input
// names read as in the README.
func parseRun(t *testing.T, stdin io.Reader, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	atRoot(t)
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	var out, errOut bytes.Buffer
	ios := &IOStreams{In: stdin, Out: &out, ErrOut: &errOut}
	code = run(context.Background(), ios, args)
	return code, out.String(), errOut.String()
}

func TestParseGolden(t *testing.T) {
	tests := []struct {
		golden string
		args   []string
	}{
		{"seed.jsonl", []string{"parse", parseSeed}},
		{"seed.csv", []string{"parse", "-f", "csv", parseSeed}},
		{"seed.table.txt", []string{"parse", "-f", "table", parseSeed}},
		{"page.jsonl", []string{"parse", "testdata/nyt-huawei-shared-values-2019-12-27-page.txt"}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			code, out, errOut := parseRun(t, nil, tt.args...)
			if code != 0 || withoutSummary(t, "parsed", errOut) != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			checkGolden(t, filepath.Join("testdata", "parse", tt.golden), out)
		})
	}
}

func TestParseStdin(t *testing.T) {
	seed, err := os.ReadFile(filepath.Join("..", "..", parseSeed))
	if err != nil {
		t.Fatal(err)
	}
	_, fromFile, _ := parseRun(t, nil, "parse", parseSeed)
	for _, args := range [][]string{{"parse"}, {"parse", "-"}} {
		code, out, errOut := parseRun(t, bytes.NewReader(seed), args...)
		if code != 0 || withoutSummary(t, "parsed", errOut) != "" {
			t.Fatalf("%v: exit %d, stderr %q", args, code, errOut)
		}
		if want := strings.ReplaceAll(fromFile, parseSeed+":", "stdin:"); out != want {
			t.Errorf("%v: stdin output differs from the file's", args)
		}
	}
	// gzip on stdin
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write(seed)
	w.Close()
	code, out, _ := parseRun(t, &gz, "parse", "-f", "csv")
	if code != 0 || strings.Count(out, "\nc") != 50 {
		t.Errorf("gzip stdin: exit %d, %d rows", code, strings.Count(out, "\nc"))
	}
}

// withoutSummary returns stderr without the one-line summary that ends a
// run ("parsed 50 comments (0 skipped) in 0.01 s: ..."), checking that it
// is there, once, last.
func withoutSummary(t *testing.T, verb, stderr string) string {
	t.Helper()
	re := regexp.MustCompile(`(?m)^` + verb + ` \d+ comments \(\d+ skipped\) in [0-9.]+ s: \d+ comments/s\n\z`)
	loc := re.FindStringIndex(stderr)
	if loc == nil {
		t.Fatalf("stderr %q does not end with the %q summary", stderr, verb)
	}
	return stderr[:loc[0]]
}

func TestParseExitCodes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	trunc := write("trunc.jsonl", `{"text":"a"}`+"\n"+`{"text":"b`)
	empty := write("empty.txt", "")
	title := write("title.txt", "Blocked in U.S., Huawei Touts ‘Shared Values’\n\nDec 27, 2019 · 50 comments\n")
	junk := write("junk.bin", "\x00\x01\x02\x03binary")
	wrongCols := write("rows.csv", "text,author\na,Ann\nb,Bo,extra\n")
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"bad format", []string{"parse", "-f", "xml", parseSeed}, 2, "invalid --format \"xml\": valid values are {jsonl|csv|table}"},
		{"bad input format", []string{"parse", "--input-format", "xml", parseSeed}, 2, "invalid --input-format"},
		{"unknown flag", []string{"parse", "--nope"}, 2, "unknown flag"},
		{"missing file", []string{"parse", filepath.Join(dir, "nope.txt")}, 1, "no such file"},
		{"truncated JSON", []string{"parse", trunc}, 1, trunc + ":2:11: truncated JSON"},
		{"empty", []string{"parse", empty}, 0, "warning: " + empty + ": no comments: empty input"},
		{"title only", []string{"parse", title}, 0, "warning: " + title + ":3: no comments: only a title"},
		{"binary", []string{"parse", junk}, 1, junk + ":1: not a text file"},
		{"CSV field count", []string{"parse", wrongCols}, 1, wrongCols + ":3:1: wrong number of fields"},
		{"wrong format forced", []string{"parse", "--input-format", "jsonl", parseSeed}, 1, parseSeed + ":1:1: invalid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := parseRun(t, nil, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.stderr) || !strings.HasPrefix(errOut, "stance: ") {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, tt.code, tt.stderr)
			}
		})
	}
}

func TestParseOutputAtomic(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.jsonl")
	code, stdout, errOut := parseRun(t, nil, "parse", parseSeed, "-o", out)
	if code != 0 || stdout != "" || withoutSummary(t, "parsed", errOut) != "" {
		t.Fatalf("exit %d, stdout %d bytes, stderr %q", code, len(stdout), errOut)
	}
	_, want, _ := parseRun(t, nil, "parse", parseSeed)
	if got, _ := os.ReadFile(out); string(got) != want {
		t.Error("-o file differs from stdout")
	}
	// a failing run leaves the old file alone and no temporary file
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte(`{"text":"a"}`+"\n"+`{"text":5}`+"\n"), 0o644)
	code, _, errOut = parseRun(t, nil, "parse", bad, "-o", out)
	if code != 1 || !strings.Contains(errOut, bad+":2: field text") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if got, _ := os.ReadFile(out); string(got) != want {
		t.Error("a failed run changed the -o file")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("files left: %v", entries)
	}
	// refuses to overwrite its input
	if code, _, errOut := parseRun(t, nil, "parse", bad, "-o", bad); code != 1 || !strings.Contains(errOut, "also an input") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestParseSkipBad(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	var b strings.Builder
	for i := range 20 {
		switch {
		case i%3 == 1:
			b.WriteString(`{"text": 7}` + "\n") // wrong type
		case i == 5:
			b.WriteString(`{"text": "cut` + "\n")
		default:
			b.WriteString(`{"text": "fine", "author": "A"}` + "\n")
		}
	}
	os.WriteFile(in, []byte(b.String()), 0o644)
	code, out, errOut := parseRun(t, nil, "parse", "--skip-bad", in)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if n := strings.Count(out, "\n"); n != 12 {
		t.Errorf("%d comments written, want 12", n)
	}
	if !strings.Contains(errOut, "stance: skipped 8 bad record(s): "+in+":2, "+in+":5, "+in+":6, "+in+":8, "+in+":11 and 3 more\n") {
		t.Errorf("stderr %q", errOut)
	}
	if n := strings.Count(errOut, "warning: skipped"); n != 8 {
		t.Errorf("%d per-record warnings, want 8", n)
	}
	// --quiet keeps the summary, drops the per-record lines
	_, _, errOut = parseRun(t, nil, "parse", "--skip-bad", "--quiet", in)
	if strings.Contains(errOut, "warning") || !strings.Contains(errOut, "skipped 8 bad record(s)") {
		t.Errorf("quiet stderr %q", errOut)
	}
	// without --skip-bad the first bad record stops; the records before it
	// are written whole
	code, out, errOut = parseRun(t, nil, "parse", in)
	if code != 1 || strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "}\n") || !strings.Contains(errOut, in+":2: field text: wrong type") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestParseWarnings(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "t.txt")
	os.WriteFile(in, []byte("Title\n\nDec 27, 2019 · 3 comments\nAnn (Oslo)\nK\xf6ln.\nBo (Rome)\n@Ann hi\n"), 0o644)
	code, out, errOut := parseRun(t, nil, "parse", in)
	if code != 0 || strings.Count(out, "\n") != 2 {
		t.Fatalf("exit %d, out %q", code, out)
	}
	for _, w := range []string{"parsed 2 comments, the page declares 3", "replaced 1 invalid UTF-8 bytes"} {
		if !strings.Contains(errOut, "stance: warning: "+in+": "+w) {
			t.Errorf("stderr %q lacks %q", errOut, w)
		}
	}
	if _, _, errOut := parseRun(t, nil, "parse", "--quiet", in); errOut != "" {
		t.Errorf("--quiet stderr %q", errOut)
	}
}

func TestParseColumnsAndFiles(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.csv")
	os.WriteFile(a, []byte("who,body_txt,where\nAnn,Huawei is fine,Oslo\nBo,@Ann no,Rome\n"), 0o644)
	code, out, errOut := parseRun(t, nil, "parse", "--text-col", "body_txt", "--author-col", "who", "--location-col", "where", a, parseSeed)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 52 {
		t.Fatalf("%d comments, want 2 + 50", len(lines))
	}
	want := `{"id":"c2","author":"Bo","location":"Rome","text":"@Ann no","reply_to":"Ann","parent":"c1","depth":1,"source":"` + a + `:3"}`
	if lines[1] != want {
		t.Errorf("got %s\nwant %s", lines[1], want)
	}
	// the second file starts its own IDs and threads
	if !strings.HasPrefix(lines[2], `{"id":"c1","author":"Kai"`) {
		t.Errorf("second file: %s", lines[2])
	}
	// without the mapping the CSV has no text column
	if code, _, errOut := parseRun(t, nil, "parse", "--input-format", "csv", a); code != 1 || !strings.Contains(errOut, a+":1: field text") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestParseHelp(t *testing.T) {
	code, out, _ := parseRun(t, nil, "parse", "--help")
	for _, s := range []string{"Examples:", "--skip-bad", "--input-format", "--text-col", "-o, --output", "nytapi"} {
		if !strings.Contains(out, s) {
			t.Errorf("help lacks %q", s)
		}
	}
	if code != 0 {
		t.Errorf("exit %d", code)
	}
}

func TestParseInterrupted(t *testing.T) {
	atRoot(t)
	out := filepath.Join(t.TempDir(), "out.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, &IOStreams{In: strings.NewReader(""), Out: &stdout, ErrOut: &stderr}, []string{"parse", parseSeed, "-o", out})
	if code != 130 || !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("exit %d, stderr %q; want 130", code, stderr.String())
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("-o file exists after an interrupt: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 0 {
		t.Errorf("files left: %v", entries)
	}
}
