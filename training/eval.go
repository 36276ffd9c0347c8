package training

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"

	"github.com/stance-dev/stance/classify"
)

// DefaultFolds is the number of cross-validation folds of [Evaluate].
const DefaultFolds = 10

// maxLOO is the largest data set on which [PlanFolds] falls back to
// leave-one-out.
const maxLOO = 2000

// PlanFolds assigns docs to k stratified folds and returns the folds as
// lists of document indices. Documents are grouped by primary label (in
// order of first appearance), each group is shuffled with a PCG generator
// seeded with seed, and the groups are dealt round-robin onto the folds,
// the deal continuing from class to class, so that every fold holds about
// the same number of documents of each class.
//
// Tiny data falls back to leave-one-out (one fold per document): when
// k < 2, k >= len(docs), or the smallest class has fewer than k documents
// and there are at most 2000 documents. Leave-one-out does not depend on
// the seed.
func PlanFolds(docs []Doc, k int, seed uint64) [][]int {
	groups, order := labelGroups(docs)
	smallest := len(docs)
	for _, g := range groups {
		smallest = min(smallest, len(g))
	}
	if k < 2 || k >= len(docs) || (smallest < k && len(docs) <= maxLOO) {
		folds := make([][]int, len(docs))
		for i := range docs {
			folds[i] = []int{i}
		}
		return folds
	}
	return deal(groups, order, k, rand.New(rand.NewPCG(seed, 0x5354414e4345))) // "STANCE"
}

// labelGroups returns the indices of docs by primary label, and the labels
// in the order of their first document.
func labelGroups(docs []Doc) (groups map[string][]int, order []string) {
	groups = map[string][]int{}
	for i, d := range docs {
		l := d.Label()
		if _, ok := groups[l]; !ok {
			order = append(order, l)
		}
		groups[l] = append(groups[l], i)
	}
	return groups, order
}

// deal assigns the documents of groups to k folds, stratified: each
// label's documents (in order) are shuffled by rng and dealt on from where
// the previous label stopped. Each fold is sorted; some may be empty.
func deal(groups map[string][]int, order []string, k int, rng *rand.Rand) [][]int {
	folds := make([][]int, k)
	next := 0
	for _, l := range order {
		g := groups[l]
		rng.Shuffle(len(g), func(i, j int) { g[i], g[j] = g[j], g[i] })
		for _, i := range g {
			folds[next] = append(folds[next], i)
			next = (next + 1) % k
		}
	}
	for _, f := range folds {
		slices.Sort(f)
	}
	return folds
}

// crossValidate predicts every document with a model trained on the other
// folds. It counts the model once and, per fold, unlearns the fold's
// documents, predicts them and learns them back. With cfg.AutoAlpha the
// smoothing is chosen anew on each fold's training part (nested
// cross-validation).
func crossValidate(docs []Doc, cfg Config, folds [][]int) (*Metrics, error) {
	preds, err := cvPredict(docs, cfg, folds)
	if err != nil {
		return nil, err
	}
	met := NewMetrics(Classes(docs, cfg.Taxonomy))
	for i, d := range docs {
		met.Add(d.Label(), preds[i].Label)
	}
	return met, nil
}

func cvPredict(docs []Doc, cfg Config, folds [][]int) ([]classify.Prediction, error) {
	if cfg.Auto {
		return autoCVPredict(docs, cfg, folds)
	}
	m := newModel(docs, cfg)
	learnDocs(m, docs, cfg)
	ex := examples(m, docs, cfg)
	if ex == nil {
		// The folds' tables are built from the model with its terms in
		// term order (see heldoutFoldsFrom).
		m.SortTerms()
	}
	m.ReuseTables() // one set of scoring tables for every fold
	// Each fold's documents are tokenized once, on every core, against the
	// model (see heldoutFoldsFrom): unlearned, predicted (without the
	// cues, which no measure reads) and learned back from that.
	fp := newFoldPrep(m, cfg)
	preds := make([]classify.Prediction, len(docs))
	in := make([]bool, len(docs))
	for _, fold := range folds {
		fp.prepare(docs, fold)
		fp.count(m, docs, fold, true)
		for _, i := range fold {
			in[i] = true
		}
		pm, err := foldModel(m, docs, in, cfg)
		if err != nil {
			return nil, err
		}
		refine(pm, ex, in, cfg, runtime.GOMAXPROCS(0)) // one fold at a time
		pm.Finalize()                                  // the fold model's tables, before they are shared
		onCores(len(fp.preps), len(fold), func(_, j int) { preds[fold[j]] = pm.PredictHeldout(&fp.hd[j]) })
		fp.count(m, docs, fold, false)
		for _, i := range fold {
			in[i] = false
		}
	}
	return preds, nil
}

