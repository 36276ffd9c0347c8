package label

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/training"
)

// TestSemEvalCurve measures the learning curves of issue 15's target on
// SemEval-2016 task 6A when STANCE_SEMEVAL names a directory with
// train.jsonl and test.jsonl (the target prefixed to each tweet). The data
// may not be redistributed, so it is not in the repository: the test
// skips without it.
func TestSemEvalCurve(t *testing.T) {
	dir := os.Getenv("STANCE_SEMEVAL")
	if dir == "" {
		t.Skip("STANCE_SEMEVAL not set: no SemEval-2016 task 6A data")
	}
	read := func(name string) []training.Doc {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		docs, err := training.ReadDocs(name, f)
		if err != nil {
			t.Fatal(err)
		}
		return docs
	}
	pool, test := read("train.jsonl"), read("test.jsonl")
	preset := envOr("STANCE_PRESET", "opinion")
	opt, err := classify.Preset(preset)
	if err != nil {
		t.Fatal(err)
	}
	if a := os.Getenv("STANCE_ALPHA"); a != "" {
		opt.Alpha, _ = strconv.ParseFloat(a, 64)
	}
	classes := training.Classes(pool, nil)
	beta, _ := strconv.ParseFloat(envOr("STANCE_BETA", "0"), 64)
	window, _ := strconv.Atoi(envOr("STANCE_WINDOW", "10"))
	for _, strat := range strings.Split(envOr("STANCE_SELECT", "random,active"), ",") {
		start := time.Now()
		pts, err := LearningCurve(context.Background(), CurveConfig{
			Pool: pool, Test: test, Budgets: budgets(), Strategy: strat, Repeats: repeats(), Seed: seed(),
			NewModel: func() *classify.Model { return classify.NewModel("semeval", nil, classes, opt) },
			Configure: func(s Strategy) {
				if a, ok := s.(*Active); ok {
					a.Beta, a.Window = beta, window
					if c := os.Getenv("STANCE_CAND"); c != "" {
						a.Candidates, _ = strconv.Atoi(c)
					}
				}
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pts {
			fmt.Printf("%s\t%s\t%d\tacc %.4f ± %.4f\tmacroF1 %.4f ± %.4f\n", preset, strat, p.Labels, p.Accuracy, p.AccuracySD, p.MacroF1, p.MacroF1SD)
		}
		fmt.Printf("%s took %s\n", strat, time.Since(start).Round(time.Millisecond))
	}
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func budgets() []int {
	var out []int
	for _, f := range strings.Split(envOr("STANCE_BUDGETS", "50,100,200,400,800"), ",") {
		n, _ := strconv.Atoi(f)
		out = append(out, n)
	}
	return out
}

func repeats() int {
	n, _ := strconv.Atoi(envOr("STANCE_REPEATS", "5"))
	return n
}

func seed() uint64 {
	n, _ := strconv.ParseUint(envOr("STANCE_SEED", "1"), 10, 64)
	return n
}
