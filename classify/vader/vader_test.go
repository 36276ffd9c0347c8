package vader

import (
	"math"
	"math/rand"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"
)

// lex returns the lexicon valence of w, failing the test if w is not in
// the lexicon.
func lex(t *testing.T, w string) float64 {
	t.Helper()
	wi, ok := loadTables().words[w]
	if !ok || wi.flags&fLex == 0 {
		t.Fatalf("%q is not in the lexicon", w)
	}
	return wi.valence
}

// valences returns the per-word valences of text after all rules,
// including "but", before punctuation emphasis and normalisation.
func valences(a *Analyzer, text string) []float64 {
	st := new(scratch)
	text = a.replaceEmoji(st, text)
	toks := a.tokenize(st, text)
	if len(toks) == 0 {
		return nil
	}
	st.index()
	return append([]float64(nil), a.sentiments(st, toks, st.lex, 0, st.upper, st.but)...)
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func sameValences(got, want []float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if !near(got[i], want[i]) {
			return false
		}
	}
	return true
}

// TestRules checks each rule of vaderSentiment 3.3.2 on a minimal text,
// with the expected valences derived by hand from the rule and the
// lexicon values.
func TestRules(t *testing.T) {
	a := New()
	good, bad, great := lex(t, "good"), lex(t, "bad"), lex(t, "great")
	cases := []struct {
		name string
		text string
		want []float64
	}{
		{"plain", "good", []float64{good}},
		{"case folded", "Good", []float64{good}},
		{"booster", "very good", []float64{0, good + bIncr}},
		{"booster negative word", "very bad", []float64{0, bad - bIncr}},
		{"dampener", "slightly good", []float64{0, good + bDecr}},
		{"booster two back", "very much good", []float64{0, 0, good + bIncr*0.95}},
		{"booster three back", "very much so good", []float64{0, 0, 0, (good + bIncr*0.9 + bIncr) * 1.25}},
		{"caps differential", "GOOD day", []float64{good + cIncr, 0}},
		{"caps everywhere is no emphasis", "GOOD DAY", []float64{good, 0}},
		{"caps booster", "VERY good day", []float64{0, good + bIncr + cIncr, 0}},
		{"negation", "not good", []float64{0, good * nScalar}},
		{"negation n't", "isn't good", []float64{0, good * nScalar}},
		{"negation n't unlisted", "mayn't good", []float64{0, good * nScalar}},
		{"negation two back", "not very good", []float64{0, 0, (good + bIncr) * nScalar}},
		{"negation two and three back", "not a nice good", []float64{0, 0, lex(t, "nice") * nScalar, good * nScalar}},
		{"no before lexicon word", "no good", []float64{0, good * nScalar}},
		{"no alone", "no", []float64{lex(t, "no")}},
		{"but", "good but bad", []float64{good * 0.5, 0, bad * 1.5}},
		{"but case folded", "good BUT bad", []float64{good * 0.5, 0, bad * 1.5}},
		// list.index finds the first equal element. The first "good" is
		// halved before the second is looked up, so the second is found at
		// its own place and scaled by 1.5.
		{"but repeated word", "good but good", []float64{good * 0.5, 0, good * 1.5}},
		// Quirk kept: after "acceptance" (2.0) is halved to 1.0, "alright"
		// (1.0) is found at index 0 instead of its own place, so the first
		// word is halved again and "alright" is not scaled.
		{"but list.index quirk", "acceptance but alright", []float64{lex(t, "acceptance") * 0.25, 0, lex(t, "alright")}},
		{"least", "least good", []float64{0, good * nScalar}},
		{"at least", "at least good", []float64{0, 0, good}},
		{"very least", "very least good", []float64{0, 0, good + bIncr*0.95}}, // "very" still boosts
		{"never so", "never so good", []float64{0, 0, (good + bIncr) * 1.25}},
		{"never this", "never this good", []float64{0, 0, good * 1.25}},
		{"never", "never good", []float64{0, good * nScalar}},
		{"without doubt", "without doubt good", []float64{0, lex(t, "doubt") * nScalar, good}},
		{"kind of is a dampener", "it was kind of good", []float64{0, 0, 0, 0, good + bDecr}},
		{"kind alone", "kind", []float64{lex(t, "kind")}},
		{"idiom the shit", "this is the shit", []float64{0, 0, 0, 3}},
		{"idiom bus stop", "we waited at the bus stop", []float64{0, 0, 0, 0, 0, 0}},
		{"idiom broken heart", "she has a broken heart", []float64{0, 0, 0, -2.9, -2.9}},
		{"idiom beating heart", "i have a beating heart", []float64{0, 0, 0, 3.1, 3.1}},
		{"heart is in the lexicon", "heart", []float64{lex(t, "heart")}},
		{"emoticon", ":)", []float64{lex(t, ":)")}},
		{"emoticon kept when stripping leaves <= 2 chars", ":-)", []float64{lex(t, ":-)")}},
		{"punctuation stripped", "(good),", []float64{good}},
		{"multi-line text splits on newlines", "good\nbad\tgreat", []float64{good, bad, great}},
		{"unicode whitespace", "good\u00a0bad\u2003great", []float64{good, bad, great}},
	}
	for _, c := range cases {
		got := valences(a, c.text)
		if !sameValences(got, c.want) {
			t.Errorf("%s: valences(%q) = %v, want %v", c.name, c.text, got, c.want)
		}
	}
}

