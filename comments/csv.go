package comments

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// CSVReader reads CSV or TSV with a header row. Headers are mapped to
// comment fields through their aliases (see [Fields]), which covers the NYT
// comments dataset (commentBody, commentID, parentID, userDisplayName,
// userLocation, recommendations, createDate, editorsSelection, depth,
// articleID). Other columns are kept in Extra as strings; a column named
// "extra" holding a JSON object (as [CSVWriter] writes it) is merged into
// Extra.
type CSVReader struct {
	// Comma is the field delimiter: ',' (the default) or '\t' for TSV.
	// Set it before the first Read.
	Comma rune
	// Columns maps comment fields to header names, overriding the aliases,
	// e.g. {"text": "body_txt"}. Set it before the first Read.
	Columns map[string]string
	// MaxRecord is the longest record read, in bytes: DefaultMaxRecord
	// (16 MiB) as set by the constructor; 0 or negative means no limit.
	// Set it before the first Read. (With a Comma of more than one byte,
	// records are read without a limit, and NUL bytes are kept.)
	MaxRecord int

	file string
	src  io.Reader
	sp   *csvSplitter
	cr   *csv.Reader
	// the record csv read ahead of a left-out record before it
	pend     []string
	pendErr  error
	pendLine int // its line, as csv counts
	pending  bool
	shift    int // lines of the left-out records before the current one: csv does not count them
	stats    textStats
	res      *resolver
	header   []string
	done     bool
}

// NewCSVReader returns a CSV reader; set Comma to '\t' for TSV. name is used
// in errors and Source.
func NewCSVReader(name string, r io.Reader) *CSVReader {
	return &CSVReader{Comma: ',', file: name, src: r, MaxRecord: DefaultMaxRecord}
}

func (c *CSVReader) textStats() *textStats { return &c.stats }

func (c *CSVReader) start() error {
	res, err := newResolver(c.Columns)
	if err != nil {
		return &ParseError{File: c.file, Err: err}
	}
	c.res = res
	lazy := c.Comma == '\t'
	if c.Comma > 0 && c.Comma < utf8.RuneSelf && c.Comma != '"' && c.Comma != '\n' && c.Comma != '\r' {
		c.sp = newCSVSplitter(c.src, c.Comma, lazy, c.MaxRecord)
		c.cr = csv.NewReader(c.sp)
	} else {
		c.cr = csv.NewReader(c.src) // a delimiter the splitter does not know
	}
	c.cr.Comma = c.Comma
	c.cr.ReuseRecord = true
	c.cr.LazyQuotes = lazy
	h, err := c.cr.Read()
	if c.sp != nil && len(c.sp.bad) > 0 {
		line := 1 << 62
		if err == nil {
			line, _ = c.cr.FieldPos(0)
		}
		if b := c.sp.bad[0]; b.csvPos <= line {
			// the header itself is left out: nothing can be read
			pe := c.badErr(b)
			pe.Skippable = false
			pe.Err = fmt.Errorf("header: %w", pe.Err)
			return pe
		}
	}
	if err == io.EOF {
		return &ParseError{File: c.file, Err: fmt.Errorf("%w: empty input", ErrEmpty)}
	}
	if err != nil {
		return c.wrap(err, false)
	}
	c.header = make([]string, len(h))
	hasText := false
	for i, v := range h {
		v = strings.TrimSpace(c.stats.cleanString(v, 1))
		if i == 0 {
			v = strings.TrimPrefix(v, "\ufeff")
		}
		c.header[i] = v
		if f, ok := res.lookup(v); ok && f.field == fText {
			hasText = true
		}
	}
	if !hasText {
		want := "text, body, comment or commentBody"
		if col := c.Columns["text"]; col != "" {
			want = fmt.Sprintf("%q", col)
		}
		return &ParseError{File: c.file, Line: 1, Field: "text",
			Err: fmt.Errorf("%w: the header has no text column (looked for %s; map another with --text-col)", ErrNoText, want)}
	}
	return nil
}

// wrap turns a csv error into a *ParseError keeping its line and column.
func (c *CSVReader) wrap(err error, skippable bool) error {
	var pe *ParseError
	if errors.As(err, &pe) {
		return pe
	}
	var ce *csv.ParseError
	if errors.As(err, &ce) {
		msg := ce.Err
		if errors.Is(ce.Err, csv.ErrFieldCount) {
			msg = fmt.Errorf("%w: the header has %d", ce.Err, len(c.header))
		}
		return &ParseError{File: c.file, Line: ce.Line + c.shift, Column: ce.Column, Err: msg, Skippable: skippable}
	}
	return &ParseError{File: c.file, Err: err}
}

// Read returns the next comment, or io.EOF after the last. A bad row gives a
// skippable *ParseError.
func (c *CSVReader) Read() (*Comment, error) {
	if c.done {
		return nil, io.EOF
	}
	if c.cr == nil {
		if err := c.start(); err != nil {
			c.done = true
			return nil, err
		}
	}
	for {
		if !c.pending {
			c.pend, c.pendErr = c.cr.Read()
			c.pendLine = 1 << 62 // at the end, or after a read error
			var ce *csv.ParseError
			if c.pendErr == nil {
				c.pendLine, _ = c.cr.FieldPos(0)
			} else if errors.As(c.pendErr, &ce) {
				c.pendLine = ce.StartLine
			}
			c.pending = true
		}
		if c.sp != nil && len(c.sp.bad) > 0 && c.sp.bad[0].csvPos <= c.pendLine {
			b := c.sp.bad[0]
			c.sp.bad = c.sp.bad[1:]
			c.shift += b.lines
			return nil, c.badErr(b)
		}
		c.pending = false
		row, err := c.pend, c.pendErr
		if err == io.EOF {
			c.done = true
			return nil, io.EOF
		}
		if err != nil {
			var pe *ParseError
			if errors.As(err, &pe) {
				c.done = true
				return nil, pe
			}
			var ce *csv.ParseError
			if !errors.As(err, &ce) {
				c.done = true
				return nil, &ParseError{File: c.file, Err: err}
			}
			// a quote error at the end of input cannot be read past
			return nil, c.wrap(err, !errors.Is(ce.Err, csv.ErrQuote) || ce.Line == ce.StartLine)
		}
		line, _ := c.cr.FieldPos(0)
		line += c.shift
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue
		}
		var rec record
		for i, v := range row {
			rec.set(c.res, c.header[i], c.stats.cleanString(v, line))
		}
		cm, err := rec.comment(c.file, line)
		if cm != nil {
			// the fields share the record's memory: what the linker keeps
			// must not hold on to it
			cm.ID, cm.Author, cm.ThreadID = strings.Clone(cm.ID), strings.Clone(cm.Author), strings.Clone(cm.ThreadID)
		}
		return cm, err
	}
}

// badErr is the error of a record the splitter left out.
func (c *CSVReader) badErr(b csvBad) *ParseError {
	if b.nul > 0 {
		return nulErr(c.file, b.nul, b.col)
	}
	size := b.size
	return tooLongErr(c.file, b.line, size, c.MaxRecord)
}
