package training

import (
	"bytes"
	"testing"
)

// TestModelIDIgnoresPathSpelling: the same data and options give the same
// model ID whatever the training file is called (issue 10.12); the name
// stays in the summary.
func TestModelIDIgnoresPathSpelling(t *testing.T) {
	var ids, sources []string
	for _, name := range []string{"labels.jsonl", "./labels.jsonl", "/home/someone/labels.jsonl", "stdin"} {
		docs, err := ReadDocs(name, bytes.NewReader(SeedLabels()))
		if err != nil {
			t.Fatal(err)
		}
		m, err := Train(docs, DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID())
		sources = append(sources, m.Training.Source)
	}
	for i := range ids {
		if ids[i] != ids[0] {
			t.Errorf("ID %s for source %q, %s for %q", ids[i], sources[i], ids[0], sources[0])
		}
	}
	if sources[0] == sources[1] {
		t.Errorf("the source is not kept as metadata: %q", sources[0])
	}
}

// TestTrainKeepsHeldout: a calibrated model carries the held-out
// statistics of the same cross-validation that fitted its temperature.
func TestTrainKeepsHeldout(t *testing.T) {
	docs, err := ReadDocs(seedLabelsName, bytes.NewReader(SeedLabels()))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Train(docs, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	h := m.Heldout()
	if h == nil {
		t.Fatal("no held-out statistics")
	}
	if h.Documents != len(docs) || h.Folds != len(docs) {
		t.Errorf("documents %d folds %d, want %d (leave-one-out)", h.Documents, h.Folds, len(docs))
	}
	// The held-out confusion is the one eval reports (the same folds and
	// the same labels).
	r, err := Evaluate(docs, DefaultConfig(), EvalOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for g := range h.Confusion {
		for p := range h.Confusion[g] {
			if h.Confusion[g][p] != r.Confusion.Matrix[g][p] {
				t.Fatalf("held-out confusion %v, eval's %v", h.Confusion, r.Confusion.Matrix)
			}
		}
	}
	if !(h.Unclear > 0 && h.Unclear < 1) || !(h.MeanTopP > 0 && h.MeanTopP <= 1) || !(h.MeanOOV > 0 && h.MeanOOV < 1) {
		t.Errorf("unclear %v, mean top P %v, mean OOV %v", h.Unclear, h.MeanTopP, h.MeanOOV)
	}
	placed := 0
	for g := range h.Placed {
		for _, n := range h.Placed[g] {
			placed += n
		}
	}
	if placed == 0 || placed >= h.Documents {
		t.Errorf("%d of %d placed at threshold %v", placed, h.Documents, h.Unclear)
	}
	cfg := DefaultConfig()
	cfg.Calibrate = false
	if u, _ := Train(docs, cfg); u.Adjustable() {
		t.Error("an uncalibrated model has held-out statistics")
	}
}

func TestChooseUnclear(t *testing.T) {
	// 30 documents: those below 0.4 are right 1 time in 5, those above
	// right 4 in 5. Chow's rule at cost 0.5 leaves the first unclear.
	var p []float64
	var right []bool
	for i := range 30 {
		if i < 10 {
			p = append(p, 0.2+0.01*float64(i))
			right = append(right, i%5 == 0)
		} else {
			p = append(p, 0.5+0.01*float64(i))
			right = append(right, i%5 != 1)
		}
	}
	got := ChooseUnclear(p, right)
	if !(got > 0.29 && got <= 0.6) {
		t.Errorf("threshold %v, want between 0.29 and 0.6", got)
	}
	// All right: nothing is unclear.
	for i := range right {
		right[i] = true
	}
	if got := ChooseUnclear(p, right); got != 0 {
		t.Errorf("all right: threshold %v, want 0", got)
	}
	if got := ChooseUnclear(p[:10], right[:10]); got != 0 {
		t.Errorf("too few documents: threshold %v, want 0", got)
	}
}
