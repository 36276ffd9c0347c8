package classify

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"unicode/utf8"
)

// The binary model file (see "Model files" in the package documentation):
//
//	header (24 bytes):
//	  magic        8 bytes  binaryMagic
//	  layout       uint16   binaryLayout
//	  flags        uint16   1 (flagWeights) with fitted weights, else 0
//	  crc          uint32   CRC-32C (Castagnoli) of the body
//	  body length  uint64
//	body:
//	  meta         uvarint length, then JSON (see appendBinaryMeta)
//	  nt           uvarint number of terms
//	  term lengths nt uvarints
//	  term bytes   the terms, concatenated, in strictly increasing order
//	  term_docs    nt uvarints, each > 0
//	  term_weight  a value column of nt values
//	  nonzero      nt uvarints: the number of classes where the term's
//	               count is not zero
//	  class gaps   one uvarint per nonzero count, term by term: its class
//	               index minus the previous one's minus 1 (the first: its
//	               class index)
//	  counts       a value column of the nonzero counts, in the same order
//	with flagWeights (a refined model, version 3 or 4), then:
//	  weight_bias  a value column of one bias per class
//	  nonzero, class gaps, weights: the fitted weights, as the counts
//
// A value column is a kind byte and its values: kind 0, non-negative
// integers below 2^53 as uvarints; kind 1, float64 bit patterns. All
// integers are little-endian.
const (
	binaryMagic  = "\x89STM\r\n\x1a\n"
	binaryLayout = 1
	binaryHeader = 24
	// flagWeights marks a file with the fitted weights of a refined
	// model after the counts (model version 3 or 4: see ModelVersion).
	flagWeights = 1
)

// oldestBinaryModelVersion is the oldest model version a binary file
// holds: binary files are written as version 2 or later.
const oldestBinaryModelVersion = 2

// maxModelCells bounds the number of count cells (terms × classes) of a
// binary model file, which the file cannot bound itself since it stores
// only the nonzero counts: 2^28 cells are 2 GiB of counts.
const maxModelCells = 1 << 28

// maxCells bounds the number of count cells (terms × classes) of a
// binary body of size bytes: the sparse counts let a small file describe
// a large model, but not without bound. 256 cells (2 KiB of counts) per
// byte is far more than a real model needs (a 960k-term, 20-class model
// has 0.7 per byte), and a damaged or hostile file cannot make the reader
// allocate more than that, nor more than maxModelCells in all.
func maxCells(size int) int {
	return min(maxModelCells, max(1<<16, 256*size))
}

