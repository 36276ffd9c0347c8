package training

import (
	"fmt"
	"os"
	"testing"

	"github.com/stance-dev/stance/classify"
)

// TestFinishCountsEqualsTrain counts the seed labels in three parts,
// merges them in another order and checks that FinishCounts gives Train's
// model, hash included, whenever ExactCounts holds.
func TestFinishCountsEqualsTrain(t *testing.T) {
	f, err := os.Open("default/seed-labels.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	docs, err := ReadDocs("seed-labels.jsonl", f)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		preset string
		tax    bool
		calib  bool
		auto   bool
		exact  bool
	}{
		{"default", "default", false, false, false, true},
		{"default calibrated taxonomy", "default", true, true, false, true},
		{"auto alpha", "default", true, true, true, true},
		{"topic", "topic", true, true, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt, err := classify.Preset(tc.preset)
			if err != nil {
				t.Fatal(err)
			}
			cfg := Config{Name: "m", Options: opt, Calibrate: tc.calib, AutoAlpha: tc.auto, Seed: 3}
			if tc.tax {
				cfg.Taxonomy = DefaultTaxonomy()
			}
			if ExactCounts(cfg) != tc.exact {
				t.Fatalf("ExactCounts = %v, want %v", !tc.exact, tc.exact)
			}
			want, err := Train(docs, cfg)
			if err != nil {
				t.Fatal(err)
			}
			var parts []*classify.Model
			for _, r := range [][2]int{{0, 7}, {7, 31}, {31, len(docs)}} {
				m := NewCountModel(nil, cfg)
				for _, d := range docs[r[0]:r[1]] {
					LearnDoc(m, d, cfg)
				}
				parts = append(parts, m)
			}
			sum := NewCountModel(nil, cfg)
			for i := len(parts) - 1; i >= 0; i-- {
				if err := sum.Merge(parts[i]); err != nil {
					t.Fatal(err)
				}
			}
			got, err := FinishCounts(sum, docs, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if tc.exact && got.Hash() != want.Hash() {
				t.Errorf("hash %s, want Train's %s", got.ID(), want.ID())
			}
			if !tc.exact {
				t.Logf("TF-IDF counts merged in another order: hash %s, Train's %s", got.ID(), want.ID())
				seq, err := FinishCounts(nil, docs, cfg)
				if err != nil {
					t.Fatal(err)
				}
				if seq.Hash() != want.Hash() {
					t.Errorf("counted in order: hash %s, want Train's %s", seq.ID(), want.ID())
				}
			}
		})
	}
}

// TestFinishCountsStreamed: on more documents than Train holds in memory,
// FinishCounts still gives Train's model, calibration included.
func TestFinishCountsStreamed(t *testing.T) {
	seed := readSeed(t)
	docs := make([]Doc, SmallData+100)
	for i := range docs {
		d := seed[i%len(seed)]
		d.Text = fmt.Sprintf("%s %d", d.Text, i%97)
		docs[i] = d
	}
	cfg := DefaultConfig()
	want, err := Train(docs, cfg)
	if err != nil {
		t.Fatal(err)
	}
	counts := NewCountModel(nil, cfg)
	for _, d := range docs {
		LearnDoc(counts, d, cfg)
	}
	got, err := FinishCounts(counts, docs, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got.Hash() != want.Hash() || got.Heldout() == nil {
		t.Errorf("FinishCounts %s, Train %s", got.ID(), want.ID())
	}
}
