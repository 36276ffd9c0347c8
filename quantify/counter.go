package quantify

import "slices"

// Counter accumulates a [Sample] from a stream of labeled items, so that a
// caller (a stance table, one per thread or per stance) need not keep the
// items: per class the summed weights of the labels and of the
// posteriors, and Σw². With KeepPosteriors it also keeps each item's
// posterior (SLD needs them; memory grows with the items).
type Counter struct {
	// KeepPosteriors keeps every item's posterior and weight in the
	// sample; set it before the first Add.
	KeepPosteriors bool

	s        Sample
	weighted bool
}

// NewCounter returns a counter over k classes.
func NewCounter(k int) *Counter {
	return &Counter{s: Sample{Counts: make([]float64, k), PosteriorSums: make([]float64, k)}}
}

// Add counts one item labeled pred with weight w (1 for plain counts; an
// item with a weight that is not positive is skipped) and, when not nil,
// its posterior over the k classes.
func (c *Counter) Add(pred int, w float64, posterior []float64) {
	if !(w > 0) || pred < 0 || pred >= len(c.s.Counts) {
		return
	}
	if w != 1 {
		c.weighted = true
	}
	c.s.Counts[pred] += w
	c.s.SumSquares += w * w
	if posterior != nil {
		for j, p := range posterior[:min(len(posterior), len(c.s.PosteriorSums))] {
			c.s.PosteriorSums[j] += w * p
		}
		if c.KeepPosteriors {
			c.s.Posteriors = append(c.s.Posteriors, slices.Clone(posterior))
			c.s.Weights = append(c.s.Weights, w)
		}
	}
}

// Sample returns the sample counted so far (a copy). Unweighted counts
// (every weight 1) have SumSquares 0.
func (c *Counter) Sample() Sample {
	s := Sample{
		Counts:        slices.Clone(c.s.Counts),
		PosteriorSums: slices.Clone(c.s.PosteriorSums),
		Posteriors:    slices.Clone(c.s.Posteriors),
	}
	if c.weighted {
		s.SumSquares = c.s.SumSquares
		s.Weights = slices.Clone(c.s.Weights)
	}
	return s
}
