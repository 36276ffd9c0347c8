package classify

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Model is a naive Bayes classifier with its taxonomy, options and raw
// counts.
//
// The model stores raw sufficient statistics only: per term and class the
// weighted sum of the term's document features (counts, or binary
// presences, or length-normalised log(1+tf) with [Options.TFIDF]), per term
// the weighted and the plain number of documents containing it, and per
// class the weighted numbers of documents and tokens. Smoothing, idf,
// complement weights and the log-probabilities are derived from them when
// the model is first scored after a change, so Learn, [Model.Unlearn] and
// [Model.Merge] are exact and independent of order for integer weights.
//
// Learn, Unlearn, Merge and changes to the exported fields must not run
// concurrently with anything else; Predict, TopTokens, Posteriors and a
// [Scorer] are safe for concurrent use once training is done.
type Model struct {
	// Name is the model's name, part of its [Model.ID].
	Name string
	// Taxonomy is the set of arguments with their stances; nil for a model
	// with plain labels.
	Taxonomy *Taxonomy
	// Options are the model's options.
	Options Options
	// Training summarises the data the model was trained on.
	Training Training

	classes  []string
	classIdx map[string]int

	// termTables are the vocabulary and everything kept by term id.
	termTables
	// docs[c] and tokens[c] are the weighted documents and tokens of class c.
	docs, tokens []float64
	// total is the weighted number of documents (each counted once).
	total float64
	// ndocs is the plain number of documents.
	ndocs int64

	// heldout is the held-out statistics (nil: none); never modified in
	// place, replaced by SetHeldout and dropped by training.
	heldout *Heldout
	// legacy marks a model decoded from a version 1 file and unchanged
	// since: its hash is the version 1 hash (see [Model.Hash]).
	legacy bool

	learn learnScratch
	mu    sync.Mutex
	cache atomic.Pointer[derived]
	// reuse lets a change of the counts keep the dropped scoring tables
	// as spare, whose memory the next build reuses (ReuseTables).
	reuse bool
	spare *derived
	hash  atomic.Pointer[hashCache]
	// sortMu guards termTables.sorted.
	sortMu sync.Mutex
}

// termTables are a model's vocabulary and what it keeps by term id.
type termTables struct {
	terms []string
	// hashes[t] is the token hash of terms[t]; index finds a term's id from
	// its bytes and hash.
	hashes []uint64
	index  termIndex
	// counts[t*nc+c] is the weighted feature sum of term t in class c.
	counts []float64
	// df[t] is the weighted number of documents containing t; dn[t] the
	// plain number (a term with dn 0 is not in the vocabulary).
	df []float64
	dn []int64
	// refined is the fitted weight table of [Model.Refine] (nil: none);
	// never modified in place, replaced by Refine and dropped by training.
	refined *refinement
	// sorted lists the term ids in term order; nil after a new term.
	sorted []int32
}

// hashCache is a computed hash with the exported fields it depends on,
// so that changing them is noticed.
type hashCache struct {
	name    string
	opt     Options
	src, dh string
	legacy  bool
	tax     *Taxonomy
	hash    string
}

func (h *hashCache) matches(m *Model) bool {
	return h.name == m.Name && h.opt == m.Options && h.dh == m.Training.DataHash &&
		h.legacy == m.legacy && (!m.legacy || h.src == m.Training.Source) &&
		reflect.DeepEqual(h.tax, m.Taxonomy)
}

// Training summarises a model's training data.
type Training struct {
	// Source describes the data, as set by the trainer (file names...). It
	// is metadata: stored in the model file but not part of the hash, so
	// the same data gives the same model ID however its files are named.
	Source string `json:"source,omitempty"`
	// DataHash is a hash of the training data, as set by the trainer.
	DataHash string `json:"data_hash,omitempty"`
	// Documents is the number of documents learned (each once, whatever its
	// number of labels), net of unlearned ones.
	Documents int64 `json:"documents"`
	// Docs and Tokens are the weighted documents and tokens per class
	// (tokens as counted: bigrams and negated forms included, stopwords
	// not).
	Docs   map[string]float64 `json:"docs"`
	Tokens map[string]float64 `json:"tokens"`
}

