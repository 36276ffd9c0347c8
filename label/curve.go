package label

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/training"
)

// CurveConfig says how [LearningCurve] simulates labeling.
type CurveConfig struct {
	// Pool is the labeled data standing in for the comments to label: a
	// document's labels are revealed only when the strategy picks it.
	Pool []training.Doc
	// Test is the held-out data every budget's model is measured on.
	Test []training.Doc
	// Budgets are the numbers of labels at which the model is measured,
	// ascending.
	Budgets []int
	// Strategy is one of [Strategies].
	Strategy string
	// Repeats is the number of runs, with seeds Seed, Seed+1, ...; the
	// figures are their means. 0 means 1.
	Repeats int
	// Seed seeds the first run.
	Seed uint64
	// NewModel returns the starting model of a run (see [SeedModel]).
	NewModel func() *classify.Model
	// Configure, when set, adjusts each run's strategy (for experiments).
	Configure func(Strategy)
}

// CurvePoint is the quality of the model after a number of labels, the
// mean over the runs.
type CurvePoint struct {
	// Labels is the number of labels given (the budget, or the pool's
	// size when the pool is smaller).
	Labels int `json:"labels"`
	// Accuracy is the mean accuracy on the test set.
	Accuracy float64 `json:"accuracy"`
	// MacroF1 is the mean macro-F1 on the test set.
	MacroF1 float64 `json:"macro_f1"`
	// AccuracySD and MacroF1SD are the standard deviations over the runs
	// (0 with one run).
	AccuracySD float64 `json:"-"`
	MacroF1SD  float64 `json:"-"`
}

// LearningCurve simulates the labeling loop: in each run the strategy
// picks a document of the pool, its labels are revealed and learned (with
// weight 1 each, as a labeling session does), and at each budget the model
// labels the test set. It returns one point per budget, averaged over the
// runs. It stops early with ctx's error.
func LearningCurve(ctx context.Context, cfg CurveConfig) ([]CurvePoint, error) {
	switch {
	case len(cfg.Pool) == 0:
		return nil, errors.New("learning curve: no labeled documents")
	case len(cfg.Test) == 0:
		return nil, errors.New("learning curve: no test documents")
	case len(cfg.Budgets) == 0:
		return nil, errors.New("learning curve: no budgets")
	case cfg.NewModel == nil:
		return nil, errors.New("learning curve: no model")
	}
	if !slices.IsSorted(cfg.Budgets) || cfg.Budgets[0] < 1 {
		return nil, fmt.Errorf("learning curve: budgets %v: want positive numbers in ascending order", cfg.Budgets)
	}
	runs := max(cfg.Repeats, 1)
	texts := make([]string, len(cfg.Pool))
	for i, d := range cfg.Pool {
		texts[i] = d.Text
	}
	acc := make([][]float64, len(cfg.Budgets))
	f1 := make([][]float64, len(cfg.Budgets))
	var classes []string
	for r := range runs {
		m := cfg.NewModel()
		if classes == nil {
			classes = m.Classes()
		}
		strat, err := NewStrategy(cfg.Strategy, texts, cfg.Seed+uint64(r))
		if err != nil {
			return nil, err
		}
		if cfg.Configure != nil {
			cfg.Configure(strat)
		}
		done := make([]bool, len(texts))
		open := func(i int) bool { return !done[i] }
		n := 0
		for b, budget := range cfg.Budgets {
			for n < budget {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				i := strat.Next(m, open)
				if i < 0 {
					break
				}
				done[i] = true
				m.Learn(cfg.Pool[i].Text, cfg.Pool[i].Labels, 1)
				strat.Labeled(i)
				n++
			}
			met := training.NewMetrics(classes)
			for _, d := range cfg.Test {
				met.Add(d.Label(), m.Predict(d.Text).Label)
			}
			acc[b] = append(acc[b], met.Accuracy())
			f1[b] = append(f1[b], met.MacroF1())
		}
	}
	out := make([]CurvePoint, len(cfg.Budgets))
	for b, budget := range cfg.Budgets {
		p := CurvePoint{Labels: min(budget, len(cfg.Pool))}
		p.Accuracy, p.AccuracySD = meanSD(acc[b])
		p.MacroF1, p.MacroF1SD = meanSD(f1[b])
		out[b] = p
	}
	return out, nil
}

// round4 rounds x to 4 decimals, as the other eval figures are.
func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// meanSD returns the mean and the sample standard deviation of xs.
func meanSD(xs []float64) (float64, float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	var sum float64
	for _, x := range xs {
		sum += x
	}
	mean := sum / float64(len(xs))
	if len(xs) < 2 {
		return mean, 0
	}
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(ss / float64(len(xs)-1))
}

// CurveReport is what `stance eval --learning-curve` prints;
// report.CurveDocument makes its tables. Its JSON form is
//
//	{
//	  "learning_curve": [{"labels": 50, "accuracy": 0.61, "macro_f1": 0.42}, ...],
//	  "select": "active", "options": "alpha=2 tfidf binary bigrams negation",
//	  "pool": 2814, "test": 1249, "repeats": 5, "seed": 1
//	}
//
// with one row per budget, each the mean over the repeats.
type CurveReport struct {
	// LearningCurve has one point per budget.
	LearningCurve []CurvePoint `json:"learning_curve"`
	// Select is the strategy.
	Select string `json:"select"`
	// Options are the model's options.
	Options string `json:"options"`
	// Pool and Test are the numbers of documents labeled from and tested on.
	Pool int `json:"pool"`
	Test int `json:"test"`
	// Repeats and Seed: the runs used seeds Seed..Seed+Repeats-1.
	Repeats int    `json:"repeats"`
	Seed    uint64 `json:"seed"`
}

// WriteJSON writes the report as one indented JSON object.
func (r *CurveReport) WriteJSON(w io.Writer) error {
	out := *r
	out.LearningCurve = make([]CurvePoint, len(r.LearningCurve))
	for i, p := range r.LearningCurve {
		p.Accuracy, p.MacroF1 = round4(p.Accuracy), round4(p.MacroF1)
		out.LearningCurve[i] = p
	}
	b, err := json.MarshalIndent(&out, "", "  ")
	if err != nil {
		return fmt.Errorf("encode learning curve: %w", err)
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("write learning curve: %w", err)
	}
	return nil
}
