package classify

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// NegationPrefix is put before every token in the scope of a negation word
// when [Options.Negation] is set: "not good" gives "not", "not_good".
const NegationPrefix = "not_"

// span is one token: a byte range of the tokenizer's arena. For a bigram,
// first is the index of the span of its first word (its second word is the
// span just before it); -1 for a unigram.
type span struct{ start, end, first int32 }

// Tokenizer splits text into lower-case tokens for naive Bayes.
//
// The rules, in order:
//   - A word is a run of letters (any script, accents kept), digits and
//     combining marks. Case is folded with [unicode.ToLower].
//   - An apostrophe between two letters stays inside the word, so
//     contractions stay whole ("don't", "it's"). The typographic ’ and ‘,
//     and the HTML entities &#39; &#x27; &apos; &rsquo;, count as '.
//   - Dropped: URLs (anything from "http://", "https://", "www." or any
//     "scheme://" up to the next space), e-mail addresses, @mentions (and
//     so the leading "@Name" of a reply), HTML tags (<br/>, <a href=...>)
//     and HTML entities other than apostrophes and letters (&amp;, &quot;).
//   - Everything else (punctuation, symbols, emoji, hyphens) separates
//     words. The clause marks . , ; : ! ? … and line breaks also end a
//     negation scope and a bigram chain.
//
// Options (from [Options]):
//   - Negation: after a negation word (not, no, never, cannot, nothing,
//     nobody, none, nowhere, neither, nor, without, and every word ending in
//     n't or a common apostrophe-less form such as dont), the following
//     tokens up to the next clause mark get the prefix "not_".
//   - Stopwords: the words of [Stopwords] are dropped (after negation
//     scope detection, so "not the best" gives "not", "not_best").
//   - Bigrams: each pair of neighbouring kept tokens in a clause also gives
//     the token "first second" (one space between).
//
// A Tokenizer keeps its tokens in a reusable byte arena: after warm-up,
// Tokenize allocates nothing, whatever the number of tokens. It is not safe
// for concurrent use; use one per goroutine.
type Tokenizer struct {
	negation, bigrams, stopwords bool

	buf   []byte
	spans []span

	// mark is the state at the start of the current space-delimited
	// chunk, restored when the chunk turns out to be an e-mail or URL.
	mark    chunkMark
	dropped bool
}

type chunkMark struct {
	spans, buf int
	st         clauseState
}

// NewTokenizer returns a tokenizer with the token options of opt
// (Negation, Bigrams, Stopwords).
func NewTokenizer(opt Options) *Tokenizer {
	return &Tokenizer{negation: opt.Negation, bigrams: opt.Bigrams, stopwords: opt.Stopwords}
}

// Len returns the number of tokens of the last Tokenize call.
func (t *Tokenizer) Len() int { return len(t.spans) }

// Token returns token i of the last Tokenize call. The slice is valid until
// the next call to Tokenize and must not be modified.
func (t *Tokenizer) Token(i int) []byte {
	s := t.spans[i]
	return t.buf[s.start:s.end:s.end]
}

// Tokens returns the tokens of the last Tokenize call as new strings.
func (t *Tokenizer) Tokens() []string {
	out := make([]string, len(t.spans))
	for i := range t.spans {
		out[i] = string(t.Token(i))
	}
	return out
}

// Tokenize splits text and returns the number of tokens, which are then
// read with [Tokenizer.Token]. Unigrams come in text order; with bigrams,
// each bigram follows its second word.
func (t *Tokenizer) Tokenize(text string) int {
	if len(text) > MaxTokenizeBytes {
		// Token offsets are int32: cut at a word boundary before the limit.
		cut := strings.LastIndexAny(text[:MaxTokenizeBytes], " \t\n")
		text = text[:max(cut, 0)]
	}
	t.buf = t.buf[:0]
	t.spans = t.spans[:0]
	st := clauseState{prev: -1}
	t.mark = chunkMark{st: st}
	n := len(text)
	for i := 0; i < n; {
		switch byteClass[text[i]] {
		case clWord:
			i = t.word(text, i, &st)
			if t.dropped {
				t.dropChunk(&st)
			}
			continue
		case clSpace:
			t.mark = chunkMark{len(t.spans), len(t.buf), st}
		case clNewline:
			st.reset()
			t.mark = chunkMark{len(t.spans), len(t.buf), st}
		case clClause:
			st.reset()
		case clLT:
			if j := skipTag(text, i); j > i {
				i = j
				continue
			}
		case clAmp:
			if j, r := entity(text, i); j > i {
				if isWordRune(r) {
					i = t.word(text, i, &st)
					if t.dropped {
						t.dropChunk(&st)
					}
					continue
				}
				if r == '…' {
					st.reset()
				}
				i = j
				continue
			}
		case clAt:
			i = skipMention(text, i)
			continue
		case clHigh:
			r, size := utf8.DecodeRuneInString(text[i:])
			if isWordRune(r) {
				i = t.word(text, i, &st)
				if t.dropped {
					t.dropChunk(&st)
				}
				continue
			}
			if r == '…' || r == '\u2028' || r == '\u2029' || r == '。' || r == '¿' || r == '¡' {
				st.reset()
			}
			i += size
			continue
		}
		i++
	}
	return len(t.spans)
}

