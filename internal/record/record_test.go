package record

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/comments"
)

// refRecord is the schema of the package doc as an encoding/json struct: the
// reference the hand-written encoder is checked against.
type refRecord struct {
	ID        string `json:"id"`
	Author    string `json:"author"`
	Location  string `json:"location"`
	Parent    string `json:"parent"`
	Sentiment struct {
		Compound float64 `json:"compound"`
		Pos      float64 `json:"pos"`
		Neu      float64 `json:"neu"`
		Neg      float64 `json:"neg"`
		Label    string  `json:"label"`
	} `json:"sentiment"`
	Argument struct {
		Label    string   `json:"label"`
		Name     string   `json:"name"`
		P        float64  `json:"p"`
		RunnerUp string   `json:"runner_up"`
		Margin   float64  `json:"margin"`
		Cues     []string `json:"cues"`
	} `json:"argument"`
	Stance string         `json:"stance"`
	Model  string         `json:"model"`
	Extra  map[string]any `json:"extra"`
	Text   *string        `json:"text,omitempty"`
}

func round4(f float64) float64 {
	v, err := strconv.ParseFloat(strconv.FormatFloat(f, 'f', 4, 64), 64)
	if err != nil {
		panic(err)
	}
	return v
}

func reference(r *classify.Result, model string, text bool) refRecord {
	c := r.Comment
	var x refRecord
	x.ID, x.Author, x.Location, x.Parent = c.ID, c.Author, c.Location, c.ParentID
	x.Sentiment.Compound = round4(r.Sentiment.Compound)
	x.Sentiment.Pos = round4(r.Sentiment.Pos)
	x.Sentiment.Neu = round4(r.Sentiment.Neu)
	x.Sentiment.Neg = round4(r.Sentiment.Neg)
	x.Sentiment.Label = r.Sentiment.Label
	x.Argument.Label, x.Argument.Name, x.Argument.RunnerUp = r.Argument.Label, r.Argument.Name, r.Argument.RunnerUp
	x.Argument.P, x.Argument.Margin = round4(r.Argument.P), round4(r.Argument.Margin)
	x.Argument.Cues = []string{}
	for _, cue := range r.Argument.Cues {
		x.Argument.Cues = append(x.Argument.Cues, cue.Token)
	}
	x.Stance, x.Model = r.Stance, model
	x.Extra = c.Extra
	if x.Extra == nil {
		x.Extra = map[string]any{}
	}
	if text {
		x.Text = &c.Text
	}
	return x
}

// trickyResults are records built from the seed's real text plus strings
// that stress the escaper and numbers that stress the rounding.
func trickyResults(t *testing.T) []classify.Result {
	lines := seedLines(t)
	odd := []string{
		"", `quote " backslash \ slash /`, "tab\tnewline\nreturn\r nul\x00 bell\x07 esc\x1b del\x7f",
		"html <b>&amp;</b>", "line\u2028para\u2029sep", "invalid \xff\xfe utf8 \xc3", "truncated \xe2\x80",
		"emoji 😀 and Chinese 华为 and ‘curly’ “quotes” — dash", strings.Repeat("x", 5000),
	}
	floats := []float64{0, -0.0, 1, -1, 0.5, 0.00004, -0.00004, 0.00005, 0.99995, 0.12345, -0.98765, 1e-9, 0.1 + 0.2, math.Copysign(0, -1)}
	var rs []classify.Result
	for i := range 200 {
		text := lines[i%len(lines)]
		if i < len(odd) {
			text = odd[i]
		}
		c := &comments.Comment{
			ID: fmt.Sprintf("c%d", i+1), Author: odd[(i+1)%len(odd)], Location: lines[(i+3)%len(lines)],
			ParentID: []string{"", "c1"}[i%2], Text: text,
		}
		switch i % 4 {
		case 1:
			c.Extra = map[string]any{
				"articleID": "5e06112d", "recommendations": float64(i * 37), "editorsSelection": i%3 == 0,
				"picURL": nil, "ratio": 1.0 / float64(i+3), "big": 1e22, "tiny": 3e-8, "neg": -12.5,
				"nested":        map[string]any{"z": []any{"a", 1.5, nil, true}, "a": odd[i%len(odd)]},
				odd[i%len(odd)]: "key needs escaping",
			}
		case 2:
			c.Extra = map[string]any{"n": json.Number("12345678901234567890"), "count": 42, "i64": int64(-7)}
		}
		cues := []classify.Cue{{Token: "shared values", LogOdds: 2}}
		for j := range i % 6 {
			cues = append(cues, classify.Cue{Token: strings.Fields(lines[(i+j)%len(lines)] + " x")[0], LogOdds: float64(j)})
		}
		rs = append(rs, classify.Result{
			Comment: c,
			Sentiment: classify.Sentiment{
				Compound: floats[i%len(floats)], Pos: floats[(i+1)%len(floats)], Neu: floats[(i+2)%len(floats)],
				Neg: floats[(i+3)%len(floats)], Label: []string{"positive", "negative", "neutral"}[i%3],
			},
			Argument: classify.Prediction{Label: "security", Name: odd[(i+4)%len(odd)], P: floats[(i+5)%len(floats)],
				RunnerUp: "values", Margin: floats[(i+6)%len(floats)], Cues: cues},
			Stance: []string{"against", "for", ""}[i%3],
		})
	}
	return rs
}

