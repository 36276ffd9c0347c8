package classify

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
)

// targetedSeedModel trains a model on the seed bodies, each prefixed with
// one of two targets, with four round-robin labels.
func targetedSeedModel(t testing.TB, opt Options) (*Model, []string) {
	bodies := seedBodies(t)
	m := NewModel("seed", nil, []string{"a", "b", "c", "d"}, opt)
	var texts []string
	for i, b := range bodies {
		text := []string{"Huawei: ", "Europe's 5G networks: "}[i%2] + b
		texts = append(texts, text)
		m.Learn(text, []string{string(rune('a' + i%4))}, 1)
	}
	m.Finalize()
	return m, texts
}

// gramSource checks that the tokens of the last Tokenize call that
// wordCues reads as character n-grams are, in order, n-grams of the words
// it gives them to, and returns how many there are.
func gramSource(t *testing.T, tk *Tokenizer, text string) int {
	j := tk.words
	for i := range tk.words {
		if tk.spans[i].first >= 0 {
			continue
		}
		word := "<" + string(tk.Token(i)) + ">"
		for range gramCount(tk.Token(i), tk.charGrams) {
			g, ok := bytes.CutPrefix(tk.Token(j), []byte(CharGramPrefix))
			if !ok || !strings.Contains(word, string(g)) {
				t.Fatalf("%q: token %d %q is not an n-gram of word %d %q", text, j, tk.Token(j), i, word)
			}
			j++
		}
	}
	if j < len(tk.spans) && bytes.HasPrefix(tk.Token(j), []byte(CharGramPrefix)) {
		t.Fatalf("%q: token %d %q is an n-gram past the words' n-grams", text, j, tk.Token(j))
	}
	return j - tk.words
}

// checkUnitSum fails unless the contributions of all the units of the
// last text the scratch s scored (those shown as cues and the others) add
// up to the score of class top less that of ru, biases aside.
func checkUnitSum(t *testing.T, d *derived, s *scratch, top, ru int, text string) {
	t.Helper()
	var sum float64
	for _, u := range s.units {
		sum += u.v
	}
	want := (s.scores[top] - d.bias[top]) - (s.scores[ru] - d.bias[ru])
	if math.Abs(sum-want) > 1e-9*max(1, math.Abs(want)) {
		t.Fatalf("%s: units of %q sum to %v, the score difference is %v", d.opt, text, sum, want)
	}
}

// TestWordCues checks the cues of models with character n-grams or
// per-target tokens on the seed comments: each is a word, tag, structure
// token or the target's own token of the text, never an n-gram or a
// conjoined token; they come in decreasing contribution; and the
// contributions of all the text's units (those shown and the others) add
// up to the label's score less the runner-up's, biases aside.
func TestWordCues(t *testing.T) {
	for _, opt := range []Options{
		{CharGrams: 4},
		{CharGrams: 5, Structure: true, Binary: true, Bigrams: true, Negation: true},
		{PerTarget: true, Tags: true},
		{PerTarget: true, Tags: true, CharGrams: 4, Structure: true, Binary: true},
		{PerTarget: true, CharGrams: 3, Refine: true, Binary: true},
		{PerTarget: true, CharGrams: 4, Refine: true, TFIDF: true}, // scored on 1 + ln of the counts
	} {
		m, texts := targetedSeedModel(t, opt)
		if opt.Refine {
			var ex []Example
			for i, text := range texts {
				ex = append(ex, Example{text, string(rune('a' + i%4))})
			}
			if err := m.Refine(ex, 1); err != nil {
				t.Fatal(err)
			}
		}
		d := m.tables()
		s := d.get(m)
		shown := 0
		for _, text := range texts {
			s.features(m, d.opt, text)
			if opt.CharGrams > 0 && gramSource(t, s.tok, text) == 0 {
				t.Fatalf("%s: no n-grams in %q", opt, text)
			}
			p := m.predict(d, s, true)
			top, ru := m.classIdx[p.Label], m.classIdx[p.RunnerUp]
			tokens := map[string]bool{}
			for _, tok := range Tokenize(text, opt) {
				tokens[tok] = true
			}
			for i, c := range p.Cues {
				tok := strings.TrimPrefix(c.Token, "#")
				ok := tokens[c.Token] || tokens[tok] || tokens["#"+tok] && c.Token[0] == '#'
				if !ok || strings.HasPrefix(c.Token, CharGramPrefix) || strings.Contains(strings.TrimSuffix(c.Token, "|"), "|") {
					t.Fatalf("%s: cue %q of %q is not a unit of its tokens", opt, c.Token, text)
				}
				if !(c.LogOdds > 0) || i > 0 && c.LogOdds > p.Cues[i-1].LogOdds {
					t.Fatalf("%s: cues %v of %q out of order", opt, p.Cues, text)
				}
			}
			shown += len(p.Cues)
			checkUnitSum(t, d, s, top, ru, text)
		}
		d.put(s)
		if shown < 3*len(texts) {
			t.Fatalf("%s: %d cues for %d texts", opt, shown, len(texts))
		}
	}
}

