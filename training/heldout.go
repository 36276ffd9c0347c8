package training

import (
	"math"
	"slices"

	"github.com/stance-dev/stance/classify"
)

// UnclearCost is the cost of calling a text unclear, relative to labeling
// it wrongly (cost 1) and rightly (cost 0), with which [ChooseUnclear]
// picks the abstain threshold. At 0.5 a text is unclear when the model is
// more likely wrong than right about it (Chow's rule, 1970).
const UnclearCost = 0.5

// ChooseUnclear picks the abstain threshold on held-out predictions: the
// threshold t that minimises the empirical risk
//
//	#{placed and wrong} + UnclearCost · #{unclear}
//
// where a document is unclear when its top probability p is below t. This
// is Chow's optimal reject rule (reject when P(right) < 1 - cost) applied
// to the held-out data rather than trusted to the calibration. t lies
// halfway between the highest unclear and the lowest placed p (rounded to
// 3 decimals); ties go to the lower threshold. It returns 0 (place
// everything) with fewer than [minCalibrationDocs] predictions.
func ChooseUnclear(topP []float64, right []bool) float64 {
	n := len(topP)
	if n < minCalibrationDocs || len(right) != n {
		return 0
	}
	ord := make([]int, n)
	for i := range ord {
		ord[i] = i
	}
	slices.SortStableFunc(ord, func(a, b int) int {
		switch {
		case topP[a] < topP[b]:
			return -1
		case topP[a] > topP[b]:
			return 1
		}
		return 0
	})
	risk := 0.0
	for _, r := range right {
		if !r {
			risk++
		}
	}
	best, bestK := risk, 0
	for k := 1; k <= n; k++ {
		i := ord[k-1]
		if right[i] {
			risk += UnclearCost
		} else {
			risk += UnclearCost - 1
		}
		if k < n && topP[ord[k]] == topP[i] {
			continue // no threshold between equal probabilities
		}
		if risk < best-1e-9 {
			best, bestK = risk, k
		}
	}
	if bestK == 0 {
		return 0
	}
	lo := topP[ord[bestK-1]]
	hi := 1.0
	if bestK < n {
		hi = topP[ord[bestK]]
	}
	t := math.Round((lo+hi)/2*1000) / 1000
	if t <= lo { // rounding must not place the highest unclear document
		t = math.Nextafter(lo, 2)
	}
	return min(t, 1)
}

// predictions returns the held-out posteriors at temperature temp
// (doc-major), the labels the model gives (with its abstain fall-back)
// and the top probabilities.
func (r *heldoutRun) predictions(temp, abstain float64, fallback int) (post []float64, pred []int, topP []float64) {
	nc, n := r.nc, len(r.gold)
	inv := 1.0
	if temp > 0 {
		inv = 1 / temp
	}
	post = make([]float64, n*nc)
	pred = make([]int, n)
	topP = make([]float64, n)
	for k := range n {
		row := r.logp[k*nc : k*nc+nc]
		p := post[k*nc : k*nc+nc]
		mx := math.Inf(-1)
		for _, v := range row {
			mx = max(mx, v*inv)
		}
		var z float64
		for c, v := range row {
			p[c] = math.Exp(v*inv - mx)
			z += p[c]
		}
		top := 0
		for c := range p {
			p[c] /= z
			if p[c] > p[top] {
				top = c
			}
		}
		topP[k] = p[top]
		if abstain > 0 && p[top] < abstain && fallback >= 0 {
			top = fallback
		}
		pred[k] = top
	}
	return post, pred, topP
}

// heldoutStats summarises the held-out predictions at temperature temp
// (0: none). abstain and fallback (a class index, -1 for none) reproduce
// the model's own fall-back labeling, so that the confusion counts are of
// the labels the model gives.
func heldoutStats(r *heldoutRun, temp, abstain float64, fallback int) *classify.Heldout {
	nc, n := r.nc, len(r.gold)
	post, pred, topP := r.predictions(temp, abstain, fallback)
	right := make([]bool, n)
	for k := range n {
		right[k] = pred[k] == r.gold[k]
	}
	h := &classify.Heldout{
		Documents: n,
		Folds:     r.folds,
		Unclear:   ChooseUnclear(topP, right),
	}
	h.Confusion = make([][]int, nc)
	h.Placed = make([][]int, nc)
	h.MeanPosterior = make([][]float64, nc)
	for c := range nc {
		h.Confusion[c] = make([]int, nc)
		h.Placed[c] = make([]int, nc)
		h.MeanPosterior[c] = make([]float64, nc)
	}
	h.Classes = make([]classify.ClassHeldout, nc)
	for c := range h.Classes {
		h.Classes[c].TopPHist = make([]int, classify.TopPBins)
	}
	placedOf := make([]int, nc)
	var sumTop float64
	for k := range n {
		g, p := r.gold[k], pred[k]
		h.Confusion[g][p]++
		sumTop += topP[k]
		ch := &h.Classes[p]
		ch.Predicted++
		ch.MeanTopP += topP[k]
		if right[k] {
			ch.Precision++
		}
		ch.TopPHist[min(int(topP[k]*classify.TopPBins), classify.TopPBins-1)]++
		if topP[k] >= h.Unclear {
			h.Placed[g][p]++
			placedOf[g]++
			for c, v := range post[k*nc : k*nc+nc] {
				h.MeanPosterior[g][c] += v
			}
		}
	}
	for c := range nc {
		if ch := &h.Classes[c]; ch.Predicted > 0 {
			ch.MeanTopP = round(ch.MeanTopP / float64(ch.Predicted))
			ch.Precision = round(ch.Precision / float64(ch.Predicted))
		}
		if placedOf[c] > 0 {
			for j := range h.MeanPosterior[c] {
				h.MeanPosterior[c][j] = round(h.MeanPosterior[c][j] / float64(placedOf[c]))
			}
		}
	}
	if n > 0 {
		h.MeanTopP = round(sumTop / float64(n))
	}
	var oov []float64
	for _, v := range r.oov {
		if v >= 0 {
			oov = append(oov, v)
		}
	}
	if len(oov) > 0 {
		var s float64
		for _, v := range oov {
			s += v
		}
		h.MeanOOV = round(s / float64(len(oov)))
		slices.Sort(oov)
		h.OOV90 = round(oov[min(len(oov)-1, int(math.Ceil(0.9*float64(len(oov))))-1)])
	}
	return h
}
