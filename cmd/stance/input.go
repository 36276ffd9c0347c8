package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

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
	skipped int
	where   []string
	threads []comments.Thread
	names   []string
	ended   bool
}

// openInputs prepares reading paths ("-" or none: ios.In). Files are opened
// one at a time by Next; errors come from Next.
func openInputs(ios *IOStreams, o *commonOptions, paths []string) *inputSet {
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	in := &inputSet{ios: ios, o: o, paths: paths}
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

func (in *inputSet) warn(msg string) {
	if !in.o.Quiet {
		fmt.Fprintf(in.ios.ErrOut, "stance: warning: %s\n", msg)
	}
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
	s, err := comments.Open(name, r, comments.Options{Format: in.o.InputFormat, Columns: in.Columns, Warn: in.warn})
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
		var pe *comments.ParseError
		if in.o.SkipBad && errors.As(err, &pe) && pe.Skippable {
			in.skipped++
			if len(in.where) < 5 {
				in.where = append(in.where, pe.Location())
			}
			if in.skipped <= maxSkipWarnings {
				in.warn("skipped " + err.Error())
			}
			continue
		}
		return nil, err
	}
}

// end reports the skipped records, once.
func (in *inputSet) end() {
	if in.ended || in.skipped == 0 {
		in.ended = true
		return
	}
	in.ended = true
	more := ""
	if in.skipped > len(in.where) {
		more = fmt.Sprintf(" and %d more", in.skipped-len(in.where))
	}
	fmt.Fprintf(in.ios.ErrOut, "stance: skipped %d bad record(s): %s%s\n", in.skipped, strings.Join(in.where, ", "), more)
}

// Skipped returns how many bad records --skip-bad skipped so far.
func (in *inputSet) Skipped() int { return in.skipped }

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
