package classify

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Counting a document is two steps, which is what lets a trainer tokenize
// on several goroutines and count on one, in the documents' order:
//
//  1. a [Featurizer] tokenizes the text and turns it into [Features]: its
//     distinct terms with their feature values (counts, binary presences,
//     or length-normalised log(1+tf) with TF-IDF) and its number of tokens;
//  2. [Model.Add] (or [Folds.Add]) adds the features to the counts.
//
// [Model.Learn] and [Model.Unlearn] are the two steps in one call, with the
// model's own Featurizer.

// Featurizer turns texts into the [Features] a [Model] counts. It keeps a
// vocabulary of its own, so that Featurizers on different goroutines need
// no lock while one goroutine adds their Features to a model. A
// Featurizer is not safe for concurrent use, and the Features it makes
// must be added to a model in the order it made them.
type Featurizer struct {
	opt    Options
	tok    *Tokenizer
	terms  []string
	hashes []uint64
	index  termIndex
	seen   []seen
	gen    uint32
	// pairs finds the term of a bigram by the ids of its words (with
	// Bigrams; see Tokenizer.pairs); tokID holds the term id of each
	// token of the current document.
	pairs pairIndex
	tokID []int32
	// toModel is the counting goroutine's half: only Model.Add touches it.
	toModel termMap
}

// termMap maps a Featurizer's term ids to a model's.
type termMap struct {
	model  *Model
	gid    []int32 // the model's id of each local term, -1 when not known yet
	terms  []string
	hashes []uint64
}

// Features are one document's features, made by a [Featurizer] and added
// to a model with [Model.Add]. The zero value is ready to be filled; a
// Features can be reused for the next document.
type Features struct {
	src *Featurizer
	ids []int32 // the featurizer's term ids, distinct
	tf  []float64
	n   int // tokens
	// uniform is set when every term's feature is q (Binary: 1, or the
	// one TF-IDF value of a binary document); tf is not filled then
	// (see values).
	uniform bool
	q       float64
	// fresh lists the terms the featurizer first met in this document;
	// their local ids start at base.
	base   int32
	fresh  []string
	freshH []uint64
}

// Tokens returns the number of tokens of the document (bigrams and negated
// forms included, stopwords not).
func (f *Features) Tokens() int { return f.n }

// NewFeaturizer returns a Featurizer for models with the feature options
// of opt (Binary, TFIDF, Bigrams, Negation, Stopwords).
func NewFeaturizer(opt Options) *Featurizer {
	opt = opt.normalized()
	z := &Featurizer{opt: opt, tok: NewTokenizer(opt)}
	z.tok.pairs = opt.Bigrams
	return z
}

// Features fills dst with the features of text.
func (z *Featurizer) Features(text string, dst *Features) {
	n := z.tok.Tokenize(text)
	dst.src = z
	dst.n = n
	dst.ids = dst.ids[:0]
	dst.tf = dst.tf[:0]
	dst.base = int32(len(z.terms))
	dst.fresh = dst.fresh[:0]
	dst.freshH = dst.freshH[:0]
	z.gen++
	if z.gen == 0 {
		clear(z.seen)
		z.gen = 1
	}
	z.termIDs(n, dst)
	dst.uniform = z.opt.Binary
	if dst.uniform {
		// docFeatures would give every term this value.
		dst.q = 1
		if z.opt.TFIDF {
			dst.q = binaryTFIDF(len(dst.ids))
		}
		return
	}
	docFeatures(dst.tf, z.opt)
}

// values returns the features of f's terms, in the order of f.ids.
func (f *Features) values() []float64 {
	if f.uniform {
		f.tf = slices.Grow(f.tf[:0], len(f.ids))[:len(f.ids)]
		for k := range f.tf {
			f.tf[k] = f.q
		}
	}
	return f.tf
}

