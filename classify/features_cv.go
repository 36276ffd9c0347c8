package classify

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
)

// CrossCounts cross-validates many option sets on one labeled data set at
// the cost of counting: each document is tokenized once, under the token
// options given to [NewCrossCounts], and every option set that shares them
// is scored from the stored term counts. The model of a fold is the total
// minus the fold's counts, so no document is tokenized or learned again.
//
// Option sets may differ from the counted ones in the count options
// (Binary, TFIDF), in the scoring options (Alpha, Complement, FlatPrior,
// Interpolation), in Refine (each fold's weights then fitted on the
// documents to predict of the other folds followed by those in every
// training part, as [Model.Refine] does, in an order seeded by Seed) and
// by leaving out the structure tokens or the character
// n-grams that were counted; not in Negation, Bigrams, Stopwords or a
// different CharGrams. The predictions are those of a [Model] trained with
// [Model.Learn] on the other folds (up to the rounding of sums taken in
// another order).
type CrossCounts struct {
	tok      Options
	folds    int
	classes  []string
	classIdx map[string]int
	tk       *Tokenizer
	vm       *Model  // its vocabulary only: the terms and their index
	kind     []uint8 // termWord, termStructure or termCharGram
	seen     []seen  // per term: met in the document being added
	gen      uint32  // the generation of the document being added
	docs     []xdoc
	held     []int // the documents to predict, by index in docs
	// idArena and tfArena hold the documents' ids and counts: each
	// document's are a slice of them, its tokens' room at most.
	idArena []int32
	tfArena []float64
	// Seed seeds the refinement of option sets with Refine, as the seed
	// of [Model.Refine].
	Seed uint64
	// RefinePasses bounds the passes of those refinements; 0 means
	// [RefinePasses], as [Model.Refine] does. A search that only ranks
	// option sets may take fewer.
	RefinePasses int
}

// Kinds of terms: masked apart when an option set leaves them out.
const (
	termWord uint8 = iota
	termStructure
	termCharGram
)

// arenaSize is the size of CrossCounts' id and count arenas.
const arenaSize = 1 << 16

// xdoc is one learned document: its distinct terms with their counts.
type xdoc struct {
	ids    []int32
	tf     []float64
	labels []int
	weight float64
	fold   int
}

// NewCrossCounts returns an empty CrossCounts over the given classes (more
// are added as labels are met) for folds folds, tokenizing with the token
// options of opt.
func NewCrossCounts(opt Options, classes []string, folds int) *CrossCounts {
	opt = opt.normalized()
	x := &CrossCounts{tok: opt, folds: folds, classIdx: map[string]int{}, tk: NewTokenizer(opt), vm: NewModel("", nil, nil, opt)}
	for _, c := range classes {
		x.class(c)
	}
	return x
}

func (x *CrossCounts) class(name string) int {
	if i, ok := x.classIdx[name]; ok {
		return i
	}
	x.classIdx[name] = len(x.classes)
	x.classes = append(x.classes, name)
	return len(x.classes) - 1
}

// Classes returns the classes, in the order of the predicted indices.
func (x *CrossCounts) Classes() []string { return append([]string(nil), x.classes...) }

// Add counts a document of the given labels and weight (as [Model.Learn])
// in fold fold, in 0..folds-1; a negative fold puts it in the training part
// of every fold. With predict, the document is also predicted when its fold
// is held out (fold must then be 0 or more); [CrossCounts.Predict] returns
// the predictions in the order of these calls.
func (x *CrossCounts) Add(text string, labels []string, weight float64, fold int, predict bool) {
	n := x.tk.Tokenize(text)
	x.add(CrossDoc{Labels: labels, Weight: weight, Fold: fold, Predict: predict}, x.tk.view(n))
}

// CrossDoc is a document for [CrossCounts.AddDocs]: its fields are the
// arguments of [CrossCounts.Add] (text, labels, weight, fold, predict).
type CrossDoc struct {
	Text    string
	Labels  []string
	Weight  float64
	Fold    int
	Predict bool
}

