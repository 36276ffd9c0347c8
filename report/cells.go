package report

import (
	"cmp"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// observation is one comment as a table counts it.
type observation struct {
	base     float64 // 1, or recommendations + 1
	author   string  // "" unless per-author (or no author)
	compound float64
	p        float64
	reply    bool
	label    string // VADER label
}

// agg accumulates the weighted figures of one row.
type agg struct {
	count, top, replies float64
	compound, p         float64 // weighted sums
	neg, neu, pos       float64
	sq                  float64 // sum of squared weights (Kish)
}

func (a *agg) add(o observation, w float64) {
	a.count += w
	a.sq += w * w
	if o.reply {
		a.replies += w
	} else {
		a.top += w
	}
	a.compound += w * o.compound
	a.p += w * o.p
	switch o.label {
	case "negative":
		a.neg += w
	case "positive":
		a.pos += w
	default:
		a.neu += w
	}
}

// merge adds b, scaled by f, to a.
func (a *agg) merge(b *agg, f float64) {
	a.count += f * b.count
	a.top += f * b.top
	a.replies += f * b.replies
	a.compound += f * b.compound
	a.p += f * b.p
	a.neg += f * b.neg
	a.neu += f * b.neu
	a.pos += f * b.pos
	a.sq += f * f * b.sq
}

func (a *agg) mean(x float64) float64 {
	if !(a.count > 0) {
		return math.NaN()
	}
	return x / a.count
}

// cellSet counts comments into cells (rows, or exchange cells) as they
// stream. Under per-author, an author's comments in one cell are one unit
// worth the mean of their weights; comments without an author are never
// merged. Under a weighting it also keeps what the bootstrap resamples.
type cellSet struct {
	perAuthor bool
	weighted  bool
	plain     []agg // per cell: comments counted directly
	pairs     map[pairKey]*pair
	groups    map[groupKey]float64 // bootstrap groups of identical comments: count
	n         float64              // comments counted
}

type pairKey struct {
	cell   int
	author string
}

// pair is one author's comments in one cell.
type pair struct {
	n   float64
	sum agg // with base weights
}

// groupKey is a bootstrap group: comments of one cell with one weight.
type groupKey struct {
	cell int
	base float64
}

func newCellSet(perAuthor, weighted bool) *cellSet {
	c := &cellSet{perAuthor: perAuthor, weighted: weighted}
	if perAuthor {
		c.pairs = map[pairKey]*pair{}
	}
	if weighted {
		c.groups = map[groupKey]float64{}
	}
	return c
}

func (c *cellSet) grow(cell int) {
	for len(c.plain) <= cell {
		c.plain = append(c.plain, agg{})
	}
}

// add counts one comment in cell.
func (c *cellSet) add(cell int, o observation) {
	c.grow(cell)
	c.n++
	if c.perAuthor && o.author != "" {
		k := pairKey{cell, o.author}
		p := c.pairs[k]
		if p == nil {
			p = &pair{}
			c.pairs[k] = p
		}
		p.n++
		p.sum.add(o, o.base)
		return
	}
	c.plain[cell].add(o, o.base)
	if c.weighted {
		c.groups[groupKey{cell, o.base}]++
	}
}

// cells returns the final figures of every cell, at least ncells of them.
func (c *cellSet) cells(ncells int) []agg {
	out := make([]agg, max(ncells, len(c.plain)))
	copy(out, c.plain)
	for k, p := range c.pairs {
		out[k.cell].merge(&p.sum, 1/p.n)
	}
	return out
}

// ratio is a proportion of cell sums: the cells in num over the cells in den.
type ratio struct{ num, den []int }

func (r ratio) of(sums []float64) (num, den float64) {
	for _, c := range r.num {
		if c < len(sums) {
			num += sums[c]
		}
	}
	for _, c := range r.den {
		if c < len(sums) {
			den += sums[c]
		}
	}
	return num, den
}

// unit is what the bootstrap resamples: n comments that count together,
// either n identical ones (each worth w) or one author's comments in one
// cell (worth w once if any is drawn).
type unit struct {
	cell    int
	n, w    float64
	authors bool
}

// units returns the bootstrap units in a fixed order, so that the intervals
// do not depend on the input order: by the cells' names, then weight (and
// author).
func (c *cellSet) units(name func(cell int) string) []unit {
	byName := func(a, b unit) int { return cmp.Or(cmp.Compare(name(a.cell), name(b.cell)), cmp.Compare(a.w, b.w)) }
	var us []unit
	for k, n := range c.groups {
		us = append(us, unit{cell: k.cell, n: n, w: k.base})
	}
	if c.perAuthor {
		type keyed struct {
			k pairKey
			u unit
		}
		var ps []keyed
		for k, p := range c.pairs {
			ps = append(ps, keyed{k, unit{cell: k.cell, n: p.n, w: p.sum.count / p.n, authors: true}})
		}
		slices.SortFunc(ps, func(a, b keyed) int {
			return cmp.Or(cmp.Compare(name(a.k.cell), name(b.k.cell)), cmp.Compare(a.k.author, b.k.author))
		})
		slices.SortFunc(us, byName)
		for _, p := range ps {
			us = append(us, p.u)
		}
		return us
	}
	slices.SortFunc(us, byName)
	return us
}

// intervals returns a 95% interval for every ratio. Without weighting
// (plain counts) it is the Wilson score interval. Otherwise it is the
// percentile interval of a seeded bootstrap over comments, B resamples,
// with the weighting re-applied in each resample. A resample of N comments
// is drawn as multinomial counts over the units (a sequence of binomials,
// in a fixed order of units), which is the same distribution as drawing
// comments one by one, at a cost that grows with the units, not the
// comments. One author's comments in a cell count once if any of them is
// drawn, at the mean of their weights. When the bootstrap's upper bound is
// 0 (the ratio is zero in every resample), the upper bound is the Wilson
// bound for zero successes on the Kish effective sample size of the
// denominator's comments, so that a zero share still gets an upper bound.
//
// name names each cell, for the order of the units.
func (c *cellSet) intervals(rs []ratio, cells []agg, name func(cell int) string, B int, seed int64) []Interval {
	full := make([]float64, len(cells))
	for i := range cells {
		full[i] = cells[i].count
	}
	out := make([]Interval, len(rs))
	if !c.weighted {
		for k, r := range rs {
			num, den := r.of(full)
			out[k] = Wilson(num, den)
		}
		return out
	}
	us := c.units(name)
	var total float64
	for _, u := range us {
		total += u.n
	}
	vals := make([][]float64, len(rs))
	for k := range vals {
		vals[k] = make([]float64, 0, B)
	}
	src := &rng{s: uint64(seed)}
	sums := make([]float64, len(cells))
	for b := 0; b < B && total > 0; b++ {
		clear(sums)
		left, rest := total, total // comments to draw, comments in the units left
		for _, u := range us {
			if left <= 0 {
				break
			}
			var k float64
			switch {
			case u.n >= rest:
				k = left
			default:
				k = distuv.Binomial{N: left, P: u.n / rest, Src: src}.Rand()
			}
			left -= k
			rest -= u.n
			switch {
			case k == 0:
			case u.authors:
				sums[u.cell] += u.w
			default:
				sums[u.cell] += k * u.w
			}
		}
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
			iv = Interval{0, Wilson(0, kish(rt.den, cells)).High}
		}
		out[k] = iv
	}
	return out
}

// kish returns the effective sample size (Σw)²/Σw² of the comments in cells.
func kish(idx []int, cells []agg) float64 {
	var s, s2 float64
	for _, c := range idx {
		if c < len(cells) {
			s += cells[c].count
			s2 += cells[c].sq
		}
	}
	if s2 == 0 {
		return 0
	}
	return s * s / s2
}
