package quantify

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Method names an estimator of class shares.
type Method string

// The estimators. See the package documentation for what each assumes.
const (
	// CC is classify and count: the shares of the predicted labels, with
	// Wilson intervals. It ignores the classifier's errors.
	CC Method = "cc"
	// PCC is probabilistic classify and count: the mean posterior.
	PCC Method = "pcc"
	// ACC is adjusted classify and count: the shares π on the simplex that
	// best explain the observed label shares through the held-out
	// confusion matrix (least squares), with a parametric bootstrap.
	ACC Method = "acc"
	// PACC is ACC over mean posteriors, with the held-out mean posterior
	// per true class in place of the confusion matrix.
	PACC Method = "pacc"
	// SLD is the EM prior adjustment of Saerens, Latinne and Decaestecker
	// (2002) over per-item posteriors, with a bootstrap over items.
	SLD Method = "sld"
	// Bayes is the Bayesian model of Ziegler and Czyż (2024): a Dirichlet
	// prior on the shares, Dirichlet posteriors on the confusion rows from
	// the (discounted) held-out counts, and the observed labels a
	// multinomial of (confusionᵀ · shares), sampled by a seeded Gibbs
	// sampler; credible intervals from the draws.
	Bayes Method = "bayes"
)

// Methods returns every method, in a fixed order.
func Methods() []Method { return []Method{CC, PCC, ACC, PACC, SLD, Bayes} }

