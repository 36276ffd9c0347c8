package training

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
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
