package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
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
	// cols holds the --FIELD-col flags (see columnFields).
	cols map[string]*string
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
		fmt.Sprintf("output format: %s", strings.Join(allowed, "|")))
}

// checkFormat validates --format against the allowed values.
func (o *commonOptions) checkFormat(allowed ...string) error {
	if !slices.Contains(allowed, o.Format) {
		return usagef("invalid --format %q: valid values are {%s}", o.Format, strings.Join(allowed, "|"))
	}
	return nil
}

// addInput registers --input-format, --skip-bad and --quiet.
func (o *commonOptions) addInput(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.InputFormat, "input-format", "auto",
		"input format: auto|nyt|jsonl|csv|tsv|nytapi|lines (auto detects from content)")
	cmd.Flags().BoolVar(&o.SkipBad, "skip-bad", false, "skip bad records, count them and go on, instead of stopping at the first")
	cmd.Flags().BoolVar(&o.Quiet, "quiet", false, "silence progress and warnings on stderr")
	o.cols = map[string]*string{}
	for _, f := range columnFields {
		o.cols[f] = cmd.Flags().String(colFlag(f), "", fmt.Sprintf("read the %s from column or key `NAME` (csv, tsv, jsonl, nytapi)", strings.ReplaceAll(f, "_", " ")))
	}
}

// addOutput registers -o/--output.
func (o *commonOptions) addOutput(cmd *cobra.Command) {
	cmd.Flags().StringVarP(&o.Output, "output", "o", "", "write to `FILE` atomically instead of stdout")
}

// addModel registers --model.
func (o *commonOptions) addModel(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.Model, "model", "", "model `FILE` (.json or .json.gz); default: the embedded Huawei model")
}
