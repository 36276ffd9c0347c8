package training

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/stance-dev/stance/classify"
)

// TestChooseOptionsScore checks on the seed labels that the score
// ChooseOptions reports for its choice, computed from counts, is the
// macro-F1 of cross-validating a model trained with those options on the
// same folds by Learn and Unlearn; and that Train stores the choice.
func TestChooseOptionsScore(t *testing.T) {
	docs := seedDocs(t)
	cfg := Config{Taxonomy: DefaultTaxonomy(), Seed: 1}
	c, err := ChooseOptions(docs, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if c.Tried < 15 || c.Folds != AutoFolds || c.Metric != "macro-F1" {
		t.Errorf("choice %+v", c)
	}
	folds := autoFolds(docs, cfg.Seed)
	cfg.Options = c.Options
	preds, err := cvPredict(docs, cfg, folds)
	if err != nil {
		t.Fatal(err)
	}
	met := NewMetrics(Classes(docs, cfg.Taxonomy))
	for i, d := range docs {
		met.Add(d.Label(), preds[i].Label)
	}
	if math.Abs(met.MacroF1()-c.Score) > 1e-9 || math.Abs(met.Accuracy()-c.Accuracy) > 1e-9 {
		t.Errorf("counted score %.4f / %.4f, Learn/Unlearn CV %.4f / %.4f", c.Score, c.Accuracy, met.MacroF1(), met.Accuracy())
	}
	// The choice beats plain multinomial NB on the same folds: it was
	// among the candidates.
	cfg.Options = classify.Options{Alpha: 1}
	preds, _ = cvPredict(docs, cfg, folds)
	plain := NewMetrics(Classes(docs, cfg.Taxonomy))
	for i, d := range docs {
		plain.Add(d.Label(), preds[i].Label)
	}
	if plain.MacroF1() > c.Score {
		t.Errorf("default options %.4f beat the choice %.4f", plain.MacroF1(), c.Score)
	}
	var told []AutoChoice
	m, err := Train(docs, Config{Taxonomy: DefaultTaxonomy(), Seed: 1, Auto: true, Options: classify.Options{Cues: 3},
		OnAuto: func(a AutoChoice) { told = append(told, a) }})
	if err != nil {
		t.Fatal(err)
	}
	want := c.Options
	want.Cues = 3
	if len(told) != 1 || told[0].Options != want || m.Options != want {
		t.Errorf("Train with Auto: model options %s, told %v, want %s", m.Options, told, want)
	}
	if !strings.HasPrefix(told[0].String(), "auto: chose "+want.String()+" (inner 5-fold macro-F1 ") {
		t.Errorf("told %q", told[0])
	}
	if note := fmt.Sprintf("; options chosen by --preset auto (inner 5-fold macro-F1 %.4f)", c.Score); !strings.HasSuffix(m.Training.Source, note) {
		t.Errorf("source %q lacks %q", m.Training.Source, note)
	}
}

// TestAutoFolds checks the inner folds on tiny data: every document in
// exactly one fold, each class spread over the folds.
func TestAutoFolds(t *testing.T) {
	docs := seedDocs(t)
	folds := autoFolds(docs, 1)
	if len(folds) != AutoFolds {
		t.Fatalf("%d folds", len(folds))
	}
	var all []int
	for _, f := range folds {
		if len(f) < len(docs)/AutoFolds-1 || len(f) > len(docs)/AutoFolds+1 {
			t.Errorf("fold of %d documents", len(f))
		}
		all = append(all, f...)
	}
	slices.Sort(all)
	for i, v := range all {
		if v != i {
			t.Fatalf("documents %v", all)
		}
	}
	if got := autoFolds(docs[:3], 1); len(got) != 2 {
		t.Errorf("3 documents: %v", got)
	}
	if !slices.EqualFunc(autoFolds(docs, 1), folds, slices.Equal) {
		t.Error("folds differ between runs")
	}
}

// TestAutoEval checks that eval with Auto nests the choice: it runs on each
// training part (k-fold), once with leave-one-out.
func TestAutoEval(t *testing.T) {
	docs := synthPolarity(300, 5)
	n := 0
	r, err := Evaluate(docs, Config{Auto: true, OnAuto: func(AutoChoice) { n++ }}, EvalOptions{Folds: 3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := Evaluate(docs, Config{}, EvalOptions{Folds: 3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 || !strings.Contains(r.Options, "auto;") || r.Accuracy < plain.Accuracy+0.1 {
		t.Errorf("told %d times, report %s, accuracy %.3f (plain multinomial NB %.3f)", n, r.Options, r.Accuracy, plain.Accuracy)
	}
}

// TestAutoEvalFoldsSideBySide checks that nested cross-validation gives
// the same predictions (labels, probabilities, cues) whether its folds run
// one at a time or two at a time: the seed labels with the taxonomy, four
// copies with words dropped, in 4 folds.
func TestAutoEvalFoldsSideBySide(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var docs []Doc
	for range 4 {
		for _, d := range seedDocs(t) {
			var kept []string
			for _, w := range strings.Fields(d.Text) {
				if rng.IntN(6) > 0 {
					kept = append(kept, w)
				}
			}
			d.Text = strings.Join(kept, " ")
			docs = append(docs, d)
		}
	}
	cfg := DefaultConfig()
	cfg.Auto = true
	folds := PlanFolds(docs, 4, 1)
	if len(folds) != 4 {
		t.Fatalf("%d folds", len(folds))
	}
	predict := func(procs int) []classify.Prediction {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		preds, err := autoCVPredict(docs, cfg, folds)
		if err != nil {
			t.Fatal(err)
		}
		return preds
	}
	one, two := predict(1), predict(2)
	for i := range one {
		if !reflect.DeepEqual(one[i], two[i]) {
			t.Fatalf("document %d: %+v one fold at a time, %+v two", i, one[i], two[i])
		}
	}
}

func seedDocs(t testing.TB) []Doc {
	t.Helper()
	docs, err := ReadDocs("seed-labels.jsonl", bytes.NewReader(SeedLabels()))
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

// shortDocs returns n short documents (one to two sentences of the seed
// thread, a few words dropped at random) in two classes.
func shortDocs(tb testing.TB, n int) []Doc {
	tb.Helper()
	f, err := os.Open("../testdata/nyt-huawei-shared-values-2019-12-27.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var sents []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		for _, s := range strings.Split(sc.Text(), ". ") {
			if len(strings.Fields(s)) >= 5 {
				sents = append(sents, s)
			}
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	docs := make([]Doc, n)
	for i := range docs {
		k := rng.IntN(len(sents))
		words := strings.Fields(sents[k])
		if rng.IntN(2) == 0 {
			words = append(words, strings.Fields(sents[rng.IntN(len(sents))])...)
		}
		var kept []string
		for _, w := range words {
			if rng.IntN(5) > 0 {
				kept = append(kept, w)
			}
		}
		docs[i] = Doc{Text: strings.Join(kept, " "), Labels: []string{[]string{"a", "b"}[k%2]}}
	}
	return docs
}

// BenchmarkAuto measures the cost of --preset auto against a single
// training on 10,000 short documents: train-calibrated is what `stance
// train --preset opinion` does (the default --calibrate), train the
// counting alone, auto the search of ChooseOptions. The ratios auto/train
// and auto/train-calibrated are the budget of issue 13 (at most 10).
//
//	go test ./training -run '^$' -bench Auto -benchtime 3x
func BenchmarkAuto(b *testing.B) {
	docs := shortDocs(b, 10000)
	opinion, _ := classify.Preset("opinion")
	// CPU time per operation holds on a loaded machine, where wall time
	// does not.
	run := func(name string, f func() error) {
		b.Run(name, func(b *testing.B) {
			cpu := cpuTime()
			for range b.N {
				if err := f(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu)/1e6/float64(b.N), "cpu-ms/op")
		})
	}
	run("train", func() error { _, err := Train(docs, Config{Options: opinion}); return err })
	run("train-calibrated", func() error { _, err := Train(docs, Config{Options: opinion, Calibrate: true}); return err })
	run("auto", func() error { _, err := ChooseOptions(docs, Config{Seed: 1}); return err })
}

// TestMeasureFeatures prints the effect of each feature option on the
// public sets of issue 13 and on the bench corpus, and what auto picks:
//
//	STANCE_PUBLIC_DATA=/work/data go test ./training -run TestMeasureFeatures -v -timeout 60m
//
// The directory holds mr/mr.ft (movie-review sentence polarity, 10,662
// sentences, 10-fold accuracy), semeval2016/train.jsonl and test.jsonl
// (SemEval-2016 task 6A, the target prefixed, F(FAVOR, AGAINST) on test)
// and bench/train.ft (mkcorpus, 10-fold accuracy). See training/README.md.
func TestMeasureFeatures(t *testing.T) {
	dir := os.Getenv("STANCE_PUBLIC_DATA")
	if dir == "" {
		t.Skip("set STANCE_PUBLIC_DATA to the directory of the public sets")
	}
	read := func(name string) []Doc {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		docs, err := ReadDocs(name, f)
		if err != nil {
			t.Fatal(err)
		}
		return docs
	}
	mr, semTrain, semTest, bench := read("mr/mr.ft"), read("semeval2016/train.jsonl"), read("semeval2016/test.jsonl"), read("bench/train.ft")
	measure := func(cfg Config) (string, error) {
		cfg.Seed = 1
		r1, err := Evaluate(mr, cfg, EvalOptions{Folds: 10, Seed: 1})
		if err != nil {
			return "", err
		}
		cfg.AutoPair = [2]string{"FAVOR", "AGAINST"}
		r2, err := Evaluate(semTrain, cfg, EvalOptions{Test: semTest, Seed: 1, Pair: cfg.AutoPair})
		if err != nil {
			return "", err
		}
		cfg.AutoPair = [2]string{}
		r3, err := Evaluate(bench, cfg, EvalOptions{Folds: 10, Seed: 1})
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%.4f | %.4f | %.4f", r1.Accuracy, *r2.FPair, r3.Accuracy), nil
	}
	fmt.Println("| options | MR 10-fold accuracy | SemEval 6A F(FAVOR,AGAINST) | bench 10-fold accuracy |")
	fmt.Println("|---|---:|---:|---:|")
	for _, preset := range []string{"opinion", "default", "topic"} {
		base, _ := classify.Preset(preset)
		for _, f := range []struct {
			name string
			set  func(*classify.Options)
		}{
			{"", func(*classify.Options) {}},
			{"structure", func(o *classify.Options) { o.Structure = true }},
			{"char-grams=4", func(o *classify.Options) { o.CharGrams = 4 }},
			{"flat-prior=2", func(o *classify.Options) { o.FlatPrior = 2 }},
			{"tags per-target", func(o *classify.Options) { o.Tags, o.PerTarget = true, true }},
			{"refine", func(o *classify.Options) { o.Refine = true }},
		} {
			o := base
			f.set(&o)
			row, err := measure(Config{Options: o})
			if err != nil {
				t.Fatal(err)
			}
			fmt.Printf("| %s %s | %s |\n", preset, f.name, row)
		}
	}
	// NBSVM: binary counts, alpha 1, refined, over more and more tokens.
	nbsvm := classify.Options{Alpha: 1, Binary: true, Refine: true}
	for _, f := range []struct {
		name string
		set  func(*classify.Options)
	}{
		{"", func(*classify.Options) {}},
		{"bigrams negation", func(o *classify.Options) { o.Bigrams, o.Negation = true, true }},
		{"bigrams negation char-grams=4", func(o *classify.Options) { o.CharGrams = 4 }},
		{"char-grams=4 tags per-target", func(o *classify.Options) { o.Bigrams, o.Negation, o.Tags, o.PerTarget = false, false, true, true }},
		{"char-grams=4 tags per-target structure", func(o *classify.Options) { o.Structure = true }},
	} {
		f.set(&nbsvm)
		row, err := measure(Config{Options: nbsvm})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("| nbsvm (default binary refine) %s | %s |\n", f.name, row)
	}
	row, err := measure(Config{Auto: true, OnAuto: func(c AutoChoice) { fmt.Println("  ", c) }})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("| auto (nested) | %s |\n", row)
}

// TestAutoRefineScore checks that the search scores a refined option set
// from its stored counts as cross-validation with refined fold models
// does, pseudo-documents of the taxonomy included.
func TestAutoRefineScore(t *testing.T) {
	docs := seedDocs(t)
	cfg := Config{Taxonomy: DefaultTaxonomy(), Seed: 1}
	s := &autoSearch{docs: docs, cfg: cfg, folds: autoFolds(docs, cfg.Seed), classes: Classes(docs, cfg.Taxonomy),
		sets: map[tokenSet]*classify.CrossCounts{}, scores: map[classify.Options]autoScore{}}
	opt, _ := classify.Preset("topic")
	opt.Refine = true
	// The passes of Model.Refine, not the search's fewer.
	s.counts(tokensOf(opt)).RefinePasses = 0
	o, err := s.best([]classify.Options{opt})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Options = opt
	preds, err := cvPredict(docs, cfg, s.folds)
	if err != nil {
		t.Fatal(err)
	}
	met := NewMetrics(s.classes)
	for i, d := range docs {
		met.Add(d.Label(), preds[i].Label)
	}
	if got := s.scores[o]; math.Abs(got.f1-met.MacroF1()) > 1e-9 || math.Abs(got.acc-met.Accuracy()) > 1e-9 {
		t.Errorf("counted %.4f / %.4f, refined folds %.4f / %.4f", got.f1, got.acc, met.MacroF1(), met.Accuracy())
	}
}

// TestAutoPerTarget checks that auto finds the per-target features where
// the label depends on the target: on short seed sentences about two
// targets, a sentence that mentions China argues "risk" about Huawei and
// "trade" about Europe (and the others the reverse), which one model
// without the targets cannot tell apart. It also checks Targeted and
// Tagged on both kinds of data.
func TestAutoPerTarget(t *testing.T) {
	plain := shortDocs(t, 2000)
	var docs []Doc
	for i, d := range plain {
		china := strings.Contains(strings.ToLower(d.Text), "chin")
		target, label := "Huawei", "risk"
		if i%2 == 1 {
			target = "Europe"
		}
		if china != (target == "Huawei") {
			label = "trade"
		}
		docs = append(docs, Doc{Text: target + ": " + d.Text, Labels: []string{label}})
	}
	if !Targeted(docs) || Targeted(plain) || Targeted(docs[:5]) {
		t.Errorf("Targeted: %v for targets, %v without, %v for 5 documents of 2 targets", Targeted(docs), Targeted(plain), Targeted(docs[:5]))
	}
	// Newsgroup posts begin with a header: one "target" for nearly all.
	var posts []Doc
	for i, d := range plain {
		head := "From: someone@example.org Subject: "
		if i%20 == 0 {
			head = "Subject: " // a few posts begin otherwise
		}
		posts = append(posts, Doc{Text: head + d.Text, Labels: d.Labels})
	}
	if Targeted(posts) {
		t.Error("Targeted: true for texts that nearly all begin with From:")
	}
	tagged := []Doc{{Text: "see @nyt"}, {Text: "#5G now"}, {Text: "a # b"}, {Text: "mail a@b.c"}}
	if !Tagged(tagged[:2]) || Tagged(tagged[2:]) || Tagged(plain) {
		t.Errorf("Tagged: %v, %v, %v", Tagged(tagged[:2]), Tagged(tagged[2:]), Tagged(plain))
	}
	c, err := ChooseOptions(docs, Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !c.Options.PerTarget || c.Score < 0.9 {
		t.Errorf("auto chose %s (inner macro-F1 %.3f)", c.Options, c.Score)
	}
	c, err = ChooseOptions(plain, Config{Seed: 1})
	if err != nil || c.Options.PerTarget || c.Options.Tags {
		t.Errorf("auto on data without targets or tags chose %s (%v)", c.Options, err)
	}
}

// TestAutoNeighbours checks the one-change moves of the search: from the
// topic preset (stopwords) it reaches word bigrams (the best on long posts
// by topic), from opinion (bigrams with negation) stopwords only through
// dropping both first, and the refined stage moves the tokens only, with
// the character n-grams on short texts, or the SVM's features (binary or
// not) only.
func TestAutoNeighbours(t *testing.T) {
	s := &autoSearch{}
	topic, _ := classify.Preset("topic")
	opinion, _ := classify.Preset("opinion")
	has := func(opts []classify.Options, f func(classify.Options) bool) bool { return slices.ContainsFunc(opts, f) }
	n := s.neighbours(topic)
	if !has(n, func(o classify.Options) bool { return o.Bigrams && !o.Negation && o.Stopwords && o.Complement }) {
		t.Errorf("topic's neighbours lack topic with bigrams: %v", n)
	}
	if has(n, func(o classify.Options) bool { return o.Negation }) {
		t.Errorf("topic's neighbours hold negation with stopwords: %v", n)
	}
	n = s.neighbours(opinion)
	if has(n, func(o classify.Options) bool { return o.Stopwords }) {
		t.Errorf("opinion's neighbours hold stopwords with bigrams: %v", n)
	}
	if !has(n, func(o classify.Options) bool { return !o.Bigrams && !o.Negation && o.TFIDF == opinion.TFIDF }) {
		t.Errorf("opinion's neighbours lack it without bigrams and negation: %v", n)
	}
	refined := classify.Options{Alpha: 1, Binary: true, Structure: true, Refine: true}
	for _, short := range []bool{false, true} {
		n = s.tokenNeighbours(refined, short)
		for _, o := range n {
			if o.TFIDF || o.Complement || o.Alpha != 1 || !o.Refine {
				t.Errorf("short %v: %s changes more than the tokens or binary", short, o)
			}
			if tokens := o; o.Binary != refined.Binary {
				tokens.Binary = refined.Binary
				if tokens != refined {
					t.Errorf("short %v: %s changes both the tokens and binary", short, o)
				}
			}
		}
		if !has(n, func(o classify.Options) bool { p := refined; p.Binary = false; return o == p }) {
			t.Errorf("short %v: %v lacks the refined set without binary", short, n)
		}
		if got := has(n, func(o classify.Options) bool { return o.CharGrams == autoCharGrams }); got != short {
			t.Errorf("short %v: character n-grams tried %v", short, got)
		}
		if !has(n, func(o classify.Options) bool { return o.Stopwords && o.Structure }) ||
			!has(n, func(o classify.Options) bool { return !o.Structure }) {
			t.Errorf("short %v: %v lacks stopwords or the structure dropped", short, n)
		}
	}
}

// TestShortTexts checks when the search tries character n-grams: on
// short texts always, on news-comment lengths while the text is small
// enough, on long posts never.
func TestShortTexts(t *testing.T) {
	docs := func(n, size int) []Doc {
		d := make([]Doc, n)
		for i := range d {
			d[i] = Doc{Text: strings.Repeat("x", size)}
		}
		return d
	}
	for _, c := range []struct {
		n, size int
		want    bool
	}{{20000, 150, true}, {40000, 400, true}, {9600, 445, true}, {20000, 490, false}, {2000, 1000, true}, {2000, 1900, false}} {
		if got := shortTexts(docs(c.n, c.size)); got != c.want {
			t.Errorf("%d texts of %d bytes: %v, want %v", c.n, c.size, got, c.want)
		}
	}
}

// TestAutoBetter checks the search's step rule: a gain of the metric
// beyond the noise, or a tie in it (within the noise) with a gain of
// accuracy beyond the noise.
func TestAutoBetter(t *testing.T) {
	cur := classify.Options{Alpha: 1}
	s := &autoSearch{scores: map[classify.Options]autoScore{cur: {0.6182, 0.6739}}}
	for _, c := range []struct {
		f1, acc float64
		want    bool
	}{
		{0.6186, 0.7086, true},  // UKP: the same macro-F1, 3.5 points of accuracy
		{0.6195, 0.6500, true},  // more of the metric, whatever the accuracy
		{0.6181, 0.7500, true},  // a tie in the metric (within the noise), 7.6 points of accuracy
		{0.6170, 0.7500, false}, // less of the metric, beyond the noise
		{0.6187, 0.6745, false}, // within the noise on both
	} {
		b := classify.Options{Alpha: 2}
		s.scores[b] = autoScore{c.f1, c.acc}
		if got := s.better(b, cur); got != c.want {
			t.Errorf("%.4f / %.4f against 0.6182 / 0.6739: %v, want %v", c.f1, c.acc, got, c.want)
		}
	}
}

// TestAutoSteps checks the search's progress reports: one after each
// batch of option sets scored, the sets tried never fewer, the best so
// far never worse, and the last report's count the choice's.
func TestAutoSteps(t *testing.T) {
	docs := shortDocs(t, 2000)
	var steps []AutoChoice
	c, err := ChooseOptions(docs, Config{Seed: 1, OnAutoStep: func(c AutoChoice) { steps = append(steps, c) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) < 4 {
		t.Fatalf("%d progress reports", len(steps))
	}
	for i, s := range steps {
		if s.Metric != "macro-F1" || s.Tried == 0 || s.Options.Alpha == 0 {
			t.Errorf("report %d: %s", i, s)
		}
		if i > 0 && (s.Tried < steps[i-1].Tried || s.Score < steps[i-1].Score) {
			t.Errorf("report %d: %s after %s", i, s, steps[i-1])
		}
	}
	if last := steps[len(steps)-1]; last.Tried != c.Tried || last.Score < c.Score {
		t.Errorf("last report %s, choice %s", last, c)
	}
}
