package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stance-dev/stance/classify"
)

// TestTrainModelEncodings trains the default model's data into every
// model file -o names, and checks that each file is in the encoding its
// name says, loads by its content whatever its name, and holds the same
// model as the others: same ID, same `model show`, same scores.
func TestTrainModelEncodings(t *testing.T) {
	dir := t.TempDir()
	seed := "../../training/default/seed-labels.jsonl"
	magics := map[string]string{
		"m.json": `{"format":"stance-model"`, "m.json.gz": "\x1f\x8b", "m.json.zst": "\x28\xb5\x2f\xfd",
		"m.stm": "\x89STM\r\n\x1a\n", "m.STM.gz": "\x1f\x8b", "m.stm.zst": "\x28\xb5\x2f\xfd",
	}
	var id, show string
	for name, magic := range magics {
		out := filepath.Join(dir, name)
		code, _, errOut := runCmd(t, "train", seed, "--taxonomy", "default", "--preset", "topic", "-o", out, "--quiet")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, errOut)
		}
		data, err := os.ReadFile(out)
		if err != nil || !bytes.HasPrefix(data, []byte(magic)) {
			t.Fatalf("%s: starts %q, want %q (%v)", name, data[:min(len(data), 8)], magic, err)
		}
		// The content decides, not the name.
		renamed := filepath.Join(dir, "renamed-"+strings.ReplaceAll(name, ".", "-"))
		os.WriteFile(renamed, data, 0o644)
		m, err := loadModel(renamed)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		code, s, errOut := runCmd(t, "model", "show", renamed, "--top", "3")
		if code != 0 {
			t.Fatalf("%s: model show: exit %d: %s", name, code, errOut)
		}
		if id == "" {
			id, show = m.ID(), s
		}
		if m.ID() != id || s != show {
			t.Errorf("%s: model %s, want %s; model show differs: %v", name, m.ID(), id, s != show)
		}
	}
	def, _ := loadModel("")
	if id != def.ID() {
		t.Errorf("trained %s, the default model is %s", id, def.ID())
	}
	// The binary file is smaller (TF-IDF counts are floats, 8 bytes each).
	js, _ := os.Stat(filepath.Join(dir, "m.json"))
	bin, _ := os.Stat(filepath.Join(dir, "m.stm"))
	if bin.Size()*3 > js.Size()*2 {
		t.Errorf("binary model %d bytes, JSON %d", bin.Size(), js.Size())
	}
	// model convert writes the same model in another encoding.
	conv := filepath.Join(dir, "conv.json")
	if code, _, errOut := runCmd(t, "model", "convert", filepath.Join(dir, "m.stm.zst"), "-o", conv); code != 0 {
		t.Fatalf("model convert: exit %d: %s", code, errOut)
	}
	cj, _ := os.ReadFile(conv)
	tj, _ := os.ReadFile(filepath.Join(dir, "m.json"))
	if !bytes.Equal(cj, tj) {
		t.Error("model convert to JSON gives other bytes than train -o m.json")
	}
	if code, _, errOut := runCmd(t, "model", "convert", conv); code != 2 || !strings.Contains(errOut, "-o FILE is required") {
		t.Errorf("model convert without -o: exit %d: %s", code, errOut)
	}
	// Scoring with the binary model gives the default model's output.
	code, a, errOut := runCmd(t, "score", "../../testdata/nyt-huawei-shared-values-2019-12-27.txt", "--model", filepath.Join(dir, "m.stm"), "-f", "jsonl")
	_, b, _ := runCmd(t, "score", "../../testdata/nyt-huawei-shared-values-2019-12-27.txt", "-f", "jsonl")
	if code != 0 || a != b || !strings.Contains(a, id) {
		t.Errorf("score with the binary model: exit %d %s; output differs from the default model's: %v", code, errOut, a != b)
	}
}

// TestLoadBinaryModelErrors: a damaged binary model names the file and
// what is wrong.
func TestLoadBinaryModelErrors(t *testing.T) {
	dir := t.TempDir()
	m, _ := loadModel("")
	var buf bytes.Buffer
	if err := m.EncodeBinary(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	cut := filepath.Join(dir, "cut.stm")
	os.WriteFile(cut, good[:len(good)/2], 0o644)
	flipped := filepath.Join(dir, "flipped.stm")
	bad := bytes.Clone(good)
	bad[len(bad)-10] ^= 1
	os.WriteFile(flipped, bad, 0o644)
	newer := filepath.Join(dir, "newer.stm")
	bad = bytes.Clone(good)
	bad[8] = 2
	os.WriteFile(newer, bad, 0o644)
	for path, want := range map[string]string{
		cut:     cut + ": read model: model file is corrupt: truncated",
		flipped: flipped + ": read model: model file is corrupt: checksum mismatch",
		newer:   newer + ": read model: unsupported model version: binary model layout 2 is newer than this stance (1)",
	} {
		code, _, errOut := runCmd(t, "model", "show", path)
		if code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("model show %s: exit %d %q, want %q", path, code, errOut, want)
		}
	}
	if _, err := loadModel(cut); err == nil || !strings.Contains(err.Error(), classify.ErrCorruptModel.Error()) {
		t.Errorf("loadModel(cut) = %v", err)
	}
}
