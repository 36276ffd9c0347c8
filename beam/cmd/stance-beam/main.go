// Command stance-beam runs stance's scoring, tables and training as Apache
// Beam pipelines: on Prism, in-process, by default (--runner prism), or on
// a Flink or Spark job server (--runner universal --endpoint HOST:PORT),
// or on Google Dataflow (--runner dataflow).
//
//	stance-beam score --input 'dump/*.jsonl.zst' --output out/scored [--model M]
//	stance-beam table --input 'dump/*.jsonl.zst' [--by argument|stance|exchange|thread] [-f json] [-o FILE]
//	stance-beam train --input 'labels/*.jsonl' [--taxonomy T] [--preset P] -o MODEL
//
// The flags mean what they mean for the stance command; Beam's own flags
// (--runner, --endpoint, --environment_type, --job_name, ...) go with
// them. Exit codes: 0 ok, 1 error, 2 usage error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	"github.com/stance-dev/stance/beam/pipeline"
	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/comments"
	"github.com/stance-dev/stance/report"
)

// usageError is an error of the command line (exit 2).
type usageError struct{ error }

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run runs one subcommand and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		// A Beam worker is started with flags only (--worker ...):
		// beam.Init runs the harness and does not return then.
		flag.CommandLine.SetOutput(stderr)
		flag.Parse()
		beam.Init()
		fmt.Fprintln(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "score":
		err = runScore(ctx, args[1:], stdout, stderr)
	case "table":
		err = runTable(ctx, args[1:], stdout, stderr)
	case "train":
		err = runTrain(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return 0
	default:
		err = usageError{fmt.Errorf("unknown command %q", args[0])}
	}
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "stance-beam: %v\n%s\n", err, usage)
		return 2
	}
	fmt.Fprintf(stderr, "stance-beam: %v\n", err)
	return 1
}

const usage = `usage:
  stance-beam score --input GLOB --output PREFIX [--model M] [--shards N] [-f jsonl|csv] [--text] [--skip-bad]
  stance-beam table --input GLOB [--by argument|stance|exchange|thread] [-f table|markdown|csv|json|html|svg] [-o FILE]
  stance-beam train --input GLOB [--taxonomy T] [--preset P] [options] -o MODEL
Runners: --runner prism (default, in-process), --runner universal --endpoint HOST:PORT
(a Flink or Spark job server), --runner dataflow --project P --region R --staging_location gs://...
'stance-beam CMD -h' lists a command's flags.`

// common are the flags of every subcommand.
type common struct {
	read   pipeline.ReadOptions
	output string
	format string
	quiet  bool
}

// newFlags returns the flag set of a subcommand, with Beam's flags (from
// the global flag set) and the common flags.
func newFlags(name string, stderr io.Writer, c *common, defFormat string) *flag.FlagSet {
	fs := flag.NewFlagSet("stance-beam "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	flag.CommandLine.VisitAll(func(f *flag.Flag) { fs.Var(f.Value, f.Name, f.Usage) })
	fs.StringVar(&c.read.Input, "input", "", "input `GLOB` (local, or any Beam filesystem: gs://...); quote it")
	fs.StringVar(&c.read.InputFormat, "input-format", "auto", "input format: auto|"+strings.Join(comments.Formats, "|"))
	fs.BoolVar(&c.read.SkipBad, "skip-bad", false, "skip bad records, counting and listing them, instead of failing")
	fs.StringVar(&c.read.Model, "model", "", "model `FILE` (default: the embedded model)")
	fs.StringVar(&c.output, "output", "", "output `PATH`")
	fs.StringVar(&c.output, "o", "", "output `PATH` (shorthand)")
	fs.StringVar(&c.format, "format", defFormat, "output `FORMAT`")
	fs.StringVar(&c.format, "f", defFormat, "output `FORMAT` (shorthand)")
	fs.BoolVar(&c.quiet, "quiet", false, "no summary on stderr")
	return fs
}

// parse parses args and hands Beam its flags.
func parse(fs *flag.FlagSet, args []string, c *common) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q: give the inputs with --input GLOB", fs.Arg(0))}
	}
	if c.read.Input == "" {
		return usageError{errors.New("--input GLOB is required")}
	}
	if c.read.InputFormat == "auto" {
		c.read.InputFormat = ""
	}
	// Beam reads its options from the global flag set.
	if err := flag.CommandLine.Parse(nil); err != nil {
		return usageError{err}
	}
	// Each run has the Beam flags it was given, the defaults for the rest
	// (a test runs several in one process).
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	flag.CommandLine.VisitAll(func(f *flag.Flag) {
		if err != nil {
			return
		}
		if given[f.Name] {
			err = flag.CommandLine.Set(f.Name, f.Value.String())
		} else if f.Value.String() != f.DefValue && !strings.HasPrefix(f.Name, "test.") {
			err = f.Value.Set(f.DefValue)
		}
	})
	if err != nil {
		return usageError{err}
	}
	beam.Init()
	return nil
}

