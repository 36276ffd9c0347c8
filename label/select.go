package label

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/stance-dev/stance/classify"
)

// Strategy names accepted by [NewStrategy].
var Strategies = []string{"active", "random", "sequential"}

// Strategy picks the next comment to label from a fixed pool of texts.
type Strategy interface {
	// Name is the strategy's name, one of [Strategies].
	Name() string
	// Next returns the index in the pool of the next text to label among
	// those for which open is true, judged with the model m; -1 when none
	// is open.
	Next(m *classify.Model, open func(i int) bool) int
	// Labeled tells the strategy that text i was labeled (or, on resume,
	// had been), so that it can keep its picks diverse.
	Labeled(i int)
}

// NewStrategy returns the named strategy over the pool texts; seed makes
// random choices repeatable.
func NewStrategy(name string, texts []string, seed uint64) (Strategy, error) {
	switch name {
	case "sequential":
		return &Sequential{n: len(texts)}, nil
	case "random":
		return NewRandom(len(texts), seed), nil
	case "active":
		return NewActive(texts, seed), nil
	}
	return nil, fmt.Errorf("unknown selection strategy %q: valid values are {%s}", name, strings.Join(Strategies, "|"))
}

// Sequential offers the texts in pool order. Make one with
// [NewStrategy]: the zero value offers nothing.
type Sequential struct {
	n, next int
}

// Name returns "sequential".
func (s *Sequential) Name() string { return "sequential" }

// Next returns the first open text.
func (s *Sequential) Next(_ *classify.Model, open func(int) bool) int {
	for i := range s.n {
		if open(i) {
			return i
		}
	}
	return -1
}

// Labeled does nothing.
func (s *Sequential) Labeled(int) {}

// Random offers the texts in a random order fixed by the seed.
type Random struct {
	perm []int
}

// NewRandom returns the random strategy over n texts.
func NewRandom(n int, seed uint64) *Random {
	return &Random{perm: newRand(seed).Perm(n)}
}

// Name returns "random".
func (r *Random) Name() string { return "random" }

// Next returns the first open text in the seeded order.
func (r *Random) Next(_ *classify.Model, open func(int) bool) int {
	for _, i := range r.perm {
		if open(i) {
			return i
		}
	}
	return -1
}

// Labeled does nothing.
func (r *Random) Labeled(int) {}

// Active picks the text the model is least sure about among a random
// sample of the open texts, steering clear of texts like the ones labeled
// last.
//
// For a text x with posterior probabilities p₁ ≥ p₂ ≥ ... the score is
//
//	score(x) = (1 − (p₁ − p₂)) · (1 − maxsim(x)) · density(x)^Beta
//
// The first factor is margin sampling (Scheffer et al. 2001; Settles 2009,
// §3.1): smallest margin first. Margin suits naive Bayes better than
// entropy or least-confident: NB's posteriors are badly calibrated in
// their tails, while which two classes are close is what its counts carry.
//
// maxsim(x) is the largest cosine similarity of x, on TF-IDF vectors of
// its words (stopwords dropped), to the last Window texts labeled: the
// diversity term. A pure uncertainty rule picks runs of near-duplicates
// (reposts, quotes of one passage) whenever the model is unsure about a
// whole cluster, since labeling one barely moves its twins' margins under
// the smoothing; here an exact duplicate of a text just labeled scores 0.
// A window, not the whole labeled set, keeps a pick O(sample·Window) and
// lets the strategy come back to a region once the model has moved.
//
// Each pick scores a fresh random sample of Candidates open texts, not
// all of them: this bounds the cost of a pick on a pool of millions and,
// as "uncertainty over a random subset", damps the sampling bias of pure
// uncertainty sampling, which keeps drilling into one confusing region
// while the model's picture of the rest is still wrong.
//
// density(x) is the information density of Settles & Craven (2008), the
// mean cosine similarity of x to the pool (computed against the pool's
// mean vector, so it costs O(pool) once), scaled so that the densest text
// has 1. It is off by default (Beta 0): on SemEval-2016 task 6A tweets it
// made the curve worse (macro-F1 at 400 labels, mean of 5 runs: 0.42 with
// Beta 1, 0.43 with 0.5, 0.45 with 0), because on short texts the densest
// ones are the generic ones, the least informative about stance.
//
// Until the model has documents of every class (cue phrases count)
// margins mean nothing, and Active picks at random, by the seed (see
// Active.ready).
type Active struct {
	// Beta is the exponent of the density term; 0 (NewActive's choice)
	// switches it off.
	Beta float64
	// Window is the number of texts labeled last that the diversity term
	// compares with; 0 switches it off. NewActive sets 10.
	Window int
	// Candidates is the size of the random sample of open texts scored per
	// pick; 0 scores them all. NewActive sets 1000.
	Candidates int

	texts   []string
	vecs    []sparseVec
	density []float64
	recent  []int
	rng     *rand.Rand
	post    []float64
	cand    []int
	labeled int
}

// NewActive returns the active strategy over the pool texts.
func NewActive(texts []string, seed uint64) *Active {
	return &Active{Window: 10, Candidates: 1000, texts: texts, rng: newRand(seed)}
}

// Name returns "active".
func (a *Active) Name() string { return "active" }

// Labeled records text i in the diversity window.
func (a *Active) Labeled(i int) {
	a.labeled++
	a.recent = append(a.recent, i)
	if a.Window >= 0 && len(a.recent) > a.Window {
		a.recent = a.recent[len(a.recent)-a.Window:]
	}
}

