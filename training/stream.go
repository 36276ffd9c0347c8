package training

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"github.com/stance-dev/stance/classify"
)

// DocSource is labeled data read as a stream: Next returns the documents
// in order, then io.EOF.
type DocSource interface {
	Next() (Doc, error)
}

// Labeled describes the labeled documents a training read.
type Labeled struct {
	// Documents is the number of labeled documents.
	Documents int
	// Primary counts the documents by primary label.
	Primary map[string]int
}

// SmallData is the most documents [TrainStream] holds in memory. Up to
// it, the cross-validation of calibration and of [Config.AutoAlpha] is
// the exact one of small data: stratified folds ([PlanFolds]), or
// leave-one-out on tiny data, every document predicted held out. Beyond
// it, training reads the documents once, as a stream, and keeps a seeded
// uniform sample of [HeldoutSample] of them. Calibration predicts each
// sampled document with the model without its fold: the i-th sampled
// document (in input order) is in fold i mod [DefaultFolds], and the model
// without a fold is the total counts minus those of the fold's sampled
// documents (naive Bayes counts add up). AutoAlpha picks the smoothing on
// the sample.
const SmallData = 20000

// HeldoutSample is the number of documents whose held-out predictions
// calibrate a model trained on more than [SmallData] documents.
const HeldoutSample = 50000

// sliceSource is a DocSource over documents in memory.
type sliceSource struct {
	docs []Doc
	i    int
}

func (s *sliceSource) Next() (Doc, error) {
	if s.i >= len(s.docs) {
		return Doc{}, io.EOF
	}
	s.i++
	return s.docs[s.i-1], nil
}

// Docs returns a [DocSource] of documents in memory.
func Docs(docs []Doc) DocSource { return &sliceSource{docs: docs} }

// TrainStream builds a model as cfg says from the labeled data of src,
// which it reads once; it holds at most [SmallData] documents, or
// [HeldoutSample] with calibration or AutoAlpha, in memory. The model is
// the one [Train] builds from the same documents (Train is TrainStream
// over a slice). With a
// taxonomy, a label that is not one of its argument ids is an error
// naming its file and line, unless cfg.AddLabels.
//
// A retraction (Doc.Retract, from a label file) withdraws the document of
// its file and ID in force: on small data the document is dropped, as
// [ReadDocs] does; on a stream its counts are subtracted (exact for
// integer weights), it leaves the sample, and the data hash covers the
// retraction record too.
func TrainStream(src DocSource, cfg Config) (*classify.Model, *Labeled, error) {
	return trainStreamAt(src, cfg, SmallData, HeldoutSample)
}

// trainStreamAt is TrainStream with small in place of SmallData and
// sample in place of HeldoutSample.
func trainStreamAt(src DocSource, cfg Config, small, sample int) (*classify.Model, *Labeled, error) {
	// raw is the records read so far, retractions included; docs counts
	// the documents among them.
	var raw []Doc
	docs := 0
	for docs <= small {
		d, err := src.Next()
		if err == io.EOF {
			kept := applyRetractions(raw)
			m, err := trainDocs(kept, cfg)
			if err != nil {
				return nil, nil, err
			}
			return m, labeledOf(kept), nil
		}
		if err != nil {
			return nil, nil, err
		}
		raw = append(raw, d)
		if !d.Retract {
			docs++
		}
	}
	if cfg.Auto {
		// The options decide what the stream counts: they are chosen on
		// the documents read so far, the first SmallData.
		var err error
		if cfg, err = autoConfig(applyRetractions(raw), cfg); err != nil {
			return nil, nil, err
		}
	}
	return trainStream(raw, src, cfg, sample)
}

// retractKey is the key of a document that a retraction names: its file
// and ID (a retraction withdraws a document of its own file).
func retractKey(d *Doc) string { return d.File + "\x00" + d.ID }

