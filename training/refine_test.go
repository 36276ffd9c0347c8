package training

import (
	"os"
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
