package classify

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// termIndexLookup looks s up in x as the tokenizer's callers do, with s
// in the middle of an arena full of 0xff bytes (which the keys must mask
// off), through quick and then find; quick must give find's answer or
// -1.
func termIndexLookup(tb testing.TB, x *termIndex, terms []string, s string, h uint64) int32 {
	tb.Helper()
	arena := []byte("\xff\xff\xff" + s + strings.Repeat("\xff", 16))
	start, end := 3, 3+len(s)
	k, k2 := termKey(arena, start, end), termKey2(arena, start, end)
	if k != stringTermKey(s) || k2 != stringTermKey2(s) {
		tb.Fatalf("keys of %q: %x %x from the arena, %x %x from the string", s, k, k2, stringTermKey(s), stringTermKey2(s))
	}
	id := x.find(terms, arena[start:end], k, k2, h)
	if q := x.quick(k, k2, h, len(s)); q != -1 && q != id {
		tb.Fatalf("quick(%q) = %d, find %d", s, q, id)
	}
	return id
}

// randomTerm returns a term likely to share a prefix, its first 8 or 16
// bytes, or its length with the terms already in known: short, 9 to 16
// bytes, long, or longer than the 255 bytes the index records.
func randomTerm(rng *rand.Rand, known []string) string {
	if len(known) > 0 && rng.IntN(2) == 0 {
		t := known[rng.IntN(len(known))]
		switch rng.IntN(4) {
		case 0: // the last byte changed
			return t[:len(t)-1] + string(rune('a'+rng.IntN(3)))
		case 1: // one more byte
			return t + string(rune('a'+rng.IntN(3)))
		case 2: // cut short, often to the 8 or 16 bytes of its keys
			if len(t) > 1 {
				return t[:min([]int{8, 16, 1 + rng.IntN(len(t)-1)}[rng.IntN(3)], len(t)-1)]
			}
		case 3: // the same 16 bytes, another tail
			if len(t) > 16 {
				return t[:16] + strings.Repeat("b", rng.IntN(300))
			}
		}
	}
	n := []int{1 + rng.IntN(8), 9 + rng.IntN(8), 17 + rng.IntN(30), 250 + rng.IntN(60)}[rng.IntN(4)]
	b := make([]byte, n)
	for i := range b {
		b[i] = "abc é_\x00"[rng.IntN(8)]
	}
	return string(b)
}

// TestTermIndexMatchesMap is a property test of the term index against
// a map[string]int: random inserts of new terms and lookups of present
// and absent ones, checked at every step, with all terms and a batch of
// near misses checked after every batch of steps and on a rebuilt and a
// cloned index. It runs with the real token hashes (the table growing
// from 64 to 8192 slots) and with hashes forced to collide (for the terms that share their first 8
// bytes, for all but 16, for all).
func TestTermIndexMatchesMap(t *testing.T) {
	for _, mode := range []struct {
		name  string
		terms int
		hash  func(string) uint64
	}{
		{"token hash", 3000, hashString},
		{"hash of the first 8 bytes", 1000, func(s string) uint64 { return hashString(s[:min(len(s), 8)]) }},
		{"16 hashes", 1000, func(s string) uint64 { return hashString(s) & 15 }},
		{"one hash", 300, func(string) uint64 { return 1 << 40 }},
	} {
		t.Run(mode.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, uint64(mode.terms)))
			var x termIndex
			var terms []string
			var hashes []uint64
			want := map[string]int{}
			check := func(x *termIndex, s string) {
				t.Helper()
				got := termIndexLookup(t, x, terms, s, mode.hash(s))
				if id, ok := want[s]; !ok && got != -1 || ok && int(got) != id {
					t.Fatalf("after %d terms: lookup(%q) = %d, map says %d (present %v)", len(terms), s, got, id, ok)
				}
			}
			sizes, size := 0, 0
			for len(terms) < mode.terms {
				s := randomTerm(rng, terms)
				check(&x, s)
				if _, ok := want[s]; ok {
					continue
				}
				id := int32(len(terms))
				terms, hashes = append(terms, s), append(hashes, mode.hash(s))
				want[s] = int(id)
				x.add(id, terms, hashes)
				check(&x, s)
				if len(x.slots) != size {
					sizes, size = sizes+1, len(x.slots)
				}
				if 2*x.n > len(x.slots) || x.n != len(want) {
					t.Fatalf("%d terms in %d slots, index counts %d", len(want), len(x.slots), x.n)
				}
				if len(terms)%(mode.terms/10) != 0 {
					continue
				}
				// A batch: every term, a near miss of each, and the same
				// on a rebuilt index and on a clone that has one more term
				// (which x must not see).
				var rebuilt termIndex
				rebuilt.build(terms, hashes, 0)
				clone := x.clone()
				extra := fmt.Sprintf("%d-not-in-x", len(terms))
				clone.add(int32(len(terms)), append(terms[:len(terms):len(terms)], extra), append(hashes, mode.hash(extra)))
				check(&x, extra)
				for _, s := range terms {
					check(&x, s)
					check(&rebuilt, s)
					check(&clone, s)
					check(&x, randomTerm(rng, []string{s}))
				}
			}
			if mode.terms >= 3000 && sizes < 8 {
				t.Errorf("only %d sizes of the table for %d terms", sizes, len(terms))
			}
		})
	}
}

// TestHashStringMatchesReference checks the token hash of strings, and of
// the same bytes in an arena, against the documented hash, at every
// length around the 8-byte words.
func TestHashStringMatchesReference(t *testing.T) {
	for n := range 40 {
		s := "héllo wörld, 0123456789 abcdefghijklmnopqrstuvwxyz"[:n]
		arena := []byte("\xff" + s + strings.Repeat("\xff", 8))
		if got, want := hashString(s), refHash(s); got != want {
			t.Errorf("hashString(%q) = %x, reference %x", s, got, want)
		}
		if got, want := hashArena(arena, 1, 1+n), refHash(s); got != want {
			t.Errorf("hashArena(%q) = %x, reference %x", s, got, want)
		}
	}
}

// TestPairIndex checks the pair index against a map: pairs of small and
// large ids, found after every insertion through the table's growth,
// and pairs not inserted not found.
func TestPairIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var x pairIndex
	want := map[uint64]int32{}
	key := func() uint64 {
		a, b := rng.Int32N(300), rng.Int32N(300)
		if rng.IntN(4) == 0 {
			a, b = rng.Int32(), rng.Int32()
		}
		return uint64(uint32(a))<<32 | uint64(uint32(b))
	}
	for i := range 20000 {
		k := key()
		if _, ok := want[k]; !ok {
			want[k] = int32(i)
			x.add(k, int32(i))
		}
		if i%997 == 0 {
			for k, id := range want {
				if got := x.find(k); got != id {
					t.Fatalf("after %d: find(%x) = %d, want %d", i, k, got, id)
				}
			}
		}
		k = key()
		id, ok := want[k]
		if got := x.find(k); ok && got != id || !ok && got != -1 {
			t.Fatalf("find(%x) = %d, want %d (inserted: %v)", k, got, id, ok)
		}
	}
	if _, ok := want[0]; !ok && x.find(0) != -1 {
		t.Fatal("found the pair (0, 0), never inserted")
	}
}
