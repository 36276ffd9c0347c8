package training

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"github.com/stance-dev/stance/classify"
)

// DefaultCueWeight is the weight of each cue-phrase and description
// pseudo-document when [Config.CueWeight] is nil. Each cue phrase then
// counts like one short document. It was chosen by the sweep
// recorded in training/README.md (leave-one-out on the seed labels and the
// held-out sentences).
const DefaultCueWeight = 1

// DefaultSecondaryWeight is the weight of a document's secondary labels
// when [Config.SecondaryWeight] is nil.
const DefaultSecondaryWeight = 1

// AlphaGrid is the smoothing grid that [Config.AutoAlpha] searches.
var AlphaGrid = []float64{0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 4}

// Config says how to train a model.
type Config struct {
	// Name is the model's name (part of its ID); "" means "model".
	Name string
	// Taxonomy, when not nil, fixes the classes (its argument ids, in
	// order) and adds its cue phrases and descriptions as pseudo-documents.
	// Without it the classes are the labels found, sorted.
	Taxonomy *classify.Taxonomy
	// Options are the classifier options.
	Options classify.Options
	// AutoAlpha picks Options.Alpha from [AlphaGrid] by inner
	// cross-validation on the training data (see [ChooseAlpha]).
	AutoAlpha bool
	// CueWeight is the weight of each pseudo-document: one per cue phrase
	// and one per argument built from its name and description. nil means
	// [DefaultCueWeight]; 0 (or any weight that is not positive) adds no
	// pseudo-documents. See [Weight].
	CueWeight *float64
	// SecondaryWeight is the weight with which a document counts for its
	// second and later labels (its primary label has weight 1). nil means
	// [DefaultSecondaryWeight]; 0 (or any weight that is not positive)
	// ignores secondary labels.
	SecondaryWeight *float64
	// Source describes the training data in the model's summary.
	Source string
	// Seed seeds the folds of the inner cross-validation of AutoAlpha and
	// of Calibrate.
	Seed uint64
	// AddLabels, with a taxonomy, adds the labels that are not in it as
	// new arguments (see [ApplyTaxonomy]) instead of failing.
	AddLabels bool
	// Calibrate fits the model's temperature on held-out predictions (see
	// [CalibrateTemperature]), so that its probabilities are honest.
	Calibrate bool
	// Auto picks the options by inner cross-validation ([ChooseOptions]);
	// OnAuto, if set, is told the choice. OnAutoStep, if set, is told
	// the search's progress after each batch of option sets it scores:
	// the best option set so far, its score, the sets tried and the time
	// spent (a nested cross-validation's searches tell neither).
	Auto       bool
	OnAuto     func(AutoChoice)
	OnAutoStep func(AutoChoice)
	// AutoPair, when both are set, makes Auto maximise the mean F1 of
	// the two classes (the f-pair metric) instead of macro-F1.
	AutoPair [2]string
	// autoNote is what Auto chose, for the summary's source.
	autoNote string
}

// Weight returns a pointer to w, for [Config.CueWeight] and
// [Config.SecondaryWeight].
func Weight(w float64) *float64 { return &w }

// weightOr returns *w, or def when w is nil; a weight that is not a
// positive finite number is 0.
func weightOr(w *float64, def float64) float64 {
	switch {
	case w == nil:
		return def
	case !(*w > 0) || math.IsInf(*w, 0):
		return 0
	}
	return *w
}

// EffectiveCueWeight returns the weight of each pseudo-document that
// training uses: [Config.CueWeight] or its default (0: none).
func (c Config) EffectiveCueWeight() float64 { return weightOr(c.CueWeight, DefaultCueWeight) }

// EffectiveSecondaryWeight returns the weight of secondary labels that
// training uses: [Config.SecondaryWeight] or its default (0: ignored).
func (c Config) EffectiveSecondaryWeight() float64 {
	return weightOr(c.SecondaryWeight, DefaultSecondaryWeight)
}

func (c Config) cueWeight() float64       { return c.EffectiveCueWeight() }
func (c Config) secondaryWeight() float64 { return c.EffectiveSecondaryWeight() }

func (c Config) name() string {
	if c.Name == "" {
		return "model"
	}
	return c.Name
}

// Train builds a model from docs as cfg says: [TrainStream] over the
// documents. With a taxonomy, every label must be one of its argument ids
// (see [ApplyTaxonomy]), unless cfg.AddLabels.
func Train(docs []Doc, cfg Config) (*classify.Model, error) {
	m, _, err := TrainStream(Docs(docs), cfg)
	return m, err
}

