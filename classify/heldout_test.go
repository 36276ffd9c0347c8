package classify

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// testHeldout returns held-out statistics for the 4 classes of
// testTaxonomy.
func testHeldout() *Heldout {
	h := &Heldout{Documents: 10, Folds: 10, Unclear: 0.4, MeanTopP: 0.61, MeanOOV: 0.12, OOV90: 0.3}
	h.Confusion = [][]int{{3, 1, 0, 0}, {0, 2, 0, 1}, {0, 0, 1, 0}, {1, 0, 0, 1}}
	h.Placed = [][]int{{3, 0, 0, 0}, {0, 2, 0, 0}, {0, 0, 1, 0}, {1, 0, 0, 0}}
	h.MeanPosterior = [][]float64{{0.7, 0.1, 0.1, 0.1}, {0.1, 0.6, 0.1, 0.2}, {0, 0, 1, 0}, {0.5, 0.2, 0.1, 0.2}}
	for range 4 {
		h.Classes = append(h.Classes, ClassHeldout{Predicted: 2, MeanTopP: 0.5, Precision: 0.5, TopPHist: make([]int, TopPBins)})
	}
	return h
}

func TestHeldoutRoundTripAndHash(t *testing.T) {
	m := seedModel(t, Options{}, nil, nil)
	m.Taxonomy = testTaxonomy()
	if m.Adjustable() || m.Heldout() != nil {
		t.Fatal("a fresh model has held-out statistics")
	}
	bare := m.Hash()
	if err := m.SetHeldout(testHeldout()); err != nil {
		t.Fatal(err)
	}
	if m.Hash() == bare {
		t.Error("the hash does not cover the held-out statistics")
	}
	withStats := m.Hash()
	h := m.Heldout()
	h.Confusion[0][0] = 99 // a copy: the model's stays
	if m.Heldout().Confusion[0][0] != 3 {
		t.Error("Heldout returns the model's own matrices")
	}
	d, err := DecodeModel(bytes.NewReader(encoded(t, m)))
	if err != nil {
		t.Fatal(err)
	}
	if !d.Adjustable() || d.Hash() != withStats || d.Heldout().Placed[3][0] != 1 || d.Heldout().Unclear != 0.4 {
		t.Fatalf("decoded held-out statistics %+v, hash %s want %s", d.Heldout(), d.Hash(), withStats)
	}
	// Training further drops them: they no longer describe the model.
	d.Learn("more words", []string{"a"}, 1)
	if d.Adjustable() {
		t.Error("learning keeps stale held-out statistics")
	}
	bad := testHeldout()
	bad.Placed[0][1] = 5 // more placed than counted
	if err := m.SetHeldout(bad); err == nil {
		t.Error("inconsistent statistics accepted")
	}
	bad = testHeldout()
	bad.Confusion = bad.Confusion[:3]
	if err := m.SetHeldout(bad); err == nil || !strings.Contains(err.Error(), "3 rows for 4 classes") {
		t.Errorf("wrong dimensions: %v", err)
	}
}

// TestSourceNotHashed: the same content under another source name has the
// same ID (issue 10.12); the source is still kept in the file.
func TestSourceNotHashed(t *testing.T) {
	a := seedModel(t, Options{}, nil, nil)
	b := seedModel(t, Options{}, nil, nil)
	a.Training.Source = "labels.jsonl: 46 labeled documents"
	b.Training.Source = "/home/x/./labels.jsonl: 46 labeled documents"
	if a.ID() != b.ID() {
		t.Fatalf("IDs differ by source: %s vs %s", a.ID(), b.ID())
	}
	b.Training.DataHash = "other data"
	if a.ID() == b.ID() {
		t.Error("the data hash is not hashed")
	}
	d, err := DecodeModel(bytes.NewReader(encoded(t, a)))
	if err != nil {
		t.Fatal(err)
	}
	if d.Training.Source != a.Training.Source || d.ID() != a.ID() {
		t.Errorf("decoded source %q, ID %s", d.Training.Source, d.ID())
	}
}

