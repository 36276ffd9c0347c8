package label

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/training"
)

func all(int) bool { return true }

func TestSequentialAndRandom(t *testing.T) {
	seq, _ := NewStrategy("sequential", make([]string, 5), 1)
	if i := seq.Next(nil, func(i int) bool { return i >= 2 }); i != 2 {
		t.Errorf("sequential Next = %d, want 2", i)
	}
	order := func(seed uint64) []int {
		r, _ := NewStrategy("random", make([]string, 20), seed)
		done := map[int]bool{}
		var out []int
		for {
			i := r.Next(nil, func(i int) bool { return !done[i] })
			if i < 0 {
				return out
			}
			done[i] = true
			out = append(out, i)
		}
	}
	a, b, c := order(1), order(1), order(2)
	if !slices.Equal(a, b) {
		t.Error("random: same seed, different orders")
	}
	if slices.Equal(a, c) {
		t.Error("random: seeds 1 and 2 give the same order")
	}
	if s := slices.Sorted(slices.Values(a)); len(s) != 20 || s[0] != 0 || s[19] != 19 {
		t.Errorf("random order does not cover the pool: %v", a)
	}
	if _, err := NewStrategy("clever", nil, 1); err == nil {
		t.Error("unknown strategy: no error")
	}
}

func trainedModel() *classify.Model {
	m := classify.NewModel("t", nil, []string{"cats", "dogs"}, classify.Options{})
	m.Learn("cats purr and sleep on the sofa", []string{"cats"}, 1)
	m.Learn("dogs bark and fetch the ball", []string{"dogs"}, 1)
	return m
}

// TestActivePicksSmallestMargin: without the density and diversity terms,
// the pick is the text the model is least sure about.
func TestActivePicksSmallestMargin(t *testing.T) {
	texts := []string{
		"cats purr and sleep",        // sure: cats
		"dogs bark and fetch",        // sure: dogs
		"cats and dogs on the sofa",  // unsure
		"the ball and the sofa purr", // fairly sure
	}
	a := NewActive(texts, 1)
	a.Beta, a.Window = 0, 0
	m := trainedModel()
	best, bestMargin := -1, 2.0
	for i, tx := range texts {
		if mg := margin(m.Posteriors(tx, nil)); mg < bestMargin {
			best, bestMargin = i, mg
		}
	}
	if got := a.Next(m, all); got != best || bestMargin > 0.5 {
		t.Errorf("Next = %d, want %d (smallest margin)", got, best)
	}
}

// TestActiveDiversity: an exact duplicate of the text just labeled is not
// picked next, even when the model is as unsure about it as before.
func TestActiveDiversity(t *testing.T) {
	texts := []string{
		"cats and dogs",
		"cats and dogs",
		"cats and dogs",
		"cats purr near dogs",
	}
	m := trainedModel()
	a := NewActive(texts, 1)
	done := map[int]bool{}
	open := func(i int) bool { return !done[i] }
	first := a.Next(m, open)
	if first > 2 {
		t.Fatalf("first pick %d, want a duplicate (least sure)", first)
	}
	done[first] = true
	a.Labeled(first) // the label is not learned: the model is as unsure as before
	if next := a.Next(m, open); next != 3 {
		t.Errorf("second pick %d, want 3 (not a duplicate of %d)", next, first)
	}
	// Without the diversity term it picks a duplicate.
	b := NewActive(texts, 1)
	b.Window = 0
	b.Labeled(first)
	if next := b.Next(m, open); next == 3 {
		t.Errorf("without diversity the pick is %d: the test shows nothing", next)
	}
}

// TestActiveColdStart: with no documents the pick is random, by the seed.
func TestActiveColdStart(t *testing.T) {
	texts := make([]string, 50)
	for i := range texts {
		texts[i] = fmt.Sprintf("comment number %d", i)
	}
	m := classify.NewModel("t", nil, []string{"a", "b"}, classify.Options{})
	picks := map[int]bool{}
	for seed := range uint64(5) {
		picks[NewActive(texts, seed).Next(m, all)] = true
	}
	if len(picks) < 2 {
		t.Errorf("cold start picks %v: not random", picks)
	}
}

// TestActiveSampleCandidates: with more open texts than Candidates, a
// pick scores a sample and still returns an open text.
func TestActiveSampleCandidates(t *testing.T) {
	texts := make([]string, 200)
	for i := range texts {
		texts[i] = fmt.Sprintf("cats %d dogs %d", i, i*7)
	}
	a := NewActive(texts, 3)
	a.Candidates = 10
	i := a.Next(trainedModel(), func(i int) bool { return i%2 == 0 })
	if i < 0 || i%2 != 0 {
		t.Errorf("Next = %d, want an open (even) text", i)
	}
}

func TestVectorizeDensity(t *testing.T) {
	vecs, dens := vectorize([]string{"cats purr", "cats purr", "cats sleep", "quantum chromodynamics"})
	if d := vecs[0].dot(vecs[1]); d < 0.999 || d > 1.001 {
		t.Errorf("identical texts: cosine %g", d)
	}
	if vecs[0].dot(vecs[3]) != 0 {
		t.Error("disjoint texts: cosine not 0")
	}
	if !(dens[0] == 1 && dens[3] < dens[2] && dens[2] < dens[0]) {
		t.Errorf("densities %v", dens)
	}
}

// synthetic returns n documents of k classes whose words carry the class.
func synthetic(n, k int, seed uint64) []training.Doc {
	rng := newRand(seed)
	docs := make([]training.Doc, n)
	for i := range docs {
		c := rng.IntN(k)
		var words []string
		for range 8 {
			if rng.IntN(3) == 0 {
				words = append(words, fmt.Sprintf("w%d", rng.IntN(40)))
			} else {
				words = append(words, fmt.Sprintf("c%dw%d", c, rng.IntN(15)))
			}
		}
		docs[i] = training.Doc{Text: fmt.Sprint(words), Labels: []string{fmt.Sprintf("k%d", c)}}
	}
	return docs
}

func TestLearningCurve(t *testing.T) {
	pool, test := synthetic(300, 3, 1), synthetic(100, 3, 2)
	var models []*classify.Model
	cfg := CurveConfig{
		Pool: pool, Test: test, Budgets: []int{5, 20, 80, 500}, Strategy: "active", Repeats: 2, Seed: 1,
		NewModel: func() *classify.Model {
			m := classify.NewModel("t", nil, []string{"k0", "k1", "k2"}, classify.Options{})
			models = append(models, m)
			return m
		},
	}
	pts, err := LearningCurve(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 4 || pts[3].Labels != 300 || pts[1].Labels != 20 {
		t.Fatalf("points %+v", pts)
	}
	// Each run learned exactly the documents it asked for: the whole pool.
	for _, m := range models {
		if m.Training.Documents != 300 {
			t.Errorf("a run learned %d documents, want 300", m.Training.Documents)
		}
	}
	if !(pts[2].Accuracy > pts[0].Accuracy && pts[2].Accuracy > 0.8) {
		t.Errorf("the curve does not rise: %+v", pts)
	}
	again, _ := LearningCurve(context.Background(), cfg)
	if !slices.Equal(pts, again) {
		t.Error("same seed, different curve")
	}
	for _, bad := range [][]int{{}, {20, 10}, {0, 5}} {
		c := cfg
		c.Budgets = bad
		if _, err := LearningCurve(context.Background(), c); err == nil {
			t.Errorf("budgets %v: no error", bad)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := LearningCurve(ctx, cfg); err == nil {
		t.Error("cancelled: no error")
	}
}
