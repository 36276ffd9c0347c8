package classify

import (
	"fmt"
	"slices"
)

// TopPBins is the number of equal-width bins of [ClassHeldout.TopPHist]
// over [0, 1].
const TopPBins = 10

// Heldout is what a model's held-out (cross-validated) predictions say
// about its errors: every labeled training document scored by a model
// trained without it. The trainer fills it (training.Train with
// calibration on) from the same predictions that fit the temperature;
// [Model.Heldout] returns it, nil for a model without one (a version 1
// model file, or one trained without calibration): such a model's shares
// cannot be adjusted for its errors.
//
// Class indices are those of [Model.Classes]. The posteriors are the
// calibrated ones (after the model's temperature).
type Heldout struct {
	// Documents is the number of held-out predictions (labeled documents;
	// cue pseudo-documents are never held out).
	Documents int `json:"documents"`
	// Folds is the number of cross-validation folds (Documents for
	// leave-one-out).
	Folds int `json:"folds"`
	// Confusion[t][p] counts the held-out documents of true (primary)
	// class t predicted as p.
	Confusion [][]int `json:"confusion"`
	// Unclear is the abstain threshold chosen on the held-out predictions:
	// a text whose top probability is below it is "unclear" and should be
	// reported apart, not counted as its top class. 0 places every text.
	Unclear float64 `json:"unclear"`
	// Placed is Confusion restricted to the documents whose top
	// probability is at least Unclear: the errors among placed texts, the
	// matrix to adjust placed counts with.
	Placed [][]int `json:"placed"`
	// MeanPosterior[t][c] is the mean posterior of class c over the placed
	// held-out documents of true class t (the matrix of probabilistic
	// adjusted count); a row of zeros when class t has none.
	MeanPosterior [][]float64 `json:"mean_posterior"`
	// Classes summarises the held-out top probability per predicted class.
	Classes []ClassHeldout `json:"classes"`
	// MeanTopP is the mean held-out top probability over all documents.
	MeanTopP float64 `json:"mean_top_p"`
	// MeanOOV is the mean held-out out-of-vocabulary rate ([Model.OOV]
	// against the fold's model): how unlike its training data new text
	// from the same source looks to the model.
	MeanOOV float64 `json:"mean_oov"`
	// OOV90 is the 90th percentile of the held-out out-of-vocabulary rates.
	OOV90 float64 `json:"oov_90"`
}

// ClassHeldout summarises the held-out documents predicted as one class.
type ClassHeldout struct {
	// Predicted is the number of held-out documents predicted as the class.
	Predicted int `json:"predicted"`
	// MeanTopP is their mean top probability (0 when none).
	MeanTopP float64 `json:"mean_top_p"`
	// Precision is the share of them whose true class it is.
	Precision float64 `json:"precision"`
	// TopPHist counts them by top probability in [TopPBins] equal bins
	// over [0, 1] (the last bin includes 1).
	TopPHist []int `json:"top_p_hist"`
}

// Heldout returns a copy of the model's held-out statistics, or nil when
// it has none (see [Heldout]).
func (m *Model) Heldout() *Heldout {
	if m.heldout == nil {
		return nil
	}
	return m.heldout.clone()
}

// Adjustable reports whether the model has held-out statistics, so that
// class shares counted with it can be adjusted for its errors. Version 1
// model files have none.
func (m *Model) Adjustable() bool { return m.heldout != nil }

// SetHeldout stores a copy of h as the model's held-out statistics (nil
// removes them). It is an error for h's matrices not to match the model's
// classes. Learning, unlearning or merging afterwards drops them, since
// they no longer describe the model.
func (m *Model) SetHeldout(h *Heldout) error {
	if h == nil {
		m.heldout = nil
		m.hash.Store(nil)
		return nil
	}
	if err := h.check(len(m.classes)); err != nil {
		return fmt.Errorf("held-out statistics: %w", err)
	}
	m.heldout = h.clone()
	m.legacy = false
	m.hash.Store(nil)
	return nil
}

