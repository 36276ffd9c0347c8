package classify

import "math"

// adjustScores applies the scoring options [Options.Interpolation] and
// [Options.FlatPrior] to the weights w and class biases of a multinomial
// model whose smoothed log-probabilities w_tc = log θ_tc are built from the
// effective counts eff (term-major) with the class totals ntot. Complement
// models are left alone.
func adjustScores(opt Options, dn []int64, eff, ntot, w, bias []float64, nc int, av float64) {
	if opt.Complement {
		return
	}
	if b := opt.Interpolation; b > 0 && b < 1 {
		var all float64
		for _, x := range ntot {
			all += x
		}
		lden := math.Log(all + av)
		for t, n := range dn {
			if n <= 0 {
				continue
			}
			row := eff[t*nc : t*nc+nc]
			var nt float64
			for _, v := range row {
				nt += v
			}
			pooled := (1 - b) * math.Exp(math.Log(nt+opt.Alpha)-lden)
			wr := w[t*nc : t*nc+nc]
			for c := range wr {
				wr[c] = math.Log(b*math.Exp(wr[c]) + pooled)
			}
		}
	}
	if f := opt.FlatPrior; f > 0 {
		for c, v := range bias {
			if !math.IsInf(v, 0) {
				bias[c] = (1 - f) * v
			}
		}
	}
}
