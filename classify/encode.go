package classify

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/klauspost/compress/zstd"
)

// ModelFormat is the "format" value of a model file.
const ModelFormat = "stance-model"

// ModelVersion is the newest model file version this package writes and
// reads. Version 2 added the held-out statistics ([Heldout]) and moved
// the training source out of the hashed content; version 1 files are
// still read (they load with no held-out statistics, see
// [Model.Adjustable]). Version 3 adds the fitted weights of a refined
// model ([Model.Refine]); a model without them is written as version 2,
// which earlier releases read, under the same hash. In version 4 the
// fitted weights of a model without Binary score a term by 1 + ln of its
// count in the document (svmFeature), and its file says so
// ("weight_tf":"sublinear", which the hash covers); version 3's scored
// the raw counts, and a model read from such a file still does (and is
// written as version 3 again). A binary refined model, whose features are
// 1 either way, is still written as version 3.
const ModelVersion = 4

// fileVersion is the version m is written as: 4 with fitted weights on
// sublinear counts, 3 with other fitted weights, 2 without.
func (m *Model) fileVersion() int {
	switch {
	case m.refined == nil:
		return 2
	case m.refined.rawTF || m.Options.Binary:
		return 3
	}
	return 4
}

// sublinearTF is the "weight_tf" of a version 4 file: its fitted weights
// score svmFeature of the counts.
const sublinearTF = "sublinear"

// setWeightTF records what the fitted table of m, read from a file of
// the given version, scores: the raw counts in version 3 (without
// Binary), svmFeature of them from version 4. weightTF is the file's
// "weight_tf" and marked whether the file must hold it (JSON does, in
// the hashed content; binary files say it by their version).
func setWeightTF(m *Model, version int, weightTF string, marked bool) error {
	r := m.refined
	sub := r != nil && version >= 4
	switch {
	case sub && m.Options.Binary:
		return fmt.Errorf("version %d fitted weights of a binary model (written as version 3)", version)
	case weightTF != "" && (!sub || !marked || weightTF != sublinearTF):
		return fmt.Errorf("weight_tf %q in a version %d file", weightTF, version)
	case sub && marked && weightTF == "":
		return fmt.Errorf("version %d fitted weights without weight_tf %q", version, sublinearTF)
	}
	if r != nil {
		r.rawTF = !sub && !m.Options.Binary
	}
	return nil
}

// oldestModelVersion is the oldest model file version this package reads.
const oldestModelVersion = 1

// Errors of [DecodeModel], for errors.Is.
var (
	// ErrNotModel: the input is not a stance model file.
	ErrNotModel = errors.New("not a stance model")
	// ErrCorruptModel: the file is a stance model but damaged.
	ErrCorruptModel = errors.New("model file is corrupt")
	// ErrModelVersion: the file's version is not one this stance reads.
	ErrModelVersion = errors.New("unsupported model version")
)

// fileModel is the JSON form of a model. The canonical encoding writes the
// fields in this order, the terms sorted, numbers in Go's shortest
// round-trip form.
type fileModel struct {
	Format   string      `json:"format"`
	Version  int         `json:"version"`
	Hash     string      `json:"hash"`
	Source   string      `json:"source"` // version 2; in Training in version 1
	Name     string      `json:"name"`
	Taxonomy *Taxonomy   `json:"taxonomy"`
	Options  Options     `json:"options"`
	Training fileTrain   `json:"training"`
	Heldout  *Heldout    `json:"heldout"` // version 2
	Classes  []string    `json:"classes"`
	Docs     []float64   `json:"docs"`
	Tokens   []float64   `json:"tokens"`
	Total    float64     `json:"total"`
	NDocs    int64       `json:"ndocs"`
	Terms    []string    `json:"terms"`
	DN       []int64     `json:"term_docs"`
	DF       []float64   `json:"term_weight"`
	Counts   [][]float64 `json:"counts"`
	// WeightTF, Bias and Weights are the fitted table of a refined
	// model (version 3 or 4): what it scores ("sublinear" in version 4,
	// see setWeightTF), one bias per class, and Weights[c][i] the weight
	// of terms[i] in classes[c].
	WeightTF string      `json:"weight_tf,omitempty"`
	Bias     []float64   `json:"weight_bias,omitempty"`
	Weights  [][]float64 `json:"weights,omitempty"`
}

