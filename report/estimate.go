package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stance-dev/stance/quantify"
)

// Estimates lists the methods of Options.Estimate, the default first. pcc,
// pacc and sld need each comment's posterior over the classes (the scorer
// must set classify.Scorer.Posteriors, see [NeedsPosteriors]); pcc and
// pacc sum them as they stream, sld keeps them, one small vector per
// placed comment.
var Estimates = []string{string(quantify.Bayes), string(quantify.ACC), string(quantify.CC),
	string(quantify.PCC), string(quantify.PACC), string(quantify.SLD)}

// NeedsPosteriors reports whether the estimate method needs each
// comment's posterior over the classes.
func NeedsPosteriors(method string) bool {
	switch quantify.Method(method) {
	case quantify.PCC, quantify.PACC, quantify.SLD:
		return true
	}
	return false
}

// Estimation describes how a table's shares were estimated, for captions.
type Estimation struct {
	// Method is the estimator: "bayes", "acc" or "cc".
	Method string
	// Adjusted is true when the shares account for the model's held-out
	// errors (false for cc, or a model without held-out statistics).
	Adjusted bool
	// Note says why the method differs from the one asked for, if it does.
	Note string
	// Threshold is the model's abstain threshold: comments whose top
	// probability is below it are unclear (0: every comment is placed).
	Threshold float64
	// Unclear is the number (weight) of unclear comments, left out of the
	// estimated shares.
	Unclear float64
	// Draws is the number of posterior draws (bayes) or bootstrap
	// replicates (acc); 0 for cc.
	Draws int
}

// Describe returns the estimation in words, for captions.
func (e Estimation) Describe() string {
	var s string
	switch {
	case e.Method == string(quantify.PCC):
		s = "Shares: mean posterior (pcc), not adjusted for the classifier's errors"
	case !e.Adjusted && e.Method != string(quantify.CC):
		s = "Shares: none, no comment was placed"
	case e.Method == string(quantify.PACC):
		s = fmt.Sprintf("Shares: probabilistic adjusted count over the model's held-out posteriors (pacc, %d bootstrap replicates)", e.Draws)
	case e.Method == string(quantify.SLD):
		s = fmt.Sprintf("Shares: EM prior adjustment of the posteriors (sld, %d bootstrap replicates)", e.Draws)
	case e.Method == string(quantify.Bayes):
		s = fmt.Sprintf("Shares: Bayesian estimate over the model's held-out confusion (bayes, %d draws), 95%% credible intervals", e.Draws)
	case e.Method == string(quantify.ACC):
		s = fmt.Sprintf("Shares: adjusted count over the model's held-out confusion (acc, %d bootstrap replicates)", e.Draws)
	default:
		s = "Shares: as labeled (cc), not adjusted for the classifier's errors"
	}
	if e.Threshold > 0 {
		s += fmt.Sprintf("; %s comments unclear (top P below %.2f), not placed", formatCount(e.Unclear), e.Threshold)
	}
	if e.Note != "" {
		s += " (" + e.Note + ")"
	}
	return s + "."
}

// estimateMethod returns the method to use: the one asked for, or bayes
// when the model has held-out statistics and cc otherwise.
func (a *Aggregator) estimateMethod() (method string, note string) {
	m := a.opt.Estimate
	adjustable := a.model.Heldout != nil
	switch {
	case m == "" && adjustable:
		return string(quantify.Bayes), ""
	case m == "":
		return string(quantify.CC), "the model has no held-out statistics to adjust with"
	case m != string(quantify.CC) && !adjustable:
		return string(quantify.CC), "the model has no held-out statistics: " + m + " is not possible"
	}
	return m, ""
}

// labeled reports whether the shares are the labels' own (cc), so that
// they keep the sampling interval of plain counts and the Labeled column
// says nothing more.
func (e *estimator) labeled() bool { return e.est.Method == string(quantify.CC) }

// estimator estimates the shares of cells (the placed comments of each
// argument, or of each stance) from their counts.
type estimator struct {
	est    Estimation
	share  []float64 // per cell; NaN when not estimated
	ci     []Interval
	placed float64
}

