package comments

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNameLen bounds the length in bytes of an @name looked up among authors.
const maxNameLen = 80

// depthIDs bounds the source IDs whose depth a Linker remembers within one
// thread, so that a dump without thread keys cannot grow it without end.
// The IDs are kept in two generations: when the newer holds depthIDs, it
// becomes the older and the older is dropped. So the linker remembers the
// latest depthIDs IDs at least, 2*depthIDs at most (a few MB). A reply to
// a parent it has forgotten (more than depthIDs comments earlier in the
// same thread) still gets its parent ID, with the source's depth, or 1.
const depthIDs = 1 << 15

// genRing is how many made-up IDs (c1..cN) a Linker remembers the depth of,
// for the rare source parent that names one.
const genRing = 1 << 12

// Linker ties replies to their parents within one thread at a time. A
// source parent ID wins; else a body beginning with "@Name" replies to the
// most recent earlier comment whose author is Name (ignoring case; the
// longest matching name wins). An @name that matches no earlier author is
// kept in ReplyTo with no parent. Depth is the parent's depth plus one.
// A source parent equal to the comment's own ID is dropped.
//
// When a comment's ThreadID differs from the previous comment's, the linker
// forgets the previous thread, so its memory grows with the authors of one
// thread (and the source IDs it uses), not with the input.
type Linker struct {
	thread  string
	epoch   int                  // thread changes, to invalidate gen
	seq     int                  // comments linked
	authors map[string]authorRef // lower-cased author -> latest comment
	depths  map[string]idRef     // source comment ID -> depth, newer generation
	olds    map[string]idRef     // older generation of depths
	gen     []genRef             // made-up IDs, by number modulo genRing
}

type authorRef struct {
	id    string
	depth int
}

type idRef struct {
	depth, seq int
}

type genRef struct {
	n, epoch, depth, seq int
}

// NewLinker returns an empty Linker.
func NewLinker() *Linker {
	return &Linker{authors: map[string]authorRef{}, depths: map[string]idRef{}, olds: map[string]idRef{}}
}

// Link sets c's ReplyTo, ParentID and Depth, then remembers c. c must have
// its ID set.
func (l *Linker) Link(c *Comment) { l.link(c, 0) }

// link is Link for a comment whose ID is made up as "c"+gen when gen > 0:
// its depth goes to a small ring instead of the ID map, so that input
// without IDs keeps the linker's memory flat.
func (l *Linker) link(c *Comment, gen int) {
	if c.ThreadID != l.thread {
		l.thread = c.ThreadID
		l.epoch++
		clear(l.authors)
		clear(l.depths)
		clear(l.olds)
	}
	l.seq++
	srcDepth := c.Depth
	name, ref, matched := l.match(c.Text)
	c.ReplyTo = name
	if c.ParentID == c.ID {
		// A comment cannot answer itself: a source parent equal to the
		// comment's own ID is no parent.
		c.ParentID = ""
	}
	switch {
	case c.ParentID != "":
		if d, ok := l.depthOf(c.ParentID); ok {
			c.Depth = d + 1
		} else {
			c.Depth = max(1, srcDepth)
		}
	case matched:
		c.ParentID = ref.id
		c.Depth = ref.depth + 1
	default:
		c.Depth = 0
	}
	if c.Author != "" {
		l.authors[strings.ToLower(c.Author)] = authorRef{c.ID, c.Depth}
	}
	switch {
	case gen > 0:
		if l.gen == nil {
			l.gen = make([]genRef, genRing)
		}
		l.gen[gen%genRing] = genRef{gen, l.epoch, c.Depth, l.seq}
	case c.ID != "":
		if len(l.depths) >= depthIDs {
			l.depths, l.olds = l.olds, l.depths
			clear(l.depths)
		}
		l.depths[c.ID] = idRef{c.Depth, l.seq}
	}
}

// depthOf returns the depth of the latest comment with ID id in the thread.
func (l *Linker) depthOf(id string) (int, bool) {
	d, ok := l.depths[id]
	if !ok {
		d, ok = l.olds[id]
	}
	if l.gen != nil && len(id) > 1 && id[0] == 'c' {
		if n, err := strconv.Atoi(id[1:]); err == nil && n > 0 && "c"+strconv.Itoa(n) == id {
			if g := l.gen[n%genRing]; g.n == n && g.epoch == l.epoch && (!ok || g.seq > d.seq) {
				return g.depth, true
			}
		}
	}
	return d.depth, ok
}

// match reads a leading "@Name" of text. It returns the name as written,
// and the latest comment of the longest matching author, if any.
func (l *Linker) match(text string) (string, authorRef, bool) {
	s := strings.TrimLeft(text, " \t")
	if !strings.HasPrefix(s, "@") {
		return "", authorRef{}, false
	}
	s = s[1:]
	// candidate ends: every rune boundary followed by a non-name rune
	limit := min(len(s), maxNameLen)
	for limit < len(s) && !utf8.RuneStart(s[limit]) {
		limit++
	}
	low := strings.ToLower(s[:limit])
	sameLen := len(low) == limit // lower-casing kept the byte offsets
	best := -1
	var ref authorRef
	for i := 0; i < limit; {
		_, n := utf8.DecodeRuneInString(s[i:])
		i += n
		var next rune = ' '
		if i < len(s) {
			next, _ = utf8.DecodeRuneInString(s[i:])
		}
		if unicode.IsLetter(next) || unicode.IsDigit(next) || next == '_' {
			continue
		}
		key := ""
		if sameLen {
			key = low[:i]
		} else {
			key = strings.ToLower(s[:i])
		}
		if a, ok := l.authors[key]; ok {
			best, ref = i, a
		}
	}
	if best > 0 {
		return s[:best], ref, true
	}
	// no author: the name is the first word
	end := 0
	for end < len(s) {
		r, n := utf8.DecodeRuneInString(s[end:])
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' || r == '.' || r == '\'') {
			break
		}
		end += n
	}
	name := strings.TrimRight(s[:end], ".-'")
	return name, authorRef{}, false
}
