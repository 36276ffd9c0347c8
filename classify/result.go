package classify

import "github.com/stance-dev/stance/comments"

// Sentiment is a VADER sentiment score of one text.
type Sentiment struct {
	// Compound is VADER's normalised score in [-1, 1].
	Compound float64 `json:"compound"`
	// Pos, Neu and Neg are the proportions of the text, summing to about 1.
	Pos float64 `json:"pos"`
	Neu float64 `json:"neu"`
	Neg float64 `json:"neg"`
	// Label is "positive" (compound >= 0.05), "negative" (<= -0.05) or "neutral".
	Label string `json:"label"`
	// SentenceMean is the mean compound of the text's sentences, set
	// only by a Scorer with SentenceMeans (0 otherwise).
	SentenceMean float64 `json:"sentence_mean"`
}

// Cue is a token and its contribution (log-odds) to a prediction.
type Cue struct {
	// Token is the token as counted (lower case; "not_" marks negation,
	// a space joins a bigram). With character n-grams or per-target
	// tokens ([Options.CharGrams], [Options.PerTarget]), whose n-grams
	// ("~<unb") and conjoined copies ("atheism|god") say little on their
	// own, it is a word of the text (a bigram, an @mention, a #hashtag, a
	// structure token or the target's own token alike) and LogOdds sums
	// the contributions of every token made from it: its own, its
	// n-grams, its copies conjoined with the target, a hashtag's word.
	Token string `json:"token"`
	// LogOdds is the token's contribution to the log-odds of the label
	// against the runner-up (or, from TopTokens, of the class against the
	// others).
	LogOdds float64 `json:"log_odds"`
}

// Prediction is the naive Bayes verdict on one text.
type Prediction struct {
	// Label is the class (argument id) chosen.
	Label string `json:"label"`
	// Name is the class's human name from the taxonomy; equals Label without one.
	Name string `json:"name"`
	// P is the posterior probability of the top class (before any abstention).
	P float64 `json:"p"`
	// RunnerUp is the second most probable class.
	RunnerUp string `json:"runner_up"`
	// Margin is P minus the runner-up's probability.
	Margin float64 `json:"margin"`
	// Cues are the tokens that pushed hardest toward Label and away from RunnerUp.
	Cues []Cue `json:"cues"`
	// Abstained is true when P fell below the model's threshold and Label is the fallback.
	Abstained bool `json:"abstained,omitempty"`
	// Posterior is the probability of every class, in the model's class
	// order ([Model.Classes]); only from a Scorer with Posteriors set.
	Posterior []float64 `json:"posterior,omitempty"`
}

// Result is everything the scorer says about one comment.
type Result struct {
	// Comment is the scored comment; nil from [Scorer.ScoreText].
	Comment *comments.Comment `json:"-"`
	// Sentiment is the VADER score of the comment's body.
	Sentiment Sentiment `json:"sentiment"`
	// Argument is the naive Bayes prediction.
	Argument Prediction `json:"argument"`
	// Stance is the argument's stance from the taxonomy; empty without one.
	Stance string `json:"stance,omitempty"`
	// OOV is the body's out-of-vocabulary count ([Model.OOV]), measured
	// by the scorer as it scores.
	OOV OOVCount `json:"-"`
}
