package comments

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// NYTReader reads a comment thread as copied from a New York Times article
// page: a title line, then "Mon D, YYYY · N comments", then for each comment
// a header line "Author (Location)" followed by the body, one or more lines,
// up to the next header:
//
//	Blocked in U.S., Huawei Touts ‘Shared Values’ to Compete in Europe
//
//	Dec 27, 2019 · 50 comments
//	Kai (Oatey)
//	"Huawei, he said, is completely independent..." This is of course funny...
//	Bill (Midwest US)
//	Mr Trump is China's greatest sales voice. ...
//
// A header is short, has no sentence punctuation before its parenthesis, and
// is followed by a body; of two header-like lines in a row, the first is the
// end of a body. Blank lines inside a body are kept as paragraph breaks.
// Page furniture copied along is skipped: Reply, Recommend, Share, Flag,
// "N Replies", "Show N replies", "Read more", timestamps ("Dec. 27, 2019",
// "3h ago"); "12 Recommend" and "NYT Pick"/"Times Pick" set Recommendations
// and EditorsPick of the comment they appear in (before its header, they
// apply to the next comment), and a full date sets Created. So are the
// thread's tabs: "Comments 50", "All", "Reader Picks", "NYT Picks", "Newest".
//
// A comment whose body is longer than MaxRecord, or has a NUL byte, is a
// bad record (a skippable *ParseError); its lines are skipped without being
// held in memory whole.
type NYTReader struct {
	// Warn, if set, receives a warning when the number of comments differs
	// from the count the page declares.
	Warn func(msg string)
	// MaxRecord is the longest body read, in bytes: DefaultMaxRecord
	// (16 MiB) as set by the constructor; 0 or negative means no
	// limit. Set it before the first Read.
	MaxRecord int

	file    string
	lr      *lineReader
	stats   textStats
	thread  Thread
	q       []nline
	eof     bool
	started bool
	count   int
	pend    furniture // furniture seen before the next header
	done    bool
}

type nline struct {
	s   string
	n   int
	bad *ParseError // a line too long or with a NUL byte (s is empty)
}

// NewNYTReader returns a reader of the NYT copied-page layout. name is used
// in errors and Source.
func NewNYTReader(name string, r io.Reader) *NYTReader {
	n := &NYTReader{file: name, MaxRecord: DefaultMaxRecord}
	n.lr = newLineReader(name, r, &n.stats)
	return n
}

// Thread returns the article's title, date and declared comment count, once
// the first Read has passed them.
func (n *NYTReader) Thread() Thread { return n.thread }

func (n *NYTReader) textStats() *textStats { return &n.stats }

// peek returns the i-th line ahead, reading as needed; false at EOF.
func (n *NYTReader) peek(i int) (nline, bool, error) {
	for len(n.q) <= i {
		if n.eof {
			return nline{}, false, nil
		}
		s, err := n.lr.next()
		if err == io.EOF {
			n.eof = true
			continue
		}
		if err != nil {
			if pe, ok := err.(*ParseError); ok && pe.Skippable {
				n.q = append(n.q, nline{n: n.lr.line, bad: pe})
				continue
			}
			return nline{}, false, err
		}
		if len(s) > 256 {
			// blank and furniture lines wait in the lookahead: keep them small
			if t := strings.TrimSpace(s); len(t) <= 48 {
				s = t
			}
		}
		n.q = append(n.q, nline{s: s, n: n.lr.line})
	}
	return n.q[i], true, nil
}

func (n *NYTReader) pop() { n.q = n.q[1:] }

// nextContent returns the index in the lookahead of the first line after
// position from that is neither blank nor furniture; false at EOF.
func (n *NYTReader) nextContent(from int) (int, bool, error) {
	for i := from; i < from+256; i++ {
		l, ok, err := n.peek(i)
		if err != nil || !ok {
			return 0, false, err
		}
		if l.bad != nil {
			return i, true, nil
		}
		if strings.TrimSpace(l.s) == "" {
			continue
		}
		if f := classifyFurniture(l.s); f.kind != furnNone {
			continue
		}
		return i, true, nil
	}
	return from, true, nil
}

