package main

import (
	"github.com/spf13/cobra"

	"github.com/stance-dev/stance/training"
)

// evalQuantify runs the quantification protocol of `stance eval
// --quantify` (see training.EvaluateQuantify) on the same documents,
// configuration and evaluation options as the report r, and adds its
// figures to r: per estimator the mean absolute error of the shares, the
// coverage of the 95% intervals and their mean width.
func evalQuantify(r *training.EvalReport, docs []training.Doc, cfg training.Config, opt training.EvalOptions) error {
	q, err := training.EvaluateQuantify(docs, cfg, opt, training.QuantifyOptions{})
	if err != nil {
		return err
	}
	r.SetQuantify(q)
	return nil
}

// addQuantifyFlag adds --quantify to `stance eval`, bound to on.
func addQuantifyFlag(cmd *cobra.Command, on *bool) {
	cmd.Flags().BoolVar(on, "quantify", false,
		"also measure the share estimators (cc, pcc, acc, pacc, sld, bayes) by the artificial-prevalence protocol on held-out predictions: "+
			"per method the mean absolute error of the shares, the coverage of the 95% intervals and their mean width "+
			"(-f json: quantify {METHOD: {mae, coverage, width}})")
}
