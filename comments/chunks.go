package comments

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"
	"unicode/utf8"
)

// ChunkItem is one record of a chunk decoded by [JSONLChunkDecoder.Decode]:
// a comment, or the error of a bad record.
type ChunkItem struct {
	// Comment is the record's comment; nil when Err is set.
	Comment *Comment
	// Err is the record's error, a *ParseError (see ParseError.Skippable).
	Err error

	line    int // the record's line, counted from the chunk's first
	invalid int // invalid UTF-8 bytes replaced on the line
}

// JSONLChunkDecoder reads one JSON Lines input cut into chunks of whole
// lines, so that several goroutines can decode its chunks at once: the
// comments come out exactly as [Open] reads them (same fields, IDs c1..cN
// where the input has none, replies linked, the same errors naming
// FILE:LINE, the same warning for invalid UTF-8, ErrEmpty for an input
// without records).
//
// [OpenJSONLChunks] returns one with the input to cut. Decode may run on
// many chunks at once; Order must then be called on each chunk's items, one
// chunk at a time, in input order; Finish ends the input.
type JSONLChunkDecoder struct {
	name string
	max  int // the record limit in force (Options.MaxRecord), 0 for none
	res  *resolver
	warn func(string)
	pool sync.Pool // *jsonlDecoder

	// In-order state, owned by Order.
	lines   int // lines of the chunks ordered so far
	n       int // comments ordered so far
	bad     int // bad records ordered so far
	deleted int // deleted comments ordered so far
	linker  *Linker
	stats   textStats
}

// OpenJSONLChunks is [Open] for inputs read in parallel chunks. It peeks at
// r as Open does; when r is plain JSON Lines (opt.Format "jsonl", or ""
// or "auto" and detected from the content; not compressed, not binary), it
// returns the decoder and the rest of the input, byte-order mark removed,
// to cut into chunks of whole lines (for example with batch.LineChunks).
// Otherwise it returns a nil decoder and a reader that gives r's bytes
// from the start, what was peeked included, for Open, which reports any
// fault of the input. The error is that of reading r.
func OpenJSONLChunks(name string, r io.Reader, opt Options) (*JSONLChunkDecoder, io.Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := peekLine(br)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, nil, &ParseError{File: name, Err: fmt.Errorf("read: %w", err)}
	}
	bom := bytes.HasPrefix(head, []byte("\xef\xbb\xbf"))
	if bom {
		head = head[3:]
	}
	format := opt.Format
	if format == "" || format == "auto" {
		format = Detect(head, opt.Columns)
	}
	switch format {
	case "jsonl", "json", "ndjson":
	default:
		return nil, br, nil
	}
	if compressed(head) || sniffBinary(name, head) != nil {
		return nil, br, nil
	}
	d, err := NewJSONLChunkDecoder(name, opt)
	if err != nil {
		return nil, br, nil
	}
	if bom {
		br.Discard(3)
	}
	return d, br, nil
}

// peekLine peeks at the start of br: what its first read gives, and more
// until that holds a whole non-blank line (or the buffer is full, or the input ends),
// so that a slow pipe (`tail -f`) is detected as soon as its first record
// has come, not after 64 KB.
func peekLine(br *bufio.Reader) ([]byte, error) {
	if _, err := br.Peek(1); err != nil {
		return nil, err
	}
	for {
		head, err := br.Peek(br.Buffered())
		if err != nil || bytes.IndexByte(bytes.TrimLeft(head, " \t\r\n"), '\n') >= 0 || len(head) >= br.Size() {
			return head, err
		}
		if _, err := br.Peek(len(head) + 1); err != nil {
			head, _ = br.Peek(br.Buffered())
			return head, err
		}
	}
}

// NewJSONLChunkDecoder returns the decoder of the JSON Lines input name
// (used in errors and Source), for chunks the caller cuts from plain JSON
// Lines, without a byte-order mark. opt.Columns overrides the key aliases
// as for [Open], and opt.Warn receives the warning of Finish; opt.Format
// is ignored.
func NewJSONLChunkDecoder(name string, opt Options) (*JSONLChunkDecoder, error) {
	res, err := newResolver(opt.Columns)
	if err != nil {
		return nil, &ParseError{File: name, Err: err}
	}
	d := &JSONLChunkDecoder{name: name, res: res, warn: opt.Warn, linker: NewLinker(), max: opt.maxRecord()}
	d.pool.New = func() any { return newJSONLDecoder(res) }
	return d, nil
}

// MaxRecord returns the longest line the decoder takes, in bytes (0: no
// limit): the chunk cutter must replace a longer line with [TooLongLine].
func (d *JSONLChunkDecoder) MaxRecord() int { return d.max }

// TooLongLine returns the line a chunk cutter puts in place of a line of
// size bytes, longer than the record limit, that it did not keep: Decode
// turns it into the record's ErrTooLong error, at its line. It starts with
// a NUL byte, which no JSON line holds.
func TooLongLine(size int64) []byte {
	return fmt.Appendf(nil, "\x00too long %d\n", size)
}

