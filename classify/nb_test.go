package classify

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
)

const eps = 1e-12

func near(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// handModel is the hand-computed example of the NB tests:
//
//	class A: "x x y"      class B: "y z"      vocabulary {x, y, z}
func handModel(opt Options) *Model {
	m := NewModel("hand", nil, []string{"A", "B"}, opt)
	m.Learn("x x y", []string{"A"}, 1)
	m.Learn("y z", []string{"B"}, 1)
	return m
}

// weight returns the derived weight w_tc of term in class.
func weight(m *Model, term, class string) float64 {
	d := m.tables()
	id, _ := m.termID(term)
	return d.w[int(id)*d.nc+m.classIdx[class]]
}

func checkPosterior(t *testing.T, m *Model, text string, scoreA, scoreB float64) {
	t.Helper()
	wantA := 1 / (1 + math.Exp(scoreB-scoreA))
	p := m.Posteriors(text, nil)
	if !near(p[0], wantA, eps) || !near(p[1], 1-wantA, eps) {
		t.Errorf("posteriors of %q = %v, want [%v %v]", text, p, wantA, 1-wantA)
	}
	pr := m.Predict(text)
	want := "A"
	if scoreB > scoreA {
		want = "B"
	}
	if pr.Label != want || !near(pr.P, math.Max(wantA, 1-wantA), eps) {
		t.Errorf("Predict(%q) = %+v, want %s with P %v", text, pr, want, math.Max(wantA, 1-wantA))
	}
}

// TestMultinomialHand checks Lidstone-smoothed multinomial NB against
// hand computation with alpha = 1:
//
//	N_A = 3 (x 2, y 1, z 0): θ_A = x (2+1)/(3+3) = 1/2, y 2/6 = 1/3, z 1/6
//	N_B = 2 (x 0, y 1, z 1): θ_B = x 1/5, y 2/5, z 2/5
//	priors 1/2 each.
//	"x y": A: log(1/2·1/2·1/3) = log(1/12), B: log(1/2·1/5·2/5) = log(1/25)
//	P(A | "x y") = (1/12)/(1/12+1/25) = 25/37.
//
// With alpha = 0.5: θ_A(x) = 2.5/4.5 = 5/9, θ_B(z) = 1.5/3.5 = 3/7.
func TestMultinomialHand(t *testing.T) {
	m := handModel(Options{})
	for _, c := range []struct {
		term, class string
		want        float64
	}{{"x", "A", 1.0 / 2}, {"y", "A", 1.0 / 3}, {"z", "A", 1.0 / 6}, {"x", "B", 1.0 / 5}, {"y", "B", 2.0 / 5}, {"z", "B", 2.0 / 5}} {
		if got := weight(m, c.term, c.class); !near(got, math.Log(c.want), eps) {
			t.Errorf("log θ_%s(%s) = %v, want log(%v) = %v", c.class, c.term, got, c.want, math.Log(c.want))
		}
	}
	p := m.Posteriors("x y", nil)
	if !near(p[0], 25.0/37, eps) {
		t.Errorf("P(A | x y) = %v, want 25/37 = %v", p[0], 25.0/37)
	}
	checkPosterior(t, m, "x y", math.Log(1.0/12), math.Log(1.0/25))
	// Unknown words are ignored: same posterior.
	checkPosterior(t, m, "x y unknown words", math.Log(1.0/12), math.Log(1.0/25))
	// Repeated words count: "z z": A log(1/2 · 1/36), B log(1/2 · 4/25).
	checkPosterior(t, m, "z z", math.Log(1.0/72), math.Log(2.0/25))

	h := handModel(Options{Alpha: 0.5})
	if got := weight(h, "x", "A"); !near(got, math.Log(5.0/9), eps) {
		t.Errorf("alpha 0.5: log θ_A(x) = %v, want log(5/9)", got)
	}
	if got := weight(h, "z", "B"); !near(got, math.Log(3.0/7), eps) {
		t.Errorf("alpha 0.5: log θ_B(z) = %v, want log(3/7)", got)
	}

	// Binary: A counts x once: N_A = 2, θ_A = x 2/5, y 2/5, z 1/5; B as before.
	// "x x y" scores x once: A log(1/2·2/5·2/5), B log(1/2·1/5·2/5).
	b := handModel(Options{Binary: true})
	checkPosterior(t, b, "x x y", math.Log(0.5*2/5*2/5), math.Log(0.5*1/5*2/5))

	// Priors come from document counts: a third document for B gives
	// priors 1/3, 2/3; an empty text gets the priors.
	m.Learn("z", []string{"B"}, 1)
	checkPosterior(t, m, "", math.Log(1.0/3), math.Log(2.0/3))
	// Weighted documents: weight 2 counts like two copies.
	w := handModel(Options{})
	w.Learn("z", []string{"B"}, 2)
	c := handModel(Options{})
	c.Learn("z", []string{"B"}, 1)
	c.Learn("z", []string{"B"}, 1)
	if pw, pc := w.Posteriors("x z", nil), c.Posteriors("x z", nil); !near(pw[0], pc[0], eps) {
		t.Errorf("weight 2 gives %v, two copies %v", pw, pc)
	}
}

// TestComplementHand checks complement NB (Rennie et al. 2003) with weight
// normalisation, alpha = 1, on the hand model:
//
//	class A is scored with the counts of B: θ̃_A = x 1/5, y 2/5, z 2/5,
//	class B with the counts of A:           θ̃_B = x 1/2, y 1/3, z 1/6.
//	u_c = log θ̃_c; n_A = Σ|u_A| = log 5 + 2 log(5/2); n_B = log 2 + log 3 + log 6.
//	w_c = −K u_c / n_c with K = (n_A + n_B)/2, no prior.
//	"x y": A = K/n_A · (log 5 + log(5/2)), B = K/n_B · (log 2 + log 3).
func TestComplementHand(t *testing.T) {
	m := handModel(Options{Complement: true})
	nA := math.Log(5) + 2*math.Log(5.0/2)
	nB := math.Log(2) + math.Log(3) + math.Log(6)
	K := (nA + nB) / 2
	if got, want := weight(m, "x", "A"), K/nA*math.Log(5); !near(got, want, eps) {
		t.Errorf("w_A(x) = %v, want %v", got, want)
	}
	if got, want := weight(m, "z", "B"), K/nB*math.Log(6); !near(got, want, eps) {
		t.Errorf("w_B(z) = %v, want %v", got, want)
	}
	checkPosterior(t, m, "x y", K/nA*(math.Log(5)+math.Log(5.0/2)), K/nB*(math.Log(2)+math.Log(3)))
	// Normalised weights: Σ_t |w_tc| = K for each class.
	for _, c := range []string{"A", "B"} {
		var s float64
		for _, term := range []string{"x", "y", "z"} {
			s += math.Abs(weight(m, term, c))
		}
		if !near(s, K, eps) {
			t.Errorf("Σ|w_%s| = %v, want K = %v", c, s, K)
		}
	}
}

// TestTFIDFHand checks the TF-IDF transform on the hand model, alpha = 1:
//
//	doc A "x x y": log(1+tf) = x log 3, y log 2, L2 norm n1 = √(log²3 + log²2)
//	doc B "y z":   y log 2, z log 2, norm log 2·√2: both 1/√2
//	N = 2 documents; df x 1, y 2, z 1: idf x log 2, y log 1 = 0, z log 2
//	N_A: x log 2·log 3/n1, y 0, z 0;  N_B: x 0, y 0, z log 2/√2
//	θ_A(x) = (N_A(x)+1)/(N_A+3), θ_A(z) = 1/(N_A+3)
//	θ_B(x) = 1/(N_B+3),          θ_B(z) = (N_B(z)+1)/(N_B+3)
//	"x z" (raw counts, as in the paper): A = log(1/2 θ_A(x) θ_A(z)), B likewise.
func TestTFIDFHand(t *testing.T) {
	m := handModel(Options{TFIDF: true})
	l2, l3 := math.Log(2), math.Log(3)
	n1 := math.Sqrt(l3*l3 + l2*l2)
	NA := l2 * l3 / n1
	NB := l2 / math.Sqrt2
	if got, want := weight(m, "x", "A"), math.Log((NA+1)/(NA+3)); !near(got, want, eps) {
		t.Errorf("log θ_A(x) = %v, want %v", got, want)
	}
	if got, want := weight(m, "y", "A"), math.Log(1/(NA+3)); !near(got, want, eps) {
		t.Errorf("log θ_A(y) = %v, want %v (idf of y is 0)", got, want)
	}
	scoreA := math.Log(0.5 * (NA + 1) / (NA + 3) / (NA + 3))
	scoreB := math.Log(0.5 / (NB + 3) * (NB + 1) / (NB + 3))
	checkPosterior(t, m, "x z", scoreA, scoreB)
	// Length normalisation: a document repeated ten times weighs the same.
	r := NewModel("hand", nil, []string{"A", "B"}, Options{TFIDF: true})
	r.Learn(strings.Repeat("x x y ", 10), []string{"A"}, 1)
	r.Learn("y z", []string{"B"}, 1)
	rA := math.Log(11)
	rn := math.Sqrt(math.Log(21)*math.Log(21) + rA*rA)
	if got, want := weight(r, "x", "A"), math.Log((l2*math.Log(21)/rn+1)/(l2*math.Log(21)/rn+3)); !near(got, want, eps) {
		t.Errorf("repeated doc: log θ_A(x) = %v, want %v", got, want)
	}
}

// seedModel trains a model on the seed bodies with four round-robin
// labels; weights (if not nil) gives each document's weight.
func seedModel(t testing.TB, opt Options, order []int, weights func(i int) float64) *Model {
	bodies := seedBodies(t)
	m := NewModel("seed", nil, []string{"a", "b", "c", "d"}, opt)
	if order == nil {
		for i := range bodies {
			order = append(order, i)
		}
	}
	for _, i := range order {
		w := 1.0
		if weights != nil {
			w = weights(i)
		}
		m.Learn(bodies[i], []string{string(rune('a' + i%4))}, w)
	}
	return m
}

var optionSets = map[string]Options{
	"default":    {},
	"opinion":    presets["opinion"],
	"complement": {Complement: true},
	"tfidf":      {TFIDF: true, Stopwords: true},
	"all":        {Complement: true, TFIDF: true, Binary: true, Bigrams: true, Negation: true, Stopwords: true},
}

// sameCounts fails unless a and b hold the same classes, terms and counts
// within tol.
func sameCounts(t *testing.T, a, b *Model, tol float64) {
	t.Helper()
	if !slices.Equal(a.classes, b.classes) {
		t.Fatalf("classes %v vs %v", a.classes, b.classes)
	}
	if a.Vocabulary() != b.Vocabulary() {
		t.Fatalf("vocabulary %d vs %d", a.Vocabulary(), b.Vocabulary())
	}
	nc := len(a.classes)
	for i, term := range a.terms {
		j, ok := b.termID(term)
		if a.dn[i] == 0 {
			continue
		}
		if !ok || a.dn[i] != b.dn[j] || !near(a.df[i], b.df[j], tol) {
			t.Fatalf("term %q: df differs", term)
		}
		for c := range nc {
			if !near(a.counts[int(i)*nc+c], b.counts[int(j)*nc+c], tol) {
				t.Fatalf("term %q class %d: %v vs %v", term, c, a.counts[int(i)*nc+c], b.counts[int(j)*nc+c])
			}
		}
	}
	for c := range nc {
		if !near(a.docs[c], b.docs[c], tol) || !near(a.tokens[c], b.tokens[c], tol) || !near(a.total, b.total, tol) {
			t.Fatalf("class %d: docs/tokens differ", c)
		}
	}
}

func samePredictions(t *testing.T, a, b *Model, tol float64) {
	t.Helper()
	for _, body := range seedBodies(t) {
		pa, pb := a.Posteriors(body, nil), b.Posteriors(body, nil)
		for c := range pa {
			if !near(pa[c], pb[c], tol) {
				t.Fatalf("posteriors differ on %.40q: %v vs %v", body, pa, pb)
			}
		}
	}
}

func TestTrainingOrder(t *testing.T) {
	for name, opt := range optionSets {
		t.Run(name, func(t *testing.T) {
			n := len(seedBodies(t))
			var rev []int
			for i := n - 1; i >= 0; i-- {
				rev = append(rev, i)
			}
			a, b := seedModel(t, opt, nil, nil), seedModel(t, opt, rev, nil)
			if opt.TFIDF {
				sameCounts(t, a, b, 1e-12)
			} else if a.Hash() != b.Hash() {
				t.Error("reversed training order changes the model hash")
			}
			samePredictions(t, a, b, 1e-9)
		})
	}
}

func TestMergeHalves(t *testing.T) {
	for name, opt := range optionSets {
		for _, weighted := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/weighted=%v", name, weighted), func(t *testing.T) {
				var wf func(i int) float64
				if weighted {
					wf = func(i int) float64 { return 0.1 + float64(i%7)/3 }
				}
				n := len(seedBodies(t))
				var first, second []int
				for i := range n {
					if i < n/2 {
						first = append(first, i)
					} else {
						second = append(second, i)
					}
				}
				whole := seedModel(t, opt, nil, wf)
				half := seedModel(t, opt, first, wf)
				other := seedModel(t, opt, second, wf)
				if err := half.Merge(other); err != nil {
					t.Fatal(err)
				}
				if !weighted && !opt.TFIDF {
					if half.Hash() != whole.Hash() {
						t.Error("merged halves differ from the whole")
					}
				}
				sameCounts(t, half, whole, 1e-9)
				samePredictions(t, half, whole, 1e-9)
			})
		}
	}
}

