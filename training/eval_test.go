package training

import (
	"math"
	"runtime"
	"testing"

	"github.com/stance-dev/stance/classify"
)

// cvPredictByText is cross-validation as it was before documents were
// prepared once a fold: each held-out document unlearned, predicted and
// learned back from its text. The reference of TestCVPredictPrepared.
func cvPredictByText(docs []Doc, cfg Config, folds [][]int) []classify.Prediction {
	m := newModel(docs, cfg)
	m.ReuseTables()
	for _, d := range docs {
		learnDoc(m, d, cfg, false)
	}
	ex := examples(m, docs, cfg)
	preds := make([]classify.Prediction, len(docs))
	in := make([]bool, len(docs))
	for _, fold := range folds {
		for _, i := range fold {
			learnDoc(m, docs[i], cfg, true)
			in[i] = true
		}
		pm, err := foldModel(m, docs, in, cfg)
		if err != nil {
			panic(err)
		}
		refine(pm, ex, in, cfg, runtime.GOMAXPROCS(0))
		for _, i := range fold {
			preds[i] = pm.Predict(docs[i].Text)
		}
		for _, i := range fold {
			learnDoc(m, docs[i], cfg, false)
			in[i] = false
		}
	}
	return preds
}

// TestCVPredictPrepared: the cross-validation of Evaluate, which tokenizes
// each document once a fold, predicts what the one from the texts
// predicts (label, probability, runner-up, margin, abstention; not the
// cues, which no measure reads), bit for bit: on the seed labels with the
// taxonomy (leave-one-out; with an abstention threshold, secondary
// labels at weight 0.5) and on 2,000 short documents in 10 folds (300
// with alpha chosen per fold), naive Bayes of every kind and refined.
func TestCVPredictPrepared(t *testing.T) {
	seedDocs, short := readSeed(t), shortDocs(t, 2000)
	abstain := DefaultConfig()
	abstain.Options.Abstain = 0.3
	abstain.Options.Temperature = 2
	half := DefaultConfig()
	half.SecondaryWeight = Weight(0.5)
	for _, c := range []struct {
		docs []Doc
		cfg  Config
	}{
		{seedDocs, DefaultConfig()}, {seedDocs, abstain}, {seedDocs, half},
		{short, Config{Options: classify.Options{Alpha: 1, Binary: true, CharGrams: 4, Bigrams: true}, Seed: 3}},
		{short[:300], Config{Options: classify.Options{TFIDF: true}, AutoAlpha: true, Seed: 4}},
		{short, Config{Options: classify.Options{Alpha: 0.3, TFIDF: true, Complement: true, Stopwords: true}, Seed: 1}},
		{short, Config{Options: classify.Options{Alpha: 1, Bigrams: true, Negation: true, Structure: true, FlatPrior: 1}, Seed: 2}},
	} {
		for _, refined := range []bool{false, true} {
			cfg := c.cfg
			cfg.Options.Refine = refined
			cfg = withTaxonomy(t, c.docs, cfg)
			folds := PlanFolds(c.docs, DefaultFolds, cfg.Seed)
			got, err := cvPredict(c.docs, cfg, folds)
			if err != nil {
				t.Fatal(err)
			}
			want := cvPredictByText(c.docs, cfg, folds)
			abstained := 0
			for i := range want {
				g, w := got[i], want[i]
				if g.Label != w.Label || g.Name != w.Name || g.RunnerUp != w.RunnerUp || g.Abstained != w.Abstained ||
					math.Float64bits(g.P) != math.Float64bits(w.P) || math.Float64bits(g.Margin) != math.Float64bits(w.Margin) {
					t.Fatalf("%s, document %d: predicted %+v, from the text %+v", cfg.Options, i, g, w)
				}
				if w.Abstained {
					abstained++
				}
			}
			if cfg.Options.Abstain > 0 && abstained == 0 {
				t.Fatalf("%s: nothing abstained: the fall-back is not tested", cfg.Options)
			}
		}
	}
}

// TestChooseAlphaPrepared: ChooseAlpha, which tokenizes each document once
// a fold, chooses what it chose from the texts (each fold's documents
// predicted from their texts at every alpha), with the same macro-F1 to
// the bit, on the seed labels with the taxonomy (leave-one-out) and on
// 2,000 short documents, naive Bayes of every kind.
func TestChooseAlphaPrepared(t *testing.T) {
	byText := func(docs []Doc, cfg Config) (float64, float64) {
		folds := PlanFolds(docs, 5, cfg.Seed)
		mets := make([]*Metrics, len(AlphaGrid))
		for k := range mets {
			mets[k] = NewMetrics(Classes(docs, cfg.Taxonomy))
		}
		m := newModel(docs, cfg)
		for _, d := range docs {
			learnDoc(m, d, cfg, false)
		}
		for _, fold := range folds {
			for _, i := range fold {
				learnDoc(m, docs[i], cfg, true)
			}
			for k, a := range AlphaGrid {
				m.Options.Alpha = a
				for _, i := range fold {
					mets[k].Add(docs[i].Label(), m.Predict(docs[i].Text).Label)
				}
			}
			for _, i := range fold {
				learnDoc(m, docs[i], cfg, false)
			}
		}
		best, bestF1, bestAcc := 0.0, -1.0, -1.0
		for k, a := range AlphaGrid {
			f1, acc := mets[k].MacroF1(), mets[k].Accuracy()
			if f1 > bestF1+1e-12 || (math.Abs(f1-bestF1) <= 1e-12 && acc >= bestAcc-1e-12) {
				best, bestF1, bestAcc = a, f1, acc
			}
		}
		return best, bestF1
	}
	seedDocs, short := readSeed(t), shortDocs(t, 2000)
	for _, c := range []struct {
		docs []Doc
		cfg  Config
	}{
		{seedDocs, DefaultConfig()},
		{short, Config{Options: classify.Options{Binary: true, Bigrams: true, Negation: true}, Seed: 3}},
		{short, Config{Options: classify.Options{TFIDF: true, Complement: true, Stopwords: true}, Seed: 1}},
		{short, Config{Options: classify.Options{CharGrams: 4, Structure: true}, Seed: 2}},
	} {
		cfg := withTaxonomy(t, c.docs, c.cfg)
		a, f1, err := ChooseAlpha(c.docs, cfg)
		if err != nil {
			t.Fatal(err)
		}
		wa, wf1 := byText(c.docs, cfg)
		if a != wa || math.Float64bits(f1) != math.Float64bits(wf1) {
			t.Fatalf("%s: alpha %g (macro-F1 %v), from the texts %g (%v)", cfg.Options, a, f1, wa, wf1)
		}
	}
}