// AddDocs adds docs in order, as Add would one after the other, tokenizing
// them on every core: chunks of them are tokenized side by side while the
// tokens of the chunks before are counted, in order, so that the terms get
// the same ids.
func (x *CrossCounts) AddDocs(docs []CrossDoc) {
	workers := max(1, runtime.GOMAXPROCS(0))
	if workers == 1 || len(docs) <= crossChunk {
		for _, d := range docs {
			x.Add(d.Text, d.Labels, d.Weight, d.Fold, d.Predict)
		}
		return
	}
	chunks := (len(docs) + crossChunk - 1) / crossChunk
	// Each chunk's tokens, ready when its channel is closed; at most
	// 2·workers chunks are tokenized ahead of the counting.
	toks := make([][]tokenView, chunks)
	ready := make([]chan struct{}, chunks)
	for c := range ready {
		ready[c] = make(chan struct{})
	}
	ahead := make(chan struct{}, 2*workers)
	next := make(chan int)
	go func() {
		defer close(next)
		for c := range chunks {
			ahead <- struct{}{}
			next <- c
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			tk := NewTokenizer(x.tok)
			for c := range next {
				lo, hi := c*crossChunk, min(len(docs), (c+1)*crossChunk)
				out := make([]tokenView, hi-lo)
				for i := range out {
					out[i] = tk.view(tk.Tokenize(docs[lo+i].Text)).clone()
				}
				toks[c] = out
				close(ready[c])
			}
		})
	}
	for c := range chunks {
		<-ready[c]
		for i, v := range toks[c] {
			x.add(docs[c*crossChunk+i], v)
		}
		toks[c] = nil
		<-ahead
	}
	wg.Wait()
}

// crossChunk is the number of documents AddDocs hands a core at a time.
const crossChunk = 256

// tokenView is a tokenized text: the tokens spans of buf, the first words
// of them words (the structure tokens and character n-grams after them)
// and those from conj on their conjunctions with the text's target.
type tokenView struct {
	buf         []byte
	spans       []span
	words, conj int
}

// view returns the view of the n tokens of t's last text.
func (t *Tokenizer) view(n int) tokenView {
	return tokenView{buf: t.buf, spans: t.spans[:n], words: t.words, conj: t.conj}
}

// clone returns a copy of v that outlives its tokenizer's next text,
// with the 8 bytes of capacity past every token that term keys read (see
// loadKey).
func (v tokenView) clone() tokenView {
	end := 0
	for _, sp := range v.spans {
		end = max(end, int(sp.end))
	}
	v.buf = append(make([]byte, 0, end+8), v.buf[:end]...)
	v.spans = append([]span(nil), v.spans...)
	return v
}

// add counts document cd, whose tokens are v.
func (x *CrossCounts) add(cd CrossDoc, v tokenView) {
	d := xdoc{weight: cd.Weight, fold: cd.Fold}
	if cd.Fold >= x.folds {
		d.fold = -1
	}
	if !(cd.Weight > 0) || math.IsInf(cd.Weight, 0) {
		d.weight = 0
	}
	for _, l := range cd.Labels {
		d.labels = append(d.labels, x.class(l))
	}
	n := len(v.spans)
	// Room for every token (the distinct ones are fewer), taken from
	// arenas shared by the documents rather than grown per document.
	if cap(x.idArena)-len(x.idArena) < n {
		x.idArena = make([]int32, 0, max(n, arenaSize))
		x.tfArena = make([]float64, 0, max(n, arenaSize))
	}
	d.ids = x.idArena[len(x.idArena) : len(x.idArena) : len(x.idArena)+n]
	d.tf = x.tfArena[len(x.tfArena) : len(x.tfArena) : len(x.tfArena)+n]
	x.gen++
	vm, buf := x.vm, v.buf
	for i, sp := range v.spans {
		tok := buf[sp.start:sp.end]
		k, k2 := termKey(buf, int(sp.start), int(sp.end)), termKey2(buf, int(sp.start), int(sp.end))
		id := vm.index.quick(k, k2, sp.h, len(tok))
		if id < 0 {
			id = vm.index.find(vm.terms, tok, k, k2, sp.h)
		}
		if id < 0 {
			id = vm.addTerm(string(tok), sp.h)
			x.kind = append(x.kind, v.kind(i))
			x.seen = append(x.seen, seen{})
		}
		if e := &x.seen[id]; e.gen == x.gen {
			d.tf[e.slot]++
			continue
		}
		x.seen[id] = seen{x.gen, int32(len(d.ids))}
		d.ids = append(d.ids, id)
		d.tf = append(d.tf, 1)
	}
	x.idArena = x.idArena[:len(x.idArena)+len(d.ids)]
	x.tfArena = x.tfArena[:len(x.tfArena)+len(d.tf)]
	if cd.Predict && d.fold >= 0 {
		x.held = append(x.held, len(x.docs))
	}
	x.docs = append(x.docs, d)
}

