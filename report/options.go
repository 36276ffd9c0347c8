package report

import (
	"fmt"
	"strings"

	"github.com/stance-dev/stance/classify"
)

// Table kinds, the values of Options.By.
const (
	ByArgument = "argument"
	ByStance   = "stance"
	ByExchange = "exchange"
	ByComments = "comments"
	ByThread   = "thread"
)

// Kinds lists the table kinds; the first is the default.
var Kinds = []string{ByArgument, ByStance, ByExchange, ByThread, ByComments}

// Weightings, the values of Options.Weight.
const (
	WeightNone            = "none"
	WeightRecommendations = "recommendations"
)

// Weights lists the weightings; the first is the default.
var Weights = []string{WeightNone, WeightRecommendations}

// Interval methods, the values of Weighting.Interval.
const (
	IntervalWilson    = "wilson"
	IntervalBootstrap = "bootstrap"
)

// DefaultBootstrap is the number of bootstrap resamples when
// Options.Bootstrap is 0.
const DefaultBootstrap = 2000

// Options choose the table and how comments are counted. The zero value is
// the argument table with plain counts.
type Options struct {
	// By is the table kind: "argument" (default when empty), "stance",
	// "exchange", "thread" or "comments".
	By string
	// Weight is "none" (default when empty) or "recommendations", which
	// counts each comment as its recommendations + 1.
	Weight string
	// PerAuthor counts each author at most once per row (per cell in the
	// exchange table). Comments without an author are never merged.
	PerAuthor bool
	// Seed seeds the bootstrap; the same seed gives the same intervals.
	Seed int64
	// Bootstrap is the number of bootstrap resamples used under a weighting;
	// 0 means DefaultBootstrap.
	Bootstrap int
	// Estimate is the method that estimates the argument and stance shares
	// from the labels, accounting for the model's errors: "bayes", "acc" or
	// "cc" (the shares as labeled). Empty means bayes for a model with
	// held-out statistics, cc otherwise. Seed seeds it.
	Estimate string
}

func (o Options) normalize() (Options, error) {
	if o.By == "" {
		o.By = ByArgument
	}
	if o.Weight == "" {
		o.Weight = WeightNone
	}
	if o.Bootstrap == 0 {
		o.Bootstrap = DefaultBootstrap
	}
	if !contains(Kinds, o.By) {
		return o, fmt.Errorf("report: unknown table %q: valid values are {%s}", o.By, strings.Join(Kinds, "|"))
	}
	if !contains(Weights, o.Weight) {
		return o, fmt.Errorf("report: unknown weighting %q: valid values are {%s}", o.Weight, strings.Join(Weights, "|"))
	}
	if err := validEstimate(o.Estimate); err != nil {
		return o, err
	}
	if o.Bootstrap < 0 {
		return o, fmt.Errorf("report: bootstrap resamples must be positive, got %d", o.Bootstrap)
	}
	return o, nil
}

// weighted reports whether a weighting is in force (and intervals are
// bootstrapped).
func (o Options) weighted() bool { return o.Weight == WeightRecommendations || o.PerAuthor }

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// Model is what a table needs to know about the model: its identity,
// taxonomy (nil for a model without one, whose classes then are the
// arguments) and the most distinctive cue words of each class.
type Model struct {
	// Name is the model's name.
	Name string
	// Hash is the model's content hash, hex.
	Hash string
	// Taxonomy is the model's taxonomy; nil when it has none.
	Taxonomy *classify.Taxonomy
	// Classes are the model's classes, used when Taxonomy is nil.
	Classes []string
	// Cues maps a class to its most distinctive tokens, best first.
	Cues map[string][]string
	// Heldout is what cross-validation learnt about the model's errors
	// (nil for a model without, such as a version 1 file): the tables
	// estimate shares with it and put comments below its threshold apart.
	Heldout *classify.Heldout
	// OOV, if set, counts a text's word tokens and how many the model's
	// vocabulary lacks (classify.Model.OOV): the tables use it to tell when
	// the input looks foreign to the model.
	OOV func(text string) (unknown, total int)
}

func (m Model) ref() ModelRef {
	return ModelRef{Name: m.Name, Hash: m.Hash, ID: m.Name + "@" + short(m.Hash)}
}

// Input describes what was read.
type Input struct {
	// Names are the input names as given ("-" for standard input).
	Names []string
	// Thread is the article title, when known.
	Thread string
	// Skipped is the number of bad records skipped.
	Skipped int
	// Threads is the number of threads pooled; 0 means the number of
	// distinct thread keys the comments carry.
	Threads int
}

// CueWords is the number of cue words per argument that ModelOf collects.
const CueWords = 3

// ModelOf gathers what the tables need to know about m: its identity,
// taxonomy, classes, held-out statistics and the CueWords most distinctive
// tokens (by log-odds) of each class.
func ModelOf(m *classify.Model) Model {
	info := Model{Name: m.Name, Hash: m.Hash(), Taxonomy: m.Taxonomy, Classes: m.Classes(), Cues: map[string][]string{}, Heldout: m.Heldout(), OOV: m.OOV}
	for i, cues := range m.TopTokensByClass(CueWords) {
		if len(cues) > 0 {
			info.Cues[info.Classes[i]] = cueTokens(cues)
		}
	}
	return info
}

// cueTokens returns the tokens of cues, in order.
func cueTokens(cues []classify.Cue) []string {
	out := make([]string, len(cues))
	for i, c := range cues {
		out[i] = c.Token
	}
	return out
}
