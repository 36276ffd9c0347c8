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

// A word takes character n-grams when it has at most maxCharGramWordBytes
// bytes and, with its two edge marks, fewer than maxCharGramWordRunes
// runes: a longer "word" is a run of digits or a hash.
const (
	maxCharGramWordBytes = 254
	maxCharGramWordRunes = 63
)

// gramWord is a word with its edge marks ("<good>") and the offsets of
// its runes, from which its character n-grams are cut.
type gramWord struct {
	b    [maxCharGramWordBytes + 2]byte // the word and its marks
	offs [maxCharGramWordRunes + 1]int32
	n    int // its runes (the marks included): offs[:n+1] bound them
}

// set makes g the marked word, and reports whether the word takes
// n-grams.
func (g *gramWord) set(word []byte) bool {
	g.n = 0
	if len(word) > maxCharGramWordBytes {
		return false // a very long "word" (a run of digits, a hash)
	}
	g.b[0] = '<'
	copy(g.b[1:], word)
	g.b[len(word)+1] = '>'
	w := g.b[:len(word)+2]
	n := 0
	for j := 0; j < len(w) && n < maxCharGramWordRunes; {
		g.offs[n] = int32(j)
		n++
		if w[j] < utf8.RuneSelf {
			j++
		} else {
			_, size := utf8.DecodeRune(w[j:])
			j += size
		}
	}
	if n >= maxCharGramWordRunes {
		return false
	}
	g.offs[n] = int32(len(w))
	g.n = n
	return true
}

// gram returns the n-gram of l runes at rune a (a+l <= g.n).
func (g *gramWord) gram(a, l int) []byte { return g.b[g.offs[a]:g.offs[a+l]] }

// gramCount returns the number of character n-grams of lengths 3 to
// longest that charGramsOf makes of word: those of the gramWord set to it,
// counted without cutting them.
func gramCount(word []byte, longest int) int {
	if len(word) > maxCharGramWordBytes {
		return 0
	}
	n := utf8.RuneCount(word) + 2 // the edge marks
	if n >= maxCharGramWordRunes {
		return 0
	}
	c := 0
	for l := 3; l <= longest; l++ {
		c += max(n-l+1, 0)
	}
	return c
}

// charGramsOf appends the character n-grams of the word of span i.
func (t *Tokenizer) charGramsOf(i int) {
	sp := t.spans[i]
	var g gramWord
	if !g.set(t.buf[sp.start:sp.end]) {
		return
	}
	for l := 3; l <= t.charGrams; l++ {
		for a := 0; a+l <= g.n; a++ {
			start := len(t.buf)
			t.buf = append(t.buf, CharGramPrefix...)
			t.buf = append(t.buf, g.gram(a, l)...)
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
