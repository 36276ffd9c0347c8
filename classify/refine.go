package classify

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// The discriminative refinement ([Options.Refine], [Model.Refine]) is
// NB-LR, the logistic-regression form of the NBSVM of Wang & Manning
// (2012): a multinomial logistic regression over the document's features
// scaled by the naive Bayes log-count ratios. For term t and class c the
// ratio is r_tc = w_tc − mean_k w_tk, where w is the naive Bayes weight
// table of the model's options (see derived): the evidence t gives for c
// against the average class. A document's class scores are
//
//	score_c(d) = b_c + Σ_t f_t(d)·r_tc·v_tc
//
// and v and b are fitted by minimising the cross-entropy of the labels
// plus (λ/2)·Σ v² over the training documents: RefineEpochs passes in a
// seeded random order, each example a step of AdaGrad (rate RefineRate)
// over the coordinates it touches (of the classes whose gradient is at
// least RefineSkip). b starts at the naive Bayes prior and v at 0, so
// that a term the examples never show has no weight. The fitted table r·v and the biases b replace the naive Bayes ones when the
// model scores; the counts are kept, exact and additive as ever, and
// Learn, Unlearn and Merge drop the fitted table (it describes other
// counts), as they drop the held-out statistics.
const (
	// RefineEpochs is the number of passes over the examples.
	RefineEpochs = 3
	// RefineRate is AdaGrad's learning rate.
	RefineRate = 0.1
	// RefineL2 is λ, the L2 penalty of each step on the coordinates it
	// updates.
	RefineL2 = 1e-3
	// RefineSkip is the smallest gradient of a class's score for which a
	// step updates that class's coordinates: a class the example gives
	// (almost) no probability to, or (almost) all of it when right, is
	// left alone, its L2 shrinkage deferred to a larger gradient. It
	// spares most of the updates with many classes.
	RefineSkip = 0.01
)

// refinement is a model's fitted weight table (see [Model.Refine]):
// term-major like the counts, never modified in place.
type refinement struct {
	w    []float64 // [t*nc+c]
	bias []float64
}

// Example is a labeled text for [Model.Refine].
type Example struct {
	Text  string
	Label string
}

// Refined reports whether the model scores with a fitted weight table
// ([Model.Refine]) rather than with its naive Bayes weights.
func (m *Model) Refined() bool { return m.refined != nil }

// ErrNoExamples is returned by [Model.Refine] when no example has a label
// of the model.
var ErrNoExamples = errors.New("refine: no example with a label of the model")

// Refine fits the model's weight table on examples by NB-LR (see
// [RefineEpochs] for the method), in an order seeded by seed: the same
// counts, options, examples and seed give the same table. Examples whose
// label is not a class of the model are left out. The model then scores
// with the fitted table until its counts change. Refine does not change
// [Options.Refine], which tells a trainer to call it.
func (m *Model) Refine(examples []Example, seed uint64) error {
	return m.RefineExamples(m.Examples(examples), nil, seed)
}

// Examples are labeled texts featurized for a model: each text's distinct
// known terms with their features as the model scores them, and its
// class. They serve the model they were made for and every model made
// from it by Clone, Learn and Unlearn, which keep its terms' ids: a
// trainer that refines the folds of one model tokenizes each text once.
// Examples are read-only once made, safe to share between goroutines.
type Examples struct {
	terms   int // the terms of the model they were made for
	classes []string
	xs      []sparseDoc
	ys      []int // the class index, -1 for a label that is not a class
}

// Len returns the number of examples, those without a class included.
func (e *Examples) Len() int { return len(e.ys) }

// Examples featurizes examples for m and the models made from it (see
// [Examples]).
func (m *Model) Examples(examples []Example) *Examples {
	opt := m.Options.normalized()
	d := &derived{nc: len(m.classes), nt: len(m.terms), opt: opt}
	s := d.get(m)
	e := &Examples{terms: len(m.terms), classes: slices.Clone(m.classes),
		xs: make([]sparseDoc, len(examples)), ys: make([]int, len(examples))}
	for i, ex := range examples {
		c, ok := m.classIdx[ex.Label]
		if !ok {
			e.ys[i] = -1
			continue
		}
		s.features(m, opt, ex.Text)
		e.xs[i] = sparseDoc{ids: slices.Clone(s.ids), tf: slices.Clone(s.tf)}
		e.ys[i] = c
	}
	return e
}