// Held returns the number of documents to predict.
func (x *CrossCounts) Held() int { return len(x.held) }

// variant is what the counts depend on.
type variant struct {
	binary, tfidf, structure bool
	charGrams                int
}

// kind returns the kind of token i: a word (unigram, bigram, tag, or the
// target's own token), a structure token or a character n-gram, or the
// conjunction of one with the target (PerTarget), which is of the kind of
// the token it conjoins.
func (v tokenView) kind(i int) uint8 {
	if i >= v.conj {
		if i == len(v.spans)-1 {
			return termWord // the target's own token
		}
		i -= v.conj
	}
	switch {
	case i >= v.words && v.buf[v.spans[i].start] == '#':
		return termStructure
	case i >= v.words:
		return termCharGram
	}
	return termWord
}

// Predict returns, for each option set of opts, the class index predicted
// for each document added with predict, by the model trained on the other
// folds with those options.
func (x *CrossCounts) Predict(opts []Options) ([][]int, error) {
	nc, V := len(x.classes), len(x.vm.terms)
	out := make([][]int, len(opts))
	byVariant := map[variant][]int{}
	var order []variant
	for i, o := range opts {
		o = o.normalized()
		if o.Negation != x.tok.Negation || o.Bigrams != x.tok.Bigrams || o.Stopwords != x.tok.Stopwords ||
			(o.Structure && !x.tok.Structure) || (o.CharGrams != 0 && o.CharGrams != x.tok.CharGrams) {
			return nil, fmt.Errorf("cross-validation: options %s are not counted by %s", o, x.tok)
		}
		v := variant{o.Binary, o.TFIDF, o.Structure, o.CharGrams}
		if _, ok := byVariant[v]; !ok {
			order = append(order, v)
		}
		byVariant[v] = append(byVariant[v], i)
		out[i] = make([]int, len(x.held))
	}
	if nc == 0 {
		return out, nil
	}
	// The folds' sums and tables hold the terms in term order (each id
	// mapped to its rank), the order in which a model sums over its
	// vocabulary: the tables are then built walking memory in order,
	// not jumping from term to term of a large vocabulary.
	rank, termOrd := make([]int32, V), make([]int32, V)
	for r, t := range x.vm.termOrder() {
		rank[t], termOrd[r] = int32(r), int32(r)
	}
	heldAt := make([]int, len(x.docs))
	for k := range heldAt {
		heldAt[k] = -1
	}
	for i, k := range x.held {
		heldAt[k] = i
	}
	inFold := make([][]int, x.folds)
	for k, d := range x.docs {
		if d.fold >= 0 {
			inFold[d.fold] = append(inFold[d.fold], k)
		}
	}
	var (
		off       = make([]int, len(x.docs)+1)
		ids       []int32
		feat, stf []float64
		rtf       []float64 // the refined sets' features (svmFeature of stf) when not binary
		// all is the sums of every document; each worker's fold model
		// is a copy of all less the fold's documents.
		all foldSums
	)
	// The folds are predicted side by side, each worker with its own
	// fold model and scoring table (two per worker in memory, however
	// many folds), as many workers as the cores and crossBudget allow.
	// Every fold's predictions are its own, so the result does not depend
	// on the number of workers.
	workers := max(1, min(x.folds, runtime.GOMAXPROCS(0), 1+crossBudget/max(1, 24*V*nc)))
	fw := make([]foldWorker, workers)
	for w := range fw {
		fw[w].s = &scratch{scores: make([]float64, nc)}
	}
	for _, v := range order {
		// Each document's kept terms, their training features as
		// Model.Learn computes them, and their scoring features.
		if ids == nil {
			n := 0
			for k := range x.docs {
				n += len(x.docs[k].ids)
			}
			ids, feat, stf = make([]int32, 0, n), make([]float64, 0, n), make([]float64, 0, n)
		}
		ids, feat, stf = ids[:0], feat[:0], stf[:0]
		for k, d := range x.docs {
			off[k] = len(ids)
			for j, id := range d.ids {
				switch x.kind[id] {
				case termStructure:
					if !v.structure {
						continue
					}
				case termCharGram:
					if v.charGrams == 0 {
						continue
					}
				}
				ids = append(ids, rank[id])
				feat = append(feat, d.tf[j])
				stf = append(stf, d.tf[j])
			}
			docFeatures(feat[off[k]:], Options{TFIDF: v.tfidf, Binary: v.binary})
			if v.binary {
				for j := range stf[off[k]:] {
					stf[off[k]+j] = 1
				}
			}
		}
		off[len(x.docs)] = len(ids)
		rtf = rtf[:0]
		if !v.binary && slices.ContainsFunc(byVariant[v], func(i int) bool { return opts[i].Refine }) {
			rtf = append(rtf, stf...)
			svmFeatures(rtf)
		}
		// The sums of every document, then per fold a copy less the
		// fold's documents.
		all.reset(V, nc)
		for k := range x.docs {
			all.learn(&x.docs[k], ids[off[k]:off[k+1]], feat[off[k]:off[k+1]], nc, 1)
		}
		fd := foldData{all: &all, ids: ids, feat: feat, stf: stf, rtf: rtf, off: off, termOrd: termOrd,
			heldAt: heldAt, opts: opts, sets: groupByTable(opts, byVariant[v]), out: out}
		var wg sync.WaitGroup
		for w := range fw {
			wg.Go(func() {
				for f := w; f < x.folds; f += workers {
					x.predictFold(&fw[w], &fd, f, inFold[f])
				}
			})
		}
		wg.Wait()
	}
	return out, nil
}

