package batch

import (
	"bytes"
	"context"
	"io"
	"runtime"
	"slices"
	"sync"

	"github.com/stance-dev/stance/comments"
)

// Item is one record of a decoded chunk: a comment, or the error of a bad
// record. It is comments.ChunkItem, so that a comments.JSONLChunkDecoder's
// Decode serves as [Chunked.Decode].
type Item = comments.ChunkItem

// Chunked is an input read as raw chunks of whole records, which several
// goroutines decode at once: for inputs whose decoding costs as much as
// scoring (JSON Lines), a single reader goroutine would be the bottleneck.
type Chunked struct {
	// Next appends the next chunk of whole records to dst and returns it,
	// or io.EOF at the end. It is called from one goroutine only.
	// [LineChunks] splits a reader of line records.
	Next func(dst []byte) ([]byte, error)
	// Decode appends the records of a chunk to dst, in order. Decoders call
	// it concurrently; it must not retain chunk.
	Decode func(dst []Item, chunk []byte) []Item
	// Order is called with each chunk's items in input order, one chunk at
	// a time, from the goroutine that calls the [Batches]. It appends the
	// comments to score to dst: it may number and link them, or count and
	// drop bad records. An error stops the input after the comments before
	// it.
	Order func(dst []*comments.Comment, items []Item, chunk []byte) ([]*comments.Comment, error)
}

// chunk is one chunk on its way from the cutter to the decoders and back
// in order. A fixed pool of chunks circulates, bounding memory.
type chunk struct {
	raw   []byte
	items []Item
	err   error         // the cutter's error after raw (io.EOF at the end)
	ready chan struct{} // receives when items are decoded
}

// DecodeChunks returns the Batches of a chunked input: one goroutine cuts
// chunks with in.Next, workers goroutines (0: GOMAXPROCS) decode them with
// in.Decode at once, and each call of the Batches takes the next chunk in
// input order, runs in.Order on it and returns its comments. Stop ends the
// goroutines; call it when done with the Batches (a cutter blocked in a
// read ends when the read returns).
func DecodeChunks(in Chunked, workers int) (b Batches, stop func()) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	nChunks := 2*workers + 2
	free := make(chan *chunk, nChunks)
	for range nChunks {
		free <- &chunk{ready: make(chan struct{}, 1)}
	}
	todo := make(chan *chunk, nChunks)
	order := make(chan *chunk, nChunks) // the chunks in input order
	quit := make(chan struct{})
	var quitOnce sync.Once
	stop = func() { quitOnce.Do(func() { close(quit) }) }

	// Cutter.
	go func() {
		defer close(todo)
		defer close(order)
		for {
			var c *chunk
			select {
			case c = <-free:
			case <-quit:
				return
			}
			var err error
			c.raw, err = in.Next(c.raw[:0])
			if err == io.EOF && len(c.raw) > 0 {
				err = nil
			}
			c.err = err
			order <- c // never blocks: order holds every chunk
			if err != nil {
				c.ready <- struct{}{}
				return
			}
			todo <- c // likewise
		}
	}()
	// Decoders.
	for range workers {
		go func() {
			for c := range todo {
				c.items = in.Decode(c.items[:0], c.raw)
				c.ready <- struct{}{}
			}
		}()
	}

	var failed error // a sticky error: Order's, or the cutter's
	b = func(ctx context.Context, dst []*comments.Comment) ([]*comments.Comment, error) {
		if failed != nil {
			return dst, failed
		}
		var c *chunk
		var ok bool
		select {
		case c, ok = <-order:
		case <-ctx.Done():
			return dst, nil
		}
		if !ok {
			failed = io.EOF // stopped
			return dst, failed
		}
		<-c.ready
		if c.err != nil {
			failed = c.err
			return dst, failed
		}
		var err error
		dst, err = in.Order(dst, c.items, c.raw)
		clear(c.items)
		c.items = c.items[:0]
		if cap(c.raw) > 4<<20 {
			c.raw = nil
		}
		free <- c // never blocks: free holds every chunk
		if err != nil {
			failed = err
			stop()
		}
		return dst, err
	}
	return b, stop
}

