package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	kgzip "github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/spf13/cobra"

	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/report"
	"github.com/stance-dev/stance/training"
)

func init() { subcommands = append(subcommands, newModelCmd) }

// loadModel returns the model in the file at path (JSON or binary, plain,
// gzipped or zstd-compressed: classify.DecodeModel tells them by their
// content), or the embedded default model when path is "".
func loadModel(path string) (*classify.Model, error) {
	if path == "" {
		return training.Default()
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open model: %w", err)
	}
	defer f.Close()
	return decodeModel(path, f)
}

// decodeModel reads the model in r, naming it name in errors.
func decodeModel(name string, r io.Reader) (*classify.Model, error) {
	m, err := classify.DecodeModel(r)
	if err != nil {
		if errors.Is(err, classify.ErrNotModel) {
			return nil, fmt.Errorf("%s: %w (write one with 'stance train')", name, err)
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return m, nil
}

// binaryModelExt is the extension of -o that writes the binary model file
// (classify's EncodeBinary): read an order of magnitude faster than JSON.
const binaryModelExt = ".stm"

// writeModel writes m to w in the encoding and compression the model
// file path names by its extensions: binary for .stm, JSON otherwise
// (.json); gzip under .gz, zstd under .zst. Both compressors run on one
// goroutine at a fixed level, so the bytes are the same on every machine.
func writeModel(w io.Writer, path string, m *classify.Model) error {
	base, comp := splitCompression(path)
	encode := m.Encode
	if strings.EqualFold(filepath.Ext(base), binaryModelExt) {
		encode = m.EncodeBinary
	}
	var zw io.WriteCloser
	switch comp {
	case "":
		return encode(w)
	case "gzip":
		g, err := kgzip.NewWriterLevel(w, kgzip.DefaultCompression)
		if err != nil {
			return err
		}
		zw = g
	case "zstd":
		z, err := zstd.NewWriter(w, zstd.WithEncoderConcurrency(1))
		if err != nil {
			return err
		}
		zw = z
	default:
		return fmt.Errorf("a model cannot be compressed with %s", comp)
	}
	if err := encode(zw); err != nil {
		zw.Close()
		return err
	}
	return zw.Close()
}

// modelShowOptions are the flags and arguments of `stance model show`.
type modelShowOptions struct {
	commonOptions
	IO   *IOStreams
	Path string
	Top  int
}

func newModelCmd(ios *IOStreams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "model",
		Short: "Inspect models",
		Long:  "model groups the commands that inspect and convert model files.",
		Example: `  stance model show
  stance model show mymodel.json.gz --top 20
  stance model convert mymodel.json.gz -o mymodel.stm`,
	}
	cmd.AddCommand(newModelShowCmd(ios, nil))
	cmd.AddCommand(newModelConvertCommand(ios, nil))
	return cmd
}

// modelConvertOptions are the flags and argument of `stance model convert`.
type modelConvertOptions struct {
	commonOptions
	IO   *IOStreams
	Path string
}

// newModelConvertCommand builds `stance model convert`; runF, if set,
// replaces runModelConvert (for flag-parsing tests).
func newModelConvertCommand(ios *IOStreams, runF func(*modelConvertOptions) error) *cobra.Command {
	o := &modelConvertOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "convert MODEL -o FILE",
		Short: "Write a model in another encoding (binary .stm or JSON)",
		Long: `convert reads a model file (any encoding: the content tells) and writes
the same model, with the same hash, atomically to FILE in the encoding its
name says, as 'stance train -o' does: the binary model file for .stm, JSON
otherwise; gzipped under .gz, zstd-compressed under .zst. Use it to
export a binary model as JSON, or to make a large JSON model load fast.`,
		Example: `  stance model convert big.json.gz -o big.stm
  stance model convert big.stm -o big.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Path = args[0]
			if o.Output == "" || o.Output == "-" {
				return usagef("-o FILE is required: the model file to write")
			}
			if runF != nil {
				return runF(o)
			}
			return runModelConvert(o)
		},
	}
	o.addOutput(cmd)
	return cmd
}

// runModelConvert reads the model and writes it, atomically, in the
// encoding the name of -o says.
func runModelConvert(o *modelConvertOptions) error {
	ios, in, path := o.IO, o.Path, o.Output
	var m *classify.Model
	var err error
	if in == "-" {
		m, err = decodeModel("stdin", ios.In)
	} else {
		m, err = loadModel(in)
	}
	if err != nil {
		return err
	}
	out, err := openRawOutput(ios, path, []string{in})
	if err != nil {
		return err
	}
	if err := writeModel(out, path, m); err != nil {
		out.Abort()
		return fmt.Errorf("write model: %w", err)
	}
	return out.Commit()
}

// newModelShowCmd builds `stance model show`; runF, if set, replaces
// runModelShow (for flag-parsing tests).
func newModelShowCmd(ios *IOStreams, runF func(*modelShowOptions) error) *cobra.Command {
	o := &modelShowOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "show [MODEL]",
		Short: "Show a model's taxonomy, options, training summary and top tokens",
		Long: `show prints what a model is: its identity (name@hash and the full
content hash), options, taxonomy (subject, stances, fallback), training
summary (source, data hash, documents, vocabulary size), and for each
class its name, stance, weighted documents and tokens (cue pseudo-documents
included) and its most distinctive tokens by log-odds. With character
n-grams or per-target tokens, the top tokens are words, each with the
log-odds of its n-grams and target copies added; a per-target model also
gets each target's top tokens per class.

MODEL is a file written by 'stance train' (.stm or .json, plain, .gz or
.zst: the content tells which); without it,
the embedded default model (Huawei in Europe's 5G networks) is shown;
with "-", the model is read from stdin.

-f table, markdown, csv and html write the same tables through the
renderers of 'stance table'; -f json writes the description as one object
(id, name, hash, options, subject, stances, fallback, classes with their
top_tokens, targets with theirs, heldout).`,
		Example: `  stance model show
  stance model show mymodel.json.gz --top 20
  stance model show mymodel.json -f json | jq '.classes[].top_tokens'
  stance model show mymodel.json.gz -o mymodel-card.json
  stance model show -f markdown -o model-card.md`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.Path = args[0]
			}
			if err := o.checkFormat(evalFormats...); err != nil {
				return err
			}
			if o.Top < 0 {
				return usagef("invalid --top %d: want 0 or more", o.Top)
			}
			if runF != nil {
				return runF(o)
			}
			return runModelShow(o)
		},
	}
	o.addFormat(cmd, evalFormats...)
	o.addOutput(cmd)
	cmd.Flags().IntVar(&o.Top, "top", 10, "number of top tokens per class")
	return cmd
}

func runModelShow(o *modelShowOptions) error {
	var m *classify.Model
	var err error
	if o.Path == "-" {
		m, err = decodeModel("stdin", o.IO.In)
	} else {
		m, err = loadModel(o.Path)
	}
	if err != nil {
		return err
	}
	card := training.NewModelCard(m, o.Top)
	if err := writeDocument(o.IO, &o.commonOptions, []string{o.Path}, card.WriteJSON, report.ModelDocument(card)); err != nil {
		return fmt.Errorf("write model description: %w", err)
	}
	return nil
}
