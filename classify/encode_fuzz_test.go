package classify

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzDecodeBinaryModel checks that no binary model file makes
// DecodeModel panic or allocate beyond what its size allows, and that a
// model it accepts scores, and re-encodes (binary and JSON) to files that
// decode to the same model. The input is the file's body: the fuzzer
// would rarely get past the checksum, so it is wrapped in a right header
// (and tried as a whole file too, for the header's checks).
func FuzzDecodeBinaryModel(f *testing.F) {
	m := handModel(Options{Bigrams: true})
	m.Taxonomy = &Taxonomy{Arguments: []Argument{{ID: "A", Stance: "for"}, {ID: "B"}}, Fallback: "B"}
	var b bytes.Buffer
	if err := m.EncodeBinary(&b); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes()[binaryHeader:])
	f.Add(b.Bytes())
	refined := encodedBinary(f, refinedHandModel(f))
	f.Add(refined[binaryHeader:])
	f.Add(refined)
	raw := encodedBinary(f, rawRefinedHandModel(f))
	f.Add(raw[binaryHeader:])
	f.Fuzz(func(t *testing.T, data []byte) {
		sentinel := func(err error) {
			if !errors.Is(err, ErrNotModel) && !errors.Is(err, ErrCorruptModel) && !errors.Is(err, ErrModelVersion) {
				t.Fatalf("error %q matches none of DecodeModel's errors", err)
			}
		}
		if _, err := DecodeModel(bytes.NewReader(data)); err != nil {
			sentinel(err)
		}
		d, err := DecodeModel(bytes.NewReader(rewrap(data)))
		if err != nil {
			sentinel(err)
			return
		}
		_ = d.Predict("x y z x x")
		for _, c := range d.Classes() {
			_ = d.TopTokens(c, 2)
		}
		_ = NewScorer(d).ScoreText("x")
		// The stored hash is trusted (the checksum guards the file), so
		// a forged one survives: re-encoding must keep it.
		var bin bytes.Buffer
		if err := d.EncodeBinary(&bin); err != nil {
			t.Fatal(err)
		}
		again, err := DecodeModel(bytes.NewReader(bin.Bytes()))
		if err != nil {
			t.Fatalf("re-encoded model does not decode: %v", err)
		}
		if again.Hash() != d.Hash() || !bytes.Equal(encodedBinary(t, again), bin.Bytes()) {
			t.Fatal("binary encoding changes on a round trip")
		}
		// Through JSON, the hash is the content's.
		var js bytes.Buffer
		if err := d.Encode(&js); err != nil {
			t.Fatal(err)
		}
		fromJSON, err := DecodeModel(&js)
		if err != nil {
			t.Fatalf("JSON of the model does not decode: %v", err)
		}
		d.hash.Store(nil)
		if fromJSON.Hash() != d.Hash() {
			t.Fatal("JSON round trip changes the hash")
		}
	})
}