// termIDs is the loop of Features over the n tokens: a word is looked up
// by its bytes; a bigram, when the tokenizer leaves out its bytes
// (Tokenizer.pairs), by the term ids of its words, else by its bytes too.
func (z *Featurizer) termIDs(n int, dst *Features) {
	pairs := z.tok.pairs
	buf := z.tok.buf
	tokID := slices.Grow(z.tokID[:0], n)[:n]
	z.tokID = tokID
	for i, sp := range z.tok.spans[:n] {
		var id int32
		if pairs && sp.first >= 0 {
			// A bigram: its words are tokens sp.first and i-1.
			a, b := tokID[sp.first], tokID[i-1]
			key := uint64(uint32(a))<<32 | uint64(uint32(b))
			if id = z.pairs.find(key); id < 0 {
				id = z.addPair(key, a, b, dst)
			}
		} else {
			tok := buf[sp.start:sp.end]
			k, k2 := termKey(buf, int(sp.start), int(sp.end)), termKey2(buf, int(sp.start), int(sp.end))
			if id = z.index.quick(k, k2, sp.h, len(tok)); id < 0 {
				id = z.index.find(z.terms, tok, k, k2, sp.h)
			}
			if id < 0 {
				id = z.addTerm(string(tok), sp.h)
				dst.fresh = append(dst.fresh, z.terms[id])
				dst.freshH = append(dst.freshH, sp.h)
			}
		}
		tokID[i] = id
	}
	z.distinct(tokID, dst)
}

// distinct gathers the distinct terms of a document's tokens (their ids,
// tokID) into dst: with their counts (countDistinct), or with Binary, whose
// features do not depend on the counts, without them (markDistinct).
func (z *Featurizer) distinct(tokID []int32, dst *Features) {
	if z.opt.Binary {
		z.markDistinct(tokID, dst)
	} else {
		z.countDistinct(tokID, dst)
	}
}

// markDistinct is countDistinct without the counts, which binary features
// do not need (dst.tf is left as it is). Each token only
// marks its term as seen in this document, at an address known as soon as
// its id is, so nothing waits on the load of an earlier token's mark.
func (z *Featurizer) markDistinct(tokID []int32, dst *Features) {
	n := len(tokID)
	ids := slices.Grow(dst.ids[:0], n)[:n]
	seenv, gen, nd := z.seen, z.gen, 0
	for _, id := range tokID {
		e := &seenv[id]
		fresh := e.gen != gen
		ids[nd] = id
		e.gen = gen
		nd += b2i(fresh)
	}
	dst.ids = ids[:nd]
}

// countDistinct gathers the distinct terms of a document's tokens (their
// ids, tokID) and their counts into dst, in a pass of its own, so that the
// lookups of the ids overlap, and without a branch on whether a term is new
// to the document, which no predictor guesses: every token writes its id
// and a zero count at the end of the document's terms, and the end moves
// on only for a new one.
func (z *Featurizer) countDistinct(tokID []int32, dst *Features) {
	n := len(tokID)
	ids := slices.Grow(dst.ids[:0], n)[:n]
	tf := slices.Grow(dst.tf[:0], n)[:n]
	seenv, gen, nd := z.seen, z.gen, 0
	for _, id := range tokID {
		e := seenv[id]
		slot, fresh := e.slot, e.gen != gen
		if fresh {
			slot = int32(nd)
		}
		ids[nd], tf[nd] = id, 0
		tf[slot]++
		seenv[id] = seen{gen, slot}
		nd += b2i(fresh)
	}
	dst.ids, dst.tf = ids[:nd], tf[:nd]
}

// b2i is 1 for true and 0 for false, without a branch.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// addPair returns the id of the bigram of the terms a and b, whose pair
// key is key, adding the bigram to the vocabulary (and to dst's fresh
// terms) when it is new. Its hash is that of its bytes, as the tokenizer
// would have given it.
func (z *Featurizer) addPair(key uint64, a, b int32, dst *Features) int32 {
	s := z.terms[a] + " " + z.terms[b]
	h := hashString(s)
	id := z.index.find(z.terms, []byte(s), stringTermKey(s), stringTermKey2(s), h)
	if id < 0 {
		id = z.addTerm(s, h)
		dst.fresh = append(dst.fresh, s)
		dst.freshH = append(dst.freshH, h)
	}
	z.pairs.add(key, id)
	return id
}

func (z *Featurizer) addTerm(s string, h uint64) int32 {
	id := int32(len(z.terms))
	z.terms = append(z.terms, s)
	z.hashes = append(z.hashes, h)
	z.index.add(id, z.terms, z.hashes)
	if int(id) >= len(z.seen) {
		z.seen = append(z.seen, make([]seen, max(64, len(z.seen)))...)
	}
	return id
}