// learnScratch is the model's reusable training buffer.
type learnScratch struct {
	feat *Featurizer // the model's own, for Learn and Unlearn
	f    Features
	ids  []int32 // the model's term ids of the document being counted
	lbl  []int
	tf   []float64 // the features of a prepared document (LearnHeldout)
}

// NewModel returns an empty model. The classes are the given ones, or,
// when classes is empty and tax is not nil, the taxonomy's argument ids.
// More classes are added when Learn meets a new label.
func NewModel(name string, tax *Taxonomy, classes []string, opt Options) *Model {
	m := &Model{
		Name:     name,
		Taxonomy: tax,
		Options:  opt.normalized(),
		classIdx: map[string]int{},
	}
	m.Training.Docs = map[string]float64{}
	m.Training.Tokens = map[string]float64{}
	if len(classes) == 0 && tax != nil {
		for _, a := range tax.Arguments {
			classes = append(classes, a.ID)
		}
	}
	for _, c := range classes {
		m.AddClass(c)
	}
	return m
}

// Classes returns the model's classes in their fixed order.
func (m *Model) Classes() []string { return append([]string(nil), m.classes...) }

// AddClass adds a class with no documents, unless it exists, and returns
// its index.
func (m *Model) AddClass(name string) int {
	if i, ok := m.classIdx[name]; ok {
		return i
	}
	nc := len(m.classes)
	i := nc
	m.classes = append(m.classes, name)
	m.classIdx[name] = i
	m.docs = append(m.docs, 0)
	m.tokens = append(m.tokens, 0)
	if _, ok := m.Training.Docs[name]; !ok {
		m.Training.Docs[name] = 0
		m.Training.Tokens[name] = 0
	}
	if len(m.terms) > 0 {
		nn := nc + 1
		counts := make([]float64, len(m.terms)*nn)
		for t := range m.terms {
			copy(counts[t*nn:t*nn+nc], m.counts[t*nc:t*nc+nc])
		}
		m.counts = counts
	}
	m.retrained()
	return i
}

// changed drops the derived tables and the hash.
func (m *Model) changed() {
	// Loads first: stores of a pointer are dearer, and training calls
	// this once per document.
	if d := m.cache.Load(); d != nil {
		if m.reuse {
			m.spare = d
		}
		m.cache.Store(nil)
	}
	if m.hash.Load() != nil {
		m.hash.Store(nil)
	}
}

// ReuseTables lets the model reuse the memory of its scoring tables when
// its counts or scoring options change, rather than allocate new ones:
// the tables of a model with a large vocabulary are two float64s per
// term and class, and a trainer that unlearns a fold, scores it and
// learns it back, fold after fold (or tries alpha after alpha), would
// otherwise leave a set behind each time. Use it only on a model that
// one goroutine changes and scores in turn (or has scored on several
// between changes), with no [Scorer] kept across a change (a
// [Prediction] holds no tables). A clone does not inherit it.
func (m *Model) ReuseTables() { m.reuse = true }

// retrained notes a change of the counts or classes: the held-out
// statistics no longer describe the model, and its hash is the current
// version's.
func (m *Model) retrained() {
	if m.heldout != nil {
		m.heldout = nil
	}
	if m.refined != nil {
		m.refined = nil
	}
	m.legacy = false
	m.changed()
}

// addTerm adds a term that is not in the vocabulary.
func (m *Model) addTerm(s string, h uint64) int32 {
	id := int32(len(m.terms))
	m.terms = append(m.terms, s)
	m.hashes = append(m.hashes, h)
	m.index.add(id, m.terms, m.hashes)
	m.counts = append(m.counts, make([]float64, len(m.classes))...)
	m.df = append(m.df, 0)
	m.dn = append(m.dn, 0)
	m.sorted = nil
	return id
}

