package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/spf13/cobra"
)

// failWriter fails every write with err.
type failWriter struct{ err error }

func (f failWriter) Write(p []byte) (int, error) { return 0, f.err }

func TestOutputCompressesByExtension(t *testing.T) {
	dir := t.TempDir()
	ios, _, _ := testStreams("")
	data := strings.Repeat(`{"id":"c1","text":"same line"}`+"\n", 100)
	for _, name := range []string{"out.jsonl", "out.jsonl.gz", "out.jsonl.zst", "OUT.JSONL.GZ"} {
		path := filepath.Join(dir, name)
		out, err := openOutput(ios, path, nil)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(out, data)
		if err := out.Commit(); err != nil {
			t.Fatal(err)
		}
		raw, _ := os.ReadFile(path)
		var r io.Reader = bytes.NewReader(raw)
		switch _, c := splitCompression(name); c {
		case "gzip":
			zr, err := gzip.NewReader(r)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			r = zr
		case "zstd":
			zr, err := zstd.NewReader(r)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			defer zr.Close()
			r = zr
		}
		got, err := io.ReadAll(r)
		if err != nil || string(got) != data {
			t.Errorf("%s: read back %d bytes, %v", name, len(got), err)
		}
	}
}

func TestOutputRawDoesNotCompress(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.json.gz")
	ios, _, _ := testStreams("")
	out, err := openRawOutput(ios, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(out, "plain")
	if err := out.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "plain" {
		t.Errorf("got %q", b)
	}
}

func TestFormatFromExtension(t *testing.T) {
	for _, tc := range []struct {
		path, format string
		given        bool
		allowed      []string
		want         string // the format, or an error substring after "!"
	}{
		{"out.csv", "jsonl", false, []string{"jsonl", "csv"}, "csv"},
		{"out.csv.gz", "jsonl", false, []string{"jsonl", "csv"}, "csv"},
		{"out.jsonl.zst", "jsonl", false, []string{"jsonl", "csv"}, "jsonl"},
		{"out.txt", "jsonl", false, []string{"jsonl", "csv"}, "jsonl"},
		{"out", "table", false, []string{"table", "json"}, "table"},
		{"report.JSON", "table", false, []string{"table", "json"}, "json"},
		{"t.md", "table", false, []string{"table", "markdown", "html"}, "markdown"},
		{"t.html", "table", false, []string{"table", "markdown", "html"}, "html"},
		{"out.csv", "csv", true, []string{"jsonl", "csv"}, "csv"},
		{"out.jsonl", "csv", true, []string{"jsonl", "csv"}, "!-f csv contradicts -o "},
		{"out.html", "jsonl", false, []string{"jsonl", "csv"}, "!names a html file"},
		{"out.tsv", "jsonl", false, []string{"jsonl", "csv"}, "!names a tsv file"},
		{"", "jsonl", false, []string{"jsonl", "csv"}, "jsonl"},
		{"-", "csv", true, []string{"jsonl", "csv"}, "csv"},
	} {
		dir := t.TempDir()
		o := &commonOptions{Format: tc.format, formatChanged: func() bool { return tc.given }}
		if tc.path != "" && tc.path != "-" {
			o.Output = filepath.Join(dir, tc.path)
		} else {
			o.Output = tc.path
		}
		err := o.checkFormat(tc.allowed...)
		if want, ok := strings.CutPrefix(tc.want, "!"); ok {
			var ue usageError
			if err == nil || !errors.As(err, &ue) || !strings.Contains(err.Error(), want) {
				t.Errorf("%s -f %s: %v, want usage error %q", tc.path, tc.format, err, want)
			}
			continue
		}
		if err != nil || o.Format != tc.want {
			t.Errorf("%s -f %s: format %q, %v; want %q", tc.path, tc.format, o.Format, err, tc.want)
		}
	}
}

// TestOutputCheckedFirst checks that every command with -o checks it before
// anything else: a directory is a data error naming it.
func TestOutputCheckedFirst(t *testing.T) {
	dir := t.TempDir()
	root := newRootCmd(&IOStreams{})
	var checked []string
	for _, c := range root.Commands() {
		for _, sub := range append([]*cobra.Command{c}, c.Commands()...) {
			f := sub.Flags().Lookup("output")
			if f == nil || f.Annotations[outputAnnotation] == nil {
				continue
			}
			path := strings.Fields(sub.CommandPath())[1:]
			args := append(path, "in.txt", "-o", dir)
			if sub.Args != nil && sub.Args(sub, []string{"in.txt"}) != nil {
				args = append(path, "-o", dir)
			}
			checked = append(checked, sub.Name())
			code, _, errOut := runCmd(t, args...)
			if code != exitData || !strings.Contains(errOut, "output "+dir+" is a directory") {
				t.Errorf("stance %s: exit %d, %q; want 1, a directory", strings.Join(args, " "), code, errOut)
			}
		}
	}
	for _, want := range []string{"parse", "score", "table", "train", "eval", "show"} {
		if !slices.Contains(checked, want) {
			t.Errorf("%s has no -o from addOutput (checked: %v)", want, checked)
		}
	}
}

func TestOutputWriteErrorNeverCommits(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.jsonl")
	os.WriteFile(path, []byte("old\n"), 0o644)
	ios, _, _ := testStreams("")
	out, err := openOutput(ios, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(out, "new\n")
	// A write error the writer's caller ignored still fails Commit.
	out.fail(syscall.EFBIG)
	if _, err := io.WriteString(out, "more"); !errors.Is(err, syscall.EFBIG) {
		t.Errorf("write after an error: %v", err)
	}
	if err := out.Commit(); !errors.Is(err, syscall.EFBIG) || !strings.Contains(err.Error(), "write "+path) {
		t.Errorf("Commit: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old\n" {
		t.Errorf("target: %q", b)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("files left: %v", ents)
	}
}

func TestOutputStdoutErrorFailsCommit(t *testing.T) {
	ios := &IOStreams{Out: &stickyWriter{w: failWriter{syscall.ENOSPC}}}
	out, err := openOutput(ios, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(out, "x")
	if err := out.Commit(); !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "write stdout") {
		t.Errorf("Commit: %v", err)
	}
}

func TestOutputRemovesStalePartial(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.jsonl")
	os.WriteFile(path+".partial", []byte("old partial\n"), 0o644)
	ios, _, _ := testStreams("")
	out, err := openOutput(ios, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(out, "complete\n")
	if err := out.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".partial"); !os.IsNotExist(err) {
		t.Errorf("stale partial still there: %v", err)
	}
}

// TestOutputKeepPartialAfterWriteError checks that an output cut by a
// write error is not kept as OUT.partial: it may end inside a record.
func TestOutputKeepPartialAfterWriteError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.jsonl")
	ios, _, _ := testStreams("")
	out, err := openOutput(ios, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(out, `{"id":"c1"`)
	out.fail(syscall.EFBIG)
	if name, err := out.KeepPartial(); name != "" || err != nil {
		t.Errorf("KeepPartial: %q, %v", name, err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("files left: %v", ents)
	}
}

func TestOutputKeepPartialCompressed(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.jsonl.gz")
	ios, _, _ := testStreams("")
	out, err := openOutput(ios, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(out, "half\n")
	name, err := out.KeepPartial()
	if err != nil || name != path+".partial" {
		t.Fatalf("KeepPartial: %q, %v", name, err)
	}
	f, _ := os.Open(name)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := io.ReadAll(zr); err != nil || string(b) != "half\n" {
		t.Errorf("partial: %q, %v (want a complete gzip stream)", b, err)
	}
}
