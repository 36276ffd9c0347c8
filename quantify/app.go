package quantify

import (
	"errors"
	"fmt"
	"math"
)

// Item is one held-out prediction: its true class, the label the
// classifier gave it, and optionally its posterior over the classes.
type Item struct {
	True, Pred int
	Posterior  []float64
}

// CalibrationFromItems returns the calibration of held-out items over k
// classes: their confusion counts and, when every item has a posterior,
// the mean posterior per true class.
func CalibrationFromItems(items []Item, k int) *Calibration {
	c := &Calibration{Confusion: make([][]float64, k), MeanPosterior: make([][]float64, k)}
	for t := range k {
		c.Confusion[t] = make([]float64, k)
		c.MeanPosterior[t] = make([]float64, k)
	}
	withPost := true
	for _, it := range items {
		c.Confusion[it.True][it.Pred]++
		if len(it.Posterior) != k {
			withPost = false
			continue
		}
		for j, v := range it.Posterior {
			c.MeanPosterior[it.True][j] += v
		}
	}
	if !withPost {
		c.MeanPosterior = nil
		return c
	}
	for t, row := range c.Confusion {
		var n float64
		for _, v := range row {
			n += v
		}
		if n > 0 {
			for j := range c.MeanPosterior[t] {
				c.MeanPosterior[t][j] /= n
			}
		}
	}
	return c
}

// APPOptions say how [APP] draws its samples.
type APPOptions struct {
	// Samples is the number of samples; 0 means 100.
	Samples int
	// Size is the number of items per sample; 0 means 500.
	Size int
	// Seed seeds the samples (and, through Estimate.Seed, the estimators).
	Seed uint64
	// Methods are the methods to score; nil means all of [Methods].
	Methods []Method
	// Estimate are the estimators' options (Seed is set per sample).
	Estimate Options
}

// Score is how well one method estimated the shares over the samples of
// [APP]: over every (sample, class) cell, the mean absolute error of the
// share, the fraction of intervals containing the true share, and the
// mean interval width.
type Score struct {
	Method   Method  `json:"-"`
	MAE      float64 `json:"mae"`
	Coverage float64 `json:"coverage"`
	Width    float64 `json:"width"`
	// Failed counts the samples the method could not estimate (for
	// example SLD without posteriors); they are left out of the means.
	Failed int `json:"failed,omitempty"`
}

// APP runs the artificial-prevalence protocol (Forman 2008; Esuli et al.
// 2023) on held-out items over k classes: each sample's true shares are
// drawn uniformly from the simplex (Dirichlet(1, …, 1)) over the classes
// present in pool, its Size items are drawn with replacement from the
// pool's items of each sample class, and every method estimates the
// shares from the items' labels (and posteriors) with calibration cal.
// Each (sample, class) cell is scored against the sample's realised
// shares, for the classes present in the pool (a class with no item there
// has a share of exactly 0 in every sample, which no continuous interval
// contains). The scores come in the order of opt.Methods.
func APP(cal *Calibration, pool []Item, k int, opt APPOptions) ([]Score, error) {
	if len(pool) == 0 || k < 2 {
		return nil, errors.New("app: need held-out items of at least two classes")
	}
	byClass := make([][]int, k)
	for i, it := range pool {
		if it.True < 0 || it.True >= k || it.Pred < 0 || it.Pred >= k {
			return nil, fmt.Errorf("app: item %d: class out of range", i)
		}
		byClass[it.True] = append(byClass[it.True], i)
	}
	var present []int
	for c, ids := range byClass {
		if len(ids) > 0 {
			present = append(present, c)
		}
	}
	if len(present) < 2 {
		return nil, errors.New("app: the held-out items have fewer than two true classes")
	}
	samples, size := opt.Samples, opt.Size
	if samples <= 0 {
		samples = 100
	}
	if size <= 0 {
		size = 500
	}
	methods := opt.Methods
	if methods == nil {
		methods = Methods()
	}
	type acc struct {
		err, cover, width float64
		cells, failed     int
	}
	sums := make([]acc, len(methods))
	g := newRNG(opt.Seed, 7)
	ones := make([]float64, len(present))
	for i := range ones {
		ones[i] = 1
	}
	share := make([]float64, len(present))
	for si := range samples {
		g.dirichlet(ones, share)
		truth := make([]float64, k)
		s := Sample{Counts: make([]float64, k), PosteriorSums: make([]float64, k)}
		withPost := true
		cum := 0.0
		for range size {
			u := g.float()
			j := len(present) - 1
			cum = 0
			for x, v := range share {
				cum += v
				if u < cum {
					j = x
					break
				}
			}
			ids := byClass[present[j]]
			it := pool[ids[g.intn(len(ids))]]
			truth[it.True]++
			s.Counts[it.Pred]++
			if len(it.Posterior) == k {
				s.Posteriors = append(s.Posteriors, it.Posterior)
				for c, v := range it.Posterior {
					s.PosteriorSums[c] += v
				}
			} else {
				withPost = false
			}
		}
		if !withPost {
			s.Posteriors, s.PosteriorSums = nil, nil
		}
		for c := range truth {
			truth[c] /= float64(size)
		}
		eo := opt.Estimate
		eo.Seed = opt.Seed*1_000_003 + uint64(si)
		for mi, m := range methods {
			r, err := Estimate(m, cal, s, eo)
			if err != nil {
				sums[mi].failed++
				continue
			}
			for _, c := range present {
				sums[mi].err += math.Abs(r.Share[c] - truth[c])
				if r.Low[c] <= truth[c]+1e-12 && truth[c] <= r.High[c]+1e-12 {
					sums[mi].cover++
				}
				sums[mi].width += r.High[c] - r.Low[c]
				sums[mi].cells++
			}
		}
	}
	out := make([]Score, len(methods))
	for mi, m := range methods {
		a := sums[mi]
		out[mi] = Score{Method: m, Failed: a.failed}
		if a.cells > 0 {
			n := float64(a.cells)
			out[mi].MAE, out[mi].Coverage, out[mi].Width = a.err/n, a.cover/n, a.width/n
		}
	}
	return out, nil
}