// applyRetractions returns the documents of records that are not
// retracted, as [ReadDocs] keeps them: a retraction drops the last
// document of its file and ID that is the same document (text and labels;
// a record of the same ID that is not a label record may come after it).
func applyRetractions(raw []Doc) []Doc {
	var docs []Doc
	var last map[string]int // the last document of each key, its index in docs; made at the first retraction
	dropped := false
	for _, d := range raw {
		if !d.Retract {
			if last != nil && d.ID != "" {
				last[retractKey(&d)] = len(docs)
			}
			docs = append(docs, d)
			continue
		}
		key := retractKey(&d)
		if last == nil {
			last = map[string]int{}
			for i := range docs {
				if docs[i].ID != "" {
					last[retractKey(&docs[i])] = i
				}
			}
		}
		same := func(i int) bool {
			return docs[i].Labels != nil && retractKey(&docs[i]) == key && docs[i].Text == d.Text && slices.Equal(docs[i].Labels, d.Labels)
		}
		i, ok := last[key]
		if !ok || !same(i) {
			ok = false
			for j := len(docs) - 1; j >= 0 && !ok; j-- {
				i, ok = j, same(j)
			}
		}
		if ok {
			docs[i].Labels = nil
			dropped = true
			if last[key] == i {
				delete(last, key)
			}
		}
	}
	if dropped {
		docs = slices.DeleteFunc(docs, func(d Doc) bool { return d.Labels == nil })
	}
	return docs
}

func labeledOf(docs []Doc) *Labeled {
	l := &Labeled{Documents: len(docs), Primary: map[string]int{}}
	for _, d := range docs {
		l.Primary[d.Label()]++
	}
	return l
}

// trainDocs trains on documents in memory: the exact cross-validation of
// small data.
func trainDocs(docs []Doc, cfg Config) (*classify.Model, error) {
	return trainCounted(nil, docs, cfg)
}

// trainCounted trains on documents in memory, whose counts are counts
// when not nil (see [FinishCounts]).
func trainCounted(counts *classify.Model, docs []Doc, cfg Config) (*classify.Model, error) {
	if len(docs) == 0 {
		return nil, errors.New("train: no documents")
	}
	if cfg.Taxonomy != nil {
		tax, err := ApplyTaxonomy(docs, cfg.Taxonomy, cfg.AddLabels)
		if err != nil {
			return nil, err
		}
		cfg.Taxonomy = tax
	}
	if cfg.Auto {
		var err error
		if cfg, err = autoConfig(docs, cfg); err != nil {
			return nil, err
		}
		counts = nil // counted with other options
	}
	if cfg.AutoAlpha {
		alpha, _, err := ChooseAlpha(docs, cfg)
		if err != nil {
			return nil, err
		}
		cfg.Options.Alpha = alpha
		cfg.AutoAlpha = false
	}
	m := newModel(docs, cfg)
	if counts != nil {
		if err := m.Merge(counts); err != nil {
			return nil, fmt.Errorf("train: add the counts: %w", err)
		}
	} else {
		learnDocs(m, docs, cfg)
	}
	ex := refineAll(m, docs, cfg)
	if cfg.Calibrate {
		// One cross-validation pass gives both the temperature and the
		// held-out statistics the model keeps (see classify.Heldout),
		// the folds' models made from this one when it was counted here
		// as the pass would count it.
		trained := m
		if counts != nil {
			trained, ex = nil, nil
		}
		r := heldoutFoldsFrom(trained, ex, docs, cfg, PlanFolds(docs, DefaultFolds, cfg.Seed))
		if err := setCalibration(m, r, cfg); err != nil {
			return nil, err
		}
	}
	m.Training.DataHash = DataHash(docs)
	// The source (file names) is metadata outside the model's hash: the
	// same data gives the same ID however its files are spelled.
	m.Training.Source = summarySource(len(docs), docFiles(docs), cfg)
	return m, nil
}

// setCalibration sets m's temperature and held-out statistics from the
// held-out predictions r (nil: none).
func setCalibration(m *classify.Model, r *heldoutRun, cfg Config) error {
	t, h, err := calibrateRun(r, cfg)
	if err != nil {
		return err
	}
	m.Options.Temperature = t
	if err := m.SetHeldout(h); err != nil {
		return fmt.Errorf("train: %w", err)
	}
	return nil
}

