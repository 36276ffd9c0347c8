package quantify

import (
	"math"
	"math/rand/v2"
)

// rng is the seeded generator of one estimate: every draw of a method
// comes from it, so that an estimate is a function of its inputs and seed.
type rng struct{ r *rand.Rand }

func newRNG(seed uint64, stream uint64) *rng {
	return &rng{rand.New(rand.NewPCG(seed, 0x71756e74696679^stream))} // "quntify"
}

func (g *rng) float() float64 { return g.r.Float64() }

func (g *rng) intn(n int) int { return g.r.IntN(n) }

// gamma draws from Gamma(shape, 1) (Marsaglia and Tsang 2000; for a shape
// below 1, Gamma(shape+1)·U^(1/shape)). A shape that is not positive gives
// 0.
func (g *rng) gamma(shape float64) float64 {
	if !(shape > 0) {
		return 0
	}
	if shape < 1 {
		u := g.float()
		for u == 0 {
			u = g.float()
		}
		return g.gamma(shape+1) * math.Pow(u, 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		var x, v float64
		for {
			x = g.r.NormFloat64()
			v = 1 + c*x
			if v > 0 {
				break
			}
		}
		v = v * v * v
		u := g.float()
		if u < 1-0.0331*x*x*x*x {
			return d * v
		}
		if math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}

// dirichlet fills dst with a draw from Dirichlet(alpha). Entries of alpha
// that are not positive get 0; if all are, dst is uniform over them... or
// all zero when alpha is empty of mass.
func (g *rng) dirichlet(alpha, dst []float64) {
	var s float64
	for i, a := range alpha {
		dst[i] = g.gamma(a)
		s += dst[i]
	}
	if s > 0 {
		for i := range dst {
			dst[i] /= s
		}
		return
	}
	// Every gamma underflowed (tiny shapes): put the mass on the largest
	// alpha, the limit of the distribution.
	best := -1
	for i, a := range alpha {
		dst[i] = 0
		if a > 0 && (best < 0 || a > alpha[best]) {
			best = i
		}
	}
	if best >= 0 {
		dst[best] = 1
	}
}

// binomial draws from Binomial(n, p): by Knuth's recursion on beta order
// statistics (TAOCP 3.4.1) while n is large, which is exact and takes
// O(log n) beta draws, then by counting geometric waiting times between
// successes (O(np) logarithms, p at most 1/2 by symmetry).
func (g *rng) binomial(n int, p float64) int {
	switch {
	case n <= 0 || p <= 0:
		return 0
	case p >= 1:
		return n
	}
	k := 0
	for n > 64 {
		a := 1 + n/2
		b := n + 1 - a
		x := g.beta(float64(a), float64(b))
		if x >= p {
			n = a - 1
			p /= x
		} else {
			k += a
			n = b - 1
			p = (p - x) / (1 - x)
		}
		if p <= 0 {
			return k
		}
		if p >= 1 {
			return k + n
		}
	}
	if p > 0.5 {
		return k + n - g.smallBinomial(n, 1-p)
	}
	return k + g.smallBinomial(n, p)
}

// smallBinomial draws Binomial(n, p) for p <= 1/2 by waiting times: the
// gaps between successes are geometric.
func (g *rng) smallBinomial(n int, p float64) int {
	lq := math.Log1p(-p)
	k, pos := 0, 0
	for {
		u := g.float()
		for u == 0 {
			u = g.float()
		}
		pos += int(math.Log(u)/lq) + 1
		if pos > n {
			return k
		}
		k++
	}
}

func (g *rng) beta(a, b float64) float64 {
	x := g.gamma(a)
	y := g.gamma(b)
	if x+y == 0 {
		return 0.5
	}
	return x / (x + y)
}

// multinomial fills dst with a draw from Multinomial(n, p), p not
// necessarily normalised, by conditional binomials.
func (g *rng) multinomial(n int, p []float64, dst []int) {
	var rest float64
	for _, v := range p {
		rest += max(v, 0)
	}
	for i := range dst {
		dst[i] = 0
	}
	for i, v := range p {
		if n == 0 || rest <= 0 {
			return
		}
		v = max(v, 0)
		if i == len(p)-1 || v >= rest {
			dst[i] = n
			return
		}
		k := g.binomial(n, v/rest)
		dst[i] = k
		n -= k
		rest -= v
	}
}
