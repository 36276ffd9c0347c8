package classify

import (
	"slices"
	"strings"
)

// wordCues reports whether the cues of a model with options o are words
// of the text with the contributions of the tokens made from them summed
// (see [Cue]): with character n-grams or per-target tokens, whose tokens
// ("~<unb", "hillary_clinton|~ls>") say little on their own.
func (o Options) wordCues() bool { return o.CharGrams > 0 || o.PerTarget }

// cueUnit is a word of the text (or a structure token, or the target's
// own token) whose tokens' contributions a word cue sums. Its key is
// t.buf[start:end] of the tokenizer: the word, without a hashtag's '#'.
type cueUnit struct {
	start, end int32
	hash       bool // a #hashtag token of the word counted: shown with '#'
	v          float64
}

// wordCues returns the units of the text (see [Options.wordCues]) with
// the largest positive contribution to score_top − score_ru, ties to the
// alphabetically first. A unit's contribution is that of every token made
// from it: the word's own token, its character n-grams, its copies
// conjoined with the target, and a #hashtag's tag token. A term that
// several tokens of the text hold (an n-gram of two words, a word written
// twice) gives each of them an even share of its contribution.
// s.known holds the index in s.ids of each token's term (see
// scratch.features), f the features score scored s.ids with.
func (d *derived) wordCues(m *Model, s *scratch, f []float64, top, ru int) []Cue {
	want := d.opt.cues()
	t := s.tok
	n := len(t.spans)
	if want == 0 || n == 0 {
		return nil
	}
	// The unit of every token, the units found by their keys in an
	// open-addressing table of unit indexes + 1 (0: empty).
	unit := slices.Grow(s.unit[:0], n)[:n]
	s.unit = unit
	units := s.units[:0]
	size := 16
	for size < 2*n {
		size *= 2
	}
	table := slices.Grow(s.unitTable[:0], size)[:size]
	s.unitTable = table
	clear(table)
	buf := t.buf
	add := func(j int, word bool) int32 {
		sp := t.spans[j]
		start, end := sp.start, sp.end
		hash := word && end-start > 1 && buf[start] == '#'
		if hash {
			start++
		}
		key := buf[start:end]
		// The tokenizer leaves 8 bytes of room past every token, which
		// hashArena reads.
		i := int(hashArena(buf, int(start), int(end))) & (size - 1)
		for ; table[i] != 0; i = (i + 1) & (size - 1) {
			if u := &units[table[i]-1]; string(buf[u.start:u.end]) == string(key) {
				u.hash = u.hash || hash
				return table[i] - 1
			}
		}
		units = append(units, cueUnit{start: start, end: end, hash: hash})
		table[i] = int32(len(units))
		return int32(len(units) - 1)
	}
	// Each term's contribution, shared evenly among its tokens (occ:
	// how many they are; the counts tf themselves unless binary).
	nc := d.nc
	occ := s.tf
	if d.opt.Binary {
		occ = s.occ
	}
	share := slices.Grow(s.share[:0], len(s.ids))[:len(s.ids)]
	s.share = share
	for k, id := range s.ids {
		row := d.w[int(id)*nc : int(id)*nc+nc]
		share[k] = f[k] * (row[top] - row[ru]) / occ[k]
	}
	// Each token's unit, and its share added to it.
	known := s.known[:n]
	take := func(j int, u int32) {
		unit[j] = u
		if k := known[j]; k >= 0 {
			units[u].v += share[k]
		}
	}
	words, conj := t.words, min(t.conj, n)
	j := 0
	for ; j < words; j++ {
		take(j, add(j, true))
	}
	if t.charGrams > 0 {
		for i := range words {
			if t.spans[i].first >= 0 {
				continue // a bigram has no n-grams
			}
			for range gramCount(t.Token(i), t.charGrams) {
				take(j, unit[i])
				j++
			}
		}
	}
	for ; j < conj; j++ {
		take(j, add(j, false)) // structure tokens
	}
	for ; j < n; j++ {
		if q := j - conj; q < conj {
			take(j, unit[q]) // a copy conjoined with the target
		} else {
			take(j, add(j, false)) // the target's own token
		}
	}
	s.units = units
	// The best, as many as the cues wanted, by insertion.
	better := func(a, b *cueUnit) bool {
		if a.v != b.v {
			return a.v > b.v
		}
		return string(buf[a.start:a.end]) < string(buf[b.start:b.end])
	}
	best := s.bestUnits[:0]
	for i := range units {
		u := &units[i]
		if !(u.v > 0) || len(best) == want && !better(u, best[want-1]) {
			continue
		}
		if len(best) < want {
			best = append(best, nil)
		}
		p := len(best) - 1
		for p > 0 && better(u, best[p-1]) {
			best[p] = best[p-1]
			p--
		}
		best[p] = u
	}
	s.bestUnits = best
	if len(best) == 0 {
		return nil
	}
	out := make([]Cue, len(best))
	for i, u := range best {
		tok := string(buf[u.start:u.end])
		if u.hash {
			tok = "#" + tok
		}
		out[i] = Cue{Token: tok, LogOdds: u.v}
	}
	clear(best) // let the units go with the next text
	return out
}