func (n *NYTReader) preamble() error {
	n.started = true
	i, ok, err := n.nextContent(0)
	if err != nil {
		return err
	}
	if !ok {
		if n.lr.line == 0 {
			return &ParseError{File: n.file, Err: fmt.Errorf("%w: empty input", ErrEmpty)}
		}
		return &ParseError{File: n.file, Line: n.lr.line, Err: fmt.Errorf("%w: no comment in the input", ErrEmpty)}
	}
	first := n.q[i]
	if first.bad != nil {
		return nil // no title: Read reports the bad line
	}
	if d, cnt, ok := parseDateCount(first.s); ok {
		n.thread.Date, n.thread.Declared = d, cnt
		n.q = n.q[i+1:]
		return nil
	}
	if _, _, isHeader := parseHeader(first.s); isHeader {
		j, ok, err := n.nextContent(i + 1)
		if err != nil {
			return err
		}
		if ok {
			_, _, hdr := parseHeader(n.q[j].s)
			_, _, dc := parseDateCount(n.q[j].s)
			if !hdr && !dc {
				return nil // no title: the thread starts right away
			}
		}
	}
	n.thread.Title = strings.TrimSpace(first.s)
	n.q = n.q[i+1:]
	j, ok, err := n.nextContent(0)
	if err != nil || !ok {
		return err
	}
	if d, cnt, ok := parseDateCount(n.q[j].s); ok {
		n.thread.Date, n.thread.Declared = d, cnt
		n.q = n.q[j+1:]
	}
	return nil
}

// Read returns the next comment, or io.EOF after the last.
func (n *NYTReader) Read() (*Comment, error) {
	if n.done {
		return nil, io.EOF
	}
	n.lr.max = n.MaxRecord
	if !n.started {
		if err := n.preamble(); err != nil {
			n.done = true
			return nil, err
		}
	}
	c, line, err := n.header()
	if c == nil {
		return nil, err
	}
	if c.Text, err = n.body(c, line); err != nil {
		return nil, err
	}
	if strings.TrimSpace(c.Text) == "" {
		return nil, &ParseError{File: n.file, Line: line, Field: "text",
			Err: fmt.Errorf("%w: comment by %s has no body", ErrNoText, c.Author), Skippable: true}
	}
	return c, nil
}

// header reads up to the next comment's header line and returns the comment
// it starts, with the header's line number; page furniture before it
// applies to it. Without a comment it returns the error: a bad line or
// text outside any comment (both skippable), a read error, or the end of
// the stream (see finish).
func (n *NYTReader) header() (*Comment, int, error) {
	for {
		l, ok, err := n.peek(0)
		if err != nil {
			n.done = true
			return nil, 0, err
		}
		if !ok {
			return nil, 0, n.finish()
		}
		if l.bad != nil {
			// a line too long or with a NUL byte, outside any comment
			n.pop()
			return nil, 0, l.bad
		}
		if strings.TrimSpace(l.s) == "" {
			n.pop()
			continue
		}
		if f := classifyFurniture(l.s); f.kind != furnNone {
			n.pend.merge(f)
			n.pop()
			continue
		}
		name, loc, ok := parseHeader(l.s)
		if !ok {
			return nil, 0, n.skipOrphanText(l.n)
		}
		n.pop()
		n.count++
		c := &Comment{Author: name, Location: loc, Source: n.file + ":" + strconv.Itoa(l.n)}
		n.pend.apply(c)
		n.pend = furniture{}
		return c, l.n, nil
	}
}

// skipOrphanText skips text before any header, from line start up to the
// next header (or bad line, or the end), and returns the skippable error
// that reports it.
func (n *NYTReader) skipOrphanText(start int) error {
	for {
		n.pop()
		l, ok, err := n.peek(0)
		if err != nil {
			n.done = true
			return err
		}
		if !ok || l.bad != nil {
			break
		}
		if _, _, h := parseHeader(l.s); h {
			break
		}
	}
	return &ParseError{File: n.file, Line: start, Field: "author",
		Err: fmt.Errorf("text outside any comment: want a header line \"Author (Location)\""), Skippable: true}
}

