// Package record encodes scored comments as the records of stance score:
// JSON Lines and CSV, in the schema batch documents, written by hand for
// speed and checked against encoding/json and encoding/csv.
package record

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/comments"
)

// Encoder turns scored comments into bytes. Implementations must be safe for
// concurrent use: workers encode their batches in parallel.
type Encoder interface {
	// Header returns what goes once at the start of the output (nil for none).
	Header() []byte
	// AppendBatch appends the encoding of the results, in order, to dst and
	// returns the extended buffer.
	AppendBatch(dst []byte, rs []classify.Result) []byte
}

// New returns the encoder of a format: "jsonl" or "csv". model is the
// identity written in every record ("name@hash"); text adds the body.
func New(format, model string, text bool) (Encoder, error) {
	switch format {
	case "jsonl", "":
		return &JSONL{Model: model, Text: text}, nil
	case "csv":
		return &CSV{Model: model, Text: text}, nil
	}
	return nil, &FormatError{Format: format}
}

// FormatError reports an unknown output format.
type FormatError struct{ Format string }

func (e *FormatError) Error() string {
	return "unknown output format " + strconv.Quote(e.Format) + ": valid values are {jsonl|csv}"
}

// JSONL encodes one JSON object per line in the schema of the package doc.
type JSONL struct {
	// Model is written as the "model" field of every record.
	Model string
	// Text adds the comment's body as a "text" field.
	Text bool
}

// Header returns nil: JSONL has no header.
func (e *JSONL) Header() []byte { return nil }

// AppendBatch appends one line per result to dst.
func (e *JSONL) AppendBatch(dst []byte, rs []classify.Result) []byte {
	var keys []string
	for i := range rs {
		dst, keys = e.appendRecord(dst, &rs[i], keys)
	}
	return dst
}

// appendOne appends the line of one result (with its newline) to dst.
func (e *JSONL) appendOne(dst []byte, r *classify.Result) []byte {
	dst, _ = e.appendRecord(dst, r, nil)
	return dst
}

func (e *JSONL) appendRecord(b []byte, r *classify.Result, keys []string) ([]byte, []string) {
	c := r.Comment
	if c == nil {
		c = &comments.Comment{}
	}
	b = append(b, `{"id":`...)
	b = appendString(b, c.ID)
	b = append(b, `,"author":`...)
	b = appendString(b, c.Author)
	b = append(b, `,"location":`...)
	b = appendString(b, c.Location)
	b = append(b, `,"parent":`...)
	b = appendString(b, c.ParentID)
	s := &r.Sentiment
	b = append(b, `,"sentiment":{"compound":`...)
	b = appendFloat4(b, s.Compound)
	b = append(b, `,"pos":`...)
	b = appendFloat4(b, s.Pos)
	b = append(b, `,"neu":`...)
	b = appendFloat4(b, s.Neu)
	b = append(b, `,"neg":`...)
	b = appendFloat4(b, s.Neg)
	b = append(b, `,"label":`...)
	b = appendString(b, s.Label)
	a := &r.Argument
	b = append(b, `},"argument":{"label":`...)
	b = appendString(b, a.Label)
	b = append(b, `,"name":`...)
	b = appendString(b, a.Name)
	b = append(b, `,"p":`...)
	b = appendFloat4(b, a.P)
	b = append(b, `,"runner_up":`...)
	b = appendString(b, a.RunnerUp)
	b = append(b, `,"margin":`...)
	b = appendFloat4(b, a.Margin)
	b = append(b, `,"cues":[`...)
	for i, cue := range a.Cues {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, cue.Token)
	}
	b = append(b, `]},"stance":`...)
	b = appendString(b, r.Stance)
	b = append(b, `,"model":`...)
	b = appendString(b, e.Model)
	b = append(b, `,"extra":`...)
	b, keys = appendObject(b, c.Extra, keys)
	if e.Text {
		b = append(b, `,"text":`...)
		b = appendString(b, c.Text)
	}
	b = append(b, "}\n"...)
	return b, keys
}

// csvHeader returns the column names of the CSV encoding.
func csvHeader(text bool) []string {
	h := []string{"id", "author", "location", "parent",
		"sentiment.compound", "sentiment.pos", "sentiment.neu", "sentiment.neg", "sentiment.label",
		"argument.label", "argument.name", "argument.p", "argument.runner_up", "argument.margin", "argument.cues",
		"stance", "model", "extra"}
	if text {
		h = append(h, "text")
	}
	return h
}