// streamCount is the state of the first pass of a streamed training.
type streamCount struct {
	cfg   Config
	m     *classify.Model
	known map[string]bool
	hash  hash.Hash
	buf   []byte // hashDoc's
	files []string
	lab   *Labeled
	// sample is a uniform sample of the documents (with their positions)
	// for calibration and AutoAlpha.
	sample []posDoc
	rng    *rand.Rand
	small  int // the sample's size at most
	// inForce is the position of the document in force of each key with
	// an ID (see retractKey).
	inForce map[string]int
}

type posDoc struct {
	pos int
	doc Doc
}

// trainStream trains on first, the records read so far, and the rest of
// src, keeping a sample of sample documents.
func trainStream(first []Doc, src DocSource, cfg Config, sample int) (*classify.Model, *Labeled, error) {
	sc := &streamCount{
		cfg:     cfg,
		m:       newModel(nil, cfg),
		known:   map[string]bool{},
		hash:    sha256.New(),
		lab:     &Labeled{Primary: map[string]int{}},
		small:   sample,
		inForce: map[string]int{},
	}
	for _, c := range sc.m.Classes() {
		sc.known[c] = true
	}
	if cfg.AutoAlpha || cfg.Calibrate || cfg.Options.Refine {
		sc.rng = rand.New(rand.NewPCG(cfg.Seed, 0x53414d504c45)) // "SAMPLE"
	}
	workers := max(1, runtime.GOMAXPROCS(0))
	feats := make([]*classify.Featurizer, workers)
	for i := range feats {
		feats[i] = classify.NewFeaturizer(cfg.Options)
	}
	err := pipeline(first, src, workers,
		func(w int, it *item) { feats[w].Features(it.doc.Text, &it.f) },
		sc.add)
	if err != nil {
		return nil, nil, err
	}
	m := sc.m
	cfg.Taxonomy = m.Taxonomy
	if cfg.Taxonomy == nil {
		m.SortClasses()
	}
	slices.SortFunc(sc.sample, func(a, b posDoc) int { return cmp.Compare(a.pos, b.pos) })
	if cfg.AutoAlpha {
		docs := make([]Doc, len(sc.sample))
		for i, s := range sc.sample {
			docs[i] = s.doc
		}
		alpha, _, err := ChooseAlpha(docs, cfg)
		if err != nil {
			return nil, nil, err
		}
		m.Options.Alpha = alpha
		cfg.Options.Alpha = alpha
		cfg.AutoAlpha = false
	}
	var ex *classify.Examples
	if cfg.Options.Refine {
		docs := make([]Doc, len(sc.sample))
		for i, s := range sc.sample {
			docs[i] = s.doc
		}
		ex = refineAll(m, docs, cfg)
	}
	if cfg.Calibrate && len(m.Classes()) >= 2 {
		r, err := heldoutSample(m, sc.sample, cfg, ex)
		if err != nil {
			return nil, nil, err
		}
		if err := setCalibration(m, r, cfg); err != nil {
			return nil, nil, err
		}
	}
	m.Training.DataHash = hex.EncodeToString(sc.hash.Sum(nil))
	m.Training.Source = summarySource(sc.lab.Documents, sc.files, cfg)
	return m, sc.lab, nil
}

// add counts the documents of a batch, in order.
func (sc *streamCount) add(b *batch) error {
	cfg := sc.cfg
	m := sc.m
	sw := cfg.secondaryWeight()
	for i := range b.items {
		it := &b.items[i]
		d := &it.doc
		if d.Retract {
			if err := sc.retract(it); err != nil {
				return err
			}
			continue
		}
		pos := it.pos
		if d.ID != "" {
			sc.inForce[retractKey(d)] = pos
		}
		for _, l := range d.Labels {
			if !sc.known[l] {
				if err := sc.newLabel(*d); err != nil {
					return err
				}
				break
			}
		}
		err := countDoc(*d, sw, func(labels []string, w float64) error { return m.Add(&it.f, labels, w) })
		if err != nil {
			return fmt.Errorf("train: %w", err)
		}
		sc.buf = hashDoc(sc.hash, sc.buf, *d)
		if d.File != "" && !slices.Contains(sc.files, d.File) {
			sc.files = append(sc.files, d.File)
		}
		sc.lab.Documents++
		sc.lab.Primary[d.Label()]++
		if sc.rng != nil {
			switch {
			case len(sc.sample) < sc.small:
				sc.sample = append(sc.sample, posDoc{pos, *d})
			default:
				if j := sc.rng.IntN(pos + 1); j < sc.small {
					sc.sample[j] = posDoc{pos, *d}
				}
			}
		}
	}
	return nil
}

