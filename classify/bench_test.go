package classify

import (
	"bufio"
	"os"
	"strings"
	"syscall"
	"testing"
)

// cpuNanos returns the process's user+system CPU time. With -cpu=1 only
// one thread runs Go code at a time, so CPU time per operation measures
// the work even when other processes share the cores and stretch the
// wall-clock ns/op.
func cpuNanos() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// loop runs op until b.Loop ends and reports CPU ns per op and ops per
// CPU second besides Go's wall-clock figures.
func loop(b *testing.B, op func(i int)) {
	b.ReportAllocs()
	var start int64
	n := 0
	for b.Loop() {
		if n == 0 {
			start = cpuNanos()
		}
		op(n)
		n++
	}
	if n > 1 {
		cpu := float64(cpuNanos()-start) / float64(n-1)
		b.ReportMetric(cpu, "cpu-ns/op")
		b.ReportMetric(1e9/cpu, "ops/cpu-s")
	}
}

// seedBodies returns the comment bodies of the seed thread: its lines of
// more than 100 bytes (author lines and headers are shorter).
func seedBodies(tb testing.TB) []string {
	tb.Helper()
	f, err := os.Open("../testdata/nyt-huawei-shared-values-2019-12-27.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if len(sc.Text()) > 100 {
			out = append(out, sc.Text())
		}
	}
	if len(out) < 40 {
		tb.Fatalf("seed has %d body lines, want >= 40", len(out))
	}
	return out
}

// benchTexts returns the seed bodies cut to about 430 bytes at a space,
// the comment size of the performance targets.
func benchTexts(tb testing.TB) []string {
	var out []string
	for _, b := range seedBodies(tb) {
		if len(b) > 430 {
			if i := strings.LastIndexByte(b[:430], ' '); i > 300 {
				b = b[:i]
			}
		}
		out = append(out, b)
	}
	return out
}

func totalBytes(ts []string) int64 {
	var n int64
	for _, t := range ts {
		n += int64(len(t))
	}
	return n / int64(len(ts))
}

// eightClassModel trains an 8-class model on the seed bodies, labels
// assigned round-robin, with opt.
func eightClassModel(tb testing.TB, opt Options) *Model {
	texts := benchTexts(tb)
	classes := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	m := NewModel("bench", nil, classes, opt)
	for i, t := range texts {
		m.Learn(t, []string{classes[i%8]}, 1)
	}
	m.Finalize()
	return m
}

var sink int

// BenchmarkBaselineLowerFields is the baseline of the tokenizer ratio:
// strings.ToLower and strings.Fields on the same texts.
func BenchmarkBaselineLowerFields(b *testing.B) {
	texts := benchTexts(b)
	b.SetBytes(totalBytes(texts))
	loop(b, func(i int) { sink += len(strings.Fields(strings.ToLower(texts[i%len(texts)]))) })
}

func benchTokenize(b *testing.B, opt Options) {
	texts := benchTexts(b)
	tk := NewTokenizer(opt)
	b.SetBytes(totalBytes(texts))
	toks, n := 0, 0
	loop(b, func(i int) { toks += tk.Tokenize(texts[i%len(texts)]); n++ })
	b.ReportMetric(float64(toks)/float64(n), "tokens/op")
}

func BenchmarkTokenize(b *testing.B)        { benchTokenize(b, Options{}) }
func BenchmarkTokenizeOpinion(b *testing.B) { benchTokenize(b, presets["opinion"]) }

func benchPredict(b *testing.B, opt Options) {
	m := eightClassModel(b, opt)
	texts := benchTexts(b)
	b.SetBytes(totalBytes(texts))
	loop(b, func(i int) { sink += len(m.Predict(texts[i%len(texts)]).Label) })
}

func BenchmarkPredict8(b *testing.B)        { benchPredict(b, Options{}) }
func BenchmarkPredict8Opinion(b *testing.B) { benchPredict(b, presets["opinion"]) }

