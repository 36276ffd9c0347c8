package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stance-dev/stance/classify"
)

func sampleTable(t *testing.T, opt Options) *Table {
	tax := testTaxonomy()
	res := []classify.Result{
		result(tax, "c1", "Jürgen — 東京", "spy", -0.5, "", 2),
		result(tax, "c2", "Bob", "cheap", 0.4, "c1", 0),
		result(tax, "c3", "Ann", "spy", 0.1, "", 0),
	}
	res[0].Comment.Location = "Köln | “Rhein”"
	tb, err := Build(res, testModel(), Input{Names: []string{"a|b.txt"}, Thread: "Title"}, opt)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func render(t *testing.T, format string, tb *Table) string {
	t.Helper()
	r, err := NewRenderer(format)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := r.Render(&b, tb); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestNewRenderer(t *testing.T) {
	for _, f := range append(Formats, "md") {
		if _, err := NewRenderer(f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	if _, err := NewRenderer("xml"); err == nil || !strings.Contains(err.Error(), "table|markdown|csv|json|jsonl|html") {
		t.Errorf("unknown format: %v", err)
	}
}

// TestTextWidths: every line of the box has the same width, counting East
// Asian ambiguous characters (—, “) as narrow and wide ones (東京) as two
// columns, whatever the locale says.
func TestTextWidths(t *testing.T) {
	for _, env := range []string{"1", "0"} {
		t.Setenv("RUNEWIDTH_EASTASIAN", env)
		out := render(t, "table", sampleTable(t, Options{By: ByComments}))
		width := -1
		for _, l := range strings.Split(out, "\n") {
			if !strings.HasPrefix(l, "│") && !strings.HasPrefix(l, "┌") && !strings.HasPrefix(l, "├") && !strings.HasPrefix(l, "└") {
				continue
			}
			w := utf8.RuneCountInString(l) + 2*strings.Count(l, "東") // 東 and 京 are wide
			if width >= 0 && w != width {
				t.Errorf("RUNEWIDTH_EASTASIAN=%s: line width %d, want %d:\n%s", env, w, width, out)
				break
			}
			width = w
		}
		if !strings.Contains(out, "Deciding words") || !strings.Contains(out, "Model test@0123456789ab") {
			t.Errorf("headers or caption missing:\n%s", out)
		}
	}
	a := render(t, "table", sampleTable(t, Options{}))
	t.Setenv("RUNEWIDTH_EASTASIAN", "1")
	if b := render(t, "table", sampleTable(t, Options{})); a != b {
		t.Errorf("output depends on the locale")
	}
	// Numbers are right-aligned, headers as written.
	if !strings.Contains(a, "│   66.7% │") && !strings.Contains(a, " 66.7% │") {
		t.Errorf("share not right-aligned:\n%s", a)
	}
	if !strings.Contains(a, "95% CI") || !strings.Contains(a, "Top-level") {
		t.Errorf("headers reformatted:\n%s", a)
	}
}

func TestMarkdownEscapes(t *testing.T) {
	tb := sampleTable(t, Options{By: ByComments})
	out := render(t, "markdown", tb)
	if !strings.Contains(out, `Köln \| “Rhein”`) || !strings.Contains(out, `a\|b.txt`) {
		t.Errorf("| not escaped:\n%s", out)
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "| ") {
			if n, want := strings.Count(strings.ReplaceAll(l, `\|`, ""), "|"), len(visible(tb))+1; n != want {
				t.Errorf("row has %d separators, want %d: %s", n, want, l)
			}
		}
	}
	arg := render(t, "markdown", sampleTable(t, Options{}))
	if !strings.Contains(arg, "| --- | --- | ---: |") || !strings.Contains(arg, "| **Total** |") {
		t.Errorf("alignment row or totals missing:\n%s", arg)
	}
}

func TestCSV(t *testing.T) {
	tb := sampleTable(t, Options{})
	out := render(t, "csv", tb)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+len(tb.Rows) {
		t.Fatalf("%d records, want header + %d rows (no caption, no footer)", len(recs), len(tb.Rows))
	}
	h := strings.Join(recs[0], ",")
	if !strings.HasPrefix(h, "model,id,argument,stance,count,") || !strings.Contains(h, "share_ci_low,share_ci_high") {
		t.Errorf("header %q", h)
	}
	for _, r := range recs[1:] {
		if r[0] != "test@0123456789ab" || len(r) != len(recs[0]) {
			t.Errorf("record %v", r)
		}
	}
	if recs[1][1] != "spy" || recs[1][9] != "0.2077" || recs[1][10] != "0.9385" {
		t.Errorf("first row %v: want spy with Wilson(2,3) = [0.2077, 0.9385]", recs[1])
	}
	if strings.Contains(out, "Total") {
		t.Errorf("csv has a footer")
	}
	if err := (csvRenderer{}).Render(failWriter{}, tb); err == nil {
		t.Errorf("write error not reported")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, bytes.ErrTooLarge }

func TestJSON(t *testing.T) {
	tb := sampleTable(t, Options{Weight: WeightRecommendations, Seed: 0, Bootstrap: 100})
	out := render(t, "json", tb)
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	w := doc["weighting"].(map[string]any)
	if w["weight"] != "recommendations" || w["total"] != 5.0 || w["interval"] != "bootstrap" || w["bootstrap"] != 100.0 || w["seed"] != 0.0 {
		t.Errorf("weighting %v", w)
	}
	m := doc["model"].(map[string]any)
	if m["name"] != "test" || m["hash"] != "0123456789abcdef0123456789abcdef" || m["id"] != "test@0123456789ab" {
		t.Errorf("model %v", m)
	}
	in := doc["input"].(map[string]any)
	if in["comments"] != 3.0 || in["thread"] != "Title" {
		t.Errorf("input %v", in)
	}
	// Keys follow the column order.
	keys := []string{`"schema"`, `"table"`, `"title"`, `"input"`, `"model"`, `"weighting"`, `"columns"`, `"rows"`, `"totals"`, `"notes"`}
	last := -1
	for _, k := range keys {
		i := strings.Index(out, k)
		if i < last {
			t.Errorf("key %s out of order", k)
		}
		last = i
	}
	row := out[strings.Index(out, `"rows"`):]
	if a, b := strings.Index(row, `"id"`), strings.Index(row, `"share_ci"`); a < 0 || b < a {
		t.Errorf("row keys not in column order")
	}
	rows := doc["rows"].([]any)
	zero := rows[len(rows)-1].(map[string]any)
	if zero["compound"] != nil || zero["count"] != 0.0 {
		t.Errorf("empty row %v: want null mean, 0 count", zero)
	}
	if iv := zero["share_ci"].(map[string]any); iv["low"] != 0.0 || !(iv["high"].(float64) > 0) {
		t.Errorf("zero share interval %v: want an upper bound", iv)
	}
	plain := render(t, "json", sampleTable(t, Options{}))
	if strings.Contains(plain, `"seed"`) || strings.Contains(plain, `"bootstrap"`) {
		t.Errorf("Wilson intervals carry bootstrap settings")
	}
}

func TestHTML(t *testing.T) {
	out := render(t, "html", sampleTable(t, Options{By: ByComments}))
	if !strings.HasPrefix(out, "<!DOCTYPE html>") || !strings.Contains(out, "Köln | “Rhein”") || strings.Contains(out, "<script") {
		t.Errorf("html page:\n%s", out)
	}
	tb := sampleTable(t, Options{})
	tb.Rows[0][1] = textCell("<b>x</b>")
	if out := render(t, "html", tb); strings.Contains(out, "<b>x</b>") {
		t.Errorf("cell text not escaped")
	}
}

// TestControlCharacters: escape sequences and line breaks in names cannot
// reach the terminal or break a markdown row.
func TestControlCharacters(t *testing.T) {
	tb := sampleTable(t, Options{By: ByComments})
	tb.Rows[0][column(tb, "author")] = textCell("evil\x1b[2J\nname")
	for _, f := range []string{"table", "markdown"} {
		out := render(t, f, tb)
		if strings.Contains(out, "\x1b") || !strings.Contains(out, "evil\uFFFD[2J name") {
			t.Errorf("%s: control characters passed through:\n%s", f, out)
		}
	}
}

// TestConcurrentRender renders from several goroutines (run with -race).
func TestConcurrentRender(t *testing.T) {
	tb := sampleTable(t, Options{})
	want := render(t, "table", tb)
	errs := make(chan string, 8)
	for range 8 {
		go func() {
			var b bytes.Buffer
			textRenderer{}.Render(&b, tb)
			errs <- b.String()
		}()
	}
	for range 8 {
		if got := <-errs; got != want {
			t.Errorf("concurrent render differs")
		}
	}
}

// TestJSONL checks the jsonl format: one object per row, the model first,
// the same values as the json format's rows, nothing else.
func TestJSONL(t *testing.T) {
	tb := sampleTable(t, Options{})
	lines := strings.Split(strings.TrimSuffix(render(t, "jsonl", tb), "\n"), "\n")
	if len(lines) != len(tb.Rows) {
		t.Fatalf("%d lines for %d rows", len(lines), len(tb.Rows))
	}
	var doc struct {
		Rows []map[string]any `json:"rows"`
	}
	if err := json.Unmarshal([]byte(render(t, "json", tb)), &doc); err != nil {
		t.Fatal(err)
	}
	for i, l := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if !strings.HasPrefix(l, `{"model":"test@0123456789ab",`) {
			t.Errorf("line %d does not start with the model: %s", i+1, l)
		}
		delete(rec, "model")
		a, _ := json.Marshal(rec)
		b, _ := json.Marshal(doc.Rows[i])
		if string(a) != string(b) {
			t.Errorf("line %d: %s, json row %s", i+1, a, b)
		}
	}
}
