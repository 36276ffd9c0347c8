package training

import (
	"math"

	"github.com/stance-dev/stance/classify"
)

// With [classify.Options.Refine], every model that training makes (the
// model itself, each cross-validation fold's, each calibration fold's)
// is counted as ever and then refined ([classify.Model.Refine]) on the
// documents it was counted from, their primary labels only (not the
// taxonomy's pseudo-documents). Beyond [SmallData] documents the refinement
// is fitted on the held-out sample (at most [HeldoutSample] documents),
// and calibration refines each fold's model, the total minus the fold's
// sampled documents, on the other folds' sampled documents.

// refine refines m on the documents of docs that skip does not mark
// (skip nil: all of them) when cfg.Options.Refine. A model none of whose
// documents has a label of its classes (which Refine refuses with
// ErrNoExamples: a fold's training part without any) stays naive Bayes.
func refine(m *classify.Model, docs []Doc, skip []bool, cfg Config) {
	if !cfg.Options.Refine {
		return
	}
	ex := make([]classify.Example, 0, len(docs))
	for i, d := range docs {
		if skip == nil || !skip[i] {
			ex = append(ex, classify.Example{Text: d.Text, Label: d.Label()})
		}
	}
	_ = m.Refine(ex, cfg.Seed) // only ErrNoExamples
}

// heldoutSampleRefined is heldoutSample for a refined model: the model
// without fold k is a copy of m with the fold's sampled documents
// unlearned, refined on the other sampled documents.
func heldoutSampleRefined(m *classify.Model, sample []posDoc, cfg Config) *heldoutRun {
	K := min(DefaultFolds, len(sample))
	if K < 2 {
		return nil
	}
	classes := m.Classes()
	docs := make([]Doc, len(sample))
	for i, s := range sample {
		docs[i] = s.doc
	}
	nc := len(classes)
	logp := make([]float64, len(docs)*nc)
	oov := make([]float64, len(docs))
	skip := make([]bool, len(docs))
	var post []float64
	for k := range K {
		fm := m.Clone()
		for i := range skip {
			skip[i] = i%K == k
			if skip[i] {
				learnDoc(fm, docs[i], cfg, true)
			}
		}
		refine(fm, docs, skip, cfg)
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
	return sampleRun(classes, docs, logp, oov, K)
}