// dropChunk removes the tokens of the current chunk, an e-mail address or
// URL found in the middle of a word.
func (t *Tokenizer) dropChunk(st *clauseState) {
	t.dropped = false
	if t.mark.spans <= len(t.spans) && t.mark.buf <= len(t.buf) {
		t.spans = t.spans[:t.mark.spans]
		t.buf = t.buf[:t.mark.buf]
		*st = t.mark.st
	}
}

// MaxTokenizeBytes is the longest text Tokenize reads; the rest of a
// longer text (cut at the last space before the limit) is ignored.
const MaxTokenizeBytes = 256 << 20

// clauseState is the negation scope and bigram chain within a clause.
type clauseState struct {
	neg  bool
	prev int // index in spans of the previous kept unigram, or -1
}

func (s *clauseState) reset() { s.neg, s.prev = false, -1 }

var asciiWord, asciiClause, asciiStop, asciiSpace [128]bool

// Byte classes of the tokenizer's main loop.
const (
	clOther = iota
	clWord
	clSpace
	clNewline
	clClause
	clLT
	clAmp
	clAt
	clHigh
)

// byteClass classifies every byte for the main loop; wordTail marks the
// ASCII bytes that may continue a word after its letters (' & @ :).
var byteClass, wordTail [256]uint8

// wordLower maps ASCII letters and digits to their lower case, all other
// bytes to 0.
var wordLower [256]byte

