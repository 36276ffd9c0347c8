package main

import (
	"io"

	"github.com/stance-dev/stance/internal/atomicfile"
)

// output is where a command writes its data: stdout, or a file written
// atomically (temp file, renamed on Commit).
type output struct {
	io.Writer
	file *atomicfile.File
}

// openOutput opens -o FILE atomically, refusing to overwrite any input, or
// returns stdout when path is empty or "-".
func openOutput(ios *IOStreams, path string, inputs []string) (*output, error) {
	if path == "" || path == "-" {
		return &output{Writer: ios.Out}, nil
	}
	f, err := atomicfile.Create(path, inputs...)
	if err != nil {
		return nil, err
	}
	return &output{Writer: f, file: f}, nil
}

// Commit makes a file output visible under its name. No-op for stdout.
func (o *output) Commit() error {
	if o.file == nil {
		return nil
	}
	return o.file.Commit()
}

// Abort discards a file output. No-op for stdout or after Commit.
func (o *output) Abort() {
	if o.file != nil {
		o.file.Abort()
	}
}

// KeepPartial renames an unfinished file output to FILE.partial and returns
// that name ("" for stdout).
func (o *output) KeepPartial() (string, error) {
	if o.file == nil {
		return "", nil
	}
	return o.file.Keep(".partial")
}
