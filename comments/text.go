package comments

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// textStats counts what the readers repaired in otherwise good text.
type textStats struct {
	// invalid is the number of invalid UTF-8 bytes replaced with U+FFFD.
	invalid int
	// invalidAt is the line of the first replacement.
	invalidAt int
}

// clean returns b as a string with every invalid UTF-8 byte replaced by
// U+FFFD, counting the replacements.
func (s *textStats) clean(b []byte, line int) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) + 8)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 {
			s.invalid++
			if s.invalidAt == 0 {
				s.invalidAt = line
			}
		}
		sb.WriteRune(r)
		b = b[n:]
	}
	return sb.String()
}

// cleanString is clean for strings.
func (s *textStats) cleanString(v string, line int) string {
	if utf8.ValidString(v) {
		return v
	}
	return s.clean([]byte(v), line)
}

// guard is an io.Reader that fails at the first NUL byte, naming its line,
// for the NYT API reader: the response is one JSON document, which cannot
// be read past it.
type guard struct {
	r     io.Reader
	file  string
	lines int // newlines seen so far
	err   error
}

// Read passes the bytes before a NUL on, then fails.
func (g *guard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(p)
	if i := bytes.IndexByte(p[:n], 0); i >= 0 {
		// end the good part at its last newline, so no line is cut
		i = bytes.LastIndexByte(p[:i], '\n') + 1
		line := g.lines + bytes.Count(p[:i], []byte{'\n'}) + 1
		g.lines += bytes.Count(p[:i], []byte{'\n'})
		g.err = &ParseError{File: g.file, Line: line, Err: fmt.Errorf("%w: the JSON document cannot be read past it", ErrNUL)}
		if i == 0 {
			return 0, g.err
		}
		return i, nil
	}
	g.lines += bytes.Count(p[:n], []byte{'\n'})
	return n, err
}

// lineReader returns lines without their "\n" or "\r\n". A line longer
// than max bytes (when max > 0) is discarded up to its newline without
// being held in memory, and gives a skippable *ParseError wrapping
// ErrTooLong; a line with a NUL byte gives one wrapping ErrNUL. Either way
// the next call goes on with the next line.
type lineReader struct {
	br    *bufio.Reader
	file  string
	line  int  // number of the last line returned
	max   int  // longest line returned, in bytes; <= 0: no limit
	nul   bool // lines with a NUL byte are errors
	buf   []byte
	stats *textStats
}

func newLineReader(file string, r io.Reader, stats *textStats) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 64<<10), file: file, max: DefaultMaxRecord, nul: true, stats: stats}
}

// next returns the next line, or io.EOF after the last one, with invalid
// UTF-8 repaired.
func (l *lineReader) next() (string, error) {
	b, err := l.nextBytes()
	if err != nil {
		return "", err
	}
	return l.stats.clean(b, l.line), nil
}

// nextBytes is next without the UTF-8 repair; the slice is valid until the
// next call.
func (l *lineReader) nextBytes() ([]byte, error) {
	if cap(l.buf) > 4<<20 {
		l.buf = nil // do not keep a huge line's buffer around
	}
	l.buf = l.buf[:0]
	for {
		chunk, err := l.br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			if l.max > 0 && len(l.buf)+len(chunk) > l.max {
				return nil, l.discard(int64(len(l.buf) + len(chunk)))
			}
			l.buf = append(l.buf, chunk...)
			continue
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		if err == io.EOF && len(chunk) == 0 && len(l.buf) == 0 {
			return nil, io.EOF
		}
		var b []byte
		if len(l.buf) == 0 {
			b = chunk // no copy in the common case
		} else {
			l.buf = append(l.buf, chunk...)
			b = l.buf
		}
		l.line++
		b = bytes.TrimSuffix(b, []byte{'\n'})
		b = bytes.TrimSuffix(b, []byte{'\r'})
		if l.max > 0 && len(b) > l.max {
			return nil, tooLongErr(l.file, l.line, int64(len(b)), l.max)
		}
		if l.nul {
			if i := bytes.IndexByte(b, 0); i >= 0 {
				return nil, nulErr(l.file, l.line, i+1)
			}
		}
		return b, nil
	}
}

// discard skips the rest of a line longer than the limit, of which n bytes
// are read, counting its bytes, and returns its error.
func (l *lineReader) discard(n int64) error {
	l.buf = l.buf[:0]
	for {
		chunk, err := l.br.ReadSlice('\n')
		n += int64(len(chunk))
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && err != io.EOF {
			return err
		}
		l.line++
		if bytes.HasSuffix(chunk, []byte{'\n'}) {
			n--
			if bytes.HasSuffix(chunk, []byte("\r\n")) {
				n--
			}
		}
		return tooLongErr(l.file, l.line, n, l.max)
	}
}
