package report

import (
	"fmt"
	"strconv"
	"strings"

	labeling "github.com/stance-dev/stance/label"
	"github.com/stance-dev/stance/training"
)

// This file builds the Documents of the commands that describe and measure
// models rather than comments: `stance eval` (EvalDocument, CurveDocument),
// `stance model show` (ModelDocument) and `stance train` (TrainingDocument).
// Their tables are written by the same renderers as the stance tables.

// EvalDocument returns the report of an evaluation: the headline numbers
// as a list of facts, the per-class measures, the confusion matrix (rows
// gold, columns predicted), and with --quantify the estimators' figures.
func EvalDocument(r *training.EvalReport) *Document {
	head := factTable("summary", "Summary")
	head.fact("model", r.Model)
	head.fact("options", r.Options)
	head.fact("method", fmt.Sprintf("%s, %d documents", r.Method, r.Documents))
	if r.Note != "" {
		head.fact("note", r.Note)
	}
	head.fact("accuracy", f3(r.Accuracy))
	head.fact("macro-F1", f3(r.MacroF1))
	head.fact("kappa", kappaText(r.Kappa))
	if r.FPair != nil {
		head.fact(fmt.Sprintf("f-pair (%s, %s)", r.FPairClasses[0], r.FPairClasses[1]), f3(*r.FPair))
	}
	head.fact("baseline", fmt.Sprintf("always %q: accuracy %s, macro-F1 %s, kappa %s",
		r.Baseline.Label, f3(r.Baseline.Accuracy), f3(r.Baseline.MacroF1), kappaText(r.Baseline.Kappa)))
	if s := r.Stance; s != nil {
		head.fact("stance", fmt.Sprintf("accuracy %s, macro-F1 %s, kappa %s (%d documents)",
			f3(s.Accuracy), f3(s.MacroF1), kappaText(s.Kappa), s.Documents))
	}

	classes := &Table{Kind: "per-class", Title: "Per class", NoCaption: true, Columns: []Column{
		textColumn("class", "Class"), numberColumn("precision", "Precision"), numberColumn("recall", "Recall"),
		numberColumn("f1", "F1"), numberColumn("support", "Support"), numberColumn("predicted", "Predicted"),
	}}
	for _, c := range r.Classes {
		cm := r.PerClass[c]
		classes.Rows = append(classes.Rows, []Cell{textCell(c), f3Cell(cm.Precision), f3Cell(cm.Recall), f3Cell(cm.F1),
			intCell(cm.Support), intCell(cm.Predicted)})
	}

	tables := []*Table{head.Table, classes, confusionTable("confusion", "Confusion matrix", "gold", "Gold \\ predicted",
		r.Confusion.Classes, r.Confusion.Matrix, nil)}
	if q := r.QuantifyProtocol; q != nil {
		qt := &Table{Kind: "quantify", Title: "Share estimators", NoCaption: true, Columns: []Column{
			textColumn("estimate", "Estimate"), numberColumn("mae", "MAE"), numberColumn("coverage", "95% coverage"),
			numberColumn("width", "Mean width"), numberColumn("failed", "Failed"),
		}}
		for _, s := range q.Scores {
			failed := Cell{Value: float64(0)}
			if s.Failed > 0 {
				failed = intCell(s.Failed)
			}
			qt.Rows = append(qt.Rows, []Cell{textCell(string(s.Method)), f3Cell(s.MAE), f3Cell(s.Coverage), f3Cell(s.Width), failed})
		}
		qt.Notes = []string{fmt.Sprintf("Shares estimated by each method (%s). %d calibration items, %d in the pool; items with top P below %s (unclear) left out.",
			q.Protocol, q.Calibration, q.Pool, f3(q.Unclear))}
		tables = append(tables, qt)
	}
	return &Document{Title: "Evaluation of " + r.Model, Model: refOf(r.Model), Tables: tables}
}

// CurveDocument returns the report of `stance eval --learning-curve`: the
// settings as a list of facts, then one row per budget with the means and
// standard deviations over the runs.
func CurveDocument(r *labeling.CurveReport) *Document {
	head := factTable("settings", "Simulated labeling")
	head.fact("select", r.Select)
	head.fact("options", r.Options)
	head.fact("pool", fmt.Sprintf("%d labeled documents, each label revealed only when the strategy picks it", r.Pool))
	head.fact("test", fmt.Sprintf("%d documents", r.Test))
	head.fact("repeats", fmt.Sprintf("%d (seeds %d–%d); ± is the standard deviation over them", r.Repeats, r.Seed, r.Seed+uint64(max(r.Repeats, 1))-1))
	curve := &Table{Kind: "learning-curve", Title: "Learning curve", NoCaption: true, Columns: []Column{
		{Key: "labels", Header: "Labels", Kind: KindNumber}, numberColumn("accuracy", "Accuracy"), numberColumn("accuracy_sd", "±"),
		numberColumn("macro_f1", "Macro-F1"), numberColumn("macro_f1_sd", "±"),
	}}
	for _, p := range r.LearningCurve {
		curve.Rows = append(curve.Rows, []Cell{intCell(p.Labels),
			f3Cell(p.Accuracy), f3Cell(p.AccuracySD), f3Cell(p.MacroF1), f3Cell(p.MacroF1SD)})
	}
	return &Document{Title: "Learning curve (" + r.Select + ")", Tables: []*Table{head.Table, curve}}
}

