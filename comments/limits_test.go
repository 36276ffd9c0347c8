package comments

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// readEach reads every record of data, skipping the skippable errors, and
// returns the texts and errors in order, up to the first fatal error.
func readEach(t *testing.T, data string, opt Options) (texts, errs []string) {
	t.Helper()
	s, err := Open("in", strings.NewReader(data), opt)
	if err != nil {
		return nil, []string{"open: " + err.Error()}
	}
	defer s.Close()
	for {
		c, err := s.Read()
		if err == io.EOF {
			return texts, errs
		}
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("%T %v", err, err)
			}
			errs = append(errs, fmt.Sprintf("%s skippable=%v", err, pe.Skippable))
			if !pe.Skippable {
				return texts, errs
			}
			continue
		}
		texts = append(texts, c.Text)
	}
}

// TestMaxRecord checks the record-size limit of every reader: a longer
// record is a skippable bad record naming FILE:LINE and the limit, and the
// next record is read.
func TestMaxRecord(t *testing.T) {
	long := strings.Repeat("x", 100)
	tests := []struct {
		name  string
		opt   Options
		in    string
		texts string
		errs  string
	}{
		{"jsonl", Options{MaxRecord: 64}, `{"text":"a"}` + "\n" + `{"text":"` + long + `"}` + "\n" + `{"text":"c"}` + "\n",
			"a|c", "in:2: record too long: 111 bytes, over the limit of 64 bytes (MaxRecord; raise it with --max-record) skippable=true"},
		{"jsonl CRLF, at the limit", Options{MaxRecord: 12}, `{"text":"a"}` + "\r\n" + `{"text":"bc"}` + "\r\n", "a",
			"in:2: record too long: 13 bytes, over the limit of 12 bytes (MaxRecord; raise it with --max-record) skippable=true"},
		{"jsonl last line", Options{MaxRecord: 64}, `{"text":"a"}` + "\n" + `{"text":"` + long + `"}`, "a", "in:2: record too long: 111 bytes"},
		{"jsonl no limit", Options{MaxRecord: -1}, `{"text":"` + long + `"}`, long, ""},
		{"lines", Options{MaxRecord: 50, Format: "lines"}, "a\n" + long + "\nc\n", "a|c", "in:2: record too long: 100 bytes"},
		{"csv line", Options{MaxRecord: 50}, "text,n\na,1\n" + long + ",2\nc,3\n", "a|c", "in:3: record too long: 103 bytes"},
		{"csv quoted field over lines", Options{MaxRecord: 50}, "text,n\na,1\n\"" + strings.Repeat("y\n", 40) + "\",2\nc,3\n", "a|c", "in:3: record too long: 85 bytes"},
		{"csv unclosed quote", Options{MaxRecord: 50}, "text,n\na,1\n\"" + strings.Repeat("y,1\n", 40), "a", "in:3: record too long: 161 bytes"},
		{"csv header", Options{MaxRecord: 10}, "text,n,author\na,1,b\n", "", "in:1: header: record too long: 14 bytes, over the limit of 10 bytes (MaxRecord; raise it with --max-record) skippable=false"},
		{"tsv", Options{MaxRecord: 50, Format: "tsv"}, "text\tn\na\t1\n" + long + "\"\t2\nc\t3\n", "a|c", "in:3: record too long: 104 bytes"},
		{"nyt body", Options{MaxRecord: 120}, "Ann (Oslo)\nshort.\nBo (Rome)\n" + long + "\n" + long + "\n\n" + long + "\nCy (Nice)\nok.\n", "short.|ok.",
			"in:3: record too long: 304 bytes"},
		{"nyt long line", Options{MaxRecord: 50}, "Ann (Oslo)\nshort.\nBo (Rome)\nfirst\n" + long + "\nCy (Nice)\nok.\n", "short.|ok.", "in:5: record too long: 100 bytes"},
		{"nyt long line before any header", Options{MaxRecord: 50, Format: "nyt"}, long + "\nAnn (Oslo)\nok.\n", "ok.", "in:1: record too long: 100 bytes"},
		{"nytapi", Options{MaxRecord: 150}, `{"results":{"comments":[{"commentBody":"a"},` + "\n" + `{"commentBody":"` + long + `","replies":[{"commentBody":"` + long + `"}]},{"commentBody":"c"}]}}`,
			"a", "in:2: record too long: a value over the limit of 150 bytes (MaxRecord; raise it with --max-record); the NYT API response is one JSON document, which cannot be read past it skippable=false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			texts, errs := readEach(t, tt.in, tt.opt)
			if got := strings.Join(texts, "|"); got != tt.texts {
				t.Errorf("texts %.80q, want %.80q", got, tt.texts)
			}
			if got := strings.Join(errs, "; "); !strings.Contains(got, tt.errs) || (tt.errs == "") != (got == "") {
				t.Errorf("errors %q, want %q", got, tt.errs)
			}
		})
	}
	if s := FormatSize(DefaultMaxRecord); s != "16 MiB" {
		t.Errorf("FormatSize(DefaultMaxRecord) = %q", s)
	}
	for in, want := range map[string]int64{"16MiB": 16 << 20, "512k": 512 << 10, "1048576": 1 << 20, "2 G": 2 << 30, "10b": 10} {
		if n, err := ParseSize(in); err != nil || n != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, n, err, want)
		}
	}
	for _, in := range []string{"", "M", "-1", "12 parsecs", "99999999999G"} {
		if _, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q): no error", in)
		}
	}
}

