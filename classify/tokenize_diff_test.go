package classify

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// allTokenOptions returns the 8 combinations of the token options.
func allTokenOptions() []Options {
	var out []Options
	for f := range 8 {
		out = append(out, Options{Negation: f&1 != 0, Bigrams: f&2 != 0, Stopwords: f&4 != 0})
	}
	return out
}

// sameAsReference reports the first difference between the tokens (and
// their spans and hashes) of t and of the reference tokenizer r on text.
func sameAsReference(tb testing.TB, t *Tokenizer, r *refTokenizer, text string) {
	tb.Helper()
	n, rn := t.Tokenize(text), r.Tokenize(text)
	if n != rn {
		tb.Fatalf("%d tokens, reference %d, for %q", n, rn, text)
	}
	for i := range n {
		if got, want := string(t.Token(i)), string(r.Token(i)); got != want {
			tb.Fatalf("token %d = %q, reference %q, for %q", i, got, want, text)
		}
		if t.spans[i] != r.spans[i] {
			tb.Fatalf("span %d = %+v, reference %+v, for %q", i, t.spans[i], r.spans[i], text)
		}
		if h := hashString(string(t.Token(i))); t.spans[i].h != h {
			tb.Fatalf("token %q hash %x, hashString %x", t.Token(i), t.spans[i].h, h)
		}
	}
}

// randomText builds text from words, negations, stopwords, apostrophes,
// entities, URLs, non-ASCII letters and clause marks.
func randomText(rng *rand.Rand, words []string) string {
	pieces := []string{"not", "no", "never", "don't", "isn’t", "cannot", "dont", "the", "a", "of",
		"it's", "Café", "naïve", "ÉTÉ", "&#39;", "&amp;", "&eacute;", "x@y.org", "http://a.b/c",
		"www.x.org", "@Bob", "<b>", ".", ",", "!", "\n", "…", "5G", "1,000", "n't", "'", "’",
		"verylongwordverylongword", "abcdefgh", "abcdefghi", "Not_Good", "NOT", "Nor"}
	var sb strings.Builder
	for range rng.IntN(60) {
		if rng.IntN(3) == 0 {
			sb.WriteString(pieces[rng.IntN(len(pieces))])
		} else {
			sb.WriteString(words[rng.IntN(len(words))])
		}
		sb.WriteString([]string{" ", " ", " ", "", "-", "  ", "\t"}[rng.IntN(7)])
	}
	return sb.String()
}

// TestTokenizeMatchesReference checks that the tokenizer gives exactly the
// tokens of the reference copy for every option combination, on the seed
// bodies and on random texts, with reused tokenizers.
func TestTokenizeMatchesReference(t *testing.T) {
	bodies := seedBodies(t)
	var words []string
	for _, b := range bodies {
		words = append(words, strings.Fields(b)...)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, opt := range allTokenOptions() {
		tk, ref := NewTokenizer(opt), newRefTokenizer(opt)
		for _, b := range bodies {
			sameAsReference(t, tk, ref, b)
		}
		for range 3000 {
			sameAsReference(t, tk, ref, randomText(rng, words))
		}
	}
}

// TestBinaryTFIDF checks the table of binary TF-IDF features against the
// general computation of update, bit for bit.
func TestBinaryTFIDF(t *testing.T) {
	g := log1pSmall[1]
	var ss float64
	for n := 1; n <= 5000; n++ {
		ss += g * g
		if got, want := binaryTFIDF(n), g/math.Sqrt(ss); got != want {
			t.Fatalf("binaryTFIDF(%d) = %v, want %v", n, got, want)
		}
	}
}

// FuzzTokenizeReference checks that the tokenizer gives the tokens, spans
// and hashes of the reference copy for any input and token options.
func FuzzTokenizeReference(f *testing.F) {
	for _, s := range []string{
		"Don’t trust @Huawei, see https://x.com/a?b or mail a.b@c.org &amp; <b>bold</b>",
		"Café NAÏVE 5G isn&#39;t &#x27; &#8217; &bogus; &#99999999; not good. no way\nnever",
		"not abcdefgh abcdefghi ijklmnopq x verylongwordverylongword, no a b c d é ü",
	} {
		f.Add(s, uint8(3))
	}
	var tks [8]*Tokenizer
	var refs [8]*refTokenizer
	for i, opt := range allTokenOptions() {
		tks[i], refs[i] = NewTokenizer(opt), newRefTokenizer(opt)
	}
	f.Fuzz(func(t *testing.T, text string, flags uint8) {
		sameAsReference(t, tks[flags&7], refs[flags&7], text)
		opt := allTokenOptions()[flags&7]
		sameAsReference(t, NewTokenizer(opt), newRefTokenizer(opt), text)
	})
}
