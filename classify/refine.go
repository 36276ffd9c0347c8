package classify

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
)

// The discriminative refinement ([Options.Refine], [Model.Refine]) is
// the NBSVM of Wang & Manning (2012): for each class against the others,
// a linear SVM over the document's features scaled by the class's naive
// Bayes log-count ratios. For term t and class c the ratio is
//
//	r_tc = log((n_tc + α) / (N_c + αV)) − log((n_t¬c + α) / (N_¬c + αV))
//
// with n the model's (weighted, possibly binarized and TF-IDF-normalized)
// counts, N their class totals, ¬c the other classes together, α the
// model's smoothing and V its vocabulary: the evidence t gives for c
// against the rest. A document's class scores are
//
//	score_c(d) = b_c + Σ_t f_t(d)·r_tc·v_tc
//
// where f_t(d) = 1 + ln tf_t(d) for a term met tf_t(d) times in d (1 with
// Binary; see svmFeature), and v_c and b_c minimise the L2-regularized
// squared hinge loss
// ½‖(v_c, b_c)‖² + RefineC·Σ_d max(0, 1 − y_dc·score_c(d))², y_dc = +1
// for the documents of c and −1 for the others, solved by dual coordinate
// descent (Hsieh et al. 2008, the method of LIBLINEAR) in a seeded order,
// until the projected gradients spread over at most RefineTolerance, or
// for at most RefinePasses passes: with two classes one problem (the other
// is its negation), with LIBLINEAR's shrinking; with more, the classes'
// problems side by side, one sweep over the examples a pass. The weights
// start at 0 (or, for a fold, at the solution of the fit on all the
// examples), so that a term the examples never show has no weight. The
// fitted table r·v and the biases b
// replace the naive Bayes ones when the model scores (the calibrated
// temperature turns the margins into probabilities); the counts are kept,
// exact and additive as ever, and Learn, Unlearn and Merge drop the fitted
// table (it describes other counts), as they drop the held-out statistics.
const (
	// RefineC is the SVM's cost of a margin violation against the L2
	// penalty, relative to the examples: the cost is RefineC over the mean
	// squared norm of the scaled examples, so that the fit does not depend
	// on the scale of the ratios (which TF-IDF and alpha change). On the
	// sets of issue 13, 1 was as good as 0.5, 2 and 4 (within 0.4 points;
	// training/README.md).
	RefineC = 1.0
	// RefinePasses bounds the passes over the examples. The fits of
	// issue 13's sets stop at 11 to 22 passes by the tolerance; their
	// held-out scores after 5 passes are those after 30 (training/README.md),
	// at a quarter of the cost.
	RefinePasses = 5
	// RefineWarmPasses bounds the passes of a refinement that starts from
	// the solution of one on more examples (a fold's, see
	// [Model.RefineExamples]): it starts where a fit from 0 would be
	// after RefinePasses passes, on nine tenths of the same examples.
	RefineWarmPasses = 3
	// RefineTolerance stops the passes when the projected gradients of
	// the dual spread over at most this much (LIBLINEAR's default).
	RefineTolerance = 0.1
)

// refinement is a model's fitted weight table (see [Model.Refine]):
// term-major like the counts, never modified in place.
type refinement struct {
	w    []float64 // [t*nc+c]
	bias []float64
	// rawTF marks a table fitted on the raw term counts of a document (a
	// version 3 file of a model without Binary), which must be scored on
	// them: see [svmFeature].
	rawTF bool
}

// svmFeature is f_t(d) of the refinement for a term met tf times in a
// document: 1 + ln tf (the sublinear tf scaling of Manning et al. 2008,
// §6.4.1, scikit-learn's sublinear_tf), so 1 for a term met once and
// always with Binary. The SVM was first fitted on the raw counts, which on
// long posts (20 Newsgroups: a word met 30 times in a post weighs 30) cost
// 17 to 23 points of accuracy against the NB model it refines
// (training/README).
// Tables of version 3 files, fitted on the raw counts, keep them
// (refinement.rawTF).
func svmFeature(tf float64) float64 {
	if tf <= 1 {
		return tf
	}
	return 1 + math.Log(tf)
}

