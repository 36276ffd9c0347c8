package training

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stance-dev/stance/classify"
)

// Calibration on the seed labels: complement NB is overconfident, so the
// fitted temperature is above 1, it lowers the held-out log-loss, and it
// changes no label.
func TestCalibrateTemperatureSeed(t *testing.T) {
	docs := readSeed(t)
	cfg := DefaultConfig()
	T, err := CalibrateTemperature(docs, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !(T > 1) {
		t.Fatalf("temperature %v, want > 1 for complement NB", T)
	}
	// Held-out log-loss with and without the temperature, on the same
	// leave-one-out predictions.
	nll := func(temp float64) (float64, []string) {
		c := cfg
		c.Calibrate = false
		c.Options.Temperature = temp
		folds := PlanFolds(docs, DefaultFolds, c.Seed)
		m := newModel(docs, c)
		for _, d := range docs {
			learnDoc(m, d, c, false)
		}
		var sum float64
		var labels []string
		for _, fold := range folds {
			for _, i := range fold {
				learnDoc(m, docs[i], c, true)
			}
			for _, i := range fold {
				post := m.Posteriors(docs[i].Text, nil)
				for k, cl := range m.Classes() {
					if cl == docs[i].Label() {
						sum -= math.Log(max(post[k], 1e-300))
					}
				}
				labels = append(labels, m.Predict(docs[i].Text).Label)
			}
			for _, i := range fold {
				learnDoc(m, docs[i], c, false)
			}
		}
		return sum / float64(len(docs)), labels
	}
	before, plain := nll(0)
	after, hot := nll(T)
	for i := range hot {
		if hot[i] != plain[i] {
			t.Fatalf("doc %d: label %s with temperature, %s without", i, hot[i], plain[i])
		}
	}
	if !(after < before) {
		t.Fatalf("log-loss %v with temperature %v, %v without: calibration did not help", after, T, before)
	}
	t.Logf("temperature %v: held-out log-loss %.3f -> %.3f", T, before, after)
}

func TestCalibrateDeterministicAndRounded(t *testing.T) {
	docs := readSeed(t)
	a, err := CalibrateTemperature(docs, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := CalibrateTemperature(docs, DefaultConfig())
	if a != b {
		t.Fatalf("temperature not deterministic: %v vs %v", a, b)
	}
	if r := math.Round(a*100) / 100; math.Abs(r-a) > 1e-12 && a < 10 {
		t.Fatalf("temperature %v not rounded to 3 significant digits", a)
	}
}

// Too few documents to fit a temperature on: the model is left as it is.
func TestCalibrateTinyDataLeavesModelAlone(t *testing.T) {
	docs := readSeed(t)[:8]
	cfg := DefaultConfig()
	cfg.Taxonomy = nil
	T, err := CalibrateTemperature(docs, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if T != 0 {
		t.Fatalf("temperature %v fitted on %d documents, want 0 (none)", T, len(docs))
	}
}

// TestFitTemperatureStopsAtTheMinimum checks the early stop of
// fitTemperature against a scan of the whole grid.
func TestFitTemperatureStopsAtTheMinimum(t *testing.T) {
	docs := streamDocs(t)
	sharpened := false // a fit below 1 (a refined model's) was checked
	for _, preset := range []string{"default", "topic", "opinion", "opinion refined"} {
		opt, err := classify.Preset(strings.TrimSuffix(preset, " refined"))
		if err != nil {
			t.Fatal(err)
		}
		opt.Refine = strings.HasSuffix(preset, "refined")
		for _, tax := range []*classify.Taxonomy{nil, DefaultTaxonomy()} {
			cfg := Config{Options: opt, Taxonomy: tax, Seed: 1}
			r := heldoutPredictions(docs, cfg)
			best, bestNLL := 0.0, math.Inf(1)
			for _, tt := range append(temperatureGrid(), temperaturesBelow()...) {
				if nll := meanNLL(r.logp, r.gold, r.nc, 1/tt); nll < bestNLL-1e-12 {
					best, bestNLL = tt, nll
				}
			}
			want, _ := strconv.ParseFloat(strconv.FormatFloat(best, 'g', 3, 64), 64)
			if want == 1 {
				want = 0
			}
			got, err := fitTemperature(r)
			sharpened = sharpened || (got > 0 && got < 1)
			if err != nil || got != want {
				t.Errorf("%s, taxonomy %v: temperature %g, a full scan %g (%v)", preset, tax != nil, got, want, err)
			}
		}
	}
	if !sharpened {
		t.Error("no fit went below 1: the downward scan is not checked")
	}
}

// TestMeanNLLShared checks meanNLL, shared among cores, against the sum
// of the documents' terms in order, to the bit, with ruled-out classes
// (-Inf) and gold classes ruled out among them.
func TestMeanNLLShared(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	rng := rand.New(rand.NewPCG(7, 8))
	const nc = 5
	for _, n := range []int{1, 20, nllShare, 3*nllShare + 17} {
		logp := make([]float64, n*nc)
		gold := make([]int, n)
		for k := range gold {
			gold[k] = rng.IntN(nc)
			for c := range nc {
				logp[k*nc+c] = -30 * rng.Float64()
				if rng.IntN(50) == 0 {
					logp[k*nc+c] = math.Inf(-1)
				}
			}
		}
		for _, inv := range []float64{1, 0.37, 1 / 212.0} {
			var sum float64
			for k, g := range gold {
				sum -= goldLogLik(logp[k*nc:k*nc+nc], g, inv)
			}
			want := sum / float64(n)
			if got := meanNLL(logp, gold, nc, inv); math.Float64bits(got) != math.Float64bits(want) {
				t.Errorf("%d documents, inv %g: meanNLL %v, in order %v", n, inv, got, want)
			}
		}
	}
}

// TestHeldoutFoldsFromTrained: the held-out predictions made from the
// trained model (a copy unlearned fold by fold, refined from its
// solution) are those of a model counted and refined afresh, bit for bit,
// on the seed labels with the taxonomy and on 2,000 short documents, naive
// Bayes and refined.
func TestHeldoutFoldsFromTrained(t *testing.T) {
	seed := DefaultConfig()
	short := Config{Options: classify.Options{Alpha: 1, Binary: true, CharGrams: 4, Bigrams: true}, Seed: 3}
	for _, c := range []struct {
		docs []Doc
		cfg  Config
	}{{readSeed(t), seed}, {shortDocs(t, 2000), short}} {
		for _, refined := range []bool{false, true} {
			cfg := c.cfg
			cfg.Options.Refine = refined
			cfg = withTaxonomy(t, c.docs, cfg)
			m := newModel(c.docs, cfg)
			for _, d := range c.docs {
				learnDoc(m, d, cfg, false)
			}
			ex := refineAll(m, c.docs, cfg)
			before := m.Hash()
			folds := PlanFolds(c.docs, DefaultFolds, cfg.Seed)
			got := heldoutFoldsFrom(m, ex, c.docs, cfg, folds)
			want := heldoutFolds(c.docs, cfg, folds)
			if got == nil || want == nil || !slices.Equal(got.logp, want.logp) || !slices.Equal(got.gold, want.gold) ||
				!slices.Equal(got.oov, want.oov) || !slices.Equal(got.fold, want.fold) {
				t.Fatalf("%s: held-out predictions from the trained model differ from a fresh count's", cfg.Options)
			}
			if m.Hash() != before || m.Refined() != refined {
				t.Fatalf("%s: the trained model changed", cfg.Options)
			}
		}
	}
}

// heldoutFoldsByText is the held-out pass as it was before documents were
// prepared once a fold (classify.HeldoutPreparer): each held-out document
// unlearned, scored (Posteriors, OOV) and learned back from its text. The
// reference of TestHeldoutFoldsPrepared.
func heldoutFoldsByText(docs []Doc, cfg Config, folds [][]int) *heldoutRun {
	cfg.Options.Temperature = 0
	m := newModel(docs, cfg)
	m.ReuseTables()
	for _, d := range docs {
		learnDoc(m, d, cfg, false)
	}
	ex := refineAll(m, docs, cfg)
	classes := m.Classes()
	nc := len(classes)
	r := &heldoutRun{classes: classes, nc: nc, folds: len(folds)}
	skip := make([]bool, len(docs))
	var post []float64
	for fi, fold := range folds {
		for _, i := range fold {
			learnDoc(m, docs[i], cfg, true)
		}
		if ex != nil {
			clear(skip)
			for _, i := range fold {
				skip[i] = true
			}
			refine(m, ex, skip, cfg, 1)
		}
		for _, i := range fold {
			g := slices.Index(classes, docs[i].Label())
			if g < 0 {
				continue
			}
			post = m.Posteriors(docs[i].Text, post)
			for _, p := range post {
				r.logp = append(r.logp, math.Log(p))
			}
			r.gold = append(r.gold, g)
			rate := -1.0
			if unk, tot := m.OOV(docs[i].Text); tot > 0 {
				rate = float64(unk) / float64(tot)
			}
			r.oov = append(r.oov, rate)
			r.fold = append(r.fold, fi)
		}
		for _, i := range fold {
			learnDoc(m, docs[i], cfg, false)
		}
	}
	return r
}

// TestHeldoutFoldsPrepared: the held-out pass, which tokenizes each
// document once (its fold's documents prepared on every core, unlearned,
// scored and learned back from that), gives the predictions and
// out-of-vocabulary rates of the pass from the texts, bit for bit: on the
// seed labels with the taxonomy (secondary labels at weights 1 and 0.5,
// leave-one-out) and on 2,000 short documents in 10 folds, for naive
// Bayes of every kind (TF-IDF, complement, binary, bigrams with negation,
// character n-grams) and refined.
func TestHeldoutFoldsPrepared(t *testing.T) {
	seedDocs, short := readSeed(t), shortDocs(t, 2000)
	for _, c := range []struct {
		docs []Doc
		cfg  Config
	}{
		{seedDocs, DefaultConfig()},
		{seedDocs, func() Config { c := DefaultConfig(); c.SecondaryWeight = Weight(0.5); return c }()},
		{short, Config{Options: classify.Options{Alpha: 1, Binary: true, CharGrams: 4, Bigrams: true}, Seed: 3}},
		{short, Config{Options: classify.Options{Alpha: 0.3, TFIDF: true, Complement: true, Stopwords: true}, Seed: 1}},
		{short, Config{Options: classify.Options{Alpha: 1, Bigrams: true, Negation: true, Structure: true}, Seed: 2}},
		{short, Config{Options: classify.Options{Alpha: 2, TFIDF: true, Binary: true, Bigrams: true}, Seed: 2}},
	} {
		for _, refined := range []bool{false, true} {
			cfg := c.cfg
			cfg.Options.Refine = refined
			cfg = withTaxonomy(t, c.docs, cfg)
			folds := PlanFolds(c.docs, DefaultFolds, cfg.Seed)
			got := heldoutFolds(c.docs, cfg, folds)
			want := heldoutFoldsByText(c.docs, cfg, folds)
			if got == nil || len(got.logp) == 0 {
				t.Fatalf("%s: no held-out predictions", cfg.Options)
			}
			if !slices.Equal(got.gold, want.gold) || !slices.Equal(got.fold, want.fold) {
				t.Fatalf("%s: held-out documents differ", cfg.Options)
			}
			for k := range want.logp {
				if math.Float64bits(got.logp[k]) != math.Float64bits(want.logp[k]) {
					t.Fatalf("%s: log-posterior %d is %v, from the texts %v", cfg.Options, k, got.logp[k], want.logp[k])
				}
			}
			for k := range want.oov {
				if math.Float64bits(got.oov[k]) != math.Float64bits(want.oov[k]) {
					t.Fatalf("%s: out-of-vocabulary rate %d is %v, from the texts %v", cfg.Options, k, got.oov[k], want.oov[k])
				}
			}
		}
	}
}

// withTaxonomy returns cfg with its taxonomy applied to docs, as
// trainCounted applies it.
func withTaxonomy(t *testing.T, docs []Doc, cfg Config) Config {
	t.Helper()
	if cfg.Taxonomy != nil {
		tax, err := ApplyTaxonomy(docs, cfg.Taxonomy, cfg.AddLabels)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Taxonomy = tax
	}
	return cfg
}
