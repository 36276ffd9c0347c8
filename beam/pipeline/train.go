package pipeline

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/training"
)

func init() {
	register.DoFn3x1[context.Context, fileio.ReadableFile, func(Doc), error](&readDocsFn{})
	register.Combiner3[*countAcc, Doc, *countAcc](&countFn{})
	register.DoFn5x1[context.Context, int, func(*Doc) bool, *countAcc, func([]byte), error](&finishFn{})
	register.Emitter1[Doc]()
	register.Emitter1[[]byte]()
	register.Iter1[Doc]()
	beam.RegisterCoder(reflect.TypeOf((*countAcc)(nil)), encodeCountAcc, decodeCountAcc)
}

// ModelFlags are the model options of `stance train`, with its flags'
// meanings and defaults (see [DefaultModelFlags]).
type ModelFlags struct {
	// Taxonomy is the taxonomy's TOML, "" for none; TaxonomyName names it
	// ("default" for the built-in one).
	Taxonomy     string
	TaxonomyName string
	AddLabels    bool
	Preset       string
	// Alpha is a number, "auto", or "" for the preset's.
	Alpha string
	// Set holds the feature flags given (complement, tfidf, binary,
	// bigrams, negation, stopwords), which override the preset.
	Set             map[string]bool
	Abstain         float64
	AbstainSet      bool
	CueWeight       float64
	SecondaryWeight float64
	Name            string
	Seed            uint64
	Calibrate       bool
}

// DefaultModelFlags returns the flags' defaults.
func DefaultModelFlags() ModelFlags {
	return ModelFlags{Preset: "default", CueWeight: training.DefaultCueWeight,
		SecondaryWeight: training.DefaultSecondaryWeight, Seed: 1, Calibrate: true, Set: map[string]bool{}}
}

// Config returns the training configuration of the flags, as `stance
// train` makes it. firstInput names the model when neither --name nor a
// taxonomy file does.
func (f ModelFlags) Config(firstInput string) (training.Config, error) {
	var cfg training.Config
	opt, err := classify.Preset(f.Preset)
	if err != nil {
		return cfg, fmt.Errorf("invalid --preset: %w", err)
	}
	for name, v := range f.Set {
		if err := opt.SetFeature(name, v); err != nil {
			return cfg, fmt.Errorf("invalid feature flag: %w", err)
		}
	}
	if opt.Refine {
		// The refinement fits on the documents themselves, which a
		// distributed count never holds in one place.
		return cfg, errors.New("--refine is not available in stance-beam: train a refined model with stance train")
	}
	alpha, auto, err := training.ParseAlpha(f.Alpha)
	if err != nil {
		return cfg, err
	}
	if cfg.AutoAlpha = auto; alpha > 0 {
		opt.Alpha = alpha
	}
	if f.AbstainSet {
		if !(f.Abstain >= 0 && f.Abstain < 1) {
			return cfg, fmt.Errorf("invalid --abstain %g: want a probability in [0, 1)", f.Abstain)
		}
		opt.Abstain = f.Abstain
	}
	if !(f.CueWeight >= 0) || f.CueWeight > 1e6 {
		return cfg, fmt.Errorf("invalid --cue-weight %g: want 0 or more", f.CueWeight)
	}
	if !(f.SecondaryWeight >= 0) || f.SecondaryWeight > 1e6 {
		return cfg, fmt.Errorf("invalid --secondary-weight %g: want 0 or more", f.SecondaryWeight)
	}
	cfg.Options = opt
	cfg.CueWeight = training.Weight(f.CueWeight)
	cfg.SecondaryWeight = training.Weight(f.SecondaryWeight)
	cfg.Seed = f.Seed
	cfg.Calibrate = f.Calibrate
	cfg.Name = f.Name
	switch {
	case f.TaxonomyName == "default":
		cfg.Taxonomy = training.DefaultTaxonomy()
		if cfg.Name == "" {
			cfg.Name = training.DefaultModelName
		}
	case f.TaxonomyName != "":
		if cfg.Taxonomy, err = training.ReadTaxonomy(f.TaxonomyName, strings.NewReader(f.Taxonomy)); err != nil {
			return cfg, err
		}
		if cfg.Name == "" {
			cfg.Name = baseName(f.TaxonomyName)
		}
	}
	if cfg.Name == "" && firstInput != "" {
		cfg.Name = baseName(firstInput)
	}
	if f.AddLabels && cfg.Taxonomy == nil {
		return cfg, fmt.Errorf("--add-labels needs --taxonomy")
	}
	if f.AbstainSet && f.Abstain > 0 && (cfg.Taxonomy == nil || cfg.Taxonomy.Fallback == "") {
		return cfg, fmt.Errorf("--abstain needs a fallback class to fall back to: give a --taxonomy with a fallback")
	}
	return cfg, nil
}