// estimate estimates the shares of the n cells whose counts are rows;
// classOf maps a model class index to its cell (several classes may share
// a cell, as the arguments of one stance do); cells the model's classes
// do not cover make the estimate fall back to cc.
func (a *Aggregator) estimate(rows []agg, classOf []int) estimator {
	method, note := a.estimateMethod()
	e := estimator{est: Estimation{Method: method, Note: note, Unclear: a.unclear.count}}
	if h := a.model.Heldout; h != nil {
		e.est.Threshold = h.Unclear
	}
	n := len(rows)
	counts := make([]float64, n)
	var sq float64
	for k := range rows {
		counts[k] = rows[k].count
		e.placed += rows[k].count
		sq += rows[k].sq
	}
	e.share = make([]float64, n)
	e.ci = make([]Interval, n)
	for k := range e.share {
		e.share[k] = share(counts[k], e.placed)
		e.ci[k] = undefined
	}
	if !(e.placed > 0) {
		return e
	}
	sample := quantify.Sample{Counts: counts}
	if a.opt.weighted() {
		sample.SumSquares = sq
	}
	if NeedsPosteriors(method) {
		sample.PosteriorSums = foldVector(a.post, classOf, n)
		for i, p := range a.items {
			sample.Posteriors = append(sample.Posteriors, foldVector(p, classOf, n))
			if a.opt.weighted() {
				sample.Weights = append(sample.Weights, a.itemW[i])
			}
		}
	}
	var cal *quantify.Calibration
	if method != string(quantify.CC) {
		covered := make([]bool, n)
		for _, c := range classOf {
			if c >= 0 {
				covered[c] = true
			}
		}
		for k := range counts {
			if !covered[k] && countKey(counts[k]) > 0 {
				method = string(quantify.CC)
				e.est.Method, e.est.Note = method, "some labels are not classes of the model"
			}
		}
		if method != string(quantify.CC) {
			cal = cellCalibration(a.model.Heldout.Placed, a.model.Heldout.MeanPosterior, classOf, n)
		}
	}
	opt := quantify.Options{Seed: uint64(a.opt.Seed)}
	r, err := quantify.Estimate(quantify.Method(method), cal, sample, opt)
	if err != nil && method != string(quantify.CC) {
		e.est.Method, e.est.Note = string(quantify.CC), err.Error()
		r, err = quantify.Estimate(quantify.CC, nil, sample, opt)
	}
	if err != nil {
		return e
	}
	e.est.Adjusted = e.est.Method != string(quantify.CC) && e.est.Method != string(quantify.PCC)
	if e.est.Adjusted {
		e.est.Draws = r.Draws
	}
	for k := range n {
		e.share[k] = r.Share[k]
		e.ci[k] = Interval{Low: r.Low[k], High: r.High[k]}
	}
	return e
}

// cellCalibration folds a confusion matrix over model classes into one over
// cells: Confusion[t][p] adds into [classOf[t]][classOf[p]]. The mean
// posteriors fold likewise: a cell's row is the mean over its classes'
// held-out documents, its column the sum over its classes.
func cellCalibration(confusion [][]int, meanPosterior [][]float64, classOf []int, n int) *quantify.Calibration {
	m := make([][]int, n)
	for i := range m {
		m[i] = make([]int, n)
	}
	docs := make([]float64, len(confusion)) // held-out documents of each true class
	for t, row := range confusion {
		for p, x := range row {
			docs[t] += float64(x)
			if t < len(classOf) && p < len(classOf) && classOf[t] >= 0 && classOf[p] >= 0 {
				m[classOf[t]][classOf[p]] += x
			}
		}
	}
	var mp [][]float64
	if meanPosterior != nil {
		mp = make([][]float64, n)
		weight := make([]float64, n)
		for i := range mp {
			mp[i] = make([]float64, n)
		}
		for t, row := range meanPosterior {
			if t >= len(classOf) || classOf[t] < 0 || docs[t] == 0 {
				continue
			}
			T := classOf[t]
			weight[T] += docs[t]
			for c, x := range row {
				if c < len(classOf) && classOf[c] >= 0 {
					mp[T][classOf[c]] += docs[t] * x
				}
			}
		}
		for T := range mp {
			for C := range mp[T] {
				if weight[T] > 0 {
					mp[T][C] /= weight[T]
				}
			}
		}
	}
	return quantify.FromCounts(m, mp)
}

// foldVector sums a vector over model classes into one over cells.
func foldVector(v []float64, classOf []int, n int) []float64 {
	out := make([]float64, n)
	for c, x := range v {
		if c < len(classOf) && classOf[c] >= 0 {
			out[classOf[c]] += x
		}
	}
	return out
}

// argClassOf maps each model class to its argument cell (-1 when the
// taxonomy lacks it).
func (a *Aggregator) argClassOf() []int {
	out := make([]int, len(a.model.Classes))
	for i, c := range a.model.Classes {
		if k, ok := a.argIndex[c]; ok {
			out[i] = k
		} else {
			out[i] = -1
		}
	}
	return out
}

// stanceClassOf maps each model class to its stance cell.
func (a *Aggregator) stanceClassOf() []int {
	out := a.argClassOf()
	for i, k := range out {
		if k < 0 {
			continue
		}
		s := a.stanceOfArg(k)
		if j, ok := a.stIndex[s]; ok {
			out[i] = j
		} else {
			out[i] = -1
		}
	}
	return out
}

// isUnclear reports whether a comment's top probability is below the
// model's abstain threshold.
func (a *Aggregator) isUnclear(p float64) bool {
	h := a.model.Heldout
	return h != nil && h.Unclear > 0 && p < h.Unclear
}

// unclearName is the unclear row's name.
func (a *Aggregator) unclearName() string {
	return fmt.Sprintf("Unclear (P < %.2f)", a.model.Heldout.Unclear)
}

// validEstimate checks Options.Estimate.
func validEstimate(m string) error {
	if m == "" || slices.Contains(Estimates, m) {
		return nil
	}
	if _, err := quantify.ParseMethod(m); err == nil {
		return fmt.Errorf("report: --estimate %s needs each comment's posteriors, which tables do not keep: use one of {%s}", m, strings.Join(Estimates, "|"))
	}
	return fmt.Errorf("report: unknown estimate %q: valid values are {%s}", m, strings.Join(Estimates, "|"))
}
