package classify

import (
	"math"
	"testing"
)

// A temperature T turns the posteriors p into p^(1/T), renormalised: the
// label stays, only the confidence changes.
func TestTemperatureScalesPosteriors(t *testing.T) {
	for name, opt := range map[string]Options{"multinomial": {}, "complement": {Complement: true, TFIDF: true}} {
		m := seedModel(t, opt, nil, nil)
		hot := opt
		hot.Temperature = 4
		mt, err := m.WithOptions(hot)
		if err != nil {
			t.Fatal(err)
		}
		for _, text := range seedBodies(t)[:10] {
			p := m.Posteriors(text, nil)
			q := mt.Posteriors(text, nil)
			var z float64
			for _, v := range p {
				z += math.Pow(v, 0.25)
			}
			for c := range p {
				if want := math.Pow(p[c], 0.25) / z; math.Abs(q[c]-want) > 1e-9 {
					t.Fatalf("%s: class %d: p=%v at T=4, want %v", name, c, q[c], want)
				}
			}
			a, b := m.Predict(text), mt.Predict(text)
			if a.Label != b.Label || a.RunnerUp != b.RunnerUp {
				t.Fatalf("%s: temperature changed the label: %s/%s vs %s/%s", name, a.Label, a.RunnerUp, b.Label, b.RunnerUp)
			}
			if a.P < 0.999 && b.P >= a.P {
				t.Errorf("%s: T=4 did not soften P: %v -> %v", name, a.P, b.P)
			}
		}
	}
}

func TestTemperatureOneIsNoTemperature(t *testing.T) {
	a := Options{Temperature: 1}.normalized()
	b := Options{}.normalized()
	if a != b {
		t.Fatalf("Temperature 1 normalises to %+v, want %+v", a, b)
	}
	if s := (Options{Temperature: 2.5}).String(); s != "alpha=1 temperature=2.5" {
		t.Fatalf("String() = %q", s)
	}
}
