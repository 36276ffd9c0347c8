package classify

import (
	"math"
	"slices"
	"testing"
)

// TestHeldoutDocMatchesText checks the held-out path of prepared documents
// against the one of texts: a fold counted from HeldoutPreparer.Prepare's
// documents (Folds.CountHeldout) gives the scorer a fold counted from a
// Featurizer's Features gives, and FoldScorer.HeldoutDoc gives Heldout's
// posteriors (to the bit) and out-of-vocabulary counts, for every option
// set that changes the tokens or the features, on learned texts and on
// texts with words the model never saw.
func TestHeldoutDocMatchesText(t *testing.T) {
	texts := append(seedBodies(t),
		"I don't think this is not good, nor bad. Never again!",
		"see https://example.com/x y or mail me@example.com now, not later",
		"Schöne Grüße, naïve café – it isn’t über-cool &amp; it's &#39;fine&#39;",
		"Huawei: not what @nyt says #5G, never", "Atheism: God is good #blessed")
	unseen := []string{"zyzzyva quux frobnicate", "", "not the zyzzyva, never!", texts[3] + " zyzzyva"}
	classes := []string{"a", "b", "c", "d", "e"}
	for _, opt := range []Options{
		{},
		presets["default"], presets["opinion"], presets["topic"],
		{Binary: true},
		{TFIDF: true},
		{Bigrams: true, Negation: true, Stopwords: true, Structure: true, CharGrams: 4},
		{Bigrams: true, Negation: true, Tags: true, PerTarget: true, Structure: true, CharGrams: 3},
	} {
		m := NewModel("t", nil, classes, opt)
		for i, text := range texts {
			m.Learn(text, []string{classes[i%len(classes)]}, 1)
		}
		foA, foB := NewFolds(m, 1), NewFolds(m, 1)
		z := NewFeaturizer(m.Options)
		hp := m.NewHeldoutPreparer()
		var f Features
		var hd HeldoutDoc
		for i, text := range texts {
			if i%3 != 0 {
				continue
			}
			labels := []string{classes[i%len(classes)]}
			z.Features(text, &f)
			hp.Prepare(text, &hd)
			if err := foA.Count(0, &f, labels, 1); err != nil {
				t.Fatal(err)
			}
			if err := foB.CountHeldout(0, &hd, labels, 1); err != nil {
				t.Fatal(err)
			}
		}
		sA, sB := foA.Without(0), foB.Without(0)
		for i, text := range append(slices.Clone(texts), unseen...) {
			postA, uA, tA := sA.Heldout(text, nil)
			hp.Prepare(text, &hd)
			postB, uB, tB := sB.HeldoutDoc(&hd, nil)
			if uA != uB || tA != tB || len(postA) != len(postB) {
				t.Fatalf("%v, text %d: prepared %v %d/%d, from the text %v %d/%d", opt, i, postB, uB, tB, postA, uA, tA)
			}
			for c := range postA {
				if math.Float64bits(postA[c]) != math.Float64bits(postB[c]) {
					t.Fatalf("%v, text %d: prepared posteriors %v, from the text %v", opt, i, postB, postA)
				}
			}
		}
	}
}

// TestPreparePairsMatchesText checks a bigram model's HeldoutPreparer,
// which finds bigrams by their words' ids (preparePairs), against the
// preparation through the scorer's features (prepareText): the same ids,
// values and word tokens, on the texts the model learned and on texts with
// words and bigrams it lacks, for every option set with bigrams.
func TestPreparePairsMatchesText(t *testing.T) {
	texts := append(seedBodies(t),
		"I don't think this is not good, nor bad. Never again!",
		"see https://example.com/x y or mail me@example.com now, not later",
		"the the the the a a an of of", "not", "", "word",
		"Schöne Grüße, naïve café – it isn’t über-cool &amp; it's &#39;fine&#39;")
	pieces := []string{"not", "no", "never", "don't", "isn't", "the", "a", "good", "bad", "huawei", "5g",
		"zyzzyva", "quux", "abcdefghijk", "naïve", ".", ",", "!", "?", "www.example.com", "@name", "’", "-", "\n"}
	random := pieceTexts(pieces, 2000, 30, 21)
	classes := []string{"a", "b", "c"}
	for _, opt := range []Options{
		{Bigrams: true},
		{Bigrams: true, Binary: true},
		{Bigrams: true, Negation: true, Stopwords: true, Structure: true, CharGrams: 4},
		presets["opinion"],
	} {
		m := NewModel("t", nil, classes, opt)
		for i, text := range texts {
			m.Learn(text, []string{classes[i%len(classes)]}, 1)
		}
		for i, text := range random[:500] { // the rest is new to the model
			m.Learn(text, []string{classes[i%len(classes)]}, 1)
		}
		hp := m.NewHeldoutPreparer()
		if hp.tok == nil {
			t.Fatalf("%v: the preparer does not find bigrams by pairs", opt)
		}
		var a, b HeldoutDoc
		for round := range 2 {
			for i, text := range append(slices.Clone(texts), random...) {
				hp.preparePairs(text, &a)
				hp.prepareText(text, &b)
				if !slices.Equal(a.ids, b.ids) || !slices.Equal(a.tf, b.tf) || !slices.Equal(a.words, b.words) {
					t.Fatalf("%v, round %d, text %d %q: by pairs %+v, from the text %+v", opt, round, i, text, a, b)
				}
			}
		}
	}
}