// execute runs the pipeline on the runner of --runner and returns its
// counters.
func execute(ctx context.Context, p *beam.Pipeline) (map[string]int64, error) {
	res, err := beamx.RunWithMetrics(ctx, p)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	if res == nil {
		return out, nil
	}
	for _, c := range res.Metrics().AllMetrics().Counters() {
		if c.Key.Namespace == "stance" {
			out[c.Key.Name] += c.Result()
		}
	}
	return out, nil
}

// localPath reports whether path is on the local filesystem.
func localPath(path string) bool { return !strings.Contains(path, "://") }

// firstMatch returns the first local file of glob, sorted, or "".
func firstMatch(glob string) string {
	if !localPath(glob) {
		return ""
	}
	m, _ := filepath.Glob(glob)
	sort.Strings(m)
	if len(m) == 0 {
		return ""
	}
	return m[0]
}

// reportSkipped prints the bad records skipped, as stance does.
func reportSkipped(stderr io.Writer, n int64, listFile string) {
	if n == 0 {
		return
	}
	where := ""
	if data, err := os.ReadFile(listFile); err == nil {
		lines := strings.Fields(string(data))
		if len(lines) > 5 {
			where = strings.Join(lines[:5], ", ") + fmt.Sprintf(" and %d more", len(lines)-5)
		} else {
			where = strings.Join(lines, ", ")
		}
		where = ": " + where
	}
	fmt.Fprintf(stderr, "stance-beam: skipped %d bad record(s)%s\n", n, where)
}

func runScore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	var o pipeline.ScoreOptions
	fs := newFlags("score", stderr, &c, "jsonl")
	fs.IntVar(&o.Shards, "shards", 8, "output shards")
	fs.BoolVar(&o.Text, "text", false, "add each comment's body to its record")
	if err := parse(fs, args, &c); err != nil {
		return err
	}
	if c.output == "" {
		return usageError{errors.New("--output PREFIX is required: shards are written to PREFIX-SSSSS-of-NNNNN.jsonl")}
	}
	if c.format != "jsonl" && c.format != "csv" {
		return usageError{fmt.Errorf("invalid -f %q: valid values are {jsonl|csv}", c.format)}
	}
	o.ReadOptions, o.Output, o.Format = c.read, c.output, c.format
	if localPath(o.Output) {
		if err := os.MkdirAll(filepath.Dir(o.Output), 0o755); err != nil {
			return err
		}
		os.Remove(pipeline.SkippedFile(o.Output))
	}
	p, s := beam.NewPipelineWithRoot()
	if err := pipeline.Score(s, o); err != nil {
		return usageError{err}
	}
	counts, err := execute(ctx, p)
	if err != nil {
		return fmt.Errorf("score: %w", err)
	}
	reportSkipped(stderr, counts[pipeline.CounterSkipped], pipeline.SkippedFile(o.Output))
	if !c.quiet {
		fmt.Fprintf(stderr, "stance-beam: scored %d comments into %s-*-of-%05d.%s\n", counts[pipeline.CounterComments], o.Output, o.Shards, o.Format)
	}
	return nil
}