func init() {
	for c := '0'; c <= '9'; c++ {
		asciiWord[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		asciiWord[c] = true
		asciiWord[c-'a'+'A'] = true
		wordLower[c] = byte(c)
		wordLower[c-'a'+'A'] = byte(c)
	}
	for c := '0'; c <= '9'; c++ {
		wordLower[c] = byte(c)
	}
	for _, c := range ".,;:!?\n\r" {
		asciiClause[c] = true
	}
	for _, c := range " \t\r\n\v\f\"<>" {
		asciiStop[c] = true
	}
	for _, c := range " \t\r\n\v\f" {
		asciiSpace[c] = true
	}
	for c := range 256 {
		switch {
		case c >= utf8.RuneSelf:
			byteClass[c] = clHigh
		case asciiWord[c]:
			byteClass[c] = clWord
		case c == '\n':
			byteClass[c] = clNewline
		case asciiSpace[c]:
			byteClass[c] = clSpace
		case asciiClause[c]:
			byteClass[c] = clClause
		case c == '<':
			byteClass[c] = clLT
		case c == '&':
			byteClass[c] = clAmp
		case c == '@':
			byteClass[c] = clAt
		}
	}
	for _, c := range "'&@:" {
		wordTail[c] = 1
	}
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 0 && asciiWord[r]
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isLetterAt(text string, i int) bool {
	if i >= len(text) {
		return false
	}
	c := text[i]
	if c < utf8.RuneSelf {
		return asciiWord[c] && c > '9'
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return unicode.IsLetter(r)
}

// word reads the word starting at text[i] into the arena, emits it, and
// returns the index after it.
func (t *Tokenizer) word(text string, i int, st *clauseState) int {
	if text[i]|0x20 == 'w' && hasPrefixFold(text[i:], "www.") {
		return skipChunk(text, i)
	}
	start := len(t.buf)
	n := len(text)
scan:
	for i < n {
		// Fast path: a run of ASCII letters and digits.
		if wordLower[text[i]] != 0 {
			src := text[i:]
			if cap(t.buf)-len(t.buf) < len(src) {
				t.buf = slices.Grow(t.buf, len(src))
			}
			dst := t.buf[len(t.buf):cap(t.buf)][:len(src)]
			k := 0
			for k < len(src) {
				l := wordLower[src[k]]
				if l == 0 {
					break
				}
				dst[k] = l
				k++
			}
			t.buf = t.buf[:len(t.buf)+k]
			i += k
			if i >= n {
				break
			}
		}
		c := text[i]
		if c < utf8.RuneSelf {
			if wordTail[c] == 0 {
				break
			}
			switch c {
			case '\'':
				if hasLetter(t.buf[start:]) && isLetterAt(text, i+1) {
					t.buf = append(t.buf, '\'')
					i++
					continue scan
				}
			case '&':
				if j, r := entity(text, i); j > i {
					if r == '\'' && hasLetter(t.buf[start:]) && isLetterAt(text, j) {
						t.buf = append(t.buf, '\'')
						i = j
						continue scan
					}
					if isWordRune(r) {
						t.buf = utf8.AppendRune(t.buf, unicode.ToLower(r))
						i = j
						continue scan
					}
				}
			case '@':
				if i+1 < n && isWordRune(firstRune(text[i+1:])) {
					t.buf = t.buf[:start] // an e-mail address
					t.dropped = true
					return skipChunk(text, i)
				}
			case ':':
				if strings.HasPrefix(text[i+1:], "//") {
					t.buf = t.buf[:start] // a URL with a scheme
					t.dropped = true
					return skipChunk(text, i)
				}
			}
			break
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == '’' || r == '‘' {
			if hasLetter(t.buf[start:]) && isLetterAt(text, i+size) {
				t.buf = append(t.buf, '\'')
				i += size
				continue
			}
			break
		}
		if !isWordRune(r) {
			break
		}
		t.buf = utf8.AppendRune(t.buf, unicode.ToLower(r))
		i += size
	}
	if len(t.buf) > start {
		t.emit(start, st)
	}
	return i
}

// hasLetter reports whether the word w has a letter (not only digits).
func hasLetter(w []byte) bool {
	for _, r := range string(w) {
		if r < utf8.RuneSelf {
			if r > '9' && asciiWord[r] {
				return true
			}
		} else if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// emit turns t.buf[start:] into a token, applying the options.
func (t *Tokenizer) emit(start int, st *clauseState) {
	if !t.negation && !t.stopwords && !t.bigrams {
		t.spans = append(t.spans, span{int32(start), int32(len(t.buf)), -1})
		return
	}
	w := t.buf[start:]
	isNeg := t.negation && isNegation(w)
	if t.stopwords && !isNeg {
		if stopwords.has(w) {
			t.buf = t.buf[:start]
			return
		}
	}
	if st.neg && !isNeg {
		end := len(t.buf)
		t.buf = append(t.buf, NegationPrefix...)
		copy(t.buf[start+len(NegationPrefix):], t.buf[start:end])
		copy(t.buf[start:], NegationPrefix)
	}
	cur := span{int32(start), int32(len(t.buf)), -1}
	t.spans = append(t.spans, cur)
	idx := len(t.spans) - 1
	if t.bigrams && st.prev >= 0 {
		p := t.spans[st.prev]
		bs := len(t.buf)
		t.buf = append(t.buf, t.buf[p.start:p.end]...)
		t.buf = append(t.buf, ' ')
		t.buf = append(t.buf, t.buf[cur.start:cur.end]...)
		t.spans = append(t.spans, span{int32(bs), int32(len(t.buf)), int32(st.prev)})
	}
	st.prev = idx
	if isNeg {
		st.neg = true
	}
}

func firstRune(s string) rune {
	if s == "" {
		return utf8.RuneError
	}
	if s[0] < utf8.RuneSelf {
		return rune(s[0])
	}
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// skipChunk skips from i to the next space, quote or angle bracket.
func skipChunk(text string, i int) int {
	for i < len(text) {
		c := text[i]
		if c < utf8.RuneSelf && asciiStop[c] {
			return i
		}
		i++
	}
	return i
}

// skipMention skips "@name" at text[i]; a lone "@" is skipped alone.
func skipMention(text string, i int) int {
	i++
	for i < len(text) {
		c := text[i]
		if c < utf8.RuneSelf {
			if asciiWord[c] || c == '_' {
				i++
				continue
			}
			return i
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			return i
		}
		i += size
	}
	return i
}

// skipTag returns the index after an HTML tag starting at text[i] ('<'),
// or i when there is none.
func skipTag(text string, i int) int {
	if i+1 >= len(text) {
		return i
	}
	c := text[i+1]
	if !(c == '/' || c == '!' || (c < utf8.RuneSelf && asciiWord[c] && c > '9')) {
		return i
	}
	end := min(len(text), i+1024)
	for j := i + 1; j < end; j++ {
		switch text[j] {
		case '>':
			return j + 1
		case '<':
			return i
		}
	}
	return i
}

// namedEntities are the HTML entities decoded; others are dropped.
var namedEntities = map[string]rune{
	"amp": '&', "lt": '<', "gt": '>', "quot": '"', "apos": '\'', "nbsp": ' ',
	"rsquo": '\'', "lsquo": '\'', "ldquo": '"', "rdquo": '"', "hellip": '…',
	"mdash": '—', "ndash": '–',
	"eacute": 'é', "egrave": 'è', "aacute": 'á', "agrave": 'à', "iacute": 'í',
	"oacute": 'ó', "uacute": 'ú', "ntilde": 'ñ', "ccedil": 'ç', "uuml": 'ü',
	"ouml": 'ö', "auml": 'ä', "szlig": 'ß',
}

// entity parses an HTML entity at text[i] ('&'). It returns the index after
// it and the rune it stands for (an apostrophe-like entity gives '\”, an
// unknown named entity gives -1), or i when there is no entity.
func entity(text string, i int) (int, rune) {
	j := i + 1
	n := len(text)
	if j < n && text[j] == '#' {
		j++
		base := rune(10)
		if j < n && (text[j] == 'x' || text[j] == 'X') {
			base = 16
			j++
		}
		var r rune
		k := j
		for ; k < n && k-j < 8; k++ {
			d := hexVal(text[k])
			if d < 0 || d >= base {
				break
			}
			r = r*base + d
		}
		if k == j || k >= n || text[k] != ';' {
			return i, 0
		}
		if r == '’' || r == '‘' {
			r = '\''
		}
		if r > unicode.MaxRune {
			r = -1
		}
		return k + 1, r
	}
	k := j
	for ; k < n && k-j < 10 && text[k] < utf8.RuneSelf && asciiWord[text[k]]; k++ {
	}
	if k == j || k >= n || text[k] != ';' {
		return i, 0
	}
	r, ok := namedEntities[strings.ToLower(text[j:k])]
	if !ok {
		r = -1
	}
	return k + 1, r
}

func hexVal(c byte) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case c >= 'a' && c <= 'f':
		return rune(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return rune(c-'A') + 10
	}
	return -1
}

// negations are the words that open a negation scope, besides every word
// ending in "n't".
var negations = newWordSet(
	"not", "no", "never", "cannot", "nothing", "nobody", "none", "nowhere",
	"neither", "nor", "without", "dont", "doesnt", "didnt", "isnt", "arent",
	"wasnt", "werent", "cant", "couldnt", "wont", "wouldnt", "shouldnt",
	"hasnt", "havent", "hadnt", "aint", "mustnt", "neednt",
)

func isNegation(w []byte) bool {
	if n := len(w); n > 3 && w[n-1] == 't' && w[n-2] == '\'' && w[n-3] == 'n' {
		return true
	}
	return negations.has(w)
}

// wordSet is an immutable set of short words: an open-addressing table
// probed with a cheap hash, faster than a map for the per-word checks of
// the tokenizer.
type wordSet struct {
	maxLen int
	table  [512]string
}

func newWordSet(words ...string) *wordSet {
	s := &wordSet{}
	for _, w := range words {
		s.maxLen = max(s.maxLen, len(w))
		h := wordHash([]byte(w))
		for s.table[h] != "" {
			h = (h + 1) % uint32(len(s.table))
		}
		s.table[h] = w
	}
	return s
}

func wordHash(w []byte) uint32 {
	h := uint32(len(w))
	for _, c := range w {
		h = h*31 + uint32(c)
	}
	return h % 512
}

func (s *wordSet) has(w []byte) bool {
	if len(w) > s.maxLen || len(w) == 0 {
		return false
	}
	for h := wordHash(w); ; h = (h + 1) % uint32(len(s.table)) {
		e := s.table[h]
		if e == "" {
			return false
		}
		if e == string(w) {
			return true
		}
	}
}

// Stopwords returns stance's own short English stopword list, used with
// [Options.Stopwords]: articles, pronouns, forms of "be", "have" and "do",
// and the commonest prepositions and conjunctions. It deliberately keeps
// words that carry opinion or stance: negations (not, no, never, n't),
// "but", "against", "for", "very", "should", "must", "can", "only".
func Stopwords() []string { return slices.Clone(stopwordList) }

var stopwordList = []string{
	"a", "about", "am", "an", "and", "are", "as", "at", "be", "been", "being",
	"by", "did", "do", "does", "from", "had", "has", "have", "he", "her",
	"hers", "him", "his", "i", "i'm", "if", "in", "into", "is", "it", "it's",
	"its", "me", "my", "of", "on", "or", "our", "ours", "she", "so", "than",
	"that", "the", "their", "them", "then", "there", "these", "they", "this",
	"those", "to", "us", "was", "we", "were", "what", "which", "who", "whom",
	"will", "with", "would", "you", "your", "yours",
}

var stopwords = newWordSet(stopwordList...)

// Tokenize is a convenience that splits text with a new [Tokenizer] and
// returns the tokens as strings.
func Tokenize(text string, opt Options) []string {
	t := NewTokenizer(opt)
	t.Tokenize(text)
	return t.Tokens()
}
