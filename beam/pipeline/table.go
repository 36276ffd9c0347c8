package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/comments"
	"github.com/stance-dev/stance/report"
)

func init() {
	register.DoFn4x1[context.Context, fileio.ReadableFile, func(TableIn), func(string), error](&tableReadFn{})
	register.DoFn3x0[TableIn, func(string, TableIn), func(string, TableIn)](&exchangeKeysFn{})
	register.DoFn3x0[TableIn, func(*TableIn) bool, func(TableIn)](&seqFn{})
	register.Function2x0(keepInputs)
	register.DoFn4x0[string, func(*TableIn) bool, func(*TableIn) bool, func(TableIn)](&joinFn{})
	register.Combiner3[*tableAcc, TableIn, []byte](&tableCombineFn{})
	register.DoFn2x1[context.Context, []byte, error](&writeOutputFn{})
	register.Emitter1[TableIn]()
	register.Emitter2[string, TableIn]()
	register.Iter1[TableIn]()
	beam.RegisterCoder(reflect.TypeOf((*tableAcc)(nil)), encodeTableAcc, decodeTableAcc)
	beam.RegisterCoder(reflect.TypeOf(TableIn{}), encodeTableIn, decodeTableIn)
}

// TableOptions configure [Table], as the flags of `stance table`.
type TableOptions struct {
	ReadOptions
	// Output is the file the table is written to.
	Output string
	// By is the table: argument, stance, exchange or thread (the comments
	// table follows the input order and is not made here).
	By string
	// Format is a report format: table, markdown, csv, json, html, svg.
	Format string
	// Weight, PerAuthor, Seed and Bootstrap are report.Options'.
	Weight    string
	PerAuthor bool
	Seed      int64
	Bootstrap int
	// Thread keeps the comments of one thread key only.
	Thread string
	// Estimate is report.Options.Estimate: how shares are estimated for the
	// classifier's errors, from the combined counts ("" is the default).
	Estimate string
}

// CountEstimates are the share estimators (report.Options.Estimate) that
// work from the combined counts; those that need every comment's
// posterior are not carried through the pipeline.
var CountEstimates = []string{"bayes", "acc", "cc"}

// Comment is a scored comment as the table pipeline passes it on: what
// the tables use of it.
type Comment struct {
	ID, Author, Location, Parent, Thread, ReplyTo string
	Depth, Recommendations                        int
	Compound, Pos, Neu, Neg                       float64
	Sentiment                                     string
	Label, Name                                   string
	P                                             float64
	Abstained                                     bool
	Stance                                        string
	// Text is the body, carried only when the model measures how foreign
	// comments look (report.Foreignness).
	Text string
}

// slim keeps what the tables use of a scored comment.
func slim(r *classify.Result) *Comment {
	c := r.Comment
	return &Comment{ID: c.ID, Author: c.Author, Location: c.Location, Parent: c.ParentID, Thread: c.ThreadID,
		ReplyTo: c.ReplyTo, Depth: c.Depth, Recommendations: c.Recommendations,
		Compound: r.Sentiment.Compound, Pos: r.Sentiment.Pos, Neu: r.Sentiment.Neu, Neg: r.Sentiment.Neg,
		Sentiment: r.Sentiment.Label, Label: r.Argument.Label, Name: r.Argument.Name, P: r.Argument.P,
		Abstained: r.Argument.Abstained, Stance: r.Stance}
}

// measures reports whether the tables of model m read the comments'
// text: to measure their foreignness, which needs held-out statistics.
func measures(m *classify.Model) bool {
	info := report.ModelOf(m)
	return info.OOV != nil && info.Heldout != nil
}

// result is the classify.Result of a slim comment.
func (c *Comment) result() classify.Result {
	return classify.Result{
		Comment: &comments.Comment{ID: c.ID, Author: c.Author, Location: c.Location, ParentID: c.Parent, Text: c.Text,
			ThreadID: c.Thread, ReplyTo: c.ReplyTo, Depth: c.Depth, Recommendations: c.Recommendations},
		Sentiment: classify.Sentiment{Compound: c.Compound, Pos: c.Pos, Neu: c.Neu, Neg: c.Neg, Label: c.Sentiment},
		Argument:  classify.Prediction{Label: c.Label, Name: c.Name, P: c.P, Abstained: c.Abstained},
		Stance:    c.Stance,
	}
}