// foldModel returns the model of a fold, m with the documents in marks
// unlearned: m itself, or with AutoAlpha a copy at the alpha chosen on
// the other documents.
func foldModel(m *classify.Model, docs []Doc, in []bool, cfg Config) (*classify.Model, error) {
	if !cfg.AutoAlpha {
		return m, nil
	}
	var train []Doc
	for i, d := range docs {
		if !in[i] {
			train = append(train, d)
		}
	}
	a, _, err := ChooseAlpha(train, cfg)
	if err != nil {
		return nil, err
	}
	opt := m.Options
	opt.Alpha = a
	return m.WithOptions(opt)
}

// EvalOptions say how [Evaluate] tests a configuration.
type EvalOptions struct {
	// Folds is the number of cross-validation folds; 0 means
	// [DefaultFolds]. See [PlanFolds] for the fall-back to leave-one-out.
	Folds int
	// Seed seeds the fold assignment.
	Seed uint64
	// Test, when not empty, is a test set: the model is trained on all the
	// documents and evaluated on Test instead of cross-validation.
	Test []Doc
	// Pair, when both are set, adds the mean F1 of the two classes
	// (the f-pair metric).
	Pair [2]string
}

// Evaluate measures how well a model trained as cfg says labels docs, by
// stratified cross-validation or on opt.Test.
func Evaluate(docs []Doc, cfg Config, opt EvalOptions) (*EvalReport, error) {
	if len(docs) == 0 {
		return nil, errors.New("eval: no documents")
	}
	full, err := Train(docs, cfg)
	if err != nil {
		return nil, err
	}
	r := &EvalReport{
		Model:   full.ID(),
		Options: full.Options.String(),
		Seed:    opt.Seed,
	}
	if cfg.AutoAlpha {
		r.Options += " (alpha auto: chosen on each training part)"
	}
	if cfg.Auto && len(opt.Test) == 0 {
		r.Options += " (auto; each fold's options chosen on its training part, with leave-one-out once on all the data)"
	}
	var gold []Doc
	var preds []classify.Prediction
	if len(opt.Test) > 0 {
		r.Method = "test set"
		gold = opt.Test
		for _, d := range opt.Test {
			preds = append(preds, full.Predict(d.Text))
		}
	} else {
		k := opt.Folds
		if k == 0 {
			k = DefaultFolds
		}
		folds := PlanFolds(docs, k, opt.Seed)
		if len(folds) == len(docs) && k != len(docs) {
			r.Method = "leave-one-out"
			r.Note = fmt.Sprintf("leave-one-out instead of %d-fold: the smallest class has fewer than %d documents", k, k)
		} else {
			r.Method = fmt.Sprintf("stratified %d-fold cross-validation", len(folds))
		}
		r.Folds = len(folds)
		gold = docs
		// The folds' models use the full model's temperature: it changes
		// no label, only where --abstain falls back.
		cfg.Options.Temperature = full.Options.Temperature
		if preds, err = cvPredict(docs, cfg, folds); err != nil {
			return nil, err
		}
	}
	met := NewMetrics(full.Classes())
	for i, d := range gold {
		met.Add(d.Label(), preds[i].Label)
	}
	r.fill(met, opt.Pair)
	if full.Taxonomy != nil {
		r.Stance = stanceMetrics(full.Taxonomy, gold, preds)
	}
	return r, nil
}

// stanceMetrics compares the stance of the predicted argument with the
// labeled stance, over the documents that have one; nil when none has.
func stanceMetrics(tax *classify.Taxonomy, gold []Doc, preds []classify.Prediction) *StanceReport {
	stance := map[string]string{}
	for _, a := range tax.Arguments {
		stance[a.ID] = a.Stance
	}
	met := NewMetrics(tax.Stances)
	for i, d := range gold {
		if d.Stance == "" {
			continue
		}
		met.Add(d.Stance, stance[preds[i].Label])
	}
	if met.N == 0 {
		return nil
	}
	return &StanceReport{Documents: met.N, Accuracy: round(met.Accuracy()), MacroF1: round(met.MacroF1()), Kappa: kappa(met)}
}