// newModel returns a model with cfg's classes and pseudo-documents, and no
// documents of docs yet.
func newModel(docs []Doc, cfg Config) *classify.Model {
	m := NewCountModel(Classes(docs, cfg.Taxonomy), cfg)
	if m.Taxonomy != nil {
		for _, a := range m.Taxonomy.Arguments {
			learnPseudo(m, a, cfg.cueWeight())
		}
	}
	return m
}

// learnPseudo adds the pseudo-documents of argument a with weight w (none
// when w is 0): one per cue phrase, one of its name and description.
func learnPseudo(m *classify.Model, a classify.Argument, w float64) {
	if w <= 0 {
		return
	}
	for _, text := range pseudoTexts(a) {
		m.Learn(text, []string{a.ID}, w)
	}
}

// pseudoTexts returns the texts of argument a's pseudo-documents: its cue
// phrases, then its name and description.
func pseudoTexts(a classify.Argument) []string {
	texts := slices.Clone(a.Cues)
	if desc := strings.TrimSpace(a.Name + ". " + a.Description); desc != "" {
		texts = append(texts, desc)
	}
	return texts
}

// learnDoc adds (or, with remove, takes away) one document.
func learnDoc(m *classify.Model, d Doc, cfg Config, remove bool) {
	upd := m.Learn
	if remove {
		upd = m.Unlearn
	}
	countDoc(d, cfg.secondaryWeight(), func(labels []string, w float64) error {
		upd(d.Text, labels, w)
		return nil
	})
}

// learnDocs is learnDoc of each of docs in order, bit for bit, with the
// texts tokenized on another core (a [classify.Featurizer]) while those
// before them are counted in order on the calling goroutine: the same
// terms met in the same order, the same features added with the same
// operations. One Featurizer, not one a core: counting in order bounds
// it, and each Featurizer holds a vocabulary of its own (on 11,314 long
// posts with bigrams, two took 0.95 GB and 2.7-2.9 s, one 0.81-0.86 GB
// and 2.6 s, learning alone 0.85 GB and 3.5-3.6 s).
func learnDocs(m *classify.Model, docs []Doc, cfg Config) {
	if runtime.GOMAXPROCS(0) < 2 || len(docs) < 2*batchDocs {
		for _, d := range docs {
			learnDoc(m, d, cfg, false)
		}
		return
	}
	z := classify.NewFeaturizer(m.Options)
	sw := cfg.secondaryWeight()
	// Neither the documents in memory nor counting with the model's own
	// options can fail.
	_ = pipeline(nil, Docs(docs), 1,
		func(_ int, it *item) { z.Features(it.doc.Text, &it.f) },
		func(b *batch) error {
			for i := range b.items {
				it := &b.items[i]
				_ = countDoc(it.doc, sw, func(labels []string, w float64) error { return m.Add(&it.f, labels, w) })
			}
			return nil
		})
}

// countDoc counts one document with count: its primary label with weight
// 1 and its secondary labels with the secondary weight sw (none when sw is
// 0), at once when sw is 1.
func countDoc(d Doc, sw float64, count func(labels []string, w float64) error) error {
	if sw == 1 || len(d.Labels) == 1 {
		return count(d.Labels, 1)
	}
	if err := count(d.Labels[:1], 1); err != nil || !(sw > 0) {
		return err
	}
	return count(d.Labels[1:], sw)
}

// docFiles returns the files of docs, in order of first appearance.
func docFiles(docs []Doc) []string {
	var files []string
	for _, d := range docs {
		if d.File != "" && !slices.Contains(files, d.File) {
			files = append(files, d.File)
		}
	}
	return files
}

// summarySource describes n documents read from files for the model's
// summary.
func summarySource(n int, files []string, cfg Config) string {
	src := cfg.Source
	if src == "" {
		src = strings.Join(files, ", ")
	}
	s := fmt.Sprintf("%d labeled documents", n)
	if src != "" {
		s = src + ": " + s
	}
	if cfg.Taxonomy != nil && cfg.cueWeight() > 0 {
		n := 0
		for _, a := range cfg.Taxonomy.Arguments {
			n += len(a.Cues) + 1
		}
		s += fmt.Sprintf(" + %d cue/description pseudo-documents of weight %s", n, fmtG(cfg.cueWeight()))
	}
	if sw := cfg.secondaryWeight(); sw != 1 {
		s += fmt.Sprintf("; secondary labels weight %s", fmtG(sw))
	}
	if cfg.autoNote != "" {
		s += "; " + cfg.autoNote
	}
	return s
}

