package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSkipBadNULAndLongLines: in a JSON Lines dump read by the parallel
// decoder, a record with a NUL byte (past the first block, which tells
// binary input) and a record over the 16 MiB limit are
// bad records like any other: --skip-bad skips and counts them, and
// without it the first stops the run with FILE:LINE.
func TestSkipBadNULAndLongLines(t *testing.T) {
	var in bytes.Buffer
	for i := 1; i <= 3000; i++ {
		switch i {
		case 2000:
			fmt.Fprintf(&in, "{\"id\":\"r%d\",\"text\":\"a NUL \x00 in the record\"}\n", i)
		case 2700:
			fmt.Fprintf(&in, "{\"id\":\"r%d\",\"text\":\"%s\"}\n", i, strings.Repeat("long ", 17<<20/5))
		default:
			fmt.Fprintf(&in, "{\"id\":\"r%d\",\"author\":\"A%d\",\"text\":\"Huawei and 5G in Europe, comment %d.\"}\n", i, i%9, i)
		}
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "dump.jsonl")
	if err := os.WriteFile(path, in.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCmd(t, "score", path, "--skip-bad")
	if code != 0 || strings.Count(out, "\n") != 2998 {
		t.Fatalf("--skip-bad: exit %d, %d records, stderr %q", code, strings.Count(out, "\n"), stderr)
	}
	for _, want := range []string{path + ":2000:", "NUL byte", path + ":2700", "over the limit of 16 MiB", "skipped 2 bad record(s)"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("--skip-bad: stderr lacks %q: %q", want, stderr)
		}
	}
	code, out, stderr = runCmd(t, "score", path)
	if code != 1 || strings.Count(out, "\n") != 1999 || !strings.Contains(stderr, path+":2000:") {
		t.Fatalf("without --skip-bad: exit %d, %d records, stderr %q; want 1, the 1999 before line 2000", code, strings.Count(out, "\n"), stderr)
	}
}