// logNormalize turns term counts into log(1+tf), normalised to unit L2
// length: the TF-IDF document vector of Rennie et al. 2003 before the idf.
func logNormalize(tf []float64) {
	var ss float64
	for k, f := range tf {
		var g float64
		if i := int(f); f < float64(len(log1pSmall)) && float64(i) == f {
			g = log1pSmall[i]
		} else {
			g = math.Log1p(f)
		}
		tf[k] = g
		ss += g * g
	}
	if ss > 0 {
		norm := math.Sqrt(ss)
		for k := range tf {
			tf[k] /= norm
		}
	}
}

// docFeatures turns a document's term counts into its features as opt
// says: binary presences, length-normalised log(1+tf) with TFIDF, or the
// counts as they are.
func docFeatures(tf []float64, opt Options) {
	switch {
	case opt.TFIDF && opt.Binary:
		// Every term weighs log1p(1), normalised: one value per
		// document, the one the general case below computes.
		q := binaryTFIDF(len(tf))
		for k := range tf {
			tf[k] = q
		}
	case opt.TFIDF:
		logNormalize(tf)
	case opt.Binary:
		for k := range tf {
			tf[k] = 1
		}
	}
}

// errFeatures is the error of Features made for other feature options.
var errFeatures = errors.New("features made with other feature options than the model's")

// Add adds one document's features with the given labels and weight, as
// [Model.Learn] adds its text: Learn is a Featurizer's Features followed
// by Add. Labels the model does not know are added as classes. A weight
// that is not a positive finite number, or an empty label list, adds
// nothing. It is an error for f to come from a Featurizer with other
// feature options than the model's.
func (m *Model) Add(f *Features, labels []string, weight float64) error {
	return m.count(f, labels, weight, false)
}

// Remove takes away one document's features added earlier with the same
// labels and weight, as [Model.Unlearn] does.
func (m *Model) Remove(f *Features, labels []string, weight float64) error {
	return m.count(f, labels, weight, true)
}

// count adds (or with remove takes away) f to the model's counts.
func (m *Model) count(f *Features, labels []string, weight float64, remove bool) error {
	if !(weight > 0) || math.IsInf(weight, 0) || len(labels) == 0 {
		return nil
	}
	if f.src == nil || !f.src.opt.sameFeatures(m.Options) {
		return errFeatures
	}
	lbl := m.labelIndices(labels, remove)
	if len(lbl) == 0 {
		return nil
	}
	w := weight
	sign := int64(1)
	if remove {
		w, sign = -weight, -1
	}
	if len(lbl) == 1 {
		m.addOne(f, lbl[0], w, sign, remove)
		m.addTotals(lbl, w, sign, f.n)
	} else {
		m.addCounts(m.resolve(f, remove), f.values(), lbl, w, sign, f.n)
	}
	m.retrained()
	return nil
}

// labelIndices returns the class indices of labels, in the model's
// scratch space; a label the model does not know is added as a class,
// or skipped when removing.
func (m *Model) labelIndices(labels []string, remove bool) []int {
	s := &m.learn
	s.lbl = s.lbl[:0]
	for _, l := range labels {
		if !remove {
			s.lbl = append(s.lbl, m.AddClass(l))
		} else if i, ok := m.classIdx[l]; ok {
			s.lbl = append(s.lbl, i)
		}
	}
	return s.lbl
}

// resolve returns the model's term ids of f's terms (-1 for a term the
// model does not know, when removing), adding new terms to the vocabulary
// otherwise.
func (m *Model) resolve(f *Features, remove bool) []int32 {
	mp := m.termMap(f)
	s := &m.learn
	s.ids = s.ids[:0]
	for _, lid := range f.ids {
		g := mp.gid[lid]
		if g < 0 {
			g = m.resolveTerm(mp, lid, remove)
		}
		s.ids = append(s.ids, g)
	}
	return s.ids
}

