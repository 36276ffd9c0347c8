package classify

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestSortedTermIDs checks the keyed sort against strings.Compare on
// terms that share 8 bytes and more, prefixes of each other, NUL and
// bytes above 0x7f, and random words.
func TestSortedTermIDs(t *testing.T) {
	terms := []string{
		"", "a", "a\x00", "a\x00b", "ab", "abcdefgh", "abcdefgh\x00", "abcdefghi", "abcdefgh a", "abcdefgg zz",
		"über", "uber", "u\xff", "zz", "z", "abcdefghij", "abcdefgh", "not_good", "not good", "not",
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		var b strings.Builder
		for range r.IntN(14) {
			b.WriteByte("ab \x00\xc3\xbc"[r.IntN(6)])
		}
		terms = append(terms, b.String())
	}
	got := sortedTermIDs(terms)
	want := make([]int32, len(terms))
	for i := range want {
		want[i] = int32(i)
	}
	slices.SortStableFunc(want, func(a, b int32) int { return strings.Compare(terms[a], terms[b]) })
	if len(got) != len(want) {
		t.Fatalf("%d ids, want %d", len(got), len(want))
	}
	for i := range got {
		if terms[got[i]] != terms[want[i]] {
			t.Fatalf("position %d: %q, want %q", i, terms[got[i]], terms[want[i]])
		}
	}
}