// zeros is an endless run of one byte, without storing it.
type repeatReader struct {
	b byte
	n int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	k := min(int64(len(p)), r.n)
	for i := range p[:k] {
		p[i] = r.b
	}
	r.n -= k
	return int(k), nil
}

// TestHugeRecordMemory reads a record of 256 MiB in each line format
// (through gzip for JSONL, as a 2 GB line in a small file would come): it
// is skipped with memory bounded by the limit, not by the record.
func TestHugeRecordMemory(t *testing.T) {
	size := int64(256 << 20)
	if testing.Short() || raceEnabled {
		size = 64 << 20
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestSpeed)
	io.WriteString(zw, `{"text":"a"}`+"\n"+`{"text":"`)
	io.Copy(zw, &repeatReader{'x', size})
	io.WriteString(zw, `"}`+"\n"+`{"text":"c"}`+"\n")
	zw.Close()
	for _, tc := range []struct {
		format string
		in     func() io.Reader
	}{
		{"jsonl", func() io.Reader { return bytes.NewReader(gz.Bytes()) }},
		{"lines", func() io.Reader {
			return io.MultiReader(strings.NewReader("a\n"), &repeatReader{'y', size}, strings.NewReader("\nc\n"))
		}},
		{"csv", func() io.Reader {
			return io.MultiReader(strings.NewReader("text,n\na,1\n\""), &repeatReader{'\n', size}, strings.NewReader("\",2\nc,3\n"))
		}},
		{"nyt", func() io.Reader {
			return io.MultiReader(strings.NewReader("Ann (Oslo)\na.\nBo (Rome)\nb\n"), &repeatReader{'z', size}, strings.NewReader("\nCy (Nice)\nc\n"))
		}},
	} {
		t.Run(tc.format, func(t *testing.T) {
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			base := ms.TotalAlloc
			s, err := Open("in", tc.in(), Options{Format: tc.format, MaxRecord: 1 << 20})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			var texts, errs []string
			for {
				c, err := s.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					errs = append(errs, err.Error())
					continue
				}
				texts = append(texts, c.Text)
			}
			runtime.ReadMemStats(&ms)
			alloc := ms.TotalAlloc - base
			t.Logf("%s: a record of %d MiB skipped; %.1f MiB allocated in all", tc.format, size>>20, float64(alloc)/(1<<20))
			if len(texts) != 2 || len(errs) != 1 || !strings.Contains(errs[0], "record too long") {
				t.Errorf("texts %.40q errors %q", texts, errs)
			}
			if alloc > 32<<20 {
				t.Errorf("%d MiB allocated for a record over the 1 MiB limit: the record was buffered", alloc>>20)
			}
		})
	}
}

