package comments

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"regexp"
	"strings"
)

// NYTAPIReader reads the JSON of the NYT community API:
//
//	{"results": {"comments": [{"commentID": 1, "commentBody": "...",
//	  "userDisplayName": "...", "userLocation": "...", "recommendations": 3,
//	  "editorsSelection": false, "createDate": "1577456400", "parentID": null,
//	  "replies": [...]}]}}
//
// A bare array of such comments, or {"comments": [...]}, is read too. Nested
// replies are flattened depth first, each linked to its parent. HTML entities
// and <br/> tags in bodies are decoded to plain text. The comments array is
// streamed: only one top-level comment with its replies is held at a time.
//
// Thread keys: a comment's own (assetID, articleURL... see [Fields]) wins;
// else a reply takes its parent's; else a comment takes the response's, a
// thread key beside the comments array (as "articleURL" or "assetID" in
// "results"), where the response has one before the array.
//
// A top-level comment longer than MaxRecord (with its replies), or any
// other value of the response longer than that, stops the reader: it is a
// *ParseError wrapping ErrTooLong that is not skippable, since the
// response is one JSON document. So is a NUL byte past the first block
// (ErrNUL).
type NYTAPIReader struct {
	// Columns maps comment fields to key names, overriding the aliases.
	// Set it before the first Read.
	Columns map[string]string
	// MaxRecord is the longest value read, in bytes: DefaultMaxRecord
	// (16 MiB) as set by the constructor; 0 or negative means no limit.
	// Set it before the first Read.
	MaxRecord int

	file     string
	li       *lineIndex
	lim      *limitReader
	dec      *json.Decoder
	stats    textStats
	res      *resolver
	thread   Thread
	threadID string // the response's thread key
	threadRk int    // the rank of its key among the thread aliases
	queue    []apiItem
	started  bool
	inArray  bool
	done     bool
}

// apiItem is a comment of the queue, or the error of a deleted one.
type apiItem struct {
	c   *Comment
	err error
}

// limitReader fails with errLimit once more than max bytes were read past
// the offset start, where the decoder's current value begins: the decoder
// asks for more only while that value is incomplete.
type limitReader struct {
	r          io.Reader
	off, start int64
	max        int
}

var errLimit = errors.New("value over the limit")

func (l *limitReader) Read(p []byte) (int, error) {
	if l.max > 0 {
		// never more than max+1 bytes from the start: a longer value is
		// never complete, whatever the reads
		allowed := l.start + int64(l.max) + 1 - l.off
		if allowed <= 0 {
			return 0, errLimit
		}
		if int64(len(p)) > allowed {
			p = p[:allowed]
		}
	}
	n, err := l.r.Read(p)
	l.off += int64(n)
	return n, err
}

// NewNYTAPIReader returns a reader of NYT community API JSON. name is used in
// errors and Source.
func NewNYTAPIReader(name string, r io.Reader) *NYTAPIReader {
	li := &lineIndex{r: &guard{r: r, file: name}}
	lim := &limitReader{r: li}
	d := json.NewDecoder(lim)
	d.UseNumber()
	return &NYTAPIReader{file: name, li: li, lim: lim, dec: d, MaxRecord: DefaultMaxRecord}
}

func (a *NYTAPIReader) textStats() *textStats { return &a.stats }

// Thread returns the declared comment count (totalCommentsFound), when the
// response has it before its comments.
func (a *NYTAPIReader) Thread() Thread { return a.thread }

func (a *NYTAPIReader) fatal(err error) error {
	a.done = true
	var pe *ParseError
	if errors.As(err, &pe) {
		return pe
	}
	if errors.Is(err, errLimit) {
		line := a.li.lineAt(a.lim.start)
		return &ParseError{File: a.file, Line: line,
			Err: fmt.Errorf("%w: a value over the limit of %s (MaxRecord; raise it with --max-record); the NYT API response is one JSON document, which cannot be read past it",
				ErrTooLong, FormatSize(int64(a.lim.max)))}
	}
	line := a.li.lineAt(a.dec.InputOffset())
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return &ParseError{File: a.file, Line: line, Err: errors.New("truncated JSON: the input ends inside the response")}
	}
	return &ParseError{File: a.file, Line: line, Err: fmt.Errorf("invalid JSON: %v", err)}
}

