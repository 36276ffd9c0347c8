package comments

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Formats lists the input format names [Open] and [NewReader] accept,
// besides "auto" (or "") for detection from the content.
var Formats = []string{"nyt", "jsonl", "csv", "tsv", "nytapi", "lines"}

// Options configure [Open].
type Options struct {
	// Format is one of [Formats], or "" or "auto" to detect it from the
	// content (not the file name).
	Format string
	// Columns maps comment fields to the input's column or key names,
	// overriding the aliases, e.g. {"text": "body_txt"}. See [Fields].
	Columns map[string]string
	// Warn receives warnings: a count that differs from the declared one,
	// invalid UTF-8 that was replaced, duplicate comment IDs, deleted
	// comments skipped. Nil drops them.
	Warn func(msg string)
	// MaxRecord is the longest record read, in bytes: a JSON Lines or
	// plain line, a CSV record, the body of a comment in the NYT layout, a
	// top-level comment of the NYT API with its replies. A longer record
	// is a bad record: a skippable *ParseError wrapping ErrTooLong, naming
	// FILE:LINE and the limit; it is skipped (counting its bytes) without
	// being held in memory whole, so memory stays bounded whatever the
	// input. 0 means DefaultMaxRecord (16 MiB); negative means no limit.
	// [ParseSize] reads a size such as "64MiB".
	MaxRecord int
}

// maxRecord returns the limit in force: MaxRecord, its default, or 0 for
// none.
func (o Options) maxRecord() int {
	switch {
	case o.MaxRecord == 0:
		return DefaultMaxRecord
	case o.MaxRecord < 0:
		return 0
	}
	return o.MaxRecord
}

// NewReader returns the reader of the named format for r, which must be
// plain text (see [Open] for compression, BOM and detection). The reader's
// comments are not linked: [Linker] or [Open] does that.
func NewReader(format, name string, r io.Reader, columns map[string]string) (Reader, error) {
	return newReader(format, name, r, Options{Columns: columns})
}

// newReader is NewReader with the options that readers take: Columns,
// MaxRecord and Warn.
func newReader(format, name string, r io.Reader, opt Options) (Reader, error) {
	rd, err := newFormatReader(format, name, r, opt.Columns)
	if err != nil {
		return nil, err
	}
	max := opt.maxRecord()
	switch x := rd.(type) {
	case *NYTReader:
		x.MaxRecord, x.Warn = max, opt.Warn
	case *JSONLReader:
		x.MaxRecord = max
	case *CSVReader:
		x.MaxRecord = max
	case *NYTAPIReader:
		x.MaxRecord = max
	case *LinesReader:
		x.MaxRecord = max
	}
	return rd, nil
}

// newFormatReader is the one switch on format names.
func newFormatReader(format, name string, r io.Reader, columns map[string]string) (Reader, error) {
	switch format {
	case "nyt":
		return NewNYTReader(name, r), nil
	case "jsonl", "json", "ndjson":
		j := NewJSONLReader(name, r)
		j.Columns = columns
		return j, nil
	case "csv":
		c := NewCSVReader(name, r)
		c.Columns = columns
		return c, nil
	case "tsv":
		c := NewCSVReader(name, r)
		c.Comma = '\t'
		c.Columns = columns
		return c, nil
	case "nytapi":
		a := NewNYTAPIReader(name, r)
		a.Columns = columns
		return a, nil
	case "lines", "txt":
		return NewLinesReader(name, r), nil
	}
	return nil, fmt.Errorf("unknown input format %q: valid formats are {auto|%s}", format, strings.Join(Formats, "|"))
}

// Stream reads the comments of one input, linked into replies. It is what
// [Open] returns.
type Stream struct {
	name    string
	format  string
	rd      Reader
	counter *countingReader
	closers []io.Closer
	linker  *Linker
	warn    func(string)
	n       int // comments returned
	bad     int // errors returned
	deleted int // deleted comments skipped
	done    bool
}