// body reads the body of comment c, whose header is on line hline, up to
// the next header (a header-like line followed by a body, or by the end)
// and returns its text: lines joined by newlines, blank lines kept as one
// paragraph break, a one-line body not copied. Furniture inside it applies
// to c. Its first bad line, or its being longer than MaxRecord, makes it a
// bad record: the rest of the body is skipped, not held, and the error
// returned.
func (n *NYTReader) body(c *Comment, hline int) (string, error) {
	var body strings.Builder
	first := ""
	lines := 0
	blanks := 0
	size := int64(0)    // bytes of the body
	var bad *ParseError // the body's first bad line, or its being too long
	long := false       // bad is the body's being too long
	for {
		l, ok, err := n.peek(0)
		if err != nil {
			n.done = true
			return "", err
		}
		if !ok {
			break
		}
		s := l.s
		if l.bad != nil {
			if bad == nil {
				bad = l.bad
			}
			if lines == 0 {
				first = ""
			}
			lines++
			blanks = 0
			n.pop()
			continue
		}
		if strings.TrimSpace(s) == "" {
			if lines > 0 {
				blanks++
			}
			n.pop()
			continue
		}
		if f := classifyFurniture(s); f.kind != furnNone {
			f.apply(c)
			n.pop()
			continue
		}
		if lines > 0 {
			end, err := n.atNextHeader(s)
			if err != nil {
				return "", err
			}
			if end {
				break
			}
			size += int64(len(s)) + 2
			if bad == nil && n.MaxRecord > 0 && size > int64(n.MaxRecord) {
				bad = tooLongErr(n.file, hline, size, n.MaxRecord)
				long = true
				body.Reset()
			}
			if bad == nil {
				if lines == 1 {
					body.WriteString(first)
				}
				if blanks > 0 {
					body.WriteString("\n\n")
				} else {
					body.WriteByte('\n')
				}
				body.WriteString(strings.TrimRight(s, " \t"))
			}
		} else {
			first = strings.TrimRight(s, " \t")
			size = int64(len(first))
		}
		lines++
		blanks = 0
		n.pop()
	}
	switch {
	case bad != nil && long:
		return "", tooLongErr(bad.File, bad.Line, size, n.MaxRecord) // the whole body's size
	case bad != nil:
		return "", bad
	case lines > 1:
		return body.String(), nil
	}
	return first, nil
}

// atNextHeader reports whether s, the next line inside a body, is the header
// of the next comment: a header-like line followed by a body or by the end
// (of two header-like lines in a row, the first ends the body).
func (n *NYTReader) atNextHeader(s string) (bool, error) {
	if _, _, hdr := parseHeader(s); !hdr {
		return false, nil
	}
	j, ok, err := n.nextContent(1)
	if err != nil {
		n.done = true
		return false, err
	}
	if !ok {
		return true, nil
	}
	_, _, nextHdr := parseHeader(n.q[j].s)
	return !nextHdr, nil
}

// finish ends the stream: an error for a title without comments, a warning
// for a count that differs from the declared one.
func (n *NYTReader) finish() error {
	n.done = true
	if n.count == 0 {
		return &ParseError{File: n.file, Line: n.lr.line,
			Err: fmt.Errorf("%w: only a title, no comment header \"Author (Location)\"", ErrEmpty)}
	}
	if n.thread.Declared > 0 && n.count != n.thread.Declared && n.Warn != nil {
		n.Warn(fmt.Sprintf("%s: parsed %d comments, the page declares %d", n.file, n.count, n.thread.Declared))
	}
	return io.EOF
}

// headerStop lists lower-case words that mark a sentence rather than a name
// in a header-like line of more than three words.
var headerStop = map[string]bool{
	"i": true, "is": true, "was": true, "are": true, "were": true, "be": true, "the": true, "a": true,
	"an": true, "to": true, "in": true, "of": true, "and": true, "that": true, "this": true, "it": true,
	"we": true, "you": true, "my": true, "our": true, "they": true, "but": true, "not": true,
	"have": true, "has": true, "with": true, "for": true, "on": true, "as": true,
}

// parseHeader tells whether s looks like a comment header, and splits it.
func parseHeader(s string) (name, loc string, ok bool) {
	s = strings.TrimSpace(s)
	if len(s) < 4 || len(s) > 160 || s[len(s)-1] != ')' {
		return "", "", false
	}
	open := strings.LastIndex(s, " (")
	if open <= 0 {
		return "", "", false
	}
	name, loc = strings.TrimSpace(s[:open]), strings.TrimSpace(s[open+2:len(s)-1])
	if strings.ContainsAny(loc, "()") {
		return "", "", false
	}
	if name == "" || loc == "" || utf8.RuneCountInString(name) > 60 || utf8.RuneCountInString(loc) > 60 {
		return "", "", false
	}
	if strings.HasPrefix(name, "@") || strings.ContainsAny(name, "\"“”!?;()[]{}<>") || strings.ContainsAny(loc, "!?;\"“”") {
		return "", "", false
	}
	if last, _ := utf8.DecodeLastRuneInString(name); strings.ContainsRune(".,:;-–—", last) {
		return "", "", false
	}
	if last, _ := utf8.DecodeLastRuneInString(loc); last == '.' && !strings.Contains(loc, " ") && utf8.RuneCountInString(loc) > 4 {
		return "", "", false // "tyrant(s.)"-like endings are caught by the space rule; this catches "(etc.)"
	}
	words := strings.Fields(name)
	if len(words) > 6 || len(strings.Fields(loc)) > 8 {
		return "", "", false
	}
	stops := 0
	for _, w := range words {
		if strings.HasSuffix(w, ".") && utf8.RuneCountInString(w) > 4 {
			return "", "", false // "good." ends a sentence; "Dr." "Jr." do not
		}
		if strings.HasSuffix(w, ",") || strings.HasSuffix(w, ":") {
			return "", "", false
		}
		if headerStop[strings.ToLower(w)] {
			stops++
		}
	}
	if len(words) > 3 && stops > 0 {
		return "", "", false
	}
	return name, loc, true
}