type fileTrain struct {
	Source   string `json:"source,omitempty"`
	DataHash string `json:"data_hash,omitempty"`
}

// Hash returns the model's content hash: the hex SHA-256 of its canonical
// encoding without the format, version, hash and source fields. Models
// with the same classes, counts, options, taxonomy, name, data hash and
// held-out statistics have the same hash, whatever the order they were
// trained in (exactly for integer weights) and whatever the training
// source is called. A model decoded from a version 1 file keeps that
// file's hash (whose content included the source) until it is trained
// further.
func (m *Model) Hash() string {
	if h := m.hash.Load(); h != nil && h.matches(m) {
		return h.hash
	}
	version := m.fileVersion()
	if m.legacy {
		version = 1
	}
	h := m.canonicalHash(version)
	m.storeHash(h)
	return h
}

func (m *Model) storeHash(h string) {
	c := &hashCache{name: m.Name, opt: m.Options, src: m.Training.Source, dh: m.Training.DataHash, legacy: m.legacy, hash: h}
	if m.Taxonomy != nil {
		t := *m.Taxonomy
		t.Stances = slices.Clone(t.Stances)
		t.Arguments = slices.Clone(t.Arguments)
		for i := range t.Arguments {
			t.Arguments[i].Cues = slices.Clone(t.Arguments[i].Cues)
		}
		c.tax = &t
	}
	m.hash.Store(c)
}

// ID returns "name@" and the first 12 hex digits of the hash, the model's
// identity in outputs.
func (m *Model) ID() string { return m.Name + "@" + m.Hash()[:12] }

// Encode writes the model as versioned, deterministic JSON (version
// [ModelVersion]):
//
//	{"format":"stance-model","version":2,"hash":"<sha256>","source":"...",
//	 "name":...,"taxonomy":...,"options":...,"training":{"data_hash":...},
//	 "heldout":{...} or null,"classes":[...],"docs":[...],"tokens":[...],
//	 "total":N,"ndocs":N,"terms":[sorted...],"term_docs":[...],
//	 "term_weight":[...],"counts":[[per class...]...]}
//
// and, for a refined model (version 3, or 4 with "weight_tf", see
// [ModelVersion]), before the closing brace:
//
//	,"weight_tf":"sublinear","weight_bias":[per class...],"weights":[[per class...]...]
//
// counts[c][i] is the feature sum of terms[i] in classes[c] (weights[c][i]
// the fitted weight, see [Model.Refine]); heldout is
// [Heldout] in its JSON form. The hash is the SHA-256 of the same
// encoding with "format", "version", "hash" and "source" left out. (A
// version 1 file has no "source" and no "heldout"; its "training" holds
// the source, which its hash covers.) A model decoded from a version 1
// file is written as version 2, under its version 2 hash.
func (m *Model) Encode(w io.Writer) error {
	version := m.fileVersion()
	body := m.canonicalBody(version)
	sum := sha256.Sum256(body)
	h := hex.EncodeToString(sum[:])
	if !m.legacy {
		m.storeHash(h)
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "{\"format\":%q,\"version\":%d,\"hash\":%q,\"source\":", ModelFormat, version, h)
	bw.Write(appendJSON(nil, m.Training.Source))
	bw.WriteByte(',')
	bw.Write(body[1:])
	bw.WriteByte('\n')
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	return nil
}

// canonicalBody is the encoding of the given file version without format,
// version, hash (and, from version 2, source).
func (m *Model) canonicalBody(version int) []byte {
	c := canonWriter{b: make([]byte, 0, m.canonicalSizeHint())}
	m.writeCanonical(&c, version)
	return c.b
}

