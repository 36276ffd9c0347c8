package classify

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

func encodedBinary(t testing.TB, m *Model) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := m.EncodeBinary(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// zstdBytes returns data zstd-compressed.
func zstdBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	var z bytes.Buffer
	zw, err := zstd.NewWriter(&z)
	if err != nil {
		t.Fatal(err)
	}
	zw.Write(data)
	zw.Close()
	return z.Bytes()
}

// TestEncodeBinaryRoundTrip checks that a binary file holds the same model
// as the JSON: same hash and ID, the same JSON once decoded, the same
// predictions, for every option set, plain and compressed.
func TestEncodeBinaryRoundTrip(t *testing.T) {
	for name, opt := range optionSets {
		t.Run(name, func(t *testing.T) {
			opt.Abstain = 0.3
			m := seedModel(t, opt, nil, func(i int) float64 { return 1 + float64(i%3)/7 })
			m.Taxonomy = testTaxonomy()
			m.Training.Source = "seed.txt: 46 documents <&>"
			m.Training.DataHash = "abc123"
			js := encoded(t, m)
			bin := encodedBinary(t, m)
			if !IsBinaryModel(bin) || IsBinaryModel(js) {
				t.Fatal("IsBinaryModel does not tell the encodings apart")
			}
			if len(bin) >= len(js)*3/4 {
				t.Errorf("binary file %d bytes, JSON %d", len(bin), len(js))
			}
			if again := encodedBinary(t, m); !bytes.Equal(bin, again) {
				t.Fatal("binary encoding is not deterministic")
			}
			var gz bytes.Buffer
			zw := gzip.NewWriter(&gz)
			zw.Write(bin)
			zw.Close()
			for enc, data := range map[string][]byte{"plain": bin, "gzip": gz.Bytes(), "zstd": zstdBytes(t, bin)} {
				d, err := DecodeModel(bytes.NewReader(data))
				if err != nil {
					t.Fatalf("%s: %v", enc, err)
				}
				if d.Hash() != m.Hash() || d.ID() != m.ID() {
					t.Errorf("%s: decoded %s, want %s", enc, d.ID(), m.ID())
				}
				// The stored hash is the content's.
				d.hash.Store(nil)
				if d.Hash() != m.Hash() {
					t.Errorf("%s: recomputed hash %s, want %s", enc, d.Hash(), m.Hash())
				}
				if re := encoded(t, d); !bytes.Equal(re, js) {
					t.Errorf("%s: the decoded model's JSON differs from the original's", enc)
				}
				if re := encodedBinary(t, d); !bytes.Equal(re, bin) {
					t.Errorf("%s: re-encoding gives other bytes", enc)
				}
				if d.Training.Source != m.Training.Source || d.Training.Documents != m.Training.Documents ||
					d.Taxonomy.Arguments[0].Description != m.Taxonomy.Arguments[0].Description {
					t.Errorf("%s: decoded summary %+v", enc, d.Training)
				}
				for _, body := range seedBodies(t) {
					pa, pb := m.Predict(body), d.Predict(body)
					if pa.Label != pb.Label || pa.P != pb.P || pa.Margin != pb.Margin || len(pa.Cues) != len(pb.Cues) {
						t.Fatalf("%s: prediction differs after decoding: %+v vs %+v", enc, pa, pb)
					}
				}
			}
			// The JSON decodes to the same model, which writes the same
			// binary file.
			dj, err := DecodeModel(bytes.NewReader(js))
			if err != nil {
				t.Fatal(err)
			}
			if re := encodedBinary(t, dj); !bytes.Equal(re, bin) {
				t.Error("binary file of the JSON-decoded model differs")
			}
			// Learning after decoding works and changes the hash.
			d, _ := DecodeModel(bytes.NewReader(bin))
			d.Learn("brand new words here", []string{"a"}, 1)
			if d.Hash() == m.Hash() || d.Predict("brand new words").Label != "a" {
				t.Error("decoded model does not learn")
			}
		})
	}
}