// Open reads the input r, named name in errors and Source. Through
// [OpenText] it decompresses gzip and zstd (told by their magic bytes),
// strips a UTF-8 byte-order mark and refuses binary input; it detects the
// format from the content unless opt.Format names it, and links
// replies (see [Linker]). Binary input (a NUL byte or mostly invalid UTF-8
// in the first 64 KiB) fails with ErrNotText; later, a record with a NUL
// byte is a bad record (ErrNUL), as is one longer than opt.MaxRecord
// (ErrTooLong). Compressed input that ends early or is corrupt fails with
// ErrTruncated, naming the compression and the last complete line. The
// caller closes r; Close releases the decompressor.
func Open(name string, r io.Reader, opt Options) (*Stream, error) {
	if _, err := newResolver(opt.Columns); err != nil {
		return nil, &ParseError{File: name, Err: err}
	}
	s := &Stream{name: name, counter: &countingReader{r: r}, linker: NewLinker(), warn: opt.Warn}
	in, err := OpenText(name, s.counter)
	if err != nil {
		return nil, err
	}
	s.closers = append(s.closers, in)
	head := in.Head()
	format := opt.Format
	if format == "" || format == "auto" {
		format = Detect(head, opt.Columns)
		if sep, ok := headerLike(head); format == "lines" && ok && opt.Warn != nil {
			opt.Warn(fmt.Sprintf("%s:1: read as plain lines, one comment per line, although the first line looks like a %s header: none of its columns is a known text column; name it with --text-col (or set --input-format)", name, sep))
		}
	}
	rd, err := newReader(format, name, in.br, opt)
	if err != nil {
		s.Close()
		return nil, err
	}
	s.rd, s.format = rd, format
	return s, nil
}

// onlyDeletedErr is the error of an input whose only records are n deleted
// comments: it has no comment either.
func onlyDeletedErr(name string, n int) error {
	return &ParseError{File: name, Err: fmt.Errorf("%w: only %d deleted or removed comment(s)", ErrEmpty, n)}
}

// emptyErr is the error of an input without comments.
func emptyErr(name string) error {
	return &ParseError{File: name, Err: fmt.Errorf("%w: empty input", ErrEmpty)}
}

// sniffBinary rejects input with NUL bytes or mostly invalid UTF-8.
func sniffBinary(name string, head []byte) error {
	if i := bytes.IndexByte(head, 0); i >= 0 {
		line := bytes.Count(head[:i], []byte{'\n'}) + 1
		return &ParseError{File: name, Line: line, Err: fmt.Errorf("%w: NUL byte", ErrNotText)}
	}
	if len(head) < 8 || utf8.Valid(head) {
		return nil
	}
	sample := head[:min(len(head), 4096)]
	bad := 0
	for b := sample; len(b) > 0; {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 && len(b) >= utf8.UTFMax {
			bad++
		}
		b = b[n:]
	}
	if bad*4 > len(sample) {
		return &ParseError{File: name, Line: 1, Err: fmt.Errorf("%w: %d of its first %d bytes are not UTF-8", ErrNotText, bad, len(sample))}
	}
	return nil
}

// headerLike reports whether the first line of head looks like the header
// row of a CSV or TSV file (two or more short, name-like fields), and which.
func headerLike(head []byte) (string, bool) {
	first, rest, _ := bytes.Cut(bytes.TrimLeft(head, " \t\r\n"), []byte{'\n'})
	if len(bytes.TrimSpace(rest)) == 0 {
		return "", false
	}
	first = bytes.TrimRight(first, "\r")
	second, _, _ := bytes.Cut(bytes.TrimLeft(rest, "\r\n"), []byte{'\n'})
	for _, f := range []struct{ sep, name string }{{"\t", "TSV"}, {",", "CSV"}} {
		fields := strings.Split(string(first), f.sep)
		// a header has two or more fields, and so does the row after it
		if len(fields) < 2 || bytes.Count(second, []byte(f.sep))+1 < len(fields) {
			continue
		}
		ok := true
		for _, h := range fields {
			if !nameLike(strings.Trim(strings.TrimSpace(h), `"`)) {
				ok = false
				break
			}
		}
		if ok {
			return f.name, true
		}
	}
	return "", false
}

