package training

import (
	"math"
	"strconv"
)

// minCalibrationDocs is the fewest held-out predictions a temperature is
// fitted on; with fewer, one document decides it and the model is left as
// it is.
const minCalibrationDocs = 20

// temperatureGrid spans the temperatures [CalibrateTemperature] tries: 1
// (the model as it is), then 0.1·1.1^k from about 1.08 to about 1000.
// Naive Bayes is overconfident, so the fit only ever softens.
func temperatureGrid() []float64 {
	g := []float64{1}
	for t := 0.1; t < 1100; t *= 1.1 {
		if t > 1 {
			g = append(g, t)
		}
	}
	return g
}

// CalibrateTemperature fits the temperature of cfg's model (see
// classify.Options.Temperature) on held-out predictions: every document is
// scored by a model trained without it (the folds of [PlanFolds] for 10
// folds, leave-one-out on tiny data), and the temperature that minimises
// the mean negative log-likelihood of the documents' primary labels wins.
// Labels do not change; the probabilities then say how often the model is
// right. The result is rounded to three significant digits; 0 means no
// scaling (fewer than two classes, fewer than 20 labeled documents, or a
// model that is not overconfident).
func CalibrateTemperature(docs []Doc, cfg Config) (float64, error) {
	cfg.Options.Temperature = 0
	folds := PlanFolds(docs, DefaultFolds, cfg.Seed)
	m := newModel(docs, cfg)
	classes := m.Classes()
	if len(classes) < 2 || len(docs) < 2 {
		return 0, nil
	}
	idx := make(map[string]int, len(classes))
	for i, c := range classes {
		idx[c] = i
	}
	for _, d := range docs {
		learnDoc(m, d, cfg, false)
	}
	nc := len(classes)
	logp := make([]float64, 0, len(docs)*nc) // held-out log-posteriors, doc-major
	gold := make([]int, 0, len(docs))
	var post []float64
	for _, fold := range folds {
		for _, i := range fold {
			learnDoc(m, docs[i], cfg, true)
		}
		for _, i := range fold {
			g, ok := idx[docs[i].Label()]
			if !ok {
				continue
			}
			post = m.Posteriors(docs[i].Text, post)
			for _, p := range post {
				logp = append(logp, math.Log(p))
			}
			gold = append(gold, g)
		}
		for _, i := range fold {
			learnDoc(m, docs[i], cfg, false)
		}
	}
	if len(gold) < minCalibrationDocs {
		return 0, nil
	}
	best, bestNLL := 0.0, math.Inf(1)
	for _, t := range temperatureGrid() {
		if nll := meanNLL(logp, gold, nc, 1/t); nll < bestNLL-1e-12 {
			best, bestNLL = t, nll
		}
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(best, 'g', 3, 64), 64)
	if err != nil {
		return 0, err
	}
	if r == 1 {
		return 0, nil
	}
	return r, nil
}

// meanNLL is the mean negative log-likelihood of the gold classes when the
// log-posteriors are multiplied by inv and renormalised. Log-posteriors of
// -Inf (a class the model rules out) stay ruled out.
func meanNLL(logp []float64, gold []int, nc int, inv float64) float64 {
	var sum float64
	for k, g := range gold {
		row := logp[k*nc : k*nc+nc]
		mx := math.Inf(-1)
		for _, v := range row {
			mx = max(mx, v*inv)
		}
		var z float64
		for _, v := range row {
			z += math.Exp(v*inv - mx)
		}
		lg := row[g]*inv - mx - math.Log(z)
		if math.IsInf(lg, -1) || math.IsNaN(lg) {
			lg = -50 // a gold class the model ruled out: a large, finite penalty
		}
		sum -= lg
	}
	return sum / float64(len(gold))
}
