package classify

import "encoding/binary"

// termIndex maps term bytes to term ids without building a string per
// lookup: an open-addressing table with linear probing over the token
// hashes the tokenizer computes once per token ([hashString]). A slot
// holds a term's first 8 bytes as a little-endian word padded with zeros
// (its key, see [termKey]), its next 8 bytes likewise (key2, see
// [termKey2]), its length and its id+1; an empty slot is all zeros. A term
// of at most 16 bytes, most bigrams among them, is found by comparing the
// keys and the length alone, without reading the term itself; a longer
// term is compared in full once they match. The table is at most half
// full.
type termIndex struct {
	slots []termSlot
	n     int
}

type termSlot struct {
	key  uint64
	key2 uint64
	meta uint64 // length (at most 255) << 32 | id+1
}

// termKey returns the key of tok: its first 8 bytes, read from b[start:]
// with 8 bytes of capacity from start (see loadKey), tok being
// b[start:end].
func termKey(b []byte, start, end int) uint64 {
	return loadKey(b, start, min(end, start+8))
}

// termKey2 returns the second key of tok = b[start:end]: its bytes 8 to
// 16 read like termKey's, or 0 when it has at most 8 bytes.
func termKey2(b []byte, start, end int) uint64 {
	if end-start <= 8 {
		return 0
	}
	return loadKey(b, start+8, min(end, start+16))
}

// stringTermKey is termKey for a string.
func stringTermKey(s string) uint64 { return stringKey(s[:min(len(s), 8)]) }

// stringTermKey2 is termKey2 for a string.
func stringTermKey2(s string) uint64 {
	if len(s) <= 8 {
		return 0
	}
	return stringKey(s[8:min(len(s), 16)])
}

func termMeta(n int, id int32) uint64 {
	return uint64(min(n, 255))<<32 | uint64(uint32(id+1))
}

// quick returns the id of the term of n bytes with keys k and k2 (see
// termKey, termKey2) and hash h when it is at most 16 bytes long and in
// its first slot, the commonest case, small enough to be inlined; else
// -1, and find decides.
func (x *termIndex) quick(k, k2, h uint64, n int) int32 {
	if m := len(x.slots); m > 0 && n <= 16 {
		if s := x.slots[h&uint64(m-1)]; s.key == k && s.key2 == k2 && s.meta>>32 == uint64(n) {
			return int32(uint32(s.meta)) - 1
		}
	}
	return -1
}

// find returns the id of the term tok with keys k and k2 (see termKey,
// termKey2) and hash h, or -1. terms holds the terms by id.
func (x *termIndex) find(terms []string, tok []byte, k, k2, h uint64) int32 {
	if len(x.slots) == 0 {
		return -1
	}
	mask := uint64(len(x.slots) - 1)
	ln := uint64(min(len(tok), 255))
	for i := h & mask; ; i = (i + 1) & mask {
		s := &x.slots[i]
		if s.meta == 0 {
			return -1
		}
		if s.key == k && s.key2 == k2 && s.meta>>32 == ln {
			id := int32(uint32(s.meta)) - 1
			if ln <= 16 || terms[id] == string(tok) {
				return id
			}
		}
	}
}

// add inserts the new term id, terms[id] with hash hashes[id]; terms and
// hashes hold all terms by id, to rebuild the table when it grows.
func (x *termIndex) add(id int32, terms []string, hashes []uint64) {
	if 2*(x.n+1) > len(x.slots) {
		x.build(terms[:id], hashes[:id], max(64, 2*len(x.slots)))
	}
	x.put(terms[id], hashes[id], id)
}

func (x *termIndex) put(term string, h uint64, id int32) {
	mask := uint64(len(x.slots) - 1)
	i := h & mask
	for x.slots[i].meta != 0 {
		i = (i + 1) & mask
	}
	x.slots[i] = termSlot{stringTermKey(term), stringTermKey2(term), termMeta(len(term), id)}
	x.n++
}

// build fills the table with terms, whose hashes are given, in a table
// of at least size slots.
func (x *termIndex) build(terms []string, hashes []uint64, size int) {
	n := 64
	for n < size || n < 2*len(terms)+2 {
		n *= 2
	}
	x.slots = make([]termSlot, n)
	x.n = 0
	for id, h := range hashes {
		x.put(terms[id], h, int32(id))
	}
}

