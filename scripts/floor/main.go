// Command floor is the throughput floor that `stance score` is measured
// against (see scripts/bench-score.sh). It does the least any comment scorer
// must do: read a JSON Lines file, decode each line with encoding/json into a
// struct with a text field, lowercase the text, split it into words and sum a
// hash of the words. Two goroutines each read their own byte range of the
// file, aligned to line boundaries. It writes nothing but its timing.
//
// Usage:
//
//	go run ./scripts/floor corpus.jsonl
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

func main() {
	workers := flag.Int("workers", 2, "goroutines, each reading its own byte range")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: floor [-workers N] FILE.jsonl")
		os.Exit(2)
	}
	start := time.Now()
	n, sum, err := run(flag.Arg(0), *workers)
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	secs := time.Since(start).Seconds()
	fmt.Printf("comments %d seconds %.3f comments/s %.0f checksum %x\n", n, secs, float64(n)/secs, sum)
}

// record holds the one field the floor needs.
type record struct {
	Text string `json:"commentBody"`
}

func run(path string, workers int) (int, uint64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, 0, err
	}
	size := st.Size()
	type result struct {
		n   int
		sum uint64
		err error
	}
	res := make([]result, workers)
	var wg sync.WaitGroup
	for k := range workers {
		lo, hi := size*int64(k)/int64(workers), size*int64(k+1)/int64(workers)
		wg.Go(func() {
			n, sum, err := scanRange(f, lo, hi, size)
			res[k] = result{n, sum, err}
		})
	}
	wg.Wait()
	var n int
	var sum uint64
	for _, r := range res {
		if r.err != nil {
			return 0, 0, r.err
		}
		n += r.n
		sum += r.sum
	}
	return n, sum, nil
}

// scanRange handles the lines that start in [lo, hi): a line belongs to the
// range holding its first byte.
func scanRange(f *os.File, lo, hi, size int64) (int, uint64, error) {
	br := bufio.NewReaderSize(io.NewSectionReader(f, lo, size-lo), 1<<20)
	pos := lo
	if lo > 0 {
		// Skip the line in progress at lo, unless lo starts a line.
		var b [1]byte
		if _, err := f.ReadAt(b[:], lo-1); err != nil {
			return 0, 0, err
		}
		if b[0] != '\n' {
			skip, err := br.ReadBytes('\n')
			if err != nil && err != io.EOF {
				return 0, 0, err
			}
			pos += int64(len(skip))
		}
	}
	n := 0
	var sum uint64
	for pos < hi {
		line, err := br.ReadBytes('\n')
		pos += int64(len(line))
		if line = bytes.TrimSpace(line); len(line) > 0 {
			var r record
			if err := json.Unmarshal(line, &r); err != nil {
				return 0, 0, fmt.Errorf("%s: byte %d: %w", f.Name(), pos, err)
			}
			for _, w := range strings.Fields(strings.ToLower(r.Text)) {
				sum += fnv1a(w)
			}
			n++
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, 0, err
		}
	}
	return n, sum, nil
}

func fnv1a(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
