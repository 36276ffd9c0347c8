package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/stance-dev/stance/report"
	"github.com/stance-dev/stance/training"
)

func init() { subcommands = append(subcommands, newEvalCmd) }

// evalOptions are the flags and inputs of `stance eval`.
type evalOptions struct {
	commonOptions
	modelFlags
	IO     *IOStreams
	Paths  []string
	Folds  int
	Test   string
	Metric string
	pair   [2]string
	curve  curveFlags
	// quantify adds the quantification protocol (eval_quantify.go).
	quantify bool
}

func newEvalCmd(ios *IOStreams) *cobra.Command { return newEvalCommand(ios, nil) }

// newEvalCommand builds `stance eval`; runF, if set, replaces runEval (for
// flag-parsing tests).
func newEvalCommand(ios *IOStreams, runF func(*evalOptions) error) *cobra.Command {
	o := &evalOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "eval LABELED... [--folds K | --test FILE]",
		Short: "Measure how well a model trained on labeled data labels unseen text",
		Long: `eval measures the quality of the model that 'stance train' would build
from LABELED with the same options, on documents it was not trained on:

  stratified K-fold cross-validation (default 10 folds, deterministic for
  --seed); on tiny data (the smallest class has fewer than K documents,
  and at most 2000 documents) leave-one-out instead; or, with --test FILE,
  the model trained on all of LABELED is tested on FILE.

It prints accuracy, macro-F1 (mean F1 over the classes that occur), Cohen's
kappa, the majority-class baseline, per-class precision, recall, F1 and
support, and the confusion matrix (rows gold, columns predicted). With a
taxonomy and labeled stances, also the accuracy of the stance implied by
the predicted argument. --metric f-pair=A,B adds the mean of F1(A) and
F1(B), the measure of the SemEval stance tasks.

Labeled data formats and the model flags are those of 'stance train'.
--taxonomy default names the built-in Huawei taxonomy: 'stance eval' on
its seed labels with --taxonomy default measures the default model.

-f table, markdown, csv and html write the same tables (the headline
numbers, per class, the confusion matrix), through the renderers of
'stance table'; csv writes each table with its own header row, a blank
line between them, the model's ID first on every record.

-f json prints one object: the headline numbers first (accuracy,
macro_f1, kappa, f_pair, f_pair_classes), then model, options, method,
note, folds, seed, documents, and the nested objects per_class
{CLASS: {precision, recall, f1, support, predicted}}, confusion {classes,
matrix}, baseline {label, accuracy, macro_f1, kappa} and stance
{documents, accuracy, macro_f1, kappa}.`,
		Example: `  stance eval training/default/seed-labels.jsonl --taxonomy default --preset topic
  stance eval labels.jsonl --folds 5 --seed 7 -f json
  stance eval train.csv --test test.csv --preset opinion --alpha auto
  stance eval semeval.tsv --metric f-pair=FAVOR,AGAINST`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Paths = args
			if err := o.checkFormat(evalFormats...); err != nil {
				return err
			}
			if o.Folds < 0 || o.Folds == 1 {
				return usagef("invalid --folds %d: want 2 or more", o.Folds)
			}
			if o.Test != "" && cmd.Flags().Changed("folds") {
				return usagef("--folds and --test exclude each other")
			}
			if o.Metric != "" {
				spec, ok := strings.CutPrefix(o.Metric, "f-pair=")
				a, b, ok2 := strings.Cut(spec, ",")
				a, b = strings.TrimSpace(a), strings.TrimSpace(b)
				if !ok || !ok2 || a == "" || b == "" {
					return usagef("invalid --metric %q: want f-pair=A,B", o.Metric)
				}
				o.pair = [2]string{a, b}
			}
			if err := o.curve.check(cmd, o.Test); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return runEval(cmd.Context(), o)
		},
	}
	o.modelFlags.add(cmd)
	o.errTTY = ios.ErrTTY
	o.addFormat(cmd, evalFormats...)
	o.addOutput(cmd)
	cmd.Flags().IntVar(&o.Folds, "folds", training.DefaultFolds, "number `K` of cross-validation folds")
	cmd.Flags().StringVar(&o.Test, "test", "", "test on labeled `FILE` (\"-\": stdin) instead of cross-validating")
	cmd.Flags().StringVar(&o.Metric, "metric", "", "extra metric: f-pair=A,B (mean F1 of classes A and B)")
	o.addQuiet(cmd, "warnings on stderr")
	o.addSkipBad(cmd, labeledSkipNote)
	o.curve.add(cmd)
	addQuantifyFlag(cmd, &o.quantify)
	return cmd
}