// retract subtracts the document that the retraction it carries withdraws.
func (sc *streamCount) retract(it *item) error {
	d := &it.doc
	pos, ok := sc.inForce[retractKey(d)]
	if !ok {
		return nil // nothing in force to withdraw
	}
	delete(sc.inForce, retractKey(d))
	err := countDoc(*d, sc.cfg.secondaryWeight(), func(labels []string, w float64) error { return sc.m.Remove(&it.f, labels, w) })
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	sc.hash.Write([]byte("retract\x00"))
	sc.buf = hashDoc(sc.hash, sc.buf, *d)
	sc.lab.Documents--
	sc.lab.Primary[d.Label()]--
	sc.sample = slices.DeleteFunc(sc.sample, func(p posDoc) bool { return p.pos == pos })
	return nil
}

// newLabel adds the labels of d that are new: as classes without a
// taxonomy, else (with cfg.AddLabels) as arguments of the taxonomy, with
// their pseudo-documents, as [ApplyTaxonomy] and Train's pseudo-documents
// do. A new label's class has no counts before it, so counting its
// pseudo-document now rather than first gives the same class counts.
func (sc *streamCount) newLabel(d Doc) error {
	m := sc.m
	if m.Taxonomy == nil {
		for _, l := range d.Labels {
			if !sc.known[l] {
				sc.known[l] = true
				m.AddClass(l)
			}
		}
		return nil
	}
	tax, err := ApplyTaxonomy([]Doc{d}, m.Taxonomy, sc.cfg.AddLabels)
	if err != nil {
		return err
	}
	old := len(m.Taxonomy.Arguments)
	m.Taxonomy = tax
	w := sc.cfg.cueWeight()
	for _, a := range tax.Arguments[old:] {
		sc.known[a.ID] = true
		m.AddClass(a.ID)
		learnPseudo(m, a, w)
	}
	return nil
}

// heldoutSample predicts the sampled documents held out: the i-th of them
// is in fold i mod DefaultFolds, and the model without a fold is m minus
// the counts of that fold's sampled documents. The folds are built one
// after the other, so that one fold's counts and tables are in memory at
// a time.
func heldoutSample(m *classify.Model, sample []posDoc, cfg Config, ex *classify.Examples) (*heldoutRun, error) {
	K := min(DefaultFolds, len(sample))
	if K < 2 {
		return nil, nil
	}
	if cfg.Options.Refine {
		return heldoutSampleRefined(m, sample, cfg, ex), nil
	}
	classes := m.Classes()
	nc, n := len(classes), len(sample)
	logp := make([]float64, n*nc)
	oov := make([]float64, n)
	sw := cfg.secondaryWeight()
	workers := max(1, runtime.GOMAXPROCS(0))
	// A fold's documents are tokenized once, on every core (the j-th on
	// core j mod workers), against the model's vocabulary: counted in
	// order into the fold, then scored by the model without the fold.
	hd := make([]classify.HeldoutDoc, (n+K-1)/K)
	preps := make([]*classify.HeldoutPreparer, workers)
	for w := range preps {
		preps[w] = m.NewHeldoutPreparer()
	}
	var wg sync.WaitGroup
	for k := range K {
		nf := (n - k + K - 1) / K // the fold's documents: k, k+K, ...
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := w; j < nf; j += workers {
					preps[w].Prepare(sample[k+j*K].doc.Text, &hd[j])
				}
			}()
		}
		wg.Wait()
		fold := classify.NewFolds(m, 1)
		for j := range nf {
			err := countDoc(sample[k+j*K].doc, sw, func(labels []string, w float64) error { return fold.CountHeldout(0, &hd[j], labels, w) })
			if err != nil {
				return nil, fmt.Errorf("train: %w", err)
			}
		}
		scorer := fold.Without(0)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var post []float64
				for j := w; j < nf; j += workers {
					i := k + j*K
					var unknown, total int
					post, unknown, total = scorer.HeldoutDoc(&hd[j], post)
					for c, p := range post {
						logp[i*nc+c] = math.Log(p)
					}
					oov[i] = -1
					if total > 0 {
						oov[i] = float64(unknown) / float64(total)
					}
				}
			}()
		}
		wg.Wait()
	}
	docs := make([]Doc, n)
	for i, s := range sample {
		docs[i] = s.doc
	}
	return sampleRun(classes, docs, logp, oov, K), nil
}