// topWords fills the lists of topTokens (one for each of classes) for a
// model whose cues are words (see [Options.wordCues]). The candidates are
// the word tokens of the vocabulary (words, bigrams, @mentions, hashtags,
// structure tokens, the targets' own tokens), not the character n-grams
// nor the conjoined copies; a candidate's log-odds are the sum of those of
// the tokens a text holding it counts for it: its own token, its
// character n-grams, a hashtag's word and that word's n-grams, and the
// copies of all of them conjoined with each target the candidate was seen
// with (a word that leans one way for one target and the other way for
// another sums both). A candidate qualifies when the class saw its own
// token and the sum is positive; its count is its own token's. With
// target set, the candidates are the words seen with that target, their
// copies for it alone counted, and no target's own token.
func (m *Model) topWords(opt Options, classes []int, lists []topList, logOdds func(t, ci int) (lo, in float64), target string) {
	var targets []string // their own tokens
	if target != "" {
		targets = []string{target + string(TargetSep)}
	} else {
		for _, t := range m.Targets() {
			targets = append(targets, t+string(TargetSep))
		}
	}
	var (
		buf   []byte // a token to look up, with 8 bytes of room after it
		ids   []int32
		parts [2]string
		g     gramWord
	)
	// look adds the term prefix+part+gram to ids, if the model has it,
	// and reports whether it has.
	look := func(prefix, part string, gram []byte) bool {
		buf = append(append(append(buf[:0], prefix...), part...), gram...)
		n := len(buf)
		buf = slices.Grow(buf, 8)
		id := m.index.find(m.terms, buf, termKey(buf, 0, n), termKey2(buf, 0, n), hashArena(buf, 0, n))
		if id < 0 || m.dn[id] <= 0 {
			return false
		}
		ids = append(ids, id)
		return true
	}
	for t, term := range m.terms {
		if m.dn[t] <= 0 || strings.HasPrefix(term, CharGramPrefix) {
			continue
		}
		ids = append(ids[:0], int32(t))
		if i := strings.IndexByte(term, TargetSep); i == len(term)-1 {
			// A target's own token: nothing else counts for it.
			if target != "" {
				continue
			}
		} else if i >= 0 {
			continue // a conjoined copy: counted with its word
		} else if !wordTerms(opt, term, targets, target != "", look, &parts, &g) {
			continue
		}
		for i, ci := range classes {
			lo, in := logOdds(t, ci)
			if !(in > 0) {
				continue
			}
			for _, id := range ids[1:] {
				l, _ := logOdds(int(id), ci)
				lo += l
			}
			if lo > 0 {
				lists[i].add(topCand{Cue{term, lo}, in})
			}
		}
	}
}

// wordTerms looks up (with look) the terms a text counts for the word
// token term besides its own (see Model.topWords): a hashtag's word,
// each part's n-grams, and all of them conjoined with each of targets the
// word was seen with. With seenWith, it reports false for a word not seen
// with every one of targets.
func wordTerms(opt Options, term string, targets []string, seenWith bool, look func(prefix, part string, gram []byte) bool, parts *[2]string, g *gramWord) bool {
	ps := append(parts[:0], term)
	structure := opt.Structure && strings.HasPrefix(term, "#") && slices.ContainsFunc(StructureTokens, func(st string) bool {
		return term == st || st == "#len" && strings.HasPrefix(term, st)
	})
	if !structure && len(term) > 1 && term[0] == '#' {
		ps = append(ps, term[1:])
	}
	for ti := -1; ti < len(targets); ti++ {
		target := ""
		if ti >= 0 {
			target = targets[ti]
			if !look(target, term, nil) {
				if seenWith {
					return false
				}
				continue // never seen with this target
			}
		}
		for pi, p := range ps {
			if pi > 0 {
				look(target, p, nil) // (the word's own tokens are in)
			}
			if opt.CharGrams == 0 || structure || strings.IndexByte(p, ' ') >= 0 || !g.set([]byte(p)) {
				continue // no n-grams: a structure token, a bigram, a very long word
			}
			for l := 3; l <= opt.CharGrams; l++ {
				for a := 0; a+l <= g.n; a++ {
					look(target, CharGramPrefix, g.gram(a, l))
				}
			}
		}
	}
	return true
}

// Targets returns the targets a per-target model ([Options.PerTarget])
// learned, as [TargetOf] spells them, sorted; none for another model.
func (m *Model) Targets() []string {
	var out []string
	if !m.Options.PerTarget {
		return nil
	}
	for t, term := range m.terms {
		if m.dn[t] > 0 && len(term) > 1 && strings.IndexByte(term, TargetSep) == len(term)-1 {
			out = append(out, term[:len(term)-1])
		}
	}
	slices.Sort(out)
	return out
}

// TopTokensForTarget returns [Model.TopTokensByClass] of a per-target
// model for the texts about target (one of [Model.Targets]): the words
// seen with it, each with the log-odds of its tokens in a text about it
// (its own, its n-grams and their copies conjoined with target). It
// returns nil for a target the model does not have.
func (m *Model) TopTokensForTarget(target string, k int) [][]Cue {
	if k <= 0 || !slices.Contains(m.Targets(), target) {
		return nil
	}
	return m.topTokens(k, -1, target)
}
