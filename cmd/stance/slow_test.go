package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestSlowInputFlows feeds score and parse a pipe that pauses after a few
// records, as `tail -f log | stance score` does: the records read so far
// must come out while the input pauses, not after 512 more.
func TestSlowInputFlows(t *testing.T) {
	recs := func(from, to int) string {
		var b strings.Builder
		for i := from; i <= to; i++ {
			fmt.Fprintf(&b, `{"id":"s%d","author":"A%d","text":"Huawei cannot be trusted with our networks, comment %d."}`+"\n", i, i%5, i)
		}
		return b.String()
	}
	for _, tc := range []struct {
		name string
		args []string
		data func(from, to int) string
	}{
		{"score jsonl", []string{"score", "-"}, recs},
		{"parse jsonl", []string{"parse", "-"}, recs},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pr, pw := io.Pipe()
			var out, errOut syncBuffer
			ios := &IOStreams{In: pr, Out: &out, ErrOut: &errOut}
			done := make(chan int, 1)
			go func() { done <- run(context.Background(), ios, tc.args) }()
			if _, err := io.WriteString(pw, tc.data(1, 3)); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(10 * time.Second)
			for strings.Count(out.String(), "\n") < 3 {
				if time.Now().After(deadline) {
					pw.Close()
					t.Fatalf("3 records written to a pausing input, %d out after 10 s; stderr %q", strings.Count(out.String(), "\n"), errOut.String())
				}
				time.Sleep(20 * time.Millisecond)
			}
			io.WriteString(pw, tc.data(4, 5))
			pw.Close()
			if code := <-done; code != 0 {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			if n := strings.Count(out.String(), "\n"); n != 5 {
				t.Fatalf("%d records out, want 5", n)
			}
		})
	}
}
