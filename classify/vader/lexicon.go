package vader

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/jonreiter/govader/data"
)

// Constants of vaderSentiment 3.3.2.
const (
	bIncr   = 0.293  // booster increment (B_INCR)
	bDecr   = -0.293 // dampener decrement (B_DECR)
	cIncr   = 0.733  // ALL-CAPS emphasis (C_INCR)
	nScalar = -0.74  // negation scalar (N_SCALAR)
	alpha   = 15.0   // normalisation constant of the compound
)

// Word flags: properties of a lower-cased word that the rules test. One map
// lookup per token yields all of them.
const (
	fLex     uint32 = 1 << iota // in the sentiment lexicon
	fBooster                    // single-word key of the booster dict
	fNegate                     // in the NEGATE list
	fIdiom                      // part of a SPECIAL_CASES or multi-word booster key
	fNo                         // "no"
	fOrNor                      // "or" or "nor"
	fLeast                      // "least"
	fAtVery                     // "at" or "very"
	fKind                       // "kind"
	fOf                         // "of"
	fNever                      // "never"
	fSoThis                     // "so" or "this"
	fWithout                    // "without"
	fDoubt                      // "doubt"
	fBut                        // "but"
	fDecr                       // a dampener (B_DECR) rather than a booster
)

// wordInfo is what the analyzer knows about one lower-cased word.
type wordInfo struct {
	valence float64 // lexicon valence when flags&fLex != 0
	flags   uint32
}

// negateWords is the NEGATE list of vaderSentiment 3.3.2.
var negateWords = []string{
	"aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt",
	"ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
	"dont", "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt", "neither",
	"don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
	"neednt", "needn't", "never", "none", "nope", "nor", "not", "nothing", "nowhere",
	"oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent",
	"oughtn't", "shan't", "shouldn't", "uh-uh", "wasn't", "weren't",
	"without", "wont", "wouldnt", "won't", "wouldn't", "rarely", "seldom", "despite",
}

// boosterWords lists the single-word boosters (B_INCR) and dampeners (B_DECR)
// of the BOOSTER_DICT of vaderSentiment 3.3.2.
var (
	boosterIncr = strings.Fields(`absolutely amazingly awfully completely considerable considerably
		decidedly deeply effing enormous enormously entirely especially exceptional exceptionally
		extreme extremely fabulously flipping flippin frackin fracking fricking frickin frigging
		friggin fully fuckin fucking fuggin fugging greatly hella highly hugely incredible incredibly
		intensely major majorly more most particularly purely quite really remarkably so substantially
		thoroughly total totally tremendous tremendously uber unbelievably unusually utter utterly very`)
	boosterDecr = strings.Fields(`almost barely hardly kinda kindof kind-of less little marginal
		marginally occasional occasionally partly scarce scarcely slight slightly somewhat sorta sortof sort-of`)
	// boosterPhrases are the multi-word BOOSTER_DICT keys; they only take
	// effect through the n-gram step of the special idioms check.
	boosterPhrases = map[string]float64{"just enough": bDecr, "kind of": bDecr, "sort of": bDecr}
)

// specialCases is SPECIAL_CASES of vaderSentiment 3.3.2: idioms and phrases
// containing lexicon words, whose valence replaces the computed one.
var specialCases = map[string]float64{
	"the shit": 3, "the bomb": 3, "bad ass": 1.5, "badass": 1.5, "bus stop": 0.0,
	"yeah right": -2, "kiss of death": -1.5, "to die for": 3,
	"beating heart": 3.1, "broken heart": -2.9,
}

// extraLexicon holds the vaderSentiment 3.3.2 lexicon entries that the
// govader copy of the lexicon lacks.
var extraLexicon = map[string]float64{
	"heart":  3.2,
	"hearts": 3.2,
}

// tables are the immutable, parsed lexicons shared by every Analyzer.
type tables struct {
	words   map[string]wordInfo // every word the rules know
	dict    *dict               // words, as a fast hash table
	special map[string]float64  // SPECIAL_CASES
	phrases map[string]float64  // multi-word booster keys
	emoji   map[rune]string     // single-code-point emoji -> description
	// emojiSet has bit r set for every key r of emoji: most non-ASCII
	// characters of a text (accents, curly quotes, dashes) are not emoji,
	// and a bit test is cheaper than a map lookup.
	emojiSet []uint64
}

