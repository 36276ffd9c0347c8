package training

import (
	"github.com/stance-dev/stance/classify"
)

// This file splits [Train] into the parts an engine that counts on many
// machines needs (the Beam module's train pipeline): a model of counts is
// started with [NewCountModel], documents are added with [LearnDoc] on any
// machine, the parts are added up with classify's Model.Merge, and
// [FinishCounts] turns the sum into the model Train would have built.

// NewCountModel returns an empty model of counts for cfg and classes (the
// taxonomy's argument ids, or the labels found, sorted; see [Classes]):
// cfg's name, taxonomy and options, no documents, no pseudo-documents.
// Parts counted from it with [LearnDoc] merge exactly.
func NewCountModel(classes []string, cfg Config) *classify.Model {
	var tax *classify.Taxonomy
	if cfg.Taxonomy != nil {
		tax = cloneTaxonomy(cfg.Taxonomy)
	}
	return classify.NewModel(cfg.name(), tax, classes, cfg.Options)
}

// LearnDoc adds one labeled document to m as Train does (its primary label
// with weight 1, its secondary labels with cfg's secondary weight).
func LearnDoc(m *classify.Model, d Doc, cfg Config) { learnDoc(m, d, cfg, false) }

// ExactCounts reports whether the counts of cfg's model are sums of
// integers (no TF-IDF, integer weights), so that parts counted on
// different machines and merged in any order give the same counts, to the
// bit, as Train's one pass. TF-IDF features are fractions: their sums
// depend on the order of addition in the last bits, which the model's hash
// covers.
func ExactCounts(cfg Config) bool {
	integer := func(w float64) bool { return w == float64(int64(w)) }
	return !cfg.Options.TFIDF && integer(cfg.secondaryWeight())
}

// FinishCounts returns the model Train(docs, cfg) returns, given counts,
// the sum of the documents' counts (from [NewCountModel] and [LearnDoc],
// merged), and docs in input order, which the sequential parts need: the
// inner cross-validation of AutoAlpha, the calibration's held-out passes,
// the data hash and the summary. With a taxonomy, docs must have been
// checked against it (see [ApplyTaxonomy]). The model is Train's to the
// bit when [ExactCounts] holds; otherwise its counts may differ in their
// last bits. With counts nil, the documents are counted here, in input
// order after the pseudo-documents, as Train does: the model is then
// Train's whatever the options. So are they on more than [SmallData]
// documents, where Train counts per fold as it reads (see [TrainStream]):
// counts cannot give the folds' counts, and the documents are counted
// again here.
func FinishCounts(counts *classify.Model, docs []Doc, cfg Config) (*classify.Model, error) {
	if len(docs) > SmallData {
		return Train(docs, cfg)
	}
	return trainCounted(counts, docs, cfg)
}
