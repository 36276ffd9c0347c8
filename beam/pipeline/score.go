package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"slices"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/stance-dev/stance/batch"
	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/comments"
)

func init() {
	register.DoFn4x1[context.Context, fileio.ReadableFile, func(int, Record), func(string), error](&scoreFn{})
	register.DoFn3x1[context.Context, int, func(*Record) bool, error](&writeShardFn{})
	register.Emitter2[int, Record]()
	register.Emitter1[string]()
	register.Iter1[Record]()
	register.Iter1[string]()
	register.DoFn3x1[context.Context, int, func(*string) bool, error](&writeLinesFn{})
}

// Counter names, in namespace "stance".
const (
	// CounterComments counts the comments read.
	CounterComments = "comments"
	// CounterSkipped counts the bad records skipped (SkipBad).
	CounterSkipped = "skipped"
)

// ScoreOptions configure [Score].
type ScoreOptions struct {
	ReadOptions
	// Output is the prefix of the output shards: PREFIX-SSSSS-of-NNNNN.jsonl
	// (.csv for Format csv).
	Output string
	// Shards is the number of output shards; 0 means 8.
	Shards int
	// Format is "jsonl" (default) or "csv", as stance score -f.
	Format string
	// Text adds each comment's body to its record.
	Text bool
}

// chunkSize is the number of comments the pipelines pass on as one
// element: a runner's cost per element (Prism's especially) is far above
// a comment's.
const chunkSize = 512

// Record is the encoded records of up to chunkSize consecutive comments of
// one file, and the position of the first.
type Record struct {
	Pos   Pos
	Lines []byte
}

// SkippedFile is the file, next to the output, that lists the FILE:LINE
// of each bad record skipped, one a line, when there are some.
func SkippedFile(prefix string) string { return prefix + "-skipped.txt" }

// ShardName is the name of output shard i of n.
func ShardName(prefix string, i, n int, format string) string {
	ext := "jsonl"
	if format == "csv" {
		ext = "csv"
	}
	return fmt.Sprintf("%s-%05d-of-%05d.%s", prefix, i, n, ext)
}

// Score adds to s the pipeline of `stance score`: every comment of the
// input files scored by the model and encoded by batch's encoder, the
// records written in o.Shards shards (a shard holds its records in input
// order; a shard without records is not written). The FILE:LINE of the bad
// records skipped go to [SkippedFile].
func Score(s beam.Scope, o ScoreOptions) error {
	if o.Shards <= 0 {
		o.Shards = 8
	}
	if o.Format == "" {
		o.Format = "jsonl"
	}
	if _, err := batch.NewEncoder(o.Format, "", false); err != nil {
		return err
	}
	files := matchInputs(s, o.Input)
	recs, bad := beam.ParDo2(s, &scoreFn{Read: o.ReadOptions, Format: o.Format, Text: o.Text, Shards: o.Shards}, files)
	beam.ParDo0(s, &writeShardFn{Prefix: o.Output, Shards: o.Shards, Format: o.Format, Text: o.Text, Model: o.Model},
		beam.GroupByKey(s, recs))
	beam.ParDo0(s, &writeLinesFn{Path: SkippedFile(o.Output)}, beam.GroupByKey(s, beam.AddFixedKey(s, bad)))
	return nil
}

// scoreFn reads one input file and scores its comments: each record goes
// to its shard, each bad record skipped to the second output.
type scoreFn struct {
	Read   ReadOptions
	Format string
	Text   bool
	Shards int

	scorer *classify.Scorer
	enc    batch.Encoder
	res    []classify.Result
	n, bad beam.Counter
}

// Setup loads the model.
func (f *scoreFn) Setup(ctx context.Context) error {
	m, err := loadModel(ctx, f.Read.Model)
	if err != nil {
		return err
	}
	f.scorer = classify.NewScorer(m)
	enc, err := batch.NewEncoder(f.Format, m.ID(), f.Text)
	if err != nil {
		return err
	}
	f.enc = enc
	f.res = make([]classify.Result, 1)
	f.n = beam.NewCounter("stance", CounterComments)
	f.bad = beam.NewCounter("stance", CounterSkipped)
	return nil
}

// ProcessElement scores the comments of one file.
func (f *scoreFn) ProcessElement(ctx context.Context, file fileio.ReadableFile, emit func(int, Record), skipped func(string)) error {
	name := file.Metadata.Path
	h := fnv.New32a()
	h.Write([]byte(name))
	base := h.Sum32()
	var buf []byte
	var first, n int64
	flush := func() {
		if n == 0 {
			return
		}
		// consecutive chunks go to different shards; a file's comments
		// spread over all of them
		shard := int((uint64(base) + uint64(first/chunkSize)) % uint64(f.Shards))
		emit(shard, Record{Pos: Pos{name, first}, Lines: buf})
		f.n.Inc(ctx, n)
		buf, n = nil, 0
	}
	_, err := fileComments(ctx, file, f.Read, func(i int64, c *comments.Comment) error {
		if n == 0 {
			first = i
		}
		f.res[0] = f.scorer.Score(c)
		buf = f.enc.AppendBatch(buf, f.res)
		f.res[0] = classify.Result{}
		if n++; n == chunkSize {
			flush()
		}
		return nil
	}, func(err error) {
		f.bad.Inc(ctx, 1)
		skipped(skippedLocation(err))
	})
	flush()
	return err
}

// writeShardFn writes one output shard, its records in input order.
type writeShardFn struct {
	Prefix string
	Shards int
	Format string
	Text   bool
	Model  string
}

// ProcessElement writes shard i.
func (f *writeShardFn) ProcessElement(ctx context.Context, i int, recs func(*Record) bool) error {
	var all []Record
	var r Record
	for recs(&r) {
		all = append(all, r)
		r = Record{}
	}
	slices.SortFunc(all, func(a, b Record) int {
		switch {
		case a.Pos.Less(b.Pos):
			return -1
		case b.Pos.Less(a.Pos):
			return 1
		}
		return 0
	})
	var buf bytes.Buffer
	enc, err := batch.NewEncoder(f.Format, "", f.Text)
	if err != nil {
		return err
	}
	buf.Write(enc.Header())
	for _, r := range all {
		buf.Write(r.Lines)
	}
	return writeFile(ctx, ShardName(f.Prefix, i, f.Shards, f.Format), buf.Bytes())
}

// writeLinesFn writes lines to a file, one a line, sorted.
type writeLinesFn struct{ Path string }

// ProcessElement writes the lines of the one fixed key.
func (f *writeLinesFn) ProcessElement(ctx context.Context, _ int, lines func(*string) bool) error {
	var all []string
	var l string
	for lines(&l) {
		all = append(all, l)
	}
	slices.Sort(all)
	var buf bytes.Buffer
	for _, l := range all {
		buf.WriteString(l)
		buf.WriteByte('\n')
	}
	return writeFile(ctx, f.Path, buf.Bytes())
}
