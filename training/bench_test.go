package training

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stance-dev/stance/classify"
)

// benchDocs returns n seed-like documents of about 430 bytes: runs of
// consecutive words of the seed comments from random starts, so the
// vocabulary (unigrams and bigrams) is the seed's.
func benchDocs(b *testing.B, n int) []Doc {
	b.Helper()
	seed := readSeed(b)
	var words []string
	for _, d := range seed {
		words = append(words, strings.Fields(d.Text)...)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	classes := Classes(seed, DefaultTaxonomy())
	docs := make([]Doc, n)
	var sb strings.Builder
	for i := range docs {
		sb.Reset()
		start := rng.IntN(len(words))
		for sb.Len() < 430 {
			if sb.Len() > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(words[start%len(words)])
			start++
		}
		docs[i] = Doc{Text: sb.String(), Labels: []string{classes[rng.IntN(len(classes))]}}
	}
	return docs
}

func benchOptions() []struct {
	name string
	opt  classify.Options
} {
	topic, _ := classify.Preset("topic")
	opinion, _ := classify.Preset("opinion")
	return []struct {
		name string
		opt  classify.Options
	}{{"default", classify.Options{}}, {"topic", topic}, {"opinion", opinion}}
}

// BenchmarkTrain measures training throughput on one core, against the
// baseline of only tokenizing the same documents:
//
//	go test ./training -run '^$' -bench 'Train$|Tokenize' -benchtime 2s -cpu 1
func BenchmarkTrain(b *testing.B) {
	docs := benchDocs(b, 4096)
	var bytes int64
	for _, d := range docs {
		bytes += int64(len(d.Text))
	}
	for _, o := range benchOptions() {
		b.Run(o.name, func(b *testing.B) {
			m := classify.NewModel("bench", nil, Classes(docs, nil), o.opt)
			b.SetBytes(bytes / int64(len(docs)))
			b.ReportAllocs()
			b.ResetTimer()
			cpu := cpuTime()
			for i := 0; b.Loop(); i++ {
				d := docs[i%len(docs)]
				m.Learn(d.Text, d.Labels, 1)
			}
			reportRate(b, cpuTime()-cpu)
		})
	}
}

// reportRate reports documents per wall-clock second and per CPU-second
// of the process (the latter holds when other processes load the machine).
func reportRate(b *testing.B, cpu time.Duration) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	if cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "docs/cpu-s")
	}
}

// BenchmarkTokenize is the baseline of BenchmarkTrain: tokenizing only.
func BenchmarkTokenize(b *testing.B) {
	docs := benchDocs(b, 4096)
	for _, o := range benchOptions() {
		b.Run(o.name, func(b *testing.B) {
			tok := classify.NewTokenizer(o.opt)
			b.ReportAllocs()
			cpu := cpuTime()
			for i := 0; b.Loop(); i++ {
				tok.Tokenize(docs[i%len(docs)].Text)
			}
			reportRate(b, cpuTime()-cpu)
		})
	}
}

// BenchmarkTrainMemory trains on 10,000 and 100,000 documents over the
// same vocabulary and reports the live heap of the model: it grows with
// the vocabulary, not with the corpus.
//
//	go test ./training -run '^$' -bench TrainMemory -benchtime 1x
func BenchmarkTrainMemory(b *testing.B) {
	docs := benchDocs(b, 4096)
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			for b.Loop() {
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				m := classify.NewModel("bench", nil, Classes(docs, nil), classify.Options{})
				for i := range n {
					d := docs[i%len(docs)]
					m.Learn(d.Text, d.Labels, 1)
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "heap-MB")
				b.ReportMetric(float64(m.Vocabulary()), "vocabulary")
				runtime.KeepAlive(m)
			}
		})
	}
}

// BenchmarkEvalSeed is a leave-one-out evaluation of the default
// configuration on the seed labels.
func BenchmarkEvalSeed(b *testing.B) {
	seed := readSeed(b)
	for b.Loop() {
		if _, err := Evaluate(seed, DefaultConfig(), EvalOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHeldoutSample measures the held-out predictions of a streamed
// training's calibration (heldoutSample) on a sample of 10,000 seed-like
// documents, in CPU time per document (all cores):
//
//	go test ./training -run '^$' -bench HeldoutSample -benchtime 5x
func BenchmarkHeldoutSample(b *testing.B) {
	docs := benchDocs(b, 10000)
	for _, o := range benchOptions() {
		b.Run(o.name, func(b *testing.B) {
			cfg, m, sample := benchSample(b, docs, o.opt)
			start := cpuTime()
			for b.Loop() {
				if _, err := heldoutSample(m, sample, cfg, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N*len(docs)), "cpu-ns/doc")
		})
	}
}

// benchSample returns a streamed training's configuration with options
// opt, its model of docs and docs as its held-out sample.
func benchSample(b *testing.B, docs []Doc, opt classify.Options) (Config, *classify.Model, []posDoc) {
	cfg := Config{Name: "bench", Options: opt, Seed: 1}
	m, _, err := trainStreamAt(Docs(docs), cfg, 8, len(docs))
	if err != nil {
		b.Fatal(err)
	}
	sample := make([]posDoc, len(docs))
	for i, d := range docs {
		sample[i] = posDoc{i, d}
	}
	return cfg, m, sample
}

// BenchmarkFitTemperature is the temperature fit of a streamed
// calibration on the held-out predictions of 10,000 documents: a search
// over the grids of temperatures, a mean NLL over the documents a step.
func BenchmarkFitTemperature(b *testing.B) {
	docs := benchDocs(b, 10000)
	for _, o := range benchOptions() {
		b.Run(o.name, func(b *testing.B) {
			cfg, m, sample := benchSample(b, docs, o.opt)
			r, err := heldoutSample(m, sample, cfg, nil)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := fitTemperature(r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
