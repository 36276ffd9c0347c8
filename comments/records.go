package comments

import "io"

// LineReader reads an input one line at a time, as the comment readers do:
// a line longer than the limit is skipped without being held in memory,
// and it and a line with a NUL byte give a skippable *ParseError naming
// FILE:LINE (wrapping ErrTooLong or ErrNUL); the next call goes on with
// the next line. It is for readers of other line formats built on this
// package (labeled data in package training).
type LineReader struct {
	lr    *lineReader
	stats textStats
}

// NewLineReader returns a line reader of r, named name in errors.
// maxRecord is the longest line, in bytes, as in Options.MaxRecord: 0
// means DefaultMaxRecord, negative no limit.
func NewLineReader(name string, r io.Reader, maxRecord int) *LineReader {
	if t, ok := r.(*TextInput); ok {
		r = t.br // no second buffer
	}
	l := &LineReader{}
	l.lr = newLineReader(name, r, &l.stats)
	l.lr.max = Options{MaxRecord: maxRecord}.maxRecord()
	return l
}

// Next returns the next line without its "\n" or "\r\n", invalid UTF-8
// replaced with U+FFFD, or io.EOF after the last line.
func (l *LineReader) Next() (string, error) { return l.lr.next() }

// NextBytes is Next without the UTF-8 repair. The slice is valid until the
// next call.
func (l *LineReader) NextBytes() ([]byte, error) { return l.lr.nextBytes() }

// Text returns b, the line last read with NextBytes, as Next would have
// returned it: a string with invalid UTF-8 replaced with U+FFFD.
func (l *LineReader) Text(b []byte) string { return l.stats.clean(b, l.lr.line) }

// Line returns the 1-based number of the line last returned (or skipped
// with an error).
func (l *LineReader) Line() int { return l.lr.line }

// Max returns the longest line read, in bytes; 0 for no limit.
func (l *LineReader) Max() int { return l.lr.max }

// JSONLDecoder decodes one line of JSON Lines into a comment exactly as
// [JSONLReader] does (the same fields, aliases and errors), for readers
// that read the lines themselves, with a [LineReader], and look at each
// line before decoding it.
type JSONLDecoder struct {
	name  string
	dec   *jsonlDecoder
	stats textStats
}

// NewJSONLDecoder returns a decoder of the JSON Lines input named name.
// columns maps comment fields to key names, as in Options.Columns.
func NewJSONLDecoder(name string, columns map[string]string) (*JSONLDecoder, error) {
	res, err := newResolver(columns)
	if err != nil {
		return nil, &ParseError{File: name, Err: err}
	}
	return &JSONLDecoder{name: name, dec: newJSONLDecoder(res)}, nil
}

// Decode decodes line b (without its newline), line number line of the
// input, into a comment with its Source. A blank line gives nil, nil; a
// bad record a skippable *ParseError. Lines longer than max bytes (when
// max > 0) are bad records too (ErrTooLong).
func (d *JSONLDecoder) Decode(b []byte, line, max int) (*Comment, error) {
	return d.dec.decodeLine(b, d.name, line, max, true, &d.stats)
}

// RecordLine returns the line where the record of the comment the last
// Read returned starts (the line of its Source). Call it only right after
// a Read that returned a comment.
func (c *CSVReader) RecordLine() int {
	line, _ := c.cr.FieldPos(0)
	return line + c.shift
}
