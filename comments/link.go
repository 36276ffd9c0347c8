package comments

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNameLen bounds the length in bytes of an @name looked up among authors.
const maxNameLen = 80

// maxDepthIDs bounds the IDs whose depth a Linker remembers within one
// thread, so that a dump without thread keys cannot grow it without end:
// past it the linker starts over, and a reply to a forgotten parent gets
// the source's depth, or 1.
const maxDepthIDs = 1 << 17

// Linker ties replies to their parents within one thread at a time. A
// source parent ID wins; else a body beginning with "@Name" replies to the
// most recent earlier comment whose author is Name (ignoring case; the
// longest matching name wins). An @name that matches no earlier author is
// kept in ReplyTo with no parent. Depth is the parent's depth plus one.
//
// When a comment's ThreadID differs from the previous comment's, the linker
// forgets the previous thread, so its memory grows with the authors of one
// thread, not with the input.
type Linker struct {
	thread  string
	authors map[string]authorRef // lower-cased author -> latest comment
	depths  map[string]int       // comment ID -> depth
}

type authorRef struct {
	id    string
	depth int
}

// NewLinker returns an empty Linker.
func NewLinker() *Linker {
	return &Linker{authors: map[string]authorRef{}, depths: map[string]int{}}
}

// Link sets c's ReplyTo, ParentID and Depth, then remembers c. c must have
// its ID set.
func (l *Linker) Link(c *Comment) {
	if c.ThreadID != l.thread {
		l.thread = c.ThreadID
		clear(l.authors)
		clear(l.depths)
	}
	srcDepth := c.Depth
	c.ReplyTo = ""
	name, ref, matched := l.match(c.Text)
	c.ReplyTo = name
	switch {
	case c.ParentID != "":
		if d, ok := l.depths[c.ParentID]; ok {
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
	if c.ID != "" {
		if len(l.depths) >= maxDepthIDs {
			clear(l.depths)
		}
		l.depths[c.ID] = c.Depth
	}
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