// canonicalHash returns the hex SHA-256 of canonicalBody(version),
// computed as the body is written, without holding it.
func (m *Model) canonicalHash(version int) string {
	h := sha256.New()
	c := canonWriter{b: make([]byte, 0, 2*canonChunk), w: h}
	m.writeCanonical(&c, version)
	h.Write(c.b)
	return hex.EncodeToString(h.Sum(nil))
}

// canonicalSizeHint guesses the size of the canonical body, so that it is
// allocated once.
func (m *Model) canonicalSizeHint() int {
	return 4096 + len(m.terms)*(24+4*len(m.classes))
}

// canonChunk is the size at which a canonWriter with a writer passes its
// buffer on.
const canonChunk = 64 << 10

// canonWriter collects the canonical encoding in b; with w set, it passes
// b to w whenever it holds canonChunk bytes or more (w must not fail:
// it is a hash).
type canonWriter struct {
	b []byte
	w io.Writer
}

func (c *canonWriter) flush() {
	if c.w != nil && len(c.b) >= canonChunk {
		c.w.Write(c.b)
		c.b = c.b[:0]
	}
}

// zerosRun is a run of array elements 0 with their commas.
var zerosRun = strings.Repeat(",0", 1024)

// zeros writes the elements from to to (excluded) of an array, all 0.
func (c *canonWriter) zeros(from, to int) {
	if from >= to {
		return
	}
	if from == 0 {
		c.b = append(c.b, '0')
		from++
	}
	for n := to - from; n > 0; {
		k := min(n, len(zerosRun)/2)
		c.b = append(c.b, zerosRun[:2*k]...)
		n -= k
		c.flush()
	}
}

// column writes the key and the JSON array of one per-term column, the
// terms in order, each value appended by value.
func (c *canonWriter) column(key string, order []int32, value func(b []byte, t int32) []byte) {
	c.b = appendKey(c.b, key, false)
	c.b = append(c.b, '[')
	for i, t := range order {
		if i > 0 {
			c.b = append(c.b, ',')
		}
		c.b = value(c.b, t)
		c.flush()
	}
	c.b = append(c.b, ']')
}

// writeCanonical writes the canonical encoding of the given file version
// (see canonicalBody) to c.
func (m *Model) writeCanonical(c *canonWriter, version int) {
	c.b = m.appendCanonicalHead(c.b, version)
	order := m.liveOrder()
	c.column("terms", order, func(b []byte, t int32) []byte { return appendJSONString(b, m.terms[t]) })
	c.column("term_docs", order, func(b []byte, t int32) []byte { return strconv.AppendInt(b, m.dn[t], 10) })
	c.column("term_weight", order, func(b []byte, t int32) []byte { return appendFloat(b, m.df[t]) })
	c.b = appendKey(c.b, "counts", false)
	c.classMajor(order, m.counts, len(m.classes))
	if r := m.refined; r != nil {
		if version >= 4 {
			c.b = appendKey(c.b, "weight_tf", false)
			c.b = appendJSONString(c.b, sublinearTF)
		}
		c.b = appendKey(c.b, "weight_bias", false)
		c.b = appendFloats(c.b, r.bias)
		c.b = appendKey(c.b, "weights", false)
		c.classMajor(order, r.w, len(m.classes))
	}
	c.b = append(c.b, '}')
}