func TestMergeErrors(t *testing.T) {
	a := handModel(Options{})
	if err := a.Merge(handModel(Options{Bigrams: true})); err == nil || !strings.Contains(err.Error(), "feature options differ") {
		t.Errorf("merge with other features: %v", err)
	}
	if err := a.Merge(a); err == nil {
		t.Error("merge with itself succeeded")
	}
	// New classes are added; scoring options may differ.
	b := NewModel("b", nil, []string{"C"}, Options{Alpha: 0.3})
	b.Learn("w w", []string{"C"}, 1)
	if err := a.Merge(b); err != nil {
		t.Fatal(err)
	}
	if got := a.Classes(); !slices.Equal(got, []string{"A", "B", "C"}) {
		t.Errorf("classes after merge %v", got)
	}
	if a.Predict("w").Label != "C" {
		t.Error("merged class C not predicted for its word")
	}
}

func TestUnlearn(t *testing.T) {
	bodies := seedBodies(t)
	for name, opt := range optionSets {
		t.Run(name, func(t *testing.T) {
			all := seedModel(t, opt, nil, nil)
			for _, k := range []int{0, 7, len(bodies) - 1} {
				var rest []int
				for i := range bodies {
					if i != k {
						rest = append(rest, i)
					}
				}
				loo := all.Clone()
				loo.Unlearn(bodies[k], []string{string(rune('a' + k%4))}, 1)
				fresh := seedModel(t, opt, rest, nil)
				if !opt.TFIDF && loo.Hash() != fresh.Hash() {
					t.Errorf("unlearn %d: hash differs from a model trained without it", k)
				}
				sameCounts(t, loo, fresh, 1e-9)
				samePredictions(t, loo, fresh, 1e-9)
			}
			if all.Hash() != seedModel(t, opt, nil, nil).Hash() {
				t.Error("Clone+Unlearn changed the original")
			}
		})
	}
}