// TrainingDocument returns the summary `stance train` prints: per class
// the labeled documents (primary label), the weighted documents and tokens
// learned (pseudo-documents and secondary labels included) with their
// total, then the vocabulary size and the model's identity.
func TrainingDocument(card *training.ModelCard) *Document {
	classes := &Table{Kind: "classes", Title: "Classes", NoCaption: true, Columns: []Column{
		textColumn("class", "Class"), numberColumn("labeled", "Labeled"), numberColumn("docs", "Weighted docs"),
		numberColumn("tokens", "Weighted tokens"),
	}}
	var docs, toks float64
	labeled := 0
	for _, c := range card.Classes {
		classes.Rows = append(classes.Rows, []Cell{textCell(c.ID), intCell(c.Labeled), weightCell(c.Docs), weightCell(c.Tokens)})
		docs += c.Docs
		toks += c.Tokens
		labeled += c.Labeled
	}
	classes.Rows = append(classes.Rows, []Cell{textCell("total"), intCell(labeled), weightCell(docs), weightCell(toks)})
	head := factTable("model", "Model")
	head.fact("model", card.ID)
	head.fact("hash", card.Hash)
	head.fact("options", card.OptionText)
	head.fact("documents", fmt.Sprintf("%d learned (%d labeled)", card.Documents, card.Labeled))
	head.fact("vocabulary", strconv.Itoa(card.Vocabulary))
	if card.Source != "" {
		head.fact("source", card.Source)
	}
	if card.DataHash != "" {
		head.fact("data hash", card.DataHash)
	}
	return &Document{Title: "Trained " + card.ID, Model: cardRef(card), Tables: []*Table{classes, head.Table}}
}

// ModelDocument returns the description `stance model show` prints: the
// identity and training summary, the taxonomy, per class its documents,
// tokens and top tokens, and the held-out statistics.
func ModelDocument(card *training.ModelCard) *Document {
	head := factTable("model", "Model")
	head.fact("model", card.ID)
	head.fact("hash", card.Hash)
	head.fact("options", card.OptionText)
	if card.Subject != "" {
		head.fact("subject", card.Subject)
	}
	if len(card.Stances) > 0 {
		head.fact("stances", strings.Join(card.Stances, ", "))
	}
	if card.Fallback != "" {
		head.fact("fallback", card.Fallback)
	}
	if card.Source != "" {
		head.fact("source", card.Source)
	}
	if card.DataHash != "" {
		head.fact("data hash", card.DataHash)
	}
	head.fact("documents", strconv.FormatInt(card.Documents, 10))
	head.fact("vocabulary", strconv.Itoa(card.Vocabulary))

	classes := &Table{Kind: "classes", Title: "Classes", NoCaption: true, Columns: []Column{
		textColumn("class", "Class"), textColumn("name", "Name"), textColumn("stance", "Stance"),
		{Key: "docs", Header: "Docs", Kind: KindNumber}, {Key: "tokens", Header: "Tokens", Kind: KindNumber},
		{Key: "top_tokens", Header: "Top tokens", Kind: KindList},
	}}
	for _, c := range card.Classes {
		classes.Rows = append(classes.Rows, []Cell{textCell(c.ID), textCell(c.Name), textCell(c.Stance),
			weightCell(c.Docs), weightCell(c.Tokens), listCell(cueTokens(c.Top), " ")})
	}
	tables := []*Table{head.Table, classes}
	if len(card.Targets) > 0 {
		targets := &Table{Kind: "targets", Title: "Top tokens by target", NoCaption: true, Columns: []Column{
			textColumn("target", "Target"), textColumn("class", "Class"), {Key: "top_tokens", Header: "Top tokens", Kind: KindList},
		}}
		for _, tt := range card.Targets {
			for i, c := range card.Classes {
				var top []string
				if i < len(tt.Top) {
					top = cueTokens(tt.Top[i])
				}
				targets.Rows = append(targets.Rows, []Cell{textCell(tt.Target), textCell(c.ID), listCell(top, " ")})
			}
		}
		tables = append(tables, targets)
	}
	tables = append(tables, heldoutTables(card)...)
	return &Document{Title: "Model " + card.ID, Model: cardRef(card), Tables: tables}
}