// ParseMethod returns the method named s.
func ParseMethod(s string) (Method, error) {
	m := Method(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(Methods(), m) {
		return m, nil
	}
	names := make([]string, 0, 6)
	for _, m := range Methods() {
		names = append(names, string(m))
	}
	return "", fmt.Errorf("unknown estimate method %q (valid: %s)", s, strings.Join(names, ", "))
}

// Errors of [Estimate], for errors.Is.
var (
	// ErrNoCalibration: the method needs held-out statistics (a
	// confusion matrix, or mean posteriors for PACC) and there are none.
	ErrNoCalibration = errors.New("no held-out statistics to adjust with")
	// ErrNoPosteriors: the method needs posteriors (summed for PCC and
	// PACC, per item for SLD) and the sample has none.
	ErrNoPosteriors = errors.New("no posteriors in the sample")
	// ErrEmpty: the sample has no items.
	ErrEmpty = errors.New("empty sample")
)

// Calibration is what held-out predictions say about the classifier's
// errors. Class indices are the same in rows and columns, and match the
// sample's.
type Calibration struct {
	// Confusion[t][p] counts held-out items of true class t labeled p
	// (classify.Heldout.Placed for placed comments).
	Confusion [][]float64
	// MeanPosterior[t][c] is the mean held-out posterior of class c over
	// items of true class t; optional, needed by PACC (and used by SLD for
	// the training prior).
	MeanPosterior [][]float64
}

// FromCounts returns the calibration of integer held-out confusion counts
// and optional mean posteriors (classify.Heldout's Placed and
// MeanPosterior).
func FromCounts(confusion [][]int, meanPosterior [][]float64) *Calibration {
	c := &Calibration{Confusion: make([][]float64, len(confusion))}
	for t, row := range confusion {
		c.Confusion[t] = make([]float64, len(row))
		for p, n := range row {
			c.Confusion[t][p] = float64(n)
		}
	}
	if meanPosterior != nil {
		c.MeanPosterior = make([][]float64, len(meanPosterior))
		for t, row := range meanPosterior {
			c.MeanPosterior[t] = slices.Clone(row)
		}
	}
	return c
}

// rowTotals returns the held-out items per true class.
func (c *Calibration) rowTotals() []float64 {
	out := make([]float64, len(c.Confusion))
	for t, row := range c.Confusion {
		for _, v := range row {
			out[t] += v
		}
	}
	return out
}

// Sample is what was observed in the data being quantified: counts of
// predicted labels, streamed, and optionally posteriors.
//
// Weighted counts: when every item counts with a weight w (the table's
// --weight or --per-author), Counts and PosteriorSums are sums of weights
// and SumSquares is Σw². The estimators then work with the effective
// sample size n_eff = (Σw)²/Σw² (Kish): the counts are rescaled to sum to
// n_eff before any interval or likelihood is computed, so the shares are
// those of the weights and the intervals are as wide as the weighting's
// loss of information says. With SumSquares 0 every item counts 1.
type Sample struct {
	// Counts[p] is the number (or summed weight) of items labeled p.
	Counts []float64
	// SumSquares is Σw² over the items when Counts are weighted; 0 means
	// unweighted (n_eff = ΣCounts).
	SumSquares float64
	// PosteriorSums[c] is Σ w·posterior(c) over the items; optional (PCC
	// and PACC use it when Posteriors is nil).
	PosteriorSums []float64
	// Posteriors holds each item's posterior vector; optional. SLD needs
	// it; with it PCC, PACC and SLD intervals come from a bootstrap over
	// items.
	Posteriors [][]float64
	// Weights holds each item's weight for Posteriors; nil means 1 each.
	Weights []float64
}

// total returns ΣCounts and n_eff.
func (s *Sample) total() (sum, neff float64) {
	for _, v := range s.Counts {
		sum += v
	}
	neff = sum
	if s.SumSquares > 0 && sum > 0 {
		neff = sum * sum / s.SumSquares
	}
	return sum, neff
}

// Options tune the estimators. The zero value is the documented default.
type Options struct {
	// Seed seeds every random draw (bootstrap, Gibbs sampler): the same
	// inputs and seed give the same estimate.
	Seed uint64
	// Level is the interval's coverage; 0 means 0.95.
	Level float64
	// Bootstrap is the number of bootstrap replicates of ACC, PACC, SLD
	// (and PCC over items); 0 means 200.
	Bootstrap int
	// Draws and Burn are the Gibbs sampler's kept draws and burn-in; 0
	// means 500 and 100.
	Draws, Burn int
	// RowCap caps the effective number of held-out items of each confusion
	// row in the Bayesian model (overdispersion: the held-out confusion is
	// an uncertain and shifting estimate of the confusion on new data; a
	// row with n > RowCap items counts as RowCap items with the same
	// proportions). 0 means [DefaultRowCap]; a negative value does not
	// cap.
	RowCap float64
	// Prior is the concentration of the symmetric Dirichlet prior on the
	// shares (Bayes); 0 means 1 (uniform on the simplex).
	Prior float64
	// Joint samples the Bayesian model's full joint posterior, in which the
	// observed labels also update the confusion rows, instead of the cut
	// model (see [Bayes]).
	Joint bool
}

// DefaultRowCap is the default [Options.RowCap], chosen by measurement
// (see the package documentation).
const DefaultRowCap = 20

func (o Options) level() float64 {
	if !(o.Level > 0 && o.Level < 1) {
		return 0.95
	}
	return o.Level
}

func (o Options) bootstrap() int {
	if o.Bootstrap <= 0 {
		return 200
	}
	return o.Bootstrap
}

// Result is an estimate of the class shares.
type Result struct {
	// Method is the estimator used.
	Method Method
	// Share is the point estimate of each class's share; the shares sum to
	// 1 (or are all 0 for an empty sample).
	Share []float64
	// Low and High bound each share's interval at the options' Level.
	Low, High []float64
	// N is the effective sample size the estimate rests on.
	N float64
	// Draws is the number of bootstrap replicates or posterior draws
	// behind the intervals; 0 for closed-form (Wilson) intervals.
	Draws int
}

// Estimate estimates the class shares of the items of s with method m.
// cal is the classifier's held-out calibration, required by ACC, PACC and
// Bayes (and SLD, for the training prior); its classes are the sample's.
func Estimate(m Method, cal *Calibration, s Sample, opt Options) (*Result, error) {
	k := len(s.Counts)
	if k == 0 {
		return nil, fmt.Errorf("quantify %s: %w", m, ErrEmpty)
	}
	if cal != nil {
		if err := cal.check(k); err != nil {
			return nil, fmt.Errorf("quantify %s: %w", m, err)
		}
	}
	sum, neff := s.total()
	if sum <= 0 && len(s.Posteriors) == 0 {
		return nil, fmt.Errorf("quantify %s: %w", m, ErrEmpty)
	}
	var (
		r   *Result
		err error
	)
	switch m {
	case CC:
		r = cc(s, neff, opt)
	case PCC:
		r, err = pcc(s, neff, opt)
	case ACC:
		r, err = acc(cal, s, neff, opt)
	case PACC:
		r, err = pacc(cal, s, neff, opt)
	case SLD:
		r, err = sld(cal, s, opt)
	case Bayes:
		r, err = bayes(cal, s, neff, opt)
	default:
		_, err = ParseMethod(string(m))
	}
	if err != nil {
		return nil, fmt.Errorf("quantify %s: %w", m, err)
	}
	r.Method = m
	return r, nil
}

func (c *Calibration) check(k int) error {
	if c.Confusion != nil {
		if len(c.Confusion) != k {
			return fmt.Errorf("confusion matrix has %d rows for %d classes", len(c.Confusion), k)
		}
		for t, row := range c.Confusion {
			if len(row) != k {
				return fmt.Errorf("confusion row %d has %d entries for %d classes", t, len(row), k)
			}
			for _, v := range row {
				if !(v >= 0) || math.IsInf(v, 0) {
					return fmt.Errorf("confusion row %d: count %v", t, v)
				}
			}
		}
	}
	if c.MeanPosterior != nil {
		if len(c.MeanPosterior) != k {
			return fmt.Errorf("mean posterior matrix has %d rows for %d classes", len(c.MeanPosterior), k)
		}
		for t, row := range c.MeanPosterior {
			if len(row) != k {
				return fmt.Errorf("mean posterior row %d has %d entries for %d classes", t, len(row), k)
			}
		}
	}
	return nil
}

// normalize returns v / Σv (zeros when Σv is 0).
func normalize(v []float64) []float64 {
	out := make([]float64, len(v))
	var s float64
	for _, x := range v {
		s += max(x, 0)
	}
	if s > 0 {
		for i, x := range v {
			out[i] = max(x, 0) / s
		}
	}
	return out
}

// zScore is the standard normal quantile of (1+level)/2.
func zScore(level float64) float64 { return math.Sqrt2 * math.Erfinv(level) }

// wilson returns the Wilson score interval of a proportion p out of n.
func wilson(p, n, z float64) (lo, hi float64) {
	if !(n > 0) {
		return 0, 1
	}
	z2 := z * z
	den := 1 + z2/n
	center := (p + z2/(2*n)) / den
	half := z / den * math.Sqrt(max(p*(1-p)/n+z2/(4*n*n), 0))
	return max(center-half, 0), min(center+half, 1)
}

func cc(s Sample, neff float64, opt Options) *Result {
	r := &Result{Share: normalize(s.Counts), N: neff}
	z := zScore(opt.level())
	for _, p := range r.Share {
		lo, hi := wilson(p, neff, z)
		r.Low, r.High = append(r.Low, lo), append(r.High, hi)
	}
	return r
}

// meanPosterior returns the (weighted) mean posterior of s.
func meanPosterior(s *Sample, k int) ([]float64, error) {
	if len(s.Posteriors) > 0 {
		sum := make([]float64, k)
		for i, p := range s.Posteriors {
			w := 1.0
			if s.Weights != nil {
				w = s.Weights[i]
			}
			for c := range k {
				sum[c] += w * p[c]
			}
		}
		return normalize(sum), nil
	}
	if len(s.PosteriorSums) == k {
		return normalize(s.PosteriorSums), nil
	}
	return nil, ErrNoPosteriors
}

// itemNeff is the effective size of the per-item posteriors.
func itemNeff(s *Sample) float64 {
	if s.Weights == nil {
		return float64(len(s.Posteriors))
	}
	var sw, sw2 float64
	for _, w := range s.Weights {
		sw += w
		sw2 += w * w
	}
	if sw2 == 0 {
		return 0
	}
	return sw * sw / sw2
}

// resample returns a bootstrap resample of s's items (posteriors and
// weights), drawn with replacement.
func resample(g *rng, s *Sample, post [][]float64, w []float64) ([][]float64, []float64) {
	n := len(s.Posteriors)
	post = post[:0]
	w = w[:0]
	for range n {
		i := g.intn(n)
		post = append(post, s.Posteriors[i])
		if s.Weights != nil {
			w = append(w, s.Weights[i])
		}
	}
	if s.Weights == nil {
		w = nil
	}
	return post, w
}

// percentile intervals of bootstrap replicates reps[b][c].
func percentiles(reps [][]float64, k int, level float64) (lo, hi []float64) {
	col := make([]float64, len(reps))
	for c := range k {
		for b, r := range reps {
			col[b] = r[c]
		}
		slices.Sort(col)
		lo = append(lo, quantile(col, (1-level)/2))
		hi = append(hi, quantile(col, (1+level)/2))
	}
	return lo, hi
}

// quantile of sorted xs at q, interpolating linearly.
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	pos := q * float64(len(xs)-1)
	i := int(math.Floor(pos))
	if i >= len(xs)-1 {
		return xs[len(xs)-1]
	}
	f := pos - float64(i)
	return xs[i]*(1-f) + xs[i+1]*f
}