// TestEncodeBinarySynthetic round-trips a small synthetic model with
// float counts, many classes and a held-out summary, and a model with
// integer counts, and checks the canonical hash against the canonical
// body's.
func TestEncodeBinarySynthetic(t *testing.T) {
	m := synthModel(t, 3000, 12, 7)
	sum := sha256.Sum256(m.canonicalBody(ModelVersion))
	if h := hex.EncodeToString(sum[:]); m.Hash() != h {
		t.Fatalf("streamed hash %s, canonical body's %s", m.Hash(), h)
	}
	js, bin := encoded(t, m), encodedBinary(t, m)
	d, err := DecodeModel(bytes.NewReader(bin))
	if err != nil {
		t.Fatal(err)
	}
	if d.Hash() != m.Hash() || !bytes.Equal(encoded(t, d), js) || d.Heldout() == nil || d.Vocabulary() != 3000 {
		t.Fatalf("decoded %s (vocabulary %d), want %s", d.ID(), d.Vocabulary(), m.ID())
	}
	// Integer counts are stored as varints.
	hm := handModel(Options{})
	hb := encodedBinary(t, hm)
	dh, err := DecodeModel(bytes.NewReader(hb))
	if err != nil || dh.Hash() != hm.Hash() || !bytes.Equal(encoded(t, dh), encoded(t, hm)) {
		t.Fatalf("hand model: %v", err)
	}
	if len(hb) > 600 {
		t.Errorf("hand model: %d bytes", len(hb))
	}
	// A model with an unlearned term (dn 0) leaves it out, as JSON does.
	u := handModel(Options{})
	u.Learn("gone", []string{"A"}, 1)
	u.Unlearn("gone", []string{"A"}, 1)
	du, err := DecodeModel(bytes.NewReader(encodedBinary(t, u)))
	if err != nil || du.Hash() != u.Hash() || len(du.terms) != 3 {
		t.Fatalf("unlearned term: %v, %d terms", err, len(du.terms))
	}
}

// TestEncodeBinaryLegacy: a version 1 model is written in binary as
// version 2, under its version 2 hash, as Encode does.
func TestEncodeBinaryLegacy(t *testing.T) {
	m := handModel(Options{})
	m.legacy = true
	m.hash.Store(nil)
	v1 := m.Hash()
	var js bytes.Buffer
	m.Encode(&js)
	dj, err := DecodeModel(&js)
	if err != nil {
		t.Fatal(err)
	}
	d, err := DecodeModel(bytes.NewReader(encodedBinary(t, m)))
	if err != nil {
		t.Fatal(err)
	}
	if d.Hash() == v1 || d.Hash() != dj.Hash() || m.Hash() != v1 {
		t.Errorf("binary of a version 1 model: %s, JSON %s, version 1 %s", d.Hash(), dj.Hash(), v1)
	}
}

// rewrap returns a binary file with the given body, its header's length
// and checksum right: damage past the checksum.
func rewrap(body []byte) []byte {
	out := make([]byte, binaryHeader, binaryHeader+len(body))
	copy(out, binaryMagic)
	binary.LittleEndian.PutUint16(out[8:], binaryLayout)
	binary.LittleEndian.PutUint32(out[12:], crc32.Checksum(body, castagnoli))
	binary.LittleEndian.PutUint64(out[16:], uint64(len(body)))
	return append(out, body...)
}

// metaEnd returns the offset in body just past the metadata.
func metaEnd(t *testing.T, body []byte) int {
	n, k := binary.Uvarint(body)
	if k <= 0 {
		t.Fatal("no metadata length")
	}
	return k + int(n)
}

// withMeta returns body with its metadata replaced by meta.
func withMeta(t *testing.T, body []byte, meta string) []byte {
	end := metaEnd(t, body)
	out := binary.AppendUvarint(nil, uint64(len(meta)))
	out = append(out, meta...)
	return append(out, body[end:]...)
}

func TestDecodeBinaryErrors(t *testing.T) {
	m := seedModel(t, Options{}, nil, nil)
	good := encodedBinary(t, m)
	body := good[binaryHeader:]
	n, k := binary.Uvarint(body)
	meta := string(body[k : k+int(n)])
	if !strings.HasPrefix(meta, `{"version":2,"hash":"`) {
		t.Fatalf("metadata %.40s", meta)
	}
	afterMeta := body[metaEnd(t, body):]
	header := func(f func(h []byte)) []byte {
		b := bytes.Clone(good)
		f(b)
		return b
	}
	hugeTerms := withMeta(t, body, meta)[:metaEnd(t, body)]
	hugeTerms = binary.AppendUvarint(hugeTerms, 1<<40)
	hugeLen := withMeta(t, body, meta)[:metaEnd(t, body)]
	hugeLen = binary.AppendUvarint(hugeLen, 2)
	hugeLen = binary.AppendUvarint(hugeLen, 1<<40)
	tests := []struct {
		name string
		data []byte
		is   error
		msg  string
	}{
		{"magic only", []byte(binaryMagic), ErrCorruptModel, "truncated binary header"},
		{"truncated", good[:len(good)-100], ErrCorruptModel, "truncated: the body has"},
		{"trailing", append(bytes.Clone(good), 0), ErrCorruptModel, "1 bytes after the"},
		{"flipped bit", header(func(b []byte) { b[len(b)/2] ^= 4 }), ErrCorruptModel, "checksum mismatch"},
		{"newer layout", header(func(b []byte) { b[8] = 9 }), ErrModelVersion, "binary model layout 9 is newer than this stance (1)"},
		{"layout 0", header(func(b []byte) { b[8] = 0 }), ErrModelVersion, "layout 0"},
		{"flags", header(func(b []byte) { b[10] = 2 }), ErrModelVersion, "flags 0x2"},
		{"weights flag on version 2", header(func(b []byte) { b[10] = 1 }), ErrCorruptModel, "fitted weights in a version 2 file"},
		{"newer model", rewrap(withMeta(t, body, strings.Replace(meta, `"version":2`, `"version":5`, 1))), ErrModelVersion, "model version 5 is newer than this stance (4)"},
		{"version 1", rewrap(withMeta(t, body, strings.Replace(meta, `"version":2`, `"version":1`, 1))), ErrModelVersion, "binary file of model version 1"},
		{"bad meta", rewrap(withMeta(t, body, "{")), ErrCorruptModel, "metadata"},
		{"short hash", rewrap(withMeta(t, body, strings.Replace(meta, `"hash":"`, `"hash":"x`, 1))), ErrCorruptModel, "is not a SHA-256"},
		{"json fields", rewrap(withMeta(t, body, strings.Replace(meta, `{`, `{"terms":["a"],`, 1))), ErrCorruptModel, "holds fields of the JSON file"},
		{"huge meta", rewrap(binary.AppendUvarint(nil, 1<<62)), ErrCorruptModel, "metadata at byte 24: value"},
		{"huge term count", rewrap(hugeTerms), ErrCorruptModel, "terms at byte"},
		{"huge term length", rewrap(hugeLen), ErrCorruptModel, "terms at byte"},
		{"cut body", rewrap(body[:len(body)-3]), ErrCorruptModel, "truncated"},
		{"extra body", rewrap(append(bytes.Clone(body), 7)), ErrCorruptModel, "1 bytes after the counts"},
		{"no terms", rewrap(append(withMeta(t, body, meta)[:metaEnd(t, body)], afterMeta[:1]...)), ErrCorruptModel, "truncated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeModel(bytes.NewReader(tt.data))
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, tt.is) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q, want %v containing %q", err, tt.is, tt.msg)
			}
		})
	}
}

