package training

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"sync"

	"github.com/stance-dev/stance/classify"
)

//go:generate go run ./internal/gendefault

//go:embed default/huawei.toml
var huaweiTOML []byte

//go:embed default/seed-labels.jsonl
var seedLabels []byte

//go:embed default/model.json.gz
var defaultModelGz []byte

// DefaultModelName is the name of the embedded default model.
const DefaultModelName = "huawei"

// DefaultTaxonomyTOML returns the source of the default Huawei taxonomy.
func DefaultTaxonomyTOML() []byte { return bytes.Clone(huaweiTOML) }

// SeedLabels returns the labeled seed comments (JSONL) the default model is
// trained on.
func SeedLabels() []byte { return bytes.Clone(seedLabels) }

var defaultTaxonomy = sync.OnceValue(func() *classify.Taxonomy {
	t, err := ParseTaxonomy("default/huawei.toml", huaweiTOML)
	if err != nil {
		panic("training: embedded taxonomy: " + err.Error())
	}
	return t
})

// DefaultTaxonomy returns a copy of the default Huawei taxonomy.
func DefaultTaxonomy() *classify.Taxonomy { return cloneTaxonomy(defaultTaxonomy()) }

// DefaultConfig returns the configuration the default model is trained
// with: the Huawei taxonomy and the options chosen by leave-one-out on the
// seed labels (see training/README.md).
func DefaultConfig() Config {
	return Config{
		Name:            DefaultModelName,
		Taxonomy:        DefaultTaxonomy(),
		Options:         defaultOptions(),
		CueWeight:       Weight(DefaultCueWeight),
		SecondaryWeight: Weight(DefaultSecondaryWeight),
		Seed:            1,
		Calibrate:       true,
	}
}

// DefaultPreset is the option preset of the default model: complement
// naive Bayes with TF-IDF and stopwords, the best set on leave-one-out over
// the seed labels (see training/README.md).
const DefaultPreset = "topic"

func defaultOptions() classify.Options {
	o, err := classify.Preset(DefaultPreset)
	if err != nil {
		panic("training: " + err.Error())
	}
	return o
}

// seedLabelsName is the repository path of the seed labels, which names
// them in the default model's training summary. Training on that file with
// `stance train training/default/seed-labels.jsonl --taxonomy default
// --preset topic` (run at the repository root) gives the default model.
const seedLabelsName = "training/default/seed-labels.jsonl"

// BuildDefault trains the default model afresh from the embedded seed
// labels and taxonomy. [Default] returns the same model, decoded from the
// embedded file that `go generate ./training` writes.
func BuildDefault() (*classify.Model, error) {
	docs, err := ReadDocs(seedLabelsName, bytes.NewReader(seedLabels))
	if err != nil {
		return nil, err
	}
	return Train(docs, DefaultConfig())
}

// WriteModelGzip writes m's encoding gzipped, deterministically (no name or
// time in the gzip header).
func WriteModelGzip(w io.Writer, m *classify.Model) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	if err := m.Encode(zw); err != nil {
		return err
	}
	return zw.Close()
}

var defaultModel = sync.OnceValues(func() (*classify.Model, error) {
	m, err := classify.DecodeModel(bytes.NewReader(defaultModelGz))
	if err != nil {
		return nil, fmt.Errorf("embedded default model: %w", err)
	}
	return m, nil
})

// Default returns the embedded default model (Huawei in Europe's 5G
// networks). The model is decoded once and shared: callers must not train
// it further (use Clone for that).
func Default() (*classify.Model, error) { return defaultModel() }
