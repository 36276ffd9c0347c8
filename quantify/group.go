package quantify

import "fmt"

// Group returns the calibration over g groups of classes, group[c] being
// the group of class c (for example the stance of each argument): the
// confusion counts summed over the classes of each group, rows and
// columns, and the mean posteriors summed over columns and averaged over
// rows by their held-out counts. The estimate of group shares from a
// grouped calibration and a grouped sample ([Sample.Group]) accounts for
// the errors between groups only, which is what group shares need.
func (c *Calibration) Group(group []int, g int) (*Calibration, error) {
	k := len(c.Confusion)
	if err := checkGroups(group, k, g); err != nil {
		return nil, err
	}
	out := &Calibration{Confusion: make([][]float64, g)}
	for a := range g {
		out.Confusion[a] = make([]float64, g)
	}
	rows := c.rowTotals()
	for t := range k {
		for p := range k {
			out.Confusion[group[t]][group[p]] += c.Confusion[t][p]
		}
	}
	if c.MeanPosterior != nil {
		out.MeanPosterior = make([][]float64, g)
		n := make([]float64, g)
		for a := range g {
			out.MeanPosterior[a] = make([]float64, g)
		}
		for t := range k {
			n[group[t]] += rows[t]
			for j := range k {
				out.MeanPosterior[group[t]][group[j]] += rows[t] * c.MeanPosterior[t][j]
			}
		}
		for a := range g {
			if n[a] > 0 {
				for b := range g {
					out.MeanPosterior[a][b] /= n[a]
				}
			}
		}
	}
	return out, nil
}

// Group returns the sample over g groups of classes (see
// [Calibration.Group]): counts and posteriors summed by group.
func (s Sample) Group(group []int, g int) (Sample, error) {
	k := len(s.Counts)
	if err := checkGroups(group, k, g); err != nil {
		return Sample{}, err
	}
	sum := func(v []float64) []float64 {
		if v == nil {
			return nil
		}
		out := make([]float64, g)
		for c, x := range v {
			out[group[c]] += x
		}
		return out
	}
	out := Sample{Counts: sum(s.Counts), SumSquares: s.SumSquares, PosteriorSums: sum(s.PosteriorSums), Weights: s.Weights}
	for _, p := range s.Posteriors {
		out.Posteriors = append(out.Posteriors, sum(p))
	}
	return out, nil
}

func checkGroups(group []int, k, g int) error {
	if len(group) != k {
		return fmt.Errorf("group: %d group indices for %d classes", len(group), k)
	}
	for c, a := range group {
		if a < 0 || a >= g {
			return fmt.Errorf("group: class %d in group %d of %d", c, a, g)
		}
	}
	return nil
}
