package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stance-dev/stance/classify"
)

const tableSeed = "testdata/nyt-huawei-shared-values-2019-12-27.txt"

// tableRun runs the CLI with args from the repository root, so that the
// input names in captions read as in the README.
func tableRun(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	atRoot(t)
	var out, errOut bytes.Buffer
	ios := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	code = run(context.Background(), ios, args)
	return code, out.String(), errOut.String()
}

// TestTableGolden runs the seed thread through the real pipeline (comments
// reader, embedded default model, scorer, report) for every table and
// format, and compares the output byte for byte with
// testdata/golden/table/.
func TestTableGolden(t *testing.T) {
	ext := map[string]string{"table": "txt", "markdown": "md", "csv": "csv", "json": "json", "html": "html"}
	type gold struct {
		name string
		args []string
	}
	var cases []gold
	for _, by := range []string{"argument", "stance", "exchange", "comments"} {
		for _, f := range []string{"table", "markdown", "csv", "json"} {
			cases = append(cases, gold{by + "." + ext[f], []string{"--by", by, "-f", f}})
		}
	}
	cases = append(cases,
		gold{"argument.html", []string{"-f", "html"}},
		gold{"argument-per-author.txt", []string{"--per-author"}},
		gold{"argument-cc.txt", []string{"--estimate", "cc"}},
		gold{"stance-recommendations-per-author.json", []string{"--by", "stance", "-f", "json", "--weight", "recommendations", "--per-author", "--seed", "7"}},
	)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, got, stderr := tableRun(t, append([]string{"table", tableSeed}, tc.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			checkGolden(t, filepath.Join("testdata", "golden", "table", tc.name), got)
		})
	}
}

