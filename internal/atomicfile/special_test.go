//go:build unix

package atomicfile

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestFIFOWrittenInPlace checks that a named pipe is written to, not
// replaced by a regular file.
func TestFIFOWrittenInPlace(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Fatal(err)
	}
	got := make(chan string)
	go func() {
		r, err := os.Open(p)
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(r)
		r.Close()
		got <- string(b)
	}()
	if err := Check(p); err != nil {
		t.Fatal(err)
	}
	f, err := Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if !f.InPlace() {
		t.Error("a FIFO is not written in place")
	}
	f.WriteString("through the pipe\n")
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "through the pipe\n" {
		t.Errorf("reader got %q", s)
	}
	if st, err := os.Lstat(p); err != nil || st.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("pipe replaced: %v %v", st.Mode(), err)
	}
	if extra := leftovers(t, dir, "pipe"); len(extra) > 0 {
		t.Errorf("files left: %v", extra)
	}
}

// TestDevNullWrittenInPlace checks /dev/null as an output: written in place
// whether the test runs as root (which could replace it) or not (which
// could not even create the temporary file in /dev).
func TestDevNullWrittenInPlace(t *testing.T) {
	before, err := os.Lstat("/dev/null")
	if err != nil || before.Mode()&fs.ModeCharDevice == 0 {
		t.Skip("no /dev/null character device here")
	}
	if err := Check("/dev/null"); err != nil {
		t.Fatal(err)
	}
	for _, finish := range []string{"commit", "abort", "keep"} {
		f, err := Create("/dev/null")
		if err != nil {
			t.Fatal(err)
		}
		if !f.InPlace() {
			t.Fatal("/dev/null is not written in place")
		}
		if _, err := f.WriteString("gone\n"); err != nil {
			t.Fatal(err)
		}
		switch finish {
		case "commit":
			err = f.Commit()
		case "abort":
			f.Abort()
		case "keep":
			var name string
			name, err = f.Keep(".partial")
			if name != "/dev/null" {
				t.Errorf("Keep: %q", name)
			}
		}
		if err != nil {
			t.Errorf("%s: %v", finish, err)
		}
		after, err := os.Lstat("/dev/null")
		if err != nil || after.Mode() != before.Mode() || !os.SameFile(before, after) {
			t.Fatalf("after %s, /dev/null is %v (%v), was %v", finish, after.Mode(), err, before.Mode())
		}
	}
	if _, err := os.Lstat("/dev/null.partial"); err == nil {
		t.Error("/dev/null.partial was created")
	}
}

// TestDevFullWriteFails checks that a full device fails the write.
func TestDevFullWriteFails(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	f, err := Create("/dev/full")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Abort()
	if _, err := f.WriteString("x"); err == nil || !strings.Contains(err.Error(), "no space") {
		t.Errorf("write to /dev/full: %v", err)
	}
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "adir"), 0o755)
	os.WriteFile(filepath.Join(dir, "file"), []byte("x"), 0o644)
	for _, tc := range []struct{ path, want string }{
		{filepath.Join(dir, "new.jsonl"), ""},
		{filepath.Join(dir, "file"), ""},
		{filepath.Join(dir, "adir"), "is a directory"},
		{filepath.Join(dir, "adir") + "/", "is a directory"},
		{filepath.Join(dir, "new") + "/", "names a directory"},
		{filepath.Join(dir, "nodir", "out"), "does not exist"},
		{filepath.Join(dir, "file", "out"), "not a directory"},
	} {
		err := Check(tc.path)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("Check(%s): %v", tc.path, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.path)):
			t.Errorf("Check(%s) = %v, want an error naming it with %q", tc.path, err, tc.want)
		}
	}
	if os.Geteuid() != 0 {
		ro := filepath.Join(dir, "ro")
		os.Mkdir(ro, 0o555)
		if err := Check(filepath.Join(ro, "out")); err == nil || !strings.Contains(err.Error(), "not writable") {
			t.Errorf("read-only directory: %v", err)
		}
	}
}

// TestCommitFollowsSymlink checks that a symbolic link to the output stays a
// link and its target gets the data.
func TestCommitFollowsSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.jsonl")
	link := filepath.Join(dir, "link.jsonl")
	os.WriteFile(real, []byte("old\n"), 0o600)
	if err := os.Symlink("real.jsonl", link); err != nil {
		t.Fatal(err)
	}
	f, err := Create(link)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("new\n")
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("link replaced: %v", err)
	}
	st, err := os.Stat(real)
	if b, _ := os.ReadFile(real); string(b) != "new\n" || err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("target: %q, mode %v (want 0600, kept)", b, st.Mode())
	}
	if extra := leftovers(t, dir, "real.jsonl", "link.jsonl"); len(extra) > 0 {
		t.Errorf("files left: %v", extra)
	}
}

// TestCommitFailureLeavesTargetAlone checks that a failed sync or close
// never commits: here the file is closed behind Commit's back.
func TestCommitFailureLeavesTargetAlone(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	os.WriteFile(out, []byte("old\n"), 0o644)
	f, err := Create(out)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("new\n")
	f.File.Close() // Sync fails: file already closed
	if err := f.Commit(); err == nil {
		t.Fatal("Commit succeeded on a closed file")
	}
	if b, _ := os.ReadFile(out); string(b) != "old\n" {
		t.Errorf("target: %q", b)
	}
	if extra := leftovers(t, dir, "out"); len(extra) > 0 {
		t.Errorf("files left: %v", extra)
	}
}
