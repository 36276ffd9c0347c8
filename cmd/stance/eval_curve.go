package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/label"
	"github.com/stance-dev/stance/report"
	"github.com/stance-dev/stance/training"
)

// curveFlags are the flags of `stance eval --learning-curve`, which
// simulates a labeling session (see package label).
type curveFlags struct {
	LearningCurve string
	Select        string
	Repeats       int
	budgets       []int
	ctx           context.Context
}

// add registers --learning-curve, --select and --repeats.
func (c *curveFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&c.LearningCurve, "learning-curve", "", "simulate labeling LABELED with --select and measure on --test after each of these `N,N,...` labels (for example 50,100,200,400,800)")
	fl.StringVar(&c.Select, "select", "active", "with --learning-curve: how the simulated session picks the next document: "+strings.Join(label.Strategies, "|"))
	fl.IntVar(&c.Repeats, "repeats", 5, "with --learning-curve: runs averaged, with seeds --seed, --seed+1, ...")
}

// on reports whether --learning-curve was given.
func (c *curveFlags) on() bool { return c.LearningCurve != "" }

// check validates the curve flags and their combination with eval's
// others (usage errors).
func (c *curveFlags) check(cmd *cobra.Command, test string) error {
	fl := cmd.Flags()
	c.ctx = cmd.Context()
	if !c.on() {
		for _, name := range []string{"select", "repeats"} {
			if fl.Changed(name) {
				return usagef("--%s needs --learning-curve", name)
			}
		}
		return nil
	}
	c.budgets = c.budgets[:0]
	for _, f := range strings.Split(c.LearningCurve, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return usagef("invalid --learning-curve %q: want label counts like 50,100,200", c.LearningCurve)
		}
		c.budgets = append(c.budgets, n)
	}
	if !slices.IsSorted(c.budgets) {
		return usagef("invalid --learning-curve %q: the counts must be ascending", c.LearningCurve)
	}
	switch {
	case !slices.Contains(label.Strategies, c.Select):
		return usagef("invalid --select %q: valid values are {%s}", c.Select, strings.Join(label.Strategies, "|"))
	case c.Repeats < 1:
		return usagef("invalid --repeats %d: want 1 or more", c.Repeats)
	case test == "":
		return usagef("--learning-curve needs --test FILE: the documents every budget is measured on")
	case fl.Changed("folds"):
		return usagef("--learning-curve and --folds exclude each other")
	case fl.Changed("metric"):
		return usagef("--metric is not measured with --learning-curve")
	case fl.Changed("alpha") && strings.TrimSpace(fl.Lookup("alpha").Value.String()) == "auto":
		return usagef("--alpha auto is not supported with --learning-curve: give a number")
	}
	return nil
}

// readCurveDocs reads labeled files ("-": stdin); labels files written by
// `stance label` count with their retractions applied.
func readCurveDocs(ios *IOStreams, paths []string) ([]training.Doc, error) {
	var docs []training.Doc
	for _, p := range paths {
		var r io.Reader = ios.In
		name := "stdin"
		if p != "-" {
			f, err := os.Open(p)
			if err != nil {
				return nil, fmt.Errorf("open labeled data: %w", err)
			}
			defer f.Close()
			r, name = f, p
		}
		d, err := training.ReadDocs(name, r)
		if err != nil {
			return nil, err
		}
		docs = append(docs, d...)
	}
	return docs, nil
}

// runEvalCurve runs `stance eval --learning-curve`: the simulated labeling
// loop of package label over LABELED, measured on --test, with the model
// configuration cfg.
func runEvalCurve(o *evalOptions, c *curveFlags, cfg training.Config) error {
	ios := o.IO
	pool, err := readCurveDocs(ios, o.Paths)
	if err != nil {
		return err
	}
	test, err := readCurveDocs(ios, []string{o.Test})
	if err != nil {
		return err
	}
	if cfg.Taxonomy != nil {
		if cfg.Taxonomy, err = training.ApplyTaxonomy(slices.Concat(pool, test), cfg.Taxonomy, o.AddLabels); err != nil {
			return err
		}
	}
	classes := training.Classes(slices.Concat(pool, test), cfg.Taxonomy)
	cw := cfg.EffectiveCueWeight()
	newModel := func() *classify.Model {
		if cfg.Taxonomy != nil {
			return label.SeedModel(cfg.Name, cfg.Taxonomy, cfg.Options, cw)
		}
		return classify.NewModel(cfg.Name, nil, classes, cfg.Options)
	}
	ctx := c.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	pts, err := label.LearningCurve(ctx, label.CurveConfig{
		Pool: pool, Test: test, Budgets: c.budgets, Strategy: c.Select,
		Repeats: c.Repeats, Seed: o.Seed, NewModel: newModel,
	})
	if err != nil {
		if ctx.Err() != nil {
			return errInterrupted
		}
		return err
	}
	opts := classify.NewModel("", nil, nil, cfg.Options).Options.String()
	if cfg.Taxonomy != nil && cw > 0 {
		opts += fmt.Sprintf(", cue phrases and descriptions of weight %g", cw)
	}
	rep := &label.CurveReport{LearningCurve: pts, Select: c.Select, Options: opts,
		Pool: len(pool), Test: len(test), Repeats: c.Repeats, Seed: o.Seed}
	return writeDocument(ios, &o.commonOptions, append(slices.Clone(o.Paths), o.Test, o.Taxonomy), rep.WriteJSON, report.CurveDocument(rep))
}
