package vader

import (
	"bufio"
	"os"
	"strings"
	"syscall"
	"testing"
	"unicode"

	"github.com/jonreiter/govader"
)

// seedComments returns the comment bodies of the seed thread: after the
// three header lines, author and body lines alternate.
func seedComments(tb testing.TB) []string {
	tb.Helper()
	f, err := os.Open("../../testdata/nyt-huawei-shared-values-2019-12-27.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		if n >= 5 && (n-5)%2 == 0 && strings.TrimSpace(sc.Text()) != "" {
			out = append(out, sc.Text())
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	if len(out) < 40 {
		tb.Fatalf("seed thread: %d comment bodies, want at least 40", len(out))
	}
	return out
}

// cpuNanos returns the process's user+system CPU time. With -cpu=1 it
// measures the benchmark's work even when other processes share the cores
// and stretch the wall-clock ns/op.
func cpuNanos() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// run calls op on the texts in turn until b.Loop ends, and reports
// comments per wall-clock second, CPU ns per comment and comments per CPU
// second besides Go's figures.
func run(b *testing.B, texts []string, op func(text string)) {
	b.ReportAllocs()
	var start int64
	n := 0
	for b.Loop() {
		if n == 0 {
			start = cpuNanos()
		}
		op(texts[n%len(texts)])
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "comments/s")
	if n > 1 {
		cpu := float64(cpuNanos()-start) / float64(n-1)
		b.ReportMetric(cpu, "cpu-ns/op")
		b.ReportMetric(1e9/cpu, "comments/cpu-s")
	}
}

// sink keeps results alive so the compiler cannot drop the work.
var sink float64

// BenchmarkPolarityScores scores seed comments (about 430 bytes each).
func BenchmarkPolarityScores(b *testing.B) {
	a := New()
	run(b, seedComments(b), func(text string) { sink += a.PolarityScores(text).Compound })
}

// BenchmarkAnalyze scores seed comments and their sentences.
func BenchmarkAnalyze(b *testing.B) {
	a := New()
	run(b, seedComments(b), func(text string) {
		s, m := a.Analyze(text)
		sink += s.Compound + m
	})
}

// BenchmarkGovader runs github.com/jonreiter/govader on the same texts,
// the reference point of the performance target.
func BenchmarkGovader(b *testing.B) {
	a := govader.NewSentimentIntensityAnalyzer()
	run(b, seedComments(b), func(text string) { sink += a.PolarityScores(text).Compound })
}

// BenchmarkBaselineFields is the floor any word-based scorer pays:
// strings.Fields plus lower-casing every word.
func BenchmarkBaselineFields(b *testing.B) {
	run(b, seedComments(b), func(text string) {
		for _, w := range strings.Fields(text) {
			sink += float64(len(strings.ToLower(w)))
		}
	})
}

// BenchmarkBaselineScan is a zero-allocation floor: one pass over the
// bytes, classifying runes as space or not.
func BenchmarkBaselineScan(b *testing.B) {
	run(b, seedComments(b), func(text string) {
		words := 0
		in := false
		for _, r := range text {
			sp := unicode.IsSpace(r)
			if !sp && !in {
				words++
			}
			in = !sp
		}
		sink += float64(words)
	})
}

// BenchmarkTokenize splits, lower-cases and looks up the words of seed
// comments: the per-byte part of scoring.
func BenchmarkTokenize(b *testing.B) {
	a := New()
	st := new(scratch)
	run(b, seedComments(b), func(text string) { sink += float64(len(a.tokenize(st, text))) })
}
