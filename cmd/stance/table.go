package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/stance-dev/stance/batch"
	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/report"
)

func init() {
	subcommands = append(subcommands, newTableCmd)
}

// tableOptions are the flags and inputs of `stance table`.
type tableOptions struct {
	commonOptions
	IO    *IOStreams
	Paths []string
	weighting
	By       string
	Thread   string
	Workers  int
	Estimate string
	// batchSize is the pipeline's batch size (0: the default); tests set it.
	batchSize int
}

func newTableCmd(ios *IOStreams) *cobra.Command { return newTableCommand(ios, nil) }

// newTableCommand builds `stance table`; runF, if set, replaces runTable
// (for flag-parsing tests).
func newTableCommand(ios *IOStreams, runF func(context.Context, *tableOptions) error) *cobra.Command {
	o := &tableOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "table [FILE...]",
		Short: "Print stance tables: which arguments readers make, from which side, with what feeling",
		Long: `table reads the comments of every FILE ("-" or none: stdin), labels each with
the model's arguments and VADER sentiment, and prints one table (--by):

  argument  (default) one row per argument of the taxonomy, even with no
            comments, sorted by count: stance; comments, top-level and
            replies; share with a 95% interval; mean sentiment and the
            negative/neutral/positive counts; mean classifier probability;
            the argument's three most distinctive cue words; a totals row
  stance    for, against, neutral: counts, share with interval, sentiment,
            the leading arguments
  exchange  who answers whom: rows are the argument replied to, columns the
            stance of the reply; the rebuttal rate is the share of replies
            whose stance (for/against) opposes their parent's
  thread    one row per thread of a dump with thread keys (articleID,
            link_id, ...): comments, leading argument and its share, the
            share of each stance, mean sentiment
  comments  one row per comment: author, location, whom it answers,
            sentiment, argument with probability and stance, deciding words;
            -f csv and -f jsonl stream the rows as they are scored; the
            other formats hold them all in memory until the end

Every table is built in one pass with memory that does not grow with the
input, except for the comments table (above), one row per thread, the
memory of recent comment IDs for replies (bounded), and --per-author (one
entry per author and row). --thread KEY keeps only that thread's comments;
a table pooled from several threads says how many in its caption.

Weighting (the caption always says which is in force):
  --weight recommendations  count each comment as its recommendations + 1
  --per-author              count each author at most once per row
Shares (--estimate): a classifier's labels are not facts. With a model
that knows its held-out errors (the default model does), the argument and
stance shares are estimated for them: bayes (default) is the Bayesian
quantification of Ziegler and Czyż (2024) over the model's cross-validated
confusion, with 95% credible intervals; acc is the adjusted count, pacc
its probabilistic form, sld the EM prior adjustment of Saerens et al.
(2002; it keeps each comment's posteriors, a few dozen bytes each), pcc
the mean posterior; cc keeps the shares as labeled. The Labeled column keeps the labels' own
share. Comments whose top probability is below the model's threshold go
to an Unclear row and are not placed in any share.
Plain counts under cc get Wilson score intervals; under a weighting the
intervals come from a bootstrap over comments (--bootstrap resamples,
--seed), so the same seed always gives the same table.

Formats (-f): table (terminal, the default even when piped), markdown, csv
(a header row and one record per row, with a model column; no caption, no
totals), json (documented schema with the caption facts), jsonl (one object
per row with a model key; no caption, no totals), html (a self-contained
page), svg (the table's chart). Every format names the model and its hash.`,
		Example: `  stance table testdata/nyt-huawei-shared-values-2019-12-27.txt
  stance table thread.txt --by stance -f markdown
  stance table thread.txt --by exchange
  stance table thread.txt --by comments -f csv -o comments.csv
  stance table dump.jsonl.zst --weight recommendations --per-author --seed 7
  stance table thread.txt --model my-model.json.gz -f json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Paths = args
			if err := o.check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runTable(cmd.Context(), o)
		},
	}
	o.addFormat(cmd, report.Formats...)
	cmd.Flags().StringVar(&o.By, "by", report.Kinds[0], "table: "+strings.Join(report.Kinds, "|"))
	o.addWeighting(cmd)
	cmd.Flags().StringVar(&o.Estimate, "estimate", "", "how shares are estimated: "+strings.Join(report.Estimates, "|")+" (default bayes with a model that has held-out statistics, else cc)")
	cmd.Flags().StringVar(&o.Thread, "thread", "", "count only the comments of the thread with this `KEY` (articleID, link_id, ...)")
	addWorkers(cmd, &o.Workers)
	o.addModel(cmd)
	o.addInput(cmd)
	o.addOutput(cmd)
	return cmd
}

// check validates the flags (usage errors, exit 2).
func (o *tableOptions) check() error {
	if err := o.checkFormat(report.Formats...); err != nil {
		return err
	}
	if !slices.Contains(report.Kinds, o.By) {
		return usagef("invalid --by %q: valid values are {%s}", o.By, strings.Join(report.Kinds, "|"))
	}
	if err := o.checkWeighting(); err != nil {
		return err
	}
	if o.Estimate != "" && !slices.Contains(report.Estimates, o.Estimate) {
		return usagef("invalid --estimate %q: valid values are {%s}", o.Estimate, strings.Join(report.Estimates, "|"))
	}
	if err := checkWorkers(o.Workers); err != nil {
		return err
	}
	return checkInputFormat(o.InputFormat)
}

// runTable scores the inputs and writes the table.
func runTable(ctx context.Context, o *tableOptions) error {
	m, err := loadModel(o.Model)
	if err != nil {
		return err
	}
	render, err := report.NewRenderer(o.Format)
	if err != nil {
		return usageError{err}
	}
	ropt := o.options()
	ropt.By, ropt.Estimate = o.By, o.Estimate
	agg, err := report.NewAggregator(report.ModelOf(m), ropt)
	if err != nil {
		return err
	}
	in, err := openInput(o.IO, &o.commonOptions, o.Paths, inputOptions{batchSize: o.batchSize})
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := openOutput(o.IO, o.Output, o.Paths)
	if err != nil {
		return err
	}
	// The comments table streams its rows where the format allows.
	var endRows func(*report.Table) error
	if rs, ok := render.(report.RowStreamer); ok && o.By == report.ByComments {
		head, err := agg.Table(report.Input{})
		if err != nil {
			return err
		}
		row, end, err := rs.StreamRows(out, head)
		if err != nil {
			out.Abort()
			return fmt.Errorf("write table: %w", err)
		}
		agg.Stream(row)
		endRows = end
	}
	// Score on every core; the pipeline's writer feeds the aggregator, in
	// input order, from one goroutine.
	prog := newProgress(o.IO, o.Quiet, "tabled", in, nil, 200*time.Millisecond)
	sink := agg.Add
	if o.Thread != "" {
		sink = func(rs []classify.Result) error {
			kept := rs[:0:0]
			for _, r := range rs {
				if r.Comment.ThreadID == o.Thread {
					kept = append(kept, r)
				}
			}
			return agg.Add(kept)
		}
	}
	scorer := classify.NewScorer(m)
	scorer.Posteriors = report.NeedsPosteriors(o.Estimate)
	st, err := batch.RunBatches(ctx, in.Batches(), scorer, nil, nil,
		batch.Options{Workers: o.Workers, Progress: prog.update(), Sink: sink})
	if err == nil {
		err = in.End()
	}
	if err != nil {
		out.Abort()
		if ctx.Err() != nil {
			return errInterrupted
		}
		return err
	}
	prog.finish(st.Comments)
	input := report.Input{Names: in.Names(), Skipped: in.Skipped()}
	if th := in.Threads(); len(th) == 1 {
		input.Thread = th[0].Title
	}
	if agg.AllWeightsOne() {
		warnf(o.IO, o.Quiet, "--weight recommendations: no comment has a recommendation count, so every weight is 1")
	}
	t, err := agg.Table(input)
	if err != nil {
		out.Abort()
		return err
	}
	if f := t.Caption.Foreign; f.Warn {
		warnf(o.IO, o.Quiet, "%s", strings.TrimPrefix(f.Describe(m.Name), "Warning: "))
	}
	if o.Thread != "" && t.Caption.Comments == 0 {
		warnf(o.IO, o.Quiet, "no comment has the thread key %q", o.Thread)
	}
	if endRows != nil {
		err = endRows(t)
	} else {
		err = render.Render(out, t)
	}
	if err != nil {
		out.Abort()
		return fmt.Errorf("write table: %w", err)
	}
	return out.Commit()
}

// warnf prints a warning on stderr, unless quiet.
func warnf(ios *IOStreams, quiet bool, format string, a ...any) {
	if !quiet {
		fmt.Fprintf(ios.ErrOut, "stance: warning: "+format+"\n", a...)
	}
}
