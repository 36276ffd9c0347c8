package quantify

import (
	"math"
	"slices"
)

// projectSimplex replaces v by its Euclidean projection onto the
// probability simplex (Duchi et al. 2008).
func projectSimplex(v []float64) {
	u := slices.Clone(v)
	slices.Sort(u)
	slices.Reverse(u)
	var cum, theta float64
	for j, x := range u {
		cum += x
		if t := (cum - 1) / float64(j+1); x-t > 0 {
			theta = t
		}
	}
	for i := range v {
		v[i] = max(v[i]-theta, 0)
	}
}

// simplexLS returns the π on the probability simplex that minimises
// ‖Mᵀπ − q‖², where M[t] is the row of true class t (the expected
// observed distribution of an item of class t): the adjusted count of
// Forman (2008), constrained to valid shares. It runs accelerated
// projected gradient descent (FISTA) from start (or uniform).
func simplexLS(M [][]float64, q, start []float64) []float64 {
	k := len(q)
	L := spectral(M)
	x := make([]float64, k)
	if start != nil {
		copy(x, start)
		projectSimplex(x)
	} else {
		for i := range x {
			x[i] = 1 / float64(k)
		}
	}
	if L == 0 {
		return x
	}
	y := slices.Clone(x)
	prev := slices.Clone(x)
	r := make([]float64, k)
	grad := make([]float64, k)
	t := 1.0
	for it := 0; it < 2000; it++ {
		// r = Mᵀy − q; grad = M r
		for p := range k {
			var s float64
			for c := range k {
				s += M[c][p] * y[c]
			}
			r[p] = s - q[p]
		}
		for c := range k {
			var s float64
			for p := range k {
				s += M[c][p] * r[p]
			}
			grad[c] = s
		}
		copy(prev, x)
		for c := range k {
			x[c] = y[c] - grad[c]/L
		}
		projectSimplex(x)
		// Adaptive restart (O'Donoghue and Candès 2015): drop the momentum
		// when it points uphill.
		var dot float64
		for c := range k {
			dot += (y[c] - x[c]) * (x[c] - prev[c])
		}
		if dot > 0 {
			t = 1
		}
		tn := (1 + math.Sqrt(1+4*t*t)) / 2
		var moved float64
		for c := range k {
			y[c] = x[c] + (t-1)/tn*(x[c]-prev[c])
			moved = max(moved, math.Abs(x[c]-prev[c]))
		}
		t = tn
		if moved < 1e-9 {
			break
		}
	}
	return x
}

// spectral returns an upper bound, tight to a few percent, of the largest
// eigenvalue of MMᵀ (the Lipschitz constant of the least-squares
// gradient): 30 power iterations, times 1.05; the Frobenius norm² (always
// an upper bound) if that is smaller.
func spectral(M [][]float64) float64 {
	k := len(M)
	var frob float64
	for _, row := range M {
		for _, v := range row {
			frob += v * v
		}
	}
	if frob == 0 {
		return 0
	}
	v := make([]float64, k)
	for i := range v {
		v[i] = 1
	}
	u := make([]float64, k)
	w := make([]float64, k)
	var lambda float64
	for range 30 {
		// w = M Mᵀ v
		for p := range k {
			var s float64
			for c := range k {
				s += M[c][p] * v[c]
			}
			u[p] = s
		}
		var norm float64
		for c := range k {
			var s float64
			for p := range k {
				s += M[c][p] * u[p]
			}
			w[c] = s
			norm += s * s
		}
		norm = math.Sqrt(norm)
		if norm == 0 {
			return frob
		}
		var vn float64
		for c := range k {
			vn += v[c] * v[c]
		}
		lambda = norm / math.Sqrt(vn)
		for c := range k {
			v[c] = w[c] / norm
		}
	}
	return min(lambda*1.05, frob)
}
