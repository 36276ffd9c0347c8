package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// repoRoot is the repository's root directory. The golden files live in
// its testdata/ with the inputs they come from (the README, the batch and
// beam tests read them too), and the commands under test run from there, so
// that input names in captions read as in the README (see atRoot).
var repoRoot = func() string {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		panic(err)
	}
	return root
}()

// atRoot makes the repository's root the working directory of the test t.
func atRoot(t *testing.T) {
	t.Helper()
	t.Chdir(repoRoot)
}

// update rewrites the golden files of this package's tests instead of
// comparing with them: `go test ./cmd/stance -update`, then read the diff.
var update = flag.Bool("update", false, "rewrite golden files")

// checkGolden compares got with the golden file at path (relative to the
// test's working directory), or rewrites the file under -update. It is the
// one golden comparison of the package's tests.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run with -update to accept, then read the diff):\n%s", path, got)
	}
}
