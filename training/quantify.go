package training

import (
	"errors"
	"fmt"
	"slices"

	"github.com/stance-dev/stance/quantify"
)

// QuantifyOptions say how [EvaluateQuantify] runs the artificial-prevalence
// protocol.
type QuantifyOptions struct {
	// Samples and Size are the number of samples and the items per sample;
	// 0 means 100 and 500.
	Samples, Size int
	// Methods are the estimators to score; nil means all.
	Methods []quantify.Method
	// Estimate are the estimators' options (RowCap, Draws...); its Seed is
	// set from the evaluation's seed.
	Estimate quantify.Options
}

// QuantifyReport is the result of [EvaluateQuantify]: per method the mean
// absolute error of the estimated shares, the coverage of their 95%
// intervals and the intervals' mean width, over every (sample, class)
// cell of the protocol.
type QuantifyReport struct {
	// Protocol describes the samples, the calibration and the pool.
	Protocol string `json:"protocol"`
	// Calibration and Pool are the numbers of held-out items that the
	// confusion matrix was counted on and that the samples were drawn from.
	Calibration int `json:"calibration"`
	Pool        int `json:"pool"`
	// Unclear is the abstain threshold: items below it were left out, as
	// the stance table leaves unclear comments out of the shares.
	Unclear float64 `json:"unclear"`
	// Scores has one entry per method, in method order.
	Scores []quantify.Score `json:"-"`
}

// ByMethod returns the scores keyed by method name, the JSON form
// `quantify: {METHOD: {mae, coverage, width}}`.
func (q *QuantifyReport) ByMethod() map[string]quantify.Score {
	out := make(map[string]quantify.Score, len(q.Scores))
	for _, s := range q.Scores {
		s.MAE, s.Coverage, s.Width = round(s.MAE), round(s.Coverage), round(s.Width)
		out[string(s.Method)] = s
	}
	return out
}

// EvaluateQuantify measures how well the estimators of package quantify
// recover class shares from the labels of the model that cfg trains, by
// the artificial-prevalence protocol (APP, Forman 2008): many samples
// whose true shares are drawn uniformly from the simplex, each estimated
// by every method. Items whose top probability is below the model's
// unclear threshold are left out, as the stance table leaves them out.
//
// With opt.Test, the model trained on docs (with calibration, so with its
// held-out statistics) is the one a table would use: its placed held-out
// confusion and mean posteriors calibrate the estimators, and the samples
// are drawn from its predictions on the test documents. Without a test
// set, the cross-validated predictions of the calibration pass are split
// by fold: the even folds calibrate, the odd folds are the pool.
func EvaluateQuantify(docs []Doc, cfg Config, opt EvalOptions, q QuantifyOptions) (*QuantifyReport, error) {
	if len(docs) == 0 {
		return nil, errors.New("quantify: no documents")
	}
	cfg.Calibrate = true
	full, err := Train(docs, cfg)
	if err != nil {
		return nil, err
	}
	h := full.Heldout()
	if h == nil {
		return nil, errors.New("quantify: too few documents or classes for held-out predictions")
	}
	classes := full.Classes()
	k := len(classes)
	idx := map[string]int{}
	for i, c := range classes {
		idx[c] = i
	}
	rep := &QuantifyReport{Unclear: h.Unclear}
	var cal *quantify.Calibration
	var pool []quantify.Item
	if len(opt.Test) > 0 {
		cal = quantify.FromCounts(h.Placed, h.MeanPosterior)
		for _, d := range opt.Test {
			g, ok := idx[d.Label()]
			if !ok {
				continue
			}
			post := full.Posteriors(d.Text, nil)
			pr := full.Predict(d.Text)
			if pr.P < h.Unclear {
				continue
			}
			pool = append(pool, quantify.Item{True: g, Pred: idx[pr.Label], Posterior: post})
		}
		rep.Calibration = 0
		for _, row := range h.Placed {
			for _, n := range row {
				rep.Calibration += n
			}
		}
		rep.Protocol = "calibration: the model's placed held-out predictions (cross-validation on the training data); pool: its predictions on the test set"
	} else {
		run := heldoutPredictions(docs, cfg)
		fallback := -1
		if cfg.Taxonomy != nil {
			fallback = slices.Index(classes, cfg.Taxonomy.Fallback)
		}
		post, pred, topP := run.predictions(full.Options.Temperature, full.Options.Abstain, fallback)
		var calItems []quantify.Item
		for i, g := range run.gold {
			if topP[i] < h.Unclear {
				continue
			}
			it := quantify.Item{True: g, Pred: pred[i], Posterior: post[i*k : i*k+k]}
			if run.fold[i]%2 == 0 {
				calItems = append(calItems, it)
			} else {
				pool = append(pool, it)
			}
		}
		cal = quantify.CalibrationFromItems(calItems, k)
		rep.Calibration = len(calItems)
		rep.Protocol = fmt.Sprintf("calibration: placed cross-validated predictions of the even folds; pool: those of the odd folds (%d folds)", run.folds)
	}
	rep.Pool = len(pool)
	if len(pool) == 0 {
		return nil, errors.New("quantify: no placed held-out predictions to sample from")
	}
	ao := quantify.APPOptions{Samples: q.Samples, Size: q.Size, Seed: opt.Seed, Methods: q.Methods, Estimate: q.Estimate}
	if ao.Samples <= 0 {
		ao.Samples = 100
	}
	if ao.Size <= 0 {
		ao.Size = 500
	}
	rep.Protocol = fmt.Sprintf("APP: %d samples of %d items, shares uniform on the simplex, items drawn with replacement; %s",
		ao.Samples, ao.Size, rep.Protocol)
	if rep.Scores, err = quantify.APP(cal, pool, k, ao); err != nil {
		return nil, fmt.Errorf("quantify: %w", err)
	}
	return rep, nil
}