// termMap returns the map of f's Featurizer's term ids to m's, with f's
// fresh terms taken in.
func (m *Model) termMap(f *Features) *termMap {
	mp := &f.src.toModel
	if mp.model != m {
		mp.model = m
		mp.gid = mp.gid[:0]
	}
	switch base := int(f.base); {
	case base == len(mp.terms):
		mp.terms = append(mp.terms, f.fresh...)
		mp.hashes = append(mp.hashes, f.freshH...)
	case base > len(mp.terms):
		panic(fmt.Sprintf("classify: Features added out of the order their Featurizer made them (term %d of %d)", base, len(mp.terms)))
	}
	for len(mp.gid) < len(mp.terms) {
		mp.gid = append(mp.gid, -1)
	}
	return mp
}

// resolveTerm returns the model's id of the Featurizer's term lid, which
// mp does not know yet: found in the vocabulary, or added to it unless
// removing (-1 then).
func (m *Model) resolveTerm(mp *termMap, lid int32, remove bool) int32 {
	term, h := mp.terms[lid], mp.hashes[lid]
	g := m.index.find(m.terms, []byte(term), stringTermKey(term), stringTermKey2(term), h)
	if g < 0 && !remove {
		g = m.addTerm(term, h)
	}
	mp.gid[lid] = g
	return g
}

// addOne is resolve and addCounts in one pass for a document of one
// class c, the common case: each term's model id is found (or the term
// added) and its counts updated in turn, with the same operations in the
// same order.
func (m *Model) addOne(f *Features, c int, w float64, sign int64, remove bool) {
	mp := m.termMap(f)
	if f.uniform {
		m.addOneUniform(f.ids, mp, c, w*f.q, w, sign, remove)
		return
	}
	nc := len(m.classes)
	tf := f.tf[:len(f.ids)]
	for k, lid := range f.ids {
		g := mp.gid[lid]
		if g < 0 {
			g = m.resolveTerm(mp, lid, remove)
			if g < 0 {
				continue
			}
		}
		f := w * tf[k]
		m.counts[int(g)*nc+c] += f
		m.df[g] += w
		m.dn[g] += sign
	}
}

// addOneUniform is addOne for features that are all the same (see
// Features.uniform): fq is the weight w times that value, what each term
// adds to its count of class c.
func (m *Model) addOneUniform(ids []int32, mp *termMap, c int, fq, w float64, sign int64, remove bool) {
	nc := len(m.classes)
	for _, lid := range ids {
		g := mp.gid[lid]
		if g < 0 {
			g = m.resolveTerm(mp, lid, remove)
			if g < 0 {
				continue
			}
		}
		m.counts[int(g)*nc+c] += fq
		m.df[g] += w
		m.dn[g] += sign
	}
}

// addCounts adds the features tf of the terms ids (-1: skip) with weight w
// (negative to take away; sign is its sign) to the classes lbl; n is the
// document's number of tokens.
func (m *Model) addCounts(ids []int32, tf []float64, lbl []int, w float64, sign int64, n int) {
	addTerms(m.counts, m.df, m.dn, len(m.classes), ids, tf, lbl, w, sign)
	m.addTotals(lbl, w, sign, n)
}

// addTerms adds the features tf of the terms ids (-1: skip) with weight w
// (negative to take away; sign is its sign) to the classes lbl of the
// per-term tables counts (nc per term), df and dn.
func addTerms(counts, df []float64, dn []int64, nc int, ids []int32, tf []float64, lbl []int, w float64, sign int64) {
	for k, id := range ids {
		if id < 0 {
			continue
		}
		row := counts[int(id)*nc : int(id)*nc+nc]
		f := w * tf[k]
		for _, c := range lbl {
			row[c] += f
		}
		df[id] += w
		dn[id] += sign
	}
}

// addTotals adds a document of n tokens with weight w (sign its sign) to
// the totals of the classes lbl.
func (m *Model) addTotals(lbl []int, w float64, sign int64, n int) {
	for _, c := range lbl {
		m.docs[c] += w
		m.tokens[c] += w * float64(n)
		name := m.classes[c]
		m.Training.Docs[name] = m.docs[c]
		m.Training.Tokens[name] = m.tokens[c]
	}
	m.total += w
	m.ndocs += sign
	m.Training.Documents = m.ndocs
}