// TableIn is one input of the table combiner: comments to count (Cs, the
// first at Seq), a reply joined to its parent (C and Parent), replies without a
// parent (Orphans), skipped bad records (Skipped), or an input file (Input,
// At.File, with its Title and the number of its comments counted, Kept).
type TableIn struct {
	At   Pos   `json:"at"`
	Seq  int64 `json:"seq,omitempty"`
	Kept int64 `json:"kept,omitempty"`
	// Cs are consecutive comments to count, the first at At and Seq.
	Cs      []Comment `json:"cs,omitempty"`
	C       *Comment  `json:"c,omitempty"`
	Parent  *Comment  `json:"parent,omitempty"`
	Orphans int       `json:"orphans,omitempty"`
	Skipped int       `json:"skipped,omitempty"`
	Input   bool      `json:"input,omitempty"`
	Title   string    `json:"title,omitempty"`
}

func encodeTableIn(in TableIn) ([]byte, error) { return json.Marshal(in) }

func decodeTableIn(b []byte) (TableIn, error) {
	var in TableIn
	err := json.Unmarshal(b, &in)
	return in, err
}

// Table adds to s the pipeline of `stance table`: the input files'
// comments scored and counted into the table o.By by a CombineFn, the
// exchange table's replies joined to their parents by (thread, ID) with a
// CoGroupByKey, the rendered table written to o.Output.
func Table(s beam.Scope, o TableOptions) error {
	if o.By == report.ByComments {
		return fmt.Errorf("--by comments follows the input order: use stance-beam score, or stance table")
	}
	if _, err := report.NewRenderer(o.Format); err != nil {
		return err
	}
	if o.Estimate != "" && !slices.Contains(CountEstimates, o.Estimate) {
		return fmt.Errorf("invalid --estimate %q: stance-beam has the estimators from counts, {%s}", o.Estimate, strings.Join(CountEstimates, "|"))
	}
	files := matchInputs(s, o.Input)
	read, _ := beam.ParDo2(s, &tableReadFn{Read: o.ReadOptions, Thread: o.Thread}, files)
	// Each comment's sequence number in one pass over the sorted files:
	// the files' comment counts are a side input.
	inputs := beam.ParDo(s, keepInputs, read)
	ins := beam.ParDo(s, &seqFn{}, read, beam.SideInput{Input: inputs})
	all := ins
	if o.By == report.ByExchange {
		parents, replies := beam.ParDo2(s, &exchangeKeysFn{}, ins)
		joined := beam.ParDo(s, &joinFn{}, beam.CoGroupByKey(s, parents, replies))
		all = beam.Flatten(s, ins, joined)
	}
	table := beam.Combine(s, &tableCombineFn{Model: o.Model, By: o.By, Format: o.Format, Weight: o.Weight,
		PerAuthor: o.PerAuthor, Seed: o.Seed, Bootstrap: o.Bootstrap, Estimate: o.Estimate}, all)
	beam.ParDo0(s, &writeOutputFn{Path: o.Output}, table)
	return nil
}

// tableReadFn reads and scores one input file for the tables.
type tableReadFn struct {
	Read   ReadOptions
	Thread string

	scorer *classify.Scorer
	text   bool
	n, bad beam.Counter
}

// Setup loads the model.
func (f *tableReadFn) Setup(ctx context.Context) error {
	m, err := loadModel(ctx, f.Read.Model)
	if err != nil {
		return err
	}
	f.scorer = classify.NewScorer(m)
	f.text = measures(m)
	f.n = beam.NewCounter("stance", CounterComments)
	f.bad = beam.NewCounter("stance", CounterSkipped)
	return nil
}

// ProcessElement emits the scored comments of one file, the file itself,
// and one input per skipped record.
func (f *tableReadFn) ProcessElement(ctx context.Context, file fileio.ReadableFile, emit func(TableIn), skipped func(string)) error {
	name := file.Metadata.Path
	var kept, first int64
	var chunk []Comment
	flush := func() {
		if len(chunk) > 0 {
			emit(TableIn{At: Pos{name, first}, Cs: chunk})
			chunk = nil
		}
	}
	th, err := fileComments(ctx, file, f.Read, func(_ int64, c *comments.Comment) error {
		f.n.Inc(ctx, 1)
		if f.Thread != "" && c.ThreadID != f.Thread {
			return nil
		}
		r := f.scorer.Score(c)
		sc := slim(&r)
		if f.text {
			sc.Text, sc.ReplyTo = c.Text, c.ReplyTo
		}
		if len(chunk) == 0 {
			first = kept
		}
		chunk = append(chunk, *sc)
		if kept++; len(chunk) == chunkSize {
			flush()
		}
		return nil
	}, func(err error) {
		f.bad.Inc(ctx, 1)
		emit(TableIn{At: Pos{File: name}, Skipped: 1})
		skipped(skippedLocation(err))
	})
	if err != nil {
		return err
	}
	flush()
	emit(TableIn{At: Pos{File: name}, Input: true, Title: th.Title, Kept: kept})
	return nil
}

