package training

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// TestFastTextPlainAgrees checks fastTextPlain against the word-by-word
// reading on random lines of labels, words and white space: whenever it
// reads a line, it reads what fastTextDoc's words give.
func TestFastTextPlainAgrees(t *testing.T) {
	labels := []string{"__label__a", "__label__b", "__label__a", "__label__", "__label__a|b", "word"}
	words := []string{"word", "mot", "né", "x__label__y", "’", "\x01", "__label__c", ""}
	seps := []string{" ", " ", " ", " ", " ", "  ", "\t", "\u00a0", "\u2003", "\r"}
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(p []string) string { return p[rng.IntN(len(p))] }
	read := 0
	for range 20000 {
		var sb strings.Builder
		for range rng.IntN(3) {
			sb.WriteString(pick(labels) + pick(seps))
		}
		for i := range rng.IntN(5) {
			if i > 0 {
				sb.WriteString(pick(seps))
			}
			sb.WriteString(pick(words))
		}
		if rng.IntN(10) == 0 {
			sb.WriteString(pick(seps))
		}
		line := sb.String()
		got, ok := fastTextPlain("f", 3, line)
		if !ok {
			continue
		}
		read++
		var text, wantLabels []string
		for _, f := range strings.Fields(line) {
			if l, isLabel := strings.CutPrefix(f, "__label__"); isLabel {
				if !slices.Contains(wantLabels, l) {
					wantLabels = append(wantLabels, l)
				}
				continue
			}
			text = append(text, f)
		}
		want := Doc{Text: strings.Join(text, " "), Labels: wantLabels, File: "f", Line: 3}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("line %q: read %+v, word by word %+v", line, got, want)
		}
	}
	if read < 100 {
		t.Fatalf("only %d of the random lines read the quick way", read)
	}
}

// TestPlainWords checks plainWords against its definition on random
// strings of spaces, white space, control bytes, ASCII and other runes, at
// every length and alignment around the 8-byte words it reads.
func TestPlainWords(t *testing.T) {
	pieces := []string{" ", " ", "a", "b", "Z", "0", "'", "\t", "\n", "\r", "\v", "\f", "\x01", "\x1f", "_",
		"é", "’", "\u00a0", "\u0085", "\u2003", "\u3000", "\x7f", "\xff", "~"}
	want := func(s string) bool {
		if strings.Contains(s, "  ") {
			return false
		}
		for _, r := range s {
			if r != ' ' && unicode.IsSpace(r) {
				return false
			}
		}
		return true
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 100000 {
		var sb strings.Builder
		n := rng.IntN(30)
		for range n {
			if rng.IntN(4) == 0 {
				sb.WriteString(pieces[rng.IntN(len(pieces))])
			} else {
				sb.WriteString(pieces[rng.IntN(5)])
			}
		}
		s := sb.String()
		if got := plainWords(s); got != want(s) {
			t.Fatalf("plainWords(%q) = %v, want %v", s, got, want(s))
		}
	}
}

// TestFastTextASCIIAgrees checks fastTextASCII, which reads a line's bytes,
// against fastTextPlain on the same random lines: it reads every ASCII line
// fastTextPlain reads, as it reads it, and no other; and plainASCII against
// plainWords on ASCII strings.
func TestFastTextASCIIAgrees(t *testing.T) {
	labels := []string{"__label__a", "__label__b", "__label__a", "__label__", "__label__a|b", "__label__c\x01", "word"}
	words := []string{"word", "mot", "né", "x__label__y", "\x01", "__label__c", "", "a\tb", "abcdefghij"}
	seps := []string{" ", " ", " ", " ", " ", "  ", "\t", "\u00a0", "\r", "\v"}
	rng := rand.New(rand.NewPCG(15, 16))
	pick := func(p []string) string { return p[rng.IntN(len(p))] }
	interned := map[string][]string{}
	read := 0
	for range 50000 {
		var sb strings.Builder
		for range rng.IntN(3) {
			sb.WriteString(pick(labels) + pick(seps))
		}
		for i := range rng.IntN(8) {
			if i > 0 {
				sb.WriteString(pick(seps))
			}
			sb.WriteString(pick(words))
		}
		line := sb.String()
		ascii := true
		for i := range len(line) {
			ascii = ascii && line[i] < 0x80
		}
		got, ok := fastTextASCII("f", 3, []byte(line), interned)
		want, wantOK := fastTextPlain("f", 3, line)
		if ok && (!wantOK || !reflect.DeepEqual(got, want)) || !ok && ascii && wantOK || ok && !ascii {
			t.Fatalf("line %q: fastTextASCII %+v %v, fastTextPlain %+v %v", line, got, ok, want, wantOK)
		}
		if ok {
			read++
			if len(got.Labels) == 1 && cap(got.Labels) != 1 {
				t.Fatalf("line %q: one label with capacity %d: an append would write into a shared array", line, cap(got.Labels))
			}
		}
		if ascii {
			if plainASCII([]byte(line)) != plainWords(line) {
				t.Fatalf("plainASCII(%q) = %v, plainWords %v", line, plainASCII([]byte(line)), plainWords(line))
			}
		}
	}
	if read < 200 {
		t.Fatalf("only %d of the random lines read from their bytes", read)
	}
}

// TestPlainASCIIBytes checks plainASCII against a byte-at-a-time reading
// of its doc comment on random byte strings of 0 to 40 bytes: spaces in
// runs across the 8-byte words, the ASCII white space, bytes above 0x7f.
func TestPlainASCIIBytes(t *testing.T) {
	want := func(b []byte) bool {
		for i, c := range b {
			if c >= 0x80 || '\t' <= c && c <= '\r' || c == ' ' && i > 0 && b[i-1] == ' ' {
				return false
			}
		}
		return true
	}
	alphabet := []byte("ab    ~\x7f\x1f\x00\t\n\v\f\r\x80\xc3\xff")
	rng := rand.New(rand.NewPCG(17, 18))
	plain := 0
	for range 200000 {
		b := make([]byte, rng.IntN(41))
		for i := range b {
			b[i] = 'a'
			if rng.IntN(4) == 0 {
				b[i] = alphabet[rng.IntN(len(alphabet))]
			}
		}
		if got := plainASCII(b); got != want(b) {
			t.Fatalf("plainASCII(%q) = %v", b, got)
		} else if got {
			plain++
		}
	}
	if plain < 1000 {
		t.Fatalf("only %d plain strings", plain)
	}
}
