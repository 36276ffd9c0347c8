package comments

import (
	"io"
	"strconv"
	"strings"
)

// LinesReader reads plain text with one comment per line, so that any
// line-oriented corpus can be scored. Blank lines are skipped. Comments
// have no author; IDs are assigned by [Open]. A line longer than MaxRecord,
// or with a NUL byte, is a bad record (a skippable *ParseError), skipped
// without being held in memory whole.
type LinesReader struct {
	// MaxRecord is the longest line read, in bytes: DefaultMaxRecord
	// (16 MiB) as set by the constructor; 0 or negative means no
	// limit. Set it before the first Read.
	MaxRecord int

	file  string
	lr    *lineReader
	stats textStats
}

// NewLinesReader returns a reader of one-comment-per-line text. name is used
// in errors and Source.
func NewLinesReader(name string, r io.Reader) *LinesReader {
	l := &LinesReader{file: name, MaxRecord: DefaultMaxRecord}
	l.lr = newLineReader(name, r, &l.stats)
	return l
}

// Read returns the next comment, or io.EOF after the last.
func (l *LinesReader) Read() (*Comment, error) {
	l.lr.max = l.MaxRecord
	for {
		s, err := l.lr.next()
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(s) == "" {
			continue
		}
		return &Comment{Text: s, Source: l.file + ":" + strconv.Itoa(l.lr.line)}, nil
	}
}

func (l *LinesReader) textStats() *textStats { return &l.stats }
