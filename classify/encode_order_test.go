package classify

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestSortedTermIDs checks the keyed sort against strings.Compare on
// terms that share 8 bytes and more, prefixes of each other, NUL and
// bytes above 0x7f, and random words.
func TestSortedTermIDs(t *testing.T) {
	terms := []string{
		"", "a", "a\x00", "a\x00b", "ab", "abcdefgh", "abcdefgh\x00", "abcdefghi", "abcdefgh a", "abcdefgg zz",
		"über", "uber", "u\xff", "zz", "z", "abcdefghij", "abcdefgh", "not_good", "not good", "not",
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		var b strings.Builder
		for range r.IntN(14) {
			b.WriteByte("ab \x00\xc3\xbc"[r.IntN(6)])
		}
		terms = append(terms, b.String())
	}
	got := sortedTermIDs(terms)
	want := make([]int32, len(terms))
	for i := range want {
		want[i] = int32(i)
	}
	slices.SortStableFunc(want, func(a, b int32) int { return strings.Compare(terms[a], terms[b]) })
	if len(got) != len(want) {
		t.Fatalf("%d ids, want %d", len(got), len(want))
	}
	for i := range got {
		if terms[got[i]] != terms[want[i]] {
			t.Fatalf("position %d: %q, want %q", i, terms[got[i]], terms[want[i]])
		}
	}
}

// TestSortedClone checks that a model with its terms renumbered in term
// order (a copy, or in place) is the same model: the same hash and
// encoding, the same posteriors, cues and top tokens bit for bit, before
// and after a refinement, with terms unlearned (no documents), and that
// unlearning and learning texts (new terms too) changes it as it changes
// the model.
func TestSortedClone(t *testing.T) {
	texts := append(seedBodies(t), "I don't think this is not good, nor bad. Never again!",
		"Huawei: not what @nyt says #5G, never", "zyzzyva quux")
	classes := []string{"a", "b", "c"}
	for _, opt := range []Options{presets["default"], presets["opinion"], presets["topic"],
		{Bigrams: true, Negation: true, CharGrams: 4, Tags: true, PerTarget: true, Binary: true}} {
		m := NewModel("t", nil, classes, opt)
		var ex []Example
		for i, text := range texts {
			m.Learn(text, []string{classes[i%3]}, 1)
			ex = append(ex, Example{text, classes[i%3]})
		}
		m.Unlearn(texts[len(texts)-1], []string{classes[(len(texts)-1)%3]}, 1)
		for _, refine := range []bool{false, true} {
			if refine {
				if err := m.Refine(ex, 1); err != nil {
					t.Fatal(err)
				}
			}
			c := m.SortedClone()
			sameModel(t, opt, m, c, texts)
			in := m.Clone()
			in.Predict(texts[0]) // tables built before: SortTerms drops them
			in.SortTerms()
			sameModel(t, opt, m, in, texts)
			if slices.Equal(m.terms, c.terms) {
				t.Fatalf("%v: the terms were in term order already: nothing tested", opt)
			}
			if !slices.IsSorted(c.terms) {
				t.Fatalf("%v: the copy's terms are not in term order", opt)
			}
		}
		a, c, ref, in := m.Clone(), m.SortedClone(), m.Clone(), m.Clone()
		for _, x := range []*Model{ref, in} {
			x.Learn(texts[2], []string{classes[1]}, 1) // the model's own Featurizer knows the old ids
			x.Unlearn(texts[2], []string{classes[1]}, 1)
		}
		in.SortTerms()
		for _, x := range []*Model{a, c, ref, in} {
			x.Unlearn(texts[0], []string{classes[0]}, 1)
			x.Learn(texts[1], []string{classes[2]}, 0.5)
			x.Learn("brand new words zyzzyva", []string{classes[1]}, 1)
		}
		sameModel(t, opt, a, c, texts)
		sameModel(t, opt, ref, in, texts)
	}
}

// sameModel fails unless a and b have the same hash and encoding and give
// texts the same posteriors, cues and top tokens.
func sameModel(t *testing.T, opt Options, a, b *Model, texts []string) {
	t.Helper()
	if a.Hash() != b.Hash() {
		t.Fatalf("%v: hash %s, want %s", opt, b.Hash(), a.Hash())
	}
	var ea, eb strings.Builder
	if err := a.EncodeBinary(&ea); err != nil {
		t.Fatal(err)
	}
	if err := b.EncodeBinary(&eb); err != nil {
		t.Fatal(err)
	}
	if ea.String() != eb.String() {
		t.Fatalf("%v: the encodings differ", opt)
	}
	for i, text := range texts {
		pa, pb := a.Posteriors(text, nil), b.Posteriors(text, nil)
		for c := range pa {
			if math.Float64bits(pa[c]) != math.Float64bits(pb[c]) {
				t.Fatalf("%v, text %d: posteriors %v, want %v", opt, i, pb, pa)
			}
		}
		if x, y := a.Predict(text), b.Predict(text); !reflect.DeepEqual(x, y) {
			t.Fatalf("%v, text %d: prediction %+v, want %+v", opt, i, y, x)
		}
	}
	if x, y := a.TopTokensByClass(10), b.TopTokensByClass(10); !reflect.DeepEqual(x, y) {
		t.Fatalf("%v: top tokens %v, want %v", opt, y, x)
	}
}
