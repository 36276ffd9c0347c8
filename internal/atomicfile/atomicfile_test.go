package atomicfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// leftovers lists the files in dir other than the given names.
func leftovers(t *testing.T, dir string, want ...string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var extra []string
outer:
	for _, e := range ents {
		for _, w := range want {
			if e.Name() == w {
				continue outer
			}
		}
		extra = append(extra, e.Name())
	}
	return extra
}

func TestCommitReplacesOnlyAtTheEnd(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.jsonl")
	if err := os.WriteFile(out, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Create(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("new\n"); err != nil {
		t.Fatal(err)
	}
	// Before Commit the target still holds the old content.
	if b, _ := os.ReadFile(out); string(b) != "old\n" {
		t.Fatalf("target changed before Commit: %q", b)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(out); string(b) != "new\n" {
		t.Fatalf("after Commit: %q", b)
	}
	if extra := leftovers(t, dir, "out.jsonl"); len(extra) > 0 {
		t.Fatalf("temporary files left: %v", extra)
	}
	if err := f.Commit(); err == nil {
		t.Fatal("second Commit succeeded")
	}
}

func TestAbortLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "model.json")
	f, err := Create(out)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("half a model")
	f.Abort()
	f.Abort() // idempotent
	if extra := leftovers(t, dir); len(extra) > 0 {
		t.Fatalf("files left after Abort: %v", extra)
	}
}

func TestKeepPartial(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "scored.jsonl")
	f, err := Create(out)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("{\"id\":\"c1\"}\n")
	name, err := f.Keep(".partial")
	if err != nil {
		t.Fatal(err)
	}
	if name != out+".partial" {
		t.Fatalf("Keep returned %q", name)
	}
	if st, err := os.Stat(name); err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("kept file mode: %v, %v; want 0644 as for a committed file", st.Mode(), err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("complete-looking output exists: %v", err)
	}
	if extra := leftovers(t, dir, "scored.jsonl.partial"); len(extra) > 0 {
		t.Fatalf("unexpected files: %v", extra)
	}
}

func TestRefusesToOverwriteAnInput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "thread.txt")
	if err := os.WriteFile(in, []byte("input\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Another spelling of the same file is caught too.
	other := filepath.Join(dir, ".", "thread.txt")
	_, err := Create(other, "-", in)
	if err == nil || !strings.Contains(err.Error(), "also an input") {
		t.Fatalf("err = %v, want a refusal", err)
	}
	if b, _ := os.ReadFile(in); string(b) != "input\n" {
		t.Fatalf("input changed: %q", b)
	}
}

func TestCreateInMissingDirectory(t *testing.T) {
	_, err := Create(filepath.Join(t.TempDir(), "no", "such", "dir", "out"))
	if err == nil || !strings.Contains(err.Error(), "out") {
		t.Fatalf("err = %v, want an error naming the file", err)
	}
}