func TestPosteriorsSumToOne(t *testing.T) {
	for name, opt := range optionSets {
		m := seedModel(t, opt, nil, nil)
		for _, body := range seedBodies(t) {
			p := m.Posteriors(body, nil)
			var s float64
			for _, v := range p {
				if math.IsNaN(v) || v < 0 || v > 1 {
					t.Fatalf("%s: bad posterior %v", name, p)
				}
				s += v
			}
			if !near(s, 1, 1e-12) {
				t.Errorf("%s: posteriors sum to %v", name, s)
			}
			pr := m.Predict(body)
			if pr.P < 1.0/4-1e-12 || pr.Margin < 0 || pr.Label == pr.RunnerUp {
				t.Errorf("%s: prediction %+v", name, pr)
			}
		}
	}
}

// TestHugeDocument scores a 1 MB document: the joint log scores are far
// below the smallest float64, the posteriors must still be exact numbers.
func TestHugeDocument(t *testing.T) {
	bodies := seedBodies(t)
	var sb strings.Builder
	for i := 0; sb.Len() < 1<<20; i++ {
		sb.WriteString(bodies[i%len(bodies)])
		sb.WriteByte('\n')
	}
	huge := sb.String()
	for name, opt := range optionSets {
		m := seedModel(t, opt, nil, nil)
		pr := m.Predict(huge)
		if math.IsNaN(pr.P) || pr.P < 0.25 || pr.P > 1 || math.IsNaN(pr.Margin) {
			t.Errorf("%s: 1 MB prediction %+v", name, pr)
		}
		p := m.Posteriors(huge, nil)
		var s float64
		for _, v := range p {
			s += v
		}
		if !near(s, 1, 1e-12) {
			t.Errorf("%s: 1 MB posteriors %v", name, p)
		}
		m.Learn(huge, []string{"a"}, 1) // and training on it
		if pr := m.Predict(bodies[0]); math.IsNaN(pr.P) {
			t.Errorf("%s: NaN after learning 1 MB", name)
		}
	}
}