// CSV encodes one CSV row per result, with a header line, by encoding/csv.
type CSV struct {
	// Model is written in the "model" column of every row.
	Model string
	// Text adds the comment's body as a last "text" column.
	Text bool
}

// sliceWriter is an io.Writer appending to a byte slice.
type sliceWriter struct{ b []byte }

func (w *sliceWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

// Header returns the header line.
func (e *CSV) Header() []byte {
	var w sliceWriter
	cw := csv.NewWriter(&w)
	cw.Write(csvHeader(e.Text)) // writes to memory: cannot fail
	cw.Flush()
	return w.b
}

// AppendBatch appends one row per result to dst.
func (e *CSV) AppendBatch(dst []byte, rs []classify.Result) []byte {
	w := &sliceWriter{b: dst}
	cw := csv.NewWriter(w)
	n := 18
	if e.Text {
		n++
	}
	row := make([]string, n)
	var num, cues, extra []byte
	var keys []string
	for i := range rs {
		r := &rs[i]
		c := r.Comment
		if c == nil {
			c = &comments.Comment{}
		}
		num = num[:0]
		var ends [6]int
		for j, f := range [...]float64{r.Sentiment.Compound, r.Sentiment.Pos, r.Sentiment.Neu, r.Sentiment.Neg, r.Argument.P, r.Argument.Margin} {
			num = appendFloat4(num, f)
			ends[j] = len(num)
		}
		str := string(num) // one allocation for the six numbers
		field := func(j int) string {
			start := 0
			if j > 0 {
				start = ends[j-1]
			}
			return str[start:ends[j]]
		}
		cues = cues[:0]
		for j, cue := range r.Argument.Cues {
			if j > 0 {
				cues = append(cues, '|')
			}
			cues = append(cues, cue.Token...)
		}
		extra, keys = appendObject(extra[:0], c.Extra, keys)
		row[0], row[1], row[2], row[3] = validUTF8(c.ID), validUTF8(c.Author), validUTF8(c.Location), validUTF8(c.ParentID)
		row[4], row[5], row[6], row[7], row[8] = field(0), field(1), field(2), field(3), validUTF8(r.Sentiment.Label)
		row[9], row[10], row[11] = validUTF8(r.Argument.Label), validUTF8(r.Argument.Name), field(4)
		row[12], row[13], row[14] = validUTF8(r.Argument.RunnerUp), field(5), validUTF8(string(cues))
		row[15], row[16], row[17] = validUTF8(r.Stance), validUTF8(e.Model), string(extra)
		if e.Text {
			row[18] = validUTF8(c.Text)
		}
		cw.Write(row) // writes to memory: cannot fail
	}
	cw.Flush()
	return w.b
}

// validUTF8 returns s with each byte of invalid UTF-8 replaced by U+FFFD, as
// the JSON encoding does.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	b := make([]byte, 0, len(s)+8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = utf8.AppendRune(b, utf8.RuneError)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return string(b)
}

// appendFloat4 appends f rounded to 4 decimals, without trailing zeros
// ("0.5", "-0.25", "1", "0"). NaN and infinities, which JSON cannot hold,
// are written as null.
func appendFloat4(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	// Fast path, for |f| < 1e6: y = |f|*1e4 is within 1.2e-6 of the exact
	// product, so unless its fraction is within 1e-5 of one half, rounding
	// y to the nearest integer rounds the exact value as strconv does.
	if a := math.Abs(f); a < 1e6 {
		y := a * 1e4
		r := math.Floor(y)
		if d := y - r; math.Abs(d-0.5) > 1e-5 {
			if d > 0.5 {
				r++
			}
			return appendFixed4(b, uint64(r), f < 0)
		}
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, 'f', 4, 64)
	// Trim trailing zeros and a bare dot: 'f' with 4 decimals always has a dot.
	n := len(b)
	for b[n-1] == '0' {
		n--
	}
	if b[n-1] == '.' {
		n--
	}
	b = b[:n]
	if n-start == 2 && b[start] == '-' && b[start+1] == '0' {
		b = append(b[:start], '0') // -0 after rounding
	}
	return b
}

