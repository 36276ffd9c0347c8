package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"github.com/stance-dev/stance/batch"
	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/report"
)

func init() {
	subcommands = append(subcommands, newReportCmd)
}

// reportOptions are the flags and inputs of `stance report`.
type reportOptions struct {
	commonOptions
	IO    *IOStreams
	Paths []string
	weighting
	Workers int
}

func newReportCmd(ios *IOStreams) *cobra.Command { return newReportCommand(ios, nil) }

// newReportCommand builds `stance report`; runF, if set, replaces runReport
// (for flag-parsing tests).
func newReportCommand(ios *IOStreams, runF func(context.Context, *reportOptions) error) *cobra.Command {
	o := &reportOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "report [FILE...]",
		Short: "Write a self-contained HTML report with charts of the stance tables",
		Long: `report reads the comments of every FILE ("-" or none: stdin), labels each with
the model's arguments and VADER sentiment, and writes one HTML page, a report
to read, print or publish:

  - the header: input, comment count, model, weighting and interval method,
    in the words of the terminal caption, and the findings at a glance;
  - which arguments readers make: shares with 95% intervals, coloured by
    stance (the argument table);
  - how readers feel: the VADER compound of every comment, one dot each,
    per argument;
  - for, against or neutral: the stance split (the stance table);
  - who answers whom: the exchange table as a heat map, with rebuttal rates;
  - how the debate moves: shares per day or week, when comments carry
    timestamps (NYT dataset, NYT API, Reddit);
  - thread by thread: small multiples, when the input holds several threads.

Every chart is inline SVG with its data table under it. The page needs no
network, no script and no font download: it opens from file://, follows
the reader's dark mode and prints well. Same input, model and flags give
the same bytes.

report holds all comments in memory: it is meant for threads and
collections of modest size (up to some hundred thousand comments); for
dumps of millions, use stance score and stance table.

The weighting flags mean what they mean for stance table and apply to
every chart.`,
		Example: `  stance report testdata/nyt-huawei-shared-values-2019-12-27.txt -o report.html
  stance report comments.csv --weight recommendations --per-author -o report.html
  stance report thread.txt --model my-model.json.gz > report.html`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Paths = args
			if err := o.check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runReport(cmd.Context(), o)
		},
	}
	o.addWeighting(cmd)
	addWorkers(cmd, &o.Workers)
	o.addModel(cmd)
	o.addInput(cmd)
	o.addOutput(cmd)
	return cmd
}

// check validates the flags (usage errors, exit 2).
func (o *reportOptions) check() error {
	if err := o.checkWeighting(); err != nil {
		return err
	}
	if err := checkWorkers(o.Workers); err != nil {
		return err
	}
	return checkInputFormat(o.InputFormat)
}

// runReport scores the inputs, keeping every result, and writes the page.
func runReport(ctx context.Context, o *reportOptions) error {
	m, err := loadModel(o.Model)
	if err != nil {
		return err
	}
	in, err := openInput(o.IO, &o.commonOptions, o.Paths, inputOptions{})
	if err != nil {
		return err
	}
	defer in.Close()
	// Score on every core; the pipeline's writer hands the results over in
	// input order, from one goroutine. The report keeps them all: threads
	// are of modest size.
	var results []classify.Result
	keep := func(rs []classify.Result) error {
		results = append(results, rs...)
		return nil
	}
	prog := newProgress(o.IO, o.Quiet, "scored", in, nil, 200*time.Millisecond)
	st, err := batch.RunBatches(ctx, in.Batches(), classify.NewScorer(m), nil, nil,
		batch.Options{Workers: o.Workers, Progress: prog.update(), Sink: keep})
	if err == nil {
		err = in.End()
	}
	if err != nil {
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
	page, err := report.BuildPage(results, report.ModelOf(m), input, o.options())
	if err != nil {
		return err
	}
	out, err := openOutput(o.IO, o.Output, o.Paths)
	if err != nil {
		return err
	}
	if err := page.Render(out); err != nil {
		out.Abort()
		return fmt.Errorf("write report: %w", err)
	}
	return out.Commit()
}