// Next returns the open text of highest score.
func (a *Active) Next(m *classify.Model, open func(int) bool) int {
	a.cand = a.cand[:0]
	for i := range a.texts {
		if open(i) {
			a.cand = append(a.cand, i)
		}
	}
	if len(a.cand) == 0 {
		return -1
	}
	if !a.ready(m) {
		return a.cand[a.rng.IntN(len(a.cand))]
	}
	if a.Candidates > 0 && len(a.cand) > a.Candidates {
		for k := range a.Candidates {
			j := k + a.rng.IntN(len(a.cand)-k)
			a.cand[k], a.cand[j] = a.cand[j], a.cand[k]
		}
		a.cand = a.cand[:a.Candidates]
		slices.Sort(a.cand)
	}
	if a.vecs == nil && (a.Beta != 0 || a.Window > 0) {
		// The vectors and densities are built once, at the first pick.
		a.vecs, a.density = vectorize(a.texts)
	}
	best, bestScore := -1, math.Inf(-1)
	for _, i := range a.cand {
		a.post = m.Posteriors(a.texts[i], a.post)
		s := 1 - margin(a.post)
		if a.Beta != 0 {
			s *= math.Pow(a.density[i], a.Beta)
		}
		if a.Window > 0 {
			sim := 0.0
			for _, j := range a.recent {
				sim = max(sim, a.vecs[i].dot(a.vecs[j]))
			}
			s *= 1 - min(sim, 1)
		}
		if s > bestScore {
			best, bestScore = i, s
		}
	}
	return best
}

// ready reports whether margins mean something: every class of m has
// documents (a class without any has prior 0, so it is never predicted
// and no text is ever uncertain about it: margin sampling could not find
// it), or at least two have and 10 labels per class have been given
// (a class that is not in the pool must not keep the picks random).
func (a *Active) ready(m *classify.Model) bool {
	classes := m.Classes()
	n := 0
	for _, c := range classes {
		if m.Docs(c) > 0 {
			n++
		}
	}
	return n == len(classes) && n >= 2 || n >= 2 && a.labeled >= 10*len(classes)
}

// margin returns p₁ − p₂ of posteriors p (1 with a single class).
func margin(p []float64) float64 {
	p1, p2 := 0.0, 0.0
	for _, v := range p {
		if math.IsNaN(v) {
			continue
		}
		if v > p1 {
			p1, p2 = v, p1
		} else if v > p2 {
			p2 = v
		}
	}
	return p1 - p2
}

// sparseVec is a unit-length TF-IDF vector: term ids ascending, weights.
type sparseVec struct {
	ids []int32
	w   []float32
}

func (v sparseVec) dot(u sparseVec) float64 {
	var s float64
	i, j := 0, 0
	for i < len(v.ids) && j < len(u.ids) {
		switch {
		case v.ids[i] < u.ids[j]:
			i++
		case v.ids[i] > u.ids[j]:
			j++
		default:
			s += float64(v.w[i]) * float64(u.w[j])
			i++
			j++
		}
	}
	return s
}

// vectorize returns the TF-IDF unit vectors of texts (words, stopwords
// dropped; weight (1+log tf)·log(1+N/df)) and each text's density: its
// cosine similarity to the mean of the vectors, scaled so that the largest
// is 1 (all 1 when every similarity is 0).
func vectorize(texts []string) ([]sparseVec, []float64) {
	opt := classify.Options{Stopwords: true}
	ids := map[string]int32{}
	var df []float64
	type tf struct {
		id int32
		n  float64
	}
	docs := make([][]tf, len(texts))
	for k, t := range texts {
		counts := map[int32]float64{}
		for _, tok := range classify.Tokenize(t, opt) {
			id, ok := ids[tok]
			if !ok {
				id = int32(len(df))
				ids[tok] = id
				df = append(df, 0)
			}
			if counts[id] == 0 {
				df[id]++
			}
			counts[id]++
		}
		d := make([]tf, 0, len(counts))
		for id, n := range counts {
			d = append(d, tf{id, n})
		}
		slices.SortFunc(d, func(a, b tf) int { return int(a.id - b.id) })
		docs[k] = d
	}
	n := float64(len(texts))
	vecs := make([]sparseVec, len(texts))
	mean := make([]float64, len(df))
	for k, d := range docs {
		v := sparseVec{ids: make([]int32, len(d)), w: make([]float32, len(d))}
		var ss float64
		ws := make([]float64, len(d))
		for j, e := range d {
			w := (1 + math.Log(e.n)) * math.Log(1+n/df[e.id])
			ws[j] = w
			ss += w * w
		}
		norm := math.Sqrt(ss)
		for j, e := range d {
			v.ids[j] = e.id
			if norm > 0 {
				v.w[j] = float32(ws[j] / norm)
				mean[e.id] += ws[j] / norm / n
			}
		}
		vecs[k] = v
	}
	var mnorm float64
	for _, x := range mean {
		mnorm += x * x
	}
	mnorm = math.Sqrt(mnorm)
	density := make([]float64, len(texts))
	top := 0.0
	for k, v := range vecs {
		var s float64
		for j, id := range v.ids {
			s += float64(v.w[j]) * mean[id]
		}
		if mnorm > 0 {
			s /= mnorm
		}
		density[k] = s
		top = max(top, s)
	}
	for k := range density {
		if top > 0 {
			density[k] /= top
		} else {
			density[k] = 1
		}
	}
	return vecs, density
}