func runEval(ctx context.Context, o *evalOptions) error {
	ios := o.IO
	if o.Test == "-" && slices.Contains(o.Paths, "-") {
		return usagef("--test - and the labeled input - cannot both read stdin")
	}
	cfg, err := o.config(o.Paths)
	if err != nil {
		return err
	}
	if o.curve.on() {
		return runEvalCurve(o, &o.curve, cfg)
	}
	cfg.AutoPair = o.pair // --preset auto chooses for the metric asked for
	docs, err := readLabeled(ios, &o.commonOptions, o.Paths, &cfg, o.AddLabels)
	if err != nil {
		return err
	}
	opt := training.EvalOptions{Folds: o.Folds, Seed: o.Seed, Pair: o.pair}
	if o.Test != "" {
		var r io.Reader = ios.In
		name := "stdin"
		if o.Test != "-" {
			f, err := os.Open(o.Test)
			if err != nil {
				return fmt.Errorf("open test data: %w", err)
			}
			defer f.Close()
			r, name = f, o.Test
		}
		ropt, end := labeledReading(ios, &o.commonOptions)
		opt.Test, err = training.ReadDocsWith(name, r, ropt)
		end()
		if err != nil {
			return err
		}
		if !o.Quiet {
			warnUnseenLabels(ios, name, opt.Test, training.Classes(docs, cfg.Taxonomy))
		}
		if cfg.Taxonomy != nil {
			if cfg.Taxonomy, err = training.ApplyTaxonomy(opt.Test, cfg.Taxonomy, o.AddLabels); err != nil {
				return err
			}
		}
	}
	if o.pair[0] != "" {
		classes := training.Classes(slices.Concat(docs, opt.Test), cfg.Taxonomy)
		for _, c := range o.pair {
			if !slices.Contains(classes, c) {
				return usagef("--metric f-pair: unknown class %q (classes: %s)", c, strings.Join(classes, ", "))
			}
		}
	}
	r, err := untilInterrupted(ctx, func() (*training.EvalReport, error) {
		r, err := training.Evaluate(docs, cfg, opt)
		if err == nil && o.quantify {
			err = evalQuantify(r, docs, cfg, opt)
		}
		return r, err
	})
	if errors.Is(err, errInterrupted) {
		o.mute()
	}
	if err != nil {
		return err
	}
	return writeDocument(ios, &o.commonOptions, append(slices.Clone(o.Paths), o.Test, o.Taxonomy), r.WriteJSON, report.EvalDocument(r))
}

// evalFormats are the output formats of `stance eval` and `stance model
// show`: the document formats of package report, and json, the command's
// own data.
var evalFormats = []string{"table", "markdown", "csv", "json", "html"}

// writeDocument writes a command's report to -o (atomically) or stdout:
// with -f json its own JSON form, else the tables of doc in the format of
// -f, through the renderers of package report. inputs are the files it
// was made from, which -o must not overwrite.
func writeDocument(ios *IOStreams, o *commonOptions, inputs []string, writeJSON func(io.Writer) error, doc *report.Document) error {
	out, err := openOutput(ios, o.Output, inputs)
	if err != nil {
		return err
	}
	if o.Format == "json" {
		err = writeJSON(out)
	} else {
		err = report.RenderDocument(out, o.Format, doc)
	}
	if err != nil {
		out.Abort()
		return err
	}
	return out.Commit()
}

// warnUnseenLabels warns on stderr about test labels that are not classes
// of the model trained on the labeled data: the model can never predict
// them, so every such document counts as an error.
func warnUnseenLabels(ios *IOStreams, name string, test []training.Doc, classes []string) {
	known := map[string]bool{}
	for _, c := range classes {
		known[c] = true
	}
	count := map[string]int{}
	var unseen []string
	for _, d := range test {
		if l := d.Label(); !known[l] {
			if count[l] == 0 {
				unseen = append(unseen, l)
			}
			count[l]++
		}
	}
	if len(unseen) == 0 {
		return
	}
	parts := make([]string, len(unseen))
	n := 0
	for i, l := range unseen {
		parts[i] = fmt.Sprintf("%q (%d)", l, count[l])
		n += count[l]
	}
	fmt.Fprintf(ios.ErrOut, "stance: warning: %s: %d of %d test documents have labels the model never saw, which it cannot predict: %s\n",
		name, n, len(test), strings.Join(parts, ", "))
}