// RefineExamples is [Model.Refine] on the examples e (made by m or by
// the model m was made from, see [Examples]) that skip does not mark, in
// their order: skip marks the first len(skip) examples (nil: none).
func (m *Model) RefineExamples(e *Examples, skip []bool, seed uint64) error {
	if e.terms > len(m.terms) || !slices.Equal(e.classes, m.classes) {
		return fmt.Errorf("refine: examples made for another model (%d terms, classes %v)", e.terms, e.classes)
	}
	xs := make([]sparseDoc, 0, len(e.xs))
	ys := make([]int, 0, len(e.ys))
	for i, y := range e.ys {
		if y >= 0 && (i >= len(skip) || !skip[i]) {
			xs = append(xs, e.xs[i])
			ys = append(ys, y)
		}
	}
	if len(ys) == 0 {
		return ErrNoExamples
	}
	nc := len(m.classes)
	opt := m.Options.normalized()
	opt.Temperature = 0
	st := stats{counts: m.counts, df: m.df, dn: m.dn, docs: m.docs, total: m.total}
	d := buildDerived(st, m.termOrder(), opt, nc)
	w, bias := refined(d.w, d.bias, m.dn, xs, ys, seed)
	m.refined = &refinement{w: w, bias: bias}
	m.legacy = false
	m.changed()
	return nil
}

// sparseDoc is an example's known terms and their features.
type sparseDoc struct {
	ids []int32
	tf  []float64
}

// refined fits NB-LR on the examples xs of classes ys over the naive Bayes
// weights w (of the terms whose dn is positive) and biases bias, and
// returns the fitted table r·v and biases.
func refined(w, bias []float64, dn []int64, xs []sparseDoc, ys []int, seed uint64) ([]float64, []float64) {
	nc := len(bias)
	r := ratios(w, dn, nc)
	v, b := fitNBLR(xs, ys, r, bias, nc, seed)
	for i := range v {
		v[i] *= r[i]
	}
	return v, b
}

// ratios returns r_tc = w_tc − mean_k w_tk for the terms with documents
// (0 for the others).
func ratios(w []float64, dn []int64, nc int) []float64 {
	r := make([]float64, len(w))
	for t, n := range dn {
		if n <= 0 {
			continue
		}
		row := w[t*nc : t*nc+nc]
		var mean float64
		for _, x := range row {
			mean += x
		}
		mean /= float64(nc)
		for c, x := range row {
			r[t*nc+c] = x - mean
		}
	}
	return r
}

// fitNBLR fits v (term-major, the factor of r) and the biases, starting
// from 0 and prior, by AdaGrad on the cross-entropy with an L2 penalty.
func fitNBLR(xs []sparseDoc, ys []int, r, prior []float64, nc int, seed uint64) (v, bias []float64) {
	v = make([]float64, len(r))
	bias = make([]float64, nc)
	for c, b := range prior {
		if !math.IsInf(b, 0) && !math.IsNaN(b) {
			bias[c] = b
		} else {
			bias[c] = -50 // a class without documents: as good as never
		}
	}
	gv := make([]float64, len(r)) // AdaGrad's sums of squared gradients
	gb := make([]float64, nc)
	z := make([]float64, nc)
	rng := rand.New(rand.NewPCG(seed, 0x6e626c72)) // "nblr"
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	for range RefineEpochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			x, y := xs[i], ys[i]
			copy(z, bias)
			for k, id := range x.ids {
				o := int(id) * nc
				f := x.tf[k]
				for c := range z {
					z[c] += f * r[o+c] * v[o+c]
				}
			}
			mx, sum := softmax(z)
			for c := range z {
				g := math.Exp(z[c]-mx) / sum
				if c == y {
					g--
				}
				if g < RefineSkip && g > -RefineSkip {
					continue
				}
				gb[c] += g * g
				bias[c] -= RefineRate * g / (math.Sqrt(gb[c]) + 1e-8)
				for k, id := range x.ids {
					o := int(id)*nc + c
					gr := g*x.tf[k]*r[o] + RefineL2*v[o]
					if gr == 0 {
						continue
					}
					gv[o] += gr * gr
					v[o] -= RefineRate * gr / math.Sqrt(gv[o])
				}
			}
		}
	}
	return v, bias
}

// setRefined gives a decoded model the fitted table w (term-major, in
// the model's term order) and bias; every value must be finite.
func (m *Model) setRefined(w, bias []float64) error {
	for c, b := range bias {
		if math.IsInf(b, 0) || math.IsNaN(b) {
			return fmt.Errorf("weight_bias of class %q is %v", m.classes[c], b)
		}
	}
	for i, x := range w {
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return fmt.Errorf("weight of term %q in class %q is %v", m.terms[i/len(m.classes)], m.classes[i%len(m.classes)], x)
		}
	}
	m.refined = &refinement{w: w, bias: bias}
	return nil
}
