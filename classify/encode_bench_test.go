package classify

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"

	kgzip "github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// synthModel generates, without training, a model shaped like the one the
// model-file target is about: bigrams with the topic preset on ~11k long
// posts in nc classes (20 newsgroups). The vocabulary is nt terms, about
// one in eight a unigram (random words of 2 to 12 letters), the rest
// bigrams of them. A term's document count follows a Zipf law (most
// bigrams are seen once), its documents fall in one preferred class half
// of the time, and each adds a TF-IDF feature log(1+tf)/‖d‖ to its class:
// the counts are sums of arbitrary floats, most of them zero. The same
// seed gives the same model.
func synthModel(tb testing.TB, nt, nc int, seed uint64) *Model {
	tb.Helper()
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	const ndocs = 11314
	classes := make([]string, nc)
	for c := range classes {
		classes[c] = fmt.Sprintf("class.%02d", c)
	}
	opt := presets["topic"]
	opt.Bigrams = true
	m := NewModel("synth", nil, classes, opt)
	m.Training.Source = fmt.Sprintf("synthetic: %d terms, %d classes", nt, nc)
	m.Training.DataHash = fmt.Sprintf("%016x", seed)

	nu := max(nt/8, int(math.Sqrt(float64(nt)))+2, 2) // enough for the bigrams
	words := make([]string, 0, nu)
	seen := make(map[string]bool, nt)
	letters := "etaoinshrdlcumwfgypbvkjxqz"
	var sb strings.Builder
	for len(words) < nu {
		sb.Reset()
		n := 2 + r.IntN(11)
		for range n {
			// Skewed letter choice, like English.
			sb.WriteByte(letters[int(float64(len(letters))*r.Float64()*r.Float64())])
		}
		w := sb.String()
		if !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	terms := append([]string(nil), words...)
	zipf := rand.NewZipf(r, 1.1, 1, uint64(len(words)-1))
	for len(terms) < nt {
		t := words[zipf.Uint64()] + " " + words[zipf.Uint64()]
		if !seen[t] {
			seen[t] = true
			terms = append(terms, t)
		}
	}
	dnZipf := rand.NewZipf(r, 1.6, 1, ndocs-1)
	m.counts = make([]float64, nt*nc)
	m.df = make([]float64, nt)
	m.dn = make([]int64, nt)
	for t := range terms {
		dn := int64(dnZipf.Uint64()) + 1
		if t < nu {
			dn = min(dn*8, ndocs) // unigrams are commoner
		}
		m.dn[t] = dn
		m.df[t] = float64(dn)
		pref := r.IntN(nc)
		for range dn {
			c := pref
			if r.IntN(2) == 0 {
				c = r.IntN(nc)
			}
			tf := 1 + int(r.ExpFloat64()*0.4)
			m.counts[t*nc+c] += math.Log1p(float64(tf)) / math.Sqrt(float64(200+r.IntN(1800)))
		}
	}
	m.terms = terms
	for c := range nc {
		m.docs[c] = float64(ndocs/nc + r.IntN(50))
		m.tokens[c] = m.docs[c] * float64(400+r.IntN(400))
		m.total += m.docs[c]
		m.Training.Docs[classes[c]] = m.docs[c]
		m.Training.Tokens[classes[c]] = m.tokens[c]
	}
	m.ndocs = int64(m.total)
	m.Training.Documents = m.ndocs
	m.reindex()
	h := &Heldout{Documents: ndocs, Folds: 5, Unclear: 0.4, MeanTopP: 0.7, MeanOOV: 0.1, OOV90: 0.25}
	for c := range nc {
		row, placed, mp := make([]int, nc), make([]int, nc), make([]float64, nc)
		row[c] = ndocs / nc
		placed[c] = ndocs / nc / 2
		mp[c] = 0.75
		h.Confusion = append(h.Confusion, row)
		h.Placed = append(h.Placed, placed)
		h.MeanPosterior = append(h.MeanPosterior, mp)
		h.Classes = append(h.Classes, ClassHeldout{Predicted: ndocs / nc, MeanTopP: 0.7, Precision: 0.8, TopPHist: make([]int, TopPBins)})
	}
	h.Documents = nc * (ndocs / nc)
	if err := m.SetHeldout(h); err != nil {
		tb.Fatal(err)
	}
	return m
}

// bigModelTerms and bigModelClasses are the size of the benchmarks' model:
// that of the model-file target (issue 13 item 4).
const (
	bigModelTerms   = 940_000
	bigModelClasses = 20
)

var bigModel = sync.OnceValue(func() *Model { return synthModel(&testing.B{}, bigModelTerms, bigModelClasses, 1) })

// modelCodecs are the encodings the benchmarks compare: write and read
// back a model.
var modelCodecs = []struct {
	name   string
	encode func(m *Model, w *bytes.Buffer) error
}{
	{"json", func(m *Model, w *bytes.Buffer) error { return m.Encode(w) }},
	{"json.gz-best", func(m *Model, w *bytes.Buffer) error {
		// What `stance train -o x.json.gz` does (training.WriteModelGzip).
		zw, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
		if err := m.Encode(zw); err != nil {
			return err
		}
		return zw.Close()
	}},
	{"json.kgz-fast", func(m *Model, w *bytes.Buffer) error {
		zw, _ := kgzip.NewWriterLevel(w, kgzip.BestSpeed)
		if err := m.Encode(zw); err != nil {
			return err
		}
		return zw.Close()
	}},
	{"json.zst", func(m *Model, w *bytes.Buffer) error {
		zw, _ := zstd.NewWriter(w, zstd.WithEncoderConcurrency(1))
		if err := m.Encode(zw); err != nil {
			return err
		}
		return zw.Close()
	}},
	{"binary", func(m *Model, w *bytes.Buffer) error { return m.EncodeBinary(w) }},
	{"binary.zst", func(m *Model, w *bytes.Buffer) error {
		zw, _ := zstd.NewWriter(w, zstd.WithEncoderConcurrency(1))
		if err := m.EncodeBinary(zw); err != nil {
			return err
		}
		return zw.Close()
	}},
}

func BenchmarkModelEncode(b *testing.B) {
	m := bigModel()
	m.Hash()
	for _, c := range modelCodecs {
		b.Run(c.name, func(b *testing.B) {
			var buf bytes.Buffer
			loop(b, func(int) {
				buf.Reset()
				if err := c.encode(m, &buf); err != nil {
					b.Fatal(err)
				}
			})
			b.ReportMetric(float64(buf.Len())/1e6, "MB")
		})
	}
}

// BenchmarkModelWriteFresh is what `stance train -o` pays to write a model
// just trained: the term order and the hash are computed too.
func BenchmarkModelWriteFresh(b *testing.B) {
	m := bigModel()
	for _, c := range modelCodecs {
		if c.name != "json" && c.name != "binary" && c.name != "binary.zst" {
			continue
		}
		b.Run(c.name, func(b *testing.B) {
			var buf bytes.Buffer
			loop(b, func(int) {
				m.hash.Store(nil)
				m.sorted = nil
				buf.Reset()
				if err := c.encode(m, &buf); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

func BenchmarkModelDecode(b *testing.B) {
	m := bigModel()
	for _, c := range modelCodecs {
		b.Run(c.name, func(b *testing.B) {
			var buf bytes.Buffer
			if err := c.encode(m, &buf); err != nil {
				b.Fatal(err)
			}
			data := buf.Bytes()
			loop(b, func(int) {
				d, err := DecodeModel(bytes.NewReader(data))
				if err != nil {
					b.Fatal(err)
				}
				if d.Hash() != m.Hash() {
					b.Fatal("hash differs")
				}
			})
			b.ReportMetric(float64(len(data))/1e6, "MB")
		})
	}
}

// BenchmarkModelParts times the parts of a load and a write that are not
// the file format's: the canonical hash and the term index.
func BenchmarkModelParts(b *testing.B) {
	m := bigModel()
	b.Run("canonical-hash", func(b *testing.B) {
		loop(b, func(int) {
			m.hash.Store(nil)
			m.Hash()
		})
	})
	b.Run("reindex", func(b *testing.B) {
		loop(b, func(int) {
			m.reindex()
		})
	})
	b.Run("termOrder", func(b *testing.B) {
		loop(b, func(int) {
			m.sorted = nil
			m.termOrder()
		})
	})
	b.Run("finalize", func(b *testing.B) {
		loop(b, func(int) {
			m.cache.Store(nil)
			m.Finalize()
		})
	})
}

// jsonArraysFloor parses the per-term arrays of a model's JSON ("terms",
// "term_docs", "term_weight", "counts") with the least work a
// hand-written decoder must do: find each array, cut its elements, make
// a string of each term (plain ones: no escapes) and parse each number
// with strconv. It checks nothing else and builds no model, so it is a
// floor under any faster JSON path: the binary decoder is compared with
// it.
func jsonArraysFloor(data []byte) (terms []string, nums []float64, err error) {
	arr := func(key string) []byte {
		i := bytes.Index(data, []byte(`"`+key+`":[`))
		if i < 0 {
			return nil
		}
		return data[i+len(key)+4:]
	}
	b := arr("terms")
	for len(b) > 0 && b[0] != ']' {
		if b[0] == ',' {
			b = b[1:]
		}
		j := bytes.IndexByte(b[1:], '"')
		terms = append(terms, string(b[1:1+j]))
		b = b[j+2:]
	}
	for _, key := range []string{"term_docs", "term_weight", "counts"} {
		b := arr(key)
		depth := 1
		for depth > 0 && len(b) > 0 {
			switch b[0] {
			case '[':
				depth++
				b = b[1:]
			case ']':
				depth--
				b = b[1:]
			case ',':
				b = b[1:]
			default:
				j := 0
				for j < len(b) && b[j] != ',' && b[j] != ']' {
					j++
				}
				v, perr := strconv.ParseFloat(string(b[:j]), 64)
				if perr != nil {
					return nil, nil, perr
				}
				nums = append(nums, v)
				b = b[j:]
			}
		}
	}
	return terms, nums, nil
}

// BenchmarkModelDecodeJSONFloor is the floor of a hand-written JSON
// decoder (jsonArraysFloor) on the big model's JSON, plain and after
// zstd: the other way to load fast that the target names.
func BenchmarkModelDecodeJSONFloor(b *testing.B) {
	m := bigModel()
	var buf bytes.Buffer
	if err := m.Encode(&buf); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	var z bytes.Buffer
	zw, _ := zstd.NewWriter(&z, zstd.WithEncoderConcurrency(1))
	zw.Write(data)
	zw.Close()
	b.Run("json", func(b *testing.B) {
		loop(b, func(int) {
			terms, nums, err := jsonArraysFloor(data)
			if err != nil || len(terms) != bigModelTerms || len(nums) != bigModelTerms*(2+bigModelClasses) {
				b.Fatalf("%d terms, %d numbers: %v", len(terms), len(nums), err)
			}
		})
	})
	b.Run("json.zst", func(b *testing.B) {
		zr, _ := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1))
		loop(b, func(int) {
			raw, err := zr.DecodeAll(z.Bytes(), nil)
			if err != nil {
				b.Fatal(err)
			}
			if _, _, err := jsonArraysFloor(raw); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// BenchmarkDefaultModelDecode decodes the embedded default model as it is
// shipped (gzipped JSON) and as a binary file: what choosing the fast
// format for it would save each run.
func BenchmarkDefaultModelDecode(b *testing.B) {
	m := defaultModel(b)
	var gz, bin bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	m.Encode(zw)
	zw.Close()
	m.EncodeBinary(&bin)
	for name, data := range map[string][]byte{"json.gz": gz.Bytes(), "binary": bin.Bytes()} {
		b.Run(name, func(b *testing.B) {
			loop(b, func(int) {
				if _, err := DecodeModel(bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}
