package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/stance-dev/stance/batch"
	"github.com/stance-dev/stance/comments"
)

// maxSkipWarnings bounds the per-record warnings --skip-bad prints; the
// summary at the end still counts every skipped record.
const maxSkipWarnings = 10

// inputSet reads the comments of every input of a command in turn: files,
// or stdin for "-" or no path. Every data command reads through it, so that
// formats, decompression, --skip-bad and warnings behave the same everywhere.
type inputSet struct {
	// Columns maps comment fields to the input's column names (--text-col...).
	// Set it before the first Next.
	Columns map[string]string

	ios     *IOStreams
	o       *commonOptions
	paths   []string
	next    int
	cur     *comments.Stream
	file    io.Closer
	done    int64 // bytes of the inputs already finished
	total   int64
	bad     badRecords
	threads []comments.Thread
	names   []string
}

// badRecords counts and reports the bad records --skip-bad skips.
type badRecords struct {
	ios     *IOStreams
	o       *commonOptions
	skipped int
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
	b.skipped++
	if len(b.where) < 5 {
		b.where = append(b.where, pe.Location())
	}
	if b.skipped <= maxSkipWarnings {
		b.warn("skipped " + err.Error())
	}
	return true
}

// end reports the skipped records, once.
func (b *badRecords) end() {
	if b.ended || b.skipped == 0 {
		b.ended = true
		return
	}
	b.ended = true
	more := ""
	if b.skipped > len(b.where) {
		more = fmt.Sprintf(" and %d more", b.skipped-len(b.where))
	}
	fmt.Fprintf(b.ios.ErrOut, "stance: skipped %d bad record(s): %s%s\n", b.skipped, strings.Join(b.where, ", "), more)
}

