// Package vader is a Go reimplementation of VADER sentiment analysis
// (Hutto & Gilbert, ICWSM 2014) that reproduces vaderSentiment 3.3.2, the
// Python reference, score for score.
//
// It uses the lexicon and emoji lexicon shipped in
// github.com/jonreiter/govader/data (MIT), plus the 3.3.2 entries that copy
// lacks ("heart", "hearts"), and applies every rule of 3.3.2: boosters and
// dampeners, ALL-CAPS emphasis, negation (including "n't" and "no"),
// contrastive "but", "least", "never so/this", "without doubt", "kind of",
// special-case idioms ("the shit", "bus stop", "broken heart", ...), '!'
// and '?' emphasis, emoji (replaced by their descriptions) and emoticons.
// The quirks of the Python code are kept on purpose, so results match the
// reference; testdata/golden.tsv holds the reference scores and the tests
// check every row.
//
// Unlike github.com/jonreiter/govader, text is split on all Unicode
// whitespace as Python's str.split() does (so multi-line comments score
// like the reference), and case is folded per word exactly where the
// reference folds it.
//
// # Whole text or sentences
//
// [Analyzer.PolarityScores] scores a text as a whole, like the reference.
// Its Compound normalises the sum of all word valences, so it saturates
// toward ±1 as texts grow longer. [Analyzer.Analyze] also returns the mean
// compound of the text's sentences, which does not grow with length: use
// it to compare or rank comments of very different lengths, and the
// whole-text Compound to reproduce VADER or to rate short texts. [Label]
// turns either into "positive", "negative" or "neutral".
//
// An [Analyzer] is immutable after [New] and safe for concurrent use; the
// lexicons are parsed once per process. Scoring allocates nothing for text
// without emoji.
package vader