// Folds keeps, beside a model's counts, the counts of k disjoint parts of
// its documents (folds), so that the model trained on all documents but
// those of one fold can score that fold: cross-validation without
// counting again, since naive Bayes counts add up. The memory is up to k
// times the model's counts.
type Folds struct {
	m     *Model
	parts []foldPart
	// classes are the model's classes when the parts were last laid out:
	// the parts' columns.
	classes []string
	tf      []float64 // CountHeldout's features
}

// foldPart is the counts of one fold, by the model's term ids.
type foldPart struct {
	counts []float64 // [t*nc+c], nc = len(Folds.classes)
	df     []float64
	dn     []int64
	docs   []float64
	total  float64
}

// NewFolds returns k empty folds of m's documents (see [Folds.Count]).
func NewFolds(m *Model, k int) *Folds {
	fo := &Folds{m: m, parts: make([]foldPart, k), classes: m.Classes()}
	for i := range fo.parts {
		fo.parts[i].docs = make([]float64, len(fo.classes))
	}
	return fo
}

// K returns the number of folds.
func (fo *Folds) K() int { return len(fo.parts) }

// Count adds f to fold k only: the features of a document the model has
// counted already, with the labels and weight it was counted with. Terms
// and labels the model does not know are ignored.
func (fo *Folds) Count(k int, f *Features, labels []string, weight float64) error {
	m := fo.m
	if !(weight > 0) || math.IsInf(weight, 0) || len(labels) == 0 {
		return nil
	}
	if f.src == nil || !f.src.opt.sameFeatures(m.Options) {
		return errFeatures
	}
	lbl := m.labelIndices(labels, true)
	if len(lbl) == 0 {
		return nil
	}
	p := fo.part(k)
	p.add(m, m.resolve(f, true), f.values(), lbl, weight, 1)
	return nil
}

// part returns fold k after laying the parts out for the model's
// classes. Classes are only ever added to a model while it counts.
func (fo *Folds) part(k int) *foldPart {
	if nc := len(fo.m.classes); nc != len(fo.classes) {
		old := len(fo.classes)
		for i := range fo.parts {
			p := &fo.parts[i]
			nt := len(p.counts) / max(old, 1)
			counts := make([]float64, nt*nc)
			for t := range nt {
				copy(counts[t*nc:t*nc+old], p.counts[t*old:t*old+old])
			}
			p.counts = counts
			p.docs = append(p.docs, make([]float64, nc-old)...)
		}
		fo.classes = fo.m.Classes()
	}
	return &fo.parts[k]
}

// add adds one document's features to the part; see Model.addCounts.
func (p *foldPart) add(m *Model, ids []int32, tf []float64, lbl []int, w float64, sign int64) {
	nc := len(m.classes)
	if nt := len(m.terms); len(p.df) < nt {
		grow := max(nt, 2*len(p.df)) - len(p.df)
		p.counts = append(p.counts, make([]float64, grow*nc)...)
		p.df = append(p.df, make([]float64, grow)...)
		p.dn = append(p.dn, make([]int64, grow)...)
	}
	addTerms(p.counts, p.df, p.dn, nc, ids, tf, lbl, w, sign)
	for _, c := range lbl {
		p.docs[c] += w
	}
	p.total += w
}

// FoldScorer scores texts with the model trained on all documents but
// those of one fold (see [Folds.Without]). It is safe for concurrent use.
type FoldScorer struct {
	m  *Model
	d  *derived
	dn []int64
}