// TestTableMachineFormats checks the CSV and JSON contracts on the seed
// thread: CSV has a model column on every record and one record per row; the
// JSON caption carries input, comment count, model name and hash, and the
// weighting, and counts add up to the comments.
func TestTableMachineFormats(t *testing.T) {
	code, out, stderr := tableRun(t, "table", tableSeed, "-f", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if recs[0][0] != "model" || len(recs) != 1+8+1 || recs[len(recs)-1][1] != "unclear" {
		t.Fatalf("csv header %v, %d records; want a model column, 8 argument rows and the unclear row", recs[0], len(recs)-1)
	}
	for _, r := range recs[1:] {
		if !strings.HasPrefix(r[0], "huawei@") || len(r[0]) != len("huawei@")+12 {
			t.Errorf("model column %q, want huawei@<12 hex>", r[0])
		}
	}

	_, out, _ = tableRun(t, "table", tableSeed, "-f", "json", "--weight", "recommendations")
	var doc struct {
		Schema string
		Input  struct {
			Files    []string
			Comments int
		}
		Model     struct{ Name, Hash, ID string }
		Weighting struct {
			Weight    string
			Total     float64
			Interval  string
			Bootstrap int
			Seed      int64
		}
		Rows []map[string]any
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != "stance.table/v2" || doc.Input.Comments != 50 || len(doc.Input.Files) != 1 ||
		doc.Model.Name != "huawei" || len(doc.Model.Hash) < 12 || !strings.HasPrefix(doc.Model.ID, "huawei@"+doc.Model.Hash[:12]) ||
		doc.Weighting.Weight != "recommendations" || doc.Weighting.Interval != "bootstrap" || doc.Weighting.Bootstrap != 2000 || doc.Weighting.Seed != 1 {
		t.Errorf("json caption = %+v", doc)
	}
	var total float64
	for _, r := range doc.Rows {
		total += r["count"].(float64)
	}
	if total != doc.Weighting.Total {
		t.Errorf("weighted counts add to %v, total weight %v", total, doc.Weighting.Total)
	}
}

// TestTableDeterministic: the same seed gives the same bootstrap intervals,
// and -o writes what stdout would.
func TestTableDeterministic(t *testing.T) {
	args := []string{"table", tableSeed, "--weight", "recommendations", "--per-author", "--seed", "42", "--bootstrap", "500"}
	_, a, _ := tableRun(t, args...)
	_, b, _ := tableRun(t, args...)
	if a != b || a == "" {
		t.Fatalf("two runs differ")
	}
	other := slices.Clone(args)
	other[len(other)-3] = "43"
	_, c, _ := tableRun(t, other...)
	if c == a {
		t.Errorf("seed 43 printed the same intervals as seed 42")
	}
	dir := t.TempDir()
	outFile := filepath.Join(dir, "t.txt")
	if code, _, stderr := tableRun(t, append(args, "-o", outFile)...); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got, err := os.ReadFile(outFile)
	if err != nil || string(got) != a {
		t.Errorf("-o file differs from stdout (err %v)", err)
	}
}

func TestTableUsage(t *testing.T) {
	for _, args := range [][]string{
		{"table", tableSeed, "--by", "author"},
		{"table", tableSeed, "-f", "xml"},
		{"table", tableSeed, "--weight", "likes"},
		{"table", tableSeed, "--bootstrap", "0"},
		{"table", tableSeed, "--input-format", "docx"},
		{"table", tableSeed, "--seed", "x"},
	} {
		code, _, stderr := tableRun(t, args...)
		if code != exitUsage || !strings.Contains(stderr, "invalid") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 naming the invalid value", args[2:], code, stderr)
		}
	}
	code, _, stderr := tableRun(t, "table", "testdata/no-such-thread.txt")
	if code != exitData || !strings.Contains(stderr, "no-such-thread.txt") {
		t.Errorf("missing file: exit %d, stderr %q", code, stderr)
	}
	code, out, _ := tableRun(t, "table", "--help")
	if code != 0 || !strings.Contains(out, "Examples:") || !strings.Contains(out, "--per-author") || !strings.Contains(out, "rebuttal") {
		t.Errorf("--help: exit %d, output lacks examples or flags:\n%s", code, out)
	}
}

// TestTableSkipBadAndInterrupt: skipped records are counted in the caption;
// a cancelled context exits 130.
func TestTableSkipBadAndInterrupt(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.jsonl")
	data := `{"id":"a","author":"Ann","text":"Huawei is a tool of the CCP."}
{"id":"b","author":"Bob","text":
{"id":"c","author":"Cy","parent":"a","text":"There is zero evidence of any backdoor."}
`
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := tableRun(t, "table", path)
	if code != exitData || !strings.Contains(stderr, "c.jsonl:2") {
		t.Errorf("bad record: exit %d, stderr %q; want exit 1 naming c.jsonl:2", code, stderr)
	}
	code, out, stderr := tableRun(t, "table", path, "--skip-bad", "--quiet", "-f", "json")
	if code != 0 {
		t.Fatalf("--skip-bad: exit %d: %s", code, stderr)
	}
	var doc struct {
		Input struct{ Comments, Skipped int }
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Input.Comments != 2 || doc.Input.Skipped != 1 {
		t.Errorf("input %+v, want 2 comments and 1 skipped", doc.Input)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	atRoot(t)
	var sink bytes.Buffer
	ios := &IOStreams{In: strings.NewReader(""), Out: &sink, ErrOut: &sink}
	if code := run(ctx, ios, []string{"table", tableSeed}); code != exitInterrupted {
		t.Errorf("cancelled: exit %d, want %d", code, exitInterrupted)
	}
}

// TestTableModelWithoutTaxonomy: a model without taxonomy gives one row per
// class and no stance column; the stance table is a data error.
func TestTableModelWithoutTaxonomy(t *testing.T) {
	m := classify.NewModel("plain", nil, []string{"china", "usa"}, classify.Options{Alpha: 1})
	m.Learn("china ccp party state control beijing", []string{"china"}, 1)
	m.Learn("nsa snowden spying america trump", []string{"usa"}, 1)
	path := filepath.Join(t.TempDir(), "plain.json")
	var buf bytes.Buffer
	if err := m.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := tableRun(t, "table", tableSeed, "--model", path, "-f", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || slices.Contains(recs[0], "stance") || !strings.HasPrefix(recs[1][0], "plain@") {
		t.Errorf("csv without taxonomy:\n%s", out)
	}
	var total int
	for _, r := range recs[1:] {
		n, _ := strconv.Atoi(r[slices.Index(recs[0], "count")])
		total += n
	}
	if total != 50 {
		t.Errorf("counts add to %d, want 50", total)
	}
	code, _, stderr = tableRun(t, "table", tableSeed, "--model", path, "--by", "stance")
	if code != exitData || !strings.Contains(stderr, "taxonomy") {
		t.Errorf("stance table without taxonomy: exit %d, %q", code, stderr)
	}
}
