// Package atomicfile writes files so that a reader never sees a half-written
// one: data goes to a temporary file in the same directory, which is renamed
// over the target only on Commit.
package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// File is a pending atomic write. Write to it, then Commit or Abort.
type File struct {
	*os.File
	target string
	done   bool
}

// Create starts an atomic write of path. It refuses to write over any of the
// given inputs (compared by file identity, so other spellings are caught).
func Create(path string, inputs ...string) (*File, error) {
	if st, err := os.Stat(path); err == nil {
		for _, in := range inputs {
			if in == "" || in == "-" {
				continue
			}
			if ist, err := os.Stat(in); err == nil && os.SameFile(st, ist) {
				return nil, fmt.Errorf("output %s is also an input: refusing to overwrite it", path)
			}
		}
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return &File{File: f, target: path}, nil
}

// Commit flushes the data to disk and renames the temporary file to the target.
func (f *File) Commit() error {
	if f.done {
		return errors.New("atomicfile: already finished")
	}
	f.done = true
	name := f.File.Name()
	if err := f.File.Sync(); err != nil {
		f.File.Close()
		os.Remove(name)
		return fmt.Errorf("write %s: %w", f.target, err)
	}
	if err := f.File.Close(); err != nil {
		os.Remove(name)
		return fmt.Errorf("write %s: %w", f.target, err)
	}
	if err := os.Chmod(name, 0o644); err != nil {
		os.Remove(name)
		return fmt.Errorf("write %s: %w", f.target, err)
	}
	if err := os.Rename(name, f.target); err != nil {
		os.Remove(name)
		return fmt.Errorf("write %s: %w", f.target, err)
	}
	return nil
}

// Abort discards the temporary file. It is a no-op after Commit.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	name := f.File.Name()
	f.File.Close()
	os.Remove(name)
}

// Keep closes the temporary file and renames it to the target plus suffix
// (for example ".partial"), so an interrupted run leaves visible, clearly
// incomplete output. It returns the new name.
func (f *File) Keep(suffix string) (string, error) {
	if f.done {
		return "", errors.New("atomicfile: already finished")
	}
	f.done = true
	name := f.File.Name()
	f.File.Close()
	dst := f.target + suffix
	// CreateTemp made the file 0600: give the kept file the mode Commit
	// gives a complete one (best effort: keeping the data matters more).
	os.Chmod(name, 0o644)
	if err := os.Rename(name, dst); err != nil {
		return "", fmt.Errorf("write %s: %w", dst, err)
	}
	return dst, nil
}