// Value column kinds.
const (
	kindUvarint = 0
	kindFloat64 = 1
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// IsBinaryModel reports whether data starts like a binary model file
// (the magic bytes of [Model.EncodeBinary]).
func IsBinaryModel(data []byte) bool {
	return len(data) >= len(binaryMagic) && string(data[:len(binaryMagic)]) == binaryMagic
}

// EncodeBinary writes the model in the binary model file format: the
// content of [Model.Encode] (model version [ModelVersion], the same
// content hash) with the per-term arrays as compact columns, which
// [DecodeModel] reads an order of magnitude faster than the JSON. The
// encoding is deterministic. See "Model files" in the package
// documentation for the layout.
func (m *Model) EncodeBinary(w io.Writer) error {
	order := m.liveOrder()
	// The hash (a pass over the canonical JSON) is computed while the
	// columns are gathered.
	hc := make(chan string, 1)
	go func() {
		if m.legacy {
			hc <- m.canonicalHash(m.fileVersion()) // written as version 2, like Encode
		} else {
			hc <- m.Hash()
		}
	}()
	nc := len(m.classes)
	// One pass over the terms gathers the columns: the terms are stored
	// in the order they were first seen, which jumps through memory.
	nt := len(order)
	var lens, blob, dn []byte
	lens = make([]byte, 0, nt+nt/4)
	blob = make([]byte, 0, 16*nt)
	dn = make([]byte, 0, 2*nt)
	df := make([]float64, nt)
	counts := newSparseColumns(nt)
	for i, t := range order {
		term := m.terms[t]
		lens = binary.AppendUvarint(lens, uint64(len(term)))
		blob = append(blob, term...)
		dn = binary.AppendUvarint(dn, uint64(m.dn[t]))
		df[i] = m.df[t]
		counts.add(m.counts[int(t)*nc : int(t)*nc+nc])
	}
	var weights *sparseColumns
	var flags uint16
	if r := m.refined; r != nil {
		flags |= flagWeights
		weights = newSparseColumns(nt)
		for _, t := range order {
			weights.add(r.w[int(t)*nc : int(t)*nc+nc])
		}
	}
	meta := m.appendBinaryMeta(nil, <-hc)
	body := make([]byte, 0, 32+len(meta)+len(lens)+len(blob)+len(dn)+9*nt+counts.size()+weights.size())
	body = binary.AppendUvarint(body, uint64(len(meta)))
	body = append(body, meta...)
	body = binary.AppendUvarint(body, uint64(nt))
	body = append(body, lens...)
	body = append(body, blob...)
	body = append(body, dn...)
	body = appendValues(body, df)
	body = counts.append(body)
	if weights != nil {
		body = appendValues(body, m.refined.bias)
		body = weights.append(body)
	}

	var head [binaryHeader]byte
	copy(head[:], binaryMagic)
	binary.LittleEndian.PutUint16(head[8:], binaryLayout)
	binary.LittleEndian.PutUint16(head[10:], flags)
	binary.LittleEndian.PutUint32(head[12:], crc32.Checksum(body, castagnoli))
	binary.LittleEndian.PutUint64(head[16:], uint64(len(body)))
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.Write(head[:])
	bw.Write(body)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	return nil
}

// appendBinaryMeta appends the metadata of a binary file: the JSON
// {"version":V,"hash":"<sha256>","source":"..."} followed by the fields
// of the canonical encoding from "name" to "ndocs".
func (m *Model) appendBinaryMeta(b []byte, hash string) []byte {
	version := m.fileVersion()
	b = fmt.Appendf(b, "{\"version\":%d,\"hash\":%q,\"source\":", version, hash)
	b = appendJSONString(b, m.Training.Source)
	b = append(b, ',')
	head := m.appendCanonicalHead(nil, version)
	b = append(b, head[1:]...)
	return append(b, '}')
}

// sparseColumns are the columns of a term-major table of nc values per
// term as a binary file stores them: per term, the number of nonzero
// values; per nonzero value, its class gap; then the nonzero values.
type sparseColumns struct {
	nnz, gaps []byte
	vals      []float64
}

func newSparseColumns(nt int) *sparseColumns {
	return &sparseColumns{nnz: make([]byte, 0, nt), gaps: make([]byte, 0, 2*nt), vals: make([]float64, 0, 2*nt)}
}

// add adds the next term's row.
func (s *sparseColumns) add(row []float64) {
	n, prev := 0, -1
	for c, v := range row {
		if v != 0 {
			s.gaps = binary.AppendUvarint(s.gaps, uint64(c-prev-1))
			prev = c
			s.vals = append(s.vals, v)
			n++
		}
	}
	s.nnz = binary.AppendUvarint(s.nnz, uint64(n))
}

// size bounds the bytes append adds (0 for nil).
func (s *sparseColumns) size() int {
	if s == nil {
		return 0
	}
	return len(s.nnz) + len(s.gaps) + 1 + 9*len(s.vals)
}

// append appends the three columns.
func (s *sparseColumns) append(b []byte) []byte {
	b = append(b, s.nnz...)
	b = append(b, s.gaps...)
	return appendValues(b, s.vals)
}

// maxExactInt is the largest integer below which every float64 integer
// is exact (2^53).
const maxExactInt = 1 << 53

// appendValues appends a value column of vs: uvarints when they are all
// non-negative integers below 2^53 (and not -0), float64 bits otherwise.
func appendValues(b []byte, vs []float64) []byte {
	ints := true
	for _, v := range vs {
		if !(v >= 0 && v < maxExactInt && v == math.Trunc(v)) || math.Signbit(v) {
			ints = false
			break
		}
	}
	if ints {
		b = append(b, kindUvarint)
		for _, v := range vs {
			b = binary.AppendUvarint(b, uint64(v))
		}
		return b
	}
	b = append(b, kindFloat64)
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	return b
}

// errTruncated says that a column runs past the end of the body.
var errTruncated = errors.New("truncated")

// binReader reads the body of a binary model file; the first error sticks.
type binReader struct {
	b   []byte
	off int
	err error
	// what names the part being read, for errors.
	what string
}

func (r *binReader) fail(err error) {
	if r.err == nil {
		r.err = fmt.Errorf("%s at byte %d: %w", r.what, binaryHeader+r.off, err)
	}
}

func (r *binReader) remaining() int { return len(r.b) - r.off }

// uvarint reads a uvarint no larger than limit.
func (r *binReader) uvarint(limit uint64) uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b[r.off:])
	switch {
	case n == 0:
		r.fail(errTruncated)
		return 0
	case n < 0:
		r.fail(errors.New("varint overflows 64 bits"))
		return 0
	case v > limit:
		r.fail(fmt.Errorf("value %d is above %d", v, limit))
		return 0
	}
	r.off += n
	return v
}

