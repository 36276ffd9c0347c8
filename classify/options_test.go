package classify

import (
	"math"
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

func TestFeatureOptions(t *testing.T) {
	o := Options{CharGrams: 9, FlatPrior: 3, Interpolation: 1.5}.normalized()
	if o.CharGrams != maxCharGrams || o.FlatPrior != 2 || o.Interpolation != 0 {
		t.Errorf("normalized %+v", o)
	}
	if o := (Options{CharGrams: 2, FlatPrior: -1}).normalized(); o.CharGrams != 0 || o.FlatPrior != 0 {
		t.Errorf("normalized %+v", o)
	}
	if got := (Options{Alpha: 2, Structure: true, CharGrams: 4, FlatPrior: 0.5, Interpolation: 0.25}).String(); got != "alpha=2 structure char-grams=4 flat-prior=0.5 interpolation=0.25" {
		t.Errorf("String() = %q", got)
	}
	// Structure and char n-grams change what is counted; the prior and
	// the interpolation only the scoring.
	if (Options{}).sameFeatures(Options{Structure: true}) || (Options{}).sameFeatures(Options{CharGrams: 3}) ||
		!(Options{CharGrams: 2}).sameFeatures(Options{}) || !(Options{}).sameFeatures(Options{FlatPrior: 1, Interpolation: 0.5}) {
		t.Error("sameFeatures")
	}
}

// TestFlatPriorAndInterpolation checks the two scoring options on a hand
// example: a flat prior removes the prior's log-odds, an inverted one
// reverses them, and the interpolation pulls the classes' term weights to
// the pooled ones.
func TestFlatPriorAndInterpolation(t *testing.T) {
	m := NewModel("x", nil, nil, Options{})
	for range 3 {
		m.Learn("a", []string{"A"}, 1)
	}
	m.Learn("b", []string{"B"}, 1)
	lo := func(o Options, text string) float64 {
		w, err := m.WithOptions(o)
		if err != nil {
			t.Fatal(err)
		}
		p := w.Posteriors(text, nil)
		return math.Log(p[0] / p[1])
	}
	// No words: the score is the prior, log(3/1).
	if got := lo(Options{}, ""); !near(got, math.Log(3), 1e-12) {
		t.Errorf("prior log-odds %v", got)
	}
	if got := lo(Options{FlatPrior: 1}, ""); !near(got, 0, 1e-12) {
		t.Errorf("flat prior log-odds %v", got)
	}
	if got := lo(Options{FlatPrior: 2}, ""); !near(got, -math.Log(3), 1e-12) {
		t.Errorf("inverted prior log-odds %v", got)
	}
	// θ_A(a) = (3+1)/(3+2), θ_B(a) = 1/3, pooled θ(a) = (3+1)/(4+2).
	beta := 0.5
	thA, thB, pooled := 4.0/5, 1.0/3, 4.0/6
	want := math.Log(beta*thA+(1-beta)*pooled) - math.Log(beta*thB+(1-beta)*pooled)
	if got := lo(Options{FlatPrior: 1, Interpolation: beta}, "a"); !near(got, want, 1e-12) {
		t.Errorf("interpolated log-odds %v, want %v", got, want)
	}
	if got := lo(Options{FlatPrior: 1}, "a"); !near(got, math.Log(thA/thB), 1e-12) {
		t.Errorf("log-odds %v", got)
	}
}

// TestSetFeature: each feature name turns exactly one option on and off
// again, and an unknown name is refused, naming the valid ones.
func TestSetFeature(t *testing.T) {
	seen := map[Options]string{}
	for _, name := range FeatureNames() {
		var o Options
		if err := o.SetFeature(name, true); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if o == (Options{}) {
			t.Errorf("%s: SetFeature(true) changed nothing", name)
		}
		if other, dup := seen[o]; dup {
			t.Errorf("%s and %s set the same option", name, other)
		}
		seen[o] = name
		if err := o.SetFeature(name, false); err != nil || o != (Options{}) {
			t.Errorf("%s: SetFeature(false) left %+v (%v)", name, o, err)
		}
	}
	var o Options
	if err := o.SetFeature("trigrams", true); err == nil || !strings.Contains(err.Error(), "bigrams") {
		t.Errorf("unknown feature: %v", err)
	}
}
