// Command genposts writes a synthetic labeled corpus of long posts in JSON
// Lines ({"text": "...", "label": "..."}), shaped like a newsgroup set (11k
// long posts in 20 classes), for benchmarking model files: trained with
// `stance train --preset topic --bigrams`, it gives a model with about as
// many terms as the one of the model-file target (940k with the
// defaults).
//
// The words are random strings of letters (2 to 12, skewed like English),
// drawn from a Zipf law over the vocabulary; a share of each post's words
// comes from its class's own Zipf-ranked slice of the vocabulary, so that
// the classes differ. The output is deterministic for the same flags.
//
// Usage:
//
//	go run ./scripts/genposts -n 11314 -o posts.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
)

func main() {
	n := flag.Int("n", 11314, "number of posts")
	classes := flag.Int("classes", 20, "number of classes")
	vocab := flag.Int("vocab", 60000, "number of distinct words")
	words := flag.Int("words", 128, "mean words per post")
	seed := flag.Uint64("seed", 1, "random seed")
	out := flag.String("o", "", "output file (default stdout)")
	flag.Parse()
	if err := run(*n, *classes, *vocab, *words, *seed, *out); err != nil {
		fmt.Fprintln(os.Stderr, "genposts:", err)
		os.Exit(1)
	}
}

func run(n, classes, vocab, words int, seed uint64, out string) error {
	if n < 1 || classes < 1 || vocab < 100 || words < 1 {
		return fmt.Errorf("want -n, -classes, -words >= 1 and -vocab >= 100")
	}
	r := rand.New(rand.NewPCG(seed, 0x9057))
	const letters = "etaoinshrdlcumwfgypbvkjxqz"
	seen := make(map[string]bool, vocab)
	dict := make([]string, 0, vocab)
	var sb strings.Builder
	for len(dict) < vocab {
		sb.Reset()
		for range 2 + r.IntN(11) {
			sb.WriteByte(letters[int(float64(len(letters))*r.Float64()*r.Float64())])
		}
		if w := sb.String(); !seen[w] {
			seen[w] = true
			dict = append(dict, w)
		}
	}
	zipf := rand.NewZipf(r, 1.07, 1, uint64(vocab-1))
	// Each class draws its own words from a shuffled copy of the ranks.
	perm := make([][]int, classes)
	for c := range perm {
		perm[c] = r.Perm(vocab)
	}
	w := os.Stdout
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	enc := json.NewEncoder(bw)
	for i := range n {
		c := i % classes
		sb.Reset()
		length := words/4 + r.IntN(words*3/2+1)
		for k := range length {
			if k > 0 {
				sb.WriteByte(' ')
			}
			rank := int(zipf.Uint64())
			if r.IntN(3) == 0 {
				rank = perm[c][rank]
			}
			sb.WriteString(dict[rank])
			if r.IntN(15) == 0 {
				sb.WriteByte('.')
			}
		}
		rec := struct {
			Text  string `json:"text"`
			Label string `json:"label"`
		}{sb.String(), fmt.Sprintf("group.%02d", c)}
		if err := enc.Encode(rec); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if out != "" {
		return w.Close()
	}
	return nil
}