// count reads a number of items each taking at least one byte of what
// follows, so no larger than what remains.
func (r *binReader) count() int {
	return int(r.uvarint(uint64(r.remaining())))
}

func (r *binReader) bytes(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n > r.remaining() {
		r.fail(errTruncated)
		return nil
	}
	b := r.b[r.off : r.off+n]
	r.off += n
	return b
}

// values reads a value column of n values.
func (r *binReader) values(n int) []float64 {
	kind := r.bytes(1)
	if r.err != nil {
		return nil
	}
	switch kind[0] {
	case kindUvarint:
		if n > r.remaining() {
			r.fail(errTruncated)
			return nil
		}
		out := make([]float64, n)
		for i := range out {
			out[i] = float64(r.uvarint(maxExactInt - 1))
		}
		return out
	case kindFloat64:
		if n > r.remaining()/8 {
			r.fail(errTruncated)
			return nil
		}
		raw := r.bytes(8 * n)
		out := make([]float64, n)
		for i := range out {
			out[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
		}
		return out
	default:
		r.fail(fmt.Errorf("unknown value column kind %d", kind[0]))
		return nil
	}
}

// sparse reads the columns of a term-major table of nc values for each
// of the terms (see sparseColumns); what names the table in errors.
func (r *binReader) sparse(terms []string, nc int, what string) ([]float64, error) {
	nt := len(terms)
	r.what = "nonzero " + what
	if r.err == nil && nt > r.remaining() {
		r.fail(errTruncated)
	}
	if r.err != nil {
		return nil, r.err
	}
	rowN := make([]int32, nt)
	all := 0
	for i := range rowN {
		rowN[i] = int32(r.uvarint(uint64(nc)))
		all += int(rowN[i])
	}
	r.what = what + " classes"
	if r.err == nil && all > r.remaining() {
		r.fail(errTruncated)
	}
	if r.err != nil {
		return nil, r.err
	}
	cls := make([]int32, all)
	k := 0
	for t, n := range rowN {
		c := -1
		for range n {
			c += 1 + int(r.uvarint(uint64(nc)))
			if r.err == nil && c >= nc {
				return nil, fmt.Errorf("term %q: %s of class index %d, of %d classes", terms[t], what, c, nc)
			}
			cls[k] = int32(c)
			k++
		}
	}
	r.what = what
	vals := r.values(all)
	if r.err != nil {
		return nil, r.err
	}
	table := make([]float64, nt*nc)
	k = 0
	for t, n := range rowN {
		row := table[t*nc : t*nc+nc]
		for range n {
			if vals[k] == 0 {
				return nil, fmt.Errorf("term %q: a zero among the nonzero %s", terms[t], what)
			}
			row[cls[k]] = vals[k]
			k++
		}
	}
	return table, nil
}

// decodeBinary reads a binary model file (data starts with binaryMagic).
func decodeBinary(data []byte) (*Model, error) {
	if len(data) < binaryHeader {
		return nil, fmt.Errorf("read model: %w: truncated binary header (%d bytes)", ErrCorruptModel, len(data))
	}
	layout := binary.LittleEndian.Uint16(data[8:])
	if layout > binaryLayout {
		return nil, fmt.Errorf("read model: %w: binary model layout %d is newer than this stance (%d)", ErrModelVersion, layout, binaryLayout)
	}
	if layout < 1 {
		return nil, fmt.Errorf("read model: %w: binary model layout %d (this stance reads 1 to %d)", ErrModelVersion, layout, binaryLayout)
	}
	flags := binary.LittleEndian.Uint16(data[10:])
	if flags&^flagWeights != 0 {
		return nil, fmt.Errorf("read model: %w: binary model flags %#x unknown to this stance", ErrModelVersion, flags)
	}
	sum := binary.LittleEndian.Uint32(data[12:])
	size := binary.LittleEndian.Uint64(data[16:])
	body := data[binaryHeader:]
	if size != uint64(len(body)) {
		if size > uint64(len(body)) {
			return nil, fmt.Errorf("read model: %w: truncated: the body has %d of %d bytes", ErrCorruptModel, len(body), size)
		}
		return nil, fmt.Errorf("read model: %w: %d bytes after the %d-byte body", ErrCorruptModel, uint64(len(body))-size, size)
	}
	if crc32.Checksum(body, castagnoli) != sum {
		return nil, fmt.Errorf("read model: %w: checksum mismatch", ErrCorruptModel)
	}
	m, err := decodeBinaryBody(body, flags)
	if err != nil {
		if errors.Is(err, ErrModelVersion) {
			return nil, fmt.Errorf("read model: %w", err)
		}
		return nil, fmt.Errorf("read model: %w: %v", ErrCorruptModel, err)
	}
	return m, nil
}

// decodeBinaryBody builds the model from the body of a binary file whose
// checksum matched.
func decodeBinaryBody(body []byte, flags uint16) (*Model, error) {
	r := &binReader{b: body, what: "metadata"}
	meta := r.bytes(r.count())
	if r.err != nil {
		return nil, r.err
	}
	var f fileModel
	if err := json.Unmarshal(meta, &f); err != nil {
		return nil, fmt.Errorf("metadata: %v", err)
	}
	if f.Version > ModelVersion {
		return nil, fmt.Errorf("%w: model version %d is newer than this stance (%d)", ErrModelVersion, f.Version, ModelVersion)
	}
	if f.Version < oldestBinaryModelVersion {
		return nil, fmt.Errorf("%w: binary file of model version %d (binary files hold %d to %d)", ErrModelVersion, f.Version, oldestBinaryModelVersion, ModelVersion)
	}
	if f.Terms != nil || f.DN != nil || f.DF != nil || f.Counts != nil || f.Format != "" {
		return nil, errors.New("metadata: holds fields of the JSON file")
	}
	if len(f.Hash) != 64 {
		return nil, fmt.Errorf("metadata: hash %q is not a SHA-256", f.Hash)
	}
	if _, err := hex.DecodeString(f.Hash); err != nil {
		return nil, fmt.Errorf("metadata: hash %q is not hexadecimal", f.Hash)
	}
	m, err := f.meta(f.Version)
	if err != nil {
		return nil, err
	}
	nc := len(m.classes)

	r.what = "terms"
	nt := r.count()
	if r.err == nil && nc > 0 && nt > maxCells(len(body))/nc {
		return nil, fmt.Errorf("%d terms × %d classes: more counts than a file of %d bytes may hold (%d)", nt, nc, len(body), maxCells(len(body)))
	}
	lens := make([]int, nt)
	total := 0
	for i := range lens {
		lens[i] = int(r.uvarint(uint64(r.remaining())))
		total += lens[i]
		if total > r.remaining() {
			r.fail(errTruncated)
		}
	}
	blob := string(r.bytes(total))
	if r.err != nil {
		return nil, r.err
	}
	terms := make([]string, nt)
	off := 0
	for i, n := range lens {
		t := blob[off : off+n]
		off += n
		if !utf8.ValidString(t) {
			return nil, fmt.Errorf("term %d (%q) is not valid UTF-8", i, t)
		}
		if i > 0 && terms[i-1] >= t {
			return nil, fmt.Errorf("term %d (%q) is not after term %d (%q)", i, t, i-1, terms[i-1])
		}
		terms[i] = t
	}
	lens = nil

	r.what = "term_docs"
	if nt > r.remaining() {
		r.fail(errTruncated)
		return nil, r.err
	}
	dn := make([]int64, nt)
	for i := range dn {
		dn[i] = int64(r.uvarint(math.MaxInt64))
		if r.err == nil && dn[i] == 0 {
			return nil, fmt.Errorf("term %q: 0 documents", terms[i])
		}
	}
	r.what = "term_weight"
	df := r.values(nt)

	counts, err := r.sparse(terms, nc, "counts")
	if err != nil {
		return nil, err
	}
	var weights, bias []float64
	if flags&flagWeights != 0 {
		if f.Version < 3 {
			return nil, fmt.Errorf("fitted weights in a version %d file", f.Version)
		}
		r.what = "weight_bias"
		bias = r.values(nc)
		if weights, err = r.sparse(terms, nc, "weights"); err != nil {
			return nil, err
		}
	}
	if r.remaining() != 0 {
		return nil, fmt.Errorf("%d bytes after the %s", r.remaining(), r.what)
	}
	if err := m.setTerms(terms, dn, df, counts); err != nil {
		return nil, err
	}
	if weights != nil {
		if err := m.setRefined(weights, bias); err != nil {
			return nil, err
		}
	}
	if err := setWeightTF(m, f.Version, f.WeightTF, false); err != nil {
		return nil, err
	}
	m.storeHash(f.Hash)
	return m, nil
}
