package report

import (
	"math"
	"math/bits"
	"slices"
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

// intn returns a uniform integer in [0, n) (Lemire's multiply-shift with
// rejection).
func (r *rng) intn(n int) int {
	bound := uint64(n)
	for {
		hi, lo := bits.Mul64(r.next(), bound)
		if lo >= (-bound)%bound {
			return int(hi)
		}
	}
}

// units are the counting units of a table: one per comment, each falling
// into one cell, with a base weight and, under --per-author, a pair id
// grouping the comments of one author in one cell.
type units struct {
	cell []int     // cell index of each comment
	base []float64 // base weight of each comment (1 or recommendations+1)
	pair []int     // (author, cell) pair id per comment; nil unless per-author
	// pairCell maps pair id to its cell.
	pairCell []int
	ncells   int
}

// newUnits groups comments into cells. author may be nil (no per-author
// de-duplication). An empty author never merges with another comment.
func newUnits(ncells int, cell []int, base []float64, author []string) *units {
	u := &units{cell: cell, base: base, ncells: ncells}
	if author == nil {
		return u
	}
	type key struct {
		author string
		cell   int
	}
	ids := map[key]int{}
	u.pair = make([]int, len(cell))
	for i, c := range cell {
		k := key{author[i], c}
		id, ok := ids[k]
		if !ok || author[i] == "" {
			id = len(u.pairCell)
			u.pairCell = append(u.pairCell, c)
			if author[i] != "" {
				ids[k] = id
			}
		}
		u.pair[i] = id
	}
	return u
}

// weights returns each comment's weight on the full sample: its base weight,
// divided under per-author by the number of comments of its (author, cell)
// pair, so that a pair sums to the mean base weight of its comments.
func (u *units) weights() []float64 {
	w := slices.Clone(u.base)
	if u.pair == nil {
		return w
	}
	n := make([]float64, len(u.pairCell))
	for _, p := range u.pair {
		n[p]++
	}
	for i, p := range u.pair {
		w[i] /= n[p]
	}
	return w
}

// sums adds the weights of the comments idx into out (length ncells),
// applying per-author de-duplication within the resample. scratch must have
// room for the pairs.
func (u *units) sums(idx []int, out []float64, s *scratch) {
	clear(out)
	if u.pair == nil {
		for _, i := range idx {
			out[u.cell[i]] += u.base[i]
		}
		return
	}
	s.touched = s.touched[:0]
	for _, i := range idx {
		p := u.pair[i]
		if s.n[p] == 0 {
			s.touched = append(s.touched, p)
		}
		s.sum[p] += u.base[i]
		s.n[p]++
	}
	for _, p := range s.touched {
		out[u.pairCell[p]] += s.sum[p] / s.n[p]
		s.sum[p], s.n[p] = 0, 0
	}
}

type scratch struct {
	sum, n  []float64
	touched []int
}

// ratio is a proportion of cell sums: the cells in num over the cells in den.
type ratio struct{ num, den []int }

func (r ratio) of(sums []float64) (num, den float64) {
	for _, c := range r.num {
		num += sums[c]
	}
	for _, c := range r.den {
		den += sums[c]
	}
	return num, den
}

// intervals returns a 95% interval for every ratio. Without weighting
// (plain counts) it is the Wilson score interval. Otherwise it is the
// percentile interval of a seeded bootstrap over comments, B resamples, with
// the weighting re-applied in each resample. When the bootstrap's upper bound
// is 0 (the ratio is zero in every resample), the upper bound is the Wilson
// bound for zero successes on the Kish effective sample size of the
// denominator's comments, so that a zero share still gets an upper bound.
func (u *units) intervals(rs []ratio, bootstrap bool, B int, seed int64) []Interval {
	w := u.weights()
	full := make([]float64, u.ncells)
	for i, c := range u.cell {
		full[c] += w[i]
	}
	out := make([]Interval, len(rs))
	if !bootstrap {
		for k, r := range rs {
			num, den := r.of(full)
			out[k] = Wilson(num, den)
		}
		return out
	}
	N := len(u.cell)
	vals := make([][]float64, len(rs))
	for k := range vals {
		vals[k] = make([]float64, 0, B)
	}
	r := &rng{s: uint64(seed)}
	idx := make([]int, N)
	sums := make([]float64, u.ncells)
	s := &scratch{sum: make([]float64, len(u.pairCell)), n: make([]float64, len(u.pairCell))}
	for b := 0; b < B && N > 0; b++ {
		for i := range idx {
			idx[i] = r.intn(N)
		}
		u.sums(idx, sums, s)
		for k, rt := range rs {
			num, den := rt.of(sums)
			if den > 0 {
				vals[k] = append(vals[k], num/den)
			}
		}
	}
	for k, rt := range rs {
		num, den := rt.of(full)
		if !(den > 0) || len(vals[k]) == 0 {
			out[k] = undefined
			continue
		}
		slices.Sort(vals[k])
		iv := Interval{Low: quantile(vals[k], 0.025), High: quantile(vals[k], 0.975)}
		if iv.High <= 0 && num <= 0 {
			iv = Interval{0, Wilson(0, u.kish(rt.den, w)).High}
		}
		out[k] = iv
	}
	return out
}

// kish returns the effective sample size (Σw)²/Σw² of the comments in cells.
func (u *units) kish(cells []int, w []float64) float64 {
	in := make([]bool, u.ncells)
	for _, c := range cells {
		in[c] = true
	}
	var s, s2 float64
	for i, c := range u.cell {
		if in[c] {
			s += w[i]
			s2 += w[i] * w[i]
		}
	}
	if s2 == 0 {
		return 0
	}
	return s * s / s2
}

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