func TestJSONLMatchesEncodingJSON(t *testing.T) {
	for _, text := range []bool{false, true} {
		enc := &JSONL{Model: "huawei@0123456789ab", Text: text}
		rs := trickyResults(t)
		out := enc.AppendBatch(nil, rs)
		lines := bytes.SplitAfter(out, []byte("\n"))
		if last := lines[len(lines)-1]; len(last) != 0 {
			t.Fatalf("output does not end with a newline: %q", last)
		}
		lines = lines[:len(lines)-1]
		if len(lines) != len(rs) {
			t.Fatalf("%d lines for %d records", len(lines), len(rs))
		}
		for i, line := range lines {
			if !json.Valid(line) || !utf8.Valid(line) || bytes.Count(line, []byte("\n")) != 1 {
				t.Fatalf("record %d: not one line of valid JSON: %q", i+1, line)
			}
			if one := enc.appendOne(nil, &rs[i]); !bytes.Equal(one, line) {
				t.Fatalf("record %d: appendOne %q differs from AppendBatch %q", i+1, one, line)
			}
			want, err := json.Marshal(reference(&rs[i], enc.Model, text))
			if err != nil {
				t.Fatal(err)
			}
			var got, exp any
			if err := json.Unmarshal(line, &got); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(want, &exp); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, exp) {
				t.Fatalf("record %d:\n got %s\nwant %s", i+1, line, want)
			}
			// Key order is the documented one.
			if !bytes.HasPrefix(line, []byte(`{"id":`)) || !bytes.Contains(line, []byte(`,"sentiment":{"compound":`)) ||
				!bytes.Contains(line, []byte(`"stance":`)) || bytes.Contains(line, []byte(`"text":`)) != text {
				t.Fatalf("record %d: keys not in the documented order: %s", i+1, line)
			}
		}
	}
}

func TestAppendFloat4Cases(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{
		{0, "0"}, {math.Copysign(0, -1), "0"}, {1, "1"}, {-1, "-1"}, {0.5, "0.5"}, {0.25, "0.25"},
		{0.12345, "0.1235"}, {0.123449, "0.1234"}, {-0.98765, "-0.9877"}, {0.00004, "0"}, {-0.00004, "0"},
		{0.99996, "1"}, {0.1 + 0.2, "0.3"}, {12.5, "12.5"}, {math.NaN(), "null"}, {math.Inf(1), "null"},
	} {
		if got := string(appendFloat4([]byte("x"), c.in)); got != "x"+c.want {
			t.Errorf("appendFloat4(%v) = %q, want %q", c.in, got[1:], c.want)
		}
	}
}

