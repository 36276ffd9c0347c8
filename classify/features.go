package classify

import (
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"
)

// StructureTokens are the tokens that [Options.Structure] adds to a
// document, one of each that applies. The length token is "#len" followed by
// the bit length of the number of word tokens (#len0 for none, #len1 for
// one, #len2 for two or three, #len3 for four to seven...), so that short
// and long documents can lean to different classes. The others mark a
// question mark, an exclamation mark, a quotation mark (straight or
// typographic), a link (http://, https://, www.), an @mention and a word of
// two or more letters all in capitals. No word token can be spelled like
// them, since the tokenizer splits words at '#', but with [Options.Tags] a
// hashtag token can ("#question" counts with the structure token).
var StructureTokens = []string{"#len", "#question", "#exclaim", "#quote", "#link", "#mention", "#caps"}

// CharGramPrefix begins every character n-gram token of [Options.CharGrams]:
// the word "good" with CharGrams 4 gives "~<go", "~goo", "~ood", "~od>",
// "~<goo", "~good", "~ood>", where < and > mark the word's edges. The
// n-grams count runes, not bytes.
const CharGramPrefix = "~"

// maxCharGrams bounds [Options.CharGrams].
const maxCharGrams = 6

// addFeatures appends the structure tokens and character n-grams of text
// (whose words are the tokenizer's spans) to the tokens.
func (t *Tokenizer) addFeatures(text string) {
	nw := len(t.spans)
	if t.charGrams > 0 {
		for i := range nw {
			if t.spans[i].first < 0 {
				t.charGramsOf(i)
			}
		}
	}
	if t.structure {
		words := 0
		for _, sp := range t.spans[:nw] {
			if sp.first < 0 {
				words++
			}
		}
		t.appendToken("#len", byte('0'+bits.Len(uint(min(words, 1<<9)))))
		if strings.IndexByte(text, '?') >= 0 {
			t.appendToken("#question", 0)
		}
		if strings.IndexByte(text, '!') >= 0 {
			t.appendToken("#exclaim", 0)
		}
		if strings.IndexByte(text, '"') >= 0 || strings.Contains(text, "\u201c") || strings.Contains(text, "\u201d") {
			t.appendToken("#quote", 0)
		}
		if strings.Contains(text, "http://") || strings.Contains(text, "https://") || strings.Contains(text, "www.") {
			t.appendToken("#link", 0)
		}
		if hasMention(text) {
			t.appendToken("#mention", 0)
		}
		if hasCapsWord(text) {
			t.appendToken("#caps", 0)
		}
	}
	if t.target != "" {
		t.conjoin(t.target)
	}
}

// MaxTargetBytes bounds the prefix that [TargetOf] reads as a target.
const MaxTargetBytes = 64

// TargetOf returns the target of a document for [Options.PerTarget]: the
// text before its first ": ", when that comes within the first
// [MaxTargetBytes] bytes, on the first line, and holds a letter or digit,
// lower-cased, with each run of other characters made one '_' and none at
// either end: "Hillary Clinton: ..." has the target "hillary_clinton".
// It returns "" for a text without one.
func TargetOf(text string) string {
	target, _ := splitTarget(text)
	return target
}

