package classify

import (
	"cmp"
	"slices"
	"strings"
)

// sortedTermIDs returns the ids of terms (their indices) in increasing
// byte order of the terms, as sorting with strings.Compare does, but
// faster: the ids are sorted with their terms' first 8 bytes as a
// big-endian number beside them (zero-padded), so that most comparisons
// are of two numbers in the slice being sorted; only ids whose first 8
// bytes agree compare their terms. (Zero-padding keeps the order: when
// two padded prefixes first differ where one term has ended, the shorter
// term is a prefix of the other's first bytes, and sorts first.)
func sortedTermIDs(terms []string) []int32 {
	type keyed struct {
		key uint64
		id  int32
	}
	ks := make([]keyed, len(terms))
	for i, t := range terms {
		var k uint64
		for j := range 8 {
			k <<= 8
			if j < len(t) {
				k |= uint64(t[j])
			}
		}
		ks[i] = keyed{k, int32(i)}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if a.key != b.key {
			return cmp.Compare(a.key, b.key)
		}
		return strings.Compare(terms[a.id], terms[b.id])
	})
	ids := make([]int32, len(ks))
	for i, k := range ks {
		ids[i] = k.id
	}
	return ids
}
