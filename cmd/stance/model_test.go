package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testStreams returns streams reading stdin from in, with buffers.
func testStreams(in string) (*IOStreams, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &IOStreams{In: strings.NewReader(in), Out: &out, ErrOut: &errb}, &out, &errb
}

func TestModelShow(t *testing.T) {
	code, out, errOut := runCmd(t, "model", "show")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	m, _ := loadModel("")
	for _, want := range []string{m.ID(), m.Hash(), "Huawei in Europe's 5G networks", "fallback", "other", "snowden-hypocrisy", "Snowden hypocrisy", "Top tokens", "snowden", "nsa", "vocabulary", m.Training.DataHash} {
		if !strings.Contains(out, want) {
			t.Errorf("model show lacks %q", want)
		}
	}
	code, out, _ = runCmd(t, "model", "show", "-f", "json", "--top", "3")
	var info struct {
		ID      string
		Classes []struct {
			ID     string
			Stance string
			Top    []struct{ Token string } `json:"top_tokens"`
		}
	}
	if err := json.Unmarshal([]byte(out), &info); err != nil || code != 0 {
		t.Fatalf("exit %d, %v", code, err)
	}
	if info.ID != m.ID() || len(info.Classes) != 8 || len(info.Classes[0].Top) != 3 || info.Classes[2].Stance != "for" {
		t.Errorf("json %+v", info)
	}
}

func TestLoadModelErrors(t *testing.T) {
	dir := t.TempDir()
	notModel := filepath.Join(dir, "x.json")
	os.WriteFile(notModel, []byte(`{"hello": 1}`), 0o644)
	var buf bytes.Buffer
	m, _ := loadModel("")
	m.Encode(&buf)
	corrupt := filepath.Join(dir, "c.json")
	os.WriteFile(corrupt, bytes.Replace(buf.Bytes(), []byte(`"name":"huawei"`), []byte(`"name":"hacked"`), 1), 0o644)
	cases := []struct{ path, want string }{
		{filepath.Join(dir, "missing.json"), "open model"},
		{notModel, notModel + ": read model: not a stance model"},
		{corrupt, corrupt + ": read model: hash mismatch"},
	}
	for _, c := range cases {
		if _, err := loadModel(c.path); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("loadModel(%s) = %v, want %q", c.path, err, c.want)
		}
		code, _, errOut := runCmd(t, "model", "show", c.path)
		if code != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("model show %s: exit %d %q", c.path, code, errOut)
		}
	}
}

// TestModelShowStdin checks that "-" reads the model from stdin, as "-"
// means stdin in every command.
func TestModelShowStdin(t *testing.T) {
	m, _ := loadModel("")
	var buf bytes.Buffer
	if err := m.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	ios, out, errOut := testStreams(buf.String())
	if code := run(context.Background(), ios, []string{"model", "show", "-", "-f", "json"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var info struct{ ID string }
	if err := json.Unmarshal(out.Bytes(), &info); err != nil || info.ID != m.ID() {
		t.Errorf("model show -: id %q, %v; want %q", info.ID, err, m.ID())
	}
	ios, _, errOut = testStreams(`{"hello": 1}`)
	if code := run(context.Background(), ios, []string{"model", "show", "-"}); code != 1 || !strings.Contains(errOut.String(), "stdin: read model: not a stance model") {
		t.Errorf("model show - on a non-model: exit %d %q", code, errOut)
	}
}

// TestEveryHelpHasExample checks that every command's --help, group
// commands included, shows an example.
func TestEveryHelpHasExample(t *testing.T) {
	for _, args := range [][]string{{}, {"parse"}, {"table"}, {"score"}, {"train"}, {"eval"}, {"model"}, {"model", "show"}} {
		code, out, errOut := runCmd(t, append(args, "--help")...)
		if code != 0 || !strings.Contains(out, "Examples:") {
			t.Errorf("stance %s --help: exit %d, no Examples: (stderr %q)", strings.Join(args, " "), code, errOut)
		}
	}
}

// TestModelShowGolden keeps the description of the default model, drawn by
// package report, byte for byte; the markdown is the same tables.
// Refresh with `go test ./cmd/stance -run ModelShowGolden -update`.
func TestModelShowGolden(t *testing.T) {
	for _, c := range []struct{ golden, format string }{{"default.txt", "table"}, {"default.md", "markdown"}} {
		code, out, errOut := runCmd(t, "model", "show", "--top", "5", "-f", c.format)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		checkGolden(t, filepath.Join("../../testdata/golden/model", c.golden), out)
	}
}

// TestModelConvertFlags: convert takes one model and a required -o.
func TestModelConvertFlags(t *testing.T) {
	ios, _, _ := testStreams("")
	var got *modelConvertOptions
	cmd := newModelConvertCommand(ios, func(o *modelConvertOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"in.json.gz", "-o", "out.stm"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Path != "in.json.gz" || got.Output != "out.stm" {
		t.Fatalf("parsed %+v", got)
	}
	got = nil
	cmd = newModelConvertCommand(ios, func(o *modelConvertOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"in.json.gz"})
	var ue usageError
	if err := cmd.Execute(); !errors.As(err, &ue) || got != nil {
		t.Fatalf("convert without -o: %v (ran: %v), want a usage error", err, got != nil)
	}
}

// TestModelShowTargets: a per-target model's description has each
// target's top tokens per class, as words, in the table and in JSON.
func TestModelShowTargets(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "tweets.jsonl")
	var lines []string
	for range 4 {
		for _, r := range [][2]string{
			{"Hillary Clinton: she lied about the emails #StopHillary", "AGAINST"},
			{"Hillary Clinton: a great leader, she will win #ImWithHer", "FAVOR"},
			{"Atheism: God is great, pray every day #blessed", "AGAINST"},
			{"Atheism: religion is a lie #freethinker", "FAVOR"},
		} {
			b, _ := json.Marshal(map[string]string{"text": r[0], "label": r[1]})
			lines = append(lines, string(b))
		}
	}
	if err := os.WriteFile(data, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(dir, "m.model")
	if code, _, errOut := runCmd(t, "train", data, "--preset", "default", "--per-target", "--tags", "--char-grams", "4", "-o", model); code != 0 {
		t.Fatalf("train: exit %d: %s", code, errOut)
	}
	code, out, errOut := runCmd(t, "model", "show", model)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"│ Target ", "hillary_clinton", "atheism", "emails", "#freethinker"} {
		if !strings.Contains(out, want) {
			t.Errorf("model show lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "~<") || strings.Contains(out, "|~") {
		t.Errorf("model show has n-gram tokens:\n%s", out)
	}
	code, out, _ = runCmd(t, "model", "show", model, "-f", "json")
	var info struct {
		Targets []struct {
			Target string
			Top    [][]struct{ Token string } `json:"top_tokens"`
		}
	}
	if err := json.Unmarshal([]byte(out), &info); err != nil || code != 0 {
		t.Fatalf("exit %d, %v", code, err)
	}
	if len(info.Targets) != 2 || info.Targets[0].Target != "atheism" || len(info.Targets[1].Top) != 2 || len(info.Targets[1].Top[0]) == 0 {
		t.Errorf("targets %+v", info.Targets)
	}
}
