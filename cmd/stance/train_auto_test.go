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
	code, _, errOut = runCmd(t, "train", seed, "--taxonomy", "default", "-o", out, "--quiet")
	if code != 0 || errOut != "" {
		t.Errorf("--quiet: exit %d, stderr %q", code, errOut)
	}
}