// heldoutTables are the held-out statistics of a model card: the summary,
// then per class the held-out documents, predictions, precision, top
// probabilities and the confusion counts; or the sentence that it has none.
func heldoutTables(card *training.ModelCard) []*Table {
	h := card.Heldout
	if h == nil {
		return []*Table{{Kind: "heldout", Title: "Held-out statistics", NoCaption: true,
			Notes: []string{"Held-out statistics: none (a version 1 model file, or trained without --calibrate): its shares cannot be adjusted for its errors."}}}
	}
	method := fmt.Sprintf("%d-fold cross-validation", h.Folds)
	if h.Folds == h.Documents {
		method = "leave-one-out"
	}
	placed, right := 0, 0
	for t, row := range h.Placed {
		for p, n := range row {
			placed += n
			if p == t {
				right += n
			}
		}
	}
	head := factTable("heldout", "Held-out statistics")
	head.fact("held-out", fmt.Sprintf("%d documents, %s", h.Documents, method))
	head.fact("unclear below", fmt.Sprintf("top P %s (%d of %d held-out documents placed, %d right)", f3(h.Unclear), placed, h.Documents, right))
	head.fact("mean top P", f3(h.MeanTopP))
	head.fact("OOV rate", fmt.Sprintf("mean %s, 90th percentile %s", f3(h.MeanOOV), f3(h.OOV90)))

	var ids []string
	for i, c := range card.Classes {
		if i >= len(h.Classes) {
			break
		}
		ids = append(ids, c.ID)
	}
	cols := []Column{numberColumn("support", "Support"), numberColumn("predicted", "Predicted"),
		numberColumn("precision", "Precision"), numberColumn("mean_top_p", "Mean top P"),
		{Key: "top_p_by_tenths", Header: "Top P by tenths", Align: AlignRight, Kind: KindList}}
	lead := func(i int) []Cell {
		ch := h.Classes[i]
		support := 0
		for _, v := range h.Confusion[i] {
			support += v
		}
		hist := make([]string, len(ch.TopPHist))
		for b, v := range ch.TopPHist {
			hist[b] = strconv.Itoa(v)
		}
		return []Cell{intCell(support), intCell(ch.Predicted), f3Cell(ch.Precision), f3Cell(ch.MeanTopP), listCell(hist, " ")}
	}
	all := make([]string, len(card.Classes))
	for i, c := range card.Classes {
		all[i] = c.ID
	}
	classes := confusionTable("heldout-classes", "Held-out, per class", "class", "Held-out", all, h.Confusion[:len(ids)], &confusionLead{cols, lead})
	classes.Notes = []string{"Columns 1..: held-out confusion counts, rows the true class, columns the predicted one."}
	return []*Table{head.Table, classes}
}

// confusionLead adds columns between a confusion table's row label and its
// counts.
type confusionLead struct {
	cols  []Column
	cells func(row int) []Cell
}

// confusionTable is a table of counts whose rows and columns are the same
// classes, numbered: a row label "1 CLASS", then optional lead columns,
// then a column per class headed by its number (keyed by the class in
// machine formats). Counts are right-aligned.
func confusionTable(kind, title, key, header string, classes []string, matrix [][]int, lead *confusionLead) *Table {
	t := &Table{Kind: kind, Title: title, NoCaption: true, Columns: []Column{textColumn(key, header)}}
	if lead != nil {
		t.Columns = append(t.Columns, lead.cols...)
	}
	for i, c := range classes {
		t.Columns = append(t.Columns, Column{Key: c, Header: strconv.Itoa(i + 1), Align: AlignRight, Kind: KindNumber})
	}
	for i, row := range matrix {
		cells := []Cell{{Text: fmt.Sprintf("%d %s", i+1, classes[i]), Value: classes[i]}}
		if lead != nil {
			cells = append(cells, lead.cells(i)...)
		}
		for _, n := range row {
			cells = append(cells, intCell(n))
		}
		t.Rows = append(t.Rows, cells)
	}
	return t
}

// facts is a Headless table of two columns: a fact's name and its value,
// both text.
type facts struct{ *Table }

func factTable(kind, title string) facts {
	return facts{&Table{Kind: kind, Title: title, NoCaption: true, Headless: true,
		Columns: []Column{textColumn("field", "Field"), textColumn("value", "Value")}}}
}

func (f facts) fact(name, value string) {
	f.Rows = append(f.Rows, []Cell{textCell(name), textCell(value)})
}

func textColumn(key, header string) Column { return Column{Key: key, Header: header} }

func numberColumn(key, header string) Column {
	return Column{Key: key, Header: header, Align: AlignRight, Kind: KindNumber}
}

// f3 formats a measure with 3 decimals, as the eval and model reports do.
func f3(x float64) string { return strconv.FormatFloat(x, 'f', 3, 64) }

func f3Cell(x float64) Cell { return Cell{Text: f3(x), Value: x} }

func intCell(n int) Cell { return Cell{Text: strconv.Itoa(n), Value: float64(n)} }

// weightCell is a weighted count: at most 4 decimals, shortest form.
func weightCell(x float64) Cell {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 4, 64), 64)
	return Cell{Text: strconv.FormatFloat(v, 'f', -1, 64), Value: v}
}

// kappaText formats a kappa: 3 decimals, or "undefined" when it is (one
// class only).
func kappaText(k *float64) string {
	if k == nil {
		return "undefined (one class)"
	}
	return f3(*k)
}

// refOf returns the reference of a model ID, name@hash12.
func refOf(id string) ModelRef {
	name, hash, _ := strings.Cut(id, "@")
	return ModelRef{Name: name, Hash: hash, ID: id}
}

func cardRef(card *training.ModelCard) ModelRef {
	return ModelRef{Name: card.Name, Hash: card.Hash, ID: card.ID}
}