// TestNULRecords checks that past the first block, a record with a NUL
// byte is a skippable bad record in every format, while one in the first
// block makes the input binary.
func TestNULRecords(t *testing.T) {
	pad := func(line string) string { return strings.Repeat(line, 70000/len(line)+1) }
	tests := []struct {
		name, in, err string
		n             int // comments read
	}{
		{"jsonl", pad(`{"text":"pad"}`+"\n") + "{\"text\":\"a\x00b\"}\n" + `{"text":"after"}` + "\n", "in:4668:11: NUL byte in the record skippable=true", 4668},
		{"lines", pad("pad\n") + "a\x00b\nafter\n", "in:17502:2: NUL byte in the record skippable=true", 17502},
		{"csv", "text,n\n" + pad("pad,1\n") + "a\x00b,2\nafter,3\n", "in:11669:2: NUL byte in the record skippable=true", 11668},
		{"csv quoted", "text,n\n" + pad("pad,1\n") + "\"a\n\x00b\",2\nafter,3\n", "in:11670:1: NUL byte in the record skippable=true", 11668},
		{"nyt", "Ann (Oslo)\n" + pad("pad\n") + "Bo (Rome)\nb\x00\nCy (Nice)\nafter\n", "in:17504:2: NUL byte in the record skippable=true", 2},
		{"nytapi", `[{"commentBody":"` + pad("pad ") + `"},` + "\n" + "{\"commentBody\":\"a\x00\"}]", "in:2: NUL byte in the record: the JSON document cannot be read past it skippable=false", 1},
		{"first block", "{\"text\":\"a\x00\"}\n", "open: in:1: not a text file: NUL byte", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			texts, errs := readEach(t, tt.in, Options{})
			if len(errs) != 1 || !strings.Contains(errs[0], tt.err) {
				t.Errorf("errors %q, want %q", errs, tt.err)
			}
			if len(texts) != tt.n || tt.n > 1 && texts[len(texts)-1] != "after" {
				t.Errorf("%d comments, want %d, ending with \"after\"", len(texts), tt.n)
			}
		})
	}
}

// TestTruncatedCompressed checks the error of compressed input that ends
// early: it names the file, the compression and the last complete line,
// after the comments of the complete lines.
func TestTruncatedCompressed(t *testing.T) {
	var plain strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&plain, `{"text":"comment %d, with some words to make it longer than a few bytes"}`+"\n", i)
	}
	var gz, zs bytes.Buffer
	gw := gzip.NewWriter(&gz)
	io.WriteString(gw, plain.String())
	gw.Close()
	zw, _ := zstd.NewWriter(&zs)
	io.WriteString(zw, plain.String())
	zw.Close()
	// a corrupt stream (a byte changed) names the compression too
	bad := bytes.Clone(gz.Bytes())
	bad[len(bad)/2] ^= 0x55
	if _, errs := readEach(t, string(bad), Options{}); len(errs) != 1 || !strings.Contains(errs[0], "in: truncated input: the gzip data is corrupt (the last complete line is") {
		t.Errorf("corrupt gzip: %q", errs)
	}
	if _, errs := readEach(t, string(gz.Bytes()[:5]), Options{}); len(errs) != 1 || !strings.Contains(errs[0], "open: in: truncated input: the gzip data ends early (no line is complete)") {
		t.Errorf("gzip cut in its header: %q", errs)
	}
	for _, tc := range []struct {
		kind string
		data []byte
	}{{"gzip", gz.Bytes()}, {"zstd", zs.Bytes()}} {
		for _, cut := range []int{len(tc.data) / 2, len(tc.data) - 4, 30} {
			t.Run(fmt.Sprintf("%s/%d", tc.kind, cut), func(t *testing.T) {
				s, err := Open("x."+tc.kind, bytes.NewReader(tc.data[:cut]), Options{})
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				n := 0
				for {
					_, err = s.Read()
					if err != nil {
						break
					}
					n++
				}
				want := fmt.Sprintf("x.%s: truncated input: the %s data ends early (the last complete line is %d)", tc.kind, tc.kind, n)
				if n == 0 {
					want = fmt.Sprintf("x.%s: truncated input: the %s data ends early (no line is complete)", tc.kind, tc.kind)
				}
				if err == io.EOF || !strings.HasPrefix(err.Error(), want) || !errors.Is(err, ErrTruncated) || !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Errorf("after %d comments: %v\nwant %s: unexpected EOF", n, err, want)
				}
				t.Log(err)
			})
		}
	}
}

