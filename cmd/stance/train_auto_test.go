package main

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestTrainPresetAuto checks when --preset auto is in force: by default,
// not with an option flag, and never with both.
func TestTrainPresetAuto(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		auto     bool
		usageErr string
	}{
		{[]string{}, true, ""},
		{[]string{"--preset", "auto"}, true, ""},
		{[]string{"--abstain", "0"}, true, ""},
		{[]string{"--bigrams"}, false, ""},
		{[]string{"--alpha", "auto"}, false, ""},
		{[]string{"--flat-prior", "1"}, false, ""},
		{[]string{"--preset", "topic"}, false, ""},
		{[]string{"--preset", "auto", "--structure"}, false, "drop --structure"},
		{[]string{"--preset", "auto", "--refine"}, false, "drop --refine"},
		{[]string{"--refine"}, false, ""},
		{[]string{"--char-grams", "2"}, false, "invalid --char-grams 2"},
		{[]string{"--interpolation", "1"}, false, "invalid --interpolation 1"},
		{[]string{"--preset", "fast"}, false, "auto, default, opinion, topic"},
	} {
		var got *trainOptions
		ios, _, _ := testStreams("")
		cmd := newTrainCommand(ios, func(o *trainOptions) error { got = o; return nil })
		cmd.SetArgs(append([]string{"a.jsonl", "-o", "m.json"}, tc.args...))
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		cfg, err := got.config(got.Paths)
		var ue usageError
		switch {
		case tc.usageErr != "":
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.usageErr) {
				t.Errorf("%v: error %v, want a usage error with %q", tc.args, err, tc.usageErr)
			}
		case err != nil:
			t.Errorf("%v: %v", tc.args, err)
		case cfg.Auto != tc.auto:
			t.Errorf("%v: auto %v", tc.args, cfg.Auto)
		}
	}
}

// TestTrainAutoTells checks that train with --preset auto tells its choice
// on stderr (not with --quiet) and stores it in the model.
func TestTrainAutoTells(t *testing.T) {
	out := filepath.Join(t.TempDir(), "m.json")
	seed := "../../training/default/seed-labels.jsonl"
	code, _, errOut := runCmd(t, "train", seed, "--taxonomy", "default", "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	m, err := loadModel(out)
	if err != nil {
		t.Fatal(err)
	}
	opt := m.Options
	opt.Temperature = 0
	if want := "auto: chose " + opt.String() + " (inner 5-fold macro-F1 "; !strings.Contains(errOut, want) {
		t.Errorf("stderr %q lacks %q", errOut, want)
	}
	if strings.Contains(errOut, clearLine) {
		t.Errorf("progress on a stderr that is not a terminal: %q", errOut)
	}
	code, _, errOut = runCmd(t, "train", seed, "--taxonomy", "default", "-o", out, "--quiet")
	if code != 0 || errOut != "" {
		t.Errorf("--quiet: exit %d, stderr %q", code, errOut)
	}
	// On a terminal the search's progress is one line, redrawn, and
	// erased before the choice is told.
	for _, quiet := range []bool{false, true} {
		ios, _, errb := testStreams("")
		ios.ErrTTY = true
		args := []string{"train", seed, "--taxonomy", "default", "-o", out}
		if quiet {
			args = append(args, "--quiet")
		}
		if code := run(t.Context(), ios, args); code != 0 {
			t.Fatalf("exit %d: %s", code, errb)
		}
		got := errb.String()
		if quiet {
			if got != "" {
				t.Errorf("--quiet on a terminal: stderr %q", got)
			}
			continue
		}
		steps := strings.Count(got, clearLine+"auto: ")
		i := strings.LastIndex(got, clearLine)
		if steps < 3 || !strings.Contains(got, " option sets, ") || !strings.Contains(got, "; best so far alpha=") ||
			!strings.HasPrefix(got[i:], clearLine+"auto: chose ") || strings.Count(got, "\n") != 1 {
			t.Errorf("%d progress lines; stderr %q", steps, got)
		}
	}
}

// TestTrainRefine checks that train --refine writes a refined model (file
// version 3, in JSON and binary) that model show describes and score uses,
// and that eval --refine reports the refined options.
func TestTrainRefine(t *testing.T) {
	dir := t.TempDir()
	seed := "../../training/default/seed-labels.jsonl"
	for _, name := range []string{"m.json", "m.stm"} {
		out := filepath.Join(dir, name)
		code, _, errOut := runCmd(t, "train", seed, "--taxonomy", "default", "--preset", "topic", "--refine", "-o", out, "--quiet")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		m, err := loadModel(out)
		if err != nil {
			t.Fatal(err)
		}
		if !m.Refined() || !m.Options.Refine || m.Heldout() == nil {
			t.Fatalf("%s: refined %v, options %s, held-out %v", name, m.Refined(), m.Options, m.Heldout() != nil)
		}
		code, show, errOut := runCmd(t, "model", "show", out)
		if code != 0 || !strings.Contains(show, " refine") || !strings.Contains(show, m.ID()) {
			t.Errorf("model show: exit %d, %s%s", code, show, errOut)
		}
		code, scored, errOut := runCmd(t, "score", "--model", out, "../../testdata/nyt-huawei-shared-values-2019-12-27.txt", "-f", "jsonl")
		if code != 0 || strings.Count(scored, "\n") != 50 || !strings.Contains(scored, m.ID()) {
			t.Errorf("score: exit %d, %d lines, %s", code, strings.Count(scored, "\n"), errOut)
		}
	}
	code, out, errOut := runCmd(t, "eval", seed, "--taxonomy", "default", "--preset", "topic", "--refine", "-f", "json")
	if code != 0 || !strings.Contains(out, "refine") {
		t.Errorf("eval: exit %d, %s%s", code, out, errOut)
	}
}