// appendFixed4 appends r/10^4 (negative if neg and r > 0) without
// trailing zeros, as appendFloat4 writes it.
func appendFixed4(b []byte, r uint64, neg bool) []byte {
	if neg && r > 0 {
		b = append(b, '-')
	}
	b = strconv.AppendUint(b, r/10000, 10)
	frac := r % 10000
	if frac == 0 {
		return b
	}
	d := [5]byte{'.', byte('0' + frac/1000), byte('0' + frac/100%10), byte('0' + frac/10%10), byte('0' + frac%10)}
	n := 5
	for d[n-1] == '0' {
		n--
	}
	return append(b, d[:n]...)
}

// appendNumber appends a float64 the way encoding/json writes it: shortest
// representation, exponent only for very large or small magnitudes.
func appendNumber(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	abs := math.Abs(f)
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		start := len(b)
		b = strconv.AppendFloat(b, f, 'e', -1, 64)
		// As encoding/json: a two-digit negative exponent loses its
		// leading zero (1e-07 becomes 1e-7).
		if n := len(b) - start; n >= 4 && b[len(b)-4] == 'e' && b[len(b)-3] == '-' && b[len(b)-2] == '0' {
			b[len(b)-2] = b[len(b)-1]
			b = b[:len(b)-1]
		}
		return b
	}
	return strconv.AppendFloat(b, f, 'f', -1, 64)
}

// jsonSafe[c] is true for the ASCII bytes written as themselves in a JSON string.
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

const hexDigits = "0123456789abcdef"

// SWAR constants: a byte's lowest and highest bit in every lane.
const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// appendString appends s as a quoted JSON string. It escapes what JSON
// requires (quote, backslash, control characters), also U+2028 and U+2029 as
// encoding/json does, and replaces invalid UTF-8 with U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		// Skip bytes written as themselves eight at a time: a lane
		// needs a look when it is not ASCII, below 0x20, '"' or '\\'
		// (the sums run on the low seven bits of each lane, so no carry
		// crosses lanes).
		for i+8 <= len(s) {
			w := s[i : i+8] // one bounds check and one 8-byte load
			v := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
				uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
			x := v &^ msb
			q := x ^ '"'*lsb
			e := x ^ '\\'*lsb
			if look := (v | ^(x + 0x60*lsb) | ^(q + 0x7f*lsb | q) | ^(e + 0x7f*lsb | e)) & msb; look != 0 {
				// Each lane's test is exact: go to the first byte to look at.
				i += bits.TrailingZeros64(look) >> 3
				break
			}
			i += 8
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// isJSONNumber reports whether s is a number in JSON's grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func isJSONNumber(s string) bool {
	i := 0
	digits := func() int {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - start
	}
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// appendObject appends m as a JSON object with sorted keys. keys is scratch
// space, returned for reuse.
func appendObject(b []byte, m map[string]any, keys []string) ([]byte, []string) {
	if len(m) == 0 {
		return append(b, '{', '}'), keys
	}
	keys = keys[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		b = appendValue(b, m[k])
	}
	return append(b, '}'), keys
}

// appendValue appends any value decoded from JSON, CSV or the like; other
// types go through encoding/json (null if it cannot encode them).
func appendValue(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...)
	case string:
		return appendString(b, v)
	case bool:
		return strconv.AppendBool(b, v)
	case float64:
		return appendNumber(b, v)
	case float32:
		return appendNumber(b, float64(v))
	case int:
		return strconv.AppendInt(b, int64(v), 10)
	case int64:
		return strconv.AppendInt(b, v, 10)
	case int32:
		return strconv.AppendInt(b, int64(v), 10)
	case uint64:
		return strconv.AppendUint(b, v, 10)
	case json.Number:
		if isJSONNumber(string(v)) {
			return append(b, v...)
		}
		return appendString(b, string(v))
	case []any:
		b = append(b, '[')
		for i, e := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendValue(b, e)
		}
		return append(b, ']')
	case []string:
		b = append(b, '[')
		for i, e := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, e)
		}
		return append(b, ']')
	case map[string]any:
		b, _ = appendObject(b, v, nil)
		return b
	case map[string]string:
		m := make(map[string]any, len(v))
		for k, s := range v {
			m[k] = s
		}
		b, _ = appendObject(b, m, nil)
		return b
	}
	enc, err := json.Marshal(v) // compact, one line
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, enc...)
}