// findComments moves the decoder into the comments array.
func (a *NYTAPIReader) findComments() error {
	a.mark()
	tok, err := a.dec.Token()
	if err == io.EOF {
		return &ParseError{File: a.file, Err: fmt.Errorf("%w: empty input", ErrEmpty)}
	}
	if err != nil {
		return a.fatal(err)
	}
	if tok == json.Delim('[') {
		return nil
	}
	if tok != json.Delim('{') {
		return &ParseError{File: a.file, Line: 1, Field: "results",
			Err: fmt.Errorf("%w: want a JSON object with results.comments, got %s", ErrBadType, tokenKind(tok))}
	}
	for {
		if !a.dec.More() {
			// end of an object without comments
			return &ParseError{File: a.file, Line: a.li.lineAt(a.dec.InputOffset()), Field: "comments",
				Err: fmt.Errorf("%w: no comments array in the response", ErrEmpty)}
		}
		a.mark()
		kt, err := a.dec.Token()
		if err != nil {
			return a.fatal(err)
		}
		key, _ := kt.(string)
		a.mark()
		switch key {
		case "comments":
			t, err := a.dec.Token()
			if err != nil {
				return a.fatal(err)
			}
			if t != json.Delim('[') {
				return &ParseError{File: a.file, Line: a.li.lineAt(a.dec.InputOffset()), Field: "comments",
					Err: fmt.Errorf("%w: want an array, got %s", ErrBadType, tokenKind(t))}
			}
			return nil
		case "results":
			t, err := a.dec.Token()
			if err != nil {
				return a.fatal(err)
			}
			if t != json.Delim('{') {
				return &ParseError{File: a.file, Line: a.li.lineAt(a.dec.InputOffset()), Field: "results",
					Err: fmt.Errorf("%w: want an object, got %s", ErrBadType, tokenKind(t))}
			}
		default:
			var v any
			if err := a.dec.Decode(&v); err != nil {
				return a.fatal(err)
			}
			if n, ok := v.(json.Number); ok && key == "totalCommentsFound" {
				if i, err := n.Int64(); err == nil && i > 0 && i < 1<<31 {
					a.thread.Declared = int(i)
				}
			}
			if f, ok := a.res.lookup(key); ok && f.field == fThread && (a.threadID == "" || f.rank < a.threadRk) {
				if id, err := idField(v); err == nil && id != "" {
					a.threadID, a.threadRk = threadKey(id), f.rank
				}
			}
		}
	}
}

// Read returns the next comment, or io.EOF after the last.
func (a *NYTAPIReader) Read() (*Comment, error) {
	for len(a.queue) == 0 {
		if a.done {
			return nil, io.EOF
		}
		if !a.started {
			a.started = true
			if a.res == nil {
				res, err := newResolver(a.Columns)
				if err != nil {
					a.done = true
					return nil, &ParseError{File: a.file, Err: err}
				}
				a.res = res
			}
			if err := a.findComments(); err != nil {
				a.done = true
				return nil, err
			}
		}
		a.mark()
		if !a.dec.More() {
			if _, err := a.dec.Token(); err != nil { // the closing ']'
				return nil, a.fatal(err)
			}
			// read the rest, so that a truncated response is noticed
			for {
				a.mark()
				if _, err := a.dec.Token(); err != nil {
					if err == io.EOF {
						a.done = true
						return nil, io.EOF
					}
					return nil, a.fatal(err)
				}
			}
		}
		off := a.nextOffset()
		a.lim.start = off
		line := a.li.lineAt(off)
		var v any
		if err := a.dec.Decode(&v); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				return nil, &ParseError{File: a.file, Line: line, Err: err, Skippable: true}
			}
			return nil, a.fatal(err)
		}
		if err := a.flatten(v, "", "", line); err != nil {
			return nil, err
		}
	}
	it := a.queue[0]
	a.queue[0] = apiItem{}
	a.queue = a.queue[1:]
	return it.c, it.err
}

