package comments

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// fuzzRoundTrip is the property every reader is fuzzed for: no panic, no
// hang, every error a *ParseError naming the input, and when the input reads
// without error, writing its comments as JSONL and reading them back gives
// the same comments.
func fuzzRoundTrip(t *testing.T, format string, data []byte) {
	s, err := Open("fuzz", bytes.NewReader(data), Options{Format: format})
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) || pe.File != "fuzz" {
			t.Fatalf("Open: %T %v", err, err)
		}
		return
	}
	defer s.Close()
	var got []*Comment
	failed := false
	for reads := 0; ; reads++ {
		if reads > len(data)+10 {
			t.Fatalf("more reads (%d) than input bytes", reads)
		}
		c, err := s.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != "fuzz" {
				t.Fatalf("Read: %T %v", err, err)
			}
			failed = true
			if !pe.Skippable {
				break
			}
			continue
		}
		if c.Text == "" || c.ID == "" {
			t.Fatalf("comment without text or ID: %+v", c)
		}
		got = append(got, c)
	}
	if failed {
		return
	}
	var buf bytes.Buffer
	w := NewJSONLWriter(&buf)
	for _, c := range got {
		if err := w.Write(c); err != nil {
			t.Fatalf("write: %v", err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	again, _, err := readAllStream(t, "again", buf.Bytes(), Options{Format: "jsonl"})
	if err != nil {
		t.Fatalf("reading the JSONL back: %v\n%s", err, buf.String())
	}
	sameComments(t, again, got)
}

// The seed corpora are in testdata/fuzz/FuzzXxx/.

func FuzzNYT(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRoundTrip(t, "nyt", data) })
}

func FuzzJSONL(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRoundTrip(t, "jsonl", data) })
}

func FuzzCSV(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte, tsv bool) {
		format := "csv"
		if tsv {
			format = "tsv"
		}
		fuzzRoundTrip(t, format, data)
	})
}

func FuzzNYTAPI(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRoundTrip(t, "nytapi", data) })
}

func FuzzLines(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRoundTrip(t, "lines", data) })
}

// FuzzOpen fuzzes detection, decompression and whichever reader is detected.
func FuzzOpen(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRoundTrip(t, "auto", data) })
}
