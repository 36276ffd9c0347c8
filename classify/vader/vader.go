package vader

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// Scores are the VADER sentiment scores of a text, rounded as
// vaderSentiment rounds them: Neg, Neu and Pos to 3 decimals, Compound to 4.
//
// Neg, Neu and Pos are the proportions of the text's sentiment mass that is
// negative, neutral and positive; they sum to 1 (within rounding), or are
// all 0 for a text without words. Compound is the normalised sum of all
// valences, in [-1, 1].
type Scores struct {
	Neg      float64 `json:"neg"`
	Neu      float64 `json:"neu"`
	Pos      float64 `json:"pos"`
	Compound float64 `json:"compound"`
}

// Label names the polarity of a compound score with the thresholds of the
// VADER authors: "positive" at compound >= 0.05, "negative" at <= -0.05,
// else "neutral".
func Label(compound float64) string {
	switch {
	case compound >= 0.05:
		return "positive"
	case compound <= -0.05:
		return "negative"
	default:
		return "neutral"
	}
}

// Analyzer scores text with the VADER rules and lexicon. Build it with
// [New]; it is immutable and safe for concurrent use.
type Analyzer struct {
	t    *tables
	pool sync.Pool // *scratch
}

// New returns an Analyzer using the vaderSentiment 3.3.2 lexicon (the
// govader copy plus the entries it lacks) and emoji lexicon. The lexicons
// are parsed once per process and shared.
func New() *Analyzer {
	a := &Analyzer{t: loadTables()}
	a.pool.New = func() any { return new(scratch) }
	return a
}

// token is one whitespace-separated word of the text after punctuation
// stripping, with everything the rules need to know about it.
type token struct {
	lo, hi int32 // lower-cased form: scratch.lower[lo:hi]
	start  int32 // byte offset of the word in the tokenized text
	end    int32 // byte offset after the word, before any stripping
	wordInfo
	upper bool // Python str.isupper() of the word
	neg   bool // negated([word]): in NEGATE or contains "n't"
}

// scratch holds the per-call buffers, reused through a pool.
type scratch struct {
	toks  []token
	lower []byte
	sent  []float64
	seq   []byte
	text  []byte
	but   int // index of the first token "but", -1 if none
	// Left by index for the rules, which then skip the other words:
	lex   []int32 // indexes of the tokens in the sentiment lexicon (fLex)
	upper int     // number of ALL CAPS tokens
	ends  []int32 // indexes of the tokens that end a sentence (sentenceEnds)
}

// PolarityScores returns the VADER scores of text, as
// SentimentIntensityAnalyzer.polarity_scores of vaderSentiment 3.3.2 does.
//
// The compound of a long text tends toward ±1, because it normalises a sum
// that grows with the number of sentiment words. To compare texts of very
// different lengths use the sentence mean of [Analyzer.Analyze].
func (a *Analyzer) PolarityScores(text string) Scores {
	st := a.pool.Get().(*scratch)
	s, _ := a.score(st, text)
	a.pool.Put(st)
	return s
}

// maxText is the longest text scored; longer texts are scored on their
// first maxText bytes (token offsets are 32-bit).
const maxText = 1 << 30

// score computes the rounded scores and the unrounded compound. It leaves
// the tokens of the emoji-free text in st.toks, and returns that text.
func (a *Analyzer) score(st *scratch, text string) (Scores, string) {
	if len(text) > maxText {
		text = text[:maxText]
	}
	text = a.replaceEmoji(st, text)
	toks := a.tokenize(st, text)
	if len(toks) == 0 {
		return Scores{}, text
	}
	st.index()
	sent := a.sentiments(st, toks, st.lex, 0, st.upper, st.but)
	sc, _ := scoreValence(sent, st.lex, 0, text)
	return sc, text
}

