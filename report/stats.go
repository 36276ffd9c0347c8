package report

import (
	"math"
)

// z95 is the 0.975 quantile of the standard normal distribution.
const z95 = 1.959963984540054

// Wilson returns the 95% Wilson score interval of the proportion x/n
// (without continuity correction; R's prop.test(x, n, correct = FALSE)).
// x and n may be fractional (effective counts). With n <= 0 the interval is
// undefined (NaN). A zero count still gets a positive upper bound.
func Wilson(x, n float64) Interval {
	if !(n > 0) {
		return undefined
	}
	p := x / n
	p = min(max(p, 0), 1)
	z2 := z95 * z95
	den := 1 + z2/n
	center := (p + z2/(2*n)) / den
	half := z95 / den * math.Sqrt(p*(1-p)/n+z2/(4*n*n))
	lo, hi := center-half, center+half
	if x <= 0 {
		lo = 0
	}
	if x >= n {
		hi = 1
	}
	return Interval{Low: max(lo, 0), High: min(hi, 1)}
}

// rng is a small deterministic generator (SplitMix64), so that bootstrap
// results depend only on the seed, never on the Go version.
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Uint64 returns the next number: rng is a math/rand/v2 Source.
func (r *rng) Uint64() uint64 { return r.next() }

// quantile returns the q-quantile of sorted xs by linear interpolation
// (type 7, R's default).
func quantile(xs []float64, q float64) float64 {
	h := q * float64(len(xs)-1)
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[i] + (h-lo)*(xs[i+1]-xs[i])
}