// TestExplanationDecisive builds a case where one token decides: both
// classes share "alpha beta", A adds "gamma", B adds "delta".
func TestExplanationDecisive(t *testing.T) {
	for name, opt := range map[string]Options{"multinomial": {}, "complement": {Complement: true}, "binary": {Binary: true}} {
		m := NewModel("x", nil, []string{"A", "B"}, opt)
		m.Learn("alpha beta gamma", []string{"A"}, 1)
		m.Learn("alpha beta delta", []string{"B"}, 1)
		tie := m.Predict("alpha beta")
		if !near(tie.P, 0.5, 1e-12) || len(tie.Cues) != 0 {
			t.Errorf("%s: without the decisive token: %+v", name, tie)
		}
		p := m.Predict("alpha beta gamma")
		if p.Label != "A" || p.RunnerUp != "B" || len(p.Cues) != 1 || p.Cues[0].Token != "gamma" {
			t.Fatalf("%s: prediction %+v, want A decided by gamma alone", name, p)
		}
		// The cue's log-odds is the whole difference of the class scores.
		if lo := math.Log(p.P / (1 - p.P)); !near(p.Cues[0].LogOdds, lo, 1e-12) {
			t.Errorf("%s: cue log-odds %v, want log(P/(1-P)) = %v", name, p.Cues[0].LogOdds, lo)
		}
		if name == "multinomial" && !near(p.Cues[0].LogOdds, math.Log(2), 1e-12) {
			// θ_A(gamma) = 2/7, θ_B(gamma) = 1/7.
			t.Errorf("cue log-odds %v, want log 2", p.Cues[0].LogOdds)
		}
	}
}

