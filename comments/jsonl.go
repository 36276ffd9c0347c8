package comments

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"unicode/utf16"
	"unicode/utf8"
)

// JSONLReader reads JSON Lines: one JSON object per line, one comment per
// object. Keys are mapped to comment fields through their aliases (see
// [Fields]): text, body, comment or commentBody; author, user, userName or
// userDisplayName; and so on. A parent of 0 or "" means top level. Pushshift
// (Reddit) IDs lose their "t1_" prefix, and a "t3_" parent is the thread
// itself. Keys that map to no field are kept in Extra, with their JSON
// values as encoding/json decodes them with UseNumber (string, json.Number,
// bool, nil, []any, map[string]any). A key that appears twice in an object
// keeps its last value. Blank lines are skipped. A line longer than
// MaxRecord, or with a NUL byte, is a bad record (a skippable *ParseError);
// it is skipped without being held in memory whole.
type JSONLReader struct {
	// Columns maps comment fields to key names, overriding the aliases.
	// Set it before the first Read.
	Columns map[string]string
	// MaxRecord is the longest line read, in bytes: DefaultMaxRecord
	// (16 MiB) as set by the constructor; 0 or negative means no
	// limit. Set it before the first Read.
	MaxRecord int

	file  string
	lr    *lineReader
	stats textStats
	dec   *jsonlDecoder
}

// NewJSONLReader returns a JSON Lines reader. name is used in errors and
// Source.
func NewJSONLReader(name string, r io.Reader) *JSONLReader {
	j := &JSONLReader{file: name, MaxRecord: DefaultMaxRecord}
	j.lr = newLineReader(name, r, &j.stats)
	j.lr.nul = false // decodeLine checks
	return j
}

func (j *JSONLReader) textStats() *textStats { return &j.stats }

// Read returns the next comment, or io.EOF after the last. A bad line gives
// a skippable *ParseError.
func (j *JSONLReader) Read() (*Comment, error) {
	if j.dec == nil {
		res, err := newResolver(j.Columns)
		if err != nil {
			return nil, &ParseError{File: j.file, Err: err}
		}
		j.dec = newJSONLDecoder(res)
		j.lr.max = j.MaxRecord
	}
	for {
		b, err := j.lr.nextBytes()
		if err != nil {
			return nil, err
		}
		c, err := j.dec.decodeLine(b, j.file, j.lr.line, j.lr.max, true, &j.stats)
		if c == nil && err == nil {
			continue // a blank line
		}
		return c, err
	}
}

// decodeLine decodes one line of JSON Lines b (without its newline, any
// bytes) at file:line. It returns nil, nil for a blank line; a skippable
// *ParseError for a line longer than max bytes (when max > 0), wrapping
// ErrTooLong, for one with a NUL byte (ErrNUL), and for a bad record.
// Invalid UTF-8 is replaced, and counted in stats. With source false, the
// comment's Source is left empty. This is all the decoding of a JSON Lines
// record, for the reader and the chunked decoder alike.
func (d *jsonlDecoder) decodeLine(b []byte, file string, line, max int, source bool, stats *textStats) (*Comment, error) {
	if max > 0 && len(b) > max {
		return nil, tooLongErr(file, line, int64(len(b)), max)
	}
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return nil, nulErr(file, line, i+1)
	}
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil, nil
	}
	if !utf8.Valid(b) {
		b = []byte(stats.clean(b, line))
	}
	return d.decode(b, file, line, source)
}

// jsonlDecoder turns one JSON object (a line, valid UTF-8) into a comment.
// Flat objects, the usual case, are read by a single-pass scanner that
// files each value under its field as it goes; only nested values of
// extra keys are handed to encoding/json. Anything the scanner does not
// accept, in particular every malformed line, is decoded again with
// encoding/json (decodeJSONComment), whose errors name the fault. The
// scanner accepts only valid JSON, and gives the same record as
// encoding/json for it (FuzzJSONLDifferential checks both).
//
// A jsonlDecoder is not safe for concurrent use.
type jsonlDecoder struct {
	res *resolver
	// keys caches the resolution of the keys seen so far, by their bytes
	// in the input (keys without escapes only), and interns their names.
	keys  map[string]keyInfo
	buf   []byte    // scratch for unescaping strings
	extra []extraKV // the record's extra keys, reused
}

// keyInfo is a key's name and the field it maps to, if known.
type keyInfo struct {
	name  string
	ref   fieldRef
	known bool
}

// maxKeyCache bounds jsonlDecoder.keys: input whose keys vary without end
// (keys that are IDs) does not grow it past this.
const maxKeyCache = 512

// maxNested bounds the length in bytes of a nested value the scanner hands
// to encoding/json on its own. Past it the whole line goes to encoding/json,
// whose nesting limit (10000) then applies to the line as a whole.
const maxNested = 16 << 10

