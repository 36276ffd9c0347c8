package classify

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

// refineData returns the sentences of the seed thread with a label that
// depends on their words ("china", "us" or "rest"), as examples.
func refineData(t testing.TB) []Example {
	t.Helper()
	var ex []Example
	for _, b := range seedBodies(t) {
		for _, s := range strings.Split(b, ". ") {
			if len(s) < 20 {
				continue
			}
			l := strings.ToLower(s)
			label := "rest"
			switch {
			case strings.Contains(l, "china") || strings.Contains(l, "chinese"):
				label = "china"
			case strings.Contains(l, "u.s.") || strings.Contains(l, "america") || strings.Contains(l, "trump"):
				label = "us"
			}
			ex = append(ex, Example{Text: s, Label: label})
		}
	}
	if len(ex) < 150 {
		t.Fatalf("%d sentences", len(ex))
	}
	return ex
}

// refinedModel counts the examples with opt and refines the model on
// them with seed.
func refinedModel(t testing.TB, ex []Example, opt Options, seed uint64) *Model {
	t.Helper()
	opt.Refine = true
	m := NewModel("refined", nil, nil, opt)
	for _, e := range ex {
		m.Learn(e.Text, []string{e.Label}, 1)
	}
	if err := m.Refine(ex, seed); err != nil {
		t.Fatal(err)
	}
	return m
}

// logLoss is the mean negative log-probability of the examples' labels.
func logLoss(m *Model, ex []Example) float64 {
	classes := m.Classes()
	var sum float64
	for _, e := range ex {
		post := m.Posteriors(e.Text, nil)
		for c, p := range post {
			if classes[c] == e.Label {
				sum -= math.Log(p)
			}
		}
	}
	return sum / float64(len(ex))
}

// TestRefineFits checks that the refinement learns the examples: its
// loss (at temperature 1) is far below that of the class prior and its
// labels are right on the examples it learned, and that it is a function
// of the counts, the examples and the seed.
func TestRefineFits(t *testing.T) {
	ex := refineData(t)
	for _, opt := range []Options{{Alpha: 1}, {Alpha: 2, Binary: true, TFIDF: true, Bigrams: true, Negation: true}, {Alpha: 0.3, Complement: true, TFIDF: true}} {
		m := refinedModel(t, ex, opt, 1)
		if !m.Refined() || !strings.Contains(m.Options.String(), "refine") {
			t.Fatalf("%s: not refined", m.Options)
		}
		counts := map[string]float64{}
		for _, e := range ex {
			counts[e.Label]++
		}
		var prior float64 // the loss of predicting the label shares
		for _, n := range counts {
			p := n / float64(len(ex))
			prior -= n * math.Log(p)
		}
		prior /= float64(len(ex))
		loss := logLoss(m, ex)
		right := 0
		for _, e := range ex {
			if m.Predict(e.Text).Label == e.Label {
				right++
			}
		}
		if loss > prior/2 || right < len(ex)*9/10 {
			t.Errorf("%s: training loss %.3f (prior %.3f), %d of %d right", m.Options, loss, prior, right, len(ex))
		}
		again := refinedModel(t, ex, opt, 1)
		other := refinedModel(t, ex, opt, 2)
		nb := refinedModel(t, ex, opt, 1)
		nb.Learn("one more", []string{"rest"}, 1)
		nb.Unlearn("one more", []string{"rest"}, 1)
		if again.Hash() != m.Hash() {
			t.Errorf("%s: the same refinement gives another hash", m.Options)
		}
		if other.Hash() == m.Hash() {
			t.Errorf("%s: another seed gives the same hash", m.Options)
		}
		if nb.Refined() || nb.Hash() == m.Hash() {
			t.Errorf("%s: counting again keeps the fitted table", m.Options)
		}
	}
}

