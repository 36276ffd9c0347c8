package classify

import (
	"math"
	"reflect"
	"sync"
	"testing"

	"github.com/stance-dev/stance/classify/vader"
	"github.com/stance-dev/stance/comments"
)

func TestScorerWiring(t *testing.T) {
	m := seedModel(t, presets["opinion"], nil, nil)
	m.Taxonomy = &Taxonomy{Arguments: []Argument{{ID: "a", Name: "A", Stance: "for"}, {ID: "b", Stance: "against"}, {ID: "c"}, {ID: "d"}}}
	s := NewScorer(m)
	withMeans := NewScorer(m)
	withMeans.SentenceMeans = true
	va := vader.New()
	means := 0
	for _, body := range seedBodies(t) {
		r := s.ScoreText(body)
		sc, mean := va.Analyze(body)
		want := Sentiment{Compound: sc.Compound, Pos: sc.Pos, Neu: sc.Neu, Neg: sc.Neg, Label: vader.Label(sc.Compound)}
		if r.Sentiment != want {
			t.Fatalf("sentiment %+v, want %+v", r.Sentiment, want)
		}
		want.SentenceMean = mean
		if got := withMeans.ScoreText(body).Sentiment; got != want {
			t.Fatalf("with sentence means: sentiment %+v, want %+v", got, want)
		}
		if mean != 0 && mean != sc.Compound {
			means++
		}
		if p := m.Predict(body); !reflect.DeepEqual(p, r.Argument) {
			t.Fatalf("argument %+v, want %+v", r.Argument, p)
		}
		if a := m.argument(r.Argument.Label); a == nil || r.Stance != a.Stance {
			t.Fatalf("stance %q for %s", r.Stance, r.Argument.Label)
		}
	}
	if means < 10 {
		t.Errorf("%d comments with a sentence mean of their own, want many", means)
	}
}

func TestScoreUsesBody(t *testing.T) {
	m := handModel(Options{})
	s := NewScorer(m)
	c := &comments.Comment{ID: "c2", Text: "@Terrible Person: x x great", ReplyTo: "Terrible Person"}
	r := s.Score(c)
	want := s.ScoreText("x x great")
	if r.Comment != c || r.Sentiment != want.Sentiment || !reflect.DeepEqual(r.Argument, want.Argument) {
		t.Errorf("Score(reply) = %+v, want the scores of its body %+v", r, want)
	}
	if r.Sentiment.Label != "positive" {
		t.Errorf("reply sentiment %+v: the addressee's name was scored", r.Sentiment)
	}
}

// TestScorerConcurrent scores the seed from many goroutines at once (run
// with -race) and checks the results equal sequential scoring.
func TestScorerConcurrent(t *testing.T) {
	bodies := seedBodies(t)
	ex := refineData(t)
	for name, model := range map[string]func() *Model{
		"opinion": func() *Model { return seedModel(t, presets["opinion"], nil, nil) },
		"all":     func() *Model { return seedModel(t, optionSets["all"], nil, nil) },
		// scored on 1 + ln of the counts (derived.features), with word cues
		"refined": func() *Model {
			return refinedModel(t, ex, Options{Alpha: 1, TFIDF: true, Bigrams: true, CharGrams: 4}, 1)
		},
	} {
		m := model()
		// A fresh model: the first scorers race to build the tables.
		m2 := model()
		s := NewScorer(m)
		want := make([]Result, len(bodies))
		for i, b := range bodies {
			want[i] = s.ScoreText(b)
		}
		var wg sync.WaitGroup
		errs := make(chan string, 16)
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := range 3 * len(bodies) {
					i := (k + g*7) % len(bodies)
					if r := s.ScoreText(bodies[i]); !reflect.DeepEqual(r, want[i]) {
						errs <- name + ": concurrent result differs"
						return
					}
					if p := m2.Predict(bodies[i]); !reflect.DeepEqual(p, want[i].Argument) {
						errs <- name + ": concurrent Predict differs"
						return
					}
					_ = m2.Hash()
					_ = m2.TopTokens("a", 3)
				}
			}()
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
	}
}

// TestScorerAfterLearn: a scorer keeps the tables it was built with, and
// learning new words afterwards must not break it.
func TestScorerAfterLearn(t *testing.T) {
	m := handModel(Options{})
	s := NewScorer(m)
	before := s.ScoreText("x y")
	m.Learn("brand new words", []string{"B"}, 1)
	if got := s.ScoreText("x y brand new words"); !reflect.DeepEqual(got.Argument, before.Argument) {
		t.Errorf("old scorer after Learn: %+v, want %+v", got.Argument, before.Argument)
	}
	// A scratch made after the Learn (empty pool) must fit the old tables.
	st := s.d.get(m)
	st2 := s.d.get(m)
	st2.features(m, s.d.opt, "x y brand new words")
	if got := m.predict(s.d, st2, true); !reflect.DeepEqual(got, before.Argument) {
		t.Errorf("fresh scratch after Learn: %+v", got)
	}
	s.d.put(st)
	s.d.put(st2)
	if p := NewScorer(m).ScoreText("brand new words"); p.Argument.Label != "B" {
		t.Errorf("new scorer after Learn: %+v", p.Argument)
	}
}

// TestScorerPosteriors: with Posteriors set, a prediction carries the
// probability of every class, summing to 1, with the top one equal to P.
func TestScorerPosteriors(t *testing.T) {
	m := defaultModel(t)
	s := NewScorer(m)
	s.Posteriors = true
	r := s.ScoreText("the party controls the company and its gear")
	if len(r.Argument.Posterior) != len(m.Classes()) {
		t.Fatalf("%d posteriors for %d classes", len(r.Argument.Posterior), len(m.Classes()))
	}
	sum, top := 0.0, 0.0
	for c, p := range r.Argument.Posterior {
		sum += p
		if m.Classes()[c] == r.Argument.Label {
			top = p
		}
	}
	if math.Abs(sum-1) > 1e-9 || math.Abs(top-r.Argument.P) > 1e-9 {
		t.Errorf("posteriors sum to %v, top %v, P %v", sum, top, r.Argument.P)
	}
	if NewScorer(m).ScoreText("x").Argument.Posterior != nil {
		t.Errorf("posteriors without Posteriors set")
	}
}
