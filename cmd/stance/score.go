package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/stance-dev/stance/batch"
	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/comments"
)

func init() { subcommands = append(subcommands, newScoreCmd) }

// scoreOptions are the flags and inputs of `stance score`.
type scoreOptions struct {
	commonOptions
	IO      *IOStreams
	Paths   []string
	Workers int
	Text    bool
	// CPUProfile, if set, receives a pprof CPU profile of the run (hidden flag).
	CPUProfile string
	// Now is the clock of the summary; time.Now unless a test sets it.
	Now func() time.Time
	// throttle is the progress bar's redraw interval (tests shorten it).
	throttle time.Duration
	// batchSize is the pipeline's batch size (0: batch.DefaultBatchSize).
	batchSize int
}

func newScoreCmd(ios *IOStreams) *cobra.Command { return newScoreCommand(ios, nil) }

// newScoreCommand builds `stance score`; runF, if set, replaces runScore
// (for flag-parsing tests).
func newScoreCommand(ios *IOStreams, runF func(context.Context, *scoreOptions) error) *cobra.Command {
	o := &scoreOptions{IO: ios, Now: time.Now, throttle: 200 * time.Millisecond}
	cmd := &cobra.Command{
		Use:   "score [FILE...|-]",
		Short: "Score every comment of large dumps, one record per comment",
		Long: `score reads comments (any input format stance reads; "-" or no file is
stdin; gzip and zstd are decompressed) and writes one scored record per
comment, in input order: VADER sentiment, the argument the model labels it
with, its stance, and the model's identity (name@hash).

JSONL records (the default) have the keys, always in this order:
  id, author, location, parent,
  sentiment {compound, pos, neu, neg, label},
  argument {label, name, p, runner_up, margin, cues [tokens]},
  stance, model, extra {the input's unused fields}, and text with --text.
CSV flattens the same record with dotted headers (sentiment.compound, ...);
cues are joined by "|" and extra is one JSON field.

Comments are scored by --workers goroutines and written in input order;
the output is the same for any number of workers. Memory stays flat
whatever the input size.

A progress bar (comments, rate, ETA from the input bytes) shows on stderr
when it is a terminal; a summary (comments, skipped, seconds, comments/s)
ends the run, interrupted or not. --quiet silences both.
A bad record stops the run with FILE:LINE (exit 1); --skip-bad skips and
counts it instead. On SIGINT or SIGTERM the comments in flight are
finished and flushed, and score exits 130; with -o, the output is left in
OUT.partial, never under OUT.`,
		Example: `  stance score comments.jsonl -o scored.jsonl
  stance score dump.jsonl.zst --skip-bad -f csv -o scored.csv
  zcat dump.csv.gz | stance score - --text --workers 4 > scored.jsonl`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Paths = args
			if err := o.checkFormat("jsonl", "csv"); err != nil {
				return err
			}
			if o.Workers < 0 {
				return usagef("invalid --workers %d: want 0 (one per CPU) or more", o.Workers)
			}
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runScore(cmd.Context(), o)
		},
	}
	o.addFormat(cmd, "jsonl", "csv")
	o.addInput(cmd)
	o.addOutput(cmd)
	o.addModel(cmd)
	cmd.Flags().IntVar(&o.Workers, "workers", 0, "scoring goroutines (0: one per CPU, GOMAXPROCS)")
	cmd.Flags().BoolVar(&o.Text, "text", false, "add each comment's body to its record")
	cmd.Flags().StringVar(&o.CPUProfile, "cpuprofile", "", "write a pprof CPU profile to `FILE`")
	cmd.Flags().MarkHidden("cpuprofile")
	return cmd
}