// keepInputs keeps the input files' elements.
func keepInputs(in TableIn, emit func(TableIn)) {
	if in.Input {
		emit(in)
	}
}

// seqFn numbers the comments as one pass over the sorted files would:
// the comments of the files before, plus the index in the file, plus 1.
type seqFn struct {
	offsets map[string]int64
}

// ProcessElement sets the sequence number of a comment.
func (f *seqFn) ProcessElement(in TableIn, inputs func(*TableIn) bool, emit func(TableIn)) {
	if f.offsets == nil {
		var files []TableIn
		var x TableIn
		for inputs(&x) {
			files = append(files, x)
			x = TableIn{}
		}
		slices.SortFunc(files, func(a, b TableIn) int {
			switch {
			case a.At.File < b.At.File:
				return -1
			case a.At.File > b.At.File:
				return 1
			}
			return 0
		})
		f.offsets = map[string]int64{}
		var n int64
		for _, x := range files {
			f.offsets[x.At.File] = n
			n += x.Kept
		}
	}
	if len(in.Cs) > 0 {
		in.Seq = f.offsets[in.At.File] + in.At.Index + 1
	}
	emit(in)
}

// exchangeKeysFn keys the comments for the join of replies to parents: a
// comment with an ID as a parent under (thread, ID), a reply under
// (thread, parent ID).
type exchangeKeysFn struct{}

// ProcessElement emits the keys of the comments of a chunk, each comment
// with its position, without its text.
func (exchangeKeysFn) ProcessElement(in TableIn, parent, reply func(string, TableIn)) {
	for j := range in.Cs {
		c := in.Cs[j]
		c.Text = ""
		one := TableIn{At: Pos{in.At.File, in.At.Index + int64(j)}, C: &c}
		if c.ID != "" {
			parent(c.Thread+"\x00"+c.ID, one)
		}
		if c.Parent != "" {
			reply(c.Thread+"\x00"+c.Parent, one)
		}
	}
}

// joinFn joins the replies of one (thread, ID) to their parent: the first
// comment with that ID in the input. Replies without a parent are
// orphans.
type joinFn struct{}

// ProcessElement emits each reply with its parent, or the orphans.
func (joinFn) ProcessElement(_ string, parents, replies func(*TableIn) bool, emit func(TableIn)) {
	var parent *TableIn
	var p TableIn
	for parents(&p) {
		if parent == nil || p.At.Less(parent.At) {
			q := p
			parent = &q
		}
		p = TableIn{}
	}
	orphans := 0
	var r TableIn
	for replies(&r) {
		if parent == nil {
			orphans++
		} else {
			emit(TableIn{At: r.At, C: r.C, Parent: parent.C})
		}
		r = TableIn{}
	}
	if orphans > 0 {
		emit(TableIn{Orphans: orphans})
	}
}

// tableAcc is the table combiner's accumulator: the aggregator (or its
// state, as decoded, until it is needed), the first position of every
// thread, the input files and the records skipped.
type tableAcc struct {
	agg     *report.Aggregator
	State   json.RawMessage `json:"state,omitempty"`
	First   map[string]Pos  `json:"first,omitempty"`
	Inputs  map[string]string
	Skipped int
}

func encodeTableAcc(a *tableAcc) ([]byte, error) {
	if a.agg != nil {
		st, err := a.agg.MarshalState()
		if err != nil {
			return nil, err
		}
		a.State = st
	}
	return json.Marshal(a)
}

func decodeTableAcc(b []byte) (*tableAcc, error) {
	a := &tableAcc{}
	if err := json.Unmarshal(b, a); err != nil {
		return nil, fmt.Errorf("decode table accumulator: %w", err)
	}
	return a, nil
}

// tableCombineFn counts the table: a CombineFn whose accumulator is a
// report.Aggregator, merged by its state.
type tableCombineFn struct {
	Model     string
	By        string
	Format    string
	Weight    string
	PerAuthor bool
	Seed      int64
	Bootstrap int
	Estimate  string

	info *report.Model
}

