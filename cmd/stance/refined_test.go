package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// refinedV3 is a refined model without Binary in a version 3 file, and
// refinedV3Scored what the release that wrote it (7a911db: `stance train
// training/default/seed-labels.jsonl --preset default --tfidf --refine -o
// testdata/models/refined-v3.json.gz`, then `stance score` of the seed
// thread with it) printed. Its fitted weights score the raw term counts;
// later files' score 1 + ln of them. Never regenerate either file: they
// are what an older release wrote.
const (
	refinedV3       = "../../testdata/models/refined-v3.json.gz"
	refinedV3Scored = "../../testdata/golden/score/refined-v3.jsonl"
	refinedV3Hash   = "b1d11d89ca5f9d301c04ec6905892f6905e75d4c36d7799a5254985fcba60127"
)

// TestScoreRefinedVersion3 checks that a version 3 refined model scores
// as the release that wrote it did, and that the same training today
// writes version 4 and scores otherwise.
func TestScoreRefinedVersion3(t *testing.T) {
	want, err := os.ReadFile(refinedV3Scored)
	if err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runScoreCmd(t, context.Background(), nil, false, scoreSeed, "--model", refinedV3, "--quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if out != string(want) {
		t.Errorf("a version 3 refined model scores otherwise than the release that wrote it:\n%s", out)
	}

	// Written again, it stays version 3 under its hash (the hash is over
	// the content, "weight_tf" included).
	dir := t.TempDir()
	again := filepath.Join(dir, "again.json")
	if code, _, stderr := runCmd(t, "model", "convert", refinedV3, "-o", again); code != 0 {
		t.Fatalf("convert: exit %d: %s", code, stderr)
	}
	if js, err := os.ReadFile(again); err != nil || !bytes.HasPrefix(js, []byte(`{"format":"stance-model","version":3,"hash":"`+refinedV3Hash+`"`)) || bytes.Contains(js, []byte("weight_tf")) {
		t.Errorf("version 3 model written again starts %.100s (%v)", js, err)
	}

	// Trained today from the same data and flags: version 4.
	v4 := filepath.Join(dir, "v4.json")
	if code, _, stderr := runCmd(t, "train", "../../training/default/seed-labels.jsonl", "--preset", "default", "--tfidf", "--refine", "-o", v4, "--quiet"); code != 0 {
		t.Fatalf("train: exit %d: %s", code, stderr)
	}
	js, err := os.ReadFile(v4)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(js, []byte(`{"format":"stance-model","version":4,`)) || !bytes.Contains(js, []byte(`,"weight_tf":"sublinear","weight_bias":[`)) {
		t.Fatalf("a refined model trained today starts %.60s", js)
	}
	code, out4, stderr := runScoreCmd(t, context.Background(), nil, false, scoreSeed, "--model", v4, "--quiet")
	if code != 0 || strings.Count(out4, "\n") != strings.Count(out, "\n") || out4 == out {
		t.Errorf("version 4: exit %d, %d records against %d, the same output: %v (%s)", code,
			strings.Count(out4, "\n"), strings.Count(out, "\n"), out4 == out, stderr)
	}
}