// mark starts the limit at the decoder's next value.
func (a *NYTAPIReader) mark() {
	a.lim.max = a.MaxRecord
	a.lim.start = a.nextOffset()
}

// nextOffset is the offset of the decoder's next value: its InputOffset
// past the blanks and comma it has buffered but not consumed.
func (a *NYTAPIReader) nextOffset() int64 {
	off := a.dec.InputOffset()
	buf, _ := a.dec.Buffered().(*bytes.Reader)
	if buf == nil {
		return off
	}
	for {
		b, err := buf.ReadByte()
		if err != nil || (b != ' ' && b != '\t' && b != '\r' && b != '\n' && b != ',') {
			return off
		}
		off++
	}
}

// flatten queues a comment object and its replies, depth first. parent and
// thread are those of the comment's parent, if it is a reply.
func (a *NYTAPIReader) flatten(v any, parent, thread string, line int) error {
	m, ok := v.(map[string]any)
	if !ok {
		return &ParseError{File: a.file, Line: line, Err: fmt.Errorf("%w: want a comment object, got %s", ErrBadType, jsonKind(v)), Skippable: true}
	}
	rec := record{json: true}
	var replies any
	for k, x := range m {
		if k == "replies" {
			replies = x
			continue
		}
		if s, ok := x.(string); ok {
			x = a.stats.cleanString(s, line)
		}
		rec.set(a.res, k, x)
	}
	if t, ok := rec.vals[fText].(string); ok {
		rec.vals[fText] = decodeHTML(t)
	}
	c, err := rec.comment(a.file, line)
	if errors.Is(err, ErrDeleted) {
		// skipped, but its replies are not
		a.queue = append(a.queue, apiItem{err: err})
		id, _ := idField(rec.vals[fID])
		tid, _ := idField(rec.vals[fThread])
		c = &Comment{ID: id, ThreadID: threadKey(tid)}
		if c.ThreadID == "" {
			c.ThreadID = thread
		}
	} else if err != nil {
		return err
	} else {
		if c.ParentID == "" && parent != "" && parent != "0" {
			c.ParentID = parent
		}
		if c.ThreadID == "" {
			c.ThreadID = thread
			if c.ThreadID == "" {
				c.ThreadID = a.threadID
			}
		}
		a.queue = append(a.queue, apiItem{c: c})
	}
	switch rs := replies.(type) {
	case nil:
	case []any:
		for _, r := range rs {
			if err := a.flatten(r, c.ID, c.ThreadID, line); err != nil {
				return err
			}
		}
	default:
		return &ParseError{File: a.file, Line: line, Field: "replies", Err: typeErr("array", replies), Skippable: true}
	}
	return nil
}

var brRE = regexp.MustCompile(`(?i)<br\s*/?>`)

// decodeHTML turns <br/> tags into newlines and decodes HTML entities.
func decodeHTML(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	return html.UnescapeString(brRE.ReplaceAllString(s, "\n"))
}

// lineIndex is an io.Reader that remembers where its lines start, so that a
// decoder's offsets can be turned into line numbers. Offsets must be asked
// for in increasing order; only the newlines ahead of the last one asked
// for are kept.
type lineIndex struct {
	r    io.Reader
	off  int64
	nl   []int64 // offsets of newlines not yet passed
	base int     // newlines passed
}

func (l *lineIndex) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for i := 0; i < n; {
		j := bytes.IndexByte(p[i:n], '\n')
		if j < 0 {
			break
		}
		l.nl = append(l.nl, l.off+int64(i+j))
		i += j + 1
	}
	l.off += int64(n)
	return n, err
}

// lineAt returns the 1-based line of offset off (a decoder's InputOffset).
func (l *lineIndex) lineAt(off int64) int {
	k := 0
	for k < len(l.nl) && l.nl[k] < off {
		k++
	}
	l.base += k
	l.nl = l.nl[k:]
	return l.base + 1
}