// reindex rebuilds the hashes and the index from the terms.
func (m *Model) reindex() {
	m.hashes = make([]uint64, len(m.terms))
	for t, term := range m.terms {
		m.hashes[t] = hashString(term)
	}
	m.index.build(m.terms, m.hashes, 0)
}

// Learn adds one training document with the given labels and weight.
// A document with several labels counts fully, with the full weight, for
// each of its labels (as if it were repeated once per label); it counts
// once in the document frequencies. Labels the model does not know are
// added as classes. A weight that is not a positive finite number, or an
// empty label list, makes Learn do nothing.
func (m *Model) Learn(text string, labels []string, weight float64) {
	m.update(text, labels, weight, false)
}

// Unlearn removes a document learned earlier with the same text, labels
// and weight, in time proportional to the document. With integer weights
// the model is then exactly the one trained without it; unknown labels and
// terms are ignored. It supports leave-one-out evaluation.
func (m *Model) Unlearn(text string, labels []string, weight float64) {
	m.update(text, labels, weight, true)
}

func (m *Model) update(text string, labels []string, weight float64, remove bool) {
	if !(weight > 0) || math.IsInf(weight, 0) || len(labels) == 0 {
		return
	}
	s := &m.learn
	if s.feat == nil || !s.feat.opt.sameFeatures(m.Options) {
		s.feat = NewFeaturizer(m.Options)
	}
	s.feat.Features(text, &s.f)
	// The featurizer is the model's own, with its options: no error.
	_ = m.count(&s.f, labels, weight, remove)
}

// binaryTFIDF returns the TF-IDF feature of each of the n terms of a
// binary document, bit for bit as the general loop of update computes it:
// log1p(1) divided by the square root of n squares of it added in turn.
func binaryTFIDF(n int) float64 {
	if t := binaryTFIDFTable(); n < len(t) {
		return t[n]
	}
	g := log1pSmall[1]
	var ss float64
	for range n {
		ss += g * g
	}
	return g / math.Sqrt(ss)
}

// binaryTFIDFTable holds binaryTFIDF(n) for the commoner n.
var binaryTFIDFTable = sync.OnceValue(func() []float64 {
	t := make([]float64, 4096)
	g := log1pSmall[1]
	var ss float64
	for n := 1; n < len(t); n++ {
		ss += g * g
		t[n] = g / math.Sqrt(ss)
	}
	return t
})

// log1pSmall[k] is math.Log1p(k), looked up for the small term counts of
// TF-IDF training documents.
var log1pSmall = func() (t [64]float64) {
	for k := range t {
		t[k] = math.Log1p(float64(k))
	}
	return t
}()

// Merge adds the counts of o to m, so that a model trained on two halves
// and merged equals the model trained on all the data. The models must
// have the same feature options (Binary, TFIDF, Bigrams, Negation,
// Stopwords); classes of o that m lacks are added. m keeps its own name,
// taxonomy and scoring options.
func (m *Model) Merge(o *Model) error {
	if o == m {
		return fmt.Errorf("merge: cannot merge a model with itself")
	}
	if !m.Options.sameFeatures(o.Options) {
		return fmt.Errorf("merge: feature options differ (%s vs %s)", m.Options, o.Options)
	}
	cmap := make([]int, len(o.classes))
	for i, c := range o.classes {
		cmap[i] = m.AddClass(c)
	}
	nc, onc := len(m.classes), len(o.classes)
	for t, term := range o.terms {
		if o.dn[t] == 0 {
			continue
		}
		id := m.index.find(m.terms, []byte(term), stringTermKey(term), stringTermKey2(term), o.hashes[t])
		if id < 0 {
			id = m.addTerm(term, o.hashes[t])
		}
		row := m.counts[int(id)*nc : int(id)*nc+nc]
		for c, v := range o.counts[t*onc : t*onc+onc] {
			row[cmap[c]] += v
		}
		m.df[id] += o.df[t]
		m.dn[id] += o.dn[t]
	}
	for c := range o.classes {
		i := cmap[c]
		m.docs[i] += o.docs[c]
		m.tokens[i] += o.tokens[c]
		m.Training.Docs[m.classes[i]] = m.docs[i]
		m.Training.Tokens[m.classes[i]] = m.tokens[i]
	}
	m.total += o.total
	m.ndocs += o.ndocs
	m.Training.Documents = m.ndocs
	m.retrained()
	return nil
}

