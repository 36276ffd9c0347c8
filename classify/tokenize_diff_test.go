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

// sameAsReference checks that t gives, for text, the tokens of the
// reference tokenizer with the options opt (t's options): the same texts
// in the same order, bigrams pointing at the same first word, and each
// token's hash as documented.
func sameAsReference(tb testing.TB, t *Tokenizer, opt Options, text string) {
	tb.Helper()
	want := refTokenize(text, opt)
	n := t.Tokenize(text)
	for i := range min(n, len(want)) {
		if got := string(t.Token(i)); got != want[i].text {
			tb.Fatalf("%+v: token %d = %q, reference %q, for %q\ngot  %q\nwant %q", opt, i, got, want[i].text, text, t.Tokens(), refTexts(want))
		}
		if got := int(t.spans[i].first); got != want[i].first {
			tb.Fatalf("%+v: token %d (%q) first word %d, reference %d, for %q", opt, i, want[i].text, got, want[i].first, text)
		}
		if got, h := t.spans[i].h, refHash(want[i].text); got != h {
			tb.Fatalf("%+v: token %d (%q) hash %x, reference %x, for %q", opt, i, want[i].text, got, h, text)
		}
	}
	if n != len(want) {
		tb.Fatalf("%+v: %d tokens, reference %d, for %q\ngot  %q\nwant %q", opt, n, len(want), text, t.Tokens(), refTexts(want))
	}
}

// refTexts returns the texts of the tokens.
func refTexts(toks []refToken) []string {
	out := make([]string, len(toks))
	for i, tok := range toks {
		out[i] = tok.text
	}
	return out
}

// randomText builds text from words, negations, stopwords, apostrophes,
// entities, URLs, non-ASCII letters and clause marks.
func randomText(rng *rand.Rand, words []string) string {
	pieces := []string{"not", "no", "never", "don't", "isn’t", "cannot", "dont", "the", "a", "of",
		"it's", "Café", "naïve", "ÉTÉ", "&#39;", "&amp;", "&eacute;", "x@y.org", "http://a.b/c",
		"www.x.org", "@Bob", "<b>", ".", ",", "!", "\n", "…", "5G", "1,000", "n't", "'", "’",
		"verylongwordverylongword", "abcdefgh", "abcdefghi", "Not_Good", "NOT", "Nor",
		"\r", "\u2028", "。", "¿", "¡", "&hellip;", "&#10;", "&#64;", "a&#58;//b", "don&#8217;t", "&#X2019;s",
		"isn&apos;t", "’s", "@_x", "<!-- x -->", "<a\nhref=x>", "<", ">", "a.b@c.d", "x:y", "WWW.", "Www.x",
		"हिन्दी", "İstanbul", "\u212a", "ǅ", "\u0301a", "ß", "\xff", "٣", "Ⅷ", "_", "\"q\"", "1\ufe0f\u20e3"}
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
		tk := NewTokenizer(opt)
		for _, b := range bodies {
			sameAsReference(t, tk, opt, b)
		}
		for range 3000 {
			sameAsReference(t, tk, opt, randomText(rng, words))
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
	for i, opt := range allTokenOptions() {
		tks[i] = NewTokenizer(opt)
	}
	f.Fuzz(func(t *testing.T, text string, flags uint8) {
		opt := allTokenOptions()[flags&7]
		sameAsReference(t, tks[flags&7], opt, text)
		sameAsReference(t, NewTokenizer(opt), opt, text)
	})
}