// clone returns a copy of x that shares nothing with it.
func (x *termIndex) clone() termIndex {
	return termIndex{slots: append([]termSlot(nil), x.slots...), n: x.n}
}

// pairIndex maps a pair of term ids, a bigram's words, packed in a key
// (first<<32 | second), to the bigram's term id: an open-addressing table
// with linear probing, at most half full. A slot holds key+1 (0: empty)
// and the id.
type pairIndex struct {
	keys []uint64
	ids  []int32
	n    int
}

// pairSlot returns the first slot of key in a table of mask+1 slots.
func pairSlot(key, mask uint64) uint64 { return (key * hashMul1) >> 32 & mask }

// find returns the id of the pair key, or -1.
func (x *pairIndex) find(key uint64) int32 {
	if len(x.keys) == 0 {
		return -1
	}
	mask := uint64(len(x.keys) - 1)
	for i := pairSlot(key, mask); ; i = (i + 1) & mask {
		switch x.keys[i] {
		case key + 1:
			return x.ids[i]
		case 0:
			return -1
		}
	}
}

// add inserts the pair key, which is not in the table, with its id.
func (x *pairIndex) add(key uint64, id int32) {
	if 2*(x.n+1) > len(x.keys) {
		keys, ids := x.keys, x.ids
		size := max(64, 2*len(keys))
		x.keys, x.ids, x.n = make([]uint64, size), make([]int32, size), 0
		for i, k := range keys {
			if k != 0 {
				x.put(k, ids[i])
			}
		}
	}
	x.put(key+1, id)
}

// put stores the slot value k (a key+1) with its id.
func (x *pairIndex) put(k uint64, id int32) {
	mask := uint64(len(x.keys) - 1)
	i := pairSlot(k-1, mask)
	for x.keys[i] != 0 {
		i = (i + 1) & mask
	}
	x.keys[i], x.ids[i] = k, id
	x.n++
}

// Token hashing. hashArena and hashString give the same value for the
// same bytes: the bytes are read as little-endian 8-byte words, the last
// one padded with zeros (and left out when empty), mixed in turn, and the
// length is mixed in at the end.
const (
	hashSeed = 0x9e3779b97f4a7c15
	hashMul1 = 0xbf58476d1ce4e5b9
	hashMul2 = 0x94d049bb133111eb
)

func hashStep(h, v uint64) uint64 {
	h = (h ^ v) * hashMul1
	return h ^ h>>31
}

// hashFinish mixes h, which has been xored with the length.
func hashFinish(h uint64) uint64 {
	h *= hashMul2
	return h ^ h>>32
}

// hashArena hashes b[start:end]; b must have 8 bytes of capacity after
// end, which are read and masked off.
func hashArena(b []byte, start, end int) uint64 {
	h := uint64(hashSeed)
	n := uint64(end - start)
	for ; end-start >= 8; start += 8 {
		h = hashStep(h, binary.LittleEndian.Uint64(b[start:start+8]))
	}
	if start < end {
		h = hashStep(h, loadKey(b, start, end))
	}
	return hashFinish(h ^ n)
}

// loadKey returns b[start:end], 1 to 8 bytes with 8 bytes of capacity
// from start, as a little-endian word padded with zeros.
func loadKey(b []byte, start, end int) uint64 {
	v := binary.LittleEndian.Uint64(b[start : start+8])
	// The shift is 0 to 56: & 63 spares the code for shifts of 64 or more.
	return v & (^uint64(0) >> ((64 - 8*uint(end-start)) & 63))
}

// stringKey is loadKey for a string of at most 8 bytes.
func stringKey(s string) uint64 {
	var v uint64
	for i := len(s) - 1; i >= 0; i-- {
		v = v<<8 | uint64(s[i])
	}
	return v
}

// hashString hashes s as hashArena hashes its bytes.
func hashString(s string) uint64 {
	h := uint64(hashSeed)
	n := uint64(len(s))
	for ; len(s) >= 8; s = s[8:] {
		h = hashStep(h, stringKey(s[:8]))
	}
	if len(s) > 0 {
		h = hashStep(h, stringKey(s))
	}
	return hashFinish(h ^ n)
}
