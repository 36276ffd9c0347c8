package training

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/stance-dev/stance/quantify"
)

// Report is the result of [Evaluate]. Its JSON form (stance eval -f json)
// is:
//
//	{
//	  "accuracy": 0.62,            // share of documents labeled right
//	  "macro_f1": 0.55,            // mean F1 over classes seen as gold or prediction
//	  "kappa": 0.55,               // Cohen's kappa, gold vs predicted; null when undefined (one class)
//	  "f_pair": 0.6,               // with --metric f-pair=A,B: (F1(A)+F1(B))/2
//	  "f_pair_classes": ["A","B"], // with --metric
//	  "model": "huawei@0123456789ab",  // the model trained on all the data
//	  "options": "alpha=2 tfidf binary bigrams negation",
//	  "method": "leave-one-out",   // or "stratified 10-fold cross-validation", "test set"
//	  "note": "...",               // why leave-one-out, when it is
//	  "folds": 50, "seed": 1, "documents": 50,
//	  "per_class": {"CLASS": {"precision":..,"recall":..,"f1":..,"support":..,"predicted":..}, ...},
//	  "confusion": {"classes": ["A","B",...], "matrix": [[gold A predicted A, gold A predicted B, ...], ...]},
//	  "baseline": {"label": "A", "accuracy":.., "macro_f1":.., "kappa": 0},
//	  "stance": {"documents":..,"accuracy":..,"macro_f1":..,"kappa":..}, // with a taxonomy and labeled stances
//	  "quantify": {"METHOD": {"mae":..,"coverage":..,"width":..}, ...}, // with --quantify (see EvaluateQuantify)
//	  "quantify_protocol": {"protocol": "...", "calibration": N, "pool": N, "unclear": P}
//	}
//
// Rows of the confusion matrix are gold classes, columns predictions.
type Report struct {
	Accuracy     float64  `json:"accuracy"`
	MacroF1      float64  `json:"macro_f1"`
	Kappa        *float64 `json:"kappa"`
	FPair        *float64 `json:"f_pair,omitempty"`
	FPairClasses []string `json:"f_pair_classes,omitempty"`

	Model     string `json:"model"`
	Options   string `json:"options"`
	Method    string `json:"method"`
	Note      string `json:"note,omitempty"`
	Folds     int    `json:"folds,omitempty"`
	Seed      uint64 `json:"seed"`
	Documents int    `json:"documents"`

	PerClass  map[string]ClassMetrics `json:"per_class"`
	Confusion Confusion               `json:"confusion"`
	Baseline  Baseline                `json:"baseline"`
	Stance    *StanceReport           `json:"stance,omitempty"`

	// Quantify holds the figures of [EvaluateQuantify] per method, when
	// set by [Report.SetQuantify].
	Quantify         map[string]quantify.Score `json:"quantify,omitempty"`
	QuantifyProtocol *QuantifyReport           `json:"quantify_protocol,omitempty"`

	// Classes lists the classes in model order (the keys of PerClass).
	Classes []string `json:"-"`
}

// Confusion is a confusion matrix: Matrix[g][p] counts documents of gold
// class Classes[g] predicted as Classes[p].
type Confusion struct {
	Classes []string `json:"classes"`
	Matrix  [][]int  `json:"matrix"`
}

// Baseline is the majority-class baseline: always predicting Label.
type Baseline struct {
	Label    string   `json:"label"`
	Accuracy float64  `json:"accuracy"`
	MacroF1  float64  `json:"macro_f1"`
	Kappa    *float64 `json:"kappa"`
}

// StanceReport compares the stance of the predicted argument with the
// labeled stance.
type StanceReport struct {
	Documents int      `json:"documents"`
	Accuracy  float64  `json:"accuracy"`
	MacroF1   float64  `json:"macro_f1"`
	Kappa     *float64 `json:"kappa"`
}

func (r *Report) fill(met *Metrics, pair [2]string) {
	r.Documents = met.N
	r.Accuracy = round(met.Accuracy())
	r.MacroF1 = round(met.MacroF1())
	r.Kappa = kappa(met)
	if pair[0] != "" && pair[1] != "" {
		f := round(met.FPair(pair[0], pair[1]))
		r.FPair = &f
		r.FPairClasses = []string{pair[0], pair[1]}
	}
	r.Classes = met.Classes
	r.PerClass = map[string]ClassMetrics{}
	for _, cm := range met.PerClass() {
		cm.Precision, cm.Recall, cm.F1 = round(cm.Precision), round(cm.Recall), round(cm.F1)
		r.PerClass[cm.Class] = cm
	}
	r.Confusion = Confusion{Classes: met.Classes, Matrix: met.Confusion}
	b := met.Baseline()
	maj, _ := met.Majority()
	r.Baseline = Baseline{Label: maj, Accuracy: round(b.Accuracy()), MacroF1: round(b.MacroF1()), Kappa: kappa(b)}
}