// TestExplanationSeed checks on real comments that each cue's log-odds is
// exactly what removing the token does to the log-odds of label against
// runner-up, and that cues come in decreasing order.
func TestExplanationSeed(t *testing.T) {
	for name, opt := range map[string]Options{"multinomial": {}, "binary": {Binary: true}, "complement": {Complement: true}, "tfidf": {TFIDF: true, Stopwords: true}} {
		opt.Cues = 3
		t.Run(name, func(t *testing.T) { explanationSeed(t, opt) })
	}
}

func explanationSeed(t *testing.T, opt Options) {
	m := seedModel(t, opt, nil, nil)
	tk := NewTokenizer(m.Options)
	for _, body := range seedBodies(t)[:20] {
		tk.Tokenize(body)
		toks := tk.Tokens()
		p := m.Predict(strings.Join(toks, " "))
		if len(p.Cues) == 0 || len(p.Cues) > 3 {
			t.Fatalf("%d cues for %.40q", len(p.Cues), body)
		}
		ci, ri := m.classIdx[p.Label], m.classIdx[p.RunnerUp]
		lo := func(text string) float64 {
			q := m.Posteriors(text, nil)
			return math.Log(q[ci] / q[ri])
		}
		base := lo(strings.Join(toks, " "))
		for k, c := range p.Cues {
			if k > 0 && c.LogOdds > p.Cues[k-1].LogOdds {
				t.Errorf("cues not sorted: %v", p.Cues)
			}
			var rest []string
			for _, tok := range toks {
				if tok != c.Token {
					rest = append(rest, tok)
				}
			}
			if got := base - lo(strings.Join(rest, " ")); !near(got, c.LogOdds, 1e-9) {
				t.Errorf("removing %q changes the log-odds by %v, cue says %v", c.Token, got, c.LogOdds)
			}
		}
	}
}

func TestTopTokens(t *testing.T) {
	m := NewModel("x", nil, []string{"A", "B"}, Options{})
	m.Learn("spy spy spy china party", []string{"A"}, 1)
	m.Learn("spy china", []string{"A"}, 1)
	m.Learn("snowden nsa nsa spy", []string{"B"}, 1)
	got := m.TopTokens("A", 3)
	if len(got) != 3 || got[0].Token != "china" || got[0].LogOdds <= got[1].LogOdds {
		t.Errorf("TopTokens(A) = %v", got)
	}
	// china: (2+1)/(7+5) vs (0+1)/(4+5): log(3/12) - log(1/9) = log(9/4).
	if !near(got[0].LogOdds, math.Log(9.0/4), eps) {
		t.Errorf("log-odds of china %v, want log(9/4)", got[0].LogOdds)
	}
	if b := m.TopTokens("B", 10); len(b) != 2 || b[0].Token != "nsa" || b[1].Token != "snowden" {
		t.Errorf("TopTokens(B) = %v, want nsa, snowden", b)
	}
	if m.TopTokens("nope", 3) != nil {
		t.Error("TopTokens of an unknown class")
	}
}

