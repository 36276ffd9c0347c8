package classify

import (
	"encoding/binary"
	"math"
	"math/bits"
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
// span just before it); -1 for a unigram. h is the token's hash
// ([hashString] of its bytes), computed once here for every vocabulary
// lookup.
type span struct {
	start, end, first int32
	h                 uint64
}

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
//   - Structure, CharGrams: see [StructureTokens] and [CharGramPrefix].
//   - Tags: an @mention is kept, as one token: "@" and the name,
//     lower-cased ("@hillaryclinton"); a #hashtag gives the token "#"
//     and the name ("#prolife") before its words. These join no bigram.
//   - PerTarget: the target prefix (see [TargetOf]) is taken off the
//     text, and every token comes again, conjoined with the target, with
//     the target's own token last ("atheism|god", "atheism|").
//
// A Tokenizer keeps its tokens in a reusable byte arena: after warm-up,
// Tokenize allocates nothing, whatever the number of tokens. It is not safe
// for concurrent use; use one per goroutine.
//
// The arena always keeps at least 8 bytes of spare capacity after the
// last token, so that words are copied and hashed 8 bytes at a time.
type Tokenizer struct {
	negation, bigrams, stopwords bool
	plain                        bool // none of the three
	simple                       bool // neither negation nor bigrams

	// structure and charGrams are the document features of
	// [Options.Structure] and [Options.CharGrams], added after the words
	// (features.go); extra says whether there are any.
	structure bool
	charGrams int
	perTarget bool
	tags      bool
	extra     bool
	// target is the target of the text being tokenized, with perTarget.
	target string
	// pairs, set by a Featurizer, leaves the bytes of bigrams out: a
	// bigram's span is empty, its words are known by first and the span
	// before it, and the Featurizer finds its term by their ids.
	pairs bool
	// words is the number of word tokens (unigrams and bigrams) of the
	// last Tokenize call, the features coming after them; conj is the
	// index of its first token conjoined with the target (PerTarget),
	// the number of tokens when there is none.
	words, conj int

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
// (Negation, Bigrams, Stopwords, Structure, CharGrams).
func NewTokenizer(opt Options) *Tokenizer {
	g := opt.normalized().CharGrams
	return &Tokenizer{negation: opt.Negation, bigrams: opt.Bigrams, stopwords: opt.Stopwords,
		plain: !opt.Negation && !opt.Bigrams && !opt.Stopwords, simple: !opt.Negation && !opt.Bigrams,
		structure: opt.Structure, charGrams: g, perTarget: opt.PerTarget, tags: opt.Tags, extra: opt.Structure || g > 0 || opt.PerTarget}
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
// each bigram follows its second word; the structure tokens and character
// n-grams, when asked for, come after all of them.
func (t *Tokenizer) Tokenize(text string) int {
	if len(text) > MaxTokenizeBytes {
		// Token offsets are int32: cut at a word boundary before the limit.
		cut := strings.LastIndexAny(text[:MaxTokenizeBytes], " \t\n")
		text = text[:max(cut, 0)]
	}
	if t.perTarget {
		t.target, text = splitTarget(text)
	}
	t.buf = t.buf[:0]
	t.spans = t.spans[:0]
	st := clauseState{prev: -1}
	t.mark = chunkMark{st: st}
	n := len(text)
	for i := 0; i < n; {
		switch byteClass[text[i]] {
		case clWord:
			how := runLong
			if t.simple {
				i, how = t.simpleRun(text, i, &st)
			} else if t.pairs {
				i, how = t.pairRun(text, i, &st)
			}
			if how == runDone {
				continue
			}
			if how == runLong {
				if j := t.fastWord(text, i, &st); j >= 0 {
					i = j
					continue
				}
			}
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
			j := skipMention(text, i)
			if t.tags && j > i+1 {
				t.tag(text[i:j])
			}
			i = j
			continue
		case clHash:
			if t.tags {
				if j := skipMention(text, i); j > i+1 {
					t.tag(text[i:j]) // and the word after '#' as ever
				}
			}
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
	t.words = len(t.spans)
	t.conj = math.MaxInt
	if t.extra {
		t.addFeatures(text)
	}
	t.conj = min(t.conj, len(t.spans))
	return len(t.spans)
}

// tag appends the token of the @mention or #hashtag m ("@" or "#" and
// a name).
func (t *Tokenizer) tag(m string) {
	start := len(t.buf)
	for _, r := range m {
		t.buf = utf8.AppendRune(t.buf, unicode.ToLower(r))
	}
	t.spare()
	end := len(t.buf)
	t.spans = append(t.spans, span{int32(start), int32(end), -1, hashArena(t.buf, start, end)})
}

// fastWord is the tokenizer's fast path: a word of ASCII letters and
// digits at text[i] ended by an ASCII byte that cannot continue it, read,
// lower-cased and hashed 8 bytes at a time, then emitted; a space after it
// is taken too. It returns the index after them, or -1, with nothing
// done, for anything else (the end of the text within 8 bytes, an
// apostrophe, an accent, an e-mail address or URL...), which is left to
// word.
func (t *Tokenizer) fastWord(text string, i int, st *clauseState) int {
	buf := t.buf
	start := len(buf)
	h := uint64(hashSeed)
	var key uint64
	j := i
	for {
		if j+8 > len(text) {
			t.buf = buf[:start]
			return -1
		}
		if cap(buf)-len(buf) < 8 {
			buf = slices.Grow(buf, max(64, len(buf))+8)
		}
		lo, k := lowerWord8(load64(text, j))
		l := len(buf)
		binary.LittleEndian.PutUint64(buf[l:l+8], lo)
		buf = buf[:l+k]
		j += k
		if k < 8 {
			if k > 0 {
				key = lo & (^uint64(0) >> (64 - 8*uint(k)))
				h = hashStep(h, key)
			}
			break
		}
		h = hashStep(h, lo)
		key = lo
	}
	// text[j] is the byte after the run.
	if c := text[j]; c >= utf8.RuneSelf || wordTail[c] != 0 ||
		j-i == 3 && c == '.' && key == 'w'|'w'<<8|'w'<<16 {
		t.buf = buf[:start]
		return -1
	}
	end := len(buf)
	h = hashFinish(h ^ uint64(end-start))
	if end-start > 8 {
		key = 0
	}
	switch {
	case t.simple && t.stopwords && key != 0 && stopwords.has(key):
		t.buf = buf[:start]
	case t.simple:
		t.buf = buf
		t.spans = append(t.spans, span{int32(start), int32(end), -1, h})
	default:
		t.buf = buf
		t.emitWord(start, key, h, st)
	}
	if text[j] == ' ' {
		// The commonest end of a word, handled here rather than by
		// another turn of the main loop.
		t.mark = chunkMark{len(t.spans), len(t.buf), *st}
		j++
	}
	return j
}

// longWord reads the rest of a word of 8 bytes or more for simpleRun and
// pairRun: its first 8 bytes, lower-cased, are lo (already written to the
// arena b), its next bytes go to b[end:], and its text goes on at j. It
// reads 8 bytes at a time while j is at most lim, and returns the word's
// end in b, the text index after it, its running hash, the byte after it,
// and runDone, or runLong when the word goes on past lim (fastWord may
// take it).
func longWord(text string, b []byte, lo uint64, end, j, lim int) (int, int, uint64, byte, int) {
	h := hashStep(hashSeed, lo)
	for {
		if j > lim {
			return end, j, h, 0, runLong
		}
		x := load64(text, j)
		lo2, k2 := lowerWord8(x)
		binary.LittleEndian.PutUint64(b[end:end+8], lo2)
		end += k2
		j += k2
		if k2 < 8 {
			sh := 8 * uint(k2) & 63
			if k2 > 0 {
				h = hashStep(h, lo2&(1<<sh-1))
			}
			return end, j, h, byte(x >> sh), runDone
		}
		h = hashStep(h, lo2)
	}
}

// simpleRun is fastWord for a tokenizer without negation or bigrams,
// looping over a run of such words each ended by one space, with the arena
// and the tokens in locals. text[i] is an ASCII letter or digit. It
// returns the index after the words and spaces taken and how the main
// loop goes on from there: runDone, or, for a word it did not take, runLong
// (fastWord may take it) or runSlow (word must). A word of at most 7
// bytes, the commonest, is read, lower-cased and ended with one 8-byte
// load: its end byte is in the same load. The clause state does not
// change: only negation and bigrams use it; the chunk mark is set once, at
// the end.
//
// It reads words starting within runWindow bytes of i, and first makes
// room for all their bytes and tokens, so that its loop calls nothing and
// keeps its state in registers.
func (t *Tokenizer) simpleRun(text string, i int, st *clauseState) (next, how int) {
	n := len(text)
	last := n - 8 // the last index an 8-byte load can start at
	lim := min(last, i+runWindow)
	// The words of the run start before reach: up to lim, then (after a
	// word read up to lim+7 and a space) only in the last 7 bytes of the
	// text. Each takes as many bytes of the arena as of the text, plus 8
	// of room for the last, and is followed by a space, but the last.
	reach := min(n, lim+16)
	t.buf = slices.Grow(t.buf, reach-i+8)
	t.spans = slices.Grow(t.spans, (reach-i+1)/2)
	b := t.buf[:cap(t.buf)]
	bl := len(t.buf)
	spans := t.spans[:cap(t.spans)]
	ns := len(t.spans)
	sw := t.stopwords
	i0 := i
	for {
		var x uint64
		if i <= lim {
			x = load64(text, i)
		} else if i > last && i < n {
			// The text's last bytes, 1 to 7, padded with zeros: the word
			// ends with them at the latest.
			x = stringKey(text[i:])
		} else {
			break // the end of the window or of the text
		}
		start := bl
		lo, k := lowerWord8(x)
		if k == 0 {
			break // not a word: the main loop goes on
		}
		binary.LittleEndian.PutUint64(b[start:start+8], lo)
		var key, h uint64
		var c byte
		end, j := start+k, i+k
		if k < 8 {
			// c is text[j], the byte after the run: a byte of x, which
			// lowerWord8 left as it was, since it is not a letter.
			sh := 8 * uint(k) & 63
			key = lo & (1<<sh - 1)
			c = byte(x >> sh)
			h = hashStep(hashSeed, key)
		} else {
			// A word of 8 bytes or more, 8 bytes at a time while in the
			// window; a longer one is left to fastWord.
			end, j, h, c, how = longWord(text, b, lo, end, j, lim)
			if how != runDone {
				break
			}
			if end-start == 8 {
				key = lo
			}
		}
		if wordEnd[c] != 0 || c == '.' && key == 'w'|'w'<<8|'w'<<16 {
			how = runSlow
			break
		}
		if !sw || !stopwords.has(key) {
			spans[ns] = span{int32(start), int32(end), -1, hashFinish(h ^ uint64(end-start))}
			ns++
			bl = end
		}
		if c != ' ' {
			// The chunk's mark is the state before this word, set at the
			// space before it, if in this run.
			t.buf = b[:bl]
			t.spans = spans[:ns]
			if i != i0 {
				if bl != start {
					ns--
				}
				t.mark = chunkMark{ns, start, *st}
			}
			return j, runDone
		}
		i = j + 1
	}
	// Every word taken was followed by a space: the mark is the state now.
	t.buf = b[:bl]
	t.spans = spans[:ns]
	if i != i0 {
		t.mark = chunkMark{ns, bl, *st}
	}
	return i, how
}

// pairRun is simpleRun for a tokenizer that leaves out the bytes of
// bigrams (pairs), with negation, bigrams and stopwords as emitWord
// applies them. It takes the words of a run as simpleRun does, each ended
// by one space, within runWindow bytes of i. A word of the run has no
// apostrophe (one ends the run), so it opens a negation scope only by
// being one of the negation words; in a scope, it is written behind the
// prefix "not_", as emitWord writes it.
func (t *Tokenizer) pairRun(text string, i int, st *clauseState) (next, how int) {
	n := len(text)
	last := n - 8 // the last index an 8-byte load can start at
	lim := min(last, i+runWindow)
	reach := min(n, lim+16)
	// Each word takes at most its bytes and the prefix, and 16 bytes of
	// room for the last stores; it and its bigram take two tokens.
	t.buf = slices.Grow(t.buf, 3*(reach-i)+24)
	t.spans = slices.Grow(t.spans, reach-i+2)
	b := t.buf[:cap(t.buf)]
	bl := len(t.buf)
	spans := t.spans[:cap(t.spans)]
	ns := len(t.spans)
	neg, bigrams, stop := t.negation, t.bigrams, t.stopwords
	cur := *st
	i0 := i
	for {
		var x uint64
		if i <= lim {
			x = load64(text, i)
		} else if i > last && i < n {
			x = stringKey(text[i:])
		} else {
			break // the end of the window or of the text
		}
		start := bl
		lo, k := lowerWord8(x)
		if k == 0 {
			break // not a word: the main loop goes on
		}
		binary.LittleEndian.PutUint64(b[start:start+8], lo)
		var key, h uint64
		var c byte
		end, j := start+k, i+k
		if k < 8 {
			sh := 8 * uint(k) & 63
			key = lo & (1<<sh - 1)
			c = byte(x >> sh) // text[j], the byte after the word
			h = hashStep(hashSeed, key)
		} else {
			// A word of 8 bytes or more, read as simpleRun reads it.
			end, j, h, c, how = longWord(text, b, lo, end, j, lim)
			if how != runDone {
				break
			}
			if end-start == 8 {
				key = lo
			}
		}
		if wordEnd[c] != 0 || c == '.' && key == 'w'|'w'<<8|'w'<<16 {
			how = runSlow
			break
		}
		before, nsBefore := cur, ns
		isNeg := neg && negations.has(key)
		if !stop || isNeg || !stopwords.has(key) {
			wl := end - start
			switch {
			case !cur.neg || isNeg:
				h = hashFinish(h ^ uint64(wl))
			case key != 0:
				// At most 8 bytes: "not_" and the word in two words.
				h = storePair(b, start, negationKey|key<<32, key>>32, len(NegationPrefix)+wl)
				end += len(NegationPrefix)
			default:
				pos, acc, nacc, hh := arenaCopy(b, start, negationKey, uint(len(NegationPrefix)), hashSeed, start, end)
				h = arenaFinish(b, pos, acc, nacc, hh, len(NegationPrefix)+wl)
				end += len(NegationPrefix)
			}
			spans[ns] = span{int32(start), int32(end), -1, h}
			ns++
			if bigrams && cur.prev >= 0 {
				spans[ns] = span{int32(end), int32(end), int32(cur.prev), 0}
				ns++
			}
			cur.prev = nsBefore
			if isNeg {
				cur.neg = true
			}
			bl = end
		}
		if c != ' ' {
			// The chunk's mark is the state before this word, set at the
			// space before it, if in this run.
			t.buf = b[:bl]
			t.spans = spans[:ns]
			*st = cur
			if i != i0 {
				t.mark = chunkMark{nsBefore, start, before}
			}
			return j, runDone
		}
		i = j + 1
	}
	// Every word taken was followed by a space: the mark is the state now.
	t.buf = b[:bl]
	t.spans = spans[:ns]
	*st = cur
	if i != i0 {
		t.mark = chunkMark{ns, bl, cur}
	}
	return i, how
}

// How the main loop goes on after simpleRun.
const (
	runDone = iota // at the index returned
	runLong        // with fastWord, then word, for the word there
	runSlow        // with word for the word there
)

// runWindow is the most text simpleRun reads words from in a call.
const runWindow = 512

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
	clHash
	clHigh
)

// byteClass classifies every byte for the main loop; wordTail marks the
// ASCII bytes that may continue a word after its letters (' & @ :).
var byteClass, wordTail [256]uint8

// wordEnd marks the bytes after a run of ASCII letters and digits that
// may continue the word (those of wordTail and every non-ASCII byte).
var wordEnd [256]uint8

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
		case c == '\n' || c == '\r':
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
		case c == '#':
			byteClass[c] = clHash
		}
	}
	for _, c := range "'&@:" {
		wordTail[c] = 1
		wordEnd[c] = 1
	}
	for c := utf8.RuneSelf; c < 256; c++ {
		wordEnd[c] = 1
	}
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 0 && asciiWord[r]
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
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
			i = t.asciiRun(text, i)
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

// SWAR constants: a byte of 1s and a byte of high bits in every lane.
const (
	lanes1 = 0x0101010101010101
	lanes8 = 0x8080808080808080
)

// lowerWord8 takes 8 bytes of text (little-endian) and returns them with
// ASCII capitals lower-cased, and the number of leading bytes that are
// ASCII letters or digits (8 when all are).
func lowerWord8(x uint64) (lower uint64, n int) {
	// For 7-bit bytes b, b + (0x80-lo) has its high bit set iff b >= lo,
	// and b + (0x7f-hi) iff b > hi; no lane carries into the next. A
	// 7-bit byte with bit 0x20 set is in 'a'..'z' iff it is a letter.
	x7 := x &^ lanes8
	l := x7 | 0x20*lanes1
	letter := (l + (0x80-'a')*lanes1) &^ (l + (0x7f-'z')*lanes1) &^ x & lanes8
	digit := (x7 + (0x80-'0')*lanes1) &^ (x7 + (0x7f-'9')*lanes1)
	word := (letter | digit) &^ x & lanes8
	return x | letter>>2, bits.TrailingZeros64(^word&lanes8) >> 3
}

// load64 returns text[i:i+8] as a little-endian word.
func load64(text string, i int) uint64 {
	s := text[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// spare makes room for 8 more bytes than the arena holds.
func (t *Tokenizer) spare() {
	if cap(t.buf)-len(t.buf) < 8 {
		t.buf = slices.Grow(t.buf, max(64, len(t.buf))+8)
	}
}

// asciiRun appends the lower case of the run of ASCII letters and digits
// at text[i] to the arena, 8 bytes at a time, and returns the index after
// it.
func (t *Tokenizer) asciiRun(text string, i int) int {
	for i+8 <= len(text) {
		t.spare()
		lo, k := lowerWord8(load64(text, i))
		l := len(t.buf)
		binary.LittleEndian.PutUint64(t.buf[l:l+8], lo)
		t.buf = t.buf[:l+k]
		i += k
		if k < 8 {
			return i
		}
	}
	for i < len(text) {
		c := wordLower[text[i]]
		if c == 0 {
			break
		}
		t.buf = append(t.buf, c)
		i++
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
	t.spare()
	end := len(t.buf)
	h := hashArena(t.buf, start, end)
	if t.plain {
		t.spans = append(t.spans, span{int32(start), int32(end), -1, h})
		return
	}
	var key uint64
	if end-start <= 8 {
		key = loadKey(t.buf, start, end)
	}
	t.emitWord(start, key, h, st)
}

// emitWord turns the word t.buf[start:] with hash h into a token, applying
// the options. key is the word's bytes when it has at most 8 (see
// loadKey), which is enough to look it up in the negation and stopword
// sets; 0 for a longer word.
func (t *Tokenizer) emitWord(start int, key, h uint64, st *clauseState) {
	end := len(t.buf)
	isNeg := t.negation && isNegation(t.buf[start:end], key)
	if t.stopwords && !isNeg && key != 0 && stopwords.has(key) {
		t.buf = t.buf[:start]
		return
	}
	if st.neg && !isNeg {
		// The word moves 4 bytes right behind the prefix, rewritten and
		// hashed 8 bytes at a time.
		n := end - start
		t.buf = slices.Grow(t.buf, len(NegationPrefix)+16)
		b := t.buf[:cap(t.buf)]
		if key != 0 {
			// At most 8 bytes (key holds them): two words in registers.
			h = storePair(b, start, negationKey|key<<32, key>>32, len(NegationPrefix)+n)
		} else {
			// Each source word is read before the store that overwrites it.
			pos, acc, nacc, hh := arenaCopy(b, start, negationKey, uint(len(NegationPrefix)), hashSeed, start, end)
			h = arenaFinish(b, pos, acc, nacc, hh, len(NegationPrefix)+n)
		}
		end = start + len(NegationPrefix) + n
		t.buf = t.buf[:end]
	}
	cur := span{int32(start), int32(end), -1, h}
	t.spans = append(t.spans, cur)
	idx := len(t.spans) - 1
	if t.bigrams && st.prev >= 0 && t.pairs {
		t.spans = append(t.spans, span{int32(len(t.buf)), int32(len(t.buf)), int32(st.prev), 0})
	} else if t.bigrams && st.prev >= 0 {
		p := t.spans[st.prev]
		bs := len(t.buf)
		la, lb := int(p.end-p.start), end-start
		total := la + 1 + lb
		t.buf = slices.Grow(t.buf, total+16)
		b := t.buf[:cap(t.buf)]
		var bh uint64
		if la <= 8 && lb <= 8 && total <= 16 {
			// "a b" in at most 16 bytes: two words built in registers.
			a, c := loadKey(b, int(p.start), int(p.end)), loadKey(b, start, end)
			if la == 8 {
				bh = storePair(b, bs, a, ' '|c<<8, total)
			} else {
				sa, sc := uint(8*la), uint(8*la+8) // sc is 16 to 64
				bh = storePair(b, bs, a|' '<<sa|c<<sc, c>>(64-sc), total)
			}
		} else {
			pos, acc, nacc, hh := arenaCopy(b, bs, 0, 0, hashSeed, int(p.start), int(p.end))
			acc |= ' ' << (8 * nacc)
			if nacc++; nacc == 8 {
				binary.LittleEndian.PutUint64(b[pos:pos+8], acc)
				hh = hashStep(hh, acc)
				pos, acc, nacc = pos+8, 0, 0
			}
			pos, acc, nacc, hh = arenaCopy(b, pos, acc, nacc, hh, start, end)
			bh = arenaFinish(b, pos, acc, nacc, hh, total)
		}
		t.buf = t.buf[:bs+total]
		t.spans = append(t.spans, span{int32(bs), int32(bs + total), int32(st.prev), bh})
	}
	st.prev = idx
	if isNeg {
		st.neg = true
	}
}

// negationKey is [NegationPrefix] as a little-endian word (see loadKey).
var negationKey = stringKey(NegationPrefix)

// storePair stores a token of n bytes (1 to 16) held in the words w0 and
// w1 (little-endian, zero beyond the token) at b[pos:], which has 16
// bytes of room, and returns its hash as hashArena gives it.
func storePair(b []byte, pos int, w0, w1 uint64, n int) uint64 {
	binary.LittleEndian.PutUint64(b[pos:pos+8], w0)
	binary.LittleEndian.PutUint64(b[pos+8:pos+16], w1)
	h := hashStep(hashSeed, w0)
	if n > 8 {
		h = hashStep(h, w1)
	}
	return hashFinish(h ^ uint64(n))
}

// arenaCopy appends b[start:end] to a token being written at b[pos:],
// 8 bytes at a time, and hashes it as [hashArena] would: acc holds the
// nacc (0 to 7) bytes not yet stored, little-endian, and h the hash of
// the words stored. The bytes wait in a register so that the stores are
// whole words and nothing just stored is read back, which would stall on
// store forwarding when the pieces are not 8-byte aligned. b is the arena
// up to its capacity: 8 bytes must follow end and the token. Each source
// word is read before the store that could overwrite it, so the token may
// be b[start:end] moved right in place.
func arenaCopy(b []byte, pos int, acc uint64, nacc uint, h uint64, start, end int) (int, uint64, uint, uint64) {
	for start < end {
		v := binary.LittleEndian.Uint64(b[start : start+8])
		c := uint(8)
		if end-start < 8 {
			c = uint(end - start)
			v &= ^uint64(0) >> (64 - 8*c)
		}
		start += 8
		acc |= v << (8 * nacc)
		if nacc+c < 8 {
			nacc += c
			continue
		}
		binary.LittleEndian.PutUint64(b[pos:pos+8], acc)
		h = hashStep(h, acc)
		pos += 8
		acc = v >> (8 * (8 - nacc)) // 0 when nacc is 0 (a shift by 64)
		nacc = nacc + c - 8
	}
	return pos, acc, nacc, h
}

// arenaFinish stores the pending bytes of a token written by arenaCopy
// and returns the hash of the token of n bytes.
func arenaFinish(b []byte, pos int, acc uint64, nacc uint, h uint64, n int) uint64 {
	if nacc > 0 {
		binary.LittleEndian.PutUint64(b[pos:pos+8], acc)
		h = hashStep(h, acc)
	}
	return hashFinish(h ^ uint64(n))
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

// isNegation reports whether w opens a negation scope; key is w as
// loadKey gives it when w has at most 8 bytes, else 0.
func isNegation(w []byte, key uint64) bool {
	if n := len(w); n >= 3 && w[n-1] == 't' && w[n-2] == '\'' && w[n-3] == 'n' {
		return true
	}
	return key != 0 && negations.has(key)
}

// wordSet is an immutable set of words of at most 8 bytes, each stored as
// its bytes in a little-endian word (see loadKey): a table indexed by a
// multiplicative hash whose multiplier is chosen, when the set is built,
// so that no two words share a slot. A lookup is one multiplication, one
// load and one comparison, without a branch on the table's content.
type wordSet struct {
	mul   uint64
	table [512]uint64
}

func newWordSet(words ...string) *wordSet {
	s := &wordSet{}
	keys := make([]uint64, len(words))
	for i, w := range words {
		if len(w) == 0 || len(w) > 8 {
			panic("classify: set word " + w + " is not 1 to 8 bytes")
		}
		keys[i] = stringKey(w)
	}
	// Odd multipliers from a fixed sequence: the first that spreads the
	// words without collision (some hundred tries at most for 100 words).
	for mul := uint64(hashMul1); ; mul += hashSeed {
		s.mul = mul | 1
		clear(s.table[:])
		ok := true
		for _, k := range keys {
			i := s.slot(k)
			if s.table[i] != 0 && s.table[i] != k {
				ok = false
				break
			}
			s.table[i] = k
		}
		if ok {
			return s
		}
	}
}

func (s *wordSet) slot(k uint64) uint64 { return (k * s.mul) >> (64 - 9) }

// has reports whether the word with key k is in the set.
func (s *wordSet) has(k uint64) bool { return s.table[s.slot(k)] == k && k != 0 }

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