func pcc(s Sample, neff float64, opt Options) (*Result, error) {
	k := len(s.Counts)
	share, err := meanPosterior(&s, k)
	if err != nil {
		return nil, err
	}
	r := &Result{Share: share, N: neff}
	if len(s.Posteriors) > 0 {
		r.N = itemNeff(&s)
		g := newRNG(opt.Seed, 2)
		reps := make([][]float64, opt.bootstrap())
		var post [][]float64
		var w []float64
		for b := range reps {
			post, w = resample(g, &s, post, w)
			reps[b], _ = meanPosterior(&Sample{Posteriors: post, Weights: w}, k)
		}
		r.Low, r.High = percentiles(reps, k, opt.level())
		r.Draws = len(reps)
		return r, nil
	}
	// Only sums: a mean of values in [0, 1] with mean p has variance at
	// most p(1-p)/n, so the Wilson interval of p is conservative.
	z := zScore(opt.level())
	for _, p := range share {
		lo, hi := wilson(p, neff, z)
		r.Low, r.High = append(r.Low, lo), append(r.High, hi)
	}
	return r, nil
}

// adjustRows returns the row-normalised matrix rows (P(label | true
// class)); a row with no mass becomes the identity row (no adjustment
// for a class the held-out data never saw).
func adjustRows(rows [][]float64) [][]float64 {
	out := make([][]float64, len(rows))
	for t, row := range rows {
		out[t] = normalize(row)
		var s float64
		for _, v := range out[t] {
			s += v
		}
		if s == 0 {
			out[t][t] = 1
		}
	}
	return out
}

