package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/stance-dev/stance/batch"
	"github.com/stance-dev/stance/comments"
)

// maxSkipWarnings bounds the per-record warnings --skip-bad prints; the
// summary at the end still counts every skipped record.
const maxSkipWarnings = 10

// input is the one way every command that reads comments gets them: the
// comments of every FILE ("-" or none: stdin) in turn, as batches in input
// order, with what the commands report about them. [openInput] picks the
// implementation in one place: a single plain JSON Lines input is decoded
// by several goroutines at once (chunkedInput); anything else is read by
// one (inputSet). Both give the same comments, IDs, links, errors and
// warnings, and treat --skip-bad the same.
type input interface {
	// Batches returns the comments as the pipeline takes them. Call it once.
	Batches() batch.Batches
	// Skipped returns how many bad records --skip-bad skipped so far.
	Skipped() int
	// BytesRead returns the input bytes consumed so far (compressed size for
	// compressed inputs), for progress. Safe for concurrent use.
	BytesRead() int64
	// TotalBytes returns the sum of the input files' sizes, 0 if unknown (stdin).
	TotalBytes() int64
	// Names returns the names of the inputs opened so far ("stdin" for "-").
	Names() []string
	// Threads returns what each input opened so far declares about its
	// article, in input order.
	Threads() []comments.Thread
	// End ends the input after the last batch: it prints the warnings
	// (invalid UTF-8, skipped records, an input without comments).
	End() error
	// Close releases the input; it is safe to call more than once.
	Close() error
}

// checkInputFormat validates --input-format: a usage error names the valid
// values. It is the one place that lists them.
func checkInputFormat(f string) error {
	if f == "" || f == "auto" || slices.Contains(comments.Formats, f) {
		return nil
	}
	return usagef("invalid --input-format %q: valid values are {auto|%s}", f, strings.Join(comments.Formats, "|"))
}

// inputOptions tune openInput; the zero value is what commands use.
type inputOptions struct {
	// batchSize is the comments per batch of a sequential input (0: the
	// pipeline's default); a chunked input takes 64 bytes per comment.
	batchSize int
	// maxRecord is comments.Options.MaxRecord (from --max-record).
	maxRecord int
}

// openInput opens the inputs of a command: paths ("-" or none: ios.In).
// It chooses how to read them, here and nowhere else.
func openInput(ios *IOStreams, o *commonOptions, paths []string, opt inputOptions) (input, error) {
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	max, err := o.maxRecord()
	if err != nil {
		return nil, err
	}
	opt.maxRecord = max
	c, stdin, err := openChunked(ios, o, paths, opt)
	if err != nil || c != nil {
		return c, err
	}
	in := openInputs(ios, o, paths)
	in.stdin = stdin
	in.batchSize = opt.batchSize
	in.maxRecord = opt.maxRecord
	return in, nil
}

// badRecords counts and reports the bad records --skip-bad skips, and the
// other warnings of reading.
type badRecords struct {
	ios     *IOStreams
	o       *commonOptions
	skipped atomic.Int64 // read by progress and summaries from other goroutines
	where   []string
	ended   bool
}

// warn prints a warning on stderr, unless --quiet.
func (b *badRecords) warn(msg string) {
	if !b.o.Quiet {
		fmt.Fprintf(b.ios.ErrOut, "stance: warning: %s\n", msg)
	}
}

// skip reports whether err is a bad record to skip: with --skip-bad, a
// *comments.ParseError the reader can go on after. It counts it and warns
// about the first maxSkipWarnings.
func (b *badRecords) skip(err error) bool {
	var pe *comments.ParseError
	if !b.o.SkipBad || !errors.As(err, &pe) || !pe.Skippable {
		return false
	}
	b.record(pe.Location(), err)
	return true
}