// Without returns the scorer of the model without fold k's documents, at
// the model's options but no temperature. The model must not change while
// the scorer is in use.
func (fo *Folds) Without(k int) *FoldScorer {
	m := fo.m
	p := &fo.parts[k]
	nc, V := len(m.classes), len(m.terms)
	col := make([]int, nc) // the part's column of each model class
	pidx := make(map[string]int, len(fo.classes))
	for i, c := range fo.classes {
		pidx[c] = i
	}
	for c, name := range m.classes {
		col[c] = -1
		if i, ok := pidx[name]; ok {
			col[c] = i
		}
	}
	pnc := len(fo.classes)
	st := stats{
		counts: append([]float64(nil), m.counts...),
		df:     append([]float64(nil), m.df...),
		dn:     append([]int64(nil), m.dn...),
		docs:   append([]float64(nil), m.docs...),
		total:  m.total - p.total,
	}
	for t := range min(V, len(p.df)) {
		st.df[t] -= p.df[t]
		st.dn[t] -= p.dn[t]
		for c := range nc {
			if col[c] >= 0 {
				st.counts[t*nc+c] -= p.counts[t*pnc+col[c]]
			}
		}
	}
	for c := range nc {
		if col[c] >= 0 {
			st.docs[c] -= p.docs[col[c]]
		}
	}
	opt := m.Options.normalized()
	opt.Temperature = 0
	d := buildDerived(st, m.termOrder(), opt, nc)
	d.eff = nil // only TopTokens reads it
	return &FoldScorer{m: m, d: d, dn: st.dn}
}

// HeldoutDoc is one of a model's training documents prepared, once, for
// the held-out predictions of its folds: its terms as the model's scorer
// finds them, so that a fold counts it ([Folds.CountHeldout]) and scores
// it ([FoldScorer.HeldoutDoc]) without tokenizing it again. Make it with
// a [HeldoutPreparer]; the zero value is ready to be filled, and can be
// reused.
type HeldoutDoc struct {
	ids   []int32   // the model's ids of the distinct known terms, in order of first occurrence
	tf    []float64 // their counts, 1 with Binary: the scorer's features
	words []int32   // the model's id of each word token (bigrams aside), -1 when unknown
	n     int       // the tokens, as a Featurizer counts them (Features.Tokens)
}

// HeldoutPreparer prepares documents of a model for the held-out
// predictions of its folds (see [HeldoutDoc]). It is not safe for
// concurrent use; use one per goroutine. The model must not change while
// it is in use.
type HeldoutPreparer struct {
	m *Model
	s *scratch
	// With bigrams, the text is tokenized as a Featurizer does (the
	// bigrams' bytes left out) and a bigram's term found by the model's
	// ids of its words: pairs holds the bigrams met so far, -2 for those
	// the model lacks; tokID the model's id of each token (-1: unknown).
	tok   *Tokenizer
	pairs pairIndex
	tokID []int32
	pair  []byte // a bigram spelled out
}

// NewHeldoutPreparer returns a preparer of m's documents.
func (m *Model) NewHeldoutPreparer() *HeldoutPreparer {
	opt := m.Options.normalized()
	// live: the scorer's own out-of-vocabulary count is not wanted here.
	hp := &HeldoutPreparer{m: m, s: &scratch{tok: NewTokenizer(opt), seen: make([]seen, len(m.terms)), live: true}}
	if opt.Bigrams {
		hp.tok = NewTokenizer(opt)
		hp.tok.pairs = true
	}
	return hp
}

// Prepare fills dst with text's terms as the model's scorer finds them.
// Every term of a document the model has counted is known to it, so a
// fold counts the same terms as from a [Featurizer]'s Features, in the
// same order.
func (hp *HeldoutPreparer) Prepare(text string, dst *HeldoutDoc) {
	if hp.tok != nil {
		hp.preparePairs(text, dst)
		return
	}
	hp.prepareText(text, dst)
}

// prepareText is Prepare through the scorer's own features (scratch.features).
func (hp *HeldoutPreparer) prepareText(text string, dst *HeldoutDoc) {
	m, s := hp.m, hp.s
	s.features(m, m.Options, text)
	dst.n = s.n
	dst.ids = append(dst.ids[:0], s.ids...)
	dst.tf = append(dst.tf[:0], s.tf...)
	// The word tokens as oovCount looks them up.
	dst.words = dst.words[:0]
	buf := s.tok.buf
	for _, sp := range s.tok.spans[:s.tok.words] {
		if sp.first >= 0 {
			continue // a bigram
		}
		k, k2 := termKey(buf, int(sp.start), int(sp.end)), termKey2(buf, int(sp.start), int(sp.end))
		id := m.index.quick(k, k2, sp.h, int(sp.end-sp.start))
		if id < 0 {
			id = m.index.find(m.terms, buf[sp.start:sp.end], k, k2, sp.h)
		}
		dst.words = append(dst.words, id)
	}
}