func acc(cal *Calibration, s Sample, neff float64, opt Options) (*Result, error) {
	if cal == nil || cal.Confusion == nil {
		return nil, ErrNoCalibration
	}
	k := len(s.Counts)
	q := normalize(s.Counts)
	M := adjustRows(cal.Confusion)
	r := &Result{Share: simplexLS(M, q, q), N: neff}
	// Parametric bootstrap: the observed shares and every confusion row
	// are redrawn from their multinomials.
	g := newRNG(opt.Seed, 3)
	n := int(math.Round(neff))
	rows := cal.rowTotals()
	reps := make([][]float64, opt.bootstrap())
	cnt := make([]int, k)
	for b := range reps {
		qb := make([]float64, k)
		g.multinomial(n, q, cnt)
		for c := range k {
			qb[c] = float64(cnt[c])
		}
		Mb := make([][]float64, k)
		for t := range k {
			Mb[t] = make([]float64, k)
			g.multinomial(int(math.Round(rows[t])), M[t], cnt)
			for c := range k {
				Mb[t][c] = float64(cnt[c])
			}
		}
		reps[b] = simplexLS(adjustRows(Mb), normalize(qb), r.Share)
	}
	r.Low, r.High = percentiles(reps, k, opt.level())
	r.Draws = len(reps)
	widen(r)
	return r, nil
}

