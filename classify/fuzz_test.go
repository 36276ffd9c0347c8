package classify

import (
	"bytes"
	"compress/gzip"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzTokenize checks the tokenizer's invariants on any input: no panic,
// tokens non-empty valid UTF-8 without spaces (bigrams: exactly one), no
// URL, mention or tag debris, and a reused tokenizer agrees with a fresh one.
func FuzzTokenize(f *testing.F) {
	for _, s := range []string{
		"Don’t trust @Huawei, see https://x.com/a?b or mail a.b@c.org &amp; <b>bold</b>",
		"Café NAÏVE 5G isn&#39;t &#x27; &#8217; &bogus; &#99999999; not good. no way\nnever",
		"", "@", "&", "<", "a<b", "&#", "www.", "http://", "x@", "'", "n't", "\xff\xfe",
	} {
		f.Add(s, uint8(7))
	}
	reused := NewTokenizer(Options{Negation: true, Bigrams: true, Stopwords: true})
	f.Fuzz(func(t *testing.T, text string, flags uint8) {
		opt := Options{Negation: flags&1 != 0, Bigrams: flags&2 != 0, Stopwords: flags&4 != 0}
		toks := Tokenize(text, opt)
		for _, tok := range toks {
			spaces := strings.Count(tok, " ")
			if tok == "" || !utf8.ValidString(tok) || spaces > 1 || (spaces == 1 && !opt.Bigrams) ||
				strings.ContainsAny(tok, "@<>&\t\n\r") || strings.Contains(tok, "://") {
				t.Fatalf("bad token %q from %q", tok, text)
			}
			if strings.HasPrefix(tok, NegationPrefix) && !opt.Negation {
				// Only a word spelled "not_..." could give this, and '_' splits words.
				t.Fatalf("negation prefix without negation: %q from %q", tok, text)
			}
		}
		if opt == (Options{Negation: true, Bigrams: true, Stopwords: true}) {
			reused.Tokenize(text)
			if got := reused.Tokens(); strings.Join(got, "\x00") != strings.Join(toks, "\x00") {
				t.Fatalf("reused tokenizer gives %q, fresh %q", got, toks)
			}
		}
	})
}

// FuzzDecodeModel checks that no input makes DecodeModel panic, that every
// error it gives matches one of its three sentinel errors, and that a
// model it accepts predicts and re-encodes to the same hash.
func FuzzDecodeModel(f *testing.F) {
	m := handModel(Options{Bigrams: true})
	m.Taxonomy = &Taxonomy{Arguments: []Argument{{ID: "A", Stance: "for"}, {ID: "B"}}, Fallback: "B"}
	var b bytes.Buffer
	if err := m.Encode(&b); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add(encoded(f, refinedHandModel(f)))
	f.Add(encoded(f, rawRefinedHandModel(f)))
	f.Add([]byte(`{"format":"stance-model","version":1}`))
	f.Add([]byte(`{"format":"stance-model","version":2}`))
	f.Add([]byte{0x1f, 0x8b, 8, 0})
	// gzipped: whole, with a wrong checksum, with damaged deflate data
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(b.Bytes())
	zw.Close()
	f.Add(bytes.Clone(gz.Bytes()))
	crc := bytes.Clone(gz.Bytes())
	crc[len(crc)-5] ^= 1
	f.Add(crc)
	deflate := bytes.Clone(gz.Bytes())
	deflate[10] = 0xff
	f.Add(deflate)
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := DecodeModel(bytes.NewReader(data))
		if err != nil {
			// As documented: every error is one of the three kinds.
			if !errors.Is(err, ErrNotModel) && !errors.Is(err, ErrCorruptModel) && !errors.Is(err, ErrModelVersion) {
				t.Fatalf("error %q is none of ErrNotModel, ErrCorruptModel, ErrModelVersion", err)
			}
			return
		}
		_ = d.Predict("x y z x x")
		_ = d.TopTokens("A", 3)
		for _, c := range d.Classes() {
			_ = d.TopTokens(c, 2)
		}
		_ = NewScorer(d).ScoreText("x")
		var out bytes.Buffer
		if err := d.Encode(&out); err != nil {
			t.Fatal(err)
		}
		encodedBytes := bytes.Clone(out.Bytes())
		again, err := DecodeModel(&out)
		if err != nil {
			t.Fatalf("re-encoded model does not decode: %v", err)
		}
		// A version 1 model keeps its version 1 hash until written as
		// version 2; from then on the hash is stable.
		if !d.legacy && again.Hash() != d.Hash() {
			t.Fatal("hash changes on re-encoding")
		}
		var out2 bytes.Buffer
		if err := again.Encode(&out2); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out2.Bytes(), encodedBytes) {
			t.Fatal("encoding changes on a second round trip")
		}
	})
}
