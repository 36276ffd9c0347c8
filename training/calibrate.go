package training

import (
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"

	"github.com/stance-dev/stance/classify"
)

// minCalibrationDocs is the fewest held-out predictions a temperature is
// fitted on; with fewer, one document decides it and the model is left as
// it is.
const minCalibrationDocs = 20

// temperatureGrid spans the temperatures [CalibrateTemperature] tries
// from 1 (the model as it is) up: 1, then 0.1·1.1^k from about 1.08 to
// about 1000. Naive Bayes is overconfident, so its fit softens; the
// margins of a refined model (an SVM's) are not, and their fit may
// sharpen, below 1 ([temperaturesBelow]).
func temperatureGrid() []float64 {
	g := []float64{1}
	for t := 0.1; t < 1100; t *= 1.1 {
		if t > 1 {
			g = append(g, t)
		}
	}
	return g
}

// temperaturesBelow spans the temperatures below 1 that
// [CalibrateTemperature] may pick: 1.1^-k from about 0.91 down to about
// 0.01, sharpening the posteriors.
func temperaturesBelow() []float64 {
	var g []float64
	for t := 1 / 1.1; t > 0.01; t /= 1.1 {
		g = append(g, t)
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
	t, _, err := calibrate(docs, cfg)
	return t, err
}

// heldoutRun is the held-out predictions of calibration: per document
// scored, its log-posteriors (at temperature 1), its gold class and its
// out-of-vocabulary rate against the fold's model (-1 without tokens).
type heldoutRun struct {
	classes []string
	nc      int
	folds   int
	logp    []float64 // doc-major
	gold    []int
	oov     []float64
	fold    []int // the fold each prediction was held out in
}

// heldoutPredictions scores every document with a model trained without
// it: the one cross-validation pass that both the temperature and the
// held-out statistics come from. It returns nil for fewer than two
// classes or documents.
func heldoutPredictions(docs []Doc, cfg Config) *heldoutRun {
	return heldoutFolds(docs, cfg, PlanFolds(docs, DefaultFolds, cfg.Seed))
}

// heldoutFolds is heldoutPredictions with the given folds.
func heldoutFolds(docs []Doc, cfg Config, folds [][]int) *heldoutRun {
	return heldoutFoldsFrom(nil, nil, docs, cfg, folds)
}

// heldoutFoldsFrom is heldoutFolds starting from trained, the model
// trained on docs as heldoutFolds would train it (newModel, then learnDoc
// of every document in order, then refineAll giving ex; nil: train it):
// a copy of it is unlearned and learned back fold by fold, so that the
// documents are not counted, nor the model refined on all of them, again.
func heldoutFoldsFrom(trained *classify.Model, ex *classify.Examples, docs []Doc, cfg Config, folds [][]int) *heldoutRun {
	cfg.Options.Temperature = 0
	var m *classify.Model
	if trained != nil {
		m = trained
	} else {
		m = newModel(docs, cfg)
	}
	classes := m.Classes()
	if len(classes) < 2 || len(docs) < 2 {
		return nil
	}
	idx := make(map[string]int, len(classes))
	for i, c := range classes {
		idx[c] = i
	}
	if trained == nil {
		learnDocs(m, docs, cfg)
		// The refinement on all the documents, from whose solution the
		// folds' start (as a stream's calibration starts from the model's).
		ex = refineAll(m, docs, cfg)
	}
	// A copy to unlearn, with its terms in term order when no refinement's
	// examples need their ids: the tables of every fold are built from it.
	switch {
	case ex == nil && trained != nil:
		m = m.SortedClone()
	case ex == nil:
		m.SortTerms() // our own
	case trained != nil:
		m = m.Clone()
	}
	m.Options.Temperature = 0
	m.ReuseTables() // one set of scoring tables for every fold
	nc := len(classes)
	r := &heldoutRun{classes: classes, nc: nc, folds: len(folds)}
	r.logp = make([]float64, 0, len(docs)*nc)
	r.gold = make([]int, 0, len(docs))
	r.oov = make([]float64, 0, len(docs))
	var skip []bool
	if ex != nil {
		skip = make([]bool, len(docs))
	}
	// Each fold's documents are tokenized once, on every core, against
	// the model, which knows all their terms (classify.HeldoutPreparer):
	// unlearned, scored by the model without them and learned back from
	// what that gives, as Unlearn, Posteriors, OOV and Learn would from
	// their texts, bit for bit, without tokenizing them three times more.
	fp := newFoldPrep(m, cfg)
	workers := len(fp.preps)
	logp := make([]float64, 0, nc)
	oov := []float64{}
	for fi, fold := range folds {
		fp.prepare(docs, fold)
		fp.count(m, docs, fold, true)
		if skip != nil {
			clear(skip)
			for _, i := range fold {
				skip[i] = true
			}
			refine(m, ex, skip, cfg, runtime.GOMAXPROCS(0)) // one fold at a time
		}
		m.Finalize() // the fold model's tables, before they are shared
		logp = slices.Grow(logp[:0], len(fold)*nc)[:len(fold)*nc]
		oov = slices.Grow(oov[:0], len(fold))[:len(fold)]
		post := make([][]float64, workers)
		onCores(workers, len(fold), func(w, j int) {
			var unknown, total int
			post[w], unknown, total = m.HeldoutDoc(&fp.hd[j], post[w])
			for c, p := range post[w] {
				logp[j*nc+c] = math.Log(p)
			}
			oov[j] = -1
			if total > 0 {
				oov[j] = float64(unknown) / float64(total)
			}
		})
		for j, i := range fold {
			g, ok := idx[docs[i].Label()]
			if !ok {
				continue
			}
			r.logp = append(r.logp, logp[j*nc:j*nc+nc]...)
			r.gold = append(r.gold, g)
			r.oov = append(r.oov, oov[j])
			r.fold = append(r.fold, fi)
		}
		fp.count(m, docs, fold, false)
	}
	return r
}

// foldPrep prepares one fold's documents at a time against a model that
// knows all their terms, on every core, and counts them from that (see
// heldoutFoldsFrom).
type foldPrep struct {
	preps []*classify.HeldoutPreparer // one a core
	hd    []classify.HeldoutDoc       // the fold's documents, in its order
	sw    float64
}

func newFoldPrep(m *classify.Model, cfg Config) *foldPrep {
	fp := &foldPrep{preps: make([]*classify.HeldoutPreparer, max(1, runtime.GOMAXPROCS(0))), sw: cfg.secondaryWeight()}
	for w := range fp.preps {
		fp.preps[w] = m.NewHeldoutPreparer()
	}
	return fp
}

// prepare prepares the documents of fold.
func (fp *foldPrep) prepare(docs []Doc, fold []int) {
	fp.hd = slices.Grow(fp.hd[:0], len(fold))[:len(fold)]
	onCores(len(fp.preps), len(fold), func(w, j int) { fp.preps[w].Prepare(docs[fold[j]].Text, &fp.hd[j]) })
}

// count learns (or with remove unlearns) the prepared documents of fold
// in its order, as learnDoc would from their texts.
func (fp *foldPrep) count(m *classify.Model, docs []Doc, fold []int, remove bool) {
	upd := m.LearnHeldout
	if remove {
		upd = m.UnlearnHeldout
	}
	for j, i := range fold {
		countDoc(docs[i], fp.sw, func(labels []string, w float64) error {
			upd(&fp.hd[j], labels, w)
			return nil
		})
	}
}

// onCores calls f(w, j) for j from 0 to n-1 on workers goroutines, the
// j-th on goroutine j mod workers (w), and returns when all are done.
func onCores(workers, n int, f func(w, j int)) {
	if workers <= 1 || n < 2*workers {
		for j := range n {
			f(0, j)
		}
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for j := w; j < n; j += workers {
				f(w, j)
			}
		})
	}
	wg.Wait()
}