// baseName is a path's file name up to its first dot.
func baseName(path string) string {
	b := path[strings.LastIndexAny(path, `/\`)+1:]
	if i := strings.IndexByte(b, '.'); i > 0 {
		b = b[:i]
	}
	return b
}

// TrainOptions configure [Train].
type TrainOptions struct {
	// Input is the glob of the labeled files (any format stance train
	// reads).
	Input string
	// Output is the model file; gzipped when it ends in .gz.
	Output string
	// Flags are the model options; FirstInput names the model when
	// nothing else does (see [ModelFlags.Config]).
	Flags      ModelFlags
	FirstInput string
}

// Doc is a labeled document with its position.
type Doc struct {
	At     Pos
	Text   string
	Labels []string
	Stance string
	Line   int
}

// Train adds to s the pipeline of `stance train`. The naive Bayes counts
// are computed by a CombineFn over the documents (counts are additive, and
// classify's Model.Merge adds them exactly). One worker then finishes the
// model with the documents in input order (training.FinishCounts), for
// what is sequential in `stance train`: the data hash (a SHA-256 over the
// documents in order), the calibration's held-out cross-validation
// passes, --alpha auto's inner cross-validation and --add-labels. The
// model is `stance train`'s byte for byte when the counts are sums of
// integers (training.ExactCounts: no TF-IDF); TF-IDF features are
// fractions whose sums depend on the order of addition in the last bits,
// so then the finishing worker counts the documents again in input order
// (the CombineFn's counts are not used), to keep the model, and its hash,
// the same.
func Train(s beam.Scope, o TrainOptions) error {
	if _, err := o.Flags.Config(o.FirstInput); err != nil {
		return err
	}
	files := matchInputs(s, o.Input)
	docs := beam.ParDo(s, &readDocsFn{}, files)
	counts := beam.Combine(s, &countFn{Flags: o.Flags, FirstInput: o.FirstInput}, docs)
	model := beam.ParDo(s, &finishFn{Flags: o.Flags, FirstInput: o.FirstInput, Gzip: strings.HasSuffix(o.Output, ".gz")},
		beam.GroupByKey(s, beam.AddFixedKey(s, docs)), beam.SideInput{Input: counts})
	beam.ParDo0(s, &writeOutputFn{Path: o.Output}, model)
	return nil
}

// readDocsFn reads the labeled documents of one file.
type readDocsFn struct{}

// ProcessElement emits the documents of one file.
func (readDocsFn) ProcessElement(ctx context.Context, file fileio.ReadableFile, emit func(Doc)) error {
	name := file.Metadata.Path
	rc, err := file.Open(ctx)
	if err != nil {
		return fmt.Errorf("open labeled data %s: %w", name, err)
	}
	defer rc.Close()
	docs, err := training.ReadDocs(name, bufio.NewReader(rc))
	if err != nil {
		return err
	}
	for i, d := range docs {
		emit(Doc{At: Pos{name, int64(i)}, Text: d.Text, Labels: d.Labels, Stance: d.Stance, Line: d.Line})
	}
	return nil
}

// countAcc is the count combiner's accumulator: a model of counts.
type countAcc struct{ m *classify.Model }

func encodeCountAcc(a *countAcc) ([]byte, error) {
	if a == nil || a.m == nil {
		return nil, nil
	}
	var b bytes.Buffer
	if err := a.m.Encode(&b); err != nil {
		return nil, fmt.Errorf("encode counts: %w", err)
	}
	return b.Bytes(), nil
}

func decodeCountAcc(b []byte) (*countAcc, error) {
	if len(b) == 0 {
		return &countAcc{}, nil
	}
	m, err := classify.DecodeModel(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("decode counts: %w", err)
	}
	return &countAcc{m: m}, nil
}

// countFn counts the documents into a model: a CombineFn.
type countFn struct {
	Flags      ModelFlags
	FirstInput string

	cfg *training.Config
}

func (f *countFn) config() (training.Config, error) {
	if f.cfg == nil {
		cfg, err := f.Flags.Config(f.FirstInput)
		if err != nil {
			return cfg, err
		}
		f.cfg = &cfg
	}
	return *f.cfg, nil
}

// CreateAccumulator returns an empty accumulator: its model is made by the
// first document.
func (f *countFn) CreateAccumulator() *countAcc { return &countAcc{} }

// AddInput counts one document.
func (f *countFn) AddInput(a *countAcc, d Doc) (*countAcc, error) {
	cfg, err := f.config()
	if err != nil {
		return nil, err
	}
	if !training.ExactCounts(cfg) {
		return a, nil // counted in order by finishFn
	}
	if a.m == nil {
		a.m = training.NewCountModel(nil, cfg)
	}
	training.LearnDoc(a.m, training.Doc{Text: d.Text, Labels: d.Labels, Stance: d.Stance}, cfg)
	return a, nil
}

// MergeAccumulators adds b's counts to a's.
func (f *countFn) MergeAccumulators(a, b *countAcc) (*countAcc, error) {
	switch {
	case b.m == nil:
		return a, nil
	case a.m == nil:
		return b, nil
	}
	if err := a.m.Merge(b.m); err != nil {
		return nil, err
	}
	return a, nil
}

// ExtractOutput returns the counts.
func (f *countFn) ExtractOutput(a *countAcc) *countAcc { return a }

// finishFn makes the model from the counts and the documents in order.
type finishFn struct {
	Flags      ModelFlags
	FirstInput string
	// Gzip compresses the model file.
	Gzip bool
}

// ProcessElement writes the model file's bytes.
func (f *finishFn) ProcessElement(ctx context.Context, _ int, iter func(*Doc) bool, counts *countAcc, emit func([]byte)) error {
	cfg, err := f.Flags.Config(f.FirstInput)
	if err != nil {
		return err
	}
	var all []Doc
	var d Doc
	for iter(&d) {
		all = append(all, d)
		d = Doc{}
	}
	slices.SortFunc(all, func(a, b Doc) int {
		switch {
		case a.At.Less(b.At):
			return -1
		case b.At.Less(a.At):
			return 1
		}
		return 0
	})
	docs := make([]training.Doc, len(all))
	for i, d := range all {
		docs[i] = training.Doc{Text: d.Text, Labels: d.Labels, Stance: d.Stance, File: d.At.File, Line: d.Line}
	}
	if cfg.Taxonomy != nil {
		tax, err := training.ApplyTaxonomy(docs, cfg.Taxonomy, f.Flags.AddLabels)
		if err != nil {
			return err
		}
		cfg.Taxonomy = tax
	}
	c := counts.m
	if c == nil || !training.ExactCounts(cfg) {
		c = nil // counted again, in input order
	}
	m, err := training.FinishCounts(c, docs, cfg)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := m.Encode(&b); err != nil {
		return fmt.Errorf("encode the model: %w", err)
	}
	out := b.Bytes()
	if f.Gzip {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write(out)
		if err := zw.Close(); err != nil {
			return err
		}
		out = z.Bytes()
	}
	emit(out)
	return nil
}