// nameLike reports whether h could be a column name: a letter or _, then
// up to 40 letters, digits, _, -, . and at most one space.
func nameLike(h string) bool {
	if h == "" || len(h) > 41 || strings.Count(h, " ") > 1 {
		return false
	}
	for i, r := range h {
		switch {
		case r == '_' || unicode.IsLetter(r):
		case i > 0 && (unicode.IsDigit(r) || r == '-' || r == '.' || r == ' '):
		default:
			return false
		}
	}
	return true
}

// Detect tells the format of an input from its first bytes (decompressed,
// without BOM): "nytapi" or "jsonl" for JSON, "csv" or "tsv" for a header
// naming a text column, "nyt" for the NYT page layout, else "lines".
func Detect(head []byte, columns map[string]string) string {
	t := bytes.TrimLeft(head, " \t\r\n")
	if len(t) == 0 {
		return "lines"
	}
	switch t[0] {
	case '[':
		return "nytapi"
	case '{':
		d := json.NewDecoder(bytes.NewReader(t))
		d.Token()
		if k, err := d.Token(); err == nil {
			switch k {
			case "results", "comments", "status", "copyright", "debug", "totalCommentsFound":
				return "nytapi"
			}
		}
		return "jsonl"
	}
	first, rest, _ := bytes.Cut(t, []byte{'\n'})
	first = bytes.TrimRight(first, "\r")
	if res, err := newResolver(columns); err == nil {
		// a header row naming a text column, else two or more known columns
		best, bestKnown := "", 1
		for _, f := range []struct{ sep, name string }{{"\t", "tsv"}, {",", "csv"}} {
			if !bytes.Contains(first, []byte(f.sep)) {
				continue
			}
			known := 0
			for _, h := range strings.Split(string(first), f.sep) {
				h = strings.Trim(strings.TrimSpace(h), `"`)
				if r, ok := res.lookup(h); ok {
					if r.field == fText {
						return f.name
					}
					known++
				}
			}
			if known > bestKnown {
				best, bestKnown = f.name, known
			}
		}
		if best != "" {
			return best
		}
		// a one-column CSV: its header is just a text alias
		h := strings.Trim(strings.TrimSpace(string(first)), `"`)
		if r, ok := res.lookup(h); ok && r.field == fText && len(rest) > 0 {
			return "csv"
		}
	}
	// the NYT layout: a "· N comments" line, or a header followed by a body
	lines := []string{string(first)}
	for len(lines) < 12 && len(rest) > 0 {
		var l []byte
		l, rest, _ = bytes.Cut(rest, []byte{'\n'})
		if s := strings.TrimSpace(string(l)); s != "" {
			lines = append(lines, s)
		}
	}
	for i, l := range lines {
		if _, _, ok := parseDateCount(l); ok {
			return "nyt"
		}
		if _, _, ok := parseHeader(l); ok && i+1 < len(lines) {
			if _, _, next := parseHeader(lines[i+1]); !next && classifyFurniture(lines[i+1]).kind == furnNone {
				return "nyt"
			}
		}
	}
	return "lines"
}

// Read returns the next comment, linked, with an ID (c1..cN in input order
// when the source has none). It returns io.EOF at the end, a *ParseError for
// bad input (see ParseError.Skippable). Deleted Reddit comments ("[deleted]"
// or "[removed]" bodies) are skipped and counted ([Stream.Deleted]).
func (s *Stream) Read() (*Comment, error) {
	if s.done {
		return nil, io.EOF
	}
	c, err := s.rd.Read()
	for err != nil && errors.Is(err, ErrDeleted) {
		s.deleted++
		c, err = s.rd.Read()
	}
	if err != nil {
		if err == io.EOF {
			s.done = true
			s.finish()
			if s.n == 0 && s.bad == 0 {
				if s.deleted > 0 {
					return nil, onlyDeletedErr(s.name, s.deleted)
				}
				return nil, emptyErr(s.name)
			}
			return nil, io.EOF
		}
		s.bad++
		var pe *ParseError
		if !errors.As(err, &pe) {
			err = &ParseError{File: s.name, Err: fmt.Errorf("read: %w", err)}
			s.done = true
		} else if !pe.Skippable {
			s.done = true
		}
		return nil, err
	}
	s.n++
	gen := 0
	if c.ID == "" {
		gen = s.n
		c.ID = "c" + strconv.Itoa(gen)
	}
	s.linker.link(c, gen)
	return c, nil
}