// tweetModel is a model with opt trained on four tweets about two targets,
// three times each.
func tweetModel(opt Options) *Model {
	m := NewModel("x", nil, []string{"against", "favor"}, opt)
	for range 3 {
		m.Learn("Hillary Clinton: she lied about the emails #StopHillary", []string{"against"}, 1)
		m.Learn("Hillary Clinton: she will win, a great leader #ImWithHer", []string{"favor"}, 1)
		m.Learn("Atheism: God is great #blessed", []string{"against"}, 1)
		m.Learn("Atheism: religion is a lie", []string{"favor"}, 1)
	}
	return m
}

// TestWordCuesExample shows the cues of a per-target model with n-grams on
// a text whose words it learned: words and tags, where the tokens counted
// are n-grams and conjoined copies.
func TestWordCuesExample(t *testing.T) {
	m := tweetModel(Options{PerTarget: true, Tags: true, CharGrams: 4, Binary: true})
	p := m.Predict("Hillary Clinton: the emails again #StopHillary")
	if p.Label != "against" || len(p.Cues) < 2 {
		t.Fatalf("prediction %+v", p)
	}
	got := map[string]bool{}
	for _, c := range p.Cues {
		got[c.Token] = true
	}
	if !got["emails"] || !got["#stophillary"] {
		t.Errorf("cues %v, want emails and #stophillary among them", p.Cues)
	}
}

// FuzzWordCues checks on any text that the tokens wordCues gives to a
// word as its character n-grams are n-grams of that word (charGramCount
// counts as charGramsOf makes them), and that no cue is an n-gram or a
// conjoined token.
func FuzzWordCues(f *testing.F) {
	for _, s := range []string{"Atheism: God is #good @ann", "Hillary Clinton: not her. #StopHillary2016", "a: b",
		"naïve café", "x\xffy zz", strings.Repeat("a", 300) + " b", strings.Repeat("é", 70) + " ok",
		strings.Repeat("é", 60) + " " + strings.Repeat("b", 61) + " " + strings.Repeat("c", 59)} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(0xff))
	}
	models := map[Options]*Model{}
	f.Fuzz(func(t *testing.T, text string, flags uint8) {
		opt := Options{PerTarget: flags&1 != 0, Tags: flags&2 != 0, Structure: flags&4 != 0, Bigrams: flags&8 != 0,
			Negation: flags&16 != 0, CharGrams: 3 + int(flags>>5)%4}
		m, ok := models[opt]
		if !ok {
			m, _ = targetedSeedModel(t, opt)
			models[opt] = m
		}
		tk := NewTokenizer(opt)
		tk.Tokenize(text)
		gramSource(t, tk, text)
		for _, c := range m.Predict(text).Cues {
			if strings.HasPrefix(c.Token, CharGramPrefix) || strings.Contains(strings.TrimSuffix(c.Token, "|"), "|") {
				t.Fatalf("%s: cue %q of %q", opt, c.Token, text)
			}
		}
	})
}

// textLogOdds is the sum of TopTokens' log-odds for class c of the
// tokens of text that the model knows, the target's own token and the
// structure tokens aside.
func textLogOdds(m *Model, text string, c int) float64 {
	opt := m.Options
	opt.Structure = false
	d := m.tables()
	nc := d.nc
	av := d.opt.Alpha * float64(d.vsize)
	all, sum := 0.0, 0.0
	for k := range nc {
		all += d.ntot[k]
	}
	ids := map[string]int{}
	for id, term := range m.terms {
		ids[term] = id
	}
	for _, tok := range Tokenize(text, opt) {
		id, ok := ids[tok]
		if !ok || strings.HasSuffix(tok, "|") {
			continue
		}
		rest := 0.0
		for k := range nc {
			if k != c {
				rest += d.eff[id*nc+k]
			}
		}
		sum += math.Log(d.eff[id*nc+c]+d.opt.Alpha) - math.Log(d.ntot[c]+av) -
			(math.Log(rest+d.opt.Alpha) - math.Log(all-d.ntot[c]+av))
	}
	return sum
}

