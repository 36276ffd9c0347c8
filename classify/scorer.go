package classify

import (
	"math"

	"github.com/stance-dev/stance/classify/vader"
	"github.com/stance-dev/stance/comments"
)

// Scorer turns a comment into its [Result]: VADER sentiment, the naive
// Bayes argument prediction and the argument's stance.
//
// VADER and naive Bayes do not share tokens: VADER needs the original case
// (ALL-CAPS emphasis), punctuation (! and ? emphasis, "but" clauses,
// emoticons) and its own word splitting to reproduce vaderSentiment, while
// naive Bayes wants case-folded words with URLs, mentions and HTML dropped.
// Each tokenizes once, into pooled buffers.
//
// A Scorer is safe for concurrent use. It reads its model without locks,
// so the model must not be trained while the Scorer is in use.
type Scorer struct {
	// Posteriors, when set (before the first Score), makes every
	// prediction carry the probability of each class (Prediction.Posterior):
	// one small allocation per comment, for the estimators that need it.
	Posteriors bool
	// SentenceMeans, when set (before the first Score), makes every
	// sentiment carry the mean compound of the text's sentences
	// (Sentiment.SentenceMean, vader.Analyzer.Analyze): each sentence
	// scored again from the text's tokens. No output of the stance
	// commands shows it, so it is off by default.
	SentenceMeans bool

	m      *Model
	d      *derived
	vader  *vader.Analyzer
	stance map[string]string
}

// NewScorer builds the model's scoring tables and the sentiment analyser.
func NewScorer(m *Model) *Scorer {
	s := &Scorer{m: m, d: m.tables(), vader: vader.New(), stance: map[string]string{}}
	if m.Taxonomy != nil {
		for _, a := range m.Taxonomy.Arguments {
			s.stance[a.ID] = a.Stance
		}
	}
	return s
}

// Model returns the scorer's model.
func (s *Scorer) Model() *Model { return s.m }

// Score scores c's body, that is its text without the leading "@Name" of a
// reply (see [comments.Comment.Body]).
func (s *Scorer) Score(c *comments.Comment) Result {
	r := s.ScoreText(c.Body())
	r.Comment = c
	return r
}

// ScoreText scores a text.
func (s *Scorer) ScoreText(text string) Result {
	var r Result
	var sc vader.Scores
	var mean float64
	if s.SentenceMeans {
		sc, mean = s.vader.Analyze(text)
	} else {
		sc = s.vader.PolarityScores(text)
	}
	r.Sentiment = Sentiment{
		Compound:     sc.Compound,
		Pos:          sc.Pos,
		Neu:          sc.Neu,
		Neg:          sc.Neg,
		Label:        vader.Label(sc.Compound),
		SentenceMean: mean,
	}
	st := s.d.get(s.m)
	st.features(s.m, s.d.opt, text)
	r.Argument = s.m.predict(s.d, st, true)
	r.OOV = st.oov
	if s.Posteriors && s.d.nc > 0 {
		r.Argument.Posterior = posteriors(st.scores[:s.d.nc])
	}
	s.d.put(st)
	r.Stance = s.stance[r.Argument.Label]
	return r
}

// posteriors turns the class scores of a prediction into probabilities.
func posteriors(sc []float64) []float64 {
	mx, sum := softmax(sc)
	out := make([]float64, len(sc))
	for c, v := range sc {
		out[c] = math.Exp(v-mx) / sum
	}
	return out
}
