package report

import (
	"fmt"

	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/comments"
)

// foreignEvery is how often the tables measure a comment's
// out-of-vocabulary rate: every foreignEvery-th comment (and all of the
// first 64), so that the measure costs little on a large input.
const foreignEvery = 8

// ForeignShare is the share of comments looking foreign above which a
// table warns. On data like the model's held-out data about 10% of the
// comments exceed its 90th percentile of out-of-vocabulary rates (that is
// what the percentile means); a majority says the input is about
// something else.
const ForeignShare = 0.5

// Foreignness is how unlike the model's training data the comments look:
// the share of (sampled) comments whose out-of-vocabulary rate is above
// the 90th percentile of the model's held-out rates.
type Foreignness struct {
	// Measured is the number of comments measured (0: not measured, for a
	// model without held-out statistics).
	Measured int
	// Share is the share of the measured comments that look foreign.
	Share float64
	// Level is the model's held-out 90th percentile of out-of-vocabulary
	// rates, the line a comment must cross to look foreign.
	Level float64
	// Warn is true when Share is above ForeignShare.
	Warn bool
}

// Describe returns the warning in words, for captions and stderr.
func (f Foreignness) Describe(model string) string {
	return fmt.Sprintf("Warning: %.0f%% of these comments look unlike the data model %s was trained on (more unknown words than 90%% of its held-out comments); its labels are unreliable here.",
		100*f.Share, model)
}

// foreignCount measures comments as they stream.
type foreignCount struct {
	measured, foreign int
}

// add measures comment n (1-based) when it is its turn (its body is not
// even looked at otherwise), and reports
// whether it measured it and whether the comment looks foreign. The
// scorer's count in oov is used when it was measured.
func (f *foreignCount) add(m Model, n int, c *comments.Comment, oov classify.OOVCount) (measured, foreign bool) {
	if m.OOV == nil || m.Heldout == nil || (n > 64 && n%foreignEvery != 0) {
		return false, false
	}
	unknown, total := oov.Unknown, oov.Total
	if !oov.Measured {
		unknown, total = m.OOV(c.Body())
	}
	if total == 0 {
		return false, false
	}
	f.measured++
	if float64(unknown)/float64(total) > m.Heldout.OOV90 {
		f.foreign++
		return true, true
	}
	return true, false
}

// Foreign returns how foreign the comments added so far look to the model.
func (a *Aggregator) Foreign() Foreignness {
	f := Foreignness{Measured: a.foreign.measured}
	if a.model.Heldout != nil {
		f.Level = a.model.Heldout.OOV90
	}
	if f.Measured > 0 {
		f.Share = float64(a.foreign.foreign) / float64(f.Measured)
		f.Warn = f.Share > ForeignShare
	}
	return f
}

// ForeignMeter measures how foreign a stream of comments looks to a model,
// as the tables do, for commands without a table (stance score).
type ForeignMeter struct {
	model Model
	n     int
	count foreignCount
}

// NewForeignMeter returns a meter for model (see [ModelOf]).
func NewForeignMeter(model Model) *ForeignMeter { return &ForeignMeter{model: model} }

// Add measures the next comments' bodies, in input order.
func (f *ForeignMeter) Add(rs []classify.Result) error {
	for i := range rs {
		f.n++
		if c := rs[i].Comment; c != nil {
			f.count.add(f.model, f.n, c, rs[i].OOV)
		}
	}
	return nil
}

// Result returns how foreign the comments added so far look.
func (f *ForeignMeter) Result() Foreignness {
	a := Aggregator{model: f.model, foreign: f.count}
	return a.Foreign()
}