// LineChunks returns a [Chunked.Next] that cuts r into chunks of whole lines
// of about size bytes: each chunk ends at the first newline at or after its
// size-th byte. The last line may lack its newline. When a read returns
// less than it was asked for (a pipe whose writer is slower than us, such
// as `tail -f`), the chunk ends early, at the last newline read so far, so
// that the records already there go on at once instead of waiting for
// size bytes. A regular file is read in full reads, so its chunks stay
// large.
func LineChunks(r io.Reader, size int) func(dst []byte) ([]byte, error) {
	return LineChunksMax(r, size, 0, nil)
}

// LineChunksMax is [LineChunks] with a bound on the length of a line: a
// line longer than maxLine bytes (0: no bound) is never held whole; the
// cutter reads on to its end, discarding it, and puts replace(n), the line
// that stands for it (n is its length, at least), in the chunk in its
// place, so that the decoder reports it at its line number.
func LineChunksMax(r io.Reader, size, maxLine int, replace func(n int64) []byte) func(dst []byte) ([]byte, error) {
	size = max(size, 1)
	var carry, scratch []byte
	var rerr error
	return func(dst []byte) ([]byte, error) {
		dst = append(dst, carry...)
		carry = carry[:0]
		scan := 0 // dst[:scan] has no newline at or after size-1
		short := false
		lineStart := bytes.LastIndexByte(dst, '\n') + 1 // where the last, unfinished line starts
		for {
			if len(dst) >= size {
				from := max(scan, size-1)
				if i := bytes.IndexByte(dst[from:], '\n'); i >= 0 {
					i += from
					carry = append(carry, dst[i+1:]...)
					return dst[:i+1], nil
				}
				scan = len(dst)
			}
			if short {
				// The last read was short: the input pauses. Hand on the
				// whole lines read so far.
				short = false
				if i := bytes.LastIndexByte(dst, '\n'); i >= 0 {
					carry = append(carry, dst[i+1:]...)
					return dst[:i+1], nil
				}
			}
			if rerr != nil {
				if len(dst) > 0 {
					return dst, nil // the rest: lines shorter than size, or a last line without newline
				}
				return dst, rerr
			}
			if cap(dst)-len(dst) < 32<<10 {
				dst = slices.Grow(dst, max(size, 64<<10))
			}
			asked := cap(dst) - len(dst)
			if maxLine > 0 {
				// Read no further than one byte past the bound of the
				// unfinished line, so that no line over it is held whole.
				asked = max(min(asked, lineStart+maxLine+1-len(dst)), 1)
			}
			old := len(dst)
			n, err := r.Read(dst[len(dst) : len(dst)+asked])
			dst = dst[:len(dst)+n]
			if err != nil {
				rerr = err
			}
			short = err == nil && n > 0 && n < asked
			if i := bytes.LastIndexByte(dst[old:], '\n'); i >= 0 {
				lineStart = old + i + 1
			}
			if maxLine > 0 && len(dst)-lineStart > maxLine {
				// The unfinished line is too long: drop it to its end.
				total := int64(len(dst) - lineStart)
				dst = dst[:lineStart]
				if scratch == nil {
					scratch = make([]byte, 64<<10)
				}
				for done := rerr != nil; !done; {
					n, err := r.Read(scratch)
					if i := bytes.IndexByte(scratch[:n], '\n'); i >= 0 {
						total += int64(i)
						dst = append(dst, replace(total)...)
						dst = append(dst, scratch[i+1:n]...)
						if err != nil {
							rerr = err
						}
						break
					}
					total += int64(n)
					if err != nil {
						rerr = err
						done = true
					}
				}
				if rerr != nil && bytes.LastIndexByte(dst, '\n')+1 == len(dst) && len(dst) == lineStart {
					dst = append(dst, replace(total)...) // the input ended in the long line
				}
				lineStart = bytes.LastIndexByte(dst, '\n') + 1
				scan = 0
			}
		}
	}
}