func TestTaxonomyAbstain(t *testing.T) {
	tax := &Taxonomy{
		Subject: "test",
		Stances: []string{"for", "against", "neutral"},
		Arguments: []Argument{
			{ID: "pro", Name: "In favour", Stance: "for"},
			{ID: "con", Name: "Against it", Stance: "against"},
			{ID: "other", Name: "Other", Stance: "neutral"},
		},
		Fallback: "other",
	}
	m := NewModel("tax", tax, nil, Options{Abstain: 0.6})
	if got := m.Classes(); !slices.Equal(got, []string{"pro", "con", "other"}) {
		t.Fatalf("classes %v", got)
	}
	m.Learn("good great fine", []string{"pro"}, 1)
	m.Learn("bad awful terrible", []string{"con"}, 1)
	m.Learn("weather today", []string{"other"}, 1)
	p := m.Predict("good great fine good")
	if p.Label != "pro" || p.Name != "In favour" || p.Abstained {
		t.Errorf("confident prediction %+v", p)
	}
	s := NewScorer(m)
	if r := s.ScoreText("good great fine good"); r.Stance != "for" {
		t.Errorf("stance %q", r.Stance)
	}
	p = m.Predict("good bad")
	if p.P >= 0.6 || p.Label != "other" || p.Name != "Other" || !p.Abstained {
		t.Errorf("unsure prediction %+v, want abstention to other", p)
	}
	if r := s.ScoreText("good bad"); r.Stance != "neutral" || !r.Argument.Abstained {
		t.Errorf("abstained result %+v", r)
	}
	// Without a taxonomy: plain labels, no stance, no abstention.
	plain := NewModel("plain", nil, []string{"pro", "con"}, Options{Abstain: 0.99})
	plain.Learn("good", []string{"pro"}, 1)
	plain.Learn("bad", []string{"con"}, 1)
	r := NewScorer(plain).ScoreText("good bad")
	if r.Argument.Abstained || r.Stance != "" || r.Argument.Name != r.Argument.Label {
		t.Errorf("plain model result %+v", r)
	}
}

func TestLearnEdgeCases(t *testing.T) {
	m := NewModel("x", nil, nil, Options{})
	if p := m.Predict("anything"); p.Label != "" {
		t.Errorf("model without classes predicts %+v", p)
	}
	m.Learn("ignored", []string{"A"}, 0)
	m.Learn("ignored", []string{"A"}, math.NaN())
	m.Learn("ignored", []string{"A"}, math.Inf(1))
	m.Learn("ignored", nil, 1)
	if m.Vocabulary() != 0 || len(m.Classes()) != 0 {
		t.Errorf("invalid documents were learned: %d terms, classes %v", m.Vocabulary(), m.Classes())
	}
	m.Learn("new label", []string{"A", "B"}, 1)
	if !slices.Equal(m.Classes(), []string{"A", "B"}) || m.Docs("A") != 1 || m.Docs("B") != 1 || m.Training.Documents != 1 {
		t.Errorf("multi-label document: classes %v docs %v %v", m.Classes(), m.Docs("A"), m.Docs("B"))
	}
	// Only one class.
	one := NewModel("one", nil, []string{"A"}, Options{})
	one.Learn("x", []string{"A"}, 1)
	if p := one.Predict("x"); p.Label != "A" || p.P != 1 || p.RunnerUp != "" {
		t.Errorf("one-class prediction %+v", p)
	}
	// A class with no documents is never predicted and gets probability 0.
	z := NewModel("z", nil, []string{"A", "B"}, Options{})
	z.Learn("x", []string{"A"}, 1)
	if p := z.Posteriors("x y", nil); p[1] != 0 || p[0] != 1 {
		t.Errorf("posteriors with an empty class %v", p)
	}
}