// calibrate runs the held-out predictions once and returns the fitted
// temperature (as [CalibrateTemperature]) and the held-out statistics of
// the model at that temperature (nil when there are no held-out
// predictions).
func calibrate(docs []Doc, cfg Config) (float64, *classify.Heldout, error) {
	return calibrateRun(heldoutPredictions(docs, cfg), cfg)
}

// calibrateRun fits the temperature on the held-out predictions r (nil:
// none) and returns it with the held-out statistics at that temperature.
func calibrateRun(r *heldoutRun, cfg Config) (float64, *classify.Heldout, error) {
	if r == nil {
		return 0, nil, nil
	}
	temp, err := fitTemperature(r)
	if err != nil {
		return 0, nil, err
	}
	fallback := -1
	if cfg.Taxonomy != nil && cfg.Taxonomy.Fallback != "" {
		fallback = slices.Index(r.classes, cfg.Taxonomy.Fallback)
	}
	return temp, heldoutStats(r, temp, cfg.Options.Abstain, fallback), nil
}

// fitTemperature fits the temperature on the held-out log-posteriors.
func fitTemperature(r *heldoutRun) (float64, error) {
	if len(r.gold) < minCalibrationDocs {
		return 0, nil
	}
	// The mean NLL is convex in 1/t, so along the temperatures in order
	// (those below 1, 1, those above) it falls to its minimum and then
	// rises: the minimum is the first temperature that the next one does
	// not beat, found by bisection (about 14 NLLs where a scan from 1
	// took up to 70).
	ts := temperaturesBelow()
	slices.Reverse(ts)
	ts = append(ts, temperatureGrid()...)
	nll := make([]float64, len(ts))
	for i := range nll {
		nll[i] = math.NaN()
	}
	at := func(i int) float64 {
		if math.IsNaN(nll[i]) {
			nll[i] = meanNLL(r.logp, r.gold, r.nc, 1/ts[i])
		}
		return nll[i]
	}
	// i is the answer when ts[i+1] does not beat it: lo never is, hi is.
	lo, hi := -1, len(ts)-1
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if at(mid+1) < at(mid)-1e-12 {
			lo = mid
		} else {
			hi = mid
		}
	}
	best := ts[hi]
	v, err := strconv.ParseFloat(strconv.FormatFloat(best, 'g', 3, 64), 64)
	if err != nil {
		return 0, err
	}
	if v == 1 {
		return 0, nil
	}
	return v, nil
}

// meanNLL is the mean negative log-likelihood of the gold classes when the
// log-posteriors are multiplied by inv and renormalised. Log-posteriors of
// -Inf (a class the model rules out) stay ruled out. Large runs are
// shared among the cores, each document's term computed alone and the
// terms summed in order, so the sum is the same however it is shared.
func meanNLL(logp []float64, gold []int, nc int, inv float64) float64 {
	lg := make([]float64, len(gold))
	workers := max(1, min(runtime.GOMAXPROCS(0), len(gold)/nllShare))
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*len(gold)/workers, (w+1)*len(gold)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := lo; k < hi; k++ {
				lg[k] = goldLogLik(logp[k*nc:k*nc+nc], gold[k], inv)
			}
		}()
	}
	wg.Wait()
	var sum float64
	for _, v := range lg {
		sum -= v
	}
	return sum / float64(len(gold))
}

// nllShare is the fewest documents of meanNLL given to a core.
const nllShare = 4096

// goldLogLik is the log-likelihood of the gold class g of one document's
// log-posteriors row multiplied by inv and renormalised; -50 when the
// model ruled it out (a large, finite penalty).
func goldLogLik(row []float64, g int, inv float64) float64 {
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
		lg = -50
	}
	return lg
}
