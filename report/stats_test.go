package report

import (
	"math"
	"strconv"
	"testing"
)

// TestWilsonKnownValues checks the Wilson score interval against the worked
// examples of Newcombe (1998), "Two-sided confidence intervals for the single
// proportion: comparison of seven methods", Statistics in Medicine 17,
// 857-872, Table I, method 3 (score interval without continuity correction),
// which R reproduces as prop.test(x, n, correct = FALSE)$conf.int. The
// 0/20 upper bound is also z²/(n+z²) = 3.8415/23.8415 = 0.1611 by hand.
func TestWilsonKnownValues(t *testing.T) {
	for _, tc := range []struct {
		x, n     float64
		low, hig float64
	}{
		{81, 263, 0.2553, 0.3662},
		{15, 148, 0.0624, 0.1605},
		{0, 20, 0, 0.1611},
		{1, 29, 0.0061, 0.1718},
	} {
		iv := Wilson(tc.x, tc.n)
		if math.Abs(iv.Low-tc.low) > 5e-5 || math.Abs(iv.High-tc.hig) > 5e-5 {
			t.Errorf("Wilson(%v, %v) = [%.4f, %.4f], want [%.4f, %.4f]", tc.x, tc.n, iv.Low, iv.High, tc.low, tc.hig)
		}
	}
	if iv := Wilson(3, 0); iv.Valid() {
		t.Errorf("Wilson(3, 0) = %v, want undefined", iv)
	}
	if iv := Wilson(20, 20); iv.High != 1 || iv.Low >= 1 {
		t.Errorf("Wilson(20, 20) = %v, want [<1, 1]", iv)
	}
}

// TestBootstrapMatchesWilson resamples a large unweighted sample: the
// bootstrap percentile interval must agree with the Wilson interval within
// 0.01 for every share.
func TestBootstrapMatchesWilson(t *testing.T) {
	const n = 3000
	weighted, plain := newCellSet(false, true), newCellSet(false, false)
	for i := range n {
		var cell int
		switch {
		case i%10 < 3:
			cell = 0 // 30%
		case i%10 < 8:
			cell = 1 // 50%
		case i%20 == 19:
			cell = 2 // 5%
		default:
			cell = 3 // 15%
		}
		weighted.add(cell, observation{base: 1})
		plain.add(cell, observation{base: 1})
	}
	cells := weighted.cells(4)
	all := []int{0, 1, 2, 3}
	rs := []ratio{{[]int{0}, all}, {[]int{1}, all}, {[]int{2}, all}, {[]int{3}, all}}
	boot := weighted.intervals(rs, cells, strconv.Itoa, 4000, 7)
	wil := plain.intervals(rs, plain.cells(4), strconv.Itoa, 0, 0)
	for k := range rs {
		if math.Abs(boot[k].Low-wil[k].Low) > 0.01 || math.Abs(boot[k].High-wil[k].High) > 0.01 {
			t.Errorf("share %d: bootstrap %v, Wilson %v: differ by more than 0.01", k, boot[k], wil[k])
		}
	}
	again := weighted.intervals(rs, cells, strconv.Itoa, 4000, 7)
	if again[0] != boot[0] {
		t.Errorf("same seed, different interval: %v vs %v", again[0], boot[0])
	}
	other := weighted.intervals(rs, cells, strconv.Itoa, 4000, 8)
	if other[0] == boot[0] {
		t.Errorf("different seeds gave the identical interval %v", boot[0])
	}
}

func TestQuantile(t *testing.T) {
	xs := []float64{1, 2, 3, 4, 5}
	for _, tc := range []struct{ q, want float64 }{{0, 1}, {0.5, 3}, {0.025, 1.1}, {0.975, 4.9}, {1, 5}} {
		if got := quantile(xs, tc.q); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("quantile(%v) = %v, want %v", tc.q, got, tc.want)
		}
	}
}
