package classify

import (
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// derived holds the tables computed from the raw counts for scoring.
//
// For every term t and class c, score_c(d) = bias[c] + Σ_t f_t(d)·w[t·nc+c],
// where f_t(d) is the term's count in d (1 with Binary). Terms outside the
// vocabulary are ignored.
//
// Multinomial:  w_tc = log(N_tc + α) − log(N_c + α|V|),  bias_c = log(D_c/ΣD)
// Complement:   θ̃_tc = (N_t¬c + α)/(N_¬c + α|V|), u_tc = log θ̃_tc,
//
//	w_tc = −K·u_tc/Σ_t|u_tc| with K the mean over classes of Σ_t|u_tc|,
//	bias_c = 0 (Rennie et al. 2003; K keeps the argmax of the paper and
//	puts the scores on the scale of log-probabilities for the posteriors).
//
// N_tc is the stored feature sum, times idf_t = log(N/df_t) with TFIDF;
// N_c = Σ_t N_tc; |V| counts the terms seen in at least one document.
type derived struct {
	nc    int
	nt    int // number of terms the tables cover
	opt   Options
	w     []float64
	bias  []float64
	idf   []float64 // nil without TFIDF
	eff   []float64 // N_tc after idf
	ntot  []float64 // N_c
	vsize int
	invT  float64 // 1/Temperature: the factor of the scores before the softmax
	rank  []int32 // rank[t] is t's position in term order
	// rankOf is the term order rank was made from: a rebuild with the
	// same one (the same slice) keeps rank.
	rankOf []int32
	// fitted says that w is a refinement's table ([Model.Refine]), which
	// a rebuild must not reuse.
	fitted bool
	// sublinear says that w is a refinement's table fitted on the
	// documents' svmFeature of their counts, which it scores them with.
	sublinear bool
	// live is true when the tables are a model's own (Model.build) and
	// every term of it has documents: then no known term is out of
	// vocabulary, and features need not look (see scratch.features).
	live bool
	pool sync.Pool
}

// seen marks a term met in the current document: gen is the document's
// generation, slot the term's index in the document's distinct terms.
type seen struct {
	gen  uint32
	slot int32
}

// scratch is the per-goroutine buffer of one scoring call.
type scratch struct {
	tok    *Tokenizer
	seen   []seen
	gen    uint32
	ids    []int32
	tf     []float64
	known  []int32 // the index in ids of each token's term, -1 when unknown (with bigrams or word cues)
	scores []float64
	// The word cues' scratch (see derived.wordCues).
	unit      []int32
	units     []cueUnit
	unitTable []int32
	bestUnits []*cueUnit
	share     []float64
	occ       []float64 // the tokens of each term of ids, with binary word cues (else tf)
	sub       []float64 // the svmFeature of each of tf (derived.features)
	// oov is the out-of-vocabulary count of the last text, as oovCount
	// gives it: the word tokens (bigrams aside) and how many are unknown.
	oov OOVCount
	// live is its tables' live: every known term has documents.
	live bool
	// n is the last text's tokens (Tokenizer.Tokenize).
	n int
}

// tables returns the derived tables, building them after a change.
func (m *Model) tables() *derived {
	opt := m.Options.normalized()
	if d := m.cache.Load(); d != nil && d.opt == opt {
		return d
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if d := m.cache.Load(); d != nil {
		if d.opt == opt {
			return d
		}
		if m.reuse && m.spare == nil {
			m.spare = d // tables of other options: their memory serves these (ReuseTables)
		}
	}
	d := m.build()
	m.cache.Store(d)
	return d
}

// Finalize builds the scoring tables now rather than at the first
// prediction. Scoring builds them itself when needed; Finalize just moves
// the cost.
func (m *Model) Finalize() { m.tables() }

// stats are the raw counts the scoring tables are derived from: a
// model's, or a model's without one fold (see [Folds.Without]).
type stats struct {
	counts []float64 // [t*nc+c]
	df     []float64
	dn     []int64
	docs   []float64
	total  float64
}

func (m *Model) build() *derived {
	st := stats{counts: m.counts, df: m.df, dn: m.dn, docs: m.docs, total: m.total}
	d := rebuildDerived(m.spare, st, m.termOrder(), m.Options.normalized(), len(m.classes), m.refined)
	m.spare = nil
	d.live = d.vsize == d.nt
	return d
}

// buildDerived derives the scoring tables of nc classes from st; ord is
// the term ids in term order.
func buildDerived(st stats, ord []int32, opt Options, nc int) *derived {
	return rebuildDerived(nil, st, ord, opt, nc, nil)
}

// rebuildDerived is buildDerived reusing the tables of old (nil: none),
// which must not be used again: a search that scores one option set
// after another needs one set of tables, not one per option set. With
// fitted (a refined model's table), the scoring weights and biases are
// fitted's and no naive Bayes ones are made.
func rebuildDerived(old *derived, st stats, ord []int32, opt Options, nc int, fitted *refinement) *derived {
	V := len(st.dn)
	d := &derived{nc: nc, nt: V, opt: opt, invT: 1}
	if old == nil {
		old = &derived{}
	}
	if opt.Temperature > 0 {
		d.invT = 1 / opt.Temperature
	}
	alpha := opt.Alpha
	for _, n := range st.dn {
		if n > 0 {
			d.vsize++
		}
	}
	// Every row of the tables is written below (zeros for the terms
	// without documents), so none is cleared first. The work on each term
	// is its own, on every core (byTerms); what sums over the terms (the
	// class totals, the complement's norms) goes in term order on one,
	// as it always has: the same bits whatever the term ids and cores.
	eff := grown(old.eff, V*nc)
	if opt.TFIDF {
		d.idf = grown(old.idf, V)
	}
	if V > 0 && len(old.rank) == V && len(old.rankOf) == V && len(ord) == V && &old.rankOf[0] == &ord[0] {
		d.rank, d.rankOf = old.rank, ord
	} else {
		d.rank, d.rankOf = slices.Grow(old.rank[:0], V)[:V], ord
		for r, t := range ord {
			d.rank[t] = int32(r)
		}
	}
	byTerms(V, nc, func(lo, hi int) {
		for t := lo; t < hi; t++ {
			row := eff[t*nc : t*nc+nc]
			if st.dn[t] <= 0 {
				clear(row)
				if opt.TFIDF {
					d.idf[t] = 0
				}
				continue
			}
			mult := 1.0
			if opt.TFIDF {
				if st.df[t] > 0 && st.total > st.df[t] {
					mult = math.Log(st.total / st.df[t])
				} else {
					mult = 0
				}
				d.idf[t] = mult
			}
			for c, v := range st.counts[t*nc : t*nc+nc] {
				if v < 0 {
					v = 0 // rounding after Unlearn
				}
				row[c] = v * mult
			}
		}
	})
	ntot := orderedSums(ord, st.dn, eff, nc, false)
	d.eff, d.ntot = eff, ntot
	if fitted != nil {
		d.w, d.bias, d.fitted = fitted.w, fitted.bias, true
		d.sublinear = !fitted.rawTF && !opt.Binary
		return d
	}
	var w []float64
	if !old.fitted {
		w = old.w
	}
	w = grown(w, V*nc)
	bias := make([]float64, nc)
	av := alpha * float64(d.vsize)
	if !opt.Complement {
		var docs float64
		for _, x := range st.docs {
			docs += max(x, 0)
		}
		for c := range nc {
			switch {
			case docs <= 0:
				bias[c] = -math.Log(float64(nc))
			case st.docs[c] <= 0:
				bias[c] = math.Inf(-1)
			default:
				bias[c] = math.Log(st.docs[c] / docs)
			}
		}
		den := make([]float64, nc)
		for c := range nc {
			den[c] = math.Log(ntot[c] + av)
		}
		// Most of a term's counts are 0 (it is met in a few classes):
		// their logarithm is one, log α.
		la := math.Log(alpha)
		byRows(st.dn, nc, eff, w, func(row, wr []float64) {
			for c, v := range row {
				if v == 0 {
					wr[c] = la - den[c]
				} else {
					wr[c] = math.Log(v+alpha) - den[c]
				}
			}
		})
	} else {
		var all float64
		for _, x := range ntot {
			all += x
		}
		den := make([]float64, nc)
		for c := range nc {
			den[c] = math.Log(all - ntot[c] + av)
		}
		// Term by term, a whole row at a time; a term's count in the
		// other classes is its count in all classes less its own.
		byRows(st.dn, nc, eff, w, func(row, wr []float64) {
			var rowsum float64
			for _, v := range row {
				rowsum += v
			}
			// The classes the term is not met in share one logarithm.
			l0 := math.Log(max(rowsum, 0) + alpha)
			for c, v := range row {
				l := l0
				if v != 0 {
					l = math.Log(max(rowsum-v, 0) + alpha)
				}
				wr[c] = l - den[c]
			}
		})
		norms := orderedSums(ord, st.dn, w, nc, true)
		var k float64
		for _, n := range norms {
			k += n
		}
		if nc > 0 {
			k /= float64(nc)
		}
		scale := make([]float64, nc)
		for c, n := range norms {
			scale[c] = 1
			if n != 0 {
				scale[c] = -k / n
			}
		}
		byTerms(V, nc, func(lo, hi int) {
			for t := lo; t < hi; t++ {
				wr := w[t*nc : t*nc+nc]
				for c := range wr {
					wr[c] *= scale[c]
				}
			}
		})
	}
	adjustScores(opt, st.dn, eff, ntot, w, bias, nc, av)
	d.w, d.bias = w, bias
	return d
}

func (d *derived) get(m *Model) *scratch {
	if s, ok := d.pool.Get().(*scratch); ok {
		return s
	}
	return &scratch{
		tok:    NewTokenizer(d.opt),
		seen:   make([]seen, d.nt),
		scores: make([]float64, d.nc),
		live:   d.live,
	}
}

func (d *derived) put(s *scratch) { d.pool.Put(s) }

// features tokenizes text and collects the distinct known terms with their
// features (count, or 1 with Binary), and counts its out-of-vocabulary
// words in s.oov, as oovCount does.
func (s *scratch) features(m *Model, opt Options, text string) {
	n := s.tok.Tokenize(text)
	s.n = n
	// The out-of-vocabulary count: bigrams (all among the first words
	// spans) are not word tokens; unknown counts here the word tokens the
	// index lacks, and those of a term with no documents are added below.
	words, bigramSpans, unknown := s.tok.words, 0, 0
	s.ids = s.ids[:0]
	s.tf = s.tf[:0]
	s.gen++
	if s.gen == 0 {
		clear(s.seen)
		s.gen = 1
	}
	bigrams := s.tok.bigrams
	track := bigrams || opt.wordCues()
	if track {
		s.known = slices.Grow(s.known[:0], n)[:n]
	}
	spans, buf := s.tok.spans[:n], s.tok.buf
	seenv := s.seen
	for i, sp := range spans {
		if track {
			s.known[i] = -1
		}
		// A bigram is in the vocabulary only if both its words are: every
		// document that taught the bigram taught its words.
		if bigrams {
			if sp.first >= 0 {
				bigramSpans++
				if s.known[sp.first] < 0 || s.known[i-1] < 0 {
					continue
				}
			}
		}
		k, k2 := termKey(buf, int(sp.start), int(sp.end)), termKey2(buf, int(sp.start), int(sp.end))
		id := m.index.quick(k, k2, sp.h, int(sp.end-sp.start))
		if id < 0 {
			id = m.index.find(m.terms, buf[sp.start:sp.end], k, k2, sp.h)
		}
		if id < 0 || int(id) >= len(seenv) {
			if i < words && sp.first < 0 && (id < 0 || m.dn[id] <= 0) {
				unknown++ // an unknown word token (not a bigram)
			}
			continue
		}
		if e := &seenv[id]; e.gen == s.gen {
			s.tf[e.slot]++
			if track {
				s.known[i] = e.slot
			}
			continue
		}
		if track {
			s.known[i] = int32(len(s.ids))
		}
		seenv[id] = seen{s.gen, int32(len(s.ids))}
		s.ids = append(s.ids, id)
		s.tf = append(s.tf, 1)
	}
	s.oov = OOVCount{Unknown: unknown, Total: words - bigramSpans, Measured: true}
	if !s.live {
		for _, id := range s.ids {
			if m.dn[id] <= 0 { // a term with no documents (a model being counted)
				s.oov.Unknown, s.oov.Total = oovCount(m, s.tok, m.dn)
				break
			}
		}
	}
	if opt.Binary && opt.wordCues() {
		// The cues need each term's tokens, which tf holds until made 1.
		s.occ = append(s.occ[:0], s.tf...)
	}
	if opt.Binary {
		for k := range s.tf {
			s.tf[k] = 1
		}
	}
}

// features returns the features the tables score s.ids with: their
// counts s.tf (1 each with Binary), or, for a table fitted on it, the
// svmFeature of each, made in s.sub.
func (d *derived) features(s *scratch) []float64 {
	tf := s.tf[:len(s.ids)]
	if !d.sublinear {
		return tf
	}
	s.sub = append(s.sub[:0], tf...)
	svmFeatures(s.sub)
	return s.sub
}

// score fills s.scores with the joint log scores of every class, and
// returns the features it scored s.ids with (derived.features), which the
// cues weigh too.
//
// Each class's sum runs over the terms in the same order, whatever the
// blocking: four classes at a time are summed in registers.
func (d *derived) score(s *scratch) []float64 {
	nc := d.nc
	sc := s.scores[:nc]
	copy(sc, d.bias)
	tf := d.features(s)
	c := 0
	for ; c+4 <= nc; c += 4 {
		a0, a1, a2, a3 := sc[c], sc[c+1], sc[c+2], sc[c+3]
		for k, id := range s.ids {
			f := tf[k]
			o := int(id)*nc + c
			row := d.w[o : o+4 : o+4]
			a0 += f * row[0]
			a1 += f * row[1]
			a2 += f * row[2]
			a3 += f * row[3]
		}
		sc[c], sc[c+1], sc[c+2], sc[c+3] = a0, a1, a2, a3
	}
	for ; c < nc; c++ {
		a := sc[c]
		for k, id := range s.ids {
			a += tf[k] * d.w[int(id)*nc+c]
		}
		sc[c] = a
	}
	if d.invT != 1 {
		for c := range sc {
			sc[c] *= d.invT
		}
	}
	return tf
}

// softmax returns the maximum of x and the sum of exp(x_i − max), from
// which the posteriors are exp(x_i − max)/sum: exact to rounding for any
// finite maximum, however large the scores (no log of the sum is taken,
// which would lose the precision of a huge maximum).
func softmax(x []float64) (mx, sum float64) {
	mx = math.Inf(-1)
	for _, v := range x {
		if v > mx {
			mx = v
		}
	}
	if math.IsInf(mx, 0) || math.IsNaN(mx) {
		return mx, math.NaN()
	}
	for _, v := range x {
		sum += math.Exp(v - mx)
	}
	return mx, sum
}

// Posteriors returns the posterior probability of each class (in
// [Model.Classes] order) for text, appended to dst[:0].
func (m *Model) Posteriors(text string, dst []float64) []float64 {
	d := m.tables()
	s := d.get(m)
	defer d.put(s)
	s.features(m, d.opt, text)
	d.score(s)
	dst = dst[:0]
	mx, sum := softmax(s.scores[:d.nc])
	for _, v := range s.scores[:d.nc] {
		dst = append(dst, math.Exp(v-mx)/sum)
	}
	return dst
}

// Predict classifies text. See [Prediction] for what it carries; the cues
// are the tokens with the largest count·(w_label − w_runnerup), that is,
// the largest log-odds in favour of the label against the runner-up (with
// character n-grams or per-target tokens, the words whose tokens sum to
// the largest, see [Cue]; a term that several of the text's words hold
// gives each an even share).
func (m *Model) Predict(text string) Prediction {
	d := m.tables()
	s := d.get(m)
	defer d.put(s)
	s.features(m, d.opt, text)
	return m.predict(d, s, true)
}

// PredictHeldout is [Model.Predict] for a document prepared by the model
// with [HeldoutPreparer.Prepare], without the cues: the same label,
// probability, runner-up, margin and abstention, bit for bit, without
// tokenizing its text again (a cross-validation of folds unlearned from
// one model, see [Model.HeldoutDoc]). It is safe for concurrent use once
// the model's tables are built ([Model.Finalize]).
func (m *Model) PredictHeldout(p *HeldoutDoc) Prediction {
	d := m.tables()
	s := d.get(m)
	defer d.put(s)
	ids, tf := s.ids, s.tf
	s.ids, s.tf = p.ids, p.tf
	pred := m.predict(d, s, false)
	s.ids, s.tf = ids, tf // the scratch's own buffers go back to the pool
	return pred
}

// predict scores the features of s and says what they predict, with the
// cues when cues is set.
func (m *Model) predict(d *derived, s *scratch, cues bool) Prediction {
	nc := d.nc
	if nc == 0 {
		return Prediction{}
	}
	f := d.score(s)
	sc := s.scores[:nc]
	top, ru := 0, -1
	for c := 1; c < nc; c++ {
		if sc[c] > sc[top] {
			ru, top = top, c
		} else if ru < 0 || sc[c] > sc[ru] {
			ru = c
		}
	}
	mx, sum := softmax(sc) // mx is sc[top], so P(top) = 1/sum
	p := Prediction{Label: m.classes[top], P: 1 / sum}
	if math.IsNaN(p.P) {
		p.P = 0
	}
	p.Margin = p.P
	if ru >= 0 {
		p.RunnerUp = m.classes[ru]
		pr := math.Exp(sc[ru]-mx) / sum
		if !math.IsNaN(pr) {
			p.Margin = p.P - pr
		}
		if cues {
			p.Cues = d.cues(m, s, f, top, ru)
		}
	}
	if a := d.opt.Abstain; a > 0 && p.P < a && m.Taxonomy != nil && m.Taxonomy.Fallback != "" {
		p.Label = m.Taxonomy.Fallback
		p.Abstained = true
	}
	p.Name = p.Label
	if a := m.argument(p.Label); a != nil && a.Name != "" {
		p.Name = a.Name
	}
	return p
}

// cues returns the k tokens with the largest positive contribution to
// score_top − score_ru, for the features f of s.ids that score scored;
// ties go to the alphabetically first token.
func (d *derived) cues(m *Model, s *scratch, f []float64, top, ru int) []Cue {
	if d.opt.wordCues() {
		return d.wordCues(m, s, f, top, ru)
	}
	k := min(d.opt.cues(), len(s.ids))
	if k == 0 {
		return nil
	}
	type cand struct {
		v    float64
		rank int32
		id   int32
	}
	nc := d.nc
	var best [16]cand
	buf := best[:0]
	if k > len(best) {
		buf = make([]cand, 0, k)
	}
	for j, id := range s.ids {
		row := d.w[int(id)*nc : int(id)*nc+nc]
		v := f[j] * (row[top] - row[ru])
		if !(v > 0) {
			continue
		}
		c := cand{v, d.rank[id], id}
		if len(buf) == k {
			if last := buf[k-1]; v < last.v || v == last.v && c.rank > last.rank {
				continue
			}
		}
		i := len(buf)
		if i < k {
			buf = append(buf, c)
		} else {
			i = k - 1
		}
		for i > 0 && (c.v > buf[i-1].v || c.v == buf[i-1].v && c.rank < buf[i-1].rank) {
			buf[i] = buf[i-1]
			i--
		}
		buf[i] = c
	}
	if len(buf) == 0 {
		return nil
	}
	out := make([]Cue, len(buf))
	for i, c := range buf {
		out[i] = Cue{Token: m.terms[c.id], LogOdds: c.v}
	}
	return out
}

// topTokensBounded is the largest k for which TopTokens keeps the k best
// as it goes rather than sorting every candidate.
const topTokensBounded = 64

// TopTokens returns the k tokens most distinctive of class: those with the
// largest log-odds log θ_tc − log θ_t¬c, where θ_tc = (N_tc+α)/(N_c+α|V|)
// and θ_t¬c is the same over all other classes pooled. Only tokens seen in
// the class with positive log-odds qualify; ties go to the more frequent,
// then the alphabetically first token. With character n-grams or
// per-target tokens the candidates are words (see [Cue]) whose log-odds
// sum those of their n-grams and of their copies conjoined with each target
// they were seen with.
func (m *Model) TopTokens(class string, k int) []Cue {
	ci, ok := m.classIdx[class]
	if !ok || k <= 0 {
		return nil
	}
	return m.topTokens(k, ci, "")[0]
}

// TopTokensByClass returns [Model.TopTokens] of every class, in the
// order of [Model.Classes], in one pass over the vocabulary.
func (m *Model) TopTokensByClass(k int) [][]Cue {
	if k <= 0 {
		return make([][]Cue, len(m.classes))
	}
	return m.topTokens(k, -1, "")
}

// topCand is a candidate of topTokens: a cue and its class's count.
type topCand struct {
	cue Cue
	n   float64
}

// better is the order of TopTokens: the larger log-odds, then the larger
// count, then the alphabetically first token.
func (a topCand) better(b topCand) bool {
	if a.cue.LogOdds != b.cue.LogOdds {
		return a.cue.LogOdds > b.cue.LogOdds
	}
	if a.n != b.n {
		return a.n > b.n
	}
	return a.cue.Token < b.cue.Token
}

// topList is the k best candidates of one class so far, best first; with
// k above topTokensBounded, all candidates, sorted at the end.
type topList struct {
	k  int
	cs []topCand
}

func (l *topList) add(x topCand) {
	if l.k > topTokensBounded {
		l.cs = append(l.cs, x)
		return
	}
	if len(l.cs) == l.k && !x.better(l.cs[l.k-1]) {
		return
	}
	i := len(l.cs)
	for i > 0 && x.better(l.cs[i-1]) {
		i--
	}
	l.cs = slices.Insert(l.cs, i, x)
	if len(l.cs) > l.k {
		l.cs = l.cs[:l.k]
	}
}

func (l *topList) cues() []Cue {
	if l.k > topTokensBounded {
		slices.SortFunc(l.cs, func(a, b topCand) int {
			switch {
			case a.better(b):
				return -1
			case b.better(a):
				return 1
			}
			return 0
		})
		l.cs = l.cs[:min(l.k, len(l.cs))]
	}
	out := make([]Cue, len(l.cs))
	for i, c := range l.cs {
		out[i] = c.cue
	}
	return out
}

// topTokens returns the k top tokens of class only, or of every class
// when only is -1, in one pass over the terms; with target (not ""),
// those of the texts about it (see [Model.TopTokensForTarget]).
func (m *Model) topTokens(k, only int, target string) [][]Cue {
	d := m.tables()
	nc := d.nc
	alpha := d.opt.Alpha
	av := alpha * float64(d.vsize)
	var all float64
	for _, x := range d.ntot {
		all += x
	}
	classes := []int{only}
	if only < 0 {
		classes = make([]int, nc)
		for c := range classes {
			classes[c] = c
		}
	}
	den, rden := make([]float64, nc), make([]float64, nc)
	lists := make([]topList, len(classes))
	for i, c := range classes {
		den[c] = math.Log(d.ntot[c] + av)
		rden[c] = math.Log(all - d.ntot[c] + av)
		lists[i].k = k
	}
	// logOdds returns the log-odds of term t for class ci and the class's
	// count of it.
	logOdds := func(t, ci int) (lo, in float64) {
		row := d.eff[t*nc : t*nc+nc]
		in = row[ci]
		var rest float64
		for c, v := range row {
			if c != ci {
				rest += v
			}
		}
		return math.Log(in+alpha) - den[ci] - (math.Log(rest+alpha) - rden[ci]), in
	}
	if d.opt.wordCues() {
		m.topWords(d.opt, classes, lists, logOdds, target)
	} else {
		for t, term := range m.terms {
			if m.dn[t] <= 0 {
				continue
			}
			for i, ci := range classes {
				if !(d.eff[t*nc+ci] > 0) {
					continue
				}
				if lo, in := logOdds(t, ci); lo > 0 {
					lists[i].add(topCand{Cue{term, lo}, in})
				}
			}
		}
	}
	out := make([][]Cue, len(classes))
	for i := range lists {
		out[i] = lists[i].cues()
	}
	return out
}

// byTerms calls f on ranges of the term ids 0 to V-1 of tables of nc
// classes: on every core, in ranges of about a quarter of a million table
// entries, when the tables are large enough to gain; else once, for all.
// f's work on one term must not depend on another's.
func byTerms(V, nc int, f func(lo, hi int)) {
	const chunk = 1 << 18 // table entries
	workers := runtime.GOMAXPROCS(0)
	if workers < 2 || V*max(nc, 1) < 2*chunk {
		f(0, V)
		return
	}
	step := max(1, chunk/max(nc, 1))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				lo := int(next.Add(int64(step))) - step
				if lo >= V {
					return
				}
				f(lo, min(lo+step, V))
			}
		})
	}
	wg.Wait()
}