// TestReadVersion1 reads a version 1 file (the default model before held-out
// statistics): it loads, keeps its ID, and cannot be adjusted.
func TestReadVersion1(t *testing.T) {
	f, err := os.Open("testdata/model-v1.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := DecodeModel(f)
	if err != nil {
		t.Fatal(err)
	}
	if m.ID() != "huawei@e8f169f3792d" {
		t.Errorf("version 1 model ID %s, want huawei@e8f169f3792d", m.ID())
	}
	if m.Adjustable() || m.Heldout() != nil {
		t.Error("a version 1 model has held-out statistics")
	}
	if !strings.Contains(m.Training.Source, "seed-labels.jsonl") {
		t.Errorf("source %q", m.Training.Source)
	}
	// Written again, it is a version 2 file that reads back with the same
	// predictions and a version 2 hash.
	data := encoded(t, m)
	if !bytes.HasPrefix(data, []byte(`{"format":"stance-model","version":2,`)) {
		t.Fatalf("re-encoded as %.60s", data)
	}
	d, err := DecodeModel(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if d.ID() == m.ID() || m.ID() != "huawei@e8f169f3792d" {
		t.Errorf("IDs after re-encoding: %s (from v1 %s)", d.ID(), m.ID())
	}
	for _, body := range seedBodies(t) {
		if a, b := m.Predict(body), d.Predict(body); a.Label != b.Label || a.P != b.P {
			t.Fatal("predictions differ after re-encoding")
		}
	}
}

func TestOOV(t *testing.T) {
	m := handModel(Options{})
	unk, tot := m.OOV("")
	if unk != 0 || tot != 0 {
		t.Errorf("empty text: %d/%d", unk, tot)
	}
	var known string
	for _, c := range m.Classes() {
		if top := m.TopTokens(c, 1); len(top) > 0 {
			known = top[0].Token
			break
		}
	}
	unk, tot = m.OOV(known + " zzqx wwqy")
	if tot != 3 || unk != 2 {
		t.Errorf("OOV(%q + 2 unknown) = %d/%d, want 2/3", known, unk, tot)
	}
	b := handModel(Options{Bigrams: true})
	if unk, tot := b.OOV(known + " zzqx"); tot != 2 || unk != 1 {
		t.Errorf("with bigrams: %d/%d, want 1/2 (bigrams not counted)", unk, tot)
	}
}

func TestForeign(t *testing.T) {
	h := testHeldout() // unclear 0.4, OOV90 0.3
	for _, tc := range []struct {
		p          float64
		unk, total int
		want       bool
	}{
		{0.2, 5, 10, true},
		{0.5, 5, 10, false}, // placed
		{0.2, 2, 10, false}, // familiar words
		{0.2, 0, 0, false},  // no words
	} {
		if got := h.Foreign(tc.p, tc.unk, tc.total); got != tc.want {
			t.Errorf("Foreign(%v, %d, %d) = %v", tc.p, tc.unk, tc.total, got)
		}
	}
	var none *Heldout
	if none.Foreign(0, 1, 1) {
		t.Error("nil statistics flag a text")
	}
}

// TestScorerOOV checks that the scorer's out-of-vocabulary count, taken as
// it collects the features, is Model.OOV's on every seed body, with words
// the model lacks (half the bodies taught), bigrams, extra features and
// terms left with no documents by Unlearn.
func TestScorerOOV(t *testing.T) {
	bodies := seedBodies(t)
	sets := map[string]Options{"extra": {CharGrams: 4, Structure: true, Bigrams: true}}
	for name, opt := range optionSets {
		sets[name] = opt
	}
	for name, opt := range sets {
		var order []int
		for i := 0; i < len(bodies); i += 2 {
			order = append(order, i)
		}
		m := seedModel(t, opt, order, nil)
		check := func(stage string) {
			s := NewScorer(m)
			unknownSeen := 0
			for _, text := range append(bodies, "", "zzqx wwqy", "the the zzqx") {
				r := s.ScoreText(text)
				unk, tot := m.OOV(text)
				if want := (OOVCount{unk, tot, true}); r.OOV != want {
					t.Fatalf("%s, %s: ScoreText(%.40q).OOV = %+v, Model.OOV %+v", name, stage, text, r.OOV, want)
				}
				unknownSeen += unk
			}
			if unknownSeen == 0 {
				t.Fatalf("%s, %s: no unknown word in any text", name, stage)
			}
		}
		check("learned")
		m.Unlearn(bodies[0], []string{"a"}, 1) // terms of body 0 alone now have no documents
		check("after Unlearn")
	}
}