// TestDecodeBinaryCells: a small file cannot ask for a huge count table
// (its counts are sparse, the table is not): 100k terms of 300 classes in
// 106 kB are refused before anything of their size is allocated.
func TestDecodeBinaryCells(t *testing.T) {
	classes := make([]string, 300)
	for i := range classes {
		classes[i] = fmt.Sprintf("c%d", i)
	}
	m := NewModel("wide", nil, classes, Options{})
	m.Learn("x", []string{"c1"}, 1)
	body := encodedBinary(t, m)[binaryHeader:]
	huge := binary.AppendUvarint(bytes.Clone(body[:metaEnd(t, body)]), 100_000)
	huge = append(huge, make([]byte, 100_000)...)
	_, err := DecodeModel(bytes.NewReader(rewrap(huge)))
	if err == nil || !errors.Is(err, ErrCorruptModel) || !strings.Contains(err.Error(), "100000 terms × 300 classes: more counts than a file of") {
		t.Errorf("error %v", err)
	}
}

// TestDecodeBinaryColumns damages each column of a small file (checksum
// kept right) and checks the error names it.
func TestDecodeBinaryColumns(t *testing.T) {
	m := NewModel("cols", nil, []string{"A", "B", "C"}, Options{})
	m.Learn("apple banana", []string{"A"}, 1)
	m.Learn("banana cherry", []string{"C"}, 1)
	body := encodedBinary(t, m)[binaryHeader:]
	p := metaEnd(t, body)
	// terms: 3, lengths 5 6 6, "applebananacherry", dn 1 2 1, df kind 0
	// 1 2 1, nonzero 1 2 1, gaps 0 | 0 1 | 2, counts kind 0 1 1 1 1.
	want := []byte{3, 5, 6, 6}
	want = append(want, "applebananacherry"...)
	want = append(want, 1, 2, 1, kindUvarint, 1, 2, 1, 1, 2, 1, 0, 0, 1, 2, kindUvarint, 1, 1, 1, 1)
	if !bytes.Equal(body[p:], want) {
		t.Fatalf("columns %v, want %v", body[p:], want)
	}
	damage := func(off int, b byte) []byte {
		d := bytes.Clone(body)
		d[p+off] = b
		return rewrap(d)
	}
	for _, tt := range []struct {
		name string
		data []byte
		msg  string
	}{
		{"unsorted", damage(4, 'z'), `term 1 ("banana") is not after term 0 ("zpple")`},
		{"out of order", damage(9, 'a'), `term 1 ("aanana") is not after term 0 ("apple")`},
		{"bad utf-8", damage(4, 0xff), "is not valid UTF-8"},
		{"zero docs", damage(21, 0), `term "apple": 0 documents`},
		{"value kind", damage(24, 7), "unknown value column kind 7"},
		{"too many nonzero", damage(28, 4), "nonzero counts at byte"},
		{"class out of range", damage(34, 3), "class index 3, of 3 classes"},
		{"zero count", damage(36, 0), "a zero among the nonzero counts"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeModel(bytes.NewReader(tt.data))
			if err == nil || !errors.Is(err, ErrCorruptModel) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %v, want one containing %q", err, tt.msg)
			}
		})
	}
}