// TestPunctuationEmphasis checks '!' (at most 4) and '?' (2 or more).
func TestPunctuationEmphasis(t *testing.T) {
	a := New()
	good := lex(t, "good")
	cases := []struct {
		text string
		sum  float64
	}{
		{"good", good},
		{"good!", good + 0.292},
		{"good!!", good + 2*0.292},
		{"good!!!!!!!", good + 4*0.292},
		{"good?", good},
		{"good??", good + 2*0.18},
		{"good???", good + 3*0.18},
		{"good?????", good + 0.96},
		{"bad!", lex(t, "bad") - 0.292},
	}
	for _, c := range cases {
		got := a.PolarityScores(c.text).Compound
		want := pyRound(normalize(c.sum), 4)
		if got != want {
			t.Errorf("PolarityScores(%q).Compound = %v, want %v", c.text, got, want)
		}
	}
}

// TestProportions checks neg/neu/pos on a hand-computed example:
// "good but bad day!" has valences 0.95, 0, -3.75, 0 and one '!'.
func TestProportions(t *testing.T) {
	a := New()
	good, bad := lex(t, "good"), lex(t, "bad")
	pos := good*0.5 + 1
	neg := bad*1.5 - 1
	amp := 0.292
	neg -= amp // |neg| > pos: the emphasis goes to the negative side
	total := pos + math.Abs(neg) + 2
	want := Scores{
		Neg:      pyRound(math.Abs(neg)/total, 3),
		Neu:      pyRound(2/total, 3),
		Pos:      pyRound(pos/total, 3),
		Compound: pyRound(normalize(good*0.5+bad*1.5-amp), 4),
	}
	if got := a.PolarityScores("good but bad day!"); got != want {
		t.Errorf("PolarityScores = %+v, want %+v", got, want)
	}
}

