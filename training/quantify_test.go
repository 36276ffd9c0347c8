package training

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/quantify"
)

// TestEvaluateQuantifySeed runs the protocol on the seed labels (held-out
// predictions split by fold): every method is scored, and the Bayesian
// intervals are wider than classify-and-count's Wilson intervals.
func TestEvaluateQuantifySeed(t *testing.T) {
	docs, err := ReadDocs(seedLabelsName, bytes.NewReader(SeedLabels()))
	if err != nil {
		t.Fatal(err)
	}
	q, err := EvaluateQuantify(docs, DefaultConfig(), EvalOptions{Seed: 1},
		QuantifyOptions{Samples: 10, Size: 100, Estimate: quantify.Options{Bootstrap: 20, Draws: 200, Burn: 50}})
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Scores) != len(quantify.Methods()) || q.Calibration == 0 || q.Pool == 0 {
		t.Fatalf("report %+v", q)
	}
	by := q.ByMethod()
	if by["bayes"].Width <= by["cc"].Width || by["cc"].MAE == 0 {
		t.Errorf("scores %+v", by)
	}
	var r EvalReport
	r.SetQuantify(q)
	if len(r.Quantify) != len(quantify.Methods()) {
		t.Errorf("report quantify %+v", r.Quantify)
	}
}

// TestMeasureQuantify prints the APP figures on a labeled corpus made by
// /work/shared/bench/mkcorpus.go (train.ft and test.ft in the directory
// named by STANCE_QUANTIFY_DATA), for the preset in STANCE_QUANTIFY_PRESET
// (default "opinion"):
//
//	go run /work/shared/bench/mkcorpus.go -n 20000 -noise 0.1 -formats ft -out /tmp/qc /work/shared/seeds/*.txt
//	STANCE_QUANTIFY_DATA=/tmp/qc go test ./training -run TestMeasureQuantify -v
//
// STANCE_QUANTIFY_CAPS=0,10 tries several row caps of the Bayesian model
// (0: the default); STANCE_QUANTIFY_TEST_ONLY=1 skips the split of the
// cross-validated predictions.
func TestMeasureQuantify(t *testing.T) {
	dir := os.Getenv("STANCE_QUANTIFY_DATA")
	if dir == "" {
		t.Skip("set STANCE_QUANTIFY_DATA")
	}
	read := func(name string) []Doc {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		docs, err := ReadDocs(name, f)
		if err != nil {
			t.Fatal(err)
		}
		return docs
	}
	train, test := read("train.ft"), read("test.ft")
	preset := os.Getenv("STANCE_QUANTIFY_PRESET")
	if preset == "" {
		preset = "opinion"
	}
	cfg := Config{Name: "m", Calibrate: true, Seed: 1}
	var err error
	if cfg.Options, err = classify.Preset(preset); err != nil {
		t.Fatal(err)
	}
	caps := []float64{0}
	if v := os.Getenv("STANCE_QUANTIFY_CAPS"); v != "" {
		caps = caps[:0]
		for _, f := range strings.Split(v, ",") {
			c, err := strconv.ParseFloat(f, 64)
			if err != nil {
				t.Fatal(err)
			}
			caps = append(caps, c)
		}
	}
	splits := []bool{true, false}
	if os.Getenv("STANCE_QUANTIFY_TEST_ONLY") != "" {
		splits = splits[:1]
	}
	for _, caps := range caps {
		for _, withTest := range splits {
			opt := EvalOptions{Seed: 1}
			if withTest {
				opt.Test = test
			}
			q, err := EvaluateQuantify(train, cfg, opt, QuantifyOptions{Estimate: quantify.Options{RowCap: caps}})
			if err != nil {
				t.Fatal(err)
			}
			fmt.Printf("\nrow cap %v (0: default %d), test set %v: %s\n  calibration %d, pool %d, unclear below %.3f\n",
				caps, quantify.DefaultRowCap, withTest, q.Protocol, q.Calibration, q.Pool, q.Unclear)
			for _, s := range q.Scores {
				fmt.Printf("  %-6s mae %.3f coverage %.3f width %.3f failed %d\n", s.Method, s.MAE, s.Coverage, s.Width, s.Failed)
			}
		}
	}
}