// TestRefineLifecycle checks which changes keep the fitted table.
func TestRefineLifecycle(t *testing.T) {
	ex := refineData(t)
	m := refinedModel(t, ex, Options{Alpha: 1}, 1)
	text := ex[0].Text
	want := m.Posteriors(text, nil)
	if c := m.Clone(); !c.Refined() || c.Hash() != m.Hash() {
		t.Error("a clone loses the fitted table")
	}
	opt := m.Options
	opt.Abstain, opt.Cues = 0.4, 3
	if c, err := m.WithOptions(opt); err != nil || !c.Refined() {
		t.Errorf("abstain and cues drop the fitted table (%v)", err)
	}
	opt = m.Options
	opt.Alpha = 3
	if c, err := m.WithOptions(opt); err != nil || c.Refined() {
		t.Errorf("another alpha keeps a table fitted under the old one (%v)", err)
	}
	for name, change := range map[string]func(*Model){
		"learn":     func(c *Model) { c.Learn("new text", []string{"us"}, 1) },
		"add class": func(c *Model) { c.AddClass("new") },
		"merge":     func(c *Model) { c.Merge(NewModel("o", nil, []string{"us"}, c.Options)) },
	} {
		c := m.Clone()
		change(c)
		if c.Refined() {
			t.Errorf("%s keeps the fitted table", name)
		}
	}
	if got := m.Posteriors(text, nil); !equalFloats(got, want) {
		t.Errorf("the model changed: %v, want %v", got, want)
	}
	nb := NewModel("nb", nil, nil, Options{Alpha: 1})
	if err := nb.Refine([]Example{{Text: "x", Label: "none"}}, 1); !errors.Is(err, ErrNoExamples) {
		t.Errorf("refining a model without classes: %v", err)
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestRefineEncoding checks that a refined model is written as version 3
// in both encodings and read back with the same hash and posteriors, and
// that the JSON's fitted weights are checked.
func TestRefineEncoding(t *testing.T) {
	ex := refineData(t)
	m := refinedModel(t, ex, Options{Alpha: 2, Binary: true, TFIDF: true, Bigrams: true, Negation: true}, 1)
	m.Options.Temperature = 1.7
	js := encoded(t, m)
	if !bytes.HasPrefix(js, []byte(`{"format":"stance-model","version":3,`)) || !bytes.Contains(js, []byte(`,"weight_bias":[`)) {
		t.Fatalf("JSON starts %.60s", js)
	}
	bin := encodedBinary(t, m)
	for name, data := range map[string][]byte{"json": js, "binary": bin, "binary zstd": zstdBytes(t, bin)} {
		d, err := DecodeModel(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !d.Refined() || d.Hash() != m.Hash() {
			t.Errorf("%s: refined %v, hash %s, want %s", name, d.Refined(), d.Hash(), m.Hash())
		}
		for _, e := range ex[:20] {
			if got, want := d.Posteriors(e.Text, nil), m.Posteriors(e.Text, nil); !equalFloats(got, want) {
				t.Fatalf("%s: posteriors %v, want %v", name, got, want)
			}
		}
		if !bytes.Equal(encoded(t, d), js) {
			t.Errorf("%s: re-encoded JSON differs", name)
		}
	}
	// Without the fitted table the content is another model's: the hash
	// does not match.
	cut := append(bytes.Clone(js[:bytes.Index(js, []byte(`,"weight_bias":`))]), "}\n"...)
	if _, err := DecodeModel(bytes.NewReader(cut)); !errors.Is(err, ErrCorruptModel) {
		t.Errorf("weights cut off: %v", err)
	}
	for name, c := range map[string]struct{ old, new, want string }{
		"version 2":   {`"version":3`, `"version":2`, "fitted weights in a version 2 file"},
		"short bias":  {`"weight_bias":[`, `"weight_bias":[1,`, "weight_bias entries"},
		"no weights":  {`"weights":[`, `"weights_":[`, "weight rows"},
		"short class": {`"weights":[[`, `"weights":[[0,`, "entries, want"},
	} {
		bad := bytes.Replace(js, []byte(c.old), []byte(c.new), 1)
		if _, err := DecodeModel(bytes.NewReader(bad)); !errors.Is(err, ErrCorruptModel) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
	// An unrefined model stays version 2.
	if nb := seedModel(t, Options{Alpha: 1}, nil, nil); !bytes.HasPrefix(encoded(t, nb), []byte(`{"format":"stance-model","version":2,`)) {
		t.Error("an unrefined model is not written as version 2")
	}
}

// refinedHandModel is handModel refined on its own documents: a version
// 3 file for the fuzz targets' seeds.
func refinedHandModel(tb testing.TB) *Model {
	m := handModel(Options{Bigrams: true, Refine: true})
	m.Taxonomy = &Taxonomy{Arguments: []Argument{{ID: "A", Stance: "for"}, {ID: "B"}}, Fallback: "B"}
	if err := m.Refine([]Example{{"x x y", "A"}, {"y z", "B"}}, 1); err != nil {
		tb.Fatal(err)
	}
	return m
}

// rawRefinedHandModel is refinedHandModel's table on the raw counts, as
// read from a version 3 file: a seed for the fuzz targets.
func rawRefinedHandModel(tb testing.TB) *Model {
	m := refinedHandModel(tb)
	m.refined = &refinement{w: m.refined.w, bias: m.refined.bias, rawTF: true}
	m.changed()
	return m
}

// TestRefineExamples checks that examples featurized once refine a copy
// of the model with some documents unlearned as Refine on the remaining
// texts does, and are refused by a model they were not made for.
func TestRefineExamples(t *testing.T) {
	ex := refineData(t)
	m := NewModel("m", nil, nil, Options{Alpha: 1, Binary: true, Refine: true})
	for _, e := range ex {
		m.Learn(e.Text, []string{e.Label}, 1)
	}
	set := m.Examples(ex)
	if set.Len() != len(ex) {
		t.Fatalf("%d examples, want %d", set.Len(), len(ex))
	}
	skip := make([]bool, len(ex))
	var rest []Example
	a, b := m.Clone(), m.Clone()
	for i, e := range ex {
		if skip[i] = i%3 == 0; skip[i] {
			a.Unlearn(e.Text, []string{e.Label}, 1)
			b.Unlearn(e.Text, []string{e.Label}, 1)
		} else {
			rest = append(rest, e)
		}
	}
	if err := a.RefineExamples(set, skip, 4); err != nil {
		t.Fatal(err)
	}
	if err := b.Refine(rest, 4); err != nil {
		t.Fatal(err)
	}
	if !a.Refined() || a.Hash() != b.Hash() {
		t.Errorf("shared examples give %s, Refine %s", a.Hash(), b.Hash())
	}
	other := NewModel("o", nil, []string{"x", "y"}, Options{})
	other.Learn("a b", []string{"x"}, 1)
	if err := other.RefineExamples(set, nil, 1); err == nil || !strings.Contains(err.Error(), "another model") {
		t.Errorf("examples of another model: %v", err)
	}
}

// TestReuseTables checks that a model reusing its tables' memory scores
// as one that does not, bit for bit, through folds unlearned, scored and
// learned back, refined or not, and that a rebuild leaves a refinement's
// table alone.
func TestReuseTables(t *testing.T) {
	ex := refineData(t)
	for _, opt := range []Options{{Alpha: 1}, {Alpha: 2, Binary: true, TFIDF: true, Bigrams: true, Negation: true}, {Alpha: 0.3, Complement: true, TFIDF: true}} {
		a, b := NewModel("m", nil, nil, opt), NewModel("m", nil, nil, opt)
		b.ReuseTables()
		for _, e := range ex {
			a.Learn(e.Text, []string{e.Label}, 1)
			b.Learn(e.Text, []string{e.Label}, 1)
		}
		for f := range 4 {
			var train []Example
			for i, e := range ex {
				if i%4 == f {
					a.Unlearn(e.Text, []string{e.Label}, 1)
					b.Unlearn(e.Text, []string{e.Label}, 1)
				} else {
					train = append(train, e)
				}
			}
			if f%2 == 1 {
				if err := a.Refine(train, 1); err != nil {
					t.Fatal(err)
				}
				if err := b.Refine(train, 1); err != nil {
					t.Fatal(err)
				}
			}
			for i, e := range ex {
				pa, pb := a.Posteriors(e.Text, nil), b.Posteriors(e.Text, nil)
				for c := range pa {
					if math.Float64bits(pa[c]) != math.Float64bits(pb[c]) {
						t.Fatalf("%s, fold %d, text %d: reusing %v, not %v", opt, f, i, pb, pa)
					}
				}
			}
			// A clone shares the refinement's table: b's next tables must
			// not be built in it.
			c := b.Clone()
			before := c.Posteriors(ex[0].Text, nil)
			for i, e := range ex {
				if i%4 == f {
					a.Learn(e.Text, []string{e.Label}, 1)
					b.Learn(e.Text, []string{e.Label}, 1)
				}
			}
			b.Posteriors(ex[1].Text, nil)
			if after := c.Posteriors(ex[0].Text, nil); !slices.Equal(before, after) {
				t.Fatalf("%s, fold %d: b's rebuild changed its clone's posteriors from %v to %v", opt, f, before, after)
			}
		}
		if a.Hash() != b.Hash() {
			t.Errorf("%s: hashes %s and %s", opt, a.Hash(), b.Hash())
		}
	}
}

// TestRefineWarmStart checks that a fold's refinement that starts from the
// solution of the refinement on all the examples (RefineExamples with
// skip after one without) fits the fold as one from 0 does: the two agree
// on the labels of nearly every held-out example, and are as often right.
func TestRefineWarmStart(t *testing.T) {
	// Examples whose label is not a class (left out of every fit) among
	// them, so that the fits' examples are not e's one for one.
	ex := refineData(t)
	for i := 0; i < len(ex); i += 7 {
		ex[i].Label = "not a class"
	}
	const k = 4
	for _, opt := range []Options{{Alpha: 1, Binary: true}, {Alpha: 2, Binary: true, TFIDF: true, Bigrams: true, Negation: true}} {
		opt.Refine = true
		m := NewModel("m", nil, []string{"china", "us", "rest"}, opt)
		for _, e := range ex {
			if e.Label != "not a class" {
				m.Learn(e.Text, []string{e.Label}, 1)
			}
		}
		warm, cold := m.Examples(ex), m.Examples(ex)
		if err := m.RefineExamples(warm, nil, 1); err != nil {
			t.Fatal(err)
		}
		if warm.warm == nil || cold.warm != nil {
			t.Fatalf("%s: a refinement on all the examples keeps no solution", opt)
		}
		agree, rightW, rightC, held := 0, 0, 0, 0
		for f := range k {
			skip := make([]bool, len(ex))
			for i := range ex {
				skip[i] = i%k == f
			}
			mw, mc := m.Clone(), m.Clone()
			for i, e := range ex {
				if skip[i] && e.Label != "not a class" {
					mw.Unlearn(e.Text, []string{e.Label}, 1)
					mc.Unlearn(e.Text, []string{e.Label}, 1)
				}
			}
			if err := mw.RefineExamples(warm, skip, 1); err != nil {
				t.Fatal(err)
			}
			if err := mc.RefineExamples(cold, skip, 1); err != nil {
				t.Fatal(err)
			}
			if cold.warm != nil {
				t.Fatalf("%s: a fold's refinement kept its solution", opt)
			}
			for i, e := range ex {
				if !skip[i] || e.Label == "not a class" {
					continue
				}
				held++
				lw, lc := mw.Predict(e.Text).Label, mc.Predict(e.Text).Label
				if lw == lc {
					agree++
				}
				if lw == e.Label {
					rightW++
				}
				if lc == e.Label {
					rightC++
				}
			}
		}
		if agree < held*9/10 || rightW < rightC-held/50 {
			t.Errorf("%s: warm and cold folds agree on %d of %d held-out examples; right %d warm, %d cold", opt, agree, held, rightW, rightC)
		}
	}
}

// TestFitNBSVMGroups checks that the side-by-side fit of three classes or
// more gives the same table, biases and dual solution to the bit however
// its classes are split among goroutines: five classes, 3,000 texts, from
// zero and warm-started, stopped by the pass limit and by the tolerance.
func TestFitNBSVMGroups(t *testing.T) {
	var pieces []string
	for _, b := range seedBodies(t) {
		pieces = append(pieces, strings.Fields(b)...)
	}
	texts := pieceTexts(pieces, 3000, 30, 5)
	classes := []string{"china", "us", "europe", "5g", "rest"}
	m := NewModel("groups", nil, nil, Options{Alpha: 1, Binary: true, Bigrams: true, Refine: true})
	var ex []Example
	for _, s := range texts {
		l := strings.ToLower(s)
		label := classes[len(s)%len(classes)]
		for _, c := range classes[:4] {
			if strings.Contains(l, c) {
				label = c
				break
			}
		}
		m.Learn(s, []string{label}, 1)
		ex = append(ex, Example{Text: s, Label: label})
	}
	e := m.Examples(ex)
	rt := newRatios(m.counts, m.dn, 1, len(m.classes))
	if rt.nc != 5 {
		t.Fatalf("%d classes", rt.nc)
	}
	check := func(seed uint64, passes int, warm [][]float64) [][]float64 {
		w1, b1, s1 := fitNBSVMJoint(e.xs, e.ys, rt, seed, passes, warm, true, 1)
		for _, groups := range []int{2, 3, 5, 9} {
			w, b, s := fitNBSVMJoint(e.xs, e.ys, rt, seed, passes, warm, true, groups)
			same := slices.Equal(w, w1) && slices.Equal(b, b1) && len(s) == len(s1)
			for c := range s {
				same = same && slices.Equal(s[c], s1[c])
			}
			if !same {
				t.Errorf("%d passes, warm %v, %d groups: the fit differs from one group's", passes, warm != nil, groups)
			}
		}
		return s1
	}
	for _, passes := range []int{RefinePasses, 200} {
		sol := check(7, passes, nil)
		check(8, RefineWarmPasses, sol)
	}
}

// TestRefineSublinear checks what a refined model without Binary scores
// and learns from: b_c + Σ_t (1 + ln tf_t)·w_tc over a text's known
// terms met tf_t times, at its temperature; and that a table fitted on
// the raw counts (a version 3 file's) keeps scoring those, and is written
// as version 3 again under its own hash.
func TestRefineSublinear(t *testing.T) {
	ex := refineData(t)
	m := refinedModel(t, ex, Options{Alpha: 1, TFIDF: true, Bigrams: true}, 1)
	m.Options.Temperature = 1.7
	// posteriors by hand from the fitted table; repeats counts the terms
	// met more than once.
	byHand := func(m *Model, text string, raw bool) (post []float64, repeats int) {
		d := m.tables()
		s := d.get(m)
		defer d.put(s)
		s.features(m, d.opt, text)
		nc := len(m.classes)
		sc := slices.Clone(m.refined.bias)
		for k, id := range s.ids {
			f := s.tf[k]
			if f > 1 {
				repeats++
				if !raw {
					f = 1 + math.Log(f)
				}
			}
			for c := range sc {
				sc[c] += f * m.refined.w[int(id)*nc+c]
			}
		}
		var sum float64
		for c := range sc {
			sc[c] /= m.Options.Temperature
		}
		mx := slices.Max(sc)
		for c := range sc {
			sc[c] = math.Exp(sc[c] - mx)
			sum += sc[c]
		}
		for c := range sc {
			sc[c] /= sum
		}
		return sc, repeats
	}
	near := func(a, b []float64) bool {
		for i := range a {
			if math.Abs(a[i]-b[i]) > 1e-12 {
				return false
			}
		}
		return len(a) == len(b)
	}
	texts := []string{ex[0].Text + " " + ex[0].Text, ex[1].Text + ". " + ex[2].Text + " " + ex[1].Text, ex[3].Text}
	repeated := 0
	for _, text := range texts {
		want, n := byHand(m, text, false)
		repeated += n
		if got := m.Posteriors(text, nil); !near(got, want) {
			t.Errorf("posteriors %v, by hand %v: %q", got, want, text)
		}
	}
	if repeated == 0 {
		t.Fatal("no text repeats a term: the test tells nothing")
	}
	// The examples it is fitted on hold the same features.
	e := m.Examples([]Example{{texts[0], ex[0].Label}})
	d := m.tables()
	s := d.get(m)
	s.features(m, d.opt, texts[0])
	for k, v := range s.tf {
		if got, want := e.xs[0].tf[k], 1+math.Log(v); math.Abs(got-want) > 1e-15 {
			t.Fatalf("example feature %d: %v for a term met %v times, want %v", k, got, v, want)
		}
	}
	d.put(s)

	// Version 4, "weight_tf" in the hashed content.
	js := encoded(t, m)
	if !bytes.HasPrefix(js, []byte(`{"format":"stance-model","version":4,`)) || !bytes.Contains(js, []byte(`,"weight_tf":"sublinear","weight_bias":[`)) {
		t.Fatalf("JSON starts %.60s", js)
	}
	// The same table on the raw counts, as read from a version 3 file.
	l := m.Clone()
	l.refined = &refinement{w: m.refined.w, bias: m.refined.bias, rawTF: true}
	l.changed()
	if l.Hash() == m.Hash() {
		t.Error("the raw-count table has the sublinear one's hash")
	}
	ljs := encoded(t, l)
	if !bytes.HasPrefix(ljs, []byte(`{"format":"stance-model","version":3,`)) || bytes.Contains(ljs, []byte(`weight_tf`)) {
		t.Fatalf("raw-count table's JSON starts %.60s", ljs)
	}
	for name, c := range map[string]struct {
		model     *Model
		data      []byte
		raw       bool
		encodeAgn []byte
	}{
		"v4 json": {m, js, false, js}, "v4 binary": {m, encodedBinary(t, m), false, js},
		"v3 json": {l, ljs, true, ljs}, "v3 binary": {l, encodedBinary(t, l), true, ljs},
	} {
		dm, err := DecodeModel(bytes.NewReader(c.data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if dm.Hash() != c.model.Hash() || dm.refined.rawTF != c.raw {
			t.Errorf("%s: hash %s raw %v, want %s %v", name, dm.Hash(), dm.refined.rawTF, c.model.Hash(), c.raw)
		}
		for _, text := range texts {
			if want, _ := byHand(c.model, text, c.raw); !near(dm.Posteriors(text, nil), want) {
				t.Errorf("%s: posteriors %v, by hand %v", name, dm.Posteriors(text, nil), want)
			}
		}
		if !bytes.Equal(encoded(t, dm), c.encodeAgn) {
			t.Errorf("%s: written again otherwise", name)
		}
	}
	// The version and weight_tf must agree.
	for name, c := range map[string]struct {
		data     []byte
		old, new string
		want     string
	}{
		"v4 without weight_tf": {js, `"weight_tf":"sublinear",`, ``, `without weight_tf`},
		"v4 other weight_tf":   {js, `"weight_tf":"sublinear"`, `"weight_tf":"log"`, `weight_tf "log" in a version 4 file`},
		"v3 with weight_tf":    {ljs, `"weight_bias":`, `"weight_tf":"sublinear","weight_bias":`, `weight_tf "sublinear" in a version 3 file`},
		"v4 binary model":      {js, `"tfidf":true,`, `"tfidf":true,"binary":true,`, `fitted weights of a binary model`},
	} {
		bad := bytes.Replace(c.data, []byte(c.old), []byte(c.new), 1)
		if bytes.Equal(bad, c.data) {
			t.Fatalf("%s: nothing replaced", name)
		}
		if _, err := DecodeModel(bytes.NewReader(bad)); !errors.Is(err, ErrCorruptModel) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
}