// runScore scores the inputs into the output.
func runScore(ctx context.Context, o *scoreOptions) error {
	ios := o.IO
	model, err := loadModel(o.Model)
	if err != nil {
		return err
	}
	enc, err := batch.NewEncoder(o.Format, model.ID(), o.Text)
	if err != nil {
		return usagef("%v", err)
	}
	if err := checkStdinOutput(ios, o); err != nil {
		return err
	}
	start := o.Now()
	// Decoding allocates much short-lived garbage while the live heap stays
	// small (a few batches): collect half as often unless GOGC says otherwise.
	// This costs ~20 MB of RSS and saves ~7% CPU.
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(200))
	}
	if o.CPUProfile != "" {
		f, err := os.Create(o.CPUProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}

	// Uncompressed JSON Lines, the usual dump, is decoded by the workers in
	// parallel; any other input is read by one goroutine.
	fast, err := openChunkedJSONL(ios, o)
	if err != nil {
		return err
	}
	var in *inputSet
	if fast != nil {
		defer fast.Close()
	} else {
		in = openInputs(ios, &o.commonOptions, o.Paths)
		defer in.Close()
	}
	out, err := openOutput(ios, o.Output, o.Paths)
	if err != nil {
		return err
	}

	var bar *progressbar.ProgressBar
	// progressBytes is the input read so far, stored by the reader goroutine.
	var progressBytes atomic.Int64
	if ios.ErrTTY && !o.Quiet {
		total := int64(0)
		if fast != nil {
			total = fast.total
		} else {
			total = in.TotalBytes()
		}
		bar = newScoreBar(ios, total, o.throttle)
	}
	opt := batch.Options{Workers: o.Workers, BatchSize: o.batchSize}
	if bar != nil {
		opt.Progress = func(done int) {
			secs := time.Since(start).Seconds()
			bar.Describe(fmt.Sprintf("%d comments, %.0f/s", done, float64(done)/max(secs, 1e-3)))
			bar.Set64(progressBytes.Load())
		}
	}
	scorer := classify.NewScorer(model)
	var st batch.Stats
	if fast != nil {
		fast.progress = &progressBytes
		st, err = batch.RunChunked(ctx, fast.chunked(o.batchSize), scorer, enc, out, opt)
	} else {
		// BytesRead is read in the reader goroutine only, next to Next.
		var bytesRead int64
		src := func() (*comments.Comment, error) {
			c, err := in.Next()
			if b := in.BytesRead(); b != bytesRead {
				bytesRead = b
				progressBytes.Store(b)
			}
			return c, err
		}
		st, err = batch.Run(ctx, src, scorer, enc, out, opt)
	}
	if bar != nil {
		bar.Finish() // erases the bar (OptionClearOnFinish)
	}
	if fast != nil {
		fast.end()
	}
	skipped := func() int {
		if fast != nil {
			return fast.skipped
		}
		return in.Skipped()
	}
	summary := func() {
		if o.Quiet {
			return
		}
		secs := o.Now().Sub(start).Seconds()
		fmt.Fprintf(ios.ErrOut, "scored %d comments (%d skipped) in %.2f s: %.0f comments/s\n",
			st.Comments, skipped(), secs, float64(st.Comments)/max(secs, 1e-9))
	}
	switch {
	case err == nil:
		if err := out.Commit(); err != nil {
			return err
		}
		summary()
		return nil
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		summary()
		name, kerr := out.KeepPartial()
		switch {
		case kerr != nil:
			fmt.Fprintf(ios.ErrOut, "stance: could not keep the partial output: %v\n", kerr)
		case name != "":
			fmt.Fprintf(ios.ErrOut, "stance: partial output (%d comments) left in %s\n", st.Comments, name)
		}
		return errInterrupted
	default:
		out.Abort()
		return err
	}
}

// checkStdinOutput refuses -o FILE when stdin, read as an input, is FILE
// itself (`stance score - -o in.jsonl < in.jsonl`): the rename at the end
// would replace the input.
func checkStdinOutput(ios *IOStreams, o *scoreOptions) error {
	f, ok := ios.In.(*os.File)
	if !ok || o.Output == "" || o.Output == "-" || (len(o.Paths) > 0 && !slices.Contains(o.Paths, "-")) {
		return nil
	}
	in, err := f.Stat()
	if err != nil {
		return nil
	}
	if out, err := os.Stat(o.Output); err == nil && os.SameFile(in, out) {
		return fmt.Errorf("output %s is also the input (stdin): refusing to overwrite it", o.Output)
	}
	return nil
}

// newScoreBar returns the progress bar on stderr: by input bytes when their
// total is known, else a spinner.
func newScoreBar(ios *IOStreams, total int64, throttle time.Duration) *progressbar.ProgressBar {
	if total <= 0 {
		total = -1
	}
	return progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(ios.ErrOut),
		progressbar.OptionSetDescription("scoring"),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(throttle),
		progressbar.OptionClearOnFinish(),
		// No redraw goroutine for an unknown length: the bar is drawn only
		// from the writer's progress calls.
		progressbar.OptionSetSpinnerChangeInterval(0),
	)
}

// chunkedJSONL is a single uncompressed JSON Lines input, cut into chunks
// that the workers decode in parallel with comments.JSONLReader, then
// numbered and linked in input order as comments.Stream would.
type chunkedJSONL struct {
	o        *scoreOptions
	ios      *IOStreams
	name     string
	r        io.Reader
	file     *os.File
	total    int64
	progress *atomic.Int64 // bytes read, for the progress bar
	read     int64

	// In-order state (batch.Chunked.Order runs one chunk at a time).
	lines     int // lines before the current chunk
	n         int // comments so far
	bad       int
	skipped   int
	where     []string
	linker    *comments.Linker
	invalid   int // invalid UTF-8 bytes replaced
	invalidAt int
}