// replaceEmoji replaces every emoji code point by its description, exactly
// as polarity_scores does: a space is put before the description unless
// the previous character was a space, none after it.
func (a *Analyzer) replaceEmoji(st *scratch, text string) string {
	first := -1
	for i := 0; i < len(text); {
		// Skip ASCII 32, then 8 bytes at a time: emoji are never ASCII.
		for i+32 <= len(text) {
			w := text[i : i+32]
			if (load64(w)|load64(w[8:])|load64(w[16:])|load64(w[24:]))&0x8080808080808080 != 0 {
				break
			}
			i += 32
		}
		for i+8 <= len(text) && load64(text[i:])&0x8080808080808080 == 0 {
			i += 8
		}
		if i >= len(text) {
			break
		}
		c := text[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if size > 1 && a.t.isEmoji(r) {
			first = i
			break
		}
		i += size
	}
	if first < 0 {
		return text
	}
	b := append(st.text[:0], text[:first]...)
	prevSpace := first == 0 || text[first-1] == ' '
	for i := first; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if size > 1 && a.t.isEmoji(r) {
			desc := a.t.emoji[r]
			if !prevSpace {
				b = append(b, ' ')
			}
			b = append(b, desc...)
			prevSpace = false
		} else {
			b = append(b, text[i:i+size]...)
			prevSpace = r == ' ' && size == 1
		}
		i += size
	}
	st.text = b
	// The string aliases the pooled buffer: it is only read during this
	// call, and the buffer is not written again until the next one.
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// load64 reads 8 bytes of s little-endian; len(s) >= 8.
func load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// Byte classes for the tokenizer's hot loop.
const (
	cSpace uint8 = 1 << iota // ASCII whitespace of Python's str.split()
	cUpper                   // A-Z
	cLower                   // a-z
	cPunct                   // string.punctuation
	cHigh                    // first or continuation byte of a multi-byte rune
	cQuote                   // the apostrophe, for "n't"
)

// class and lowerTab are indexed by byte.
var class, lowerTab = func() (cl, lo [256]uint8) {
	for i := range 256 {
		lo[i] = uint8(i)
		switch {
		case i >= utf8.RuneSelf:
			cl[i] = cHigh
		case i >= 'A' && i <= 'Z':
			cl[i] = cUpper
			lo[i] = uint8(i) + 'a' - 'A'
		case i >= 'a' && i <= 'z':
			cl[i] = cLower
		}
	}
	for _, c := range []byte("\t\n\v\f\r \x1c\x1d\x1e\x1f") {
		cl[c] = cSpace
	}
	for _, c := range []byte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") {
		cl[c] = cPunct
	}
	cl['\''] |= cQuote
	return
}()

// classLower packs, per byte, its class (high byte) and its ASCII
// lower-case form (low byte), for a single load in the tokenizer's loop.
var classLower = func() (t [256]uint16) {
	for i := range t {
		t[i] = uint16(class[i])<<8 | uint16(lowerTab[i])
	}
	return
}()