// isEmoji reports whether r is a key of t.emoji.
func (t *tables) isEmoji(r rune) bool {
	w := uint(r) / 64
	return w < uint(len(t.emojiSet)) && t.emojiSet[w]&(1<<(uint(r)%64)) != 0
}

// loadTables parses the embedded lexicons once.
var loadTables = sync.OnceValue(func() *tables {
	t, err := buildTables()
	if err != nil {
		// The lexicons are compiled into the binary: failing here is a
		// build defect, not bad input.
		panic("vader: " + err.Error())
	}
	return t
})

func buildTables() (*tables, error) {
	lex, err := data.Asset("rawdata/vaderLexicon.txt")
	if err != nil {
		return nil, fmt.Errorf("load lexicon: %w", err)
	}
	emo, err := data.Asset("rawdata/emojiUTF8Lexicon.txt")
	if err != nil {
		return nil, fmt.Errorf("load emoji lexicon: %w", err)
	}
	t := &tables{
		words:   make(map[string]wordInfo, 8000),
		special: specialCases,
		phrases: boosterPhrases,
		emoji:   make(map[rune]string, 1300),
	}
	set := func(w string, f func(*wordInfo)) {
		wi := t.words[w]
		f(&wi)
		t.words[w] = wi
	}
	err = eachRecord(lex, "vaderLexicon.txt", func(line int, word, measure string) error {
		v, err := strconv.ParseFloat(measure, 64)
		if err != nil {
			return fmt.Errorf("vaderLexicon.txt line %d: field measure: %w", line, err)
		}
		set(word, func(wi *wordInfo) { wi.valence = v; wi.flags |= fLex })
		return nil
	})
	if err != nil {
		return nil, err
	}
	for w, v := range extraLexicon {
		if _, ok := t.words[w]; ok && t.words[w].flags&fLex != 0 {
			continue // a newer govader already has it: keep its value
		}
		set(w, func(wi *wordInfo) { wi.valence = v; wi.flags |= fLex })
	}
	err = eachRecord(emo, "emojiUTF8Lexicon.txt", func(line int, key, desc string) error {
		r, size := utf8.DecodeRuneInString(key)
		// Python iterates the text code point by code point, so only
		// single-code-point keys can ever match.
		if size == len(key) && r != utf8.RuneError {
			t.emoji[r] = desc
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for r := range t.emoji {
		for int(r)/64 >= len(t.emojiSet) {
			t.emojiSet = append(t.emojiSet, 0)
		}
		t.emojiSet[r/64] |= 1 << (uint(r) % 64)
	}
	for _, w := range boosterIncr {
		set(w, func(wi *wordInfo) { wi.flags |= fBooster })
	}
	for _, w := range boosterDecr {
		set(w, func(wi *wordInfo) { wi.flags |= fBooster | fDecr })
	}
	for _, w := range negateWords {
		set(w, func(wi *wordInfo) { wi.flags |= fNegate })
	}
	for k := range specialCases {
		for _, w := range strings.Fields(k) {
			set(w, func(wi *wordInfo) { wi.flags |= fIdiom })
		}
	}
	for k := range boosterPhrases {
		for _, w := range strings.Fields(k) {
			set(w, func(wi *wordInfo) { wi.flags |= fIdiom })
		}
	}
	for w, f := range map[string]uint32{
		"no": fNo, "or": fOrNor, "nor": fOrNor, "least": fLeast, "at": fAtVery, "very": fAtVery,
		"kind": fKind, "of": fOf, "never": fNever, "so": fSoThis, "this": fSoThis,
		"without": fWithout, "doubt": fDoubt, "but": fBut,
	} {
		set(w, func(wi *wordInfo) { wi.flags |= f })
	}
	t.dict = newDict(t.words)
	return t, nil
}

// eachRecord calls fn with the first two tab-separated fields of every
// non-empty line, as make_lex_dict and make_emoji_dict do (each line is
// stripped of surrounding whitespace first).
func eachRecord(b []byte, name string, fn func(line int, a, b string) error) error {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		a, rest, ok := strings.Cut(line, "\t")
		if !ok {
			return fmt.Errorf("%s line %d: want at least two tab-separated fields", name, n)
		}
		second, _, _ := strings.Cut(rest, "\t")
		if err := fn(n, a, second); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	return nil
}