// openChunkedJSONL returns the chunked reader of the input when it is one
// uncompressed JSON Lines file or stdin, and nil otherwise (the input set
// then reads it, and reports any error opening it).
func openChunkedJSONL(ios *IOStreams, o *scoreOptions) (*chunkedJSONL, error) {
	if len(o.Paths) > 1 || (o.InputFormat != "auto" && o.InputFormat != "" && o.InputFormat != "jsonl") {
		return nil, nil
	}
	c := &chunkedJSONL{o: o, ios: ios, linker: comments.NewLinker()}
	var r io.Reader
	if len(o.Paths) == 0 || o.Paths[0] == "-" {
		c.name, r = "stdin", ios.In
	} else {
		f, err := os.Open(o.Paths[0])
		if err != nil {
			return nil, nil
		}
		st, err := f.Stat()
		if err != nil || !st.Mode().IsRegular() {
			f.Close()
			return nil, nil
		}
		c.name, c.file, c.total, r = o.Paths[0], f, st.Size(), f
	}
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(64 << 10)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		c.Close()
		return nil, fmt.Errorf("read %s: %w", c.name, err)
	}
	bom := bytes.HasPrefix(head, []byte("\xef\xbb\xbf"))
	if bom {
		head = head[3:]
	}
	if comments.Detect(head, nil) != "jsonl" || bytes.IndexByte(head, 0) >= 0 {
		// Not JSON Lines (or compressed, or binary): the general path.
		if c.file != nil {
			c.Close()
			return nil, nil
		}
		// stdin cannot be reopened: hand the peeked bytes on.
		ios.In = br
		return nil, nil
	}
	if bom {
		br.Discard(3)
		c.read = 3
	}
	c.r = br
	return c, nil
}

// Close closes the input file.
func (c *chunkedJSONL) Close() error {
	if c.file != nil {
		err := c.file.Close()
		c.file = nil
		return err
	}
	return nil
}

// chunked returns the pipeline's view of the input.
func (c *chunkedJSONL) chunked(batchSize int) batch.Chunked {
	size := 256 << 10 // ~450 comments of ~580 bytes
	if batchSize > 0 {
		size = batchSize * 64 // tests: small batches
	}
	next := batch.LineChunks(c.r, size)
	return batch.Chunked{
		Next: func(dst []byte) ([]byte, error) {
			chunk, err := next(dst)
			c.read += int64(len(chunk) - len(dst))
			if c.progress != nil {
				c.progress.Store(c.read)
			}
			if err != nil && err != io.EOF {
				err = fmt.Errorf("read %s: %w", c.name, err)
			}
			return chunk, err
		},
		Decode: c.decode,
		Order:  c.order,
	}
}

// decode reads the records of a chunk; line numbers are relative to it.
func (c *chunkedJSONL) decode(dst []batch.Item, chunk []byte) []batch.Item {
	rd := comments.NewJSONLReader(c.name, bytes.NewReader(chunk))
	for {
		cm, err := rd.Read()
		if err == io.EOF {
			return dst
		}
		dst = append(dst, batch.Item{Comment: cm, Err: err})
		var pe *comments.ParseError
		if err != nil && !(errors.As(err, &pe) && pe.Skippable) {
			return dst // the reader cannot go on
		}
	}
}

// order numbers, links and checks the records of a chunk, in input order.
func (c *chunkedJSONL) order(dst []*comments.Comment, items []batch.Item, chunk []byte) ([]*comments.Comment, error) {
	for _, it := range items {
		if it.Err != nil {
			c.bad++
			var pe *comments.ParseError
			if !errors.As(it.Err, &pe) {
				return dst, it.Err
			}
			if pe.Line > 0 {
				pe.Line += c.lines
			}
			if !c.o.SkipBad || !pe.Skippable {
				return dst, it.Err
			}
			c.skipped++
			if len(c.where) < 5 {
				c.where = append(c.where, pe.Location())
			}
			if c.skipped <= maxSkipWarnings && !c.o.Quiet {
				fmt.Fprintf(c.ios.ErrOut, "stance: warning: skipped %v\n", it.Err)
			}
			continue
		}
		cm := it.Comment
		if i := strings.LastIndexByte(cm.Source, ':'); i >= 0 {
			if line, err := strconv.Atoi(cm.Source[i+1:]); err == nil {
				cm.Source = cm.Source[:i+1] + strconv.Itoa(line+c.lines)
			}
		}
		c.n++
		if cm.ID == "" {
			cm.ID = "c" + strconv.Itoa(c.n)
		}
		c.linker.Link(cm)
		dst = append(dst, cm)
	}
	if !utf8.Valid(chunk) {
		line := c.lines + 1
		for b := chunk; len(b) > 0; {
			r, size := utf8.DecodeRune(b)
			if r == utf8.RuneError && size == 1 {
				c.invalid++
				if c.invalidAt == 0 {
					c.invalidAt = line
				}
			} else if r == '\n' {
				line++
			}
			b = b[size:]
		}
	}
	c.lines += bytes.Count(chunk, []byte{'\n'})
	return dst, nil
}

// end prints what the input set prints at the end: repairs and skips.
func (c *chunkedJSONL) end() {
	if c.invalid > 0 && !c.o.Quiet {
		fmt.Fprintf(c.ios.ErrOut, "stance: warning: %s: replaced %d invalid UTF-8 bytes with U+FFFD (first on line %d)\n", c.name, c.invalid, c.invalidAt)
	}
	if c.skipped > 0 {
		more := ""
		if c.skipped > len(c.where) {
			more = fmt.Sprintf(" and %d more", c.skipped-len(c.where))
		}
		fmt.Fprintf(c.ios.ErrOut, "stance: skipped %d bad record(s): %s%s\n", c.skipped, strings.Join(c.where, ", "), more)
	}
}
