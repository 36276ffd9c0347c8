package training

import (
	"os"
	"strings"
	"testing"

	"github.com/stance-dev/stance/classify"
)

// TestRefineLearnsCues checks that a refined model of the seed labels
// learns from the taxonomy's cue phrases too, as naive Bayes does: on the
// 20 held-out sentences it labels as well as the default model's options
// without the refinement (17 of 20), where a refinement on the 50
// comments alone gets 8 right.
func TestRefineLearnsCues(t *testing.T) {
	f, err := os.Open("testdata/heldout.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	test, err := ReadDocs("heldout.jsonl", f)
	if err != nil {
		t.Fatal(err)
	}
	opt, _ := classify.Preset("topic")
	opt.Refine = true
	r, err := Evaluate(seedDocs(t), Config{Taxonomy: DefaultTaxonomy(), Options: opt, Seed: 1, Calibrate: true}, EvalOptions{Test: test})
	if err != nil {
		t.Fatal(err)
	}
	if r.Accuracy < 0.8 {
		t.Errorf("refined: accuracy %.3f on the held-out sentences, want >= 0.8", r.Accuracy)
	}
}

// TestModelCardRefined checks that the model card tells a refined model,
// and one whose options ask for a refinement its counts no longer have.
func TestModelCardRefined(t *testing.T) {
	opt, _ := classify.Preset("topic")
	opt.Refine = true
	m, err := Train(seedDocs(t), Config{Taxonomy: DefaultTaxonomy(), Options: opt, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if c := NewModelCard(m, 0); !c.Refined || strings.Contains(c.OptionText, "not fitted") {
		t.Errorf("refined model: refined %v, options %q", c.Refined, c.OptionText)
	}
	m.Learn("one more comment", []string{m.Classes()[0]}, 1)
	if c := NewModelCard(m, 0); c.Refined || !strings.Contains(c.OptionText, "refine not fitted") {
		t.Errorf("after Learn: refined %v, options %q", c.Refined, c.OptionText)
	}
	def, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	plain := NewModelCard(def, 0)
	if plain.Refined || strings.Contains(plain.OptionText, "refine") {
		t.Errorf("default model: refined %v, options %q", plain.Refined, plain.OptionText)
	}
}

// TestStreamRefinedAtScale trains a refined, calibrated model on a stream
// of 4,000 short documents (counted as a stream beyond 500, a sample of
// 1,000 held out), twice: the same model both times, refined, with the
// sample's held-out statistics. Under -race (CI) this runs the folds'
// refinement on every core.
func TestStreamRefinedAtScale(t *testing.T) {
	two := shortDocs(t, 4000)
	// Three classes (one problem per class, fitted side by side) as well
	// as two (one problem): the documents about China are a third class.
	three := make([]Doc, len(two))
	for i, d := range two {
		three[i] = d
		if strings.Contains(strings.ToLower(d.Text), "chin") {
			three[i].Labels = []string{"c"}
		}
	}
	opt, _ := classify.Preset("opinion")
	opt.Refine = true
	cfg := Config{Name: "m", Options: opt, Seed: 3, Calibrate: true}
	for k, docs := range [][]Doc{two, three} {
		a, _, err := trainStreamAt(Docs(docs), cfg, 500, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Classes()) != 2+k {
			t.Fatalf("classes %v, want %d", a.Classes(), 2+k)
		}
		b, _, err := trainStreamAt(Docs(docs), cfg, 500, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if a.Hash() != b.Hash() {
			t.Errorf("%d classes, two runs: %s and %s", len(a.Classes()), a.Hash(), b.Hash())
		}
		if h := a.Heldout(); !a.Refined() || h == nil || h.Documents != 1000 || !(a.Options.Temperature > 0) {
			t.Errorf("%d classes: refined %v, held-out %+v, temperature %g", len(a.Classes()), a.Refined(), h, a.Options.Temperature)
		}
	}
}
