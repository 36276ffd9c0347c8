package training

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stance-dev/stance/classify"
)

var sweep = flag.Bool("sweep", false, "print the cue-weight and option sweep on the seed labels")

func readHeldout(t testing.TB) []Doc {
	t.Helper()
	f, err := os.Open("testdata/heldout.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	docs, err := ReadDocs("testdata/heldout.jsonl", f)
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

// TestSweep prints, for each option set and cue weight, leave-one-out
// accuracy and macro-F1 on the seed labels and the accuracy on the
// held-out sentences of a model trained on all the seed labels:
//
//	go test ./training -run TestSweep -sweep -v
func TestSweep(t *testing.T) {
	if !*sweep {
		t.Skip("run with -sweep")
	}
	seed, held := readSeed(t), readHeldout(t)
	tax := DefaultTaxonomy()
	type set struct {
		name string
		opt  classify.Options
	}
	var sets []set
	for _, n := range classify.PresetNames() {
		o, _ := classify.Preset(n)
		sets = append(sets, set{n, o})
	}
	sets = append(sets,
		set{"binary", classify.Options{Binary: true}},
		set{"binary+negation", classify.Options{Binary: true, Negation: true}},
		set{"binary+stopwords", classify.Options{Binary: true, Stopwords: true}},
		set{"multinomial+stopwords", classify.Options{Stopwords: true}},
		set{"complement+binary", classify.Options{Complement: true, Binary: true}},
		set{"complement+binary+stop", classify.Options{Complement: true, Binary: true, Stopwords: true}},
		set{"tfidf+stopwords", classify.Options{TFIDF: true, Stopwords: true}},
		set{"bigrams+binary+stop", classify.Options{Bigrams: true, Binary: true, Stopwords: true}},
	)
	if only := os.Getenv("SWEEP_SETS"); only != "" {
		var keep []set
		for _, s := range sets {
			if strings.Contains(","+only+",", ","+s.name+",") {
				keep = append(keep, s)
			}
		}
		sets = keep
	}
	alphas := []float64{0.05, 0.1, 0.2, 0.5, 1}
	cues := []float64{-1, 0.05, 0.1, 0.25, 0.5, 1, 2, 4}
	fmt.Printf("%-24s %5s %5s %4s | %6s %6s | %6s %6s\n", "options", "alpha", "cue", "sec", "LOOacc", "LOOmF1", "heldA", "heldF1")
	for _, s := range sets {
		for _, a := range alphas {
			for _, cw := range cues {
				for _, sw := range []float64{-1, 0.5, 1} {
					o := s.opt
					o.Alpha = a
					cfg := Config{Name: "huawei", Taxonomy: tax, Options: o, CueWeight: Weight(cw), SecondaryWeight: Weight(sw)}
					met, err := crossValidate(seed, cfg, PlanFolds(seed, len(seed), 1))
					if err != nil {
						t.Fatal(err)
					}
					m, _ := Train(seed, cfg)
					hm := NewMetrics(m.Classes())
					for _, d := range held {
						hm.Add(d.Label(), m.Predict(d.Text).Label)
					}
					fmt.Printf("%-24s %5g %5g %4g | %6.3f %6.3f | %6.3f %6.3f\n", s.name, a, cw, sw, met.Accuracy(), met.MacroF1(), hm.Accuracy(), hm.MacroF1())
				}
			}
		}
	}
}
