package classify

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestStructureTokens(t *testing.T) {
	opt := Options{Structure: true}
	for text, want := range map[string][]string{
		"":                              {"#len0"},
		"good":                          {"good", "#len1"},
		"Is it GOOD? see http://x.y/z":  {"is", "it", "good", "see", "#len3", "#question", "#link", "#caps"},
		`@ann said "no way"!`:           {"said", "no", "way", "#len2", "#exclaim", "#quote", "#mention"},
		"mail a@b.c, I am OK, A B":      {"mail", "i", "am", "ok", "a", "b", "#len3", "#caps"},
		"one two three four five six x": {"one", "two", "three", "four", "five", "six", "x", "#len3"},
		"un deux trois quatre cinq six sept huit": {"un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "#len4"},
	} {
		if got := Tokenize(text, opt); !slices.Equal(got, want) {
			t.Errorf("Tokenize(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestCharGrams(t *testing.T) {
	got := Tokenize("Good café", Options{CharGrams: 4})
	want := []string{"good", "café",
		"~<go", "~goo", "~ood", "~od>", "~<goo", "~good", "~ood>",
		"~<ca", "~caf", "~afé", "~fé>", "~<caf", "~café", "~afé>"}
	if !slices.Equal(got, want) {
		t.Errorf("char grams %q\nwant %q", got, want)
	}
	// Bigrams are not split into n-grams; a one-letter word gives "<a>".
	got = Tokenize("a b", Options{CharGrams: 3, Bigrams: true})
	if want := []string{"a", "b", "a b", "~<a>", "~<b>"}; !slices.Equal(got, want) {
		t.Errorf("char grams with bigrams %q, want %q", got, want)
	}
	// The OOV rate counts words only.
	m := NewModel("x", nil, nil, Options{CharGrams: 4, Structure: true})
	m.Learn("good film", []string{"a"}, 1)
	if u, n := m.OOV("good movie?"); u != 1 || n != 2 {
		t.Errorf("OOV = %d of %d, want 1 of 2", u, n)
	}
}

func TestTagsAndTargets(t *testing.T) {
	for _, c := range []struct {
		text string
		opt  Options
		want []string
	}{
		{"@Ann says #ProLife: yes", Options{}, []string{"says", "prolife", "yes"}},
		{"@Ann says #ProLife: yes", Options{Tags: true}, []string{"@ann", "says", "#prolife", "prolife", "yes"}},
		{"a @b c", Options{Tags: true, Bigrams: true}, []string{"a", "@b", "c", "a c"}},
		{"# @ #1 @_x", Options{Tags: true}, []string{"#1", "1", "@_x"}},
		{"Atheism: God is good", Options{PerTarget: true}, []string{"god", "is", "good",
			"atheism|god", "atheism|is", "atheism|good", "atheism|"}},
		{"Hillary Clinton: not her", Options{PerTarget: true, Bigrams: true, Negation: true}, []string{"not", "not_her", "not not_her",
			"hillary_clinton|not", "hillary_clinton|not_her", "hillary_clinton|not not_her", "hillary_clinton|"}},
		{"Atheism: ok", Options{PerTarget: true, CharGrams: 3, Structure: true}, []string{"ok", "~<ok", "~ok>", "#len1",
			"atheism|ok", "atheism|~<ok", "atheism|~ok>", "atheism|#len1", "atheism|"}},
		{"no target here", Options{PerTarget: true}, []string{"no", "target", "here"}},
		{"Atheism: God", Options{}, []string{"atheism", "god"}},
	} {
		if got := Tokenize(c.text, c.opt); !slices.Equal(got, c.want) {
			t.Errorf("Tokenize(%q, %s) = %q, want %q", c.text, c.opt, got, c.want)
		}
	}
	for text, want := range map[string]string{
		"Atheism: x":                          "atheism",
		"Climate Change is a Real Concern: x": "climate_change_is_a_real_concern",
		"  Café--Crème!: x":                   "café_crème",
		"Legalization of Abortion:x":          "",
		"a\nb: x":                             "",
		"--: x":                               "",
		": x":                                 "",
		strings.Repeat("a", MaxTargetBytes) + ": x":   strings.Repeat("a", MaxTargetBytes),
		strings.Repeat("a", MaxTargetBytes+1) + ": x": "",
		"no target": "",
	} {
		if got := TargetOf(text); got != want {
			t.Errorf("TargetOf(%q) = %q, want %q", text, got, want)
		}
	}
}

// TestCrossCountsMatchesUnlearn checks that the predictions of
// CrossCounts are those of a model that unlearns each fold, for every kind
// of option it varies, the refinement included.
func TestCrossCountsMatchesUnlearn(t *testing.T) {
	var texts []string
	for _, b := range seedBodies(t) {
		for _, s := range strings.Split(b, ". ") {
			if len(s) > 20 {
				texts = append(texts, s)
			}
		}
	}
	if len(texts) < 150 {
		t.Fatalf("%d sentences", len(texts))
	}
	label := func(i int) string {
		// A label that depends on the words, so that there is something
		// to learn, and noise.
		s := strings.ToLower(texts[i])
		switch {
		case strings.Contains(s, "china") || strings.Contains(s, "chinese"):
			return "china"
		case i%3 == 0:
			return "x"
		}
		return "rest"
	}
	const k = 4
	// Half the texts about a target, some with tags.
	for i := range texts {
		if i%2 == 0 {
			texts[i] = []string{"Huawei: ", "5G in Europe: "}[i%4/2] + texts[i]
		}
		if i%5 == 0 {
			texts[i] += " @nyt #5G"
		}
	}
	for _, tok := range []Options{{}, {Bigrams: true, Negation: true, Structure: true, CharGrams: 4},
		{Stopwords: true, Structure: true}, {Bigrams: true, Tags: true, PerTarget: true, Structure: true, CharGrams: 3}} {
		x := NewCrossCounts(tok, nil, k)
		// A pseudo-document in every training part.
		x.Add("china china beijing", []string{"china"}, 2, -1, false)
		for i, s := range texts {
			x.Add(s, []string{label(i)}, 1, i%k, true)
		}
		var opts []Options
		for _, base := range []Options{{}, {Binary: true}, {TFIDF: true}, {TFIDF: true, Binary: true}, {Complement: true, TFIDF: true}} {
			for _, o := range []Options{{Alpha: 0.5}, {Alpha: 1, FlatPrior: 1}, {Alpha: 2, FlatPrior: 2}, {Alpha: 1, Interpolation: 0.5}} {
				o.Binary, o.TFIDF, o.Complement = base.Binary, base.TFIDF, base.Complement
				o.Negation, o.Bigrams, o.Stopwords = tok.Negation, tok.Bigrams, tok.Stopwords
				o.Tags, o.PerTarget = tok.Tags, tok.PerTarget
				opts = append(opts, o)
				if tok.Structure {
					o.Structure = true
					o.CharGrams = tok.CharGrams
					opts = append(opts, o)
				}
			}
			o := Options{Alpha: 1, Binary: base.Binary, TFIDF: base.TFIDF, Complement: base.Complement, Refine: true,
				Negation: tok.Negation, Bigrams: tok.Bigrams, Stopwords: tok.Stopwords, Structure: tok.Structure, CharGrams: tok.CharGrams,
				Tags: tok.Tags, PerTarget: tok.PerTarget}
			opts = append(opts, o)
		}
		x.Seed = 7
		got, err := x.Predict(opts)
		if err != nil {
			t.Fatal(err)
		}
		classes := x.Classes()
		for i, o := range opts {
			m := NewModel("cv", nil, classes, o)
			m.Learn("china china beijing", []string{"china"}, 2)
			for j, s := range texts {
				m.Learn(s, []string{label(j)}, 1)
			}
			wrong, diff := 0, 0
			for f := range k {
				var ex []Example
				for j, s := range texts {
					if j%k == f {
						m.Unlearn(s, []string{label(j)}, 1)
					} else {
						ex = append(ex, Example{s, label(j)})
					}
				}
				if o.Refine {
					ex = append(ex, Example{"china china beijing", "china"})
					if err := m.Refine(ex, 7); err != nil {
						t.Fatal(err)
					}
				}
				for j, s := range texts {
					if j%k != f {
						continue
					}
					p := m.Predict(s)
					if p.Label != classes[got[i][j]] {
						diff++
					}
					if p.Label != label(j) {
						wrong++
					}
				}
				for j, s := range texts {
					if j%k == f {
						m.Learn(s, []string{label(j)}, 1)
					}
				}
			}
			if diff > 0 {
				t.Errorf("%s: %d of %d predictions differ from the unlearned model's", o, diff, len(texts))
			}
			if wrong > len(texts)*6/10 {
				t.Errorf("%s: %d of %d wrong", o, wrong, len(texts))
			}
		}
	}
	if _, err := NewCrossCounts(Options{}, nil, 2).Predict([]Options{{Bigrams: true}}); err == nil {
		t.Error("options with other tokens accepted")
	}
}

// FuzzFeatures checks the structure tokens and character n-grams on any
// text: the words come first and are those of the tokenizer without the
// features, there is one length token, every feature token is well formed,
// and each word gives its n-grams.
func FuzzFeatures(f *testing.F) {
	for _, s := range []string{"Is it GOOD? see http://x.y/z", `@ann said "no way"!`, "Café naïve 5G", "", "a", "\xff"} {
		f.Add(s, uint8(5))
	}
	f.Fuzz(func(t *testing.T, text string, flags uint8) {
		base := Options{Negation: flags&1 != 0, Bigrams: flags&2 != 0, Stopwords: flags&4 != 0}
		opt := base
		opt.Structure = true
		opt.CharGrams = 3 + int(flags>>3)%4
		words := Tokenize(text, base)
		toks := Tokenize(text, opt)
		if len(toks) < len(words) || !slices.Equal(toks[:len(words)], words) {
			t.Fatalf("words %q, with features %q", words, toks)
		}
		lens, grams := 0, 0
		for _, tok := range toks[len(words):] {
			switch {
			case !utf8.ValidString(tok):
				t.Fatalf("invalid token %q from %q", tok, text)
			case strings.HasPrefix(tok, "#len"):
				lens++
			case strings.HasPrefix(tok, "#"):
				if !slices.Contains(StructureTokens, tok) {
					t.Fatalf("structure token %q from %q", tok, text)
				}
			case strings.HasPrefix(tok, CharGramPrefix):
				n := utf8.RuneCountInString(tok) - 1
				if n < 3 || n > opt.CharGrams {
					t.Fatalf("n-gram %q (%d runes) from %q", tok, n, text)
				}
				grams++
			default:
				t.Fatalf("feature token %q from %q", tok, text)
			}
		}
		want := 0
		for _, w := range words {
			if strings.Contains(w, " ") || len(w) > 254 {
				continue // a bigram; a very long word has no n-grams
			}
			r := utf8.RuneCountInString(w) + 2
			if r >= 63 {
				continue
			}
			for g := 3; g <= opt.CharGrams; g++ {
				want += max(0, r-g+1)
			}
		}
		if lens != 1 || grams != want {
			t.Fatalf("%d length tokens, %d n-grams (want %d) from %q", lens, grams, want, text)
		}
	})
}

// TestPairFeaturesMatchBytes checks the Featurizer's bigrams found by the
// ids of their words (Tokenizer.pairs) against the bigrams spelled out by
// the tokenizer and looked up by their bytes: the same terms, hashes, ids,
// features and fresh terms, document after document, for every option set
// with bigrams, on the seed bodies and on texts with negations, stopwords,
// URLs, e-mail addresses, long words and clause marks.
func TestPairFeaturesMatchBytes(t *testing.T) {
	texts := append(seedBodies(t),
		"I don't think this is not good, nor bad. Never again!",
		"Extraordinarily incomprehensible counterarguments notwithstanding: no.",
		"see https://example.com/x y or mail me@example.com now, not later",
		"the the the the a a an of of", "not", "", "word",
		"Schöne Grüße, naïve café – it isn’t über-cool &amp; it's &#39;fine&#39;")
	// Random texts of words and marks around the tokenizer's fast paths:
	// negations, stopwords, words of 7, 8 and more bytes, clause marks,
	// URLs and addresses, apostrophes, capitals, accents.
	pieces := []string{"not", "no", "never", "dont", "don't", "isn't", "nor", "shouldnt", "without", "the", "a", "it's", "good",
		"bad", "Huawei", "abcdefg", "abcdefgh", "abcdefghijk", "extraordinarily", "x", "42", "é",
		"naïve", ".", ",", "!", "?", ";", "www.example.com", "http://x.y/z", "me@x.org", "@name", "&amp;",
		"<br/>", "’", "-", "\n", "  ", "#tag", "Atheism: "}
	texts = append(texts, pieceTexts(pieces, 3000, 40, 9)...)
	for _, opt := range []Options{
		{Bigrams: true},
		{Bigrams: true, Negation: true},
		{Bigrams: true, Negation: true, Stopwords: true, Binary: true, TFIDF: true},
		{Bigrams: true, Stopwords: true, Structure: true, CharGrams: 4},
		{Bigrams: true, Negation: true, Tags: true, PerTarget: true, Structure: true, CharGrams: 3},
		presets["opinion"],
	} {
		pz, bz := NewFeaturizer(opt), NewFeaturizer(opt)
		if !pz.tok.pairs {
			t.Fatalf("%v: the Featurizer does not find bigrams by pairs", opt)
		}
		bz.tok.pairs = false
		var pf, bf Features
		for round := range 2 {
			for i, text := range texts {
				pz.Features(text, &pf)
				bz.Features(text, &bf)
				if !slices.Equal(pf.ids, bf.ids) || !slices.Equal(pf.values(), bf.values()) || pf.uniform != bf.uniform || pf.n != bf.n || pf.base != bf.base ||
					!slices.Equal(pf.fresh, bf.fresh) || !slices.Equal(pf.freshH, bf.freshH) {
					t.Fatalf("%v, round %d, text %d: by pairs %+v, by bytes %+v", opt, round, i, pf, bf)
				}
			}
		}
		if !slices.Equal(pz.terms, bz.terms) || !slices.Equal(pz.hashes, bz.hashes) {
			t.Fatalf("%v: the vocabularies differ", opt)
		}
		for i, term := range pz.terms {
			if pz.hashes[i] != hashString(term) {
				t.Fatalf("%v: term %q has hash %x, want %x", opt, term, pz.hashes[i], hashString(term))
			}
		}
	}
}

// pieceTexts returns n random texts of fewer than maxPieces of pieces
// each, separated by a space but one time in six (glued to the last),
// seeded by seed.
func pieceTexts(pieces []string, n, maxPieces int, seed uint64) []string {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	texts := make([]string, n)
	for i := range texts {
		var sb strings.Builder
		for w := range rng.IntN(maxPieces) {
			if w > 0 && rng.IntN(6) != 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(pieces[rng.IntN(len(pieces))])
		}
		texts[i] = sb.String()
	}
	return texts
}

// TestMarkDistinctMatchesCounts checks the distinct terms of a binary
// Featurizer (markDistinct, no counts) against those countDistinct gathers
// from the same token ids, with the features docFeatures makes of its
// counts: the same ids in the same order and the same features, for binary
// option sets with and without bigrams and TF-IDF, across a wrap of the
// document generation.
func TestMarkDistinctMatchesCounts(t *testing.T) {
	texts := append(seedBodies(t),
		"I don't think this is not good, nor bad. Never again!",
		"the the the the a a an of of", "not", "", "word", "good good bad good")
	for _, opt := range []Options{
		{Binary: true},
		{Binary: true, TFIDF: true},
		{Binary: true, Bigrams: true, Negation: true},
		{Binary: true, Stopwords: true, Structure: true, CharGrams: 4},
		presets["opinion"],
	} {
		z := NewFeaturizer(opt)
		var f, ref Features
		for round := range 3 {
			if round == 2 {
				z.gen = math.MaxUint32 - 5 // wraps within the round
			}
			for i, text := range texts {
				z.Features(text, &f)
				tokID := slices.Clone(z.tokID)
				z.gen++ // a document generation of its own for the reference
				if z.gen == 0 {
					clear(z.seen)
					z.gen = 1
				}
				z.countDistinct(tokID, &ref)
				docFeatures(ref.tf, z.opt)
				if !f.uniform || !slices.Equal(f.ids, ref.ids) || !slices.Equal(f.values(), ref.tf) {
					t.Fatalf("%v, round %d, text %d: marked %v %v, counted %v %v", opt, round, i, f.ids, f.values(), ref.ids, ref.tf)
				}
			}
		}
	}
}

// TestAddUniformMatchesValues checks Model.Add and Folds.Count of binary
// Features, whose values are one number (Features.uniform), against the
// same Features with their values spelled out: the same model hash, the
// same fold counts, for binary option sets with and without TF-IDF, with
// documents of one label (addOne) and of two (addCounts), added and
// removed.
func TestAddUniformMatchesValues(t *testing.T) {
	texts := append(seedBodies(t), "not good, not bad", "", "good good good")
	labels := [][]string{{"a"}, {"b"}, {"c", "a"}, {"b"}, {"a"}}
	for _, opt := range []Options{{Binary: true}, {Binary: true, TFIDF: true}, presets["opinion"]} {
		mu := NewModel("u", nil, nil, opt)
		ms := NewModel("u", nil, nil, opt)
		z := NewFeaturizer(opt)
		fu := NewFolds(mu, 2)
		fs := NewFolds(ms, 2)
		var f Features
		for i, text := range texts {
			z.Features(text, &f)
			if !f.uniform {
				t.Fatalf("%v: features of %q are not uniform", opt, text)
			}
			spelled := f
			spelled.uniform = false
			spelled.ids = slices.Clone(f.ids)
			spelled.tf = slices.Clone(f.values())
			l := labels[i%len(labels)]
			if err := mu.Add(&f, l, 1.5); err != nil {
				t.Fatal(err)
			}
			if err := ms.Add(&spelled, l, 1.5); err != nil {
				t.Fatal(err)
			}
			if err := fu.Count(i%2, &f, l, 1.5); err != nil {
				t.Fatal(err)
			}
			if err := fs.Count(i%2, &spelled, l, 1.5); err != nil {
				t.Fatal(err)
			}
			if i%7 == 3 { // take it away again
				if err := mu.Remove(&f, l, 1.5); err != nil {
					t.Fatal(err)
				}
				if err := ms.Remove(&spelled, l, 1.5); err != nil {
					t.Fatal(err)
				}
			}
		}
		if mu.Hash() != ms.Hash() {
			t.Fatalf("%v: model hash %s with uniform features, %s spelled out", opt, mu.Hash(), ms.Hash())
		}
		for k := range 2 {
			pu, ps := fu.part(k), fs.part(k)
			if !slices.Equal(pu.counts, ps.counts) || !slices.Equal(pu.df, ps.df) || !slices.Equal(pu.dn, ps.dn) {
				t.Fatalf("%v: fold %d differs", opt, k)
			}
		}
	}
}

// FuzzTargets checks the tokens of Tags and PerTarget on any text: with
// Tags, the tokens are those without it plus the @ and # tokens, each an
// @ or # and a lower-case name; with PerTarget, a text with a target (as
// TargetOf reads it) gives the tokens of the text after its prefix, each
// of them again conjoined with the target in the same order, and the
// target's own token last; a text without one gives its tokens alone.
func FuzzTargets(f *testing.F) {
	for _, s := range []string{"Atheism: God is #good @ann", "Hillary Clinton: not her. #StopHillary2016", "a: b", ": x",
		"no target", "x\ny: z", "@a #b #", "Café Crème: naïve", "\xff: \xfe"} {
		f.Add(s, uint8(7))
	}
	f.Fuzz(func(t *testing.T, text string, flags uint8) {
		base := Options{Negation: flags&1 != 0, Bigrams: flags&2 != 0, Stopwords: flags&4 != 0, Structure: flags&8 != 0}
		if flags&16 != 0 {
			base.CharGrams = 3
		}
		tagged := base
		tagged.Tags = true
		plain, tags := Tokenize(text, base), Tokenize(text, tagged)
		var untagged []string
		for _, tok := range tags {
			if tok[0] == '@' || tok[0] == '#' && !slices.Contains(plain, tok) {
				name := tok[1:]
				if name == "" || !utf8.ValidString(tok) || strings.ContainsAny(name, " @#|") || strings.ToLower(name) != name {
					t.Fatalf("tag token %q from %q", tok, text)
				}
				continue
			}
			untagged = append(untagged, tok)
		}
		if !base.Structure && base.CharGrams == 0 && !slices.Equal(untagged, plain) {
			// (The structure and n-gram tokens count the tags as words.)
			t.Fatalf("with tags %q, without %q (from %q)", tags, plain, text)
		}
		opt := tagged
		opt.PerTarget = true
		toks := Tokenize(text, opt)
		target, rest := splitTarget(text)
		if target != TargetOf(text) || (target == "") != (rest == text) {
			t.Fatalf("splitTarget(%q) = %q, %q; TargetOf %q", text, target, rest, TargetOf(text))
		}
		if target == "" {
			if !slices.Equal(toks, tags) {
				t.Fatalf("no target in %q: tokens %q, want %q", text, toks, tags)
			}
			return
		}
		if strings.ContainsAny(target, " |") || strings.HasPrefix(target, "_") || strings.HasSuffix(target, "_") || strings.Contains(target, "__") {
			t.Fatalf("target %q of %q", target, text)
		}
		own := Tokenize(rest, tagged)
		if len(toks) != 2*len(own)+1 || !slices.Equal(toks[:len(own)], own) || toks[len(toks)-1] != target+"|" {
			t.Fatalf("%q: tokens %q, of the rest %q", text, toks, own)
		}
		for i, tok := range own {
			if toks[len(own)+i] != target+"|"+tok {
				t.Fatalf("%q: conjoined token %d is %q, want %q", text, i, toks[len(own)+i], target+"|"+tok)
			}
		}
	})
}

// TestCrossCountsWorkers checks that CrossCounts does not depend on how
// many cores tokenize its documents (AddDocs against Add) nor on how many
// folds are predicted side by side: on 3,000 texts in 5 folds, with every
// kind of token (bigrams, negation, structure, character n-grams, tags,
// targets) and naive Bayes tables of every kind, prior flattening and the
// refinement, one core and four count the same terms, kinds and documents
// and give the same labels.
func TestCrossCountsWorkers(t *testing.T) {
	var pieces []string
	for _, b := range seedBodies(t) {
		pieces = append(pieces, strings.Fields(b)...)
	}
	pieces = append(pieces, "#5G", "@nyt", "!", "?", "not", "never")
	texts := pieceTexts(pieces, 3000, 40, 11)
	for i := range texts {
		if i%2 == 0 {
			texts[i] = []string{"Huawei: ", "5G in Europe: "}[i%4/2] + texts[i]
		}
	}
	label := func(s string) string {
		s = strings.ToLower(s)
		switch {
		case strings.Contains(s, "china"):
			return "china"
		case strings.Contains(s, "europe"):
			return "europe"
		case len(s)%3 == 0:
			return "x"
		}
		return "rest"
	}
	tok := Options{Bigrams: true, Negation: true, Structure: true, CharGrams: 3, Tags: true, PerTarget: true}
	var opts []Options
	for _, o := range []Options{{Alpha: 1}, {Alpha: 0.5, Binary: true}, {Alpha: 1, TFIDF: true, FlatPrior: 1},
		{Alpha: 0.3, Complement: true, TFIDF: true}, {Alpha: 1, Binary: true, Refine: true},
		{Alpha: 2, Binary: true, Structure: true, CharGrams: 3}} {
		o.Bigrams, o.Negation, o.Tags, o.PerTarget = true, true, true, true
		opts = append(opts, o)
	}
	count := func(procs int, batch bool) (*CrossCounts, [][]int) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		x := NewCrossCounts(tok, nil, 5)
		x.Seed = 3
		x.Add("china china beijing", []string{"china"}, 2, -1, false)
		var docs []CrossDoc
		for i, s := range texts {
			docs = append(docs, CrossDoc{Text: s, Labels: []string{label(s)}, Weight: 1, Fold: i % 5, Predict: i%7 != 0})
		}
		if batch {
			x.AddDocs(docs)
		} else {
			for _, d := range docs {
				x.Add(d.Text, d.Labels, d.Weight, d.Fold, d.Predict)
			}
		}
		got, err := x.Predict(opts)
		if err != nil {
			t.Fatal(err)
		}
		return x, got
	}
	x1, one := count(1, false)
	x4, four := count(4, true)
	if !slices.Equal(x1.vm.terms, x4.vm.terms) || !slices.Equal(x1.kind, x4.kind) || !slices.Equal(x1.held, x4.held) {
		t.Fatalf("the vocabulary, term kinds or held documents differ: %d and %d terms", len(x1.vm.terms), len(x4.vm.terms))
	}
	if len(x1.docs) != len(x4.docs) {
		t.Fatalf("%d and %d documents", len(x1.docs), len(x4.docs))
	}
	for k := range x1.docs {
		a, b := x1.docs[k], x4.docs[k]
		if !slices.Equal(a.ids, b.ids) || !slices.Equal(a.tf, b.tf) || !slices.Equal(a.labels, b.labels) || a.fold != b.fold || a.weight != b.weight {
			t.Fatalf("document %d differs", k)
		}
	}
	for i, o := range opts {
		if !slices.Equal(one[i], four[i]) {
			t.Errorf("%s: predictions differ between one core and four", o)
		}
		if len(one[i]) != x1.Held() {
			t.Errorf("%s: %d predictions for %d held documents", o, len(one[i]), x1.Held())
		}
	}
}