func pacc(cal *Calibration, s Sample, neff float64, opt Options) (*Result, error) {
	if cal == nil || cal.MeanPosterior == nil {
		return nil, ErrNoCalibration
	}
	k := len(s.Counts)
	q, err := meanPosterior(&s, k)
	if err != nil {
		return nil, err
	}
	M := adjustRows(cal.MeanPosterior)
	r := &Result{Share: simplexLS(M, q, q), N: neff}
	g := newRNG(opt.Seed, 4)
	var rows []float64
	if cal.Confusion != nil {
		rows = cal.rowTotals()
	}
	reps := make([][]float64, opt.bootstrap())
	var post [][]float64
	var w []float64
	alpha := make([]float64, k)
	for b := range reps {
		var qb []float64
		if len(s.Posteriors) > 0 {
			post, w = resample(g, &s, post, w)
			qb, _ = meanPosterior(&Sample{Posteriors: post, Weights: w}, k)
		} else {
			// A mean of [0, 1] values varies at most as a proportion.
			qb = make([]float64, k)
			for c := range k {
				alpha[c] = max(q[c]*neff, 1e-3)
			}
			g.dirichlet(alpha, qb)
		}
		Mb := make([][]float64, k)
		for t := range k {
			Mb[t] = slices.Clone(M[t])
			if rows != nil && rows[t] > 0 {
				for c := range k {
					alpha[c] = max(M[t][c]*rows[t], 1e-3)
				}
				g.dirichlet(alpha, Mb[t])
			}
		}
		reps[b] = simplexLS(Mb, qb, r.Share)
	}
	if len(s.Posteriors) > 0 {
		r.N = itemNeff(&s)
	}
	r.Low, r.High = percentiles(reps, k, opt.level())
	r.Draws = len(reps)
	widen(r)
	return r, nil
}

// widen makes sure each interval contains its point estimate (a
// percentile interval of a constrained estimator need not).
func widen(r *Result) {
	for c, p := range r.Share {
		r.Low[c] = min(r.Low[c], p)
		r.High[c] = max(r.High[c], p)
	}
}

// sldPrior returns the class distribution the classifier's posteriors
// were fitted under: the mean held-out posterior (the held-out class
// distribution weighting the per-class mean posteriors), or the held-out
// class shares.
func sldPrior(cal *Calibration, k int) []float64 {
	rows := cal.rowTotals()
	if cal.MeanPosterior != nil {
		p := make([]float64, k)
		for t := range k {
			for c := range k {
				p[c] += rows[t] * cal.MeanPosterior[t][c]
			}
		}
		if q := normalize(p); slices.ContainsFunc(q, func(v float64) bool { return v > 0 }) {
			return q
		}
	}
	return normalize(rows)
}

// sldEM runs the EM of Saerens et al. (2002): the posteriors, fitted under
// the prior ptr, are reweighted by π/ptr and renormalised, π becomes their
// mean, until π moves less than 1e-5 (at most 300 rounds).
func sldEM(post [][]float64, w []float64, ptr []float64, k int) []float64 {
	pi := make([]float64, k)
	var sw float64
	for i, p := range post {
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		sw += wi
		for c := range k {
			pi[c] += wi * p[c]
		}
	}
	if sw == 0 {
		return pi
	}
	for c := range k {
		pi[c] /= sw
	}
	ratio := make([]float64, k)
	next := make([]float64, k)
	adj := make([]float64, k)
	for it := 0; it < 300; it++ {
		for c := range k {
			ratio[c] = 0
			if ptr[c] > 0 {
				ratio[c] = pi[c] / ptr[c]
			}
			next[c] = 0
		}
		for i, p := range post {
			wi := 1.0
			if w != nil {
				wi = w[i]
			}
			var z float64
			for c := range k {
				adj[c] = p[c] * ratio[c]
				z += adj[c]
			}
			if z <= 0 {
				continue
			}
			for c := range k {
				next[c] += wi * adj[c] / z
			}
		}
		var moved float64
		for c := range k {
			next[c] /= sw
			moved = max(moved, math.Abs(next[c]-pi[c]))
			pi[c] = next[c]
		}
		if moved < 1e-5 {
			break
		}
	}
	return normalize(pi)
}

func sld(cal *Calibration, s Sample, opt Options) (*Result, error) {
	if len(s.Posteriors) == 0 {
		return nil, ErrNoPosteriors
	}
	if cal == nil || cal.Confusion == nil {
		return nil, ErrNoCalibration
	}
	k := len(s.Counts)
	ptr := sldPrior(cal, k)
	r := &Result{Share: sldEM(s.Posteriors, s.Weights, ptr, k), N: itemNeff(&s)}
	g := newRNG(opt.Seed, 5)
	reps := make([][]float64, opt.bootstrap())
	var post [][]float64
	var w []float64
	for b := range reps {
		post, w = resample(g, &s, post, w)
		reps[b] = sldEM(post, w, ptr, k)
	}
	r.Low, r.High = percentiles(reps, k, opt.level())
	r.Draws = len(reps)
	widen(r)
	return r, nil
}