// sampleRun gathers the held-out predictions of the sampled documents
// docs, the i-th held out in fold i mod K, with their log-posteriors (nc
// per document) and out-of-vocabulary rates; documents whose label is
// not a class are left out.
func sampleRun(classes []string, docs []Doc, logp, oov []float64, K int) *heldoutRun {
	nc := len(classes)
	idx := make(map[string]int, nc)
	for i, c := range classes {
		idx[c] = i
	}
	r := &heldoutRun{classes: classes, nc: nc, folds: K}
	for i, d := range docs {
		g, ok := idx[d.Label()]
		if !ok {
			continue
		}
		r.logp = append(r.logp, logp[i*nc:i*nc+nc]...)
		r.gold = append(r.gold, g)
		r.oov = append(r.oov, oov[i])
		r.fold = append(r.fold, i%K)
	}
	return r
}

// item is one record in the pipeline, with what the workers made of it.
type item struct {
	doc Doc
	pos int // the document's position from 0; -1 for a retraction
	f   classify.Features
}

// batch is a run of consecutive records; done is closed when a worker
// has processed them. err is the read error after its items.
type batch struct {
	items []item
	err   error
	done  chan struct{}
}

const batchDocs = 256

// pipeline reads first, then src, in batches; work runs on workers
// goroutines (w is the worker's number), and apply on the calling
// goroutine, batch after batch in input order. The first error of apply
// or of reading stops it.
func pipeline(first []Doc, src DocSource, workers int, work func(w int, it *item), apply func(*batch) error) error {
	nbuf := 4*workers + 2
	free := make(chan *batch, nbuf)
	for range nbuf {
		free <- &batch{items: make([]item, 0, batchDocs)}
	}
	todo := make(chan *batch, nbuf)
	ordered := make(chan *batch, nbuf)
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the reader
		defer wg.Done()
		defer close(todo)
		defer close(ordered)
		pos := 0
		for done := false; !done; {
			var b *batch
			select {
			case b = <-free:
			case <-quit:
				return
			}
			b.items, b.err, b.done = b.items[:0], nil, make(chan struct{})
			for len(b.items) < batchDocs {
				var d Doc
				if len(first) > 0 {
					d, first[0], first = first[0], Doc{}, first[1:] // let the read ones go
				} else {
					var err error
					if d, err = src.Next(); err != nil {
						if err != io.EOF {
							b.err = err
						}
						done = true
						break
					}
				}
				b.items = b.items[:len(b.items)+1]
				it := &b.items[len(b.items)-1]
				it.doc, it.pos = d, -1
				if !d.Retract {
					it.pos = pos
					pos++
				}
			}
			ordered <- b // buffered as deep as there are batches: never blocks
			todo <- b
		}
	}()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range todo {
				for i := range b.items {
					work(w, &b.items[i])
				}
				close(b.done)
			}
		}()
	}
	var err error
	for b := range ordered {
		<-b.done
		if err == nil {
			err = apply(b)
			if err == nil {
				err = b.err
			}
			if err != nil {
				close(quit)
			}
		}
		for i := range b.items {
			b.items[i].doc = Doc{} // let the texts go
		}
		free <- b
	}
	wg.Wait()
	return err
}
