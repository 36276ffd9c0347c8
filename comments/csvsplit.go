package comments

import (
	"bufio"
	"bytes"
	"io"
)

// csvSplitter passes a CSV input on to encoding/csv one record at a time,
// leaving out the records longer than max bytes (when max > 0) and those
// with a NUL byte. A left-out record is never held in memory whole: its
// bytes are counted as they are skipped, and it is queued in bad for the
// CSVReader to report in order, and to correct csv's line numbers, which
// do not count its lines.
//
// Records end where encoding/csv ends them: at a newline outside a quoted
// field, or at the end of the line of a quote error (without LazyQuotes).
type csvSplitter struct {
	br      *bufio.Reader
	comma   byte
	lazy    bool
	max     int
	line    int      // lines read so far
	dropped int      // lines of the records left out so far
	out     []byte   // bytes of the current record not yet passed on
	rec     []byte   // the current record, when it spans several reads
	bad     []csvBad // left-out records, in input order
	err     error    // the input's error (io.EOF at its end)
}

// csvBad is a record the splitter left out.
type csvBad struct {
	line   int   // its first line
	csvPos int   // the line csv gives the record after it (csv does not count left-out lines)
	lines  int   // its lines
	size   int64 // its bytes
	nul    int   // its line with a NUL byte; 0 for none
	col    int   // the column of the NUL byte
}

// States of the record scanner, named after what was read last.
const (
	csvFieldStart = iota // a field starts (unquoted so far)
	csvUnquoted          // in an unquoted field
	csvQuoted            // in a quoted field
	csvQuote             // a quote in a quoted field: its end, or half of ""
	csvQuoteCR           // a quote and a carriage return
	csvBadQuote          // a quote error: the record ends with the line
	csvEnd               // the record has ended
)

func newCSVSplitter(r io.Reader, comma rune, lazy bool, max int) *csvSplitter {
	return &csvSplitter{br: bufio.NewReaderSize(r, 64<<10), comma: byte(comma), lazy: lazy, max: max}
}

// Read passes on the input, record by record.
func (s *csvSplitter) Read(p []byte) (int, error) {
	for {
		if len(s.out) > 0 {
			n := copy(p, s.out)
			s.out = s.out[n:]
			return n, nil
		}
		if s.err != nil {
			return 0, s.err
		}
		s.next()
	}
}

// next reads the next record into out, or queues it in bad.
func (s *csvSplitter) next() {
	start := s.line + 1
	st := csvFieldStart
	var size int64
	nul, col, lines := 0, 0, 0
	over := false
	if cap(s.rec) > 4<<20 {
		s.rec = nil // do not keep a huge record's buffer around
	}
	s.rec = s.rec[:0]
	for {
		chunk, err := s.br.ReadSlice('\n')
		if nul == 0 {
			if i := bytes.IndexByte(chunk, 0); i >= 0 {
				nul, col = s.line+lines+1, i+1
				if len(s.rec) > 0 && lines == 0 {
					col += len(s.rec) // the line started in an earlier read
				}
			}
		}
		st = s.scan(st, chunk)
		size += int64(len(chunk))
		if len(chunk) > 0 && chunk[len(chunk)-1] == '\n' {
			lines++
		}
		if !over && s.max > 0 && size > int64(s.max) {
			over = true
			s.rec = s.rec[:0]
		}
		if err != nil && err != bufio.ErrBufferFull {
			s.err = err
			if err != io.EOF {
				// a read error: what was read of the record goes on
				s.line += lines
				if !over && nul == 0 {
					s.out = append(s.rec, chunk...)
				}
				return
			}
		}
		ended := st == csvEnd || s.err != nil
		if !over && nul == 0 {
			if ended && len(s.rec) == 0 {
				s.out = chunk // no copy in the common case; valid until the next read
			} else {
				s.rec = append(s.rec, chunk...)
				if ended {
					s.out = s.rec
				}
			}
		}
		if !ended {
			if (over || nul > 0) && st == csvQuoted {
				k := s.skipQuoted()
				size += k.bytes
				lines += k.lines
			}
			continue
		}
		s.line += lines
		if over || nul > 0 {
			s.out = nil
			s.bad = append(s.bad, csvBad{line: start, csvPos: start - s.dropped, lines: lines, size: size, nul: nul, col: col})
			s.dropped += lines
		}
		return
	}
}

// skipped counts what skipQuoted skipped.
type skipped struct {
	bytes int64
	lines int
}

// skipQuoted skips the bytes of a left-out record's quoted field up to its
// next quote, in bulk (a field of many short lines is skipped as fast as a
// long line).
func (s *csvSplitter) skipQuoted() skipped {
	var k skipped
	for {
		if s.br.Buffered() == 0 {
			if _, err := s.br.Peek(1); err != nil {
				return k // ReadSlice meets the error again
			}
		}
		buf, _ := s.br.Peek(s.br.Buffered())
		j := bytes.IndexByte(buf, '"')
		n := len(buf)
		if j >= 0 {
			n = j
		}
		k.bytes += int64(n)
		k.lines += bytes.Count(buf[:n], []byte{'\n'})
		s.br.Discard(n)
		if j >= 0 {
			return k
		}
	}
}

// scan runs the record scanner from state st over b, a read that ends at a
// newline (or at a full buffer, or at the end of the input), and returns
// the state it ends in.
func (s *csvSplitter) scan(st int, b []byte) int {
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch st {
		case csvFieldStart, csvUnquoted:
			if st == csvFieldStart && c == '"' {
				st = csvQuoted
				continue
			}
			// the rest of an unquoted field
			j := i
			for j < len(b) && b[j] != s.comma && b[j] != '\n' && b[j] != '"' {
				j++
			}
			if j == len(b) {
				if j > i {
					return csvUnquoted
				}
				return st
			}
			i = j
			switch b[j] {
			case '\n':
				return csvEnd
			case '"':
				if !s.lazy {
					st = csvBadQuote
				} else {
					st = csvUnquoted
				}
			default:
				st = csvFieldStart
			}
		case csvQuoted:
			j := bytes.IndexByte(b[i:], '"')
			if j < 0 {
				return csvQuoted
			}
			i += j
			st = csvQuote
		case csvQuote:
			switch {
			case c == '"':
				st = csvQuoted
			case c == s.comma:
				st = csvFieldStart
			case c == '\n':
				return csvEnd
			case c == '\r':
				st = csvQuoteCR
			case s.lazy:
				st = csvQuoted
			default:
				st = csvBadQuote
			}
		case csvQuoteCR:
			switch {
			case c == '\n':
				return csvEnd
			case s.lazy:
				st = csvQuoted
				i-- // read c again, in the quoted field
			default:
				st = csvBadQuote
				i--
			}
		case csvBadQuote:
			if bytes.IndexByte(b[i:], '\n') >= 0 {
				return csvEnd
			}
			return csvBadQuote
		}
	}
	return st
}
