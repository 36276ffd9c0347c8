package comments

import (
	"math/rand"
	"testing"
)

// TestPlainEnd checks the eight-bytes-at-a-time scan of plain string bytes
// against the table, a byte at a time, on random bytes rich in the ones
// near the edges of its lane arithmetic, from every offset.
func TestPlainEnd(t *testing.T) {
	special := []byte{0x00, 0x1f, 0x20, 0x21, '"', '\\', 0x5b, 0x5d, 0x7f, 0x80, 0x9f, 0xa0, 0xa2, 0xdc, 0xff, 'a'}
	rng := rand.New(rand.NewSource(1))
	for n := range 5000 {
		b := make([]byte, rng.Intn(40))
		for k := range b {
			if rng.Intn(4) == 0 {
				b[k] = special[rng.Intn(len(special))]
			} else {
				b[k] = byte(0x20 + rng.Intn(0x5f))
				if !plain[b[k]] {
					b[k] = 'x'
				}
			}
		}
		for j := 0; j <= len(b); j++ {
			want := j
			for want < len(b) && plain[b[want]] {
				want++
			}
			if got := plainEnd(b, j); got != want {
				t.Fatalf("case %d: plainEnd(%q, %d) = %d, want %d", n, b, j, got, want)
			}
		}
	}
}