// Clone returns a deep copy of m.
func (m *Model) Clone() *Model {
	return m.cloneWith(termTables{
		terms:   append([]string(nil), m.terms...),
		hashes:  append([]uint64(nil), m.hashes...),
		index:   m.index.clone(),
		counts:  append([]float64(nil), m.counts...),
		df:      append([]float64(nil), m.df...),
		dn:      append([]int64(nil), m.dn...),
		refined: m.refined, // never modified in place
		sorted:  m.sorted,  // never modified in place
	})
}

// cloneWith returns a deep copy of m with the tables by term t.
func (m *Model) cloneWith(t termTables) *Model {
	c := &Model{
		Name:       m.Name,
		Taxonomy:   m.Taxonomy,
		Options:    m.Options,
		Training:   m.Training,
		classes:    append([]string(nil), m.classes...),
		classIdx:   make(map[string]int, len(m.classIdx)),
		termTables: t,
		docs:       append([]float64(nil), m.docs...),
		tokens:     append([]float64(nil), m.tokens...),
		total:      m.total,
		ndocs:      m.ndocs,
		heldout:    m.heldout, // never modified in place
		legacy:     m.legacy,
	}
	for k, v := range m.classIdx {
		c.classIdx[k] = v
	}
	c.Training.Docs = make(map[string]float64, len(m.Training.Docs))
	for k, v := range m.Training.Docs {
		c.Training.Docs[k] = v
	}
	c.Training.Tokens = make(map[string]float64, len(m.Training.Tokens))
	for k, v := range m.Training.Tokens {
		c.Training.Tokens[k] = v
	}
	return c
}

// SortedClone is [Model.Clone] with the term ids in term order: the
// same model (the same hash, encoding, scores and tables, bit for bit),
// whose tables a rebuild walks in memory order where it sums over the
// terms in term order (the class totals, the complement's norms), where
// a model counted from texts has its terms in the order it met them. A
// trainer that rebuilds the tables of a large vocabulary again and again
// (cross-validation folds unlearned from one copy) works on one. Term
// ids do not carry over: [Examples] made for m do not serve the copy.
func (m *Model) SortedClone() *Model { return m.cloneWith(m.sortedTables()) }

// SortTerms is [Model.SortedClone] in place: m's term ids are put in
// term order, without a copy of the rest of the model. Whatever holds
// m's term ids no longer fits: [Examples] made for it, [Features] made
// for it by a Featurizer and not added yet, [HeldoutDoc]s it prepared,
// a [Scorer] made before. It must not run while the model is in use.
func (m *Model) SortTerms() {
	m.termTables = m.sortedTables()
	m.learn = learnScratch{} // its Featurizer maps its terms to the old ids
	m.changed()
}

// sortedTables returns m's tables by term id with the ids in term order.
func (m *Model) sortedTables() termTables {
	ord := m.termOrder()
	nc, V := len(m.classes), len(m.terms)
	t := termTables{terms: make([]string, V), hashes: make([]uint64, V), counts: make([]float64, V*nc),
		df: make([]float64, V), dn: make([]int64, V), sorted: make([]int32, V)}
	for r, t32 := range ord {
		i := int(t32)
		t.terms[r], t.hashes[r], t.df[r], t.dn[r] = m.terms[i], m.hashes[i], m.df[i], m.dn[i]
		copy(t.counts[r*nc:r*nc+nc], m.counts[i*nc:i*nc+nc])
		t.sorted[r] = int32(r)
	}
	if m.refined != nil {
		w := make([]float64, V*nc) // a fitted table has a row per term
		for r, t32 := range ord {
			i := int(t32)
			copy(w[r*nc:r*nc+nc], m.refined.w[i*nc:i*nc+nc])
		}
		t.refined = &refinement{w: w, bias: m.refined.bias, rawTF: m.refined.rawTF}
	}
	t.index.build(t.terms, t.hashes, len(m.index.slots))
	return t
}

