package vader

import (
	"math"
	"strings"
	"testing"
	"unicode/utf8"
)

// refWords is a plain reference for the tokenizer: Python's str.split(),
// _strip_punc_if_word, str.lower() and str.isupper(), written the slow and
// obvious way.
func refWords(text string) (words []string, upper []bool) {
	const punct = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
	for _, w := range strings.FieldsFunc(text, isPySpace) {
		if s := strings.Trim(w, punct); utf8.RuneCountInString(s) > 2 {
			w = s
		}
		lw, up := lowerUnicode(nil, w)
		words = append(words, string(lw))
		upper = append(upper, up)
	}
	return words, upper
}

// FuzzPolarity checks that any text scores without panic, with finite
// scores in range, proportions summing to 1 (or all 0 for a text without
// words), deterministic results and a sentence mean in [-1, 1].
func FuzzPolarity(f *testing.F) {
	for _, s := range []string{"", "good", "Not BAD at all!!", "😀💔", ":) but :(", "kind of the shit\nbus stop"} {
		f.Add(s)
	}
	a := New()
	f.Fuzz(func(t *testing.T, text string) {
		// The optimised tokenizer agrees with the reference.
		st := new(scratch)
		toks := a.tokenize(st, text)
		words, upper := refWords(text)
		if len(toks) != len(words) {
			t.Fatalf("tokenize(%q): %d tokens, reference has %d", text, len(toks), len(words))
		}
		for i := range toks {
			if w := string(st.word(&toks[i])); w != words[i] || toks[i].upper != upper[i] {
				t.Fatalf("tokenize(%q) token %d = %q (upper %v), reference %q (upper %v)",
					text, i, w, toks[i].upper, words[i], upper[i])
			}
			if wi := loadTables().words[words[i]]; wi != toks[i].wordInfo {
				t.Fatalf("tokenize(%q) token %d %q: info %+v, want %+v", text, i, words[i], toks[i].wordInfo, wi)
			}
		}

		s := a.PolarityScores(text)
		for _, v := range []float64{s.Neg, s.Neu, s.Pos, s.Compound} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("PolarityScores(%q) = %+v: not finite", text, s)
			}
		}
		if s.Neg < 0 || s.Neu < 0 || s.Pos < 0 || s.Neg > 1 || s.Neu > 1 || s.Pos > 1 {
			t.Fatalf("PolarityScores(%q) = %+v: proportion out of [0, 1]", text, s)
		}
		if s.Compound < -1 || s.Compound > 1 {
			t.Fatalf("PolarityScores(%q) = %+v: compound out of [-1, 1]", text, s)
		}
		sum := s.Neg + s.Neu + s.Pos
		if sum != 0 && math.Abs(sum-1) > 0.002 {
			t.Fatalf("PolarityScores(%q) = %+v: proportions sum to %v", text, s, sum)
		}
		if sum == 0 && s.Compound != 0 {
			t.Fatalf("PolarityScores(%q) = %+v: compound without words", text, s)
		}
		if again := a.PolarityScores(text); again != s {
			t.Fatalf("PolarityScores(%q) not deterministic: %+v then %+v", text, s, again)
		}
		w, m := a.Analyze(text)
		if w != s {
			t.Fatalf("Analyze(%q) whole = %+v, want %+v", text, w, s)
		}
		if math.IsNaN(m) || m < -1 || m > 1 {
			t.Fatalf("Analyze(%q) sentence mean = %v", text, m)
		}
		// The sentence mean equals the mean of each sentence scored alone.
		sum, n := 0.0, 0
		forEachSentence(text, func(lo, hi int) {
			if hasWord(text[lo:hi]) {
				sum += a.PolarityScores(text[lo:hi]).Compound
				n++
			}
		})
		if n > 0 && m != pyRound(sum/float64(n), 4) {
			t.Fatalf("Analyze(%q) sentence mean = %v, sentences alone give %v", text, m, pyRound(sum/float64(n), 4))
		}
		if utf8.ValidString(text) && Label(s.Compound) == "" {
			t.Fatalf("empty label")
		}
	})
}
