package classify

import (
	"slices"
	"strings"
	"testing"
)

func TestPresets(t *testing.T) {
	if got := PresetNames(); !slices.Equal(got, []string{"default", "opinion", "topic"}) {
		t.Errorf("PresetNames() = %v", got)
	}
	for _, name := range PresetNames() {
		o, err := Preset(name)
		if err != nil || o.normalized().Alpha <= 0 {
			t.Errorf("Preset(%q) = %+v, %v", name, o, err)
		}
	}
	if o, _ := Preset("default"); o != (Options{Alpha: 1}) {
		t.Errorf("default preset %+v", o)
	}
	_, err := Preset("fast")
	if err == nil || !strings.Contains(err.Error(), `unknown preset "fast"`) || !strings.Contains(err.Error(), "default, opinion, topic") {
		t.Errorf("unknown preset error %v", err)
	}
}

func TestOptionsNormalized(t *testing.T) {
	for _, a := range []float64{0, -1} {
		if got := (Options{Alpha: a}).normalized().Alpha; got != 1 {
			t.Errorf("alpha %v normalises to %v", a, got)
		}
	}
	if got := (Options{Abstain: 7}).normalized().Abstain; got != 1 {
		t.Errorf("abstain 7 normalises to %v", got)
	}
	if got := (Options{Alpha: 0.25, Complement: true, Abstain: 0.4}).String(); got != "alpha=0.25 complement abstain=0.4" {
		t.Errorf("String() = %q", got)
	}
	if (Options{}).cues() != DefaultCues || (Options{Cues: -1}).cues() != 0 || (Options{Cues: 2}).cues() != 2 {
		t.Error("cue counts")
	}
}
