package comments

import (
	"fmt"
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
// latest depthIDs IDs of a thread at least, 2*depthIDs at most. A reply to
// a parent it has forgotten (more than depthIDs comments earlier in the
// same thread) still gets its parent ID, with the source's depth, or 1.
// The authors of a thread are kept the same way, depthIDs per generation.
const depthIDs = 1 << 15

// threadCost is what a thread counts for in maxRemembered besides its IDs
// and authors: its state and the smallest maps weigh about as much as
// threadCost entries.
const threadCost = 4

// maxRemembered bounds what a Linker remembers over all threads: the IDs
// and authors of every thread it keeps, plus threadCost for each thread
// (so some 30,000 threads of a comment or two at most). When it
// is passed, the threads used least recently are forgotten whole (never
// the current one). 4*depthIDs is what one thread can hold, so a dump
// without thread keys keeps its whole window. It is a few tens of MB at
// most (TestLinkerMemoryBound).
const maxRemembered = 4 * depthIDs

// ownerSlots is the size of the table of the threads of recent IDs: a hash
// table of one slot a bucket, the latest ID taking it (2 MiB). It is only
// written to per comment, so that it costs next to nothing; an ID drops out
// of it when a later one takes its slot: at d comments back, with a
// probability of about d/262144. Then a parent in another thread is taken
// for a forgotten one, and kept.
const ownerSlots = 1 << 18

// ownerSlot says that the latest comment whose ID hashes to a value with
// the high 32 bits tag (0: none) was in the thread whose serial has the low
// 32 bits tser.
type ownerSlot struct {
	tag, tser uint32
}

// genRing is how many made-up IDs (c1..cN) a Linker remembers the depth of,
// for the rare source parent that names one.
const genRing = 1 << 12

// Linker ties replies to their parents within their thread. A source parent
// ID wins; else a body beginning with "@Name" replies to the most recent
// earlier comment of the same thread whose author is Name (ignoring case;
// the longest matching name wins). An @name that matches no earlier author
// is kept in ReplyTo with no parent. Depth is the parent's depth plus one.
// A source parent equal to the comment's own ID is dropped.
//
// Threads are told by Comment.ThreadID ("" is a thread too), and may
// interleave, as in a Reddit dump in time order: the linker keeps the state
// of each thread apart, and links nothing across threads. A source parent
// ID that is not in the comment's thread but is the ID of a comment the
// linker remembers in another thread is dropped (the comment becomes top
// level, or answers its @name); one it does not know at all (forgotten,
// later in the input, or, rarely, out of its table of recent IDs' threads:
// see ownerSlots) is kept, with the source's depth, or 1. Either way the
// depth never comes from another thread. Consumers that look parents up by
// ID should key them by thread and ID.
//
// Memory is bounded whatever the input: per thread, the latest depthIDs
// IDs and authors at least (two generations, see depthIDs); over all
// threads, maxRemembered entries, forgetting the threads used least
// recently. A reply to a forgotten thread's comment keeps its source parent
// ID with the source's depth; an @name reply to a forgotten author is not
// linked.
//
// Link also tells duplicates: a source ID already given to a remembered
// comment of the same thread (see [Linker.Duplicates]).
//
// A Linker is not safe for concurrent use.
type Linker struct {
	cur      *threadState
	threads  map[string]*threadState
	bySerial map[uint32]*threadState // by the low 32 bits of the serial
	lru      threadState             // sentinel of the list of threads, most recent first
	total    int                     // entries remembered over all threads
	serial   uint64                  // threads created
	seq      int                     // comments linked
	gen      []genRef                // made-up IDs, by number modulo genRing
	// owner tells the thread of the latest comments with a source ID, when
	// the input has thread keys, so that a parent in another thread is told
	// from one forgotten (see ownerSlots).
	owner []ownerSlot

	dups     int      // duplicate IDs seen
	dupFirst []string // the first few, "source (ID)"
}

// threadState is what a Linker remembers of one thread.
type threadState struct {
	key    string
	serial uint64
	// The maps are keyed by the 64-bit hash of the lower-cased author or
	// of the ID (idHash), not by the strings: they hold no pointers but
	// the IDs of the authors' comments, so that the garbage collector
	// need not go through them. (Two names or IDs of a thread with the
	// same hash would be taken for one.)
	authors    generations[authorRef] // lower-cased author -> latest comment
	depths     generations[idRef]     // source comment ID -> depth
	size       int                    // entries, for Linker.total: threadCost + authors + IDs
	prev, next *threadState
}

// generations is a map from hashes kept in two generations (see depthIDs):
// when the newer holds depthIDs entries, it becomes the older and the
// older, emptied, the newer.
type generations[V any] struct {
	cur, old map[uint64]V
}

// get returns the value of h, from the newer generation first.
func (g *generations[V]) get(h uint64) (V, bool) {
	if v, ok := g.cur[h]; ok {
		return v, true
	}
	v, ok := g.old[h]
	return v, ok
}

// put sets the value of h in the newer generation, turning the generations
// first if it is full. It returns the change in the number of entries, and
// whether h was in the newer generation already (before any turn).
func (g *generations[V]) put(h uint64, v V) (delta int, had bool) {
	if g.cur == nil {
		g.cur = make(map[uint64]V, 8)
	}
	if len(g.cur) >= depthIDs {
		delta = -len(g.old)
		g.cur, g.old = g.old, g.cur
		if g.cur == nil {
			g.cur = make(map[uint64]V, 8)
		}
		clear(g.cur)
	}
	n := len(g.cur)
	g.cur[h] = v
	if len(g.cur) > n {
		return delta + 1, false
	}
	return delta, true
}

type authorRef struct {
	id    string
	depth int
}

type idRef struct {
	depth, seq int
}

type genRef struct {
	n     int
	tser  uint64
	depth int
	seq   int
}

// NewLinker returns an empty Linker.
func NewLinker() *Linker {
	l := &Linker{threads: map[string]*threadState{}, bySerial: map[uint32]*threadState{}}
	l.lru.next, l.lru.prev = &l.lru, &l.lru
	return l
}

// Link sets c's ReplyTo, ParentID and Depth, then remembers c. c must have
// its ID set.
func (l *Linker) Link(c *Comment) { l.link(c, 0) }

// Duplicates returns how many linked comments had a source ID already given
// to an earlier comment of the same thread that the linker still
// remembered (see [Linker] for how much it remembers): duplicates further
// apart are not seen.
func (l *Linker) Duplicates() int { return l.dups }

// thread returns the state of thread key, made current and most recent.
func (l *Linker) thread(key string) *threadState {
	if t := l.cur; t != nil && t.key == key {
		return t
	}
	t := l.threads[key]
	if t == nil {
		l.serial++
		t = &threadState{key: strings.Clone(key), serial: l.serial, size: threadCost}
		l.threads[t.key] = t
		l.bySerial[uint32(t.serial)] = t
		l.total += threadCost
	} else {
		t.prev.next, t.next.prev = t.next, t.prev // unlink
	}
	t.next, t.prev = l.lru.next, &l.lru
	l.lru.next.prev = t
	l.lru.next = t
	l.cur = t
	l.evict()
	return t
}

// evict forgets the threads used least recently while the linker remembers
// more than maxRemembered entries, never the current thread.
func (l *Linker) evict() {
	for l.total > maxRemembered {
		t := l.lru.prev
		if t == &l.lru || t == l.cur {
			return
		}
		t.prev.next, t.next.prev = t.next, t.prev
		t.prev, t.next = nil, nil
		delete(l.threads, t.key)
		delete(l.bySerial, uint32(t.serial))
		l.total -= t.size
	}
}

// grow accounts for n entries more (or fewer) in thread t.
func (l *Linker) grow(t *threadState, n int) {
	t.size += n
	l.total += n
	if n > 0 {
		l.evict()
	}
}

// link is Link for a comment whose ID is made up as "c"+gen when gen > 0:
// its depth goes to a small ring instead of the ID map, so that input
// without IDs keeps the linker's memory flat. It reports whether c's source
// ID is a duplicate within its thread.
func (l *Linker) link(c *Comment, gen int) bool {
	t := l.thread(c.ThreadID)
	l.seq++
	srcDepth := c.Depth
	name, ref, matched := l.match(t, c.Text)
	c.ReplyTo = name
	if c.ParentID == c.ID {
		// A comment cannot answer itself: a source parent equal to the
		// comment's own ID is no parent.
		c.ParentID = ""
	}
	if c.ParentID != "" {
		if d, ok := l.depthOf(t, c.ParentID); ok {
			c.Depth = d + 1
		} else if l.elsewhere(t, idHash(c.ParentID)) {
			// a parent in another thread: no link across threads
			c.ParentID = ""
		} else {
			c.Depth = max(1, srcDepth)
		}
	}
	switch {
	case c.ParentID != "":
	case matched:
		c.ParentID = ref.id
		c.Depth = ref.depth + 1
	default:
		c.Depth = 0
	}
	if c.Author != "" {
		if delta, _ := t.authors.put(lowerHash(c.Author), authorRef{c.ID, c.Depth}); delta != 0 {
			l.grow(t, delta)
		}
	}
	dup := false
	switch {
	case gen > 0:
		if l.gen == nil {
			l.gen = make([]genRef, genRing)
		}
		l.gen[gen%genRing] = genRef{gen, t.serial, c.Depth, l.seq}
	case c.ID != "":
		h := idHash(c.ID)
		delta, had := t.depths.put(h, idRef{c.Depth, l.seq})
		if delta != 0 {
			l.grow(t, delta)
		}
		if dup = had; !had && len(t.depths.old) > 0 {
			_, dup = t.depths.old[h] // the ID was there already, one generation back
		}
		if len(l.threads) > 1 || t.key != "" {
			l.own(t, h)
		}
	}
	if dup {
		l.dups++
		if len(l.dupFirst) < 3 {
			where := c.Source
			if where == "" {
				where = "comment " + strconv.Itoa(l.seq)
			}
			l.dupFirst = append(l.dupFirst, where+" ("+strconv.Quote(c.ID)+")")
		}
	}
	return dup
}

// FNV-1a, fixed, so that what the linker forgets does not vary from run
// to run: idHash hashes an ID, lowerHash a name lower-cased.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func idHash(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// lowerHash is idHash(strings.ToLower(s)), without the copy for ASCII.
func lowerHash(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return idHash(strings.ToLower(s))
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}

// ownerSlot returns the slot in the owner table of the ID of hash h, and
// its tag (never 0).
func (l *Linker) ownerSlot(h uint64) (*ownerSlot, uint32) {
	return &l.owner[(h^h>>29)%ownerSlots], uint32(h>>32) | 1
}

// own records that the ID of hash h was last seen in thread t.
func (l *Linker) own(t *threadState, h uint64) {
	if l.owner == nil {
		l.owner = make([]ownerSlot, ownerSlots)
	}
	s, tag := l.ownerSlot(h)
	*s = ownerSlot{tag, uint32(t.serial)}
}

// elsewhere reports whether the ID of hash h is the ID of a comment of
// another thread than t that the linker still remembers.
func (l *Linker) elsewhere(t *threadState, h uint64) bool {
	if l.owner == nil {
		return false
	}
	s, tag := l.ownerSlot(h)
	if s.tag != tag || s.tser == uint32(t.serial) {
		return false
	}
	o := l.bySerial[s.tser]
	if o == nil {
		return false
	}
	_, ok := o.depths.get(h)
	return ok
}

// depthOf returns the depth of the latest comment with ID id in thread t.
func (l *Linker) depthOf(t *threadState, id string) (int, bool) {
	h := idHash(id)
	d, ok := t.depths.get(h)
	if l.gen != nil && len(id) > 1 && id[0] == 'c' {
		if n, err := strconv.Atoi(id[1:]); err == nil && n > 0 && "c"+strconv.Itoa(n) == id {
			if g := l.gen[n%genRing]; g.n == n && g.tser == t.serial && (!ok || g.seq > d.seq) {
				return g.depth, true
			}
		}
	}
	return d.depth, ok
}

// author returns the latest comment of thread t by the author whose
// lower-cased name hashes to key (lowerHash).
func (t *threadState) author(key uint64) (authorRef, bool) {
	return t.authors.get(key)
}

// match reads a leading "@Name" of text. It returns the name as written,
// and the latest comment of thread t by the longest matching author, if any.
func (l *Linker) match(t *threadState, text string) (string, authorRef, bool) {
	// strings.TrimLeft(text, " \t"), without building its byte set for
	// every comment
	i := 0
	for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
		i++
	}
	if i == len(text) || text[i] != '@' {
		return "", authorRef{}, false
	}
	s := text[i+1:]
	// candidate ends: every rune boundary followed by a non-name rune
	limit := min(len(s), maxNameLen)
	for limit < len(s) && !utf8.RuneStart(s[limit]) {
		limit++
	}
	// the names are looked up by the hash of their lower-cased bytes: for
	// ASCII, one hash grows with the candidate
	ascii := true
	for i := 0; i < limit; i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	low := ""
	if !ascii {
		low = strings.ToLower(s[:limit])
	}
	sameLen := ascii || len(low) == limit // lower-casing kept the byte offsets
	best := -1
	var ref authorRef
	h := uint64(fnvOffset)
	for i := 0; i < limit; {
		_, n := utf8.DecodeRuneInString(s[i:])
		if ascii {
			c := s[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			h ^= uint64(c)
			h *= fnvPrime
		}
		i += n
		var next rune = ' '
		if i < len(s) {
			next, _ = utf8.DecodeRuneInString(s[i:])
		}
		if unicode.IsLetter(next) || unicode.IsDigit(next) || next == '_' {
			continue
		}
		key := h
		switch {
		case ascii:
		case sameLen:
			key = idHash(low[:i])
		default:
			key = idHash(strings.ToLower(s[:i]))
		}
		if a, ok := t.author(key); ok {
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

// duplicateWarning is the warning about the duplicate IDs seen, if any, for
// input name.
func (l *Linker) duplicateWarning(name string) string {
	if l.dups == 0 {
		return ""
	}
	more := ""
	if l.dups > len(l.dupFirst) {
		more = fmt.Sprintf(" and %d more", l.dups-len(l.dupFirst))
	}
	return fmt.Sprintf("%s: %d comment(s) repeat the ID of an earlier comment of their thread: %s%s; a reply to such an ID answers the latest (duplicates are looked for among the last %d comments of each thread)",
		name, l.dups, strings.Join(l.dupFirst, ", "), more, depthIDs)
}
