// Package atomicfile writes files so that a reader never sees a half-written
// one: data goes to a temporary file in the same directory, which is synced
// and renamed over the target only on Commit, after which the directory is
// synced too.
//
// Only regular files, and paths that do not exist yet, are written that way.
// Anything else (a character device such as /dev/null, a named pipe, a path
// under /dev or /proc such as /dev/stdout or /proc/self/fd/3) is written in
// place: it is opened for writing (appending, so that a file reached through
// /dev/fd keeps what the shell put there), never replaced, and Commit only
// closes it.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// File is a pending write. Write to it, then Commit, Abort or Keep.
type File struct {
	*os.File
	// target is the name the caller gave.
	target string
	// path is where a committed temporary file is renamed to: target with
	// symbolic links resolved, so that a link stays a link.
	path string
	// mode is the permission bits the committed file gets.
	mode fs.FileMode
	// inPlace is true when the target is written directly (not a regular file).
	inPlace bool
	done    bool
}

// specialDirs hold device nodes and process views (/dev/stdout,
// /proc/self/fd/N): what is there is written in place, never renamed over.
var specialDirs = []string{"/dev", "/proc"}

// isSpecialPath reports whether path lies under one of specialDirs.
func isSpecialPath(path string) bool {
	abs, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	for _, d := range specialDirs {
		if abs == d || strings.HasPrefix(abs, d+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// writesInPlace reports whether path must be written in place: it exists
// and is not a regular file, or it lies under /dev or /proc. It fails for a
// directory.
func writesInPlace(path string) (bool, fs.FileInfo, error) {
	st, err := os.Stat(path)
	switch {
	case err == nil && st.IsDir():
		return false, nil, fmt.Errorf("output %s is a directory", path)
	case err == nil:
		return !st.Mode().IsRegular() || isSpecialPath(path), st, nil
	case errors.Is(err, fs.ErrNotExist):
		if strings.HasSuffix(path, string(filepath.Separator)) {
			return false, nil, fmt.Errorf("output %s names a directory", path)
		}
		return false, nil, nil
	default:
		return false, nil, fmt.Errorf("output %s: %w", path, err)
	}
}

// Check tells, before any work is done, whether path can be written: it is
// not a directory; a special file is writable; for a regular file or a new
// path, its directory exists and is writable (the temporary file goes
// there). The error names the path.
func Check(path string) error {
	inPlace, _, err := writesInPlace(path)
	if err != nil {
		return err
	}
	if inPlace {
		if err := canWrite(path); err != nil {
			return fmt.Errorf("output %s is not writable: %w", path, err)
		}
		return nil
	}
	dir := filepath.Dir(resolve(path))
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("output %s: directory %s does not exist", path, dir)
	case err != nil:
		return fmt.Errorf("output %s: %w", path, err)
	case !st.IsDir():
		return fmt.Errorf("output %s: %s is not a directory", path, dir)
	}
	if err := canWrite(dir); err != nil {
		return fmt.Errorf("output %s: directory %s is not writable: %w", path, dir, err)
	}
	return nil
}

// resolve returns path with symbolic links resolved, or path itself when
// that fails (a path that does not exist yet).
func resolve(path string) string {
	if st, err := os.Lstat(path); err != nil || st.Mode()&fs.ModeSymlink == 0 {
		return path
	}
	if r, err := filepath.EvalSymlinks(path); err == nil {
		return r
	}
	return path
}

// Create starts a write of path: a temporary file next to it for a regular
// file or a new path, the file itself for anything else (see the package
// doc). It refuses a directory, and refuses to write over any of the given
// regular-file inputs (compared by file identity, so other spellings are
// caught).
func Create(path string, inputs ...string) (*File, error) {
	inPlace, st, err := writesInPlace(path)
	if err != nil {
		return nil, err
	}
	if st != nil && st.Mode().IsRegular() {
		for _, in := range inputs {
			if in == "" || in == "-" {
				continue
			}
			if ist, err := os.Stat(in); err == nil && os.SameFile(st, ist) {
				return nil, fmt.Errorf("output %s is also an input: refusing to overwrite it", path)
			}
		}
	}
	if inPlace {
		// No O_CREATE and no O_TRUNC: a device or pipe is used as it is, and
		// a regular file reached through /dev/fd or /proc keeps its content
		// (the shell truncated it for '>', and '>>' appends).
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			return nil, fmt.Errorf("open output: %w", err)
		}
		return &File{File: f, target: path, path: path, inPlace: true}, nil
	}
	real := resolve(path)
	mode := fs.FileMode(0o644)
	if st != nil {
		mode = st.Mode().Perm()
	}
	dir, base := filepath.Split(real)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return &File{File: f, target: path, path: real, mode: mode}, nil
}

// InPlace reports whether the file is written in place (a device, a pipe,
// a path under /dev or /proc) rather than through a renamed temporary file.
func (f *File) InPlace() bool { return f.inPlace }

// Commit makes the write final. For a temporary file: sync it, close it,
// give it its mode, rename it over the target and sync the directory; on
// any error before the rename, the temporary file is removed and the target
// left as it was. For a file written in place: close it.
func (f *File) Commit() error {
	if f.done {
		return errors.New("atomicfile: already finished")
	}
	f.done = true
	if f.inPlace {
		if err := f.File.Close(); err != nil {
			return fmt.Errorf("write %s: %w", f.target, err)
		}
		return nil
	}
	name := f.File.Name()
	fail := func(err error) error {
		os.Remove(name)
		return fmt.Errorf("write %s: %w", f.target, err)
	}
	if err := f.File.Sync(); err != nil {
		f.File.Close()
		return fail(err)
	}
	if err := f.File.Close(); err != nil {
		return fail(err)
	}
	if err := os.Chmod(name, f.mode); err != nil {
		return fail(err)
	}
	if err := os.Rename(name, f.path); err != nil {
		return fail(err)
	}
	if err := syncDir(filepath.Dir(f.path)); err != nil {
		return fmt.Errorf("write %s: sync directory: %w", f.target, err)
	}
	return nil
}

// syncDir flushes a directory's entries (a rename) to disk. File systems
// that cannot sync a directory are not an error.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOTSUP) {
		return err
	}
	return nil
}

// Abort discards the temporary file (closes a file written in place). It is
// a no-op after Commit.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	name := f.File.Name()
	f.File.Close()
	if !f.inPlace {
		os.Remove(name)
	}
}

// Keep closes the temporary file and renames it to the target plus suffix
// (for example ".partial"), so an interrupted run leaves visible, clearly
// incomplete output. It returns the new name. A file written in place is
// only closed, and its name returned.
func (f *File) Keep(suffix string) (string, error) {
	if f.done {
		return "", errors.New("atomicfile: already finished")
	}
	f.done = true
	if f.inPlace {
		if err := f.File.Close(); err != nil {
			return "", fmt.Errorf("write %s: %w", f.target, err)
		}
		return f.target, nil
	}
	name := f.File.Name()
	f.File.Close()
	dst := f.target + suffix
	// CreateTemp made the file 0600: give the kept file the mode Commit
	// gives a complete one (best effort: keeping the data matters more).
	os.Chmod(name, f.mode)
	if err := os.Rename(name, dst); err != nil {
		return "", fmt.Errorf("write %s: %w", dst, err)
	}
	return dst, nil
}

// statDir reports whether path is a directory.
func statDir(path string) (bool, error) {
	st, err := os.Stat(path)
	if err != nil {
		return false, err
	}
	return st.IsDir(), nil
}