// record counts a skipped bad record at where, and warns about the first
// maxSkipWarnings.
func (b *badRecords) record(where string, err error) {
	n := b.skipped.Add(1)
	if len(b.where) < 5 {
		b.where = append(b.where, where)
	}
	if n <= maxSkipWarnings {
		b.warn("skipped " + err.Error())
	}
}

// empty reports whether err says an input holds no comment at all; it
// then warns: an empty input gives empty output, not a failure, so that a
// pipeline over many files does not die on one.
func (b *badRecords) empty(err error) bool {
	if !errors.Is(err, comments.ErrEmpty) {
		return false
	}
	b.warn(err.Error())
	return true
}

// end reports the skipped records, once.
func (b *badRecords) end() {
	skipped := int(b.skipped.Load())
	if b.ended || skipped == 0 {
		b.ended = true
		return
	}
	b.ended = true
	more := ""
	if skipped > len(b.where) {
		more = fmt.Sprintf(" and %d more", skipped-len(b.where))
	}
	fmt.Fprintf(b.ios.ErrOut, "stance: skipped %d bad record(s): %s%s\n", skipped, strings.Join(b.where, ", "), more)
}

// inputSet reads the comments of every input in turn, with one goroutine.
type inputSet struct {
	// Columns maps comment fields to the input's column names (--text-col...).
	Columns map[string]string

	ios       *IOStreams
	o         *commonOptions
	paths     []string
	stdin     io.Reader // ios.In, or what gives its bytes again after a peek
	batchSize int
	next      int
	cur       *comments.Stream
	file      io.Closer
	done      int64 // bytes of the inputs already finished
	read      atomic.Int64
	total     int64
	bad       badRecords
	threads   []comments.Thread
	names     []string
	maxRecord int    // comments.Options.MaxRecord
	mayPause  bool   // some input is stdin or not a regular file
	stop      func() // ends the read-ahead goroutine, if any
}

// openInputs prepares reading paths ("-" or none: ios.In) one at a time,
// with one goroutine. Files are opened by Next; errors come from Next.
func openInputs(ios *IOStreams, o *commonOptions, paths []string) *inputSet {
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	in := &inputSet{ios: ios, o: o, paths: paths, stdin: ios.In, bad: badRecords{ios: ios, o: o}, Columns: o.columns()}
	for _, p := range paths {
		if p == "-" {
			in.total = -1
			in.mayPause = true
			continue
		}
		st, err := os.Stat(p)
		if err == nil && !st.Mode().IsRegular() {
			in.mayPause = true
		}
		if err == nil && in.total >= 0 {
			in.total += st.Size()
		}
	}
	return in
}

// open starts the next input.
func (in *inputSet) open() error {
	p := in.paths[in.next]
	in.next++
	var r io.Reader
	name := p
	if p == "-" {
		name = "stdin"
		r = in.stdin
	} else {
		f, err := os.Open(p)
		if err != nil {
			return fmt.Errorf("open input: %w", err)
		}
		in.file = f
		r = f
	}
	in.names = append(in.names, name)
	s, err := comments.Open(name, r, comments.Options{Format: in.o.InputFormat, Columns: in.Columns, Warn: in.bad.warn, MaxRecord: in.maxRecord})
	if err != nil {
		if in.file != nil {
			in.file.Close()
			in.file = nil
		}
		return err
	}
	in.cur = s
	return nil
}

// closeCurrent finishes the current input.
func (in *inputSet) closeCurrent() error {
	if in.cur == nil {
		return nil
	}
	in.done += in.cur.BytesRead()
	in.read.Store(in.done)
	in.threads = append(in.threads, in.cur.Thread())
	err := in.cur.Close()
	in.cur = nil
	if in.file != nil {
		err = errors.Join(err, in.file.Close())
		in.file = nil
	}
	return err
}