// check verifies the dimensions and ranges of h for nc classes.
func (h *Heldout) check(nc int) error {
	square := func(name string, n int, row func(i int) int) error {
		if n != nc {
			return fmt.Errorf("%s has %d rows for %d classes", name, n, nc)
		}
		for i := range n {
			if row(i) != nc {
				return fmt.Errorf("%s row %d has %d entries for %d classes", name, i, row(i), nc)
			}
		}
		return nil
	}
	if err := square("confusion", len(h.Confusion), func(i int) int { return len(h.Confusion[i]) }); err != nil {
		return err
	}
	if err := square("placed", len(h.Placed), func(i int) int { return len(h.Placed[i]) }); err != nil {
		return err
	}
	if err := square("mean_posterior", len(h.MeanPosterior), func(i int) int { return len(h.MeanPosterior[i]) }); err != nil {
		return err
	}
	if len(h.Classes) != nc {
		return fmt.Errorf("%d class summaries for %d classes", len(h.Classes), nc)
	}
	n := 0
	for t := range nc {
		for p := range nc {
			c, pl := h.Confusion[t][p], h.Placed[t][p]
			if c < 0 || pl < 0 || pl > c {
				return fmt.Errorf("confusion cell (%d,%d): %d, placed %d", t, p, c, pl)
			}
			n += c
		}
		for _, v := range h.MeanPosterior[t] {
			if !(v >= 0 && v <= 1) {
				return fmt.Errorf("mean_posterior row %d: %v", t, v)
			}
		}
		c := h.Classes[t]
		if len(c.TopPHist) != TopPBins {
			return fmt.Errorf("class %d: top_p_hist has %d bins, want %d", t, len(c.TopPHist), TopPBins)
		}
		if !(c.MeanTopP >= 0 && c.MeanTopP <= 1) || !(c.Precision >= 0 && c.Precision <= 1) || c.Predicted < 0 {
			return fmt.Errorf("class %d: summary %+v out of range", t, c)
		}
	}
	if n != h.Documents {
		return fmt.Errorf("confusion counts %d documents, documents says %d", n, h.Documents)
	}
	for _, v := range []float64{h.Unclear, h.MeanTopP, h.MeanOOV, h.OOV90} {
		if !(v >= 0 && v <= 1) {
			return fmt.Errorf("value %v out of [0, 1]", v)
		}
	}
	return nil
}

func (h *Heldout) clone() *Heldout {
	c := *h
	c.Confusion = cloneRows(h.Confusion)
	c.Placed = cloneRows(h.Placed)
	c.MeanPosterior = cloneRows(h.MeanPosterior)
	c.Classes = slices.Clone(h.Classes)
	for i := range c.Classes {
		c.Classes[i].TopPHist = slices.Clone(h.Classes[i].TopPHist)
	}
	return &c
}

func cloneRows[T any](rows [][]T) [][]T {
	if rows == nil {
		return nil
	}
	out := make([][]T, len(rows))
	for i, r := range rows {
		out[i] = slices.Clone(r)
	}
	return out
}

// OOV returns the number of word tokens of text (unigrams, after the
// model's tokenizer and stopwords) and how many of them the model's
// vocabulary lacks. unknown/total is the text's out-of-vocabulary rate; a
// rate far above [Heldout.MeanOOV] says the text is unlike the model's
// training data.
func (m *Model) OOV(text string) (unknown, total int) {
	d := m.tables()
	s := d.get(m)
	defer d.put(s)
	s.tok.Tokenize(text)
	return oovCount(m, s.tok, m.dn)
}

// OOVCount is the out-of-vocabulary count of a text, as [Model.OOV] gives
// it, kept by the scorer so that its caller need not tokenize the text
// again.
type OOVCount struct {
	// Unknown is the number of word tokens the model's vocabulary lacks.
	Unknown int
	// Total is the number of word tokens.
	Total int
	// Measured is false when the count was not taken (the zero value).
	Measured bool
}

// oovCount counts the tokens of tok's last text (bigrams aside) and those
// unknown to m with the document counts dn (a term with dn 0 is not in
// the vocabulary).
func oovCount(m *Model, tok *Tokenizer, dn []int64) (unknown, total int) {
	buf := tok.buf
	for _, sp := range tok.spans[:tok.words] { // not the structure tokens, char n-grams
		if sp.first >= 0 {
			continue // a bigram
		}
		total++
		k, k2 := termKey(buf, int(sp.start), int(sp.end)), termKey2(buf, int(sp.start), int(sp.end))
		id := m.index.quick(k, k2, sp.h, int(sp.end-sp.start))
		if id < 0 {
			id = m.index.find(m.terms, buf[sp.start:sp.end], k, k2, sp.h)
		}
		if id < 0 || dn[id] <= 0 {
			unknown++
		}
	}
	return unknown, total
}

// Foreign reports whether a text looks unlike the model's training data:
// the model is unsure of it (top probability topP below [Heldout.Unclear])
// and its out-of-vocabulary rate unknown/total ([Model.OOV]) is above the
// 90th percentile of the held-out rates. By construction at most 10% of
// texts like the training data are flagged (those above the percentile),
// and fewer, since most of them are placed; a much larger share of a
// thread or a file says the model is out of its depth there. (On the
// default model: 0 of the 50 seed comments, 44 of 51 lines of a software
// style guide.) A text with no word tokens is not flagged.
func (h *Heldout) Foreign(topP float64, unknown, total int) bool {
	if h == nil || total <= 0 {
		return false
	}
	return topP < h.Unclear && float64(unknown)/float64(total) > h.OOV90
}