// splitTarget returns the target of text (see [TargetOf]) and the text
// after it; "" and text when it has none.
func splitTarget(text string) (target, rest string) {
	i := strings.Index(text[:min(len(text), MaxTargetBytes+2)], ": ")
	if i <= 0 || i > MaxTargetBytes || strings.IndexByte(text[:i], '\n') >= 0 {
		return "", text
	}
	var b strings.Builder
	sep := false
	for _, r := range text[:i] {
		if !isWordRune(r) {
			sep = b.Len() > 0
			continue
		}
		if sep {
			b.WriteByte('_')
			sep = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	if b.Len() == 0 {
		return "", text
	}
	return b.String(), text[i+2:]
}

// TargetSep joins a target and a token in the tokens of
// [Options.PerTarget]: "atheism|god". No other token holds it.
const TargetSep = '|'

// conjoin appends every token so far again, conjoined with the target,
// and the target's own token (the target followed by [TargetSep]).
func (t *Tokenizer) conjoin(target string) {
	n := len(t.spans)
	t.conj = n
	for i := range n + 1 {
		if i == n {
			t.appendToken(target, TargetSep)
			break
		}
		sp := t.spans[i]
		start := len(t.buf)
		t.buf = append(t.buf, target...)
		t.buf = append(t.buf, TargetSep)
		if sp.first >= 0 && sp.start == sp.end {
			// A bigram whose bytes are left out (pairs): spell it.
			a, b := t.spans[sp.first], t.spans[i-1]
			t.buf = append(t.buf, t.buf[a.start:a.end]...)
			t.buf = append(t.buf, ' ')
			t.buf = append(t.buf, t.buf[b.start:b.end]...)
		} else {
			t.buf = append(t.buf, t.buf[sp.start:sp.end]...)
		}
		t.spare()
		end := len(t.buf)
		t.spans = append(t.spans, span{int32(start), int32(end), -1, hashArena(t.buf, start, end)})
	}
}

// appendToken appends the token s, followed by the byte c unless it is 0.
func (t *Tokenizer) appendToken(s string, c byte) {
	start := len(t.buf)
	t.buf = append(t.buf, s...)
	if c != 0 {
		t.buf = append(t.buf, c)
	}
	t.spare()
	end := len(t.buf)
	t.spans = append(t.spans, span{int32(start), int32(end), -1, hashArena(t.buf, start, end)})
}

// charGramsOf appends the character n-grams of the word of span i.
func (t *Tokenizer) charGramsOf(i int) {
	sp := t.spans[i]
	// The word with its edge marks, as rune offsets into a small buffer.
	var offs [64]int32
	var wb [256]byte
	w := wb[:0]
	w = append(w, '<')
	if int(sp.end-sp.start) > len(wb)-2 {
		return // a very long "word" (a run of digits, a hash): no n-grams
	}
	w = append(w, t.buf[sp.start:sp.end]...)
	w = append(w, '>')
	n := 0
	for j := 0; j < len(w) && n < len(offs)-1; {
		offs[n] = int32(j)
		n++
		if w[j] < utf8.RuneSelf {
			j++
		} else {
			_, size := utf8.DecodeRune(w[j:])
			j += size
		}
	}
	if n >= len(offs)-1 {
		return
	}
	offs[n] = int32(len(w))
	for g := 3; g <= t.charGrams; g++ {
		for a := 0; a+g <= n; a++ {
			start := len(t.buf)
			t.buf = append(t.buf, CharGramPrefix...)
			t.buf = append(t.buf, w[offs[a]:offs[a+g]]...)
			t.spare()
			end := len(t.buf)
			t.spans = append(t.spans, span{int32(start), int32(end), -1, hashArena(t.buf, start, end)})
		}
	}
}

// hasMention reports whether text has an @ that begins a name (after a
// space or at the start, followed by a letter, digit or _).
func hasMention(text string) bool {
	for i := strings.IndexByte(text, '@'); i >= 0; {
		if (i == 0 || text[i-1] == ' ' || text[i-1] == '\n' || text[i-1] == '\t' || text[i-1] == '(') &&
			i+1 < len(text) && (text[i+1] == '_' || isLetterAt(text, i+1) || text[i+1] >= '0' && text[i+1] <= '9') {
			return true
		}
		j := strings.IndexByte(text[i+1:], '@')
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}

// hasCapsWord reports whether text has a word of two or more letters, all
// upper case.
func hasCapsWord(text string) bool {
	run, upper := 0, true
	for _, r := range text {
		if unicode.IsLetter(r) {
			run++
			if !unicode.IsUpper(r) {
				upper = false
			}
			continue
		}
		if r == '\'' && run > 0 {
			continue
		}
		if run >= 2 && upper {
			return true
		}
		run, upper = 0, true
	}
	return run >= 2 && upper
}