// classMajor writes a term-major table of nc values per term as a JSON
// array of one array per class, the terms in order.
func (c *canonWriter) classMajor(order []int32, table []float64, nc int) {
	c.b = append(c.b, '[')
	// The values are written class by class but stored term by term, in
	// the order the terms were first seen: the nonzero values are
	// gathered per class first, in one pass over the terms, so that
	// writing does not jump through memory once per value.
	type nonzero struct {
		rank int32
		v    float64
	}
	perClass := make([][]nonzero, nc)
	for r, t := range order {
		for k, v := range table[int(t)*nc : int(t)*nc+nc] {
			if v != 0 {
				perClass[k] = append(perClass[k], nonzero{int32(r), v})
			}
		}
	}
	for k, nz := range perClass {
		if k > 0 {
			c.b = append(c.b, ',')
		}
		c.b = append(c.b, '[')
		next := 0 // the rank of the next element to write
		for _, e := range nz {
			c.zeros(next, int(e.rank))
			if e.rank > 0 {
				c.b = append(c.b, ',')
			}
			c.b = appendFloat(c.b, e.v)
			next = int(e.rank) + 1
			c.flush()
		}
		c.zeros(next, len(order))
		c.b = append(c.b, ']')
		perClass[k] = nil
	}
	c.b = append(c.b, ']')
}

// appendCanonicalHead appends the canonical encoding of the given file
// version up to the per-term arrays: "{" and the fields from "name" to
// "ndocs", without the closing brace.
func (m *Model) appendCanonicalHead(b []byte, version int) []byte {
	b = append(b, '{')
	b = appendKey(b, "name", true)
	b = appendJSON(b, m.Name)
	b = appendKey(b, "taxonomy", false)
	b = appendJSON(b, m.Taxonomy)
	b = appendKey(b, "options", false)
	b = appendJSON(b, m.Options.normalized())
	b = appendKey(b, "training", false)
	if version == 1 {
		b = appendJSON(b, fileTrain{Source: m.Training.Source, DataHash: m.Training.DataHash})
	} else {
		b = appendJSON(b, fileTrain{DataHash: m.Training.DataHash})
		b = appendKey(b, "heldout", false)
		b = appendJSON(b, m.heldout)
	}
	b = appendKey(b, "classes", false)
	b = appendJSON(b, m.classes)
	b = appendKey(b, "docs", false)
	b = appendFloats(b, m.docs)
	b = appendKey(b, "tokens", false)
	b = appendFloats(b, m.tokens)
	b = appendKey(b, "total", false)
	b = appendFloat(b, m.total)
	b = appendKey(b, "ndocs", false)
	b = strconv.AppendInt(b, m.ndocs, 10)
	return b
}

// liveOrder returns the ids of the terms in the vocabulary (dn not 0) in
// term order: the terms of the file.
func (m *Model) liveOrder() []int32 {
	all := m.termOrder()
	for _, t := range all {
		if m.dn[t] == 0 {
			order := make([]int32, 0, len(all))
			for _, t := range all {
				if m.dn[t] != 0 {
					order = append(order, t)
				}
			}
			return order
		}
	}
	return all
}

// appendJSONString appends s as encoding/json writes it: the common plain
// ASCII string directly, anything else through json.Marshal.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return appendJSON(b, s)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendKey(b []byte, k string, first bool) []byte {
	if !first {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, k...)
	return append(b, '"', ':')
}

func appendJSON(b []byte, v any) []byte {
	j, err := json.Marshal(v)
	if err != nil {
		// Only plain strings, slices and structs of them reach here.
		panic(fmt.Sprintf("classify: encode %T: %v", v, err))
	}
	return append(b, j...)
}

func appendFloats(b []byte, fs []float64) []byte {
	b = append(b, '[')
	for i, f := range fs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendFloat(b, f)
	}
	return append(b, ']')
}

// appendFloat writes f in the shortest form that reads back exactly.
// Negative zero is written as 0 so that equal models encode equally.
func appendFloat(b []byte, f float64) []byte {
	if f == 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, '0')
	}
	return strconv.AppendFloat(b, f, 'g', -1, 64)
}

func formatFloat(f float64) string { return string(appendFloat(nil, f)) }

// zstdMagic starts a zstd frame.
const zstdMagic = "\x28\xb5\x2f\xfd"

// maxModelSize bounds the decompressed size of a model file.
const maxModelSize = 1 << 30

