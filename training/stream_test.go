package training

import (
	"errors"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stance-dev/stance/classify"
)

// streamDocs returns the seed labels and the held-out sentences, 70
// documents, some with secondary labels.
func streamDocs(t *testing.T) []Doc {
	t.Helper()
	docs := readSeed(t)
	f, err := os.Open("testdata/heldout.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	more, err := ReadDocs("heldout.jsonl", f)
	if err != nil {
		t.Fatal(err)
	}
	docs = append(docs, more...)
	multi := 0
	for _, d := range docs {
		if len(d.Labels) > 1 {
			multi++
		}
	}
	if multi == 0 {
		t.Fatal("no document with secondary labels in the test data")
	}
	return docs
}

// TestStreamCountsEqualTrain checks that training on a stream (here: more
// than 8 documents) counts exactly what training in memory counts: the
// same model hash without calibration, whatever the options, with a
// taxonomy, without one (classes met in any order end up sorted), with
// labels added to a taxonomy as they are met, and with weighted
// secondary labels.
func TestStreamCountsEqualTrain(t *testing.T) {
	docs := streamDocs(t)
	small := DefaultTaxonomy()
	small.Arguments = small.Arguments[:len(small.Arguments)-3]
	for _, tc := range []struct {
		name   string
		preset string
		tax    *classify.Taxonomy
		add    bool
		sw     *float64
		refine bool
	}{
		{"default taxonomy", "default", DefaultTaxonomy(), false, nil, false},
		{"topic taxonomy", "topic", DefaultTaxonomy(), false, nil, false},
		{"opinion no taxonomy", "opinion", nil, false, nil, false},
		{"topic added labels", "topic", small, true, nil, false},
		{"secondary half", "default", nil, false, Weight(0.5), false},
		{"secondary none", "opinion", DefaultTaxonomy(), false, Weight(0), false},
		{"opinion refined", "opinion", nil, false, nil, true},
		{"topic taxonomy refined", "topic", DefaultTaxonomy(), false, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt, err := classify.Preset(tc.preset)
			if err != nil {
				t.Fatal(err)
			}
			opt.Refine = tc.refine
			cfg := Config{Name: "m", Options: opt, Taxonomy: tc.tax, AddLabels: tc.add, SecondaryWeight: tc.sw, Seed: 2}
			want, wantLab, err := trainStreamAt(Docs(docs), cfg, len(docs), len(docs))
			if err != nil {
				t.Fatal(err)
			}
			got, gotLab, err := trainStreamAt(Docs(docs), cfg, 8, len(docs))
			if err != nil {
				t.Fatal(err)
			}
			if got.Hash() != want.Hash() || got.Refined() != tc.refine || want.Refined() != tc.refine {
				t.Errorf("streamed hash %s (refined %v), in memory %s (refined %v)", got.Hash(), got.Refined(), want.Hash(), want.Refined())
			}
			if !reflect.DeepEqual(got.Classes(), want.Classes()) || !reflect.DeepEqual(got.Taxonomy, want.Taxonomy) {
				t.Errorf("classes %v, want %v", got.Classes(), want.Classes())
			}
			if !reflect.DeepEqual(got.Training, want.Training) {
				t.Errorf("training %+v, want %+v", got.Training, want.Training)
			}
			if !reflect.DeepEqual(gotLab, wantLab) || gotLab.Documents != len(docs) {
				t.Errorf("labeled %+v, want %+v", gotLab, wantLab)
			}
		})
	}
}