// TestTopWords checks the top tokens of per-target models with n-grams:
// words, hashtags, structure and target tokens, never n-grams or
// conjoined copies; a word's log-odds are the sum of those of the tokens a
// text of its one target counts for it (the target's own token aside).
func TestTopWords(t *testing.T) {
	m := tweetModel(Options{PerTarget: true, Tags: true, CharGrams: 4, Binary: true, Structure: true})
	top := m.TopTokensByClass(100)
	found := 0
	for c, cues := range top {
		if len(cues) == 0 {
			t.Fatalf("class %s: no top tokens", m.classes[c])
		}
		for _, cue := range cues {
			if strings.HasPrefix(cue.Token, CharGramPrefix) || strings.Contains(strings.TrimSuffix(cue.Token, "|"), "|") {
				t.Fatalf("top token %q of %s", cue.Token, m.classes[c])
			}
			var text string
			switch cue.Token {
			case "emails", "#stophillary", "leader":
				text = "Hillary Clinton: " + cue.Token
			case "religion", "#blessed":
				text = "Atheism: " + cue.Token
			default:
				continue
			}
			if want := textLogOdds(m, text, c); math.Abs(cue.LogOdds-want) > 1e-9 {
				t.Errorf("%s: %q log-odds %v, want %v", m.classes[c], cue.Token, cue.LogOdds, want)
			}
			found++
		}
	}
	if found < 4 {
		t.Fatalf("%d of the words checked among the top tokens %v", found, top)
	}
}

// TestTopTokensForTarget checks the per-target top tokens: the targets the
// model learned, the words seen with each (none from the other target),
// and their log-odds those of a text about it.
func TestTopTokensForTarget(t *testing.T) {
	m := tweetModel(Options{PerTarget: true, Tags: true, CharGrams: 4, Binary: true})
	if got := m.Targets(); !slices.Equal(got, []string{"atheism", "hillary_clinton"}) {
		t.Fatalf("Targets() = %q", got)
	}
	if m.TopTokensForTarget("feminism", 5) != nil || m.TopTokensForTarget("atheism", 0) != nil {
		t.Error("top tokens for a target the model lacks, or for k = 0")
	}
	if tm := tweetModel(Options{CharGrams: 4}); tm.Targets() != nil {
		t.Errorf("a model without per-target tokens has targets %q", tm.Targets())
	}
	atheism := map[string]bool{}
	for _, tok := range Tokenize("Atheism: God is great #blessed religion is a lie", Options{Tags: true}) {
		atheism[tok] = true
	}
	words := 0
	for c, cues := range m.TopTokensForTarget("hillary_clinton", 100) {
		for _, cue := range cues {
			if strings.Contains(cue.Token, "|") || strings.HasPrefix(cue.Token, CharGramPrefix) {
				t.Fatalf("%s: top token %q", m.classes[c], cue.Token)
			}
			if atheism[cue.Token] && cue.Token != "great" && cue.Token != "a" && cue.Token != "is" {
				t.Errorf("%s: %q, a word only the other target has", m.classes[c], cue.Token)
			}
			if want := textLogOdds(m, "Hillary Clinton: "+cue.Token, c); math.Abs(cue.LogOdds-want) > 1e-9 {
				t.Errorf("%s: %q log-odds %v, want %v", m.classes[c], cue.Token, cue.LogOdds, want)
			}
			words++
		}
	}
	if words < 4 {
		t.Errorf("%d top tokens for hillary_clinton", words)
	}
}

// TestWordCuesAtScale scores 20,000 generated texts about three targets
// with per-target models with n-grams (binary and counted) on four
// goroutines, each model's scratches reused text after text: every text's
// cues are those of a fresh model scoring it alone, and its units sum to
// the score difference. Under -race in CI.
func TestWordCuesAtScale(t *testing.T) {
	pieces := []string{"China", "spies", "Huawei", "can't", "be", "trusted", "#5G", "@NSA", "no", "evidence",
		"Snowden", "showed", "the", "US", "spies", "too!", "naïve", "Europe", "cheap", "networks.", "isn't", "?"}
	targets := []string{"Huawei: ", "Europe's 5G networks: ", "Snowden: "}
	bodies := pieceTexts(pieces, 20000, 30, 7)
	texts := make([]string, len(bodies))
	for i, b := range bodies {
		texts[i] = targets[i%3] + b
	}
	for _, opt := range []Options{
		{PerTarget: true, Tags: true, CharGrams: 4, Binary: true, Structure: true},
		{PerTarget: true, Tags: true, CharGrams: 3, Bigrams: true, Negation: true},
	} {
		m := NewModel("scale", nil, []string{"a", "b", "c"}, opt)
		for i, text := range texts[:2000] {
			m.Learn(text, []string{string(rune('a' + (i*7/3)%3))}, 1)
		}
		m.Finalize()
		got := make([][]Cue, len(texts))
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Go(func() {
				for i := g; i < len(texts); i += 4 {
					got[i] = m.Predict(texts[i]).Cues
				}
			})
		}
		wg.Wait()
		one := m.Clone()
		d := one.tables()
		for i, text := range texts {
			s := d.get(one)
			s.features(one, d.opt, text)
			p := one.predict(d, s, true)
			if !slices.Equal(got[i], p.Cues) {
				t.Fatalf("%s: text %d %q: cues %v side by side, %v alone", opt, i, text, got[i], p.Cues)
			}
			if p.RunnerUp != "" {
				checkUnitSum(t, d, s, one.classIdx[p.Label], one.classIdx[p.RunnerUp], text)
			}
			d.put(s)
		}
	}
}
