package vader

import (
	"bufio"
	"os"
	"strings"
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

// reportRate adds a comments/s metric: b.N comments in the elapsed time.
func reportRate(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "comments/s")
}

// sink keeps results alive so the compiler cannot drop the work.
var sink float64

// BenchmarkPolarityScores scores seed comments (about 430 bytes each).
func BenchmarkPolarityScores(b *testing.B) {
	texts := seedComments(b)
	a := New()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sink += a.PolarityScores(texts[i%len(texts)]).Compound
	}
	reportRate(b)
}

// BenchmarkAnalyze scores seed comments and their sentences.
func BenchmarkAnalyze(b *testing.B) {
	texts := seedComments(b)
	a := New()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, m := a.Analyze(texts[i%len(texts)])
		sink += s.Compound + m
	}
	reportRate(b)
}

// BenchmarkGovader runs github.com/jonreiter/govader on the same texts,
// the reference point of the performance target.
func BenchmarkGovader(b *testing.B) {
	texts := seedComments(b)
	a := govader.NewSentimentIntensityAnalyzer()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sink += a.PolarityScores(texts[i%len(texts)]).Compound
	}
	reportRate(b)
}

// BenchmarkBaselineFields is the floor any word-based scorer pays:
// strings.Fields plus lower-casing every word.
func BenchmarkBaselineFields(b *testing.B) {
	texts := seedComments(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, w := range strings.Fields(texts[i%len(texts)]) {
			sink += float64(len(strings.ToLower(w)))
		}
	}
	reportRate(b)
}

// BenchmarkBaselineScan is a zero-allocation floor: one pass over the
// bytes, classifying runes as space or not.
func BenchmarkBaselineScan(b *testing.B) {
	texts := seedComments(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		words := 0
		in := false
		for _, r := range texts[i%len(texts)] {
			sp := unicode.IsSpace(r)
			if !sp && !in {
				words++
			}
			in = !sp
		}
		sink += float64(words)
	}
	reportRate(b)
}