// TestStreamCalibrationEqualsUnlearning checks the cross-validation of a
// stream (the fold's counts subtracted from the total) against unlearning
// each fold's documents from the full model, on the same folds (the
// sample is all documents: document i in fold i mod 10), refined or not.
func TestStreamCalibrationEqualsUnlearning(t *testing.T) {
	docs := streamDocs(t)
	for _, preset := range []string{"default", "topic", "opinion", "opinion refine"} {
		t.Run(preset, func(t *testing.T) {
			name, refine := strings.CutSuffix(preset, " refine")
			opt, err := classify.Preset(name)
			if err != nil {
				t.Fatal(err)
			}
			opt.Refine = refine
			cfg := Config{Name: "m", Options: opt, Taxonomy: DefaultTaxonomy(), Seed: 5, Calibrate: true}
			got, _, err := trainStreamAt(Docs(docs), cfg, 8, len(docs))
			if err != nil {
				t.Fatal(err)
			}
			folds := make([][]int, DefaultFolds)
			for i := range docs {
				k := i % DefaultFolds
				folds[k] = append(folds[k], i)
			}
			temp, h, err := calibrateRun(heldoutFolds(docs, cfg, folds), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got.Options.Temperature != temp {
				t.Errorf("temperature %g, want %g", got.Options.Temperature, temp)
			}
			if h == nil || h.Documents != len(docs) {
				t.Fatalf("held-out statistics %+v", h)
			}
			if gh := got.Heldout(); !reflect.DeepEqual(gh, h) {
				t.Errorf("held-out statistics\n%+v\nwant\n%+v", gh, h)
			}
			if refine {
				nb := cfg
				nb.Options.Refine = false
				if _, hnb, _ := calibrateRun(heldoutFolds(docs, nb, folds), nb); reflect.DeepEqual(hnb, h) {
					t.Error("the refined folds' held-out statistics are naive Bayes'")
				}
			}
			// Calibration does not touch the counts.
			cfg.Calibrate = false
			plain, err := Train(docs, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got.Vocabulary() != plain.Vocabulary() || got.Training.DataHash != plain.Training.DataHash {
				t.Error("calibrated and plain streamed models differ in their counts")
			}
		})
	}
}

// TestStreamDeterministic trains twice on a stream with calibration and
// AutoAlpha on a sample of 30 of the 70 documents, and gets the same
// model, calibrated on 30 held-out predictions.
func TestStreamDeterministic(t *testing.T) {
	docs := streamDocs(t)
	cfg := Config{Name: "m", Options: classify.Options{}, Seed: 9, Calibrate: true, AutoAlpha: true}
	a, _, err := trainStreamAt(Docs(docs), cfg, 8, 30)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := trainStreamAt(Docs(docs), cfg, 8, 30)
	if err != nil {
		t.Fatal(err)
	}
	if a.Hash() != b.Hash() {
		t.Errorf("two runs: %s and %s", a.Hash(), b.Hash())
	}
	if h := a.Heldout(); h == nil || h.Documents != 30 {
		t.Errorf("held-out statistics %+v, want 30 documents", h)
	}
	cfg.Seed = 10
	if c, _, err := trainStreamAt(Docs(docs), cfg, 8, 30); err != nil || c.Heldout() == nil || reflect.DeepEqual(c.Heldout(), a.Heldout()) {
		t.Errorf("another seed, another sample and other folds: the same held-out statistics (%v)", err)
	}
}

// failing fails after n documents.
type failing struct {
	sliceSource
	n int
}

var errRead = errors.New("disk on fire")

func (f *failing) Next() (Doc, error) {
	if f.i >= f.n {
		return Doc{}, errRead
	}
	return f.sliceSource.Next()
}

func TestStreamErrors(t *testing.T) {
	docs := streamDocs(t)
	cfg := Config{Name: "m", Taxonomy: DefaultTaxonomy(), Calibrate: true}
	for _, n := range []int{3, 30, 60} {
		if _, _, err := trainStreamAt(&failing{sliceSource{docs: docs}, n}, cfg, 8, 20); !errors.Is(err, errRead) {
			t.Errorf("read error after %d documents: %v", n, err)
		}
	}
	bad := append([]Doc(nil), docs...)
	bad[40] = Doc{Text: "x", Labels: []string{"nonsense"}, File: "f.jsonl", Line: 41}
	_, _, err := trainStreamAt(Docs(bad), cfg, 8, 20)
	var te *Error
	if !errors.As(err, &te) || te.Line != 41 || !strings.Contains(err.Error(), `unknown label "nonsense"`) {
		t.Errorf("unknown label: %v", err)
	}
	if _, _, err := TrainStream(Docs(nil), cfg); err == nil {
		t.Error("no documents: no error")
	}
}

// TestStreamRetractions trains on records with retractions: in memory the
// retracted documents are dropped (as ReadDocs does), on a stream their
// counts are subtracted; the counts are the same, and so are the
// held-out predictions of the documents left.
func TestStreamRetractions(t *testing.T) {
	docs := streamDocs(t)
	for i := range docs {
		docs[i].ID = strings.Repeat("i", i%40+1) // IDs repeat across the two files
		docs[i].File = []string{"a", "b"}[i/40]
	}
	var raw, kept []Doc
	for i, d := range docs {
		raw = append(raw, d)
		if i == 30 || i == 65 {
			r := docs[i-25]
			r.Retract = true
			raw = append(raw, r)
			kept = slices.DeleteFunc(kept, func(k Doc) bool { return k.ID == r.ID && k.File == r.File })
		}
		kept = append(kept, d)
	}
	if len(kept) != len(docs)-2 {
		t.Fatalf("%d documents kept", len(kept))
	}
	cfg := Config{Name: "m", Taxonomy: DefaultTaxonomy(), Seed: 4}
	want, err := Train(kept, cfg)
	if err != nil {
		t.Fatal(err)
	}
	small, lab, err := trainStreamAt(Docs(raw), cfg, len(raw), len(raw))
	if err != nil {
		t.Fatal(err)
	}
	if small.Hash() != want.Hash() || lab.Documents != len(kept) {
		t.Errorf("in memory: %s (%d documents), want %s (%d)", small.Hash(), lab.Documents, want.Hash(), len(kept))
	}
	got, lab, err := trainStreamAt(Docs(raw), cfg, 8, len(raw))
	if err != nil {
		t.Fatal(err)
	}
	if lab.Documents != len(kept) {
		t.Errorf("streamed: %d documents, want %d", lab.Documents, len(kept))
	}
	got.Training.DataHash, want.Training.DataHash = "", ""
	if got.Hash() != want.Hash() {
		t.Errorf("streamed counts differ from the counts without the retracted documents")
	}
	cfg.Calibrate = true
	got, _, err = trainStreamAt(Docs(raw), cfg, 8, len(raw))
	if err != nil {
		t.Fatal(err)
	}
	if h := got.Heldout(); h == nil || h.Documents != len(kept) {
		t.Errorf("held-out statistics of %+v documents, want %d", h, len(kept))
	}
}
