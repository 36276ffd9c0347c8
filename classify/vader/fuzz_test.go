package vader

import (
	"math"
	"testing"
	"unicode/utf8"
)

// FuzzPolarity checks that any text scores without panic, with finite
// scores in range, proportions summing to 1 (or all 0 for a text without
// words), deterministic results and a sentence mean in [-1, 1].
func FuzzPolarity(f *testing.F) {
	for _, s := range []string{"", "good", "Not BAD at all!!", "😀💔", ":) but :(", "kind of the shit\nbus stop"} {
		f.Add(s)
	}
	a := New()
	f.Fuzz(func(t *testing.T, text string) {
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
		if utf8.ValidString(text) && Label(s.Compound) == "" {
			t.Fatalf("empty label")
		}
	})
}
