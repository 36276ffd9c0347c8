package batch

import (
	"bytes"
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/comments"
	"github.com/stance-dev/stance/training"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGoldenSeed scores the seed thread with the embedded default model and
// compares the JSONL and CSV records byte for byte with the golden files.
// After a deliberate change (schema, model), run: go test ./batch -run Golden -update
func TestGoldenSeed(t *testing.T) {
	m, err := training.Default()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := comments.Open(seedPath, f, comments.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := comments.ReadAll(s)
	if err != nil {
		t.Fatal(err)
	}
	sc := classify.NewScorer(m)
	for _, c := range []struct {
		file string
		enc  Encoder
	}{
		{"seed.jsonl", mustEncoder(t, "jsonl", m.ID(), true)},
		{"seed.csv", mustEncoder(t, "csv", m.ID(), false)},
	} {
		var out bytes.Buffer
		i := 0
		src := func() (*comments.Comment, error) {
			if i == len(cs) {
				return nil, io.EOF
			}
			i++
			return cs[i-1], nil
		}
		if _, err := Run(context.Background(), src, sc, c.enc, &out, Options{Workers: 3, BatchSize: 7}); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", "golden", c.file)
		if *update {
			os.MkdirAll(filepath.Dir(path), 0o755)
			if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if !bytes.Equal(out.Bytes(), want) {
			t.Errorf("%s differs from the golden file (go test ./batch -run Golden -update after a deliberate change)\ngot:\n%.2000s", path, out.String())
		}
	}
}
