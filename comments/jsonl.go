package comments

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// JSONLReader reads JSON Lines: one JSON object per line, one comment per
// object. Keys are mapped to comment fields through their aliases (see
// [Fields]): text, body, comment or commentBody; author, user, userName or
// userDisplayName; and so on. A parent of 0 or "" means top level. Pushshift
// (Reddit) IDs lose their "t1_" prefix, and a "t3_" parent is the thread
// itself. Keys that map to no field are kept in Extra. Blank lines are
// skipped.
type JSONLReader struct {
	// Columns maps comment fields to key names, overriding the aliases.
	// Set it before the first Read.
	Columns map[string]string

	file  string
	lr    *lineReader
	stats textStats
	res   *resolver
}

// NewJSONLReader returns a JSON Lines reader. name is used in errors and
// Source.
func NewJSONLReader(name string, r io.Reader) *JSONLReader {
	j := &JSONLReader{file: name}
	j.lr = newLineReader(name, r, &j.stats)
	return j
}

func (j *JSONLReader) textStats() *textStats { return &j.stats }

// Read returns the next comment, or io.EOF after the last. A bad line gives
// a skippable *ParseError.
func (j *JSONLReader) Read() (*Comment, error) {
	if j.res == nil {
		res, err := newResolver(j.Columns)
		if err != nil {
			return nil, &ParseError{File: j.file, Err: err}
		}
		j.res = res
	}
	for {
		b, err := j.lr.nextBytes()
		if err != nil {
			return nil, err
		}
		b = bytes.TrimSpace(b)
		if len(b) == 0 {
			continue
		}
		line := j.lr.line
		if !utf8.Valid(b) {
			b = []byte(j.stats.clean(b, line))
		}
		return decodeJSONComment(j.res, b, j.file, line)
	}
}

// decodeJSONComment decodes one JSON object into a comment.
func decodeJSONComment(res *resolver, b []byte, file string, line int) (*Comment, error) {
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
	rec := newRecord()
	for k, v := range m {
		rec.set(res, k, v)
	}
	return rec.comment(file, line)
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
