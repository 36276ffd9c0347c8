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
// at line breaks, so "3.5" and "U.S.A" do not split. Sentences without
// words are skipped; a text without any has a sentence mean of 0. The mean
// is rounded to 4 decimals, like Compound.
func (a *Analyzer) Analyze(text string) (Scores, float64) {
	st := a.pool.Get().(*scratch)
	defer a.pool.Put(st)
	whole, _ := a.score(st, text)
	sum, n := 0.0, 0
	forEachSentence(text, func(s string) {
		c := whole.Compound
		if len(s) != len(text) {
			sc, _ := a.score(st, s)
			c = sc.Compound
		}
		sum += c
		n++
	})
	if n == 0 {
		return whole, 0
	}
	return whole, pyRound(sum/float64(n), 4)
}

// hasWord reports whether s has a non-space character (a Python str.split
// token).
func hasWord(s string) bool {
	for _, r := range s {
		if !isPySpace(r) {
			return true
		}
	}
	return false
}

// closers may follow sentence-final punctuation within the sentence.
const closers = "\"')]}”’»"

// forEachSentence calls fn with every sentence of text that has a word.
func forEachSentence(text string, fn func(string)) {
	start := 0
	emit := func(end int) {
		s := text[start:end]
		start = end
		if hasWord(s) {
			fn(s)
		}
	}
	for i := 0; i < len(text); {
		c := text[i]
		switch c {
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
			if j == len(text) {
				i = j
				emit(j)
				continue
			}
			if r, _ := utf8.DecodeRuneInString(text[j:]); isPySpace(r) {
				i = j
				emit(j)
				continue
			}
			i = j
			continue
		}
		i++
	}
	if start < len(text) {
		emit(len(text))
	}
}