func (f *tableCombineFn) options() report.Options {
	return report.Options{By: f.By, Weight: f.Weight, PerAuthor: f.PerAuthor, Seed: f.Seed, Bootstrap: f.Bootstrap,
		Estimate: f.Estimate}
}

// Setup loads the model.
func (f *tableCombineFn) Setup(ctx context.Context) error {
	m, err := loadModel(ctx, f.Model)
	if err != nil {
		return err
	}
	info := report.ModelOf(m)
	f.info = &info
	return nil
}

// ready makes sure a has its aggregator, with the state it was decoded
// with.
func (f *tableCombineFn) ready(a *tableAcc) error {
	if a.agg != nil {
		return nil
	}
	agg, err := report.NewAggregator(*f.info, f.options())
	if err != nil {
		return err
	}
	if len(a.State) > 0 {
		if err := agg.MergeState(a.State); err != nil {
			return err
		}
	}
	a.agg, a.State = agg, nil
	if a.First == nil {
		a.First = map[string]Pos{}
	}
	if a.Inputs == nil {
		a.Inputs = map[string]string{}
	}
	return nil
}

// CreateAccumulator returns an empty table.
func (f *tableCombineFn) CreateAccumulator() (*tableAcc, error) {
	a := &tableAcc{}
	return a, f.ready(a)
}

// AddInput counts one input.
func (f *tableCombineFn) AddInput(a *tableAcc, in TableIn) (*tableAcc, error) {
	if err := f.ready(a); err != nil {
		return nil, err
	}
	switch {
	case in.Input:
		a.Inputs[in.At.File] = in.Title
	case in.Skipped > 0:
		a.Skipped += in.Skipped
	case in.Orphans > 0:
		a.agg.AddOrphans(in.Orphans)
	case in.C != nil && in.Parent != nil:
		p, r := in.Parent.result(), in.C.result()
		if err := a.agg.AddExchange(&p, &r); err != nil {
			return nil, err
		}
	case len(in.Cs) > 0:
		for j := range in.Cs {
			r := in.Cs[j].result()
			if err := a.agg.AddUnjoinedAt(&r, int(in.Seq)+j); err != nil {
				return nil, err
			}
			at := Pos{in.At.File, in.At.Index + int64(j)}
			if p, ok := a.First[in.Cs[j].Thread]; !ok || at.Less(p) {
				a.First[in.Cs[j].Thread] = at
			}
		}
	}
	return a, nil
}

// MergeAccumulators adds b to a.
func (f *tableCombineFn) MergeAccumulators(a, b *tableAcc) (*tableAcc, error) {
	if err := f.ready(a); err != nil {
		return nil, err
	}
	if b.agg != nil {
		if err := a.agg.Merge(b.agg); err != nil {
			return nil, err
		}
	} else if len(b.State) > 0 {
		if err := a.agg.MergeState(b.State); err != nil {
			return nil, err
		}
	}
	for t, p := range b.First {
		if q, ok := a.First[t]; !ok || p.Less(q) {
			a.First[t] = p
		}
	}
	for k, v := range b.Inputs {
		a.Inputs[k] = v
	}
	a.Skipped += b.Skipped
	return a, nil
}

// ExtractOutput renders the table.
func (f *tableCombineFn) ExtractOutput(a *tableAcc) ([]byte, error) {
	if err := f.ready(a); err != nil {
		return nil, err
	}
	threads := make([]string, 0, len(a.First))
	for t := range a.First {
		threads = append(threads, t)
	}
	slices.SortFunc(threads, func(x, y string) int {
		switch p, q := a.First[x], a.First[y]; {
		case p.Less(q):
			return -1
		case q.Less(p):
			return 1
		}
		return 0
	})
	a.agg.OrderThreads(threads)
	in := report.Input{Skipped: a.Skipped}
	for name := range a.Inputs {
		in.Names = append(in.Names, name)
	}
	slices.Sort(in.Names)
	if len(in.Names) == 1 {
		in.Thread = a.Inputs[in.Names[0]]
	}
	t, err := a.agg.Table(in)
	if err != nil {
		return nil, err
	}
	r, err := report.NewRenderer(f.Format)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := r.Render(&b, t); err != nil {
		return nil, fmt.Errorf("render the table: %w", err)
	}
	return b.Bytes(), nil
}

// writeOutputFn writes the one output of a pipeline to a file.
type writeOutputFn struct{ Path string }

// ProcessElement writes data.
func (f *writeOutputFn) ProcessElement(ctx context.Context, data []byte) error {
	return writeFile(ctx, f.Path, data)
}