// svmFeatures replaces each count of tf by [svmFeature] of it.
func svmFeatures(tf []float64) {
	for k, v := range tf {
		tf[k] = svmFeature(v)
	}
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

// Refine fits the model's weight table on examples by NBSVM (see
// [RefineC] for the method), in an order seeded by seed: the same
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
// Examples are safe to share between goroutines once made and, when a
// refinement on them without a skip list is wanted, once that is made: it
// records its solution in them (see [Model.RefineExamples]); nothing else
// writes them.
type Examples struct {
	terms   int // the terms of the model they were made for
	classes []string
	xs      []sparseDoc
	ys      []int // the class index, -1 for a label that is not a class
	// warm is the dual solution of the last refinement on all of them
	// (per class, per example), from which a refinement on part of them
	// starts (see [Model.RefineExamples]); nil before.
	warm [][]float64
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
		svmFeatures(e.xs[i].tf)
		e.ys[i] = c
	}
	return e
}

// RefineExamples is [Model.Refine] on the examples e (made by m or by
// the model m was made from, see [Examples]) that skip does not mark, in
// their order: skip marks the first len(skip) examples (nil: none). A
// refinement with skip nil keeps its solution in e, and a later one with a
// skip list (a fold's model) starts from it and makes at most
// RefineWarmPasses passes: make that first one before e is shared between
// goroutines. The fit of all the examples (skip nil) splits its classes
// among the cores; a fold's, which may run beside others, takes one core:
// see [Model.RefineExamplesOn].
func (m *Model) RefineExamples(e *Examples, skip []bool, seed uint64) error {
	cores := 1
	if skip == nil {
		cores = runtime.GOMAXPROCS(0)
	}
	return m.RefineExamplesOn(e, skip, seed, cores)
}