// finish sends the warnings of the end of the input.
func (s *Stream) finish() {
	if s.warn == nil {
		return
	}
	if st, ok := s.rd.(interface{ textStats() *textStats }); ok {
		if t := st.textStats(); t.invalid > 0 {
			s.warn(invalidWarning(s.name, t))
		}
	}
	if w := s.linker.duplicateWarning(s.name); w != "" {
		s.warn(w)
	}
	if s.deleted > 0 {
		s.warn(DeletedWarning(s.name, s.deleted))
	}
}

// Deleted returns how many deleted Reddit comments ("[deleted]" or
// "[removed]" bodies) the stream has skipped so far. They are neither
// comments nor bad records; at the end of the input Options.Warn receives
// their count, once ([DeletedWarning]).
func (s *Stream) Deleted() int { return s.deleted }

// Duplicates returns how many comments so far had a source ID that an
// earlier comment of the same thread had, as far as the linker remembers
// (see [Linker.Duplicates]). At the end of the input Options.Warn receives
// their count with the first few, once.
func (s *Stream) Duplicates() int { return s.linker.Duplicates() }

// DeletedWarning is the warning about n deleted comments skipped in input
// name.
func DeletedWarning(name string, n int) string {
	return fmt.Sprintf("%s: skipped %d deleted or removed comment(s) (body \"[deleted]\" or \"[removed]\")", name, n)
}

// Thread returns what the input declares about its article (title, date,
// comment count), as far as it has been read.
func (s *Stream) Thread() Thread {
	if t, ok := s.rd.(interface{ Thread() Thread }); ok {
		return t.Thread()
	}
	return Thread{}
}

// Format returns the input format, detected or given.
func (s *Stream) Format() string { return s.format }

// Name returns the input's name.
func (s *Stream) Name() string { return s.name }

// BytesRead returns the bytes of the (possibly compressed) input consumed
// so far, for progress.
func (s *Stream) BytesRead() int64 { return s.counter.n }

// Close releases the decompressor. It does not close the reader given to Open.
func (s *Stream) Close() error {
	var err error
	for _, c := range s.closers {
		err = errors.Join(err, c.Close())
	}
	s.closers = nil
	return err
}

// ReadAll reads the remaining comments of r. It stops at the first error.
func ReadAll(r Reader) ([]*Comment, error) {
	var out []*Comment
	for {
		c, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, c)
	}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// decompressed is the output of a decompressor. It counts the lines it
// passes on, and turns the decompressor's errors into a *ParseError that
// names the file, the compression and the last complete line, wrapping
// ErrTruncated (and the cause).
type decompressed struct {
	r     io.Reader
	file  string
	kind  string // "gzip" or "zstd"
	lines int
	err   error
}

func (d *decompressed) Read(p []byte) (int, error) {
	if d.err != nil {
		return 0, d.err
	}
	n, err := d.r.Read(p)
	d.lines += bytes.Count(p[:n], []byte{'\n'})
	if err != nil && err != io.EOF {
		what := "ends early"
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			what = "is corrupt"
		}
		last := "no line is complete"
		if d.lines > 0 {
			last = "the last complete line is " + strconv.Itoa(d.lines)
		}
		d.err = &ParseError{File: d.file,
			Err: fmt.Errorf("%w: the %s data %s (%s): %w", ErrTruncated, d.kind, what, last, err)}
		return n, d.err
	}
	return n, err
}

type closerFunc func() error

func (f closerFunc) Close() error { return f() }
