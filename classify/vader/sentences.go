package vader

import (
	"strings"
	"unicode/utf8"
)

// Analyze returns the scores of the whole text, as [Analyzer.PolarityScores]
// does, and the mean compound of its sentences.
//
// Use the whole-text Compound to rate one short comment, or to reproduce
// vaderSentiment. It normalises the sum of all word valences, so it
// saturates toward ±1 as a text grows: a long comment with mild wording
// scores as extreme as a short outburst. Use the sentence mean to compare
// comments of very different lengths, or to rank long comments: each
// sentence is scored on its own (as the VADER authors advise) and the
// compounds are averaged, so length does not push the score to the ends.
//
// Sentences end at a run of '.', '!' or '?' followed by whitespace or the
// end of the text (closing quotes and brackets stay with the sentence) and
// at line breaks, so "3.5" and "U.S.A" do not split (but "U.S. officials"
// does). Each sentence is scored exactly as PolarityScores would score it
// alone. Sentences without words are skipped; a text without any has a
// sentence mean of 0. The mean is rounded to 4 decimals, like Compound.
func (a *Analyzer) Analyze(text string) (Scores, float64) {
	st := a.pool.Get().(*scratch)
	defer a.pool.Put(st)
	if len(text) > maxText {
		text = text[:maxText]
	}
	whole, clean := a.score(st, text)
	if len(st.toks) == 0 {
		return whole, 0
	}
	sum, n := 0.0, 0
	if clean != text {
		// Emoji were replaced, so token offsets are not offsets in text:
		// score each sentence from scratch (rare).
		forEachSentence(text, func(lo, hi int) {
			if !hasWord(text[lo:hi]) {
				return
			}
			c := whole.Compound
			if hi-lo != len(text) {
				sc, _ := a.score(st, text[lo:hi])
				c = sc.Compound
			}
			sum += c
			n++
		})
	} else {
		// Sentence boundaries fall on whitespace, hence between tokens:
		// find them from the tokens and score each sentence on its run of
		// the whole text's tokens.
		toks, lex := st.toks, st.lex
		last := len(toks) - 1
		k0, j0 := 0, 0 // the sentence's first token and first lexicon word (in lex)
		for _, g := range st.sentenceEnds(text) {
			k := int(g)
			c := whole.Compound
			if k0 > 0 || k != last {
				sub := toks[k0 : k+1]
				j1 := j0
				for j1 < len(lex) && int(lex[j1]) <= k {
					j1++
				}
				bi := -1
				if st.but >= 0 && st.but <= k { // a "but" at or before k
					for i := range sub {
						if sub[i].flags&fBut != 0 {
							bi = i
							break
						}
					}
				}
				upper := 0
				if st.upper > 0 {
					for i := range sub {
						if sub[i].upper {
							upper++
						}
					}
				}
				sent := a.sentiments(st, sub, lex[j0:j1], k0, upper, bi)
				c = compoundOf(sent, lex[j0:j1], k0, text[sub[0].start:toks[k].end])
				j0 = j1
			}
			sum += c
			n++
			k0 = k + 1
		}
	}
	if n == 0 {
		return whole, 0
	}
	return whole, pyRound(sum/float64(n), 4)
}

// sentenceEnds returns the indexes of the tokens of st.toks, tokenized
// from text, that end a sentence: those after which endsSentence is true,
// and the last one. (A loop of its own, for the registers.)
func (st *scratch) sentenceEnds(text string) []int32 {
	toks := st.toks
	ends := st.ends[:0]
	for k := 0; k < len(toks)-1; k++ {
		// Fast path: a word ending in a letter, then one space.
		t := &toks[k]
		if class[text[t.end-1]]&(cUpper|cLower) != 0 && text[t.end] == ' ' && toks[k+1].start == t.end+1 {
			continue
		}
		if endsSentence(text, t, &toks[k+1]) {
			ends = append(ends, int32(k))
		}
	}
	ends = append(ends, int32(len(toks)-1))
	st.ends = ends
	return ends
}

// endsSentence reports whether a sentence boundary of forEachSentence
// falls between word t and the next word: t ends with '.', '!' or '?'
// (closing quotes and brackets aside), or a line break separates them.
func endsSentence(text string, t, next *token) bool {
	for e := int(t.end); e > int(t.start); {
		c := text[e-1]
		switch c {
		case '.', '!', '?':
			return true
		case '"', '\'', ')', ']', '}':
			e--
			continue
		}
		if c < utf8.RuneSelf {
			break
		}
		r, size := utf8.DecodeLastRuneInString(text[t.start:e])
		if r == utf8.RuneError || !strings.ContainsRune(closers, r) {
			break
		}
		e -= size
	}
	for i := t.end; i < next.start; i++ {
		if c := text[i]; c == '\n' || c == '\r' {
			return true
		}
	}
	return false
}

// hasWord reports whether s has a non-space character (a Python str.split
// token).
func hasWord(s string) bool {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if class[c]&cSpace == 0 {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isPySpace(r) {
			return true
		}
		i += size
	}
	return false
}

// sentenceByte marks the bytes that may end a sentence.
var sentenceByte = [256]bool{'\n': true, '\r': true, '.': true, '!': true, '?': true}

// closers may follow sentence-final punctuation within the sentence.
const closers = "\"')]}”’»"

// forEachSentence calls fn with the bounds of every sentence of text,
// including sentences without words. Every boundary is followed by
// whitespace or the end of text.
func forEachSentence(text string, fn func(lo, hi int)) {
	start := 0
	emit := func(end int) {
		if end > start {
			fn(start, end)
		}
		start = end
	}
	for i := 0; i < len(text); {
		for i < len(text) && !sentenceByte[text[i]] {
			i++
		}
		if i == len(text) {
			break
		}
		switch text[i] {
		case '\n', '\r':
			i++
			emit(i)
			continue
		case '.', '!', '?':
			j := i + 1
			for j < len(text) && (text[j] == '.' || text[j] == '!' || text[j] == '?') {
				j++
			}
			for j < len(text) {
				r, size := utf8.DecodeRuneInString(text[j:])
				if r == utf8.RuneError || !strings.ContainsRune(closers, r) {
					break
				}
				j += size
			}
			i = j
			if j == len(text) {
				emit(j)
				continue
			}
			if r, _ := utf8.DecodeRuneInString(text[j:]); isPySpace(r) {
				emit(j)
			}
			continue
		}
		i++
	}
	if start < len(text) {
		emit(len(text))
	}
}

// compoundOf is the rounded compound of scoreValence alone.
func compoundOf(sent []float64, lex []int32, off int, text string) float64 {
	sum := 0.0
	for _, g := range lex {
		sum += sent[int(g)-off]
	}
	if sum > 0 {
		sum += punctuationEmphasis(text)
	} else if sum < 0 {
		sum -= punctuationEmphasis(text)
	}
	return pyRound(normalize(sum), 4)
}
