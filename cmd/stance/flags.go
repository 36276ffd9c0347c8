package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/stance-dev/stance/comments"
	"github.com/stance-dev/stance/report"
)

// commonOptions are the flags every data command shares, with the same names
// and meanings everywhere.
type commonOptions struct {
	Format      string
	InputFormat string
	Output      string
	SkipBad     bool
	Quiet       bool
	Model       string
	// MaxRecord is --max-record, the longest record read (a size, "16MiB").
	MaxRecord string
	// cols holds the --FIELD-col flags (see columnFields).
	cols map[string]*string
	// formatChanged tells whether -f was given (nil: options not built by addFormat).
	formatChanged func() bool
}

// columnFields are the comment fields whose column or key can be renamed
// with --FIELD-col (--text-col, --editors-pick-col...).
var columnFields = []string{"text", "author", "location", "id", "parent", "recommendations", "created", "editors_pick", "thread"}

// colFlag is the flag that renames a field's column: --text-col, --editors-pick-col...
func colFlag(field string) string { return strings.ReplaceAll(field, "_", "-") + "-col" }

// columns returns the field-to-column overrides the user gave, or nil.
func (o *commonOptions) columns() map[string]string {
	var cols map[string]string
	for f, v := range o.cols {
		if v != nil && *v != "" {
			if cols == nil {
				cols = map[string]string{}
			}
			cols[f] = *v
		}
	}
	return cols
}

// addFormat registers -f/--format with its allowed values; the first is the default.
func (o *commonOptions) addFormat(cmd *cobra.Command, allowed ...string) {
	cmd.Flags().StringVarP(&o.Format, "format", "f", allowed[0],
		fmt.Sprintf("output format: %s; without -f, the one the extension of -o names, if any", strings.Join(allowed, "|")))
	o.formatChanged = func() bool { return cmd.Flags().Changed("format") }
}

// formatGiven reports whether -f was given (true as well when the options
// were not built by addFormat).
func (o *commonOptions) formatGiven() bool { return o.formatChanged == nil || o.formatChanged() }

// checkFormat validates --format against the allowed values and the -o
// extension (the -o destination itself is checked before, for every
// command, see checkOutputFlag):
//
//   - without -f, the format is the one the extension of -o names (.jsonl,
//     .csv, .tsv, .json, .md, .html, under .gz or .zst), when the command
//     writes it; a format the command does not write is a usage error; an
//     extension that names no format keeps the default;
//   - -f contradicting the extension is a usage error.
func (o *commonOptions) checkFormat(allowed ...string) error {
	if !slices.Contains(allowed, o.Format) {
		return usagef("invalid --format %q: valid values are {%s}", o.Format, strings.Join(allowed, "|"))
	}
	if ext := formatOfPath(o.Output); ext != "" {
		switch {
		case o.formatGiven():
			if ext != o.Format {
				return usagef("-f %s contradicts -o %s (a %s file name): drop -f or rename the output", o.Format, o.Output, ext)
			}
		case slices.Contains(allowed, ext):
			o.Format = ext
		default:
			return usagef("-o %s names a %s file, which this command does not write (formats: %s): give -f or another name", o.Output, ext, strings.Join(allowed, "|"))
		}
	}
	return nil
}

// addSkipBad registers --skip-bad; note, if not empty, is added to its help.
func (o *commonOptions) addSkipBad(cmd *cobra.Command, note ...string) {
	cmd.Flags().BoolVar(&o.SkipBad, "skip-bad", false, strings.Join(append([]string{"skip bad records, count them and go on, instead of stopping at the first"}, note...), " "))
}

// addQuiet registers --quiet with what it silences.
func (o *commonOptions) addQuiet(cmd *cobra.Command, what string) {
	cmd.Flags().BoolVar(&o.Quiet, "quiet", false, "silence "+what)
}

// addInput registers --input-format, --skip-bad and --quiet.
func (o *commonOptions) addInput(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.InputFormat, "input-format", "auto",
		"input format: auto|nyt|jsonl|csv|tsv|nytapi|lines (auto detects from content)")
	o.addSkipBad(cmd)
	o.addQuiet(cmd, "progress and warnings on stderr")
	cmd.Flags().StringVar(&o.MaxRecord, "max-record", "16MiB",
		"longest record read, as a `SIZE` (512k, 64MiB; 0: no limit); a longer one is a bad record (see --skip-bad)")
	o.cols = map[string]*string{}
	for _, f := range columnFields {
		o.cols[f] = cmd.Flags().String(colFlag(f), "", fmt.Sprintf("read the %s from column or key `NAME` (csv, tsv, jsonl, nytapi)", strings.ReplaceAll(f, "_", " ")))
	}
}