// TestAppendFloat4Random checks the fast path of appendFloat4 against
// strconv's correctly rounded 'f' format (trailing zeros and a negative
// zero dropped), on random values of every magnitude up to past the fast
// path's bound, and on values next to the ties of the fourth decimal.
func TestAppendFloat4Random(t *testing.T) {
	ref := func(f float64) string {
		s := strings.TrimRight(strconv.FormatFloat(f, 'f', 4, 64), "0")
		s = strings.TrimSuffix(s, ".")
		if s == "-0" {
			s = "0"
		}
		return s
	}
	rng := rand.New(rand.NewSource(1))
	check := func(f float64) {
		if got, want := string(appendFloat4(nil, f)), ref(f); got != want {
			t.Fatalf("appendFloat4(%v) = %q, strconv gives %q", f, got, want)
		}
	}
	for range 30000 {
		f := rng.Float64() * math.Pow(10, float64(rng.Intn(10)-3))
		if rng.Intn(2) == 0 {
			f = -f
		}
		check(f)
		tie := (math.Floor(f*1e4) + 0.5) / 1e4
		check(tie)
		check(math.Nextafter(tie, 0))
		check(math.Nextafter(tie, 2*tie))
		check(math.Round(f*1e4) / 1e4) // already rounded, as the sentiment scores are
	}
	for _, f := range []float64{1e6, -1e6, 999999.99995, 0.00005, 0.00015, 0.03125, 0.09375, 1.5e-5, 5e-5} {
		check(f)
	}
	// Exact binary ties of the fourth decimal (j/2^p whose product by 1e4
	// ends in .5): strconv rounds them to even.
	for p := 5; p <= 12; p++ {
		for j := range 1 << p {
			check(float64(j) / float64(int(1)<<p))
			check(-float64(j) / float64(int(1)<<p))
		}
	}
}

func TestAppendStringCases(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", `""`},
		{"plain", `"plain"`},
		{`a"b\c`, `"a\"b\\c"`},
		{"a\nb\tc\rd", `"a\nb\tc\rd"`},
		{"\x00\x01\x1f", `"\u0000\u0001\u001f"`},
		{"<&>", `"<&>"`},
		{"\u2028\u2029", `"\u2028\u2029"`},
		{"bad\xffend", `"bad\ufffdend"`},
		{"华为 ‘x’", `"华为 ‘x’"`},
	} {
		if got := string(appendString(nil, c.in)); got != c.want {
			t.Errorf("appendString(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

// TestAppendStringRandom checks the escaper against encoding/json on random
// strings holding the bytes that need escaping or a look (quote, backslash,
// control bytes, DEL, UTF-8 and invalid bytes, U+2028) at every offset of
// the eight-byte blocks it skips.
func TestAppendStringRandom(t *testing.T) {
	pieces := []string{"\"", "\\", "\x00", "\x1f", "\n", "\x7f", "é", "华", "\u2028", "\xff", "\xe2\x80", " "}
	rng := rand.New(rand.NewSource(1))
	for range 3000 {
		var sb strings.Builder
		for sb.Len() < 40 {
			if rng.Intn(5) == 0 {
				sb.WriteString(pieces[rng.Intn(len(pieces))])
			} else {
				sb.WriteByte(byte('a' + rng.Intn(26)))
			}
		}
		s := sb.String()[:rng.Intn(sb.Len()+1)]
		if got, want := string(appendString(nil, s)), stdlibJSON(t, s); got != want {
			t.Fatalf("appendString(%q) = %s, encoding/json writes %s", s, got, want)
		}
	}
}

// FuzzAppendString checks the escaper against encoding/json: the output is
// valid JSON and decodes to what encoding/json's encoding of the same string
// decodes to.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "a\"b", "\x00\n", "\xff", "\u2028", "华为", "\xe2\x80\xa8x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := appendString(nil, s)
		if want := stdlibJSON(t, s); string(got) != want {
			t.Fatalf("appendString(%q) = %s, encoding/json writes %s", s, got, want)
		}
	})
}

// stdlibJSON is encoding/json's encoding of v, without the HTML escaping
// that the records do not use (json.Encoder.SetEscapeHTML(false)).
func stdlibJSON(t *testing.T, v any) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// FuzzAppendNumber checks the number writer against encoding/json, byte
// for byte: the same shortest form, the same exponents (1e-7, not 1e-07).
func FuzzAppendNumber(f *testing.F) {
	for _, x := range []float64{0, 1, -1.5, 1e-7, 1.5e-7, 1e21, 123456789e300, 1e-300, 0.1 + 0.2, 5e-324} {
		f.Add(x)
	}
	f.Fuzz(func(t *testing.T, x float64) {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			if got := string(appendNumber(nil, x)); got != "null" {
				t.Fatalf("appendNumber(%v) = %s, want null", x, got)
			}
			return
		}
		if got, want := string(appendNumber(nil, x)), stdlibJSON(t, x); got != want {
			t.Fatalf("appendNumber(%v) = %s, encoding/json writes %s", x, got, want)
		}
	})
}

