package main

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"github.com/stance-dev/stance/comments"
)

func init() {
	subcommands = append(subcommands, newParseCmd)
}

// parseOptions are the flags and inputs of `stance parse`.
type parseOptions struct {
	commonOptions
	IO    *IOStreams
	Paths []string
}

func newParseCmd(ios *IOStreams) *cobra.Command { return newParseCommand(ios, nil) }

// newParseCommand builds `stance parse`; runF, if set, replaces runParse
// (for flag-parsing tests).
func newParseCommand(ios *IOStreams, runF func(context.Context, *parseOptions) error) *cobra.Command {
	o := &parseOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "parse [FILE...]",
		Short: "Read comment threads and dumps, link replies, write the comments",
		Long: `parse reads comments from every FILE ("-" or none: stdin) and writes them,
with each reply tied to its parent, as JSON Lines (default), CSV or a table.

Input formats, detected from the content (--input-format overrides):
  nyt     an NYT comment thread as copied from the page ("Author (Location)"
          header lines, then the body); page furniture such as "Reply",
          "12 Recommend" or "NYT Pick" is skipped or kept as counts
  jsonl   one JSON object per line (NYT, Pushshift/Reddit, stance's own)
  csv     CSV with a header row (the NYT comments dataset and others)
  tsv     the same, tab-separated
  nytapi  NYT community API JSON, nested replies flattened
  lines   plain text, one comment per line
gzip and zstd input is decompressed transparently.

A body starting with "@Name" replies to the latest earlier comment by Name
in the same thread; a parent ID given by the source wins.

Bad records stop the command with FILE:LINE: what is wrong (exit 1);
--skip-bad skips them and reports how many and where on stderr.`,
		Example: `  stance parse testdata/nyt-huawei-shared-values-2019-12-27.txt
  stance parse thread.txt -f table
  stance parse nyt-comments-2020.csv.gz --skip-bad -o comments.jsonl
  stance parse export.csv --text-col body_txt --author-col user -f csv
  cat dump.jsonl.zst | stance parse - --input-format jsonl`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Paths = args
			if err := o.checkFormat("jsonl", "csv", "table"); err != nil {
				return err
			}
			if err := checkInputFormat(o.InputFormat); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runParse(cmd.Context(), o)
		},
	}
	o.addFormat(cmd, "jsonl", "csv", "table")
	o.addInput(cmd)
	o.addOutput(cmd)
	return cmd
}

// commentWriter is what parse writes with.
type commentWriter interface {
	Write(*comments.Comment) error
	Flush() error
}

// runParse writes the comments of the inputs to the output.
func runParse(ctx context.Context, o *parseOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	in, err := openInput(o.IO, &o.commonOptions, o.Paths, inputOptions{})
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := openOutput(o.IO, o.Output, o.Paths)
	if err != nil {
		return err
	}
	// Records go through a buffer that reaches the output only after each
	// batch, whole: a run that stops on a bad record or an interrupt never
	// leaves half a record behind.
	var recs bytes.Buffer
	var w commentWriter
	switch o.Format {
	case "csv":
		w = comments.NewCSVWriter(&recs)
	case "table":
		w = comments.NewTableWriter(&recs)
	default:
		w = comments.NewJSONLWriter(&recs)
	}
	prog := newProgress(o.IO, o.Quiet, "parsed", in, nil, 200*time.Millisecond)
	n := 0
	update := prog.update()
	flush := func() error {
		if err := w.Flush(); err != nil {
			return fmt.Errorf("write: %w", err)
		}
		if _, err := out.Write(recs.Bytes()); err != nil {
			return fmt.Errorf("write: %w", err)
		}
		recs.Reset()
		return nil
	}
	err = eachBatch(ctx, in, func(batch []*comments.Comment) error {
		for _, c := range batch {
			if err := w.Write(c); err != nil {
				return fmt.Errorf("write: %w", err)
			}
		}
		n += len(batch)
		if update != nil {
			update(n)
		}
		if o.Format == "table" {
			return nil // the table is drawn at the end
		}
		return flush()
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		out.Abort()
		return err
	}
	prog.finish(n)
	return out.Commit()
}