// openInputs prepares reading paths ("-" or none: ios.In). Files are opened
// one at a time by Next; errors come from Next.
func openInputs(ios *IOStreams, o *commonOptions, paths []string) *inputSet {
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	in := &inputSet{ios: ios, o: o, paths: paths, bad: badRecords{ios: ios, o: o}, Columns: o.columns()}
	for _, p := range paths {
		if p == "-" {
			in.total = -1
			continue
		}
		if st, err := os.Stat(p); err == nil && in.total >= 0 {
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
		r = in.ios.In
	} else {
		f, err := os.Open(p)
		if err != nil {
			return fmt.Errorf("open input: %w", err)
		}
		in.file = f
		r = f
	}
	in.names = append(in.names, name)
	s, err := comments.Open(name, r, comments.Options{Format: in.o.InputFormat, Columns: in.Columns, Warn: in.bad.warn})
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
// reader can go on: then it is counted, reported and skipped.
func (in *inputSet) Next() (*comments.Comment, error) {
	for {
		if in.cur == nil {
			if in.next >= len(in.paths) {
				in.end()
				return nil, io.EOF
			}
			if err := in.open(); err != nil {
				return nil, err
			}
		}
		c, err := in.cur.Read()
		if err == nil {
			return c, nil
		}
		if err == io.EOF {
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

// end reports the skipped records, once.
func (in *inputSet) end() { in.bad.end() }

// Skipped returns how many bad records --skip-bad skipped so far.
func (in *inputSet) Skipped() int { return in.bad.skipped }

// BytesRead returns the input bytes consumed so far (compressed size for
// compressed inputs), for progress.
func (in *inputSet) BytesRead() int64 {
	n := in.done
	if in.cur != nil {
		n += in.cur.BytesRead()
	}
	return n
}

// TotalBytes returns the sum of the input files' sizes, 0 if unknown (stdin).
func (in *inputSet) TotalBytes() int64 { return max(in.total, 0) }

// Names returns the names of the inputs opened so far ("stdin" for "-").
func (in *inputSet) Names() []string { return in.names }

// Threads returns what each input opened so far declares about its article,
// in input order.
func (in *inputSet) Threads() []comments.Thread {
	out := append([]comments.Thread(nil), in.threads...)
	if in.cur != nil {
		out = append(out, in.cur.Thread())
	}
	return out
}

// Close releases the current input.
func (in *inputSet) Close() error { return in.closeCurrent() }

// chunkedInput is one plain JSON Lines input (a file or stdin), which the
// workers of batch.RunChunked decode in parallel chunks with
// comments.JSONLChunkDecoder: the comments, errors, warnings and --skip-bad
// reports are those of the input set.
type chunkedInput struct {
	dec   *comments.JSONLChunkDecoder
	r     io.Reader // the input, after what OpenJSONLChunks consumed
	count *countReader
	file  *os.File
	total int64
	bad   badRecords
}

// openChunked returns the chunked reader of the input when it is a single
// uncompressed JSON Lines file or stdin, and nil otherwise: the input set
// then reads it, and reports any error opening it. For stdin, ios.In then
// gives the bytes peeked at again.
func openChunked(ios *IOStreams, o *commonOptions, paths []string) (*chunkedInput, error) {
	if len(paths) > 1 {
		return nil, nil
	}
	c := &chunkedInput{bad: badRecords{ios: ios, o: o}}
	name, r := "stdin", ios.In
	if len(paths) == 1 && paths[0] != "-" {
		f, err := os.Open(paths[0])
		if err != nil {
			return nil, nil
		}
		st, err := f.Stat()
		if err != nil || !st.Mode().IsRegular() {
			f.Close()
			return nil, nil
		}
		name, c.file, c.total, r = paths[0], f, st.Size(), f
	}
	c.count = &countReader{r: r}
	dec, rest, err := comments.OpenJSONLChunks(name, c.count, comments.Options{Format: o.InputFormat, Columns: o.columns(), Warn: c.bad.warn})
	switch {
	case err != nil:
		c.Close()
		return nil, err
	case dec == nil && c.file != nil:
		c.Close()
		return nil, nil
	case dec == nil:
		ios.In = rest // stdin cannot be reopened
		return nil, nil
	}
	c.dec, c.r = dec, rest
	return c, nil
}

// Chunked returns the pipeline's view of the input: chunks of about size
// bytes; progress, if set, receives the input bytes read so far.
func (c *chunkedInput) Chunked(size int, progress func(int64)) batch.Chunked {
	next := batch.LineChunks(c.r, size)
	return batch.Chunked{
		Next: func(dst []byte) ([]byte, error) {
			chunk, err := next(dst)
			if progress != nil {
				progress(c.count.n)
			}
			if err != nil && err != io.EOF {
				err = fmt.Errorf("read %s: %w", c.dec.Name(), err)
			}
			return chunk, err
		},
		Decode: c.dec.Decode,
		Order:  c.order,
	}
}

// order puts a chunk's records in order, and keeps the comments and the
// bad records --skip-bad skips.
func (c *chunkedInput) order(dst []*comments.Comment, items []batch.Item, chunk []byte) ([]*comments.Comment, error) {
	c.dec.Order(items, chunk)
	for _, it := range items {
		if it.Err != nil {
			if c.bad.skip(it.Err) {
				continue
			}
			return dst, it.Err
		}
		dst = append(dst, it.Comment)
	}
	return dst, nil
}

// End ends the input after the run: it prints the warnings of the input
// set (invalid UTF-8, skipped records) and returns the error of an input
// without records.
func (c *chunkedInput) End() error {
	err := c.dec.Finish()
	c.bad.end()
	return err
}

// Skipped returns how many bad records --skip-bad skipped so far.
func (c *chunkedInput) Skipped() int { return c.bad.skipped }

// TotalBytes returns the input file's size, 0 for stdin.
func (c *chunkedInput) TotalBytes() int64 { return c.total }

// Close closes the input file.
func (c *chunkedInput) Close() error {
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
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