// TestCSVSplitterAgrees checks that the splitter hands encoding/csv the
// same records, errors and lines as the input itself, on tricky CSV.
func TestCSVSplitterAgrees(t *testing.T) {
	for _, in := range csvSplitCases {
		for _, lazy := range []bool{false, true} {
			checkCSVSplit(t, []byte(in), lazy)
		}
	}
}

var csvSplitCases = []string{
	"a,b\n1,2\n",
	"a,b\n\"1\n2\",3\n4,5",
	"a,b\n\"1\"\"x\",2\n",
	"a,b\n1\"2,3\n4,5\n",
	"a,b\n\"1\"x,2\n\"3\n4\",5\n",
	"a,b\n\"1\"\r\n2,3\r\n",
	"a,b\n\"1\"\rx,2\n3,4\n",
	"a,b\n\"unclosed,1\n2,3\n",
	"a,b\n\n\n1,2\n\r\n3,4",
	"\"a\nb\",c\n1,2\n",
	"a\tb\n\"x\"y\t1\n2\t3\n",
	"a,b\n\"\",\"\"\n\"\"\"\",x\n",
	"a,b\n1,\"2\n\n3\"\n",
	"a,b\n\"x\"\r",
	"a,b\n\"x\"\"",
}

// checkCSVSplit reads in with encoding/csv directly and through the
// splitter (no limit), and fails where they differ. NUL bytes, whose
// records the splitter leaves out, are made 0x01 first.
func checkCSVSplit(t *testing.T, in []byte, lazy bool) {
	t.Helper()
	in = bytes.ReplaceAll(in, []byte{0}, []byte{1})
	for _, comma := range []rune{',', '\t'} {
		read := func(r io.Reader) string {
			cr := csv.NewReader(r)
			cr.Comma, cr.LazyQuotes, cr.FieldsPerRecord = comma, lazy, -1
			var b strings.Builder
			for i := 0; i < len(in)+2; i++ {
				rec, err := cr.Read()
				if err == io.EOF {
					break
				}
				line, col := 0, 0
				if err == nil {
					line, col = cr.FieldPos(0)
				}
				fmt.Fprintf(&b, "%d:%d %q %v\n", line, col, rec, err)
			}
			return b.String()
		}
		want := read(bytes.NewReader(in))
		sp := newCSVSplitter(bytes.NewReader(in), comma, lazy, 0)
		if got := read(sp); got != want || len(sp.bad) > 0 {
			t.Fatalf("%q (comma %q, lazy %v): through the splitter\n%s\nwant\n%s", in, comma, lazy, got, want)
		}
		// with a limit, each record's lines stay where they were
		sp = newCSVSplitter(bytes.NewReader(in), comma, lazy, 4)
		got := read(sp)
		if strings.Count(got, "\n") > strings.Count(want, "\n") {
			t.Fatalf("%q: more records with a limit:\n%s\nthan without:\n%s", in, got, want)
		}
	}
}

// FuzzCSVSplit checks the CSV splitter against encoding/csv alone.
func FuzzCSVSplit(f *testing.F) {
	for _, c := range csvSplitCases {
		f.Add([]byte(c), false)
	}
	f.Fuzz(func(t *testing.T, in []byte, lazy bool) {
		checkCSVSplit(t, in, lazy)
	})
}
