package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/comments"
	"github.com/stance-dev/stance/training"

	// The filesystems inputs and outputs may be on.
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local"
)

// ReadOptions say how the input files are read, as the stance command's
// flags of the same names.
type ReadOptions struct {
	// Input is the glob of the input files (local paths, or any Beam
	// filesystem, e.g. gs://bucket/dump/*.jsonl.zst).
	Input string
	// InputFormat is one of comments.Formats, or "" or "auto" to detect it
	// from each file's content.
	InputFormat string
	// SkipBad skips bad records, counting them, instead of failing.
	SkipBad bool
	// Model is the model file (any Beam filesystem); "" is the embedded
	// default model.
	Model string
}

// Pos is where a record is: its file and its index among the file's
// records (comments, or labeled documents), from 0. Positions order the
// input as one pass over the sorted files reads it.
type Pos struct {
	File  string
	Index int64
}

// Less reports whether p comes before q.
func (p Pos) Less(q Pos) bool {
	if p.File != q.File {
		return p.File < q.File
	}
	return p.Index < q.Index
}

// matchInputs returns the files of glob as fileio's ReadableFiles, not
// decompressed: comments.Open tells gzip and zstd by their magic bytes.
func matchInputs(s beam.Scope, glob string) beam.PCollection {
	m := fileio.MatchFiles(s, glob, fileio.MatchEmptyDisallow())
	return fileio.ReadMatches(s, m, fileio.ReadUncompressed(), fileio.ReadDirectorySkip())
}

// loadModel reads the model at path (any Beam filesystem), or the
// embedded default for "".
func loadModel(ctx context.Context, path string) (*classify.Model, error) {
	if path == "" {
		return training.Default()
	}
	data, err := readFile(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("open model: %w", err)
	}
	m, err := classify.DecodeModel(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// readFile reads a whole file of any Beam filesystem.
func readFile(ctx context.Context, path string) ([]byte, error) {
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return nil, err
	}
	defer fs.Close()
	r, err := fs.OpenRead(ctx, path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// writeFile writes data to path (any Beam filesystem), replacing it.
func writeFile(ctx context.Context, path string, data []byte) error {
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return err
	}
	defer fs.Close()
	w, err := fs.OpenWrite(ctx, path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := w.Write(data); err != nil {
		w.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// fileComments reads the comments of one input file whole, as the stance
// command reads each FILE: fn gets each comment with its index in the
// file. A bad record fails, or with skipBad is passed to skip. An input
// without comments is passed over. It returns what the file declares about
// its thread.
func fileComments(ctx context.Context, f fileio.ReadableFile, o ReadOptions, fn func(i int64, c *comments.Comment) error, skip func(err error)) (comments.Thread, error) {
	name := f.Metadata.Path
	rc, err := f.Open(ctx)
	if err != nil {
		return comments.Thread{}, fmt.Errorf("open input %s: %w", name, err)
	}
	defer rc.Close()
	s, err := comments.Open(name, rc, comments.Options{Format: o.InputFormat})
	if err != nil {
		if errors.Is(err, comments.ErrEmpty) {
			return comments.Thread{}, nil
		}
		return comments.Thread{}, err
	}
	defer s.Close()
	var i int64
	for {
		c, err := s.Read()
		if err == io.EOF || errors.Is(err, comments.ErrEmpty) {
			return s.Thread(), nil
		}
		if err != nil {
			var pe *comments.ParseError
			if o.SkipBad && errors.As(err, &pe) && pe.Skippable {
				skip(err)
				continue
			}
			return s.Thread(), err
		}
		if err := fn(i, c); err != nil {
			return s.Thread(), err
		}
		i++
	}
}

// skippedLocation is how a skipped record is listed: its FILE:LINE.
func skippedLocation(err error) string {
	var pe *comments.ParseError
	if errors.As(err, &pe) {
		return pe.Location()
	}
	return strings.SplitN(err.Error(), ": ", 2)[0]
}