// DecodeModel reads a model written by [Model.Encode] or
// [Model.EncodeBinary], plain, gzipped or zstd-compressed: the encoding
// and the compression are told by the content. It checks the format, the
// version and the integrity (the JSON's content hash, the binary file's
// checksum); its errors say what is wrong and match [ErrNotModel],
// [ErrCorruptModel] or [ErrModelVersion] with errors.Is.
func DecodeModel(r io.Reader) (*Model, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	magic, _ := br.Peek(4)
	switch {
	case len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b:
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("read model: gzip: %w: %w", ErrCorruptModel, err)
		}
		defer zr.Close()
		r = zr
	case len(magic) == 4 && string(magic) == zstdMagic:
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(maxModelSize+1))
		if err != nil {
			return nil, fmt.Errorf("read model: zstd: %w: %w", ErrCorruptModel, err)
		}
		defer zr.Close()
		r = zr
	default:
		r = br
	}
	data, err := io.ReadAll(io.LimitReader(r, maxModelSize+1))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("read model: %w: truncated compressed stream", ErrCorruptModel)
		}
		if r != br {
			// A damaged gzip header, checksum or deflate stream, a
			// damaged zstd frame.
			return nil, fmt.Errorf("read model: %w: %w", ErrCorruptModel, err)
		}
		return nil, fmt.Errorf("read model: %w", err)
	}
	if len(data) > maxModelSize {
		return nil, fmt.Errorf("read model: larger than %d bytes: %w", maxModelSize, ErrNotModel)
	}
	if IsBinaryModel(data) {
		return decodeBinary(data)
	}
	trim := bytes.TrimSpace(data)
	if len(trim) == 0 {
		return nil, fmt.Errorf("read model: empty input: %w", ErrNotModel)
	}
	var head struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(trim, &head); err != nil {
		if bytes.HasPrefix(trim, []byte(`{"format":"`+ModelFormat+`"`)) {
			return nil, fmt.Errorf("read model: %w: truncated or damaged JSON (%v)", ErrCorruptModel, err)
		}
		return nil, fmt.Errorf("read model: %w (%v)", ErrNotModel, err)
	}
	if head.Format != ModelFormat {
		return nil, fmt.Errorf("read model: %w (format %q)", ErrNotModel, head.Format)
	}
	if head.Version > ModelVersion {
		return nil, fmt.Errorf("read model: %w: model version %d is newer than this stance (%d)", ErrModelVersion, head.Version, ModelVersion)
	}
	if head.Version < oldestModelVersion {
		return nil, fmt.Errorf("read model: %w: model version %d (this stance reads %d to %d)", ErrModelVersion, head.Version, oldestModelVersion, ModelVersion)
	}
	var f fileModel
	if err := json.Unmarshal(trim, &f); err != nil {
		return nil, fmt.Errorf("read model: %w: %v", ErrCorruptModel, err)
	}
	m, err := f.model(head.Version)
	if err != nil {
		return nil, fmt.Errorf("read model: %w: %v", ErrCorruptModel, err)
	}
	if h := m.Hash(); h != f.Hash {
		return nil, fmt.Errorf("read model: hash mismatch: file is corrupt (%w)", ErrCorruptModel)
	}
	return m, nil
}

// model checks the file's consistency and builds the model.
func (f *fileModel) model(version int) (*Model, error) {
	m, err := f.meta(version)
	if err != nil {
		return nil, err
	}
	nc, nt := len(f.Classes), len(f.Terms)
	if len(f.DN) != nt || len(f.DF) != nt {
		return nil, fmt.Errorf("%d terms but %d term_docs and %d term_weight entries", nt, len(f.DN), len(f.DF))
	}
	if len(f.Counts) != nc {
		return nil, fmt.Errorf("%d classes but %d count rows", nc, len(f.Counts))
	}
	for c, row := range f.Counts {
		if len(row) != nt {
			return nil, fmt.Errorf("counts of class %q: %d entries, want %d", f.Classes[c], len(row), nt)
		}
	}
	counts := termMajor(f.Counts, nt)
	if err := m.setTerms(f.Terms, f.DN, f.DF, counts); err != nil {
		return nil, err
	}
	if f.Weights != nil || f.Bias != nil {
		if version < 3 {
			return nil, fmt.Errorf("fitted weights in a version %d file", version)
		}
		if len(f.Bias) != nc || len(f.Weights) != nc {
			return nil, fmt.Errorf("%d classes but %d weight_bias entries and %d weight rows", nc, len(f.Bias), len(f.Weights))
		}
		for c, row := range f.Weights {
			if len(row) != nt {
				return nil, fmt.Errorf("weights of class %q: %d entries, want %d", f.Classes[c], len(row), nt)
			}
		}
		if err := m.setRefined(termMajor(f.Weights, nt), f.Bias); err != nil {
			return nil, err
		}
	}
	if err := setWeightTF(m, version, f.WeightTF, true); err != nil {
		return nil, err
	}
	return m, nil
}

