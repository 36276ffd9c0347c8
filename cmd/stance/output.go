package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	kgzip "github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/stance-dev/stance/internal/atomicfile"
)

// output is where a command writes its data: stdout, or -o FILE. A regular
// FILE (or a new one) is written atomically: a temporary file, synced and
// renamed on Commit; a device, a pipe or a path under /dev or /proc is
// written in place and never replaced (see package atomicfile). FILE ending
// in .gz or .zst is compressed. The first write error sticks: every later
// write fails with it, and Commit returns it without committing anything.
type output struct {
	// w receives the data: the compressor, or dst.
	w io.Writer
	// dst is the file, or stdout.
	dst io.Writer
	// zw is the compressor, nil for plain output.
	zw io.WriteCloser
	// file is the -o file, nil for stdout.
	file *atomicfile.File
	// name names the output in errors: the path, or "stdout".
	name string
	err  error
}

// compressions are the -o suffixes that compress, and their names.
var compressions = []struct{ suffix, name string }{{".gz", "gzip"}, {".zst", "zstd"}}

// splitCompression returns path without its compression suffix, and the
// compression's name ("" for none).
func splitCompression(path string) (base, compression string) {
	for _, c := range compressions {
		if len(path) > len(c.suffix) && strings.EqualFold(path[len(path)-len(c.suffix):], c.suffix) {
			return path[:len(path)-len(c.suffix)], c.name
		}
	}
	return path, ""
}

// extFormats maps the extension of -o (under .gz or .zst) to the output
// format it implies.
var extFormats = map[string]string{
	".jsonl": "jsonl", ".ndjson": "jsonl",
	".csv": "csv", ".tsv": "tsv",
	".json": "json",
	".md":   "markdown", ".markdown": "markdown",
	".html": "html", ".htm": "html",
}

// formatOfPath returns the output format -o PATH implies by its extension,
// or "" when the extension names none.
func formatOfPath(path string) string {
	if path == "" || path == "-" {
		return ""
	}
	base, _ := splitCompression(path)
	return extFormats[strings.ToLower(filepath.Ext(base))]
}

// checkOutputPath checks -o PATH before any work is done (see
// atomicfile.Check); stdout ("" or "-") always passes.
func checkOutputPath(path string) error {
	if path == "" || path == "-" {
		return nil
	}
	return atomicfile.Check(path)
}

// openOutput opens -o FILE (compressed for .gz and .zst), refusing to
// overwrite any input, or returns stdout when path is empty or "-".
func openOutput(ios *IOStreams, path string, inputs []string) (*output, error) {
	return openOutputFile(ios, path, inputs, true)
}

// openRawOutput is openOutput without compression, for writers that
// compress by themselves (train's deterministic gzip).
func openRawOutput(ios *IOStreams, path string, inputs []string) (*output, error) {
	return openOutputFile(ios, path, inputs, false)
}

func openOutputFile(ios *IOStreams, path string, inputs []string, compress bool) (*output, error) {
	if path == "" || path == "-" {
		return &output{w: ios.Out, dst: ios.Out, name: "stdout"}, nil
	}
	f, err := atomicfile.Create(path, inputs...)
	if err != nil {
		return nil, err
	}
	o := &output{w: f, dst: f, file: f, name: path}
	if !compress {
		return o, nil
	}
	switch _, c := splitCompression(path); c {
	case "gzip":
		o.zw = kgzip.NewWriter(f)
	case "zstd":
		// One encoder goroutine: the same bytes whatever the machine.
		zw, err := zstd.NewWriter(f, zstd.WithEncoderConcurrency(1))
		if err != nil {
			f.Abort()
			return nil, fmt.Errorf("open %s: zstd: %w", path, err)
		}
		o.zw = zw
	}
	if o.zw != nil {
		o.w = o.zw
	}
	return o, nil
}

// Write writes p, or returns the first error any write hit.
func (o *output) Write(p []byte) (int, error) {
	if o.err != nil {
		return 0, o.err
	}
	n, err := o.w.Write(p)
	if err != nil {
		o.fail(err)
		return n, o.err
	}
	return n, nil
}

// fail records the first error.
func (o *output) fail(err error) {
	if o.err == nil {
		o.err = writeError(o.name, err)
	}
}

// writeError says that writing name failed with err: "write NAME: what",
// without the temporary file's or /dev/stdout's name an *fs.PathError adds.
func writeError(name string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("write %s: %w", name, err)
}

// Err returns the first write error, or nil.
func (o *output) Err() error { return o.err }

// Commit finishes the output: it closes the compressor, then makes a file
// output visible under its name (see atomicfile.File.Commit) and removes a
// stale FILE.partial left by an earlier interrupted run. For stdout it
// checks that every write succeeded. On any error nothing is committed.
func (o *output) Commit() error {
	if o.zw != nil && o.err == nil {
		if err := o.zw.Close(); err != nil {
			o.fail(err)
		}
	}
	if o.err != nil {
		o.Abort()
		return o.err
	}
	if o.file == nil {
		if err := writerErr(o.dst); err != nil {
			return writeError("stdout", err)
		}
		return nil
	}
	if err := o.file.Commit(); err != nil {
		return err
	}
	if !o.file.InPlace() {
		removeStale(o.name + partialSuffix)
	}
	return nil
}

// partialSuffix names the output an interrupted run leaves: OUT.partial.
const partialSuffix = ".partial"

// removeStale removes the regular file path if there is one (best effort).
func removeStale(path string) {
	if st, err := os.Lstat(path); err == nil && st.Mode().IsRegular() {
		os.Remove(path)
	}
}

// Abort discards a file output. No-op for stdout or after Commit.
func (o *output) Abort() {
	if o.file != nil {
		o.file.Abort()
	}
}

// KeepPartial closes the compressor, so the partial file is itself a valid
// compressed file, and renames an unfinished file output to FILE.partial;
// it returns that name ("" for stdout). An output that hit a write error
// (a full disk, `ulimit -f`) may end inside a record: it is discarded, not
// kept, and the name is "" too (the write error is the command's error).
func (o *output) KeepPartial() (string, error) {
	if o.file == nil {
		return "", nil
	}
	if o.zw != nil && o.err == nil {
		if err := o.zw.Close(); err != nil {
			o.fail(err)
		}
	}
	if o.err != nil {
		o.file.Abort()
		return "", nil
	}
	return o.file.Keep(partialSuffix)
}

// writerErr returns the first error a sticky writer (stdout, an output)
// hit, or nil: for writers whose callers drop write errors.
func writerErr(w io.Writer) error {
	if s, ok := w.(interface{ Err() error }); ok {
		return s.Err()
	}
	return nil
}

// stickyWriter passes writes to w and remembers the first error: every
// later write fails with it, and Err reports it. run wraps stdout in one,
// so that a lost write to stdout is never an exit 0.
type stickyWriter struct {
	mu  sync.Mutex
	w   io.Writer
	err error
}

// Write writes p to the underlying writer unless an earlier write failed.
func (s *stickyWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	if err != nil {
		s.err = err
	}
	return n, err
}

// Err returns the first write error, or nil.
func (s *stickyWriter) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}