// isPySpace reports whether Python's str.split() treats r as whitespace.
func isPySpace(r rune) bool {
	if r < utf8.RuneSelf {
		return class[r]&cSpace != 0
	}
	switch r {
	case 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// tokenize splits text like Python's str.split(), strips leading and
// trailing punctuation from each word when more than two characters remain
// (_strip_punc_if_word), and looks each lower-cased word up once.
func (a *Analyzer) tokenize(st *scratch, text string) []token {
	toks := st.toks[:0]
	lower := st.lower[:0]
	if cap(lower) < len(text) {
		lower = make([]byte, 0, len(text)+len(text)/4)
	}
	st.but = -1
	dict := a.t.dict // loaded once, not for every word
	n := len(text)
	i := 0
	for i < n {
		c := text[i]
		cl := class[c]
		if cl&cSpace != 0 {
			i++
			continue
		}
		if cl&cHigh != 0 {
			if r, size := utf8.DecodeRuneInString(text[i:]); isPySpace(r) {
				i += size
				continue
			}
		}
		if len(toks) == cap(toks) {
			toks = append(toks, token{})[:len(toks)]
		}
		toks = toks[:len(toks)+1]
		t := &toks[len(toks)-1]
		start := i
		// Scan an ASCII word, lower-casing and hashing on the way.
		lo := len(lower)
		if cap(lower)-lo < n-i {
			lower = slices.Grow(lower, n-i)
		}
		buf := lower[lo:cap(lower)] // room for the rest of the text
		var acc16 uint16
		var h uint64
		i, acc16, h = scanASCII(text, i, buf)
		acc := uint8(acc16 >> 8)
		lower = lower[:lo+i-start]
		if i < n && class[text[i]]&cHigh != 0 {
			// Not ASCII after all: redo the word the slow way.
			lower, i = a.unicodeWord(t, lower[:lo], text, start)
		} else {
			*t = token{start: int32(start), end: int32(i), lo: int32(lo), hi: int32(len(lower))}
			// _strip_punc_if_word: strip when more than two bytes remain.
			w := lower[lo:]
			lead, end := 0, len(w)
			if acc&cPunct != 0 {
				for lead < end && class[w[lead]]&cPunct != 0 {
					lead++
				}
				for end > lead && class[w[end-1]]&cPunct != 0 {
					end--
				}
			}
			switch {
			case (lead == 0 && end == len(w)) || end-lead <= 2:
				h = hashFinish(h)
			default:
				t.lo, t.hi = int32(lo+lead), int32(lo+end)
				h = hashBytes(lower[t.lo:t.hi])
			}
			t.upper = acc&cUpper != 0 && acc&cLower == 0
			if dict.mayHave(h) { // else the zero wordInfo of *t
				t.wordInfo = dict.probe(lower[t.lo:t.hi], h)
			}
			t.neg = t.flags&fNegate != 0 || (acc&cQuote != 0 && containsNT(lower[t.lo:t.hi]))
		}
		if t.flags&fBut != 0 && st.but < 0 {
			st.but = len(toks) - 1
		}
	}
	st.toks = toks
	st.lower = lower
	return toks
}

// index lists the lexicon words of st.toks in st.lex and counts its ALL
// CAPS words in st.upper. (A loop of its own: in tokenize's, more state
// would not stay in registers.)
func (st *scratch) index() {
	lex, upper := st.lex[:0], 0
	for k := range st.toks {
		t := &st.toks[k]
		if t.flags&fLex != 0 {
			lex = append(lex, int32(k))
		}
		if t.upper {
			upper++
		}
	}
	st.lex, st.upper = lex, upper
}

// scanASCII lower-cases the ASCII bytes of text from i into buf up to the
// first whitespace or non-ASCII byte. It returns where it stopped, the OR of
// the classLower entries seen and the running hash of the lowered bytes.
// It is a leaf function so that its loop state stays in registers.
//
//go:noinline
func scanASCII(text string, i int, buf []byte) (int, uint16, uint64) {
	var acc uint16
	h := uint64(hashSeed)
	rest := text[i:]
	buf = buf[:len(rest)]
	for j := 0; j < len(rest); j++ {
		e := classLower[rest[j]]
		if e&(uint16(cSpace|cHigh)<<8) != 0 {
			return i + j, acc, h
		}
		acc |= e
		h = hashStep(h, byte(e))
		buf[j] = byte(e)
	}
	return len(text), acc, h
}

// unicodeWord tokenizes the word of text starting at start that holds
// non-ASCII characters: it fills t, appends the lower-cased word to lower
// and returns the position after the word.
func (a *Analyzer) unicodeWord(t *token, lower []byte, text string, start int) ([]byte, int) {
	i := start
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if isPySpace(r) {
			break
		}
		i += size
	}
	w := text[start:i]
	lead, end := 0, len(w)
	for lead < end && class[w[lead]]&cPunct != 0 {
		lead++
	}
	for end > lead && class[w[end-1]]&cPunct != 0 {
		end--
	}
	if (lead > 0 || end < len(w)) && utf8.RuneCountInString(w[lead:end]) > 2 {
		w = w[lead:end]
	}
	lo := len(lower)
	*t = token{start: int32(start), end: int32(i)}
	lower, t.upper = lowerUnicode(lower, w)
	t.lo, t.hi = int32(lo), int32(len(lower))
	lw := lower[lo:]
	t.wordInfo = a.t.dict.lookup(lw, hashBytes(lw))
	t.neg = t.flags&fNegate != 0 || containsNT(lw)
	return lower, i
}

// containsNT reports whether w contains "n't".
func containsNT(w []byte) bool {
	for j := 1; j+1 < len(w); j++ {
		if w[j] == '\'' && w[j-1] == 'n' && w[j+1] == 't' {
			return true
		}
	}
	return false
}

// lowerUnicode appends Python's str.lower() of w to dst and reports
// Python's str.isupper() of w.
func lowerUnicode(dst []byte, w string) ([]byte, bool) {
	cased, lowerSeen := false, false
	for _, r := range w {
		switch {
		case isPyLower(r) || unicode.IsTitle(r):
			lowerSeen = true
		case isPyUpper(r):
			cased = true
		}
		if r == 'İ' { // the one unconditional multi-rune lower mapping
			dst = append(dst, "i\u0307"...)
			continue
		}
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
	}
	return dst, cased && !lowerSeen
}

func isPyLower(r rune) bool { return unicode.IsLower(r) || unicode.Is(unicode.Other_Lowercase, r) }
func isPyUpper(r rune) bool { return unicode.IsUpper(r) || unicode.Is(unicode.Other_Uppercase, r) }

// word returns the lower-cased form of t.
func (st *scratch) word(t *token) []byte { return st.lower[t.lo:t.hi] }

// sentiments applies the per-word rules of polarity_scores and
// sentiment_valence, then the "but" rule, to the tokens toks, which are
// those from off on of the last tokenized text (all of them, or a
// sentence): lex lists the lexicon words among them (their indexes in the
// text, in order), upper counts their ALL CAPS words, and bi is the index
// in toks of the first "but", -1 if none.
//
// Only lexicon words get a valence: the others are 0 whatever their
// neighbours.
func (a *Analyzer) sentiments(st *scratch, toks []token, lex []int32, off, upper, bi int) []float64 {
	n := len(toks)
	// allcap_differential: some, but not all, words are ALL CAPS.
	capDiff := upper > 0 && upper < n
	if cap(st.sent) < n {
		st.sent = make([]float64, n+n/2)
	}
	sent := st.sent[:n]
	clear(sent)
	for _, g := range lex {
		i := int(g) - off
		sent[i] = a.valence(st, toks, i, capDiff)
	}
	butCheck(bi, sent, lex, off)
	return sent
}

// valence is the valence of the lexicon word toks[i] after the per-word
// rules of sentiment_valence, before the "but" rule.
func (a *Analyzer) valence(st *scratch, toks []token, i int, capDiff bool) float64 {
	n := len(toks)
	t := &toks[i]
	if t.flags&fBooster != 0 || (i < n-1 && t.flags&fKind != 0 && toks[i+1].flags&fOf != 0) {
		return 0
	}
	v := t.valence
	// "no" as negation of an adjacent lexicon word, not as a lexicon word.
	if t.flags&fNo != 0 && i != n-1 && toks[i+1].flags&fLex != 0 {
		v = 0
	}
	if (i > 0 && toks[i-1].flags&fNo != 0) ||
		(i > 1 && toks[i-2].flags&fNo != 0) ||
		(i > 2 && toks[i-3].flags&fNo != 0 && toks[i-1].flags&fOrNor != 0) {
		v = t.valence * nScalar
	}
	if t.upper && capDiff {
		if v > 0 {
			v += cIncr
		} else {
			v -= cIncr
		}
	}
	for s := 0; s < 3; s++ {
		if i <= s {
			break
		}
		p := &toks[i-(s+1)]
		if p.flags&fLex != 0 {
			continue
		}
		sc := scalarIncDec(p, v, capDiff)
		if s == 1 && sc != 0 {
			sc *= 0.95
		}
		if s == 2 && sc != 0 {
			sc *= 0.9
		}
		v += sc
		v = negationCheck(v, toks, s, i)
		if s == 2 {
			v = a.specialIdioms(st, v, toks, i)
		}
	}
	return leastCheck(v, toks, i)
}

// scalarIncDec is scalar_inc_dec: the booster or dampener effect of a
// preceding word on a valence.
func scalarIncDec(p *token, valence float64, capDiff bool) float64 {
	if p.flags&fBooster == 0 {
		return 0
	}
	scalar := bIncr
	if p.flags&fDecr != 0 {
		scalar = bDecr
	}
	if valence < 0 {
		scalar *= -1
	}
	if p.upper && capDiff {
		if valence > 0 {
			scalar += cIncr
		} else {
			scalar -= cIncr
		}
	}
	return scalar
}

// negationCheck is _negation_check, including the operator-precedence
// quirk of 3.3.2: three words back, "so" or "this" just before the word
// boosts by 1.25 whatever precedes it.
func negationCheck(v float64, toks []token, s, i int) float64 {
	switch s {
	case 0:
		if toks[i-1].neg {
			v *= nScalar
		}
	case 1:
		switch {
		case toks[i-2].flags&fNever != 0 && toks[i-1].flags&fSoThis != 0:
			v *= 1.25
		case toks[i-2].flags&fWithout != 0 && toks[i-1].flags&fDoubt != 0:
		case toks[i-2].neg:
			v *= nScalar
		}
	case 2:
		switch {
		case (toks[i-3].flags&fNever != 0 && toks[i-2].flags&fSoThis != 0) || toks[i-1].flags&fSoThis != 0:
			v *= 1.25
		case toks[i-3].flags&fWithout != 0 && (toks[i-2].flags&fDoubt != 0 || toks[i-1].flags&fDoubt != 0):
		case toks[i-3].neg:
			v *= nScalar
		}
	}
	return v
}

// leastCheck is _least_check: "least" before a word negates it, except in
// "at least" and "very least".
func leastCheck(v float64, toks []token, i int) float64 {
	if i > 0 && toks[i-1].flags&fLex == 0 && toks[i-1].flags&fLeast != 0 {
		if i > 1 {
			if toks[i-2].flags&fAtVery == 0 {
				v *= nScalar
			}
		} else {
			v *= nScalar
		}
	}
	return v
}

// specialIdioms is _special_idioms_check (called only when i >= 3).
func (a *Analyzer) specialIdioms(st *scratch, v float64, toks []token, i int) float64 {
	n := len(toks)
	// Every key has at least two words, all flagged fIdiom, and the
	// phrases looked up are runs of adjacent words in toks[i-3 : i+3]:
	// without two adjacent flagged words nothing can match.
	hi := min(i+2, n-1)
	pair := false
	for j := i - 3; j < hi; j++ {
		if toks[j].flags&toks[j+1].flags&fIdiom != 0 {
			pair = true
			break
		}
	}
	if !pair {
		return v
	}
	// onezero, twoonezero, twoone, threetwoone, threetwo: first match wins.
	seqs := [5][3]int{{i - 1, i, -1}, {i - 2, i - 1, i}, {i - 2, i - 1, -1}, {i - 3, i - 2, i - 1}, {i - 3, i - 2, -1}}
	for _, q := range seqs {
		if val, ok := a.lookupSeq(st, a.t.special, toks, q); ok {
			v = val
			break
		}
	}
	if n-1 > i {
		if val, ok := a.lookupSeq(st, a.t.special, toks, [3]int{i, i + 1, -1}); ok {
			v = val
		}
	}
	if n-1 > i+1 {
		if val, ok := a.lookupSeq(st, a.t.special, toks, [3]int{i, i + 1, i + 2}); ok {
			v = val
		}
	}
	// booster/dampener n-grams: threetwoone, threetwo, twoone.
	for _, q := range [3][3]int{{i - 3, i - 2, i - 1}, {i - 3, i - 2, -1}, {i - 2, i - 1, -1}} {
		if val, ok := a.lookupSeq(st, a.t.phrases, toks, q); ok {
			v += val
		}
	}
	return v
}

// lookupSeq joins the lower-cased words at the indices q (-1 ends the list)
// with single spaces and looks the phrase up in m. Phrases of words that
// occur in no key are rejected without building them.
func (a *Analyzer) lookupSeq(st *scratch, m map[string]float64, toks []token, q [3]int) (float64, bool) {
	for _, j := range q {
		if j >= 0 && toks[j].flags&fIdiom == 0 {
			return 0, false
		}
	}
	b := st.seq[:0]
	for k, j := range q {
		if j < 0 {
			break
		}
		if k > 0 {
			b = append(b, ' ')
		}
		b = append(b, st.word(&toks[j])...)
	}
	st.seq = b
	v, ok := m[string(b)]
	return v, ok
}

// butCheck is _but_check with its quirk kept: Python finds each sentiment's
// position with list.index, i.e. the first element equal to it, which may
// be an earlier, already scaled one.
//
// The search is linear, as in Python, for ordinary texts, but over the
// lexicon words only (lex, their indexes plus off): the other words are 0,
// which no sentiment it looks for equals, and scaling keeps a valence
// non-zero. Texts with many words take an O(n log n) path with the same
// result, so a huge comment cannot stall scoring.
func butCheck(bi int, sent []float64, lex []int32, off int) {
	if bi < 0 {
		return
	}
	if len(sent) > butLinearMax {
		butCheckLarge(bi, sent)
		return
	}
	for _, g := range lex {
		s := sent[int(g)-off]
		if s == 0 {
			continue // scaling a zero changes nothing
		}
		si := 0
		for _, h := range lex {
			if sent[int(h)-off] == s {
				si = int(h) - off
				break
			}
		}
		butScale(sent, si, bi, s)
	}
}

// butLinearMax is the number of words up to which butCheck searches
// linearly.
const butLinearMax = 512

// butScale sets sent[si] to s scaled by its side of "but".
func butScale(sent []float64, si, bi int, s float64) {
	if si < bi {
		sent[si] = s * 0.5
	} else if si > bi {
		sent[si] = s * 1.5
	}
}

// butCheckLarge computes what butCheck does with, per value, a min-heap of
// the already visited indices currently holding that value. When index k
// is visited it still holds its original value (earlier steps only change
// indices at or before their own), so "the first index holding s" is the
// smallest visited index holding s, or k itself.
func butCheckLarge(bi int, sent []float64) {
	heaps := make(map[float64]*intHeap)
	push := func(v float64, i int) {
		h := heaps[v]
		if h == nil {
			h = new(intHeap)
			heaps[v] = h
		}
		h.push(i)
	}
	for k := range sent {
		s := sent[k]
		if s == 0 {
			continue
		}
		si := k
		if h := heaps[s]; h != nil && len(*h) > 0 {
			si = h.pop()
			push(s, k) // k keeps its value
		}
		butScale(sent, si, bi, s)
		push(sent[si], si)
	}
}

// intHeap is a binary min-heap of ints.
type intHeap []int

func (h *intHeap) push(x int) {
	*h = append(*h, x)
	a := *h
	for i := len(a) - 1; i > 0; {
		p := (i - 1) / 2
		if a[p] <= a[i] {
			break
		}
		a[p], a[i] = a[i], a[p]
		i = p
	}
}

func (h *intHeap) pop() int {
	a := *h
	top := a[0]
	n := len(a) - 1
	a[0] = a[n]
	a = a[:n]
	for i := 0; ; {
		l, m := 2*i+1, i
		if l < n && a[l] < a[m] {
			m = l
		}
		if r := l + 1; r < n && a[r] < a[m] {
			m = r
		}
		if m == i {
			break
		}
		a[i], a[m] = a[m], a[i]
		i = m
	}
	*h = a
	return top
}

// scoreValence is score_valence: punctuation emphasis, normalisation and
// the pos/neg/neu proportions. It returns the rounded scores and the
// unrounded compound. Only the lexicon words (lex, their indexes plus off)
// can have a valence other than 0: the sums skip the others, which adding
// would not change.
func scoreValence(sent []float64, lex []int32, off int, text string) (Scores, float64) {
	sum := 0.0
	for _, g := range lex {
		sum += sent[int(g)-off]
	}
	amp := punctuationEmphasis(text)
	if sum > 0 {
		sum += amp
	} else if sum < 0 {
		sum -= amp
	}
	compound := normalize(sum)
	posSum, negSum, neuCount := 0.0, 0.0, len(sent)
	for _, g := range lex {
		s := sent[int(g)-off]
		if s > 0 {
			posSum += s + 1
		}
		if s < 0 {
			negSum += s - 1
		}
		if s != 0 {
			neuCount--
		}
	}
	if posSum > math.Abs(negSum) {
		posSum += amp
	} else if posSum < math.Abs(negSum) {
		negSum -= amp
	}
	total := posSum + math.Abs(negSum) + float64(neuCount)
	return Scores{
		Neg:      pyRound(math.Abs(negSum/total), 3),
		Neu:      pyRound(math.Abs(float64(neuCount)/total), 3),
		Pos:      pyRound(math.Abs(posSum/total), 3),
		Compound: pyRound(compound, 4),
	}, compound
}

// punctuationEmphasis is _amplify_ep plus _amplify_qm.
func punctuationEmphasis(text string) float64 {
	ep := strings.Count(text, "!")
	if ep > 4 {
		ep = 4
	}
	qm := strings.Count(text, "?")
	qa := 0.0
	if qm > 1 {
		if qm <= 3 {
			qa = float64(qm) * 0.18
		} else {
			qa = 0.96
		}
	}
	return float64(ep)*0.292 + qa
}

// normalize maps a valence sum into [-1, 1]: x / sqrt(x² + alpha).
func normalize(x float64) float64 {
	n := x / math.Sqrt(x*x+alpha)
	if n < -1 {
		return -1
	}
	if n > 1 {
		return 1
	}
	return n
}

// pyRound rounds x to nd decimals as Python's round(x, nd) does: to the
// double nearest to the correctly rounded decimal, ties to even.
func pyRound(x float64, nd int) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	p := math.Pow10(nd)
	y := x * p
	f := math.Floor(y)
	d := y - f
	if math.Abs(d-0.5) > 1e-7 {
		if d > 0.5 {
			f++
		}
		// f is an exact integer, so the quotient is the double nearest
		// to the decimal f/10^nd, as Python's float(repr) gives.
		return f/p + 0 // +0 turns -0 into 0
	}
	// Near a tie: decide on the exact binary value.
	var buf [40]byte
	r, err := strconv.ParseFloat(string(strconv.AppendFloat(buf[:0], x, 'f', nd, 64)), 64)
	if err != nil {
		return x
	}
	return r + 0
}
