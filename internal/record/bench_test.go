package record

import (
	"encoding/json"
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

// BenchmarkEncodeJSONL is the hand-written encoder; compare its ns/record
// with BenchmarkEncodeJSONLStdlib, encoding/json on the same records (the
// baseline, run in the same `go test -bench Encode`).
func BenchmarkEncodeJSONL(b *testing.B) {
	rs := benchResults(b)
	enc := &JSONL{Model: "huawei@99b2cfdc9fdf"}
	var buf []byte
	for b.Loop() {
		buf = enc.AppendBatch(buf[:0], rs)
	}
	b.SetBytes(int64(len(buf)))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(rs)), "ns/record")
}

// BenchmarkEncodeJSONLStdlib encodes the same records with encoding/json
// (a struct per record, as the schema test's reference): the baseline.
func BenchmarkEncodeJSONLStdlib(b *testing.B) {
	rs := benchResults(b)
	var buf []byte
	for b.Loop() {
		buf = buf[:0]
		for i := range rs {
			line, err := json.Marshal(reference(&rs[i], "huawei@99b2cfdc9fdf", false))
			if err != nil {
				b.Fatal(err)
			}
			buf = append(append(buf, line...), '\n')
		}
	}
	b.SetBytes(int64(len(buf)))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(rs)), "ns/record")
}

// BenchmarkEncodeCSV is the CSV encoder on the same records.
func BenchmarkEncodeCSV(b *testing.B) {
	rs := benchResults(b)
	enc := &CSV{Model: "huawei@99b2cfdc9fdf"}
	var buf []byte
	for b.Loop() {
		buf = enc.AppendBatch(buf[:0], rs)
	}
	b.SetBytes(int64(len(buf)))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(rs)), "ns/record")
}