func runTable(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	o := pipeline.TableOptions{}
	fs := newFlags("table", stderr, &c, "table")
	fs.StringVar(&o.By, "by", report.ByArgument, "table: argument|stance|exchange|thread")
	fs.StringVar(&o.Weight, "weight", report.WeightNone, "weighting: none|recommendations")
	fs.BoolVar(&o.PerAuthor, "per-author", false, "count each author at most once per row")
	fs.Int64Var(&o.Seed, "seed", 1, "seed of the bootstrap")
	fs.IntVar(&o.Bootstrap, "bootstrap", 1000, "bootstrap resamples")
	fs.StringVar(&o.Thread, "thread", "", "keep the comments of thread `KEY` only")
	fs.StringVar(&o.Estimate, "estimate", "", "share estimator for the classifier's errors: "+strings.Join(pipeline.CountEstimates, "|")+" (default: the stance command's)")
	if err := parse(fs, args, &c); err != nil {
		return err
	}
	o.ReadOptions, o.Format = c.read, c.format
	o.Output = c.output
	tmp := ""
	if o.Output == "" || o.Output == "-" {
		// stdout: the table is written to a local file, then copied (the
		// workers must share this machine's filesystem: Prism does).
		d, err := os.MkdirTemp("", "stance-beam-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		tmp = filepath.Join(d, "table")
		o.Output = tmp
	}
	p, s := beam.NewPipelineWithRoot()
	if err := pipeline.Table(s, o); err != nil {
		return usageError{err}
	}
	counts, err := execute(ctx, p)
	if err != nil {
		return fmt.Errorf("table: %w", err)
	}
	if n := counts[pipeline.CounterSkipped]; n > 0 {
		fmt.Fprintf(stderr, "stance-beam: skipped %d bad record(s)\n", n)
	}
	if tmp != "" {
		data, err := os.ReadFile(tmp)
		if err != nil {
			return fmt.Errorf("read the table: %w", err)
		}
		if _, err := stdout.Write(data); err != nil {
			return err
		}
	}
	return nil
}

func runTrain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	mf := pipeline.DefaultModelFlags()
	fs := newFlags("train", stderr, &c, "")
	var taxonomy, alpha string
	fs.StringVar(&taxonomy, "taxonomy", "", "taxonomy `FILE` (TOML), or \"default\" for the built-in one")
	fs.BoolVar(&mf.AddLabels, "add-labels", false, "with --taxonomy, add labels missing from it")
	fs.StringVar(&mf.Preset, "preset", mf.Preset, "option set: default|opinion|topic (stance train's auto, which chooses by inner cross-validation on the documents, is not available here: choose with stance eval on a sample, then give the preset or options)")
	fs.StringVar(&alpha, "alpha", "", "Lidstone smoothing, or \"auto\"")
	feats := map[string]*bool{}
	for _, name := range classify.FeatureNames() {
		feats[name] = fs.Bool(name, false, "feature "+name+" (overrides the preset)")
	}
	fs.Float64Var(&mf.Abstain, "abstain", 0, "fall back to the taxonomy's fallback below probability P")
	fs.Float64Var(&mf.CueWeight, "cue-weight", mf.CueWeight, "weight of each cue-phrase pseudo-document")
	fs.Float64Var(&mf.SecondaryWeight, "secondary-weight", mf.SecondaryWeight, "weight of secondary labels")
	fs.StringVar(&mf.Name, "name", "", "model name")
	fs.Uint64Var(&mf.Seed, "seed", mf.Seed, "seed of the cross-validation folds")
	fs.BoolVar(&mf.Calibrate, "calibrate", mf.Calibrate, "fit the temperature on held-out predictions")
	if err := parse(fs, args, &c); err != nil {
		return err
	}
	if c.output == "" {
		return usageError{errors.New("-o/--output is required: the model file to write")}
	}
	fs.Visit(func(f *flag.Flag) {
		if p, ok := feats[f.Name]; ok {
			mf.Set[f.Name] = *p
		}
		if f.Name == "abstain" {
			mf.AbstainSet = true
		}
	})
	mf.Alpha = alpha
	if taxonomy != "" {
		mf.TaxonomyName = taxonomy
		if taxonomy != "default" {
			data, err := os.ReadFile(taxonomy)
			if err != nil {
				return fmt.Errorf("open taxonomy: %w", err)
			}
			mf.Taxonomy = string(data)
		}
	}
	o := pipeline.TrainOptions{Input: c.read.Input, Output: c.output, Flags: mf, FirstInput: firstMatch(c.read.Input)}
	p, s := beam.NewPipelineWithRoot()
	if err := pipeline.Train(s, o); err != nil {
		return usageError{err}
	}
	if _, err := execute(ctx, p); err != nil {
		return fmt.Errorf("train: %w", err)
	}
	if !c.quiet {
		fmt.Fprintf(stderr, "stance-beam: model written to %s\n", c.output)
	}
	return nil
}