// Next returns the next comment of the inputs, io.EOF after the last one.
// A bad record stops with its error, unless --skip-bad is set and the
// reader can go on: then it is counted, reported and skipped. An input
// without comments is reported and passed over.
func (in *inputSet) Next() (*comments.Comment, error) {
	for {
		if in.cur == nil {
			if in.next >= len(in.paths) {
				in.bad.end()
				return nil, io.EOF
			}
			if err := in.open(); err != nil {
				if in.bad.empty(err) {
					continue
				}
				return nil, err
			}
		}
		c, err := in.cur.Read()
		if err == nil {
			in.read.Store(in.done + in.cur.BytesRead())
			return c, nil
		}
		if err == io.EOF || in.bad.empty(err) {
			if err := in.closeCurrent(); err != nil {
				return nil, err
			}
			continue
		}
		if in.bad.skip(err) {
			continue
		}
		return nil, err
	}
}

// Batches returns the comments of Next in batches. An input that may
// pause (stdin, a pipe) is read ahead by a goroutine, and its batches end
// 200 ms after a pause, so that `tail -f log | stance score` shows each
// comment soon after it comes.
func (in *inputSet) Batches() batch.Batches {
	if !in.mayPause {
		return batch.Group(in.Next, in.batchSize)
	}
	b, stop := batch.GroupTimed(in.Next, in.batchSize, maxDelay)
	in.stop = stop
	return b
}

// maxDelay bounds how long comments read from a pausing input wait for
// the rest of their batch.
const maxDelay = 200 * time.Millisecond

// End reports the skipped records, once.
func (in *inputSet) End() error { in.bad.end(); return nil }

// Skipped returns how many bad records --skip-bad skipped so far.
func (in *inputSet) Skipped() int { return int(in.bad.skipped.Load()) }

// BytesRead returns the input bytes consumed so far.
func (in *inputSet) BytesRead() int64 { return in.read.Load() }

// TotalBytes returns the sum of the input files' sizes, 0 if unknown (stdin).
func (in *inputSet) TotalBytes() int64 { return max(in.total, 0) }

// Names returns the names of the inputs opened so far ("stdin" for "-").
func (in *inputSet) Names() []string { return in.names }

// Threads returns what each input opened so far declares about its article.
func (in *inputSet) Threads() []comments.Thread {
	out := append([]comments.Thread(nil), in.threads...)
	if in.cur != nil {
		out = append(out, in.cur.Thread())
	}
	return out
}

// Close stops the read-ahead, if any, and releases the current input. With
// a read-ahead goroutine still in a read (an interrupted run), the input is
// left to it: the process is about to end.
func (in *inputSet) Close() error {
	if in.stop != nil {
		in.stop()
		in.stop = nil
		return nil
	}
	return in.closeCurrent()
}

// chunkedInput is one plain JSON Lines input (a file or stdin) whose
// chunks several goroutines decode at once with comments.JSONLChunkDecoder
// (batch.DecodeChunks): the comments, errors, warnings and --skip-bad
// reports are those of the input set.
type chunkedInput struct {
	dec       *comments.JSONLChunkDecoder
	name      string
	r         io.Reader // the input, after what OpenJSONLChunks consumed
	read      atomic.Int64
	file      *os.File
	total     int64
	chunkSize int
	bad       badRecords
	stop      func()
}

// openChunked returns the chunked reader of the input when it is a single
// uncompressed JSON Lines file or stdin, and nil otherwise: the input set
// then reads it, and reports any error opening it. For stdin, it then
// returns the reader that gives the bytes peeked at again.
func openChunked(ios *IOStreams, o *commonOptions, paths []string, opt inputOptions) (*chunkedInput, io.Reader, error) {
	if len(paths) > 1 {
		return nil, ios.In, nil
	}
	c := &chunkedInput{bad: badRecords{ios: ios, o: o}, chunkSize: 256 << 10} // ~450 comments of ~580 bytes
	if opt.batchSize > 0 {
		c.chunkSize = opt.batchSize * 64 // tests: small batches
	}
	name, r := "stdin", ios.In
	if paths[0] != "-" {
		f, err := os.Open(paths[0])
		if err != nil {
			return nil, ios.In, nil
		}
		st, err := f.Stat()
		if err != nil || !st.Mode().IsRegular() {
			f.Close()
			return nil, ios.In, nil
		}
		name, c.file, c.total, r = paths[0], f, st.Size(), f
	}
	c.name = name
	dec, rest, err := comments.OpenJSONLChunks(name, r, comments.Options{Format: o.InputFormat, Columns: o.columns(), Warn: c.bad.warn, MaxRecord: opt.maxRecord})
	switch {
	case err != nil:
		c.Close()
		return nil, nil, err
	case dec == nil && c.file != nil:
		c.Close()
		return nil, ios.In, nil
	case dec == nil:
		return nil, rest, nil // stdin cannot be reopened
	}
	c.dec, c.r = dec, &countReader{r: rest, n: &c.read}
	return c, nil, nil
}