func fmtG(f float64) string { return fmt.Sprintf("%g", f) }

// DataHash is the hex SHA-256 of the canonical form of docs: for each
// document its text, its labels joined by "|", and its stance, separated by
// NUL bytes, one document per newline-terminated record.
func DataHash(docs []Doc) string {
	h := sha256.New()
	var buf []byte
	for _, d := range docs {
		buf = hashDoc(h, buf, d)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// hashDoc writes d's canonical form to h (see [DataHash]): its text, read
// in place, then the rest through buf (returned for the next document: no
// allocation per document).
func hashDoc(h hash.Hash, buf []byte, d Doc) []byte {
	// A hash's Write does not modify or keep what it is given: the text's
	// bytes need no copy.
	h.Write(unsafe.Slice(unsafe.StringData(d.Text), len(d.Text)))
	buf = append(buf[:0], 0)
	for i, l := range d.Labels {
		if i > 0 {
			buf = append(buf, '|')
		}
		buf = append(buf, l...)
	}
	buf = append(buf, 0)
	buf = append(buf, d.Stance...)
	buf = append(buf, '\n')
	h.Write(buf)
	return buf
}

// ChooseAlpha picks the smoothing of cfg's model from [AlphaGrid] by
// cross-validation on docs (leave-one-out or stratified k-fold as
// [PlanFolds] decides for 5 folds), maximising macro-F1, then accuracy;
// ties go to the larger alpha, the safer choice on small data. It returns
// the alpha and its macro-F1.
func ChooseAlpha(docs []Doc, cfg Config) (float64, float64, error) {
	cfg.AutoAlpha = false
	folds := PlanFolds(docs, 5, cfg.Seed)
	// Alpha only enters at scoring time, so the counts are kept once per
	// fold and every alpha of the grid scores the held-out documents.
	classes := Classes(docs, cfg.Taxonomy)
	mets := make([]*Metrics, len(AlphaGrid))
	for k := range mets {
		mets[k] = NewMetrics(classes)
	}
	m := newModel(docs, cfg)
	learnDocs(m, docs, cfg)
	m.SortTerms() // see heldoutFoldsFrom
	m.ReuseTables()
	// Each fold's documents are tokenized once (see heldoutFoldsFrom), not
	// once an alpha.
	fp := newFoldPrep(m, cfg)
	labels := []string{}
	for _, fold := range folds {
		fp.prepare(docs, fold)
		fp.count(m, docs, fold, true)
		labels = slices.Grow(labels[:0], len(fold))[:len(fold)]
		for k, a := range AlphaGrid {
			// m is private to this call: setting its alpha makes the
			// next prediction rebuild the scoring tables, and nothing
			// else (a clone per alpha would copy the vocabulary).
			m.Options.Alpha = a
			m.Finalize() // the tables, before they are shared
			onCores(len(fp.preps), len(fold), func(_, j int) { labels[j] = m.PredictHeldout(&fp.hd[j]).Label })
			for j, i := range fold {
				mets[k].Add(docs[i].Label(), labels[j])
			}
		}
		fp.count(m, docs, fold, false)
	}
	best, bestF1, bestAcc := 0.0, -1.0, -1.0
	for k, a := range AlphaGrid {
		f1, acc := mets[k].MacroF1(), mets[k].Accuracy()
		if f1 > bestF1+1e-12 || (math.Abs(f1-bestF1) <= 1e-12 && acc >= bestAcc-1e-12) {
			best, bestF1, bestAcc = a, f1, acc
		}
	}
	return best, bestF1, nil
}

// ParseAlpha reads the smoothing of a flag: "" keeps the preset's (0, not
// auto), "auto" picks it by inner cross-validation ([Config.AutoAlpha]),
// anything else is a number in (0, 1e6].
func ParseAlpha(s string) (alpha float64, auto bool, err error) {
	switch a := strings.TrimSpace(s); a {
	case "":
		return 0, false, nil
	case "auto":
		return 0, true, nil
	default:
		v, err := strconv.ParseFloat(a, 64)
		if err != nil || !(v > 0) || v > 1e6 {
			return 0, false, fmt.Errorf("invalid --alpha %q: want a number > 0 or \"auto\"", s)
		}
		return v, false, nil
	}
}