// tooLongSize recognises a TooLongLine (without its newline).
func tooLongSize(b []byte) (int64, bool) {
	rest, ok := bytes.CutPrefix(b, []byte("\x00too long "))
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(string(rest), 10, 64)
	return n, err == nil
}

// Name returns the input's name.
func (d *JSONLChunkDecoder) Name() string { return d.name }

// Decode appends the records of chunk, a run of whole lines, to dst, in
// order. Blank lines give nothing. A bad record gives an item with Err: a
// line with a NUL byte (ErrNUL; binary input is told by its first block,
// in OpenJSONLChunks), or a [TooLongLine] marker (ErrTooLong), both
// skippable like any bad record. Line numbers in errors are counted from the chunk's first
// line until Order makes them absolute; comments have no ID, links nor
// Source until then. Decode is safe for concurrent use and does not retain
// chunk.
func (d *JSONLChunkDecoder) Decode(dst []ChunkItem, chunk []byte) []ChunkItem {
	dec := d.pool.Get().(*jsonlDecoder)
	defer d.pool.Put(dec)
	nul := bytes.IndexByte(chunk, 0) >= 0
	for line := 1; len(chunk) > 0; line++ {
		b := chunk
		if i := bytes.IndexByte(chunk, '\n'); i >= 0 {
			b, chunk = chunk[:i], chunk[i+1:]
		} else {
			chunk = nil
		}
		if nul {
			if size, ok := tooLongSize(b); ok {
				dst = append(dst, ChunkItem{line: line, Err: tooLongErr(d.name, line, size, d.max)})
				continue
			}
			if i := bytes.IndexByte(b, 0); i >= 0 {
				dst = append(dst, ChunkItem{line: line, Err: nulErr(d.name, line, i+1)})
				continue
			}
		}
		b = bytes.TrimSpace(b)
		if len(b) == 0 {
			continue
		}
		it := ChunkItem{line: line}
		if !utf8.Valid(b) {
			var st textStats
			b = []byte(st.clean(b, line))
			it.invalid = st.invalid
		}
		it.Comment, it.Err = dec.decode(b, d.name, line, false)
		dst = append(dst, it)
	}
	return dst
}

// Order finishes the items of a chunk, which Decode returned: chunks must
// come one at a time, in input order, each with all its items. It makes
// line numbers absolute (in errors and Source), gives the comments without
// an ID theirs (c1..cN, counting the comments of earlier chunks), and links
// replies (see [Linker]) across chunks. Items with Err are left for the
// caller to report or skip; they count for no ID. An item whose Err wraps
// ErrDeleted is a "[deleted]" or "[removed]" comment: the caller skips it
// silently; Order counts it (see [JSONLChunkDecoder.Deleted]) and Finish
// reports the count.
func (d *JSONLChunkDecoder) Order(items []ChunkItem, chunk []byte) {
	for i := range items {
		it := &items[i]
		if it.invalid > 0 {
			d.stats.invalid += it.invalid
			if d.stats.invalidAt == 0 {
				d.stats.invalidAt = d.lines + it.line
			}
		}
		if it.Err != nil {
			var pe *ParseError
			if errors.As(it.Err, &pe) && pe.Line > 0 {
				pe.Line += d.lines
			}
			if errors.Is(it.Err, ErrDeleted) {
				d.deleted++ // skipped and counted, not a bad record
			} else {
				d.bad++
			}
			continue
		}
		c := it.Comment
		c.Source = d.name + ":" + strconv.Itoa(d.lines+it.line)
		d.n++
		gen := 0
		if c.ID == "" {
			gen = d.n
			c.ID = "c" + strconv.Itoa(gen)
		}
		d.linker.link(c, gen)
	}
	d.lines += bytes.Count(chunk, []byte{'\n'})
}

// Finish ends the input, after the last chunk's Order: it sends the
// warnings, if any, to Options.Warn (invalid UTF-8 replaced, duplicate IDs,
// deleted comments skipped), as [Stream] does, and returns a *ParseError wrapping ErrEmpty when the input held no record
// at all, as [Stream] does at the end.
func (d *JSONLChunkDecoder) Finish() error {
	if d.warn != nil {
		if d.stats.invalid > 0 {
			d.warn(invalidWarning(d.name, &d.stats))
		}
		if w := d.linker.duplicateWarning(d.name); w != "" {
			d.warn(w)
		}
		if d.deleted > 0 {
			d.warn(DeletedWarning(d.name, d.deleted))
		}
	}
	switch {
	case d.n == 0 && d.bad == 0 && d.deleted > 0:
		return onlyDeletedErr(d.name, d.deleted)
	case d.n == 0 && d.bad == 0:
		return emptyErr(d.name)
	}
	return nil
}

// Deleted returns the number of deleted or removed comments skipped so far.
func (d *JSONLChunkDecoder) Deleted() int { return d.deleted }

// invalidWarning is the warning about the invalid UTF-8 bytes of input name.
func invalidWarning(name string, t *textStats) string {
	return fmt.Sprintf("%s: replaced %d invalid UTF-8 bytes with U+FFFD (first on line %d)", name, t.invalid, t.invalidAt)
}
