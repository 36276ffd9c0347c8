package classify

import (
	"bytes"
	"math"
	"strings"
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
			p := m.predict(d, s)
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
			var sum float64
			for _, u := range s.units {
				sum += u.v
			}
			want := (s.scores[top] - d.bias[top]) - (s.scores[ru] - d.bias[ru])
			if math.Abs(sum-want) > 1e-9*max(1, math.Abs(want)) {
				t.Fatalf("%s: units of %q sum to %v, the score difference is %v", opt, text, sum, want)
			}
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

// TestTopWords checks the top tokens of per-target models with n-grams:
// words, hashtags, structure and target tokens, never n-grams or
// conjoined copies; a word's log-odds are the sum of those of the tokens a
// text of its one target counts for it (the target's own token aside).
func TestTopWords(t *testing.T) {
	m := tweetModel(Options{PerTarget: true, Tags: true, CharGrams: 4, Binary: true, Structure: true})
	d := m.tables()
	nc := d.nc
	av := d.opt.Alpha * float64(d.vsize)
	// logOdds is TopTokens' log-odds of term id for class c.
	logOdds := func(id int32, c int) float64 {
		all, rest := 0.0, 0.0
		for k := range nc {
			all += d.ntot[k]
			if k != c {
				rest += d.eff[int(id)*nc+k]
			}
		}
		return math.Log(d.eff[int(id)*nc+c]+d.opt.Alpha) - math.Log(d.ntot[c]+av) -
			(math.Log(rest+d.opt.Alpha) - math.Log(all-d.ntot[c]+av))
	}
	lookup := map[string]int32{}
	for id, term := range m.terms {
		lookup[term] = int32(id)
	}
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
			var want float64
			for _, tok := range Tokenize(text, Options{PerTarget: true, Tags: true, CharGrams: 4}) {
				if id, ok := lookup[tok]; ok && !strings.HasSuffix(tok, "|") {
					want += logOdds(id, c)
				}
			}
			if math.Abs(cue.LogOdds-want) > 1e-9 {
				t.Errorf("%s: %q log-odds %v, want %v", m.classes[c], cue.Token, cue.LogOdds, want)
			}
			found++
		}
	}
	if found < 4 {
		t.Fatalf("%d of the words checked among the top tokens %v", found, top)
	}
}