// TestEmoji checks that emoji are replaced by their descriptions, with the
// reference's spacing (a space before, none after).
func TestEmoji(t *testing.T) {
	a := New()
	cases := []struct{ emoji, text string }{
		{"😀", "grinning face"},
		{"I love it 😀", "I love it grinning face"},
		{"so sad😢", "so sad crying face"},
		{"😀good", "grinning facegood"},
		{"💋💋", "kiss mark kiss mark"},
	}
	for _, c := range cases {
		got, want := a.PolarityScores(c.emoji), a.PolarityScores(c.text)
		if got != want {
			t.Errorf("PolarityScores(%q) = %+v, want %+v as for %q", c.emoji, got, want, c.text)
		}
	}
	if s := a.PolarityScores("😀"); s.Compound <= 0 {
		t.Errorf("PolarityScores(grinning face emoji).Compound = %v, want > 0", s.Compound)
	}
	if s := a.PolarityScores("😢"); s.Compound >= 0 {
		t.Errorf("PolarityScores(crying face emoji).Compound = %v, want < 0", s.Compound)
	}
}

// TestEmpty checks texts without words: all zero, neutral, no NaN.
func TestEmpty(t *testing.T) {
	a := New()
	for _, text := range []string{"", " ", "\n\t \u00a0", "\u2003"} {
		s := a.PolarityScores(text)
		if s != (Scores{}) {
			t.Errorf("PolarityScores(%q) = %+v, want all zero", text, s)
		}
		if l := Label(s.Compound); l != "neutral" {
			t.Errorf("Label of %q = %q, want neutral", text, l)
		}
		w, m := a.Analyze(text)
		if w != (Scores{}) || m != 0 {
			t.Errorf("Analyze(%q) = %+v, %v, want zero", text, w, m)
		}
	}
	// Words without sentiment: fully neutral.
	if s := a.PolarityScores("the table ..."); s != (Scores{Neu: 1}) {
		t.Errorf("PolarityScores(neutral words) = %+v, want Neu 1", s)
	}
}

// TestLabel checks the thresholds.
func TestLabel(t *testing.T) {
	cases := []struct {
		c    float64
		want string
	}{
		{1, "positive"}, {0.05, "positive"}, {0.0499, "neutral"}, {0, "neutral"},
		{-0.0499, "neutral"}, {-0.05, "negative"}, {-1, "negative"},
	}
	for _, c := range cases {
		if got := Label(c.c); got != c.want {
			t.Errorf("Label(%v) = %q, want %q", c.c, got, c.want)
		}
	}
}

// TestPyRound checks Python's round() semantics: nearest decimal of the
// exact binary value, ties to even only on exact ties.
func TestPyRound(t *testing.T) {
	cases := []struct {
		x    float64
		nd   int
		want float64
	}{
		{0.4404, 4, 0.4404},
		{0.12345, 4, 0.1235}, // 0.12345 is 0.123450000000000004... in binary
		{2.675, 2, 2.67},     // 2.67499999... in binary
		{0.0625, 3, 0.062},   // exact tie: to even
		{0.1875, 3, 0.188},   // exact tie: to even
		{-0.00004, 4, 0},
		{0.9999999, 3, 1},
	}
	for _, c := range cases {
		if got := pyRound(c.x, c.nd); got != c.want {
			t.Errorf("pyRound(%v, %d) = %v, want %v", c.x, c.nd, got, c.want)
		}
	}
}

// TestAnalyzeSentenceMean checks that the sentence mean is the mean of the
// sentences' compounds and that, unlike the whole-text compound, it does not
// saturate on long texts.
func TestAnalyzeSentenceMean(t *testing.T) {
	a := New()
	text := "The plan is good. The execution is bad!\nWhat now?"
	whole, mean := a.Analyze(text)
	if whole != a.PolarityScores(text) {
		t.Errorf("Analyze whole = %+v, want PolarityScores %+v", whole, a.PolarityScores(text))
	}
	parts := []string{"The plan is good.", " The execution is bad!\n", "What now?"}
	sum := 0.0
	for _, p := range parts {
		sum += a.PolarityScores(p).Compound
	}
	if want := pyRound(sum/3, 4); mean != want {
		t.Errorf("sentence mean = %v, want %v", mean, want)
	}

	one := "This phone is good. "
	long := strings.Repeat(one, 30)
	w, m := a.Analyze(long)
	single := a.PolarityScores(one).Compound
	if w.Compound < 0.99 {
		t.Errorf("whole compound of a long positive text = %v, want saturated >= 0.99", w.Compound)
	}
	if m != single {
		t.Errorf("sentence mean of a repeated sentence = %v, want its compound %v", m, single)
	}
	// A single sentence: the mean is the compound.
	if w, m := a.Analyze("Great work!"); m != w.Compound {
		t.Errorf("single sentence: mean %v != compound %v", m, w.Compound)
	}
}