func TestCSVFlattensTheRecord(t *testing.T) {
	for _, text := range []bool{false, true} {
		enc := &CSV{Model: "huawei@0123456789ab", Text: text}
		jenc := &JSONL{Model: enc.Model, Text: text}
		rs := trickyResults(t)
		out := enc.AppendBatch(enc.Header(), rs)
		r := csv.NewReader(bytes.NewReader(out))
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		header := csvHeader(text)
		if !reflect.DeepEqual(rows[0], header) {
			t.Fatalf("header %q, want %q", rows[0], header)
		}
		if len(rows) != len(rs)+1 {
			t.Fatalf("%d rows for %d records", len(rows)-1, len(rs))
		}
		for i, row := range rows[1:] {
			// Each column equals the JSONL record's value at its dotted path.
			var rec map[string]any
			if err := json.Unmarshal(jenc.appendOne(nil, &rs[i]), &rec); err != nil {
				t.Fatal(err)
			}
			for j, name := range header {
				var v any = rec
				for _, k := range strings.Split(name, ".") {
					v = v.(map[string]any)[k]
				}
				var want string
				switch v := v.(type) {
				case string:
					want = v
				case float64:
					want = string(appendFloat4(nil, v))
				case []any:
					var toks []string
					for _, s := range v {
						toks = append(toks, s.(string))
					}
					want = strings.Join(toks, "|")
				case map[string]any:
					var back map[string]any
					if err := json.Unmarshal([]byte(row[j]), &back); err != nil {
						t.Fatalf("record %d: extra %q is not JSON: %v", i+1, row[j], err)
					}
					if !reflect.DeepEqual(back, v) {
						t.Fatalf("record %d: extra %v, want %v", i+1, back, v)
					}
					continue
				}
				// encoding/csv reads \r\n inside quotes as \n.
				want = strings.ReplaceAll(want, "\r\n", "\n")
				if got := row[j]; got != want {
					t.Fatalf("record %d column %s = %q, want %q", i+1, name, got, want)
				}
			}
		}
	}
}

func TestNewEncoder(t *testing.T) {
	for _, f := range []string{"jsonl", "csv"} {
		if _, err := New(f, "m@1", false); err != nil {
			t.Errorf("New(%q): %v", f, err)
		}
	}
	if _, err := New("xml", "m@1", false); err == nil || !strings.Contains(err.Error(), "jsonl|csv") {
		t.Errorf("New(xml) error = %v, want the valid values", err)
	}
}

func TestIsJSONNumber(t *testing.T) {
	for _, s := range []string{"0", "-0", "12", "-12.5", "1e5", "1E+5", "2.5e-3", "0.0", "12345678901234567890"} {
		if !isJSONNumber(s) || !json.Valid([]byte(s)) {
			t.Errorf("%q: want a JSON number", s)
		}
	}
	for _, s := range []string{"", "-", "01", "1.", ".5", "1e", "1e+", "+1", "NaN", "0x10", "1 ", "1.2.3", "--1"} {
		if isJSONNumber(s) {
			t.Errorf("%q is not a JSON number", s)
		}
	}
}

// FuzzIsJSONNumber checks the number grammar against encoding/json.
func FuzzIsJSONNumber(f *testing.F) {
	for _, s := range []string{"0", "-1.5e3", "01", "1.", "1e+"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var n json.Number
		want := json.Unmarshal([]byte(s), &n) == nil && string(n) == s
		if got := isJSONNumber(s); got != want {
			t.Fatalf("isJSONNumber(%q) = %v, encoding/json says %v", s, got, want)
		}
	})
}

// seedLines returns the non-empty lines of the seed thread: real comment
// text, used as comment bodies.
func seedLines(t testing.TB) []string {
	t.Helper()
	data, err := os.ReadFile("../../testdata/nyt-huawei-shared-values-2019-12-27.txt")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for l := range strings.Lines(string(data)) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