// crossBudget bounds the memory of [CrossCounts.Predict]'s fold models
// and scoring tables beyond the first worker's: about 24 bytes per term
// and class each (a fold's counts, its table's weights and smoothed
// counts), so that on a large vocabulary (long posts with bigrams: ~1M
// terms, 20 classes, 480 MB a worker) the folds go one at a time.
const crossBudget = 256 << 20

// foldWorker is what one worker of [CrossCounts.Predict] reuses from fold
// to fold: its fold model (the sums less the fold's documents), its
// scoring table and the key of the option sets it serves.
type foldWorker struct {
	cur  foldSums
	d    *derived
	dKey Options
	s    *scratch
}

// foldData is what the workers of [CrossCounts.Predict] share for one
// variant, read only but for out, whose slots of each fold's documents
// only that fold's worker writes.
type foldData struct {
	all       *foldSums
	ids       []int32
	feat, stf []float64
	rtf       []float64 // the refined sets' features, when they are not stf's
	off       []int
	termOrd   []int32
	heldAt    []int
	opts      []Options
	sets      []int // the indices of opts to predict, grouped by table
	out       [][]int
}

// predictFold predicts the documents of fold f (docs, their indices in
// x.docs) under every option set of fd.sets with the model without them.
func (x *CrossCounts) predictFold(w *foldWorker, fd *foldData, f int, docs []int) {
	nc := len(x.classes)
	cur := &w.cur
	cur.copyOf(fd.all)
	for _, k := range docs {
		cur.learn(&x.docs[k], fd.ids[fd.off[k]:fd.off[k+1]], fd.feat[fd.off[k]:fd.off[k+1]], nc, -1)
	}
	// One scoring table at a time (a vocabulary's worth of weights per
	// class), its memory reused by the next: the option sets come
	// grouped by table.
	w.dKey = Options{Alpha: -1} // no table of this fold yet
	for _, i := range fd.sets {
		o := fd.opts[i].normalized()
		key := tableKey(o)
		var wt, bias []float64
		sf := fd.stf
		if o.Refine { // no naive Bayes table: the fit replaces it
			if len(fd.rtf) > 0 {
				sf = fd.rtf
			}
			wt, bias = x.refine(cur, key.Alpha, f, fd.ids, sf, fd.off)
		} else {
			if key != w.dKey {
				st := stats{counts: cur.counts, df: cur.df, dn: cur.dn, docs: cur.docs, total: cur.total}
				w.d, w.dKey = rebuildDerived(w.d, st, fd.termOrd, key, nc, nil), key
			}
			wt, bias = w.d.w, w.d.bias
			if o.FlatPrior > 0 && !o.Complement {
				bias = make([]float64, nc)
				for c, b := range w.d.bias {
					if math.IsInf(b, 0) {
						bias[c] = b
					} else {
						bias[c] = (1 - o.FlatPrior) * b
					}
				}
			}
		}
		for _, k := range docs {
			if fd.heldAt[k] < 0 {
				continue
			}
			sc := w.s.scores[:nc]
			copy(sc, bias)
			sk := sf[fd.off[k]:fd.off[k+1]]
			for j, id := range fd.ids[fd.off[k]:fd.off[k+1]] {
				row := wt[int(id)*nc : int(id)*nc+nc]
				for c := range sc {
					sc[c] += sk[j] * row[c]
				}
			}
			top := 0
			for c := 1; c < nc; c++ {
				if sc[c] > sc[top] {
					top = c
				}
			}
			fd.out[i][fd.heldAt[k]] = top
		}
	}
}

