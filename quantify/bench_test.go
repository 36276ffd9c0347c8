package quantify

import "testing"

// BenchmarkEstimate times each method on a sample of 500 items over 8
// classes (the size of an APP sample).
func BenchmarkEstimate(b *testing.B) {
	const k = 8
	sy := newSynth(k, 24, 3, 3, 1)
	cal := CalibrationFromItems(sy.items(2000, uniform(k), sy.E), k)
	s, _ := sampleOf(sy.items(500, uniform(k), sy.E), k)
	for _, m := range Methods() {
		b.Run(string(m), func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				if _, err := Estimate(m, cal, s, Options{Seed: uint64(i)}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
