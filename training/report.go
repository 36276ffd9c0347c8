package training

import (
	"encoding/json"
	"io"
	"math"
	"strconv"

	"github.com/stance-dev/stance/quantify"
)

// EvalReport is the result of [Evaluate]; report.EvalDocument makes its
// tables (stance eval -f table|markdown|csv|html). Its JSON form (stance
// eval -f json) is:
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
type EvalReport struct {
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
	// set by [EvalReport.SetQuantify].
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

func (r *EvalReport) fill(met *Metrics, pair [2]string) {
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
func (r *EvalReport) SetQuantify(q *QuantifyReport) {
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

// round keeps 4 decimals, so that JSON output is stable and readable.
func round(f float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', 4, 64), 64)
	return v
}

// WriteJSON writes the report as indented JSON.
func (r *EvalReport) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