// tableKey is the part of o that decides a model's naive Bayes scoring
// table: option sets that differ only in the prior's flattening, the
// abstention, the cues or the temperature share one.
func tableKey(o Options) Options {
	o.FlatPrior, o.Abstain, o.Cues, o.Temperature = 0, 0, 0, 0
	return o
}

// groupByTable returns the indices idx of option sets of opts ordered so
// that those sharing a scoring table (tableKey) come together, in the
// order of their tables' first appearance.
func groupByTable(opts []Options, idx []int) []int {
	var keys []Options
	byKey := map[Options][]int{}
	for _, i := range idx {
		k := tableKey(opts[i].normalized())
		if _, ok := byKey[k]; !ok {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], i)
	}
	out := make([]int, 0, len(idx))
	for _, k := range keys {
		out = append(out, byKey[k]...)
	}
	return out
}

// foldSums are the sums of a set of documents' features, as a model
// counts them.
type foldSums struct {
	counts, df, docs []float64
	dn               []int64
	total            float64
}

// reset makes s the sums of no document, for V terms and nc classes.
func (s *foldSums) reset(V, nc int) {
	s.counts = resize(s.counts, V*nc)
	s.df = resize(s.df, V)
	s.dn = resizeInt(s.dn, V)
	s.docs = resize(s.docs, nc)
	s.total = 0
}

// learn adds (sign 1) or takes away (sign -1) document d, whose kept
// terms are ids with training features feat, as [Model.Learn] and
// [Model.Unlearn] do.
func (s *foldSums) learn(d *xdoc, ids []int32, feat []float64, nc int, sign float64) {
	if d.weight == 0 || len(d.labels) == 0 {
		return
	}
	w := sign * d.weight
	addTerms(s.counts, s.df, s.dn, nc, ids, feat, d.labels, w, int64(sign))
	for _, c := range d.labels {
		s.docs[c] += w
	}
	s.total += w
}

// copyOf makes s a copy of o.
func (s *foldSums) copyOf(o *foldSums) {
	s.counts = append(s.counts[:0], o.counts...)
	s.df = append(s.df[:0], o.df...)
	s.dn = append(s.dn[:0], o.dn...)
	s.docs = append(s.docs[:0], o.docs...)
	s.total = o.total
}

// refine returns the weights and biases of [Model.Refine] for the model
// without fold f, whose sums are cur and smoothing alpha: fitted
// on the documents to predict of the other folds, then on those of every
// training part (a trainer's pseudo-documents), by their first label,
// with their scoring features stf (document k's at off[k]:off[k+1]).
func (x *CrossCounts) refine(cur *foldSums, alpha float64, f int, ids []int32, stf []float64, off []int) ([]float64, []float64) {
	var xs []sparseDoc
	var ys []int
	add := func(k int) {
		d := &x.docs[k]
		if d.weight > 0 && len(d.labels) > 0 {
			xs = append(xs, sparseDoc{ids: ids[off[k]:off[k+1]], tf: stf[off[k]:off[k+1]]})
			ys = append(ys, d.labels[0])
		}
	}
	for _, k := range x.held {
		if x.docs[k].fold != f {
			add(k)
		}
	}
	for k := range x.docs {
		if x.docs[k].fold < 0 {
			add(k)
		}
	}
	passes := x.RefinePasses
	if passes <= 0 {
		passes = RefinePasses
	}
	return refined(cur.counts, cur.dn, alpha, len(x.classes), xs, ys, x.Seed, passes)
}

// resize returns b with n zeros.
func resize(b []float64, n int) []float64 {
	b = slices.Grow(b[:0], n)[:n]
	clear(b)
	return b
}

func resizeInt(b []int64, n int) []int64 {
	b = slices.Grow(b[:0], n)[:n]
	clear(b)
	return b
}