// orderedSums returns each class's sum of the table tab (nc per term)
// over the terms with documents, in the term order ord, of the absolute
// values with abs.
func orderedSums(ord []int32, dn []int64, tab []float64, nc int, abs bool) []float64 {
	sums := make([]float64, nc)
	for _, t32 := range ord {
		t := int(t32)
		if dn[t] <= 0 {
			continue
		}
		for c, v := range tab[t*nc : t*nc+nc] {
			if abs {
				v = math.Abs(v)
			}
			sums[c] += v
		}
	}
	return sums
}

// byRows calls f with the row of src and the row of dst (nc per term) of
// every term with documents (dn > 0), on every core (byTerms), and
// zeroes dst's rows of the others.
func byRows(dn []int64, nc int, src, dst []float64, f func(row, out []float64)) {
	byTerms(len(dn), nc, func(lo, hi int) {
		for t := lo; t < hi; t++ {
			out := dst[t*nc : t*nc+nc]
			if dn[t] <= 0 {
				clear(out)
				continue
			}
			f(src[t*nc:t*nc+nc], out)
		}
	})
}

// grown returns b resized to n elements, its contents left as they are
// (for tables whose every element is written next).
func grown(b []float64, n int) []float64 {
	return slices.Grow(b[:0], n)[:n]
}
