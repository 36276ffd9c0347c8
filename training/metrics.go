package training

import (
	"math"
	"slices"
)

// Metrics accumulates a confusion matrix and derives the usual measures.
type Metrics struct {
	// Classes are the row and column labels of Confusion.
	Classes []string
	// Confusion[g][p] counts documents of gold class g predicted as p.
	Confusion [][]int
	// N is the number of documents added.
	N   int
	idx map[string]int
}

// NewMetrics returns empty metrics over classes; [Metrics.Add] adds labels
// it meets that are not among them.
func NewMetrics(classes []string) *Metrics {
	m := &Metrics{idx: map[string]int{}}
	for _, c := range classes {
		m.class(c)
	}
	return m
}

func (m *Metrics) class(c string) int {
	if i, ok := m.idx[c]; ok {
		return i
	}
	i := len(m.Classes)
	m.idx[c] = i
	m.Classes = append(m.Classes, c)
	for r := range m.Confusion {
		m.Confusion[r] = append(m.Confusion[r], 0)
	}
	m.Confusion = append(m.Confusion, make([]int, i+1))
	return i
}

// Add counts one document of gold class gold predicted as pred.
func (m *Metrics) Add(gold, pred string) {
	g, p := m.class(gold), m.class(pred)
	m.Confusion[g][p]++
	m.N++
}

// Accuracy is the share of documents predicted right; 0 with none.
func (m *Metrics) Accuracy() float64 {
	if m.N == 0 {
		return 0
	}
	ok := 0
	for i := range m.Classes {
		ok += m.Confusion[i][i]
	}
	return float64(ok) / float64(m.N)
}

// ClassMetrics are the measures of one class.
type ClassMetrics struct {
	Class     string  `json:"class"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	// Support is the number of gold documents of the class.
	Support int `json:"support"`
	// Predicted is the number of documents predicted as the class.
	Predicted int `json:"predicted"`
}

// Class returns the measures of class c. Precision is 0 when nothing was
// predicted as c, recall 0 when c has no gold documents, F1 0 when both are.
func (m *Metrics) Class(c string) ClassMetrics {
	cm := ClassMetrics{Class: c}
	i, ok := m.idx[c]
	if !ok {
		return cm
	}
	tp := m.Confusion[i][i]
	for j := range m.Classes {
		cm.Support += m.Confusion[i][j]
		cm.Predicted += m.Confusion[j][i]
	}
	if cm.Predicted > 0 {
		cm.Precision = float64(tp) / float64(cm.Predicted)
	}
	if cm.Support > 0 {
		cm.Recall = float64(tp) / float64(cm.Support)
	}
	if cm.Precision+cm.Recall > 0 {
		cm.F1 = 2 * cm.Precision * cm.Recall / (cm.Precision + cm.Recall)
	}
	return cm
}

// PerClass returns the measures of every class, in class order.
func (m *Metrics) PerClass() []ClassMetrics {
	out := make([]ClassMetrics, len(m.Classes))
	for i, c := range m.Classes {
		out[i] = m.Class(c)
	}
	return out
}

// MacroF1 is the unweighted mean F1 over the classes that occur as gold
// labels or as predictions (as scikit-learn averages); 0 with none.
func (m *Metrics) MacroF1() float64 {
	sum, n := 0.0, 0
	for _, c := range m.Classes {
		cm := m.Class(c)
		if cm.Support == 0 && cm.Predicted == 0 {
			continue
		}
		sum += cm.F1
		n++
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// FPair is the mean of F1(a) and F1(b), the measure of the SemEval stance
// tasks (there: the F1 of "favor" and "against").
func (m *Metrics) FPair(a, b string) float64 {
	return (m.Class(a).F1 + m.Class(b).F1) / 2
}

// Kappa is Cohen's kappa between gold labels and predictions:
// (po - pe) / (1 - pe), with po the observed agreement (accuracy) and pe
// the agreement expected by chance from the marginals. It is NaN
// (undefined) when pe is 1, that is when the gold labels and the
// predictions are all one and the same class, and 0 with no documents.
func (m *Metrics) Kappa() float64 {
	if m.N == 0 {
		return 0
	}
	n := float64(m.N)
	pe := 0.0
	for _, c := range m.Classes {
		cm := m.Class(c)
		pe += float64(cm.Support) / n * float64(cm.Predicted) / n
	}
	if pe >= 1 {
		return math.NaN()
	}
	return (m.Accuracy() - pe) / (1 - pe)
}

// Majority returns the most frequent gold class (ties: the first in class
// order) and its count.
func (m *Metrics) Majority() (string, int) {
	best, bestN := "", -1
	for _, c := range m.Classes {
		if s := m.Class(c).Support; s > bestN {
			best, bestN = c, s
		}
	}
	return best, max(bestN, 0)
}

// Baseline returns the metrics of always predicting the majority class on
// the same gold labels.
func (m *Metrics) Baseline() *Metrics {
	maj, _ := m.Majority()
	b := NewMetrics(slices.Clone(m.Classes))
	for i, c := range m.Classes {
		for j := range m.Classes {
			for range m.Confusion[i][j] {
				b.Add(c, maj)
			}
		}
	}
	return b
}