// Batches returns the decoded comments, chunk by chunk.
func (c *chunkedInput) Batches() batch.Batches {
	next := batch.LineChunksMax(c.r, c.chunkSize, c.dec.MaxRecord(), comments.TooLongLine)
	b, stop := batch.DecodeChunks(batch.Chunked{
		Next: func(dst []byte) ([]byte, error) {
			chunk, err := next(dst)
			if err != nil && err != io.EOF {
				err = fmt.Errorf("read %s: %w", c.name, err)
			}
			return chunk, err
		},
		Decode: c.dec.Decode,
		Order:  c.order,
	}, 0)
	c.stop = stop
	return b
}

// order puts a chunk's records in order, and keeps the comments and the
// bad records --skip-bad skips.
func (c *chunkedInput) order(dst []*comments.Comment, items []batch.Item, chunk []byte) ([]*comments.Comment, error) {
	c.dec.Order(items, chunk)
	for _, it := range items {
		if it.Err != nil {
			if errors.Is(it.Err, comments.ErrDeleted) || c.bad.skip(it.Err) {
				continue // a deleted comment is counted by the decoder
			}
			return dst, it.Err
		}
		dst = append(dst, it.Comment)
	}
	return dst, nil
}

// End prints the warnings of the input (invalid UTF-8, skipped records, no
// comments at all).
func (c *chunkedInput) End() error {
	err := c.dec.Finish()
	c.bad.end()
	if c.bad.empty(err) {
		return nil
	}
	return err
}

// Skipped returns how many bad records --skip-bad skipped so far.
func (c *chunkedInput) Skipped() int { return int(c.bad.skipped.Load()) }

// BytesRead returns the input bytes read so far.
func (c *chunkedInput) BytesRead() int64 { return c.read.Load() }

// TotalBytes returns the input file's size, 0 for stdin.
func (c *chunkedInput) TotalBytes() int64 { return c.total }

// Names returns the input's name.
func (c *chunkedInput) Names() []string { return []string{c.name} }

// Threads returns one empty thread: JSON Lines declares no article.
func (c *chunkedInput) Threads() []comments.Thread { return []comments.Thread{{}} }

// Close stops the decoders and closes the input file.
func (c *chunkedInput) Close() error {
	if c.stop != nil {
		c.stop()
		c.stop = nil
	}
	if c.file != nil {
		err := c.file.Close()
		c.file = nil
		return err
	}
	return nil
}

// countReader counts the bytes read through it (for progress).
type countReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// eachBatch calls fn with every batch of comments of in, in input order,
// checking for an interrupt between batches; then it ends the input.
func eachBatch(ctx context.Context, in input, fn func([]*comments.Comment) error) error {
	next := in.Batches()
	var buf []*comments.Comment
	for {
		if ctx.Err() != nil {
			return errInterrupted
		}
		var err error
		buf, err = next(ctx, buf[:0])
		if len(buf) > 0 {
			if ferr := fn(buf); ferr != nil {
				return ferr
			}
		}
		clear(buf)
		if err == io.EOF {
			return in.End()
		}
		if err != nil {
			return err
		}
	}
}