func newJSONLDecoder(res *resolver) *jsonlDecoder {
	return &jsonlDecoder{res: res, keys: make(map[string]keyInfo, 32)}
}

// decode decodes the object b (trimmed, valid UTF-8) at file:line. With
// source false, the comment's Source is left empty.
func (d *jsonlDecoder) decode(b []byte, file string, line int, source bool) (*Comment, error) {
	rec := record{json: true, extra: d.extra[:0]}
	ok := d.scan(&rec, b)
	d.extra = rec.extra[:0]
	defer clear(rec.extra) // drop the values, keep the room
	if !ok {
		return decodeJSONComment(d.res, b, file, line, source)
	}
	if source {
		return rec.comment(file, line)
	}
	return rec.build(file, line)
}

// scan reads the object b into rec. It returns false, leaving rec
// half-filled, for anything but a valid JSON object that it reads exactly
// as encoding/json would.
func (d *jsonlDecoder) scan(rec *record, b []byte) bool {
	if len(b) < 2 || b[0] != '{' {
		return false
	}
	i := skipSpace(b, 1)
	if i < len(b) && b[i] == '}' {
		return skipSpace(b, i+1) == len(b)
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return false
		}
		k, j, ok := d.key(b, i)
		if !ok {
			return false
		}
		i = skipSpace(b, j)
		if i >= len(b) || b[i] != ':' {
			return false
		}
		i = skipSpace(b, i+1)
		if i >= len(b) {
			return false
		}
		var v any
		if v, i, ok = d.value(b, i); !ok {
			return false
		}
		rec.setRef(k.ref, k.known, k.name, v)
		i = skipSpace(b, i)
		if i >= len(b) {
			return false
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return skipSpace(b, i+1) == len(b)
		default:
			return false
		}
	}
}

// key reads the key string at b[i] (a quote). It returns the key, where
// its field is known, and the offset past it.
func (d *jsonlDecoder) key(b []byte, i int) (keyInfo, int, bool) {
	j := plainEnd(b, i+1)
	if j < len(b) && b[j] == '"' {
		raw := b[i+1 : j]
		if k, ok := d.keys[string(raw)]; ok {
			return k, j + 1, true
		}
		name := string(raw)
		ref, known := d.res.lookup(name)
		k := keyInfo{name, ref, known}
		if len(d.keys) < maxKeyCache {
			d.keys[name] = k
		}
		return k, j + 1, true
	}
	name, j, ok := d.str(b, i)
	if !ok {
		return keyInfo{}, 0, false
	}
	ref, known := d.res.lookup(name)
	return keyInfo{name, ref, known}, j, true
}

// value reads the JSON value at b[i] (not a blank) as encoding/json decodes
// it into an interface with UseNumber, and returns the offset past it.
func (d *jsonlDecoder) value(b []byte, i int) (any, int, bool) {
	switch c := b[i]; {
	case c == '"':
		return d.str(b, i)
	case c == '-' || c >= '0' && c <= '9':
		j, ok := scanNumber(b, i)
		if !ok {
			return nil, 0, false
		}
		return json.Number(b[i:j]), j, true
	case c == 't':
		if bytes.HasPrefix(b[i:], []byte("true")) {
			return true, i + 4, true
		}
	case c == 'f':
		if bytes.HasPrefix(b[i:], []byte("false")) {
			return false, i + 5, true
		}
	case c == 'n':
		if bytes.HasPrefix(b[i:], []byte("null")) {
			return nil, i + 4, true
		}
	case c == '{' || c == '[':
		j, ok := skipNested(b, i)
		if !ok || j-i > maxNested {
			return nil, 0, false
		}
		dec := json.NewDecoder(bytes.NewReader(b[i:j]))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil || dec.InputOffset() != int64(j-i) {
			return nil, 0, false
		}
		return v, j, true
	}
	return nil, 0, false
}

// plain marks the bytes that stand for themselves in a JSON string: not
// the quote, the backslash or a control character.
var plain = func() (t [256]bool) {
	for c := range t {
		t[c] = c >= 0x20 && c != '"' && c != '\\'
	}
	return t
}()