// outputAnnotation marks the flags addOutput registers, which the root
// command checks before any command runs (checkOutputFlag).
const outputAnnotation = "stance/output"

// addOutput registers -o/--output: written through openOutput, and checked
// before the command runs (checkOutputFlag).
func (o *commonOptions) addOutput(cmd *cobra.Command) {
	cmd.Flags().StringVarP(&o.Output, "output", "o", "", "write to `FILE` instead of stdout: atomically (a temporary file renamed at the end), compressed for .gz and .zst; a device or pipe is written in place")
	cmd.Flags().SetAnnotation("output", outputAnnotation, []string{"true"})
}

// checkOutputFlag checks the -o of cmd, if addOutput registered it, before
// any work: -o naming a directory, or a file in a missing or read-only
// directory, is a data error (exit 1) naming the path (see
// checkOutputPath). The root command runs it for every command.
func checkOutputFlag(cmd *cobra.Command) error {
	f := cmd.Flags().Lookup("output")
	if f == nil || f.Annotations[outputAnnotation] == nil {
		return nil
	}
	return checkOutputPath(f.Value.String())
}

// addModel registers --model.
func (o *commonOptions) addModel(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.Model, "model", "", "model `FILE` (.stm or .json, plain, .gz or .zst); default: the embedded Huawei model")
}

// maxRecord returns --max-record in bytes for comments.Options.MaxRecord
// (negative: no limit), or a usage error.
func (o *commonOptions) maxRecord() (int, error) {
	if o.MaxRecord == "" {
		return 0, nil
	}
	n, err := comments.ParseSize(o.MaxRecord)
	if err != nil || n < 0 {
		return 0, usagef("invalid --max-record %q: want a size such as 16MiB, 512k or 0 (no limit)", o.MaxRecord)
	}
	if n == 0 {
		return -1, nil
	}
	return int(min(n, 1<<40)), nil
}

// addWorkers registers --workers, the scoring goroutines of the commands
// that score comments.
func addWorkers(cmd *cobra.Command, workers *int) {
	cmd.Flags().IntVar(workers, "workers", 0, "scoring goroutines (0: one per CPU, GOMAXPROCS)")
}

// checkWorkers validates --workers (a usage error, exit 2).
func checkWorkers(workers int) error {
	if workers < 0 {
		return usagef("invalid --workers %d: want 0 (one per CPU) or more", workers)
	}
	return nil
}

// weighting are the flags that weight the counts of stance tables, the same
// in table and report: --weight, --per-author, --seed, --bootstrap.
type weighting struct {
	Weight    string
	PerAuthor bool
	Seed      int64
	Bootstrap int
}

// addWeighting registers the weighting flags.
func (w *weighting) addWeighting(cmd *cobra.Command) {
	cmd.Flags().StringVar(&w.Weight, "weight", report.Weights[0], "weighting: none|recommendations (each comment counts recommendations + 1)")
	cmd.Flags().BoolVar(&w.PerAuthor, "per-author", false, "count each author at most once per row")
	cmd.Flags().Int64Var(&w.Seed, "seed", 1, "seed of the bootstrap intervals used under a weighting")
	cmd.Flags().IntVar(&w.Bootstrap, "bootstrap", report.DefaultBootstrap, "number of bootstrap resamples under a weighting")
}

// checkWeighting validates the weighting flags (usage errors, exit 2).
func (w *weighting) checkWeighting() error {
	if !slices.Contains(report.Weights, w.Weight) {
		return usagef("invalid --weight %q: valid values are {%s}", w.Weight, strings.Join(report.Weights, "|"))
	}
	if w.Bootstrap < 1 {
		return usagef("invalid --bootstrap %d: must be at least 1", w.Bootstrap)
	}
	return nil
}

// options returns the report options the weighting flags set.
func (w *weighting) options() report.Options {
	return report.Options{Weight: w.Weight, PerAuthor: w.PerAuthor, Seed: w.Seed, Bootstrap: w.Bootstrap}
}
