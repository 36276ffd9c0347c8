package report

import (
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/stance-dev/stance/training"
)

// seedEval evaluates the default taxonomy's seed labels with 5 folds.
func seedEval(t *testing.T) *training.EvalReport {
	t.Helper()
	f, err := os.Open("../training/default/seed-labels.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	docs, err := training.ReadDocs("seed-labels.jsonl", f)
	if err != nil {
		t.Fatal(err)
	}
	tax, err := training.ApplyTaxonomy(docs, training.DefaultTaxonomy(), false)
	if err != nil {
		t.Fatal(err)
	}
	r, err := training.Evaluate(docs, training.Config{Name: "seed", Taxonomy: tax}, training.EvalOptions{Folds: 5, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestRenderDocumentCSV checks that every table of the eval document is a
// CSV section of its own: a header row, then records of the same length
// that all name the model, with the numbers at full precision.
func TestRenderDocumentCSV(t *testing.T) {
	r := seedEval(t)
	var b bytes.Buffer
	if err := RenderDocument(&b, "csv", EvalDocument(r)); err != nil {
		t.Fatal(err)
	}
	sections := strings.Split(b.String(), "\n\n")
	if len(sections) != 3 {
		t.Fatalf("%d sections, want 3 (summary, per class, confusion):\n%s", len(sections), b.String())
	}
	var perClass [][]string
	for i, s := range sections {
		recs, err := csv.NewReader(strings.NewReader(s)).ReadAll()
		if err != nil {
			t.Fatalf("section %d: %v\n%s", i, err, s)
		}
		for _, rec := range recs[1:] {
			if rec[0] != r.Model {
				t.Errorf("section %d: model %q, want %q", i, rec[0], r.Model)
			}
		}
		if i == 1 {
			perClass = recs
		}
	}
	if got := strings.Join(perClass[0], ","); got != "model,class,precision,recall,f1,support,predicted" {
		t.Errorf("per-class header %q", got)
	}
	if len(perClass) != len(r.Classes)+1 {
		t.Fatalf("%d per-class records, want %d", len(perClass)-1, len(r.Classes))
	}
	first := r.PerClass[r.Classes[0]]
	if perClass[1][1] != r.Classes[0] || perClass[1][2] != formatNumber(first.Precision) {
		t.Errorf("first class record %v, want %s with precision %v", perClass[1], r.Classes[0], first.Precision)
	}
}

// TestRenderDocumentFormats checks what each format makes of a document:
// markdown heads it and its tables with their titles, a table without
// columns is its notes alone (left out of CSV), and JSON, which every
// document writes in its own form, is refused.
func TestRenderDocumentFormats(t *testing.T) {
	note := &Table{Kind: "none", Title: "Nothing", NoCaption: true, Notes: []string{"No statistics."}}
	d := EvalDocument(seedEval(t))
	d.Tables = append(d.Tables, note)
	var md bytes.Buffer
	if err := RenderDocument(&md, "markdown", d); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# Evaluation of seed@", "\n## Summary\n\n| Field | Value |\n| --- | --- |\n| model | seed@",
		"\n## Confusion matrix\n\n| Gold \\\\ predicted | 1 |", "\n## Nothing\n\nNo statistics.  \n"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
	var text bytes.Buffer
	if err := RenderDocument(&text, "table", d); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(text.String(), "┘\n\nNo statistics.\n") || strings.Contains(text.String(), "Nothing") {
		t.Errorf("table: a table without columns is not its notes alone:\n%s", text.String())
	}
	var c bytes.Buffer
	if err := RenderDocument(&c, "csv", d); err != nil || strings.Contains(c.String(), "statistics") {
		t.Errorf("csv: %v\n%s", err, c.String())
	}
	if err := RenderDocument(io.Discard, "json", d); err == nil || !strings.Contains(err.Error(), "{table|markdown|csv|html}") {
		t.Errorf("json: %v, want an error naming the formats", err)
	}
}

// TestEvalDocumentKappa checks that an undefined kappa (one class only) is
// said in words, not printed as a number.
func TestEvalDocumentKappa(t *testing.T) {
	r := &training.EvalReport{Model: "one@0123456789ab", Method: "test set", Documents: 1, Accuracy: 1, MacroF1: 1,
		Baseline: training.Baseline{Label: "x", Accuracy: 1, MacroF1: 1}}
	var b bytes.Buffer
	if err := RenderDocument(&b, "table", EvalDocument(r)); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"│ kappa    │ undefined (one class)", "kappa undefined (one class)"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("lacks %q:\n%s", want, b.String())
		}
	}
}
