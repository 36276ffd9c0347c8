package label

import (
	"math/rand/v2"
	"strings"

	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/training"
)

// SeedModel returns an untrained model over the taxonomy's arguments with
// options opt, seeded as `stance train` seeds one: each cue phrase, and
// each argument's name and description, is learned as a pseudo-document
// of weight cueWeight (none when cueWeight <= 0). So the model makes
// useful guesses, and the active strategy useful picks, before the first
// label. With a nil taxonomy the model has no classes until it learns.
func SeedModel(name string, tax *classify.Taxonomy, opt classify.Options, cueWeight float64) *classify.Model {
	m := classify.NewModel(name, tax, nil, opt)
	if tax == nil || !(cueWeight > 0) {
		return m
	}
	for _, a := range tax.Arguments {
		for _, c := range a.Cues {
			m.Learn(c, []string{a.ID}, cueWeight)
		}
		if desc := strings.TrimSpace(a.Name + ". " + a.Description); desc != "" {
			m.Learn(desc, []string{a.ID}, cueWeight)
		}
	}
	return m
}

// Estimate is a leave-one-out estimate of a model's accuracy on the
// labels given so far.
type Estimate struct {
	// Documents is the number of labeled documents predicted.
	Documents int
	// Correct is how many of them the model, trained without each, got right.
	Correct int
}

// Accuracy is Correct/Documents, 0 without documents.
func (e Estimate) Accuracy() float64 {
	if e.Documents == 0 {
		return 0
	}
	return float64(e.Correct) / float64(e.Documents)
}

// LeaveOneOut estimates the accuracy of m, which has learned docs (each
// with weight 1), on documents it has not seen: for each document it
// unlearns it, predicts it and learns it back, so the cost is one
// prediction and two count updates per document, plus the rebuild of the
// scoring tables. With max > 0 and more documents than max, the last max
// documents are used (the estimate follows the model as it improves). m is
// changed while it runs and restored at the end (to rounding, for
// TF-IDF); pass a clone when m is in use elsewhere.
//
// The estimate is pessimistic under active selection: the documents
// labeled are the ones the model found hardest.
func LeaveOneOut(m *classify.Model, docs []training.Doc, max int) Estimate {
	if max > 0 && len(docs) > max {
		docs = docs[len(docs)-max:]
	}
	var e Estimate
	for _, d := range docs {
		m.Unlearn(d.Text, d.Labels, 1)
		p := m.Predict(d.Text)
		m.Learn(d.Text, d.Labels, 1)
		e.Documents++
		if p.Label == d.Label() {
			e.Correct++
		}
	}
	return e
}

// newRand returns the package's seeded generator.
func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x4c4142454c)) } // "LABEL"