// preparePairs is Prepare for a model with bigrams, as prepareText but
// finding a bigram by its words' ids, as a Featurizer does: a word is
// looked up by its bytes in the model's vocabulary, a bigram whose words
// are both known by the pair of their ids, and spelled out and looked up
// the first time only. As in scratch.features, a bigram with an unknown
// word is unknown (every document that taught the bigram taught its
// words), and a token the model does not know is left out.
func (hp *HeldoutPreparer) preparePairs(text string, dst *HeldoutDoc) {
	m, s, tok := hp.m, hp.s, hp.tok
	n := tok.Tokenize(text)
	dst.n = n
	buf, spans := tok.buf, tok.spans[:n]
	tokID := slices.Grow(hp.tokID[:0], n)[:n]
	hp.tokID = tokID
	dst.words = dst.words[:0]
	for i, sp := range spans {
		var id int32
		if sp.first >= 0 {
			id = -1
			if a, b := tokID[sp.first], tokID[i-1]; a >= 0 && b >= 0 {
				key := uint64(uint32(a))<<32 | uint64(uint32(b))
				if id = hp.pairs.find(key); id == -1 {
					id = hp.findPair(spans[sp.first], spans[i-1])
					hp.pairs.add(key, id)
				}
				id = max(id, -1)
			}
		} else {
			k, k2 := termKey(buf, int(sp.start), int(sp.end)), termKey2(buf, int(sp.start), int(sp.end))
			if id = m.index.quick(k, k2, sp.h, int(sp.end-sp.start)); id < 0 {
				id = m.index.find(m.terms, buf[sp.start:sp.end], k, k2, sp.h)
			}
			if i < tok.words {
				dst.words = append(dst.words, id) // a word token, as oovCount looks it up
			}
		}
		tokID[i] = id
	}
	s.gen++
	if s.gen == 0 {
		clear(s.seen)
		s.gen = 1
	}
	ids, tf := dst.ids[:0], dst.tf[:0]
	seenv, gen := s.seen, s.gen
	for _, id := range tokID {
		if id < 0 {
			continue
		}
		if e := &seenv[id]; e.gen == gen {
			tf[e.slot]++
			continue
		}
		seenv[id] = seen{gen, int32(len(ids))}
		ids = append(ids, id)
		tf = append(tf, 1)
	}
	if m.Options.Binary {
		for k := range tf {
			tf[k] = 1
		}
	}
	dst.ids, dst.tf = ids, tf
}

// findPair returns the model's id of the bigram of the words of spans a
// and b of the preparer's tokenizer, -2 when the model lacks it.
func (hp *HeldoutPreparer) findPair(a, b span) int32 {
	m, buf := hp.m, hp.tok.buf
	hp.pair = append(append(append(hp.pair[:0], buf[a.start:a.end]...), ' '), buf[b.start:b.end]...)
	s := string(hp.pair)
	id := m.index.find(m.terms, hp.pair, stringTermKey(s), stringTermKey2(s), hashString(s))
	if id < 0 {
		return -2
	}
	return id
}

// CountHeldout is [Folds.Count] for a document prepared by the model with
// [HeldoutPreparer.Prepare]: its features are made from the prepared counts
// as a Featurizer makes them.
func (fo *Folds) CountHeldout(k int, p *HeldoutDoc, labels []string, weight float64) error {
	m := fo.m
	if !(weight > 0) || math.IsInf(weight, 0) || len(labels) == 0 {
		return nil
	}
	lbl := m.labelIndices(labels, true)
	if len(lbl) == 0 {
		return nil
	}
	fo.tf = append(fo.tf[:0], p.tf...)
	docFeatures(fo.tf, m.Options.normalized())
	fo.part(k).add(m, p.ids, fo.tf, lbl, weight, 1)
	return nil
}

// HeldoutDoc is [FoldScorer.Heldout] for a document prepared by the
// scorer's model with [HeldoutPreparer.Prepare].
func (fs *FoldScorer) HeldoutDoc(p *HeldoutDoc, dst []float64) (post []float64, unknown, total int) {
	return heldoutPosteriors(fs.m, fs.d, fs.dn, p, dst)
}

