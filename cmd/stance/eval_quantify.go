package main

import (
	"github.com/stance-dev/stance/training"
)

// evalQuantify runs the quantification protocol of `stance eval
// --quantify` (see training.EvaluateQuantify) on the same documents,
// configuration and evaluation options as the report r, and adds its
// figures to r: per estimator the mean absolute error of the shares, the
// coverage of the 95% intervals and their mean width.
func evalQuantify(r *training.Report, docs []training.Doc, cfg training.Config, opt training.EvalOptions) error {
	q, err := training.EvaluateQuantify(docs, cfg, opt, training.QuantifyOptions{})
	if err != nil {
		return err
	}
	r.SetQuantify(q)
	return nil
}
