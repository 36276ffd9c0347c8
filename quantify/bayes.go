package quantify

import (
	"math"
	"slices"
)

// cutSteps is the number of data-augmentation steps for π after each
// fresh draw of C in the cut model.
const cutSteps = 3

// rowPrior is the concentration of the symmetric Dirichlet prior on each
// confusion row, per cell.
const rowPrior = 0.5

// bayes samples the posterior of the shares π under
//
//	π ~ Dirichlet(Prior·1)
//	C_t ~ Dirichlet(rowPrior·1 + d_t·F_t)       (held-out counts F_t, discounted)
//	observed label counts y ~ Multinomial(n, Cᵀπ)
//
// by Gibbs sampling with data augmentation (Ziegler and Czyż 2024): given
// π and C, the y_p items labeled p are allocated to true classes by a
// multinomial with probabilities ∝ π_t C_tp; given the allocation z,
// π ~ Dirichlet(Prior + Σ_p z_tp). d_t = min(1, RowCap/n_t) discounts a
// row with n_t > RowCap items to RowCap: the held-out confusion is not the
// confusion on new data, and treating it as known up to multinomial noise
// gives intervals that are far too narrow (the overdispersion is
// measured, see the package doc).
//
// By default the model is cut (Plummer 2015): C is drawn from its
// held-out posterior alone, then π, restarted at the adjusted count under
// that C, is updated given C by cutSteps augmentation steps; the observed
// labels do not feed back into C. With
// Options.Joint the full joint posterior is sampled instead, C_t ~
// Dirichlet(rowPrior + d_t·F_t + z_t·); there the observed labels, which
// only identify Cᵀπ, pull C toward whatever explains them, and the chain
// moves slowly along that ridge when the sample is much larger than the
// held-out data.
func bayes(cal *Calibration, s Sample, neff float64, opt Options) (*Result, error) {
	if cal == nil || cal.Confusion == nil {
		return nil, ErrNoCalibration
	}
	k := len(s.Counts)
	sum, _ := s.total()
	y := make([]int, k)
	for p, v := range s.Counts {
		if sum > 0 {
			y[p] = int(math.Round(v * neff / sum))
		}
	}
	capN := opt.RowCap
	if capN == 0 {
		capN = DefaultRowCap
	}
	rows := cal.rowTotals()
	F := make([][]float64, k)
	for t := range k {
		d := 1.0
		if capN > 0 && rows[t] > capN {
			d = capN / rows[t]
		}
		F[t] = make([]float64, k)
		for p := range k {
			F[t][p] = rowPrior + d*cal.Confusion[t][p]
		}
	}
	prior := opt.Prior
	if !(prior > 0) {
		prior = 1
	}
	draws, burn := opt.Draws, opt.Burn
	if draws <= 0 {
		draws = 500
	}
	if burn <= 0 {
		burn = 100
	}
	g := newRNG(opt.Seed, 6)
	C := adjustRows(F)
	// Start at the adjusted count: the chain then needs little burn-in.
	q := normalize(s.Counts)
	pi := simplexLS(C, q, nil)
	for t := range pi {
		pi[t] = 0.9*pi[t] + 0.1/float64(k) // away from the boundary
	}
	z := make([][]int, k) // z[p][t]: items labeled p allocated to true t
	for p := range z {
		z[p] = make([]int, k)
	}
	probs := make([]float64, k)
	alpha := make([]float64, k)
	inner := 1
	if !opt.Joint {
		inner = cutSteps
	}
	trace := make([][]float64, 0, draws)
	for it := 0; it < burn+draws; it++ {
		if !opt.Joint {
			// The cut model: C from the held-out counts alone, and π
			// restarted near its conditional posterior given C (the
			// adjusted count under C), so that a few augmentation steps
			// reach it instead of lagging behind the previous C.
			for t := range k {
				g.dirichlet(F[t], C[t])
			}
			start := simplexLS(C, q, pi)
			for t := range pi {
				pi[t] = 0.99*start[t] + 0.01/float64(k)
			}
		}
		for range inner {
			for p := range k {
				for t := range k {
					probs[t] = pi[t] * C[t][p]
				}
				g.multinomial(y[p], probs, z[p])
			}
			for t := range k {
				alpha[t] = prior
				for p := range k {
					alpha[t] += float64(z[p][t])
				}
			}
			g.dirichlet(alpha, pi)
		}
		if opt.Joint {
			for t := range k {
				for p := range k {
					alpha[p] = F[t][p] + float64(z[p][t])
				}
				g.dirichlet(alpha, C[t])
			}
		}
		if it >= burn {
			trace = append(trace, slices.Clone(pi))
		}
	}
	r := &Result{Share: make([]float64, k), N: neff}
	for _, d := range trace {
		for t, v := range d {
			r.Share[t] += v
		}
	}
	for t := range r.Share {
		r.Share[t] /= float64(len(trace))
	}
	r.Low, r.High = percentiles(trace, k, opt.level())
	r.Draws = len(trace)
	widen(r)
	return r, nil
}