// RefineExamplesOn is [Model.RefineExamples] with the fit of three
// classes or more split among cores goroutines, a group of classes each:
// the fit is the same to the bit for any cores, only its time changes.
// A trainer that refines folds one after the other gives each the
// machine's cores; one that runs folds side by side shares them out.
func (m *Model) RefineExamplesOn(e *Examples, skip []bool, seed uint64, cores int) error {
	if e.terms > len(m.terms) || !slices.Equal(e.classes, m.classes) {
		return fmt.Errorf("refine: examples made for another model (%d terms, classes %v)", e.terms, e.classes)
	}
	xs := make([]sparseDoc, 0, len(e.xs))
	ys := make([]int, 0, len(e.ys))
	src := make([]int, 0, len(e.ys)) // the index in e of each example fitted
	for i, y := range e.ys {
		if y < 0 {
			continue
		}
		if i >= len(skip) || !skip[i] {
			xs = append(xs, e.xs[i])
			ys = append(ys, y)
			src = append(src, i)
		}
	}
	if len(ys) == 0 {
		return ErrNoExamples
	}
	// Only a refinement without a skip list keeps its solution: those
	// with one (a fold's) may run side by side, reading it.
	all := skip == nil
	var warm [][]float64
	if !all && e.warm != nil {
		warm = make([][]float64, len(e.warm))
		for c, sol := range e.warm {
			warm[c] = make([]float64, len(src))
			for j, i := range src {
				warm[c][j] = sol[i]
			}
		}
	}
	rt := newRatios(m.counts, m.dn, m.Options.normalized().Alpha, len(m.classes))
	passes := RefinePasses
	if warm != nil {
		passes = RefineWarmPasses
	}
	w, bias, sol := fitNBSVM(xs, ys, rt, seed, passes, warm, all, cores)
	if all {
		// Every example with a class fitted: the solution indexed as e's
		// examples (0 for those without one).
		e.warm = make([][]float64, len(sol))
		for c, a := range sol {
			e.warm[c] = make([]float64, len(e.ys))
			for j, i := range src {
				e.warm[c][i] = a[j]
			}
		}
	}
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

// refined fits NBSVM on the examples xs of classes ys over the counts
// (of the terms whose dn is positive) smoothed by alpha, in at most passes
// passes, and returns the fitted table r·v and biases, on one core. With
// two classes it holds one class's ratios at a time (besides the table,
// a few vectors of the vocabulary's size and the examples' features);
// with more, the rows of every class's ratios and weights (see
// fitNBSVMJoint).
func refined(counts []float64, dn []int64, alpha float64, nc int, xs []sparseDoc, ys []int, seed uint64, passes int) ([]float64, []float64) {
	table, bias, _ := fitNBSVM(xs, ys, newRatios(counts, dn, alpha, nc), seed, passes, nil, false, 1)
	return table, bias
}

// ratios gives the one-against-the-rest log-count ratios r_tc, a class
// at a time or a group of classes at a time (rowsOf).
type ratios struct {
	counts     []float64
	dn         []int64
	alpha      float64
	nc         int
	sum        []float64 // each term's count in all classes
	logP, logQ []float64 // the logarithms of each class's denominators
}

func newRatios(counts []float64, dn []int64, alpha float64, nc int) *ratios {
	r := &ratios{counts: counts, dn: dn, alpha: alpha, nc: nc, sum: make([]float64, len(dn)),
		logP: make([]float64, nc), logQ: make([]float64, nc)}
	tot := make([]float64, nc)
	var all, V float64
	for t, n := range dn {
		if n <= 0 {
			continue
		}
		V++
		for c, x := range counts[t*nc : t*nc+nc] {
			tot[c] += x
			r.sum[t] += x
		}
		all += r.sum[t]
	}
	for c := range nc {
		r.logP[c] = math.Log(tot[c] + alpha*V)
		r.logQ[c] = math.Log(max(all-tot[c], 0) + alpha*V)
	}
	return r
}

// rowsOf fills dst (term-major, a row of c1-c0 values for each term)
// with the ratios of classes c0 to c1-1 of the terms with documents (0
// for the others); rowsOf(c, c+1, dst) is class c's by term.
func (r *ratios) rowsOf(c0, c1 int, dst []float64) {
	nc, a, w := r.nc, r.alpha, c1-c0
	for t, n := range r.dn {
		row := dst[t*w : t*w+w]
		if n <= 0 {
			clear(row)
			continue
		}
		sum := r.sum[t]
		for j, x := range r.counts[t*nc+c0 : t*nc+c1] {
			row[j] = math.Log(x+a) - r.logP[c0+j] - math.Log(max(sum-x, 0)+a) + r.logQ[c0+j]
		}
	}
}

// fitNBSVM fits, for each class against the others, the dual coordinate
// descent of an L2-regularized L2-loss linear SVM over the features scaled
// by the class's ratios, with a bias feature of value 1, with LIBLINEAR's
// shrinking (an example out of the margin whose gradient exceeds the last
// pass's largest is set aside until the pass that would stop) and
// stopping rule (the spread of the projected gradients at most
// RefineTolerance), and returns the table r·v (term-major) and the biases,
// and with keep the dual solution (per class, per example). A fit starts
// from the dual solution warm (per class, per example; nil: 0), the
// weights made from it: a fold's model, whose examples and ratios are
// close to those of the model of all the examples, starts near its own
// solution.
func fitNBSVM(xs []sparseDoc, ys []int, rt *ratios, seed uint64, passes int, warm [][]float64, keep bool, groups int) (table, bias []float64, sol [][]float64) {
	if rt.nc > 2 {
		return fitNBSVMJoint(xs, ys, rt, seed, passes, warm, keep, groups)
	}
	nc, V := rt.nc, len(rt.dn)
	table = make([]float64, V*nc)
	bias = make([]float64, nc)
	n := len(xs)
	r := make([]float64, V) // the class's ratios, by term
	w := make([]float64, V) // the class's weights, by term
	// val holds the examples' features scaled by the class's ratios, in
	// the examples' order (example i's from off[i]), as float32: half the
	// memory of the examples' own features.
	off := make([]int, n+1)
	for i, x := range xs {
		off[i+1] = off[i] + len(x.ids)
	}
	val := make([]float32, off[n])
	alpha := make([]float64, n)
	qd := make([]float64, n)
	y := make([]float64, n)
	index := make([]int, n)
	rng := rand.New(rand.NewPCG(seed, 0x6e627376)) // "nbsv"
	for c := range nc {
		if nc == 2 && c == 1 {
			// Two classes: the ratios of the second are those of the first
			// negated, and so are its labels: the same dual, the same
			// weights, a table and bias negated.
			for t := 0; t < len(table); t += 2 {
				table[t+1] = -table[t]
			}
			bias[1] = -bias[0]
			if keep {
				sol = append(sol, sol[0])
			}
			break
		}
		rt.rowsOf(c, c+1, r)
		clear(w)
		clear(alpha)
		var b, norms float64
		for i, x := range xs {
			q := 1.0 // the bias feature's 1²
			for k, id := range x.ids {
				f := float32(x.tf[k] * r[id])
				val[off[i]+k] = f
				q += float64(f) * float64(f)
			}
			qd[i] = q
			norms += q
			index[i] = i
			y[i] = -1
			if ys[i] == c {
				y[i] = 1
			}
		}
		// The cost is RefineC over the examples' mean squared norm.
		diag := 0.5 * norms / float64(n) / RefineC // the dual's diagonal term of the squared hinge
		for i := range qd {
			qd[i] += diag
		}
		if warm != nil {
			copy(alpha, warm[c])
			for i, a := range alpha {
				if a == 0 {
					continue
				}
				d := a * y[i]
				b += d
				for k, id := range xs[i].ids {
					w[id] += d * float64(val[off[i]+k])
				}
			}
		}
		active := n
		maxOld, minOld := math.Inf(1), math.Inf(-1)
		for range passes {
			rng.Shuffle(active, func(i, j int) { index[i], index[j] = index[j], index[i] })
			maxNew, minNew := math.Inf(-1), math.Inf(1)
			for s := 0; s < active; s++ {
				i := index[s]
				fi, vi := xs[i].ids, val[off[i]:off[i+1]]
				sc := b
				for k, id := range fi {
					sc += w[id] * float64(vi[k])
				}
				g := y[i]*sc - 1 + diag*alpha[i]
				pg := g
				if alpha[i] == 0 {
					if g > maxOld {
						active--
						index[s], index[active] = index[active], index[s]
						s--
						continue
					}
					pg = min(g, 0)
				}
				maxNew, minNew = max(maxNew, pg), min(minNew, pg)
				if math.Abs(pg) <= 1e-12 {
					continue
				}
				a := max(alpha[i]-g/qd[i], 0)
				d := (a - alpha[i]) * y[i]
				alpha[i] = a
				b += d
				for k, id := range fi {
					w[id] += d * float64(vi[k])
				}
			}
			if maxNew-minNew <= RefineTolerance {
				if active == n {
					break
				}
				active, maxOld, minOld = n, math.Inf(1), math.Inf(-1)
				continue
			}
			maxOld, minOld = maxNew, minNew
			if maxOld <= 0 {
				maxOld = math.Inf(1)
			}
			if minOld >= 0 {
				minOld = math.Inf(-1)
			}
		}
		for t, x := range w {
			table[t*nc+c] = x * r[t]
		}
		bias[c] = b
		if keep {
			sol = append(sol, slices.Clone(alpha))
		}
	}
	return table, bias, sol
}

// fitNBSVMJoint is fitNBSVM for three classes or more: the classes'
// problems are solved side by side, one sweep over the examples (in one
// seeded order) a pass, an example's scores and updates for every class
// read from the term-major rows of the ratios and the weights (a cache
// line or two per term, where a class at a time reads a row per class).
// Without shrinking: on the sets measured it set aside almost nothing
// before the last pass. It stops when every class's projected gradients
// spread over at most RefineTolerance.
//
// With groups > 1 the classes are split into that many groups (at most
// one a class), each swept on its own goroutine with its own rows; they
// meet after every pass for the stopping rule. A class's arithmetic is the
// same in any group, so the fit is the same to the bit for any groups.
func fitNBSVMJoint(xs []sparseDoc, ys []int, rt *ratios, seed uint64, passes int, warm [][]float64, keep bool, groups int) (table, bias []float64, sol [][]float64) {
	nc, V := rt.nc, len(rt.dn)
	groups = max(1, min(groups, nc))
	parts := make([]*jointFit, groups)
	for g := range parts {
		parts[g] = newJointFit(xs, ys, rt, g*nc/groups, (g+1)*nc/groups, warm, seed)
	}
	if groups == 1 {
		for range passes {
			if parts[0].pass() {
				break
			}
		}
	} else {
		report := make(chan bool, groups)
		cont := make([]chan bool, groups)
		var wg sync.WaitGroup
		for g, f := range parts {
			cont[g] = make(chan bool, 1)
			wg.Go(func() {
				for range passes {
					report <- f.pass()
					if !<-cont[g] {
						return
					}
				}
			})
		}
		for p := range passes {
			done := true
			for range groups {
				done = <-report && done
			}
			stop := done || p == passes-1
			for g := range cont {
				cont[g] <- !stop
			}
			if stop {
				break
			}
		}
		wg.Wait()
	}
	bias = make([]float64, 0, nc)
	for _, f := range parts {
		bias = append(bias, f.bias...)
	}
	if groups == 1 {
		table = parts[0].w
		for o := range table {
			table[o] *= parts[0].r[o]
		}
	} else {
		table = make([]float64, V*nc)
		for _, f := range parts {
			for t := range V {
				for j := range f.nc {
					table[t*nc+f.c0+j] = f.w[t*f.nc+j] * f.r[t*f.nc+j]
				}
			}
		}
	}
	if keep {
		sol = make([][]float64, 0, nc)
		for _, f := range parts {
			for j := range f.nc {
				a := make([]float64, f.n)
				for i := range a {
					a[i] = f.alpha[i*f.nc+j]
				}
				sol = append(sol, a)
			}
		}
	}
	return table, bias, sol
}

// jointFit is the side-by-side fit of classes c0 to c0+nc-1 (see
// fitNBSVMJoint): their term-major rows of ratios and weights, their
// dual variables and biases, and the seeded order of the passes.
type jointFit struct {
	xs         []sparseDoc
	ys         []int
	c0, nc, n  int
	r, w       []float64 // [t*nc+j], class c0+j
	alpha, qd  []float64 // [i*nc+j]
	bias, diag []float64
	order      []int
	sc, dd     []float64
	hi, lo     []float64
	rng        *rand.Rand
}

// newJointFit sets up the fit of classes c0 to c1-1, from the dual
// solution warm (per class, per example; nil: 0).
func newJointFit(xs []sparseDoc, ys []int, rt *ratios, c0, c1 int, warm [][]float64, seed uint64) *jointFit {
	V, n, nc := len(rt.dn), len(xs), c1-c0
	f := &jointFit{xs: xs, ys: ys, c0: c0, nc: nc, n: n,
		r: make([]float64, V*nc), w: make([]float64, V*nc), // the weights, then the table r·w
		alpha: make([]float64, n*nc), qd: make([]float64, n*nc),
		bias: make([]float64, nc), diag: make([]float64, nc), order: make([]int, n),
		sc: make([]float64, nc), dd: make([]float64, nc), hi: make([]float64, nc), lo: make([]float64, nc),
		rng: rand.New(rand.NewPCG(seed, 0x6e627376)), // "nbsv"
	}
	rt.rowsOf(c0, c1, f.r)
	r, qd := f.r, f.qd
	norms := make([]float64, nc)
	for i, x := range xs {
		q := qd[i*nc : i*nc+nc]
		for j := range q {
			q[j] = 1 // the bias feature's 1²
		}
		for k, id := range x.ids {
			tf, row := x.tf[k], r[int(id)*nc:int(id)*nc+nc]
			for j, rc := range row {
				v := tf * rc
				q[j] += v * v
			}
		}
		for j, v := range q {
			norms[j] += v
		}
	}
	// The cost is RefineC over each class's examples' mean squared norm.
	for j := range f.diag {
		f.diag[j] = 0.5 * norms[j] / float64(n) / RefineC
	}
	for i := range n {
		for j := range nc {
			qd[i*nc+j] += f.diag[j]
		}
	}
	if warm != nil {
		for i, x := range xs {
			a := f.alpha[i*nc : i*nc+nc]
			for j := range a {
				a[j] = warm[c0+j][i]
			}
			for j, v := range a {
				if v == 0 {
					continue
				}
				d := v * label(ys[i], c0+j)
				f.bias[j] += d
				for k, id := range x.ids {
					o := int(id)*nc + j
					f.w[o] += d * x.tf[k] * r[o]
				}
			}
		}
	}
	for i := range f.order {
		f.order[i] = i
	}
	return f
}

// pass makes one sweep over the examples in a new seeded order and
// reports whether every class of the fit has stopped (its projected
// gradients spread over at most RefineTolerance).
func (f *jointFit) pass() bool {
	nc, order := f.nc, f.order
	sc, dd, hi, lo := f.sc, f.dd, f.hi, f.lo
	w, r, alpha, qd, bias := f.w, f.r, f.alpha, f.qd, f.bias
	f.rng.Shuffle(f.n, func(i, j int) { order[i], order[j] = order[j], order[i] })
	for j := range nc {
		hi[j], lo[j] = math.Inf(-1), math.Inf(1)
	}
	for _, i := range order {
		x := f.xs[i]
		copy(sc, bias)
		for k, id := range x.ids {
			tf, o := x.tf[k], int(id)*nc
			wr, rr := w[o:o+nc], r[o:o+nc]
			for j := range sc {
				sc[j] += wr[j] * tf * rr[j]
			}
		}
		moved := false
		for j := range nc {
			y := label(f.ys[i], f.c0+j)
			a := alpha[i*nc+j]
			g := y*sc[j] - 1 + f.diag[j]*a
			pg := g
			if a == 0 {
				pg = min(g, 0)
			}
			hi[j], lo[j] = max(hi[j], pg), min(lo[j], pg)
			dd[j] = 0
			if math.Abs(pg) <= 1e-12 {
				continue
			}
			na := max(a-g/qd[i*nc+j], 0)
			dd[j] = (na - a) * y
			alpha[i*nc+j] = na
			bias[j] += dd[j]
			moved = moved || dd[j] != 0
		}
		if !moved {
			continue
		}
		for k, id := range x.ids {
			tf, o := x.tf[k], int(id)*nc
			wr, rr := w[o:o+nc], r[o:o+nc]
			for j, d := range dd {
				wr[j] += d * tf * rr[j]
			}
		}
	}
	done := true
	for j := range nc {
		done = done && hi[j]-lo[j] <= RefineTolerance
	}
	return done
}

// label is +1 when class y is c, −1 otherwise: the SVM label of an
// example of class y in the problem of class c against the others.
func label(y, c int) float64 {
	if y == c {
		return 1
	}
	return -1
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
