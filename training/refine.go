package training

import (
	"math"
	"runtime"
	"sync"

	"github.com/stance-dev/stance/classify"
)

// With [classify.Options.Refine], every model that training makes (the
// model itself, each cross-validation fold's, each calibration fold's)
// is counted as ever and then refined ([classify.Model.Refine]) on the
// documents it was counted from (their primary labels) and the taxonomy's
// pseudo-documents, without which a refinement of a few labeled comments
// would forget the cue phrases naive Bayes learns from. Beyond [SmallData] documents the refinement
// is fitted on the held-out sample (at most [HeldoutSample] documents),
// and calibration refines each fold's model, the total minus the fold's
// sampled documents, on the other folds' sampled documents.

// examples returns, when cfg.Options.Refine, the documents as m's
// examples (primary labels; see [classify.Examples]), followed by the
// pseudo-documents of m's taxonomy when they are counted, to refine m
// and the models made from it; nil otherwise. The pseudo-documents are
// in every fold's training part: a skip list of the documents leaves
// them in.
func examples(m *classify.Model, docs []Doc, cfg Config) *classify.Examples {
	if !cfg.Options.Refine {
		return nil
	}
	ex := make([]classify.Example, len(docs))
	for i, d := range docs {
		ex[i] = classify.Example{Text: d.Text, Label: d.Label()}
	}
	if tax := m.Taxonomy; tax != nil && cfg.cueWeight() > 0 {
		for _, a := range tax.Arguments {
			for _, text := range pseudoTexts(a) {
				ex = append(ex, classify.Example{Text: text, Label: a.ID})
			}
		}
	}
	return m.Examples(ex)
}

// refine refines m on the examples ex (nil: none, m stays naive Bayes)
// that skip does not mark (skip nil: all of them). A model none of whose
// examples has a label of its classes (which Refine refuses with
// ErrNoExamples: a fold's training part without any) stays naive Bayes.
// The fit splits its classes among cores goroutines (see
// [classify.Model.RefineExamplesOn]).
func refine(m *classify.Model, ex *classify.Examples, skip []bool, cfg Config, cores int) {
	if ex != nil {
		_ = m.RefineExamplesOn(ex, skip, cfg.Seed, cores) // only ErrNoExamples: ex are m's
	}
}

// refineAll refines m on docs when cfg.Options.Refine, and returns the
// examples it made (nil without Refine): they hold the fit's solution,
// from which the refinements of m's folds start.
func refineAll(m *classify.Model, docs []Doc, cfg Config) *classify.Examples {
	ex := examples(m, docs, cfg)
	refine(m, ex, nil, cfg, runtime.GOMAXPROCS(0))
	return ex
}

// heldoutSampleRefined is heldoutSample for a refined model: the model
// without fold k is a copy of m with the fold's sampled documents
// unlearned, refined on the other sampled documents, starting from the
// solution of m's own refinement when ex (the sample's examples m was
// refined on, or nil) holds it. The sample is featurized once, for m,
// and the folds are built and refined on every core, each with a copy of
// m.
func heldoutSampleRefined(m *classify.Model, sample []posDoc, cfg Config, ex *classify.Examples) *heldoutRun {
	K := min(DefaultFolds, len(sample))
	if K < 2 {
		return nil
	}
	classes := m.Classes()
	docs := make([]Doc, len(sample))
	for i, s := range sample {
		docs[i] = s.doc
	}
	if ex == nil {
		ex = examples(m, docs, cfg)
	}
	nc := len(classes)
	logp := make([]float64, len(docs)*nc)
	oov := make([]float64, len(docs))
	workers := min(K, max(1, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			skip := make([]bool, len(docs))
			var post []float64
			for k := w; k < K; k += workers {
				fm := m.Clone()
				for i := range skip {
					skip[i] = i%K == k
					if skip[i] {
						learnDoc(fm, docs[i], cfg, true)
					}
				}
				refine(fm, ex, skip, cfg, max(1, runtime.GOMAXPROCS(0)/workers))
				for i := k; i < len(docs); i += K {
					post = fm.Posteriors(docs[i].Text, post)
					for c, p := range post {
						logp[i*nc+c] = math.Log(p)
					}
					oov[i] = -1
					if unk, tot := fm.OOV(docs[i].Text); tot > 0 {
						oov[i] = float64(unk) / float64(tot)
					}
				}
			}
		}()
	}
	wg.Wait()
	return sampleRun(classes, docs, logp, oov, K)
}