// TestSentences checks the sentence splitter.
func TestSentences(t *testing.T) {
	cases := []struct {
		text string
		want []string
	}{
		{"One. Two! Three?", []string{"One.", " Two!", " Three?"}},
		{"It cost 3.5 billion. Really?!", []string{"It cost 3.5 billion.", " Really?!"}},
		{`He said "no." Then left`, []string{`He said "no."`, " Then left"}},
		{"line one\nline two\r\n", []string{"line one\n", "line two\r"}},
		{"Wait... what", []string{"Wait...", " what"}},
		{"  ", nil},
		{"no end", []string{"no end"}},
	}
	for _, c := range cases {
		var got []string
		forEachSentence(c.text, func(lo, hi int) {
			if hasWord(c.text[lo:hi]) {
				got = append(got, c.text[lo:hi])
			}
		})
		if strings.Join(got, "|") != strings.Join(c.want, "|") || len(got) != len(c.want) {
			t.Errorf("sentences(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

// TestConcurrent scores the golden texts from many goroutines and compares
// with sequential results (run with -race).
func TestConcurrent(t *testing.T) {
	rows := readGolden(t)
	a := New()
	want := make([]Scores, len(rows))
	for i, r := range rows {
		want[i] = a.PolarityScores(r.text)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := range rows {
				j := (i + g*37) % len(rows)
				if got := a.PolarityScores(rows[j].text); got != want[j] {
					errs <- rows[j].text
					return
				}
				a.Analyze(rows[j].text)
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("concurrent score differs for %q", e)
	}
}

// TestNoAllocs checks the hot path allocates nothing, with and without
// emoji.
func TestNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under -race")
	}
	a := New()
	texts := []string{
		"The EU is a joke which is why we have Brexit. NOT good at all, but fine!!",
		"I love it 😀 but the 💔 hurts",
	}
	for _, text := range texts {
		a.PolarityScores(text) // warm the pool
		if n := testing.AllocsPerRun(100, func() { a.PolarityScores(text) }); n != 0 {
			t.Errorf("PolarityScores(%q): %v allocs per call, want 0", text, n)
		}
		if n := testing.AllocsPerRun(100, func() { a.Analyze(text) }); n != 0 {
			t.Errorf("Analyze(%q): %v allocs per call, want 0", text, n)
		}
	}
}

// butCheckLinear is the plain list.index simulation, for comparison.
func butCheckLinear(bi int, sent []float64) {
	for k := range sent {
		s := sent[k]
		if s == 0 {
			continue
		}
		si := 0
		for sent[si] != s {
			si++
		}
		butScale(sent, si, bi, s)
	}
}

// TestButCheckLarge checks that the heap-based "but" rule for long texts
// gives exactly the list.index result, on random valences drawn from a
// small set so that equal values (the quirk) are frequent.
func TestButCheckLarge(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	vals := []float64{0, 0, 0, 1, 2, 0.5, 1.5, 0.75, 3, -1, -2, -0.5, -1.5, 2.25, 4.5}
	for trial := 0; trial < 300; trial++ {
		n := 1 + r.Intn(200)
		sent := make([]float64, n)
		for i := range sent {
			sent[i] = vals[r.Intn(len(vals))]
		}
		bi := r.Intn(n)
		sent[bi] = 0
		want := append([]float64(nil), sent...)
		butCheckLinear(bi, want)
		got := append([]float64(nil), sent...)
		butCheckLarge(bi, got)
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("trial %d: butCheckLarge = %v, want %v (input %v, but at %d)", trial, got, want, sent, bi)
			}
		}
	}
}

// TestLargeDocument scores a 1 MB comment full of "but" and repeated
// sentiment words (quadratic for a naive "but" rule) without trouble.
func TestLargeDocument(t *testing.T) {
	a := New()
	text := "but " + strings.Repeat("good bad great awful ", 1<<16)
	s, m := a.Analyze(text)
	if s.Compound < -1 || s.Compound > 1 || math.IsNaN(m) {
		t.Fatalf("Analyze(1 MB) = %+v, %v", s, m)
	}
	if sum := s.Neg + s.Neu + s.Pos; math.Abs(sum-1) > 0.002 {
		t.Fatalf("Analyze(1 MB) proportions sum to %v", sum)
	}
}

// TestAnalyzeMatchesSentenceScores checks, on the golden texts and the seed
// comments, that the sentence mean equals the mean of PolarityScores over
// each sentence scored alone (Analyze reuses the whole text's tokens).
func TestAnalyzeMatchesSentenceScores(t *testing.T) {
	a := New()
	var texts []string
	for _, r := range readGolden(t) {
		texts = append(texts, r.text)
	}
	texts = append(texts, seedComments(t)...)
	texts = append(texts, "Good!\nBAD but fine... I ❤ it. Not so. bus stop?? the shit!")
	multi := 0
	for _, text := range texts {
		sum, n := 0.0, 0
		forEachSentence(text, func(lo, hi int) {
			if !hasWord(text[lo:hi]) {
				return
			}
			sum += a.PolarityScores(text[lo:hi]).Compound
			n++
		})
		want := 0.0
		if n > 0 {
			want = pyRound(sum/float64(n), 4)
		}
		if n > 1 {
			multi++
		}
		if _, got := a.Analyze(text); got != want {
			t.Errorf("Analyze(%q) sentence mean = %v, want %v", text, got, want)
		}
	}
	if multi < 50 {
		t.Errorf("only %d texts with several sentences", multi)
	}
}

// TestEmojiSet checks the emoji bit set against the emoji lexicon on every
// code point.
func TestEmojiSet(t *testing.T) {
	tb := loadTables()
	n := 0
	for r := rune(0); r <= unicode.MaxRune+1; r++ {
		_, want := tb.emoji[r]
		if got := tb.isEmoji(r); got != want {
			t.Fatalf("isEmoji(%U) = %v, the lexicon says %v", r, got, want)
		}
		if want {
			n++
		}
	}
	if n < 1000 {
		t.Fatalf("%d emoji, want more than 1000", n)
	}
}

// TestReplaceEmojiOffsets puts an emoji, a non-emoji non-ASCII character
// and both at every offset of an ASCII text, across the 32- and 8-byte
// steps of replaceEmoji's ASCII skip, and compares with polarity_scores'
// rule applied a code point at a time.
func TestReplaceEmojiOffsets(t *testing.T) {
	a := New()
	ref := func(text string) string {
		var b strings.Builder
		prevSpace := true
		for _, r := range text {
			if desc, ok := loadTables().emoji[r]; ok && r >= utf8.RuneSelf {
				if !prevSpace {
					b.WriteByte(' ')
				}
				b.WriteString(desc)
				prevSpace = false
				continue
			}
			b.WriteRune(r)
			prevSpace = r == ' '
		}
		return b.String()
	}
	st := new(scratch)
	for off := range 80 {
		base := strings.Repeat("ab c", 25)[:off]
		for _, ins := range []string{"😀", "é", "’ 😢", " 💋x"} {
			text := base + ins + " good day to all of you"
			if got, want := a.replaceEmoji(st, text), ref(text); got != want {
				t.Fatalf("replaceEmoji(%q) = %q, want %q", text, got, want)
			}
		}
	}
}