// BenchmarkPredict8CharGrams is prediction with the word cues of a model
// with character n-grams and per-target tokens.
func BenchmarkPredict8CharGrams(b *testing.B) {
	benchPredict(b, Options{CharGrams: 4, PerTarget: true, Binary: true})
}
func BenchmarkPredict8Complement(b *testing.B) {
	benchPredict(b, Options{Complement: true, TFIDF: true})
}

func BenchmarkScorer(b *testing.B) {
	m := eightClassModel(b, presets["opinion"])
	s := NewScorer(m)
	texts := benchTexts(b)
	b.SetBytes(totalBytes(texts))
	loop(b, func(i int) { sink += len(s.ScoreText(texts[i%len(texts)]).Argument.Label) })
}

func benchLearn(b *testing.B, opt Options) {
	texts := benchTexts(b)
	classes := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	m := NewModel("bench", nil, classes, opt)
	lbl := make([][]string, len(classes))
	for i := range lbl {
		lbl[i] = []string{classes[i]}
	}
	b.SetBytes(totalBytes(texts))
	loop(b, func(i int) { m.Learn(texts[i%len(texts)], lbl[i%8], 1) })
}

func BenchmarkLearn(b *testing.B)        { benchLearn(b, Options{}) }
func BenchmarkLearnOpinion(b *testing.B) { benchLearn(b, presets["opinion"]) }
func BenchmarkLearnTFIDF(b *testing.B)   { benchLearn(b, Options{TFIDF: true}) }

// defaultModel decodes the shipped default model (trained by package
// training) from its file; the benchmark is skipped without it.
func defaultModel(tb testing.TB) *Model {
	f, err := os.Open("../training/default/model.json.gz")
	if err != nil {
		tb.Skip("no default model file:", err)
	}
	defer f.Close()
	m, err := DecodeModel(f)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// BenchmarkScorerDefault scores seed-like comments with the shipped
// default model: the work of `stance score` per comment.
func BenchmarkScorerDefault(b *testing.B) {
	s := NewScorer(defaultModel(b))
	texts := benchTexts(b)
	b.SetBytes(totalBytes(texts))
	loop(b, func(i int) { sink += len(s.ScoreText(texts[i%len(texts)]).Argument.Label) })
}

// BenchmarkPredictDefault is naive Bayes alone with the default model.
func BenchmarkPredictDefault(b *testing.B) {
	m := defaultModel(b)
	texts := benchTexts(b)
	b.SetBytes(totalBytes(texts))
	loop(b, func(i int) { sink += len(m.Predict(texts[i%len(texts)]).Label) })
}

// featureTexts are the texts of benchFeatures: the seed bodies, or with
// STANCE_BENCH_FT set the texts of the first 20,000 lines of that fastText
// file (for example the bench corpus's train.ft of scripts/bench-train.sh),
// whose variety the branch predictors cannot learn.
func featureTexts(b *testing.B) []string {
	name := os.Getenv("STANCE_BENCH_FT")
	if name == "" {
		return benchTexts(b)
	}
	f, err := os.Open(name)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() && len(out) < 20000 {
		line := sc.Text()
		for strings.HasPrefix(line, "__label__") {
			_, line, _ = strings.Cut(line, " ")
		}
		out = append(out, line)
	}
	return out
}

func benchFeatures(b *testing.B, opt Options) {
	texts := featureTexts(b)
	z := NewFeaturizer(opt)
	var f Features
	b.SetBytes(totalBytes(texts))
	loop(b, func(i int) { z.Features(texts[i%len(texts)], &f); sink += len(f.ids) })
}

// BenchmarkFeatures is a streamed training's work per document on the
// tokenizing goroutines: a Featurizer's Features.
func BenchmarkFeatures(b *testing.B)        { benchFeatures(b, presets["default"]) }
func BenchmarkFeaturesOpinion(b *testing.B) { benchFeatures(b, presets["opinion"]) }
func BenchmarkFeaturesTopic(b *testing.B)   { benchFeatures(b, presets["topic"]) }

// BenchmarkFeaturesCharGrams is Features with the options auto picks on
// tweets: character n-grams and per-target tokens.
func BenchmarkFeaturesCharGrams(b *testing.B) {
	benchFeatures(b, Options{CharGrams: 4, PerTarget: true, Binary: true})
}