// TestLearnHeldoutMatchesText checks the counting of prepared documents
// against that of texts: UnlearnHeldout and LearnHeldout change a model
// as Unlearn and Learn do for the same text, labels and weight (the same
// hash, tokens and predictions, bit for bit), and Model.HeldoutDoc gives
// Posteriors and OOV of the text, on the model that learned it and on one
// that unlearned it, for every option set that changes the tokens or the
// features, documents of one label and of two, at weights 1 and 0.5.
func TestLearnHeldoutMatchesText(t *testing.T) {
	texts := append(seedBodies(t),
		"I don't think this is not good, nor bad. Never again!",
		"see https://example.com/x y or mail me@example.com now, not later",
		"Schöne Grüße, naïve café – it isn’t über-cool &amp; it's &#39;fine&#39;",
		"Huawei: not what @nyt says #5G, never", "Atheism: God is good #blessed", "the the the not not", "")
	classes := []string{"a", "b", "c", "d", "e"}
	labelsOf := func(i int) []string {
		if i%4 == 1 {
			return []string{classes[i%len(classes)], classes[(i+2)%len(classes)]}
		}
		return []string{classes[i%len(classes)]}
	}
	weightOf := func(i int) float64 { return []float64{1, 0.5, 1, 2}[i%4] }
	for _, opt := range []Options{
		{},
		presets["default"], presets["opinion"], presets["topic"],
		{Binary: true}, {TFIDF: true}, {Binary: true, TFIDF: true},
		{Bigrams: true, Negation: true, Stopwords: true, Structure: true, CharGrams: 4},
		{Bigrams: true, Negation: true, Tags: true, PerTarget: true, Structure: true, CharGrams: 3, TFIDF: true},
	} {
		m := NewModel("t", nil, classes, opt)
		for i, text := range texts {
			m.Learn(text, labelsOf(i), weightOf(i))
		}
		hp := m.NewHeldoutPreparer()
		var hd HeldoutDoc
		a, b := m.Clone(), m.Clone()
		for i, text := range texts {
			if i%3 != 0 {
				continue
			}
			hp.Prepare(text, &hd)
			a.Unlearn(text, labelsOf(i), weightOf(i))
			b.UnlearnHeldout(&hd, labelsOf(i), weightOf(i))
			sameModels(t, opt, "unlearned", i, a, b)
			for j, other := range []string{text, texts[(i+1)%len(texts)], "zyzzyva not good"} {
				want := a.Posteriors(other, nil)
				unk, tot := a.OOV(other)
				hp.Prepare(other, &hd)
				got, gu, gt := b.HeldoutDoc(&hd, nil)
				if gu != unk || gt != tot || len(got) != len(want) {
					t.Fatalf("%v, text %d, scored %d: prepared %v %d/%d, from the text %v %d/%d", opt, i, j, got, gu, gt, want, unk, tot)
				}
				for c := range want {
					if math.Float64bits(got[c]) != math.Float64bits(want[c]) {
						t.Fatalf("%v, text %d, scored %d: prepared posteriors %v, from the text %v", opt, i, j, got, want)
					}
				}
			}
			hp.Prepare(text, &hd)
			a.Learn(text, labelsOf(i), weightOf(i))
			b.LearnHeldout(&hd, labelsOf(i), weightOf(i))
			sameModels(t, opt, "learned back", i, a, b)
		}
	}
}

// sameModels fails unless a and b have the same hash, document and token
// totals.
func sameModels(t *testing.T, opt Options, what string, i int, a, b *Model) {
	t.Helper()
	if a.Hash() != b.Hash() {
		t.Fatalf("%v, text %d %s: prepared hash %s, from the text %s", opt, i, what, b.Hash(), a.Hash())
	}
	for _, c := range a.Classes() {
		if a.Docs(c) != b.Docs(c) || math.Float64bits(a.Tokens(c)) != math.Float64bits(b.Tokens(c)) {
			t.Fatalf("%v, text %d %s, class %s: prepared %v docs %v tokens, from the text %v, %v",
				opt, i, what, c, b.Docs(c), b.Tokens(c), a.Docs(c), a.Tokens(c))
		}
	}
}