// SetQuantify adds the quantification figures of q to the report.
func (r *Report) SetQuantify(q *QuantifyReport) {
	r.Quantify = q.ByMethod()
	r.QuantifyProtocol = q
}

// kappa is m's kappa rounded, nil when undefined.
func kappa(m *Metrics) *float64 {
	k := m.Kappa()
	if math.IsNaN(k) {
		return nil
	}
	k = round(k)
	return &k
}

// fk formats a kappa: 3 decimals, or "undefined".
func fk(k *float64) string {
	if k == nil {
		return "undefined (one class)"
	}
	return f3(*k)
}

// round keeps 4 decimals, so that JSON output is stable and readable.
func round(f float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', 4, 64), 64)
	return v
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func f3(f float64) string { return strconv.FormatFloat(f, 'f', 3, 64) }

// WriteTable writes the report as text tables: the headline numbers, the
// per-class measures and the confusion matrix.
func (r *Report) WriteTable(w io.Writer) error {
	head := [][]string{
		{"model", r.Model},
		{"options", r.Options},
		{"method", fmt.Sprintf("%s, %d documents", r.Method, r.Documents)},
	}
	if r.Note != "" {
		head = append(head, []string{"note", r.Note})
	}
	head = append(head,
		[]string{"accuracy", f3(r.Accuracy)},
		[]string{"macro-F1", f3(r.MacroF1)},
		[]string{"kappa", fk(r.Kappa)},
	)
	if r.FPair != nil {
		head = append(head, []string{fmt.Sprintf("f-pair (%s, %s)", r.FPairClasses[0], r.FPairClasses[1]), f3(*r.FPair)})
	}
	head = append(head, []string{"baseline", fmt.Sprintf("always %q: accuracy %s, macro-F1 %s, kappa %s",
		r.Baseline.Label, f3(r.Baseline.Accuracy), f3(r.Baseline.MacroF1), fk(r.Baseline.Kappa))})
	if s := r.Stance; s != nil {
		head = append(head, []string{"stance", fmt.Sprintf("accuracy %s, macro-F1 %s, kappa %s (%d documents)",
			f3(s.Accuracy), f3(s.MacroF1), fk(s.Kappa), s.Documents)})
	}
	if err := renderTable(w, nil, head, 0); err != nil {
		return err
	}

	rows := make([][]string, 0, len(r.Classes))
	for _, c := range r.Classes {
		cm := r.PerClass[c]
		rows = append(rows, []string{c, f3(cm.Precision), f3(cm.Recall), f3(cm.F1), strconv.Itoa(cm.Support), strconv.Itoa(cm.Predicted)})
	}
	fmt.Fprintln(w)
	if err := renderTable(w, []string{"Class", "Precision", "Recall", "F1", "Support", "Predicted"}, rows, 1); err != nil {
		return err
	}

	hdr := []string{"Gold \\ predicted"}
	for i := range r.Confusion.Classes {
		hdr = append(hdr, strconv.Itoa(i+1))
	}
	rows = rows[:0]
	for i, c := range r.Confusion.Classes {
		row := []string{fmt.Sprintf("%d %s", i+1, c)}
		for _, n := range r.Confusion.Matrix[i] {
			row = append(row, strconv.Itoa(n))
		}
		rows = append(rows, row)
	}
	fmt.Fprintln(w)
	if err := renderTable(w, hdr, rows, 1); err != nil {
		return err
	}
	if q := r.QuantifyProtocol; q != nil {
		fmt.Fprintln(w)
		rows = rows[:0]
		for _, s := range q.Scores {
			fail := ""
			if s.Failed > 0 {
				fail = strconv.Itoa(s.Failed)
			}
			rows = append(rows, []string{string(s.Method), f3(s.MAE), f3(s.Coverage), f3(s.Width), fail})
		}
		if err := renderTable(w, []string{"Estimate", "MAE", "95% coverage", "Mean width", "Failed"}, rows, 1); err != nil {
			return err
		}
		_, err := fmt.Fprintf(w, "Shares estimated by each method (%s). %d calibration items, %d in the pool; items with top P below %s (unclear) left out.\n",
			q.Protocol, q.Calibration, q.Pool, f3(q.Unclear))
		return err
	}
	return nil
}

// renderTable writes a box table; columns from rightFrom on are
// right-aligned (no column is when rightFrom is 0).
func renderTable(w io.Writer, header []string, rows [][]string, rightFrom int) error {
	n := 0
	if len(rows) > 0 {
		n = len(rows[0])
	}
	n = max(n, len(header))
	align := make(tw.Alignment, n)
	for i := range align {
		align[i] = tw.AlignLeft
		if rightFrom > 0 && i >= rightFrom {
			align[i] = tw.AlignRight
		}
	}
	t := tablewriter.NewTable(w,
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithAlignment(align),
	)
	if header != nil {
		t.Header(header)
	}
	for _, r := range rows {
		if err := t.Append(r); err != nil {
			return err
		}
	}
	return t.Render()
}