func TestWithOptions(t *testing.T) {
	m := handModel(Options{})
	h := m.Hash()
	c, err := m.WithOptions(Options{Alpha: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	if !near(weight(c, "x", "A"), math.Log(5.0/9), eps) || m.Hash() != h {
		t.Error("WithOptions did not retune the copy only")
	}
	if _, err := m.WithOptions(Options{Binary: true}); err == nil {
		t.Error("WithOptions accepted other feature options")
	}
}

// TestTopTokensPrefix checks that the k best tokens kept as they come
// are the first k of all candidates sorted, for every k, and that the
// pass over every class gives each class's own.
func TestTopTokensPrefix(t *testing.T) {
	m := eightClassModel(t, Options{Alpha: 0.3, Complement: true, TFIDF: true})
	byClass := m.TopTokensByClass(5)
	for i, c := range m.Classes() {
		if one := m.TopTokens(c, 5); len(one) != 5 || !slices.Equal(byClass[i], one) {
			t.Errorf("class %s: by class %v, alone %v", c, byClass[i], one)
		}
	}
	for _, c := range m.Classes() {
		all := m.TopTokens(c, 1<<20)
		if len(all) <= topTokensBounded {
			t.Fatalf("class %s: %d candidates", c, len(all))
		}
		for k := 1; k <= len(all)+1; k++ {
			if got, want := m.TopTokens(c, k), all[:min(k, len(all))]; !slices.Equal(got, want) {
				t.Fatalf("class %s, k %d: %v, want %v", c, k, got, want)
			}
		}
	}
}

// TestTablesOnCores checks the scoring tables of a large vocabulary,
// built on several cores (byTerms), against those built on one, bit for
// bit, for every kind of naive Bayes table, with terms the model has
// unlearned (no documents: rows of zeros) and from old tables full of
// garbage (a rebuild writes every row).
func TestTablesOnCores(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	classes := []string{"a", "b", "c", "d", "e"}
	var texts []string
	for range 3000 {
		var b strings.Builder
		for range 100 {
			fmt.Fprintf(&b, "w%d ", rng.IntN(500000))
		}
		texts = append(texts, b.String())
	}
	for _, opt := range []Options{
		{Alpha: 1}, {Alpha: 0.3, Complement: true}, {Alpha: 1, TFIDF: true}, presets["topic"],
		{Alpha: 0.5, Interpolation: 0.5}, {Alpha: 1, FlatPrior: 1.5, Binary: true},
	} {
		m := NewModel("t", nil, classes, opt)
		for i, text := range texts {
			m.Learn(text, []string{classes[i%len(classes)]}, 1)
		}
		for i, text := range texts[:100] {
			m.Unlearn(text, []string{classes[i%len(classes)]}, 1)
		}
		nc, V := len(classes), len(m.terms)
		if V*nc < 4<<18 {
			t.Fatalf("%d terms: too few for byTerms to share the tables out", V)
		}
		st := stats{counts: m.counts, df: m.df, dn: m.dn, docs: m.docs, total: m.total}
		o := m.Options.normalized()
		prev := runtime.GOMAXPROCS(1)
		one := buildDerived(st, m.termOrder(), o, nc)
		runtime.GOMAXPROCS(4)
		garbage := &derived{eff: make([]float64, V*nc), w: make([]float64, V*nc), idf: make([]float64, V)}
		for _, b := range [][]float64{garbage.eff, garbage.w, garbage.idf} {
			for i := range b {
				b[i] = math.NaN()
			}
		}
		many := rebuildDerived(garbage, st, m.termOrder(), o, nc, nil)
		runtime.GOMAXPROCS(prev)
		for _, p := range []struct {
			name     string
			one, got []float64
		}{{"weights", one.w, many.w}, {"biases", one.bias, many.bias}, {"counts", one.eff, many.eff},
			{"class totals", one.ntot, many.ntot}, {"idf", one.idf, many.idf}} {
			if len(p.one) != len(p.got) {
				t.Fatalf("%v: %s: %d on one core, %d on four", opt, p.name, len(p.one), len(p.got))
			}
			for i := range p.one {
				if math.Float64bits(p.one[i]) != math.Float64bits(p.got[i]) {
					t.Fatalf("%v: %s[%d] is %v on four cores, %v on one", opt, p.name, i, p.got[i], p.one[i])
				}
			}
		}
		if one.vsize == V {
			t.Fatalf("%v: no term without documents", opt)
		}
	}
}
