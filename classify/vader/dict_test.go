package vader

import (
	"math/rand/v2"
	"testing"
)

// TestDictFilter checks that the filter in front of the dict's slots never
// turns a word of the lexicons away, and that lookup, filter and all, gives
// what probing the slots gives, on random words, lexicon words changed by
// a letter among them; and that it turns most words away.
func TestDictFilter(t *testing.T) {
	d := loadTables().dict
	for _, e := range d.entries[1:] {
		h := hashBytes([]byte(e.key))
		if !d.mayHave(h) {
			t.Fatalf("the filter turns %q away", e.key)
		}
		if got := d.lookup([]byte(e.key), h); got != e.info {
			t.Fatalf("lookup(%q) = %+v, want %+v", e.key, got, e.info)
		}
	}
	rng := rand.New(rand.NewPCG(11, 12))
	passed, n := 0, 0
	for range 200000 {
		var w []byte
		if rng.IntN(2) == 0 {
			w = []byte(d.entries[1+rng.IntN(len(d.entries)-1)].key)
			w[rng.IntN(len(w))] = byte('a' + rng.IntN(26))
		} else {
			for range 1 + rng.IntN(10) {
				w = append(w, byte('a'+rng.IntN(26)))
			}
		}
		h := hashBytes(w)
		if got, want := d.lookup(w, h), d.probe(w, h); got != want {
			t.Fatalf("lookup(%q) = %+v, the slots give %+v", w, got, want)
		}
		if d.probe(w, h) == (wordInfo{}) {
			n++
			if d.mayHave(h) {
				passed++
			}
		}
	}
	if rate := float64(passed) / float64(n); rate > 0.2 {
		t.Errorf("the filter lets %.0f%% of the words not in the dict through, want at most 20%%", 100*rate)
	}
}