// termMajor turns rows of nt values per class into a term-major table.
func termMajor(rows [][]float64, nt int) []float64 {
	nc := len(rows)
	table := make([]float64, nt*nc)
	for c, row := range rows {
		for t, v := range row {
			table[t*nc+c] = v
		}
	}
	return table
}

// meta builds a model with no terms from the file's metadata: everything
// but the per-term arrays, which it ignores.
func (f *fileModel) meta(version int) (*Model, error) {
	nc := len(f.Classes)
	if len(f.Docs) != nc || len(f.Tokens) != nc {
		return nil, fmt.Errorf("%d classes but %d docs and %d tokens entries", nc, len(f.Docs), len(f.Tokens))
	}
	m := NewModel(f.Name, f.Taxonomy, nil, f.Options)
	m.Options = f.Options // keep exactly what was stored
	m.classes = nil
	clear(m.classIdx)
	clear(m.Training.Docs)
	clear(m.Training.Tokens)
	for _, c := range f.Classes {
		if _, dup := m.classIdx[c]; dup {
			return nil, fmt.Errorf("class %q listed twice", c)
		}
		m.classIdx[c] = len(m.classes)
		m.classes = append(m.classes, c)
	}
	m.docs = f.Docs
	m.tokens = f.Tokens
	m.total = f.Total
	m.ndocs = f.NDocs
	m.Training.Source = f.Source
	if version == 1 {
		m.Training.Source = f.Training.Source
		m.legacy = true
	}
	m.Training.DataHash = f.Training.DataHash
	m.Training.Documents = f.NDocs
	for c, name := range m.classes {
		m.Training.Docs[name] = m.docs[c]
		m.Training.Tokens[name] = m.tokens[c]
	}
	if f.Heldout != nil && version >= 2 {
		if err := f.Heldout.check(nc); err != nil {
			return nil, fmt.Errorf("heldout: %v", err)
		}
		m.heldout = f.Heldout
	}
	return m, nil
}

// setTerms gives m, which has no terms, the vocabulary terms with their
// plain and weighted document counts and their counts (term-major, one
// per class), and indexes them. Every term must have a positive document
// count and be listed once. Terms in strictly increasing order (as every
// file lists them) are their own term order, which is then not sorted
// again.
func (m *Model) setTerms(terms []string, dn []int64, df, counts []float64) error {
	sorted := true
	for t := 1; t < len(terms) && sorted; t++ {
		sorted = terms[t-1] < terms[t]
	}
	var seen map[string]bool
	if !sorted {
		seen = make(map[string]bool, len(terms))
	}
	for t, term := range terms {
		if dn[t] <= 0 {
			return fmt.Errorf("term %q: %d documents", term, dn[t])
		}
		if !sorted {
			if seen[term] {
				return fmt.Errorf("term %q listed twice", term)
			}
			seen[term] = true
		}
	}
	m.terms, m.dn, m.df, m.counts = terms, dn, df, counts
	m.reindex()
	if sorted {
		ord := make([]int32, len(terms))
		for i := range ord {
			ord[i] = int32(i)
		}
		m.sorted = ord
	}
	return nil
}