// WithOptions returns a copy of m that scores with the scoring options of
// opt (Alpha, Complement, Abstain, Cues). It is an error for opt to differ
// from m's feature options, since the counts depend on them. This lets a
// trainer count once and try many smoothing values. A refined model's
// copy keeps its fitted weights only when the options its weights were
// fitted with (Alpha, Complement, FlatPrior, Interpolation, Refine) are
// unchanged.
func (m *Model) WithOptions(opt Options) (*Model, error) {
	if !m.Options.sameFeatures(opt) {
		return nil, fmt.Errorf("feature options differ from the model's (%s vs %s)", opt, m.Options)
	}
	c := m.Clone()
	c.Options = opt.normalized()
	if c.refined != nil && !m.Options.normalized().sameWeights(c.Options) {
		c.refined = nil
	}
	return c, nil
}

// Vocabulary returns the number of distinct terms in the model.
func (m *Model) Vocabulary() int {
	n := 0
	for _, d := range m.dn {
		if d > 0 {
			n++
		}
	}
	return n
}

// Docs returns the weighted number of training documents of class.
func (m *Model) Docs(class string) float64 {
	if i, ok := m.classIdx[class]; ok {
		return m.docs[i]
	}
	return 0
}

// Tokens returns the weighted number of training tokens of class.
func (m *Model) Tokens(class string) float64 {
	if i, ok := m.classIdx[class]; ok {
		return m.tokens[i]
	}
	return 0
}

// argument returns the taxonomy argument with id, or nil.
func (m *Model) argument(id string) *Argument {
	if m.Taxonomy == nil {
		return nil
	}
	for i := range m.Taxonomy.Arguments {
		if m.Taxonomy.Arguments[i].ID == id {
			return &m.Taxonomy.Arguments[i]
		}
	}
	return nil
}

func (t *Tokenizer) sameOptions(o Options) bool {
	return t.negation == o.Negation && t.bigrams == o.Bigrams && t.stopwords == o.Stopwords &&
		t.structure == o.Structure && t.charGrams == o.normalized().CharGrams
}

// termOrder returns the term ids sorted by term. Sums over the vocabulary
// run in this order, so that models with equal counts score identically
// whatever order their terms were first seen in (after a Merge, a decode).
func (m *Model) termOrder() []int32 {
	m.sortMu.Lock()
	defer m.sortMu.Unlock()
	if m.sorted != nil && len(m.sorted) == len(m.terms) {
		return m.sorted
	}
	ord := sortedTermIDs(m.terms)
	m.sorted = ord
	return ord
}

// SortClasses puts the classes in sorted order, with their counts: the
// model is then the one counted with its classes given sorted from the
// start. A trainer that meets the labels as it reads calls it at the end.
func (m *Model) SortClasses() {
	nc := len(m.classes)
	ord := make([]int, nc) // ord[i] is the old index of the i-th class
	for i := range ord {
		ord[i] = i
	}
	slices.SortStableFunc(ord, func(a, b int) int { return strings.Compare(m.classes[a], m.classes[b]) })
	if slices.IsSorted(ord) {
		return
	}
	counts := make([]float64, len(m.counts))
	for t := range m.terms {
		row, old := counts[t*nc:t*nc+nc], m.counts[t*nc:t*nc+nc]
		for i, o := range ord {
			row[i] = old[o]
		}
	}
	classes := make([]string, nc)
	docs, tokens := make([]float64, nc), make([]float64, nc)
	for i, o := range ord {
		classes[i], docs[i], tokens[i] = m.classes[o], m.docs[o], m.tokens[o]
		m.classIdx[classes[i]] = i
	}
	m.classes, m.counts, m.docs, m.tokens = classes, counts, docs, tokens
	m.retrained()
}
