package comments

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// seedComments returns the seed's comments, for generating large inputs.
func seedComments(tb testing.TB) []*Comment {
	tb.Helper()
	data, err := os.ReadFile(seedPath)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := Open("seed", bytes.NewReader(data), Options{})
	if err != nil {
		tb.Fatal(err)
	}
	cs, err := ReadAll(s)
	if err != nil {
		tb.Fatal(err)
	}
	return cs
}

// genReader produces an endless thread made of the seed's comments, in the
// NYT layout or as JSONL (with a new articleID every 500 comments, as in a
// dump), without storing it: memory stays that of one comment.
type genReader struct {
	seed  []*Comment
	jsonl bool
	limit int64 // bytes to produce, rounded up to a whole comment
	n     int64 // bytes produced
	i     int   // comments produced
	buf   bytes.Buffer
}

func (g *genReader) Read(p []byte) (int, error) {
	for g.buf.Len() < len(p) && g.n+int64(g.buf.Len()) < g.limit {
		c := g.seed[g.i%len(g.seed)]
		g.i++
		if g.jsonl {
			rec := map[string]any{"commentID": g.i, "commentBody": c.Text, "userDisplayName": c.Author,
				"userLocation": c.Location, "recommendations": g.i % 97, "articleID": "a" + strconv.Itoa(g.i/500)}
			if c.ParentID != "" {
				p, _ := strconv.Atoi(c.ParentID[1:])
				rec["parentID"] = g.i - (g.i-1)%len(g.seed) - 1 + p
			}
			b, _ := json.Marshal(rec)
			g.buf.Write(b)
			g.buf.WriteByte('\n')
		} else {
			fmt.Fprintf(&g.buf, "%s (%s)\n%s\n", c.Author, c.Location, c.Text)
		}
	}
	if g.buf.Len() == 0 {
		return 0, io.EOF
	}
	n, _ := g.buf.Read(p)
	g.n += int64(n)
	return n, nil
}

// genInput returns about size bytes of generated input.
func genInput(tb testing.TB, jsonl bool, size int64) []byte {
	b, err := io.ReadAll(&genReader{seed: seedComments(tb), jsonl: jsonl, limit: size})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func benchParse(b *testing.B, format string, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		s, err := Open("bench", bytes.NewReader(data), Options{Format: format})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			_, err := s.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n < 1000 {
			b.Fatalf("only %d comments", n)
		}
	}
}

// benchLines is the baseline: reading the lines of the same input, with no
// parsing at all.
func benchLines(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		br := bufio.NewReaderSize(bytes.NewReader(data), 64<<10)
		n := 0
		for {
			line, err := br.ReadSlice('\n')
			if len(line) > 0 {
				n++
			}
			if err == io.EOF {
				break
			}
			if err != nil && err != bufio.ErrBufferFull {
				b.Fatal(err)
			}
		}
		if n < 1000 {
			b.Fatal("too few lines")
		}
	}
}

// benchJSON is the encoding/json floor for JSONL: decoding each line into
// a map, as the JSONL reader does before mapping keys to fields.
func benchJSON(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		br := bufio.NewReaderSize(bytes.NewReader(data), 64<<10)
		for {
			line, err := br.ReadBytes('\n')
			if len(line) > 1 {
				d := json.NewDecoder(bytes.NewReader(line))
				d.UseNumber()
				var m map[string]any
				if err := d.Decode(&m); err != nil {
					b.Fatal(err)
				}
			}
			if err == io.EOF {
				break
			}
		}
	}
}

// benchOldJSONL is the JSONL reader as it was before its scanner: each line
// decoded by encoding/json into a map (decodeJSONComment, now the scanner's
// fallback), then numbered and
// linked as Stream does. Parse/JSONL / JSONL-old is the scanner's speed-up,
// measured in the same run.
func benchOldJSONL(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	res, err := newResolver(nil)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		var stats textStats
		lr := newLineReader("bench", bytes.NewReader(data), &stats)
		l := NewLinker()
		n := 0
		for {
			line, err := lr.nextBytes()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if line = bytes.TrimSpace(line); len(line) == 0 {
				continue
			}
			c, err := decodeJSONComment(res, line, "bench", lr.line, true)
			if err != nil {
				b.Fatal(err)
			}
			n++
			gen := 0
			if c.ID == "" {
				gen = n
				c.ID = "c" + strconv.Itoa(n)
			}
			l.link(c, gen)
		}
		if n < 1000 {
			b.Fatalf("only %d comments", n)
		}
	}
}

const benchSize = 32 << 20

// BenchmarkParse measures parse throughput (MB/s) on 32 MB generated from
// the seed; the baseline-lines variants only split the same input into
// lines, so Parse/X / baseline-lines is the cost of parsing and linking;
// JSONL-baseline-json is encoding/json decoding each line into a map, and
// JSONL-old the reader as it was with it.
func BenchmarkParse(b *testing.B) {
	nyt := genInput(b, false, benchSize)
	jsonl := genInput(b, true, benchSize)
	b.Run("NYT", func(b *testing.B) { benchParse(b, "nyt", nyt) })
	b.Run("NYT-baseline-lines", func(b *testing.B) { benchLines(b, nyt) })
	b.Run("JSONL", func(b *testing.B) { benchParse(b, "jsonl", jsonl) })
	b.Run("JSONL-old", func(b *testing.B) { benchOldJSONL(b, jsonl) })
	b.Run("JSONL-baseline-lines", func(b *testing.B) { benchLines(b, jsonl) })
	b.Run("JSONL-baseline-json", func(b *testing.B) { benchJSON(b, jsonl) })
}

// TestBigInputMemory streams STANCE_BIG_GB (default 1) gigabytes of
// generated NYT layout and JSONL through Open without storing them, and
// reports the peak heap in use. Opt-in: STANCE_BIG=1 go test -run
// TestBigInputMemory -v ./comments
func TestBigInputMemory(t *testing.T) {
	if os.Getenv("STANCE_BIG") == "" {
		t.Skip("set STANCE_BIG=1 to stream 1 GB through the readers")
	}
	gb := 1.0
	if v := os.Getenv("STANCE_BIG_GB"); v != "" {
		gb, _ = strconv.ParseFloat(v, 64)
	}
	size := int64(gb * (1 << 30))
	for _, format := range []string{"nyt", "jsonl"} {
		t.Run(format, func(t *testing.T) {
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			base := ms.HeapInuse
			g := &genReader{seed: seedComments(t), jsonl: format == "jsonl", limit: size}
			start := time.Now()
			s, err := Open("big", g, Options{Format: format})
			if err != nil {
				t.Fatal(err)
			}
			var peak uint64
			n := 0
			for {
				_, err := s.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				n++
				if n%20000 == 0 {
					runtime.ReadMemStats(&ms)
					peak = max(peak, ms.HeapInuse)
				}
			}
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			el := time.Since(start)
			t.Logf("%s: %.2f GB, %d comments in %v (%.0f MB/s); peak HeapInuse %.1f MiB (%.1f MiB before)",
				format, float64(s.BytesRead())/(1<<30), n, el.Round(time.Millisecond),
				float64(s.BytesRead())/1e6/el.Seconds(), float64(peak)/(1<<20), float64(base)/(1<<20))
			if s.BytesRead() < size {
				t.Errorf("read %d bytes, want %d", s.BytesRead(), size)
			}
			if peak-base > 64<<20 {
				t.Errorf("peak heap grew by %d MiB: not flat", (peak-base)>>20)
			}
		})
	}
}
