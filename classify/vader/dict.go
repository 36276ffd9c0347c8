package vader

// dict is an immutable open-addressing hash table from lower-cased word to
// wordInfo, built once from the lexicons. It replaces a Go map on the hot
// path: the tokenizer computes the hash while it lower-cases a word; an
// 8 KB filter turns most words that are not in it away, and a probe
// usually touches one 4-byte slot of a 64 KB table.
type dict struct {
	slots   []slot // len is a power of two; at most half are used
	mask    uint64
	entries []dictEntry // entries[0] is unused: slot.idx 0 means empty
	// filter has the bit filterBit(h) set for the hash h of every word.
	// Three words of four of a text are not in the lexicons, and the 8 KB
	// filter, which stays in the nearest cache where the 64 KB of slots
	// do not, turns away about nine in ten of them before a slot is read.
	filter [filterWords]uint64
}

// filterWords is the size of dict.filter in 64-bit words.
const filterWords = 1024

// filterBit returns the word and the bit of dict.filter for the hash h:
// bits 20 to 35 of h, which the slot (the low bits of h^h>>32) and the tag
// (bits 48 to 63) are not made of alone.
func filterBit(h uint64) (word, bit uint64) {
	b := h >> 20 & (filterWords*64 - 1)
	return b >> 6, 1 << (b & 63)
}

type slot struct {
	tag uint16 // bits 48-63 of the hash
	idx uint16 // index into entries, 0 = empty
}

type dictEntry struct {
	key  string
	info wordInfo
}

// The word hash is a rotate-xor over the bytes (one cheap step per byte,
// computed by the tokenizer as it lower-cases) finished by one multiply.
const hashSeed = 0x243f6a8885a308d3

// hashStep adds byte c to the running hash h.
func hashStep(h uint64, c byte) uint64 { return (h<<5 | h>>59) ^ uint64(c) }

// hashFinish mixes a running hash into the final one.
func hashFinish(h uint64) uint64 {
	h *= 0x9e3779b97f4a7c15
	return h ^ h>>29
}

func hashBytes(b []byte) uint64 {
	h := uint64(hashSeed)
	for _, c := range b {
		h = hashStep(h, c)
	}
	return hashFinish(h)
}

func newDict(words map[string]wordInfo) *dict {
	size := 16
	if len(words) >= 1<<16-1 {
		panic("vader: lexicon too large for 16-bit slot indexes")
	}
	for size < 2*len(words) {
		size *= 2
	}
	d := &dict{
		slots:   make([]slot, size),
		mask:    uint64(size - 1),
		entries: make([]dictEntry, 1, len(words)+1),
	}
	for k, v := range words {
		h := hashBytes([]byte(k))
		i := (h ^ h>>32) & d.mask
		for d.slots[i].idx != 0 {
			i = (i + 1) & d.mask
		}
		d.entries = append(d.entries, dictEntry{key: k, info: v})
		d.slots[i] = slot{tag: uint16(h >> 48), idx: uint16(len(d.entries) - 1)}
		w, bit := filterBit(h)
		d.filter[w] |= bit
	}
	return d
}

// lookup returns what is known of word w with hash h (hashBytes(w)); the
// zero wordInfo if nothing.
func (d *dict) lookup(w []byte, h uint64) wordInfo {
	if !d.mayHave(h) {
		return wordInfo{}
	}
	return d.probe(w, h)
}

// mayHave reports whether a word of hash h may be in the dict: false for
// most words that are not (see dict.filter), without reading a slot.
func (d *dict) mayHave(h uint64) bool {
	fw, bit := filterBit(h)
	return d.filter[fw]&bit != 0
}

// probe is lookup past the filter: the slots from the hash's on. The
// tokenizer tests mayHave in its loop and calls probe for the few words
// that pass.
//
//go:noinline
func (d *dict) probe(w []byte, h uint64) wordInfo {
	i := (h ^ h>>32) & d.mask
	tag := uint16(h >> 48)
	for {
		s := d.slots[i]
		if s.idx == 0 {
			return wordInfo{}
		}
		if s.tag == tag {
			if e := &d.entries[s.idx]; e.key == string(w) {
				return e.info
			}
		}
		i = (i + 1) & d.mask
	}
}
