package classify

// refTokenizer is a verbatim copy of the refTokenizer before the bigram and
// negation tokens were built in registers (only the type renamed): the
// reference of the differential tests, which require the same tokens for
// every option combination.

import (
	"encoding/binary"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

type refTokenizer struct {
	negation, bigrams, stopwords bool
	plain                        bool // none of the three
	simple                       bool // neither negation nor bigrams

	buf   []byte
	spans []span

	// mark is the state at the start of the current space-delimited
	// chunk, restored when the chunk turns out to be an e-mail or URL.
	mark    chunkMark
	dropped bool
}

// newRefTokenizer returns a tokenizer with the token options of opt
// (Negation, Bigrams, Stopwords).
func newRefTokenizer(opt Options) *refTokenizer {
	return &refTokenizer{negation: opt.Negation, bigrams: opt.Bigrams, stopwords: opt.Stopwords,
		plain: !opt.Negation && !opt.Bigrams && !opt.Stopwords, simple: !opt.Negation && !opt.Bigrams}
}

// Len returns the number of tokens of the last Tokenize call.
func (t *refTokenizer) Len() int { return len(t.spans) }

// Token returns token i of the last Tokenize call. The slice is valid until
// the next call to Tokenize and must not be modified.
func (t *refTokenizer) Token(i int) []byte {
	s := t.spans[i]
	return t.buf[s.start:s.end:s.end]
}

// Tokens returns the tokens of the last Tokenize call as new strings.
func (t *refTokenizer) Tokens() []string {
	out := make([]string, len(t.spans))
	for i := range t.spans {
		out[i] = string(t.Token(i))
	}
	return out
}

// Tokenize splits text and returns the number of tokens, which are then
// read with [refTokenizer.Token]. Unigrams come in text order; with bigrams,
func (t *refTokenizer) Tokenize(text string) int {
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
			if j := t.fastWord(text, i, &st); j >= 0 {
				i = j
				continue
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

// fastWord is the tokenizer's fast path: a word of ASCII letters and
// digits at text[i] ended by an ASCII byte that cannot continue it, read,
// lower-cased and hashed 8 bytes at a time, then emitted; a space after it
// is taken too. It returns the index after them, or -1, with nothing
// done, for anything else (the end of the text within 8 bytes, an
// apostrophe, an accent, an e-mail address or URL...), which is left to
// word.
func (t *refTokenizer) fastWord(text string, i int, st *clauseState) int {
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

// dropChunk removes the tokens of the current chunk, an e-mail address or
// URL found in the middle of a word.
func (t *refTokenizer) dropChunk(st *clauseState) {
	t.dropped = false
	if t.mark.spans <= len(t.spans) && t.mark.buf <= len(t.buf) {
		t.spans = t.spans[:t.mark.spans]
		t.buf = t.buf[:t.mark.buf]
		*st = t.mark.st
	}
}

// MaxTokenizeBytes is the longest text Tokenize reads; the rest of a
func (t *refTokenizer) word(text string, i int, st *clauseState) int {
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

func (t *refTokenizer) spare() {
	if cap(t.buf)-len(t.buf) < 8 {
		t.buf = slices.Grow(t.buf, max(64, len(t.buf))+8)
	}
}

// asciiRun appends the lower case of the run of ASCII letters and digits
// at text[i] to the arena, 8 bytes at a time, and returns the index after
// it.
func (t *refTokenizer) asciiRun(text string, i int) int {
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

func (t *refTokenizer) emit(start int, st *clauseState) {
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
func (t *refTokenizer) emitWord(start int, key, h uint64, st *clauseState) {
	end := len(t.buf)
	isNeg := t.negation && isNegation(t.buf[start:end], key)
	if t.stopwords && !isNeg && key != 0 && stopwords.has(key) {
		t.buf = t.buf[:start]
		return
	}
	if st.neg && !isNeg {
		t.buf = append(t.buf, NegationPrefix...)
		copy(t.buf[start+len(NegationPrefix):], t.buf[start:end])
		copy(t.buf[start:], NegationPrefix)
		t.spare()
		end = len(t.buf)
		h = hashArena(t.buf, start, end)
	}
	cur := span{int32(start), int32(end), -1, h}
	t.spans = append(t.spans, cur)
	idx := len(t.spans) - 1
	if t.bigrams && st.prev >= 0 {
		p := t.spans[st.prev]
		bs := len(t.buf)
		t.buf = append(t.buf, t.buf[p.start:p.end]...)
		t.buf = append(t.buf, ' ')
		t.buf = append(t.buf, t.buf[cur.start:cur.end]...)
		t.spare()
		be := len(t.buf)
		t.spans = append(t.spans, span{int32(bs), int32(be), int32(st.prev), hashArena(t.buf, bs, be)})
	}
	st.prev = idx
	if isNeg {
		st.neg = true
	}
}
