package batch

import (
	"context"
	"encoding/json"
	"io"
	"testing"

	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/comments"
)

// benchResults are scored records with NYT-dataset-like extra fields.
func benchResults(b *testing.B) []classify.Result {
	lines := seedLines(b)
	rs := make([]classify.Result, 512)
	for i := range rs {
		c := &comments.Comment{ID: "43000123", Author: "David Gallagher", Location: "Maywood NJ", ParentID: "43000100",
			Text: lines[i%len(lines)],
			Extra: map[string]any{"approveDate": json.Number("1577408130"), "commentType": "userReply", "replyCount": json.Number("0"),
				"sectionName": "Europe", "status": "approved", "userID": json.Number("89434207")}}
		rs[i] = classify.Result{Comment: c,
			Sentiment: classify.Sentiment{Compound: -0.6960, Pos: 0.066, Neu: 0.788, Neg: 0.146, Label: "negative"},
			Argument: classify.Prediction{Label: "us-protectionism", Name: "US protectionism", P: 0.6152, RunnerUp: "us-alienates-allies",
				Margin: 0.2323, Cues: []classify.Cue{{Token: "that"}, {Token: "american"}, {Token: "huawei"}, {Token: "and"}, {Token: "it's"}}},
			Stance: "for"}
	}
	return rs
}

// BenchmarkPipeline measures the pipeline's own cost per comment (reader,
// workers, reordering writer, JSONL encoding) with a trivial scorer.
func BenchmarkPipeline(b *testing.B) {
	rs := benchResults(b)
	n := 0
	for b.Loop() {
		i := 0
		src := func() (*comments.Comment, error) {
			if i == 100_000 {
				return nil, io.EOF
			}
			i++
			return rs[i%len(rs)].Comment, nil
		}
		st, err := Run(context.Background(), src, constScorer{rs[0]}, mustEncoder(b, "jsonl", "m", false), io.Discard, Options{})
		if err != nil {
			b.Fatal(err)
		}
		n += st.Comments
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/comment")
}

type constScorer struct{ r classify.Result }

func (s constScorer) Score(c *comments.Comment) classify.Result {
	r := s.r
	r.Comment = c
	return r
}
