package training

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stance-dev/stance/classify"
)

// synthPolarity builds a sentence-polarity set in the manner of the
// movie-review sentences: short texts whose polarity hangs on sentiment
// words, with negation flipping them ("not good" is negative) and a
// neutral filler vocabulary shared by both classes, 40% positive.
func synthPolarity(n int, seed uint64) []Doc {
	pos := strings.Fields("good great wonderful moving funny charming brilliant smart fresh delightful")
	neg := strings.Fields("bad dull boring awful tedious clumsy stupid flat lifeless messy")
	filler := strings.Fields("the film movie story plot actors director script it this is was a an and of with its scenes ending cast")
	rng := rand.New(rand.NewPCG(seed, 99))
	pick := func(ws []string) string { return ws[rng.IntN(len(ws))] }
	docs := make([]Doc, n)
	for i := range docs {
		positive := rng.Float64() < 0.4
		var words []string
		for range 3 + rng.IntN(6) {
			words = append(words, pick(filler))
		}
		negate := rng.Float64() < 0.3
		word := pick(pos)
		if positive == negate {
			word = pick(neg)
		}
		if negate {
			words = append(words, "not", word, ".")
		} else {
			words = append(words, word, ".")
		}
		for range rng.IntN(4) {
			words = append(words, pick(filler))
		}
		label := "neg"
		if positive {
			label = "pos"
		}
		docs[i] = Doc{Text: strings.Join(words, " "), Labels: []string{label}}
	}
	return docs
}

// The opinion preset must handle what short opinion texts need: negation
// and short, sparse sentences. On the synthetic set it must be near
// perfect in 10-fold cross-validation and clearly beat plain multinomial
// naive Bayes, which cannot see negation.
func TestOpinionPresetSynthetic(t *testing.T) {
	docs := synthPolarity(2000, 1)
	opinion, _ := classify.Preset("opinion")
	acc := map[string]float64{}
	for name, opt := range map[string]classify.Options{"opinion": opinion, "default": {}} {
		r, err := Evaluate(docs, Config{Options: opt}, EvalOptions{Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if r.Method != "stratified 10-fold cross-validation" {
			t.Fatalf("method %s", r.Method)
		}
		acc[name] = r.Accuracy
		t.Logf("%s: accuracy %.3f macro-F1 %.3f (baseline %.3f)", name, r.Accuracy, r.MacroF1, r.Baseline.Accuracy)
	}
	if acc["opinion"] < 0.95 {
		t.Errorf("opinion preset accuracy %.3f < 0.95", acc["opinion"])
	}
	if acc["opinion"] < acc["default"]+0.1 {
		t.Errorf("opinion %.3f does not beat plain NB %.3f by 0.1", acc["opinion"], acc["default"])
	}
}

// --alpha auto must not pick a smoothing that collapses onto the majority
// class: on skewed data with bigrams its choice must do at least as well
// as alpha 1 in cross-validation.
func TestAutoAlphaSkewed(t *testing.T) {
	docs := synthPolarity(600, 2)
	// Skew: keep one positive in four.
	var skewed []Doc
	npos := 0
	for _, d := range docs {
		if d.Label() == "pos" {
			npos++
			if npos%4 != 0 {
				continue
			}
		}
		skewed = append(skewed, d)
	}
	opt := classify.Options{Bigrams: true, Alpha: 1}
	fixed, err := Evaluate(skewed, Config{Options: opt}, EvalOptions{Seed: 3, Folds: 5})
	if err != nil {
		t.Fatal(err)
	}
	auto, err := Evaluate(skewed, Config{Options: opt, AutoAlpha: true}, EvalOptions{Seed: 3, Folds: 5})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("alpha 1: macro-F1 %.3f; auto: %.3f", fixed.MacroF1, auto.MacroF1)
	if auto.MacroF1+1e-9 < fixed.MacroF1 {
		t.Errorf("alpha auto macro-F1 %.3f below alpha 1's %.3f", auto.MacroF1, fixed.MacroF1)
	}
	if !strings.Contains(auto.Options, "alpha auto") {
		t.Errorf("options %q do not say alpha auto", auto.Options)
	}
}