// dateCountRE matches "Dec 27, 2019 · 50 comments".
var dateCountRE = regexp.MustCompile(`(?i)^(.*?)\s*[·•|]\s*([\d,]+)\s+comments?$`)

func parseDateCount(s string) (time.Time, int, bool) {
	m := dateCountRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return time.Time{}, 0, false
	}
	n, err := strconv.Atoi(strings.ReplaceAll(m[2], ",", ""))
	if err != nil {
		return time.Time{}, 0, false
	}
	d, _ := parseDate(m[1])
	return d, n, true
}

var dateLayouts = []string{"Jan 2, 2006", "January 2, 2006", "Jan 2 2006", "2006-01-02"}

// parseDate reads the page's dates: "Dec 27, 2019", "Dec. 27, 2019", "Sept. 3, 2019".
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(strings.Replace(s, ".", "", 1))
	s = strings.Replace(s, "Sept ", "Sep ", 1)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

type furnKind int

const (
	furnNone furnKind = iota
	furnSkip
	furnRecommend
	furnPick
	furnTime
)

// furniture is one or more page-furniture lines and what they tell.
type furniture struct {
	kind    furnKind
	recs    int
	pick    bool
	created time.Time
}

func (f *furniture) merge(g furniture) {
	if g.kind == furnRecommend {
		f.recs = g.recs
	}
	if g.pick {
		f.pick = true
	}
	if !g.created.IsZero() {
		f.created = g.created
	}
	if g.kind != furnNone {
		f.kind = g.kind
	}
}

func (f furniture) apply(c *Comment) {
	if f.kind == furnRecommend || f.recs > 0 {
		c.Recommendations = f.recs
	}
	if f.pick {
		c.EditorsPick = true
	}
	if !f.created.IsZero() {
		c.Created = f.created
	}
}

var (
	furnSkipRE = regexp.MustCompile(`(?i)^(reply|recommend|recommended|share|flag|report|read more|see more|show more|collapse|expand|load more|` +
		`([\d,]+\s+)repl(y|ies)|(show|hide|view|see)\s+(all\s+)?([\d,]+\s+)?(more\s+)?(repl(y|ies)|comments?)|` +
		`\d+\s*(s|m|h|d|w|mo|y|mins?|minutes?|hrs?|hours?|days?|weeks?|months?|years?)\s+ago|just now|yesterday|today|` +
		`comments(\s+[\d,]+)?|[\d,]+\s+comments|all|newest|oldest|reader picks|nyt picks|times picks)$`)
	furnRecRE  = regexp.MustCompile(`(?i)^(?:([\d,]+)\s+recommend(?:s|ed|ations)?|recommend(?:ed)?\s+([\d,]+))$`)
	furnPickRE = regexp.MustCompile(`(?i)^(nyt|times|editors'?)\s+pick$`)
	furnTimeRE = regexp.MustCompile(`(?i)^((?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4})(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?$`)
)

// classifyFurniture tells whether a line is page furniture, and what it says.
func classifyFurniture(s string) furniture {
	s = strings.TrimSpace(s)
	if len(s) == 0 || len(s) > 48 || s[len(s)-1] == ')' || s[len(s)-1] == '.' && !strings.HasSuffix(s, "m.") {
		return furniture{}
	}
	r, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
		return furniture{}
	}
	if m := furnRecRE.FindStringSubmatch(s); m != nil {
		v := m[1] + m[2]
		n, _ := strconv.Atoi(strings.ReplaceAll(v, ",", ""))
		return furniture{kind: furnRecommend, recs: n}
	}
	if furnPickRE.MatchString(s) {
		return furniture{kind: furnPick, pick: true}
	}
	if m := furnTimeRE.FindStringSubmatch(s); m != nil {
		t, _ := parseDate(m[1])
		return furniture{kind: furnTime, created: t}
	}
	if furnSkipRE.MatchString(s) {
		return furniture{kind: furnSkip}
	}
	return furniture{}
}
