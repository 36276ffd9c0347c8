package classify

import (
	"fmt"
	"math"
)

// CrossCounts cross-validates many option sets on one labeled data set at
// the cost of counting: each document is tokenized once, under the token
// options given to [NewCrossCounts], and every option set that shares them
// is scored from the stored term counts. The model of a fold is the total
// minus the fold's counts, so no document is tokenized or learned again.
//
// Option sets may differ from the counted ones in the count options
// (Binary, TFIDF), in the scoring options (Alpha, Complement, FlatPrior,
// Interpolation) and by leaving out the structure tokens or the character
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
	vocab    map[string]int32
	terms    []string
	kind     []uint8 // termWord, termStructure or termCharGram
	docs     []xdoc
	held     []int // the documents to predict, by index in docs
}

// Kinds of terms: masked apart when an option set leaves them out.
const (
	termWord uint8 = iota
	termStructure
	termCharGram
)

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
	x := &CrossCounts{tok: opt, folds: folds, classIdx: map[string]int{}, tk: NewTokenizer(opt), vocab: map[string]int32{}}
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
	d := xdoc{weight: weight, fold: fold}
	if fold >= x.folds {
		d.fold = -1
	}
	if !(weight > 0) || math.IsInf(weight, 0) {
		d.weight = 0
	}
	for _, l := range labels {
		d.labels = append(d.labels, x.class(l))
	}
	n := x.tk.Tokenize(text)
	slot := map[int32]int{}
	for i := range n {
		tok := x.tk.Token(i)
		id, ok := x.vocab[string(tok)]
		if !ok {
			id = int32(len(x.terms))
			s := string(tok)
			x.vocab[s] = id
			x.terms = append(x.terms, s)
			k := termWord
			switch {
			case i >= x.tk.words && s[0] == '#':
				k = termStructure
			case i >= x.tk.words:
				k = termCharGram
			}
			x.kind = append(x.kind, k)
		}
		if j, ok := slot[id]; ok {
			d.tf[j]++
			continue
		}
		slot[id] = len(d.ids)
		d.ids = append(d.ids, id)
		d.tf = append(d.tf, 1)
	}
	if predict && d.fold >= 0 {
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

// Predict returns, for each option set of opts, the class index predicted
// for each document added with predict, by the model trained on the other
// folds with those options.
func (x *CrossCounts) Predict(opts []Options) ([][]int, error) {
	nc, V := len(x.classes), len(x.terms)
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
	// The term order of the models' sums, shared by every fold.
	ordm := &Model{terms: x.terms}
	termOrd := ordm.termOrder()
	feat := make([][]float64, len(x.docs))
	for _, v := range order {
		keep := func(id int32) bool {
			switch x.kind[id] {
			case termStructure:
				return v.structure
			case termCharGram:
				return v.charGrams > 0
			}
			return true
		}
		// Each document's training features under v, as Model.Learn
		// computes them (0 for a left-out term).
		for k, d := range x.docs {
			f := feat[k][:0]
			distinct := 0
			for _, id := range d.ids {
				if keep(id) {
					distinct++
				}
			}
			var ss float64
			for j, id := range d.ids {
				val := d.tf[j]
				switch {
				case !keep(id):
					val = 0
				case v.tfidf && v.binary:
					val = binaryTFIDF(distinct)
				case v.tfidf:
					val = math.Log1p(val)
					ss += val * val
				case v.binary:
					val = 1
				}
				f = append(f, val)
			}
			if v.tfidf && !v.binary && ss > 0 {
				norm := math.Sqrt(ss)
				for j := range f {
					f[j] /= norm
				}
			}
			feat[k] = f
		}
		// The totals over all documents.
		counts := make([]float64, V*nc)
		df := make([]float64, V)
		dn := make([]int64, V)
		docs := make([]float64, nc)
		var total float64
		learn := func(k int, sign float64) {
			d := x.docs[k]
			if d.weight == 0 || len(d.labels) == 0 {
				return
			}
			w := sign * d.weight
			for j, id := range d.ids {
				if !keep(id) {
					continue
				}
				row := counts[int(id)*nc : int(id)*nc+nc]
				f := w * feat[k][j]
				for _, c := range d.labels {
					row[c] += f
				}
				df[id] += w
				dn[id] += int64(sign)
			}
			for _, c := range d.labels {
				docs[c] += w
			}
			total += w
		}
		for k := range x.docs {
			learn(k, 1)
		}
		inFold := make([][]int, x.folds)
		for k, d := range x.docs {
			if d.fold >= 0 {
				inFold[d.fold] = append(inFold[d.fold], k)
			}
		}
		heldAt := make([]int, len(x.docs))
		for k := range heldAt {
			heldAt[k] = -1
		}
		for i, k := range x.held {
			heldAt[k] = i
		}
		savedCounts, savedDF := append([]float64(nil), counts...), append([]float64(nil), df...)
		savedDocs, savedDN, savedTotal := append([]float64(nil), docs...), append([]int64(nil), dn...), total
		s := &scratch{scores: make([]float64, nc)}
		for f := range x.folds {
			copy(counts, savedCounts)
			copy(df, savedDF)
			copy(docs, savedDocs)
			copy(dn, savedDN)
			total = savedTotal
			for _, k := range inFold[f] {
				learn(k, -1)
			}
			m := &Model{classes: x.classes, terms: x.terms, sorted: termOrd,
				counts: counts, df: df, dn: dn, docs: docs, total: total}
			built := map[Options]*derived{}
			for _, i := range byVariant[v] {
				o := opts[i].normalized()
				key := o
				key.FlatPrior, key.Abstain, key.Cues, key.Temperature = 0, 0, 0, 0
				d := built[key]
				if d == nil {
					m.Options = key
					d = m.build()
					built[key] = d
				}
				bias := d.bias
				if o.FlatPrior > 0 && !o.Complement {
					bias = make([]float64, nc)
					for c, b := range d.bias {
						if math.IsInf(b, 0) {
							bias[c] = b
						} else {
							bias[c] = (1 - o.FlatPrior) * b
						}
					}
				}
				for _, k := range inFold[f] {
					if heldAt[k] < 0 {
						continue
					}
					dk := x.docs[k]
					s.ids, s.tf = s.ids[:0], s.tf[:0]
					for j, id := range dk.ids {
						if !keep(id) {
							continue
						}
						tf := dk.tf[j]
						if o.Binary {
							tf = 1
						}
						s.ids = append(s.ids, id)
						s.tf = append(s.tf, tf)
					}
					sc := s.scores[:nc]
					copy(sc, bias)
					for j, id := range s.ids {
						row := d.w[int(id)*nc : int(id)*nc+nc]
						for c := range sc {
							sc[c] += s.tf[j] * row[c]
						}
					}
					top := 0
					for c := 1; c < nc; c++ {
						if sc[c] > sc[top] {
							top = c
						}
					}
					out[i][heldAt[k]] = top
				}
			}
		}
	}
	return out, nil
}