// HeldoutDoc is [Model.Posteriors] and [Model.OOV] for a document
// prepared by the model with [HeldoutPreparer.Prepare], at the model's
// temperature, bit for bit, without tokenizing its text again: the
// posteriors of its classes (in [Model.Classes] order), appended to
// dst[:0], and its word tokens unknown to the model and in all. The
// model may have changed since (Learn, Unlearn), so long as it kept the
// terms it had: [LearnHeldout] and [UnlearnHeldout] do. It is safe for
// concurrent use once the model's tables are built ([Model.Finalize]).
func (m *Model) HeldoutDoc(p *HeldoutDoc, dst []float64) (post []float64, unknown, total int) {
	return heldoutPosteriors(m, m.tables(), m.dn, p, dst)
}

// heldoutPosteriors scores the prepared document p with the tables d of
// m (dn its terms' documents) as Posteriors scores its text, and counts
// its unknown words as OOV does.
func heldoutPosteriors(m *Model, d *derived, dn []int64, p *HeldoutDoc, dst []float64) (post []float64, unknown, total int) {
	s := d.get(m)
	defer d.put(s)
	ids, tf := s.ids, s.tf
	s.ids, s.tf = p.ids, p.tf
	d.score(s)
	s.ids, s.tf = ids, tf // the scratch's own buffers go back to the pool
	dst = dst[:0]
	mx, sum := softmax(s.scores[:d.nc])
	for _, v := range s.scores[:d.nc] {
		dst = append(dst, math.Exp(v-mx)/sum)
	}
	for _, id := range p.words {
		if id < 0 || dn[id] <= 0 {
			unknown++
		}
	}
	return dst, unknown, len(p.words)
}

// LearnHeldout adds a document prepared by the model with
// [HeldoutPreparer.Prepare], with the given labels and weight: what
// [Model.Learn] adds for its text, bit for bit, without tokenizing it
// again. Every term of the document must be in the model's vocabulary
// (as after the model learned it, however often it was unlearned
// since): Prepare leaves out the terms the model lacks, and so does
// LearnHeldout. A trainer that holds its documents out one fold after
// the other prepares each once.
func (m *Model) LearnHeldout(p *HeldoutDoc, labels []string, weight float64) {
	m.countHeldout(p, labels, weight, false)
}

// UnlearnHeldout takes away a document prepared by the model with
// [HeldoutPreparer.Prepare]: what [Model.Unlearn] takes away for its
// text, bit for bit (see [Model.LearnHeldout]).
func (m *Model) UnlearnHeldout(p *HeldoutDoc, labels []string, weight float64) {
	m.countHeldout(p, labels, weight, true)
}

// countHeldout is count for a prepared document: its features made from
// the prepared counts as a Featurizer makes them, added term by term in
// the same order with the same operations (a uniform feature q adds
// w·q to each term, as addOneUniform does).
func (m *Model) countHeldout(p *HeldoutDoc, labels []string, weight float64, remove bool) {
	if !(weight > 0) || math.IsInf(weight, 0) || len(labels) == 0 {
		return
	}
	lbl := m.labelIndices(labels, remove)
	if len(lbl) == 0 {
		return
	}
	w, sign := weight, int64(1)
	if remove {
		w, sign = -weight, -1
	}
	s := &m.learn
	s.tf = append(s.tf[:0], p.tf...)
	docFeatures(s.tf, m.Options.normalized())
	m.addCounts(p.ids, s.tf, lbl, w, sign, p.n)
	m.retrained()
}

// Heldout returns the posteriors of text's classes (in [Model.Classes]
// order), appended to dst[:0], and its tokens (bigrams aside) that are
// unknown to the fold's model and in all, as [Model.OOV] counts them.
func (fs *FoldScorer) Heldout(text string, dst []float64) (post []float64, unknown, total int) {
	d := fs.d
	s := d.get(fs.m)
	defer d.put(s)
	s.features(fs.m, d.opt, text)
	d.score(s)
	dst = dst[:0]
	mx, sum := softmax(s.scores[:d.nc])
	for _, v := range s.scores[:d.nc] {
		dst = append(dst, math.Exp(v-mx)/sum)
	}
	unknown, total = oovCount(fs.m, s.tok, fs.dn)
	return dst, unknown, total
}