// plainEnd returns the index of the first byte of b from j on that is not
// plain, or len(b). It tests eight bytes at a time: a lane is not plain
// when it is ASCII and below 0x20, '"' or '\\' (the sums run on the low
// seven bits of each lane, so no carry crosses lanes); the last few bytes
// are tested a byte at a time.
func plainEnd(b []byte, j int) int {
	const (
		lsb = 0x0101010101010101
		msb = 0x8080808080808080
	)
	for ; j+8 <= len(b); j += 8 {
		w := b[j : j+8] // one bounds check and one 8-byte load
		v := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		x := v &^ msb
		q := x ^ '"'*lsb
		e := x ^ '\\'*lsb
		stop := (^(x + 0x60*lsb) | ^(q + 0x7f*lsb | q) | ^(e + 0x7f*lsb | e)) & msb &^ v
		if stop != 0 {
			// Each lane's test is exact: the first one set is the byte.
			return j + bits.TrailingZeros64(stop)>>3
		}
	}
	for j < len(b) && plain[b[j]] {
		j++
	}
	return j
}

// str reads the string at b[i] (a quote), unescaped as encoding/json does
// (a lone UTF-16 surrogate becomes U+FFFD), and returns the offset past it.
func (d *jsonlDecoder) str(b []byte, i int) (string, int, bool) {
	j := plainEnd(b, i+1)
	if j < len(b) && b[j] == '"' {
		return string(b[i+1 : j]), j + 1, true
	}
	buf := append(d.buf[:0], b[i+1:j]...)
	defer func() { d.buf = buf[:0] }()
	for j < len(b) {
		switch c := b[j]; {
		case plain[c]:
			k := plainEnd(b, j+1)
			buf = append(buf, b[j:k]...)
			j = k
		case c == '"':
			return string(buf), j + 1, true
		case c != '\\' || j+1 >= len(b):
			return "", 0, false // a control character, or a cut escape
		default:
			e := b[j+1]
			j += 2
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, ok := hex4(b, j)
				if !ok {
					return "", 0, false
				}
				j += 4
				if utf16.IsSurrogate(r) {
					// a pair, else U+FFFD (and what follows is read on its own)
					r2, ok := rune(-1), false
					if j+1 < len(b) && b[j] == '\\' && b[j+1] == 'u' {
						r2, ok = hex4(b, j+2)
					}
					if dec := utf16.DecodeRune(r, r2); ok && dec != utf8.RuneError {
						r = dec
						j += 6
					} else {
						r = utf8.RuneError
					}
				}
				buf = utf8.AppendRune(buf, r)
			default:
				return "", 0, false
			}
		}
	}
	return "", 0, false
}

// hex4 reads the four hex digits at b[i:].
func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// scanNumber returns the end of the JSON number at b[i].
func scanNumber(b []byte, i int) (int, bool) {
	if b[i] == '-' {
		i++
	}
	digits := func() bool {
		k := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		return i > k
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		digits()
	default:
		return 0, false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return 0, false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return 0, false
		}
	}
	return i, true
}

// skipNested returns the end of the object or array at b[i]: the offset
// past the bracket that closes it, not checking that the brackets pair up
// (encoding/json does that).
func skipNested(b []byte, i int) (int, bool) {
	depth := 0
	for ; i < len(b); i++ {
		switch b[i] {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1, true
			}
		case '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
		}
	}
	return 0, false
}

// skipSpace returns the offset of the first byte at or after i that is not
// JSON white space.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// decodeJSONComment decodes one JSON object into a comment with
// encoding/json: the fallback of jsonlDecoder, whose errors name the fault.
func decodeJSONComment(res *resolver, b []byte, file string, line int, source bool) (*Comment, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field == "" {
			return nil, &ParseError{File: file, Line: line, Column: 1,
				Err: fmt.Errorf("%w: want a JSON object, got %s", ErrBadType, te.Value), Skippable: true}
		}
		return nil, jsonErr(file, line, b, d, err)
	}
	if m == nil {
		return nil, &ParseError{File: file, Line: line, Column: 1,
			Err: fmt.Errorf("%w: want a JSON object, got null", ErrBadType), Skippable: true}
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, &ParseError{File: file, Line: line, Column: int(d.InputOffset()) + 1,
			Err: errors.New("invalid JSON: data after the object"), Skippable: true}
	}
	rec := record{json: true}
	for k, v := range m {
		rec.set(res, k, v)
	}
	if source {
		return rec.comment(file, line)
	}
	return rec.build(file, line)
}

func jsonErr(file string, line int, s []byte, d *json.Decoder, err error) error {
	col := int(d.InputOffset()) + 1
	var se *json.SyntaxError
	if errors.As(err, &se) {
		col = int(se.Offset)
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return &ParseError{File: file, Line: line, Column: len(s) + 1,
			Err: errors.New("truncated JSON: the line ends inside an object"), Skippable: true}
	}
	return &ParseError{File: file, Line: line, Column: col, Err: fmt.Errorf("invalid JSON: %v", err), Skippable: true}
}

func tokenKind(t json.Token) string {
	switch t.(type) {
	case json.Delim:
		if t == json.Delim('[') {
			return "an array"
		}
		return "a delimiter"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	default:
		return "a number"
	}
}
