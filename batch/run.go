package batch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"

	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/comments"
)

// Source returns the next comment to score, and io.EOF after the last. Any
// other error stops the run. A source that skips bad records does so itself
// (and counts them): Run sees only what it returns. Run calls it from one
// goroutine only.
type Source func() (*comments.Comment, error)

// Scorer scores one comment. It must be safe for concurrent use.
// *classify.Scorer is one.
type Scorer interface {
	Score(c *comments.Comment) classify.Result
}

// DefaultBatchSize is the number of comments per batch when
// [Options.BatchSize] is 0.
const DefaultBatchSize = 512

// Options tune [Run]. The zero value is ready to use.
type Options struct {
	// Workers is the number of scoring goroutines; 0 means GOMAXPROCS.
	Workers int
	// BatchSize is the number of comments per batch; 0 means DefaultBatchSize.
	BatchSize int
	// Progress, if set, is called by the writer after each batch is written,
	// with the number of comments written so far. It must be quick.
	Progress func(done int)
}

// Stats counts what [Run] did.
type Stats struct {
	// Comments is the number of comments scored and written.
	Comments int
	// Bytes is the number of bytes written.
	Bytes int64
}

// job is one batch of comments on its way through the pipeline. A fixed
// pool of jobs circulates reader -> workers -> writer -> reader.
type job struct {
	seq      int
	chunked  bool   // raw holds a chunk to decode
	raw      []byte // the chunk
	items    []Item // its records
	comments []*comments.Comment
	results  []classify.Result
	out      []byte
}

// Run reads every comment from src, scores it with sc, encodes it with enc
// and writes the records to w in input order, whatever the number of
// workers. It returns when the source is exhausted, an error occurs (the
// first one wins), or ctx is cancelled. On cancellation the reader stops,
// the comments already read are scored and written, and Run returns
// ctx.Err(). A source blocked in a read delays the stop until it returns.
// In every case Stats counts what was written.
func Run(ctx context.Context, src Source, sc Scorer, enc Encoder, w io.Writer, opt Options) (Stats, error) {
	size := opt.BatchSize
	if size <= 0 {
		size = DefaultBatchSize
	}
	fill := func(j *job) error {
		for len(j.comments) < size {
			c, err := src()
			if err != nil {
				return err
			}
			if c == nil {
				return errors.New("source returned no comment and no error")
			}
			j.comments = append(j.comments, c)
			if ctx.Err() != nil {
				return nil
			}
		}
		return nil
	}
	return run(ctx, fill, nil, sc, enc, w, opt)
}

// Item is one record of a decoded chunk: a comment, or the error of a bad
// record. It is comments.ChunkItem, so that a comments.JSONLChunkDecoder's
// Decode serves as [Chunked.Decode].
type Item = comments.ChunkItem

// Chunked is an input read as raw chunks of whole records, which the
// workers decode in parallel: for inputs whose decoding costs as much as
// scoring (JSON Lines), a single reader goroutine would be the bottleneck.
type Chunked struct {
	// Next appends the next chunk of whole records to dst and returns it,
	// or io.EOF at the end. It is called from one goroutine only.
	// [LineChunks] splits a reader of line records.
	Next func(dst []byte) ([]byte, error)
	// Decode appends the records of a chunk to dst, in order. Workers call
	// it concurrently; it must not retain chunk.
	Decode func(dst []Item, chunk []byte) []Item
	// Order is called with each chunk's items in input order, one chunk at
	// a time. It appends the comments to score to dst: it may number and
	// link them, or count and drop bad records. An error stops the run
	// after the comments before it are written.
	Order func(dst []*comments.Comment, items []Item, chunk []byte) ([]*comments.Comment, error)
}

// RunChunked is [Run] for a chunked input: the reader goroutine only cuts
// chunks; the workers decode them, in.Order runs on each in input order
// (one at a time, by whichever worker completes the sequence), and the
// workers score and encode them.
func RunChunked(ctx context.Context, in Chunked, sc Scorer, enc Encoder, w io.Writer, opt Options) (Stats, error) {
	fill := func(j *job) error {
		var err error
		j.raw, err = in.Next(j.raw[:0])
		if err == io.EOF && len(j.raw) > 0 {
			err = nil
		}
		if err == nil {
			j.chunked = true
		}
		return err
	}
	return run(ctx, fill, &in, sc, enc, w, opt)
}

// run is the pipeline of Run and RunChunked. fill loads a job with input.
func run(ctx context.Context, fill func(*job) error, chunked *Chunked, sc Scorer, enc Encoder, w io.Writer, opt Options) (Stats, error) {
	var st Stats
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if h := enc.Header(); len(h) > 0 {
		n, err := w.Write(h)
		st.Bytes += int64(n)
		if err != nil {
			return st, fmt.Errorf("write output: %w", err)
		}
	}

	// The pool bounds memory: at most nJobs batches exist at once.
	nJobs := 2*workers + 2
	free := make(chan *job, nJobs)
	for range nJobs {
		free <- &job{}
	}
	todo := make(chan *job, nJobs)
	done := make(chan *job, nJobs)
	stop := make(chan struct{}) // closed on the first error after reading
	var stopOnce sync.Once
	halt := func() { stopOnce.Do(func() { close(stop) }) }
	var readErr error  // set by the reader before it closes todo
	var cancelled bool // likewise: the reader stopped on ctx

	ord := &orderer{decoded: make(map[int]*job, nJobs), total: -1, out: make(chan *job, nJobs), chunked: chunked, halt: halt}

	// Reader.
	seq := 0 // batches sent
	go func() {
		defer func() {
			close(todo)
			ord.readerDone(seq)
		}()
		for {
			var j *job
			select {
			case j = <-free:
			case <-stop:
				return
			case <-ctx.Done():
				cancelled = true
				return
			}
			if stopped(stop) {
				return
			}
			j.seq = seq
			j.comments = j.comments[:0]
			j.chunked = false
			err := fill(j)
			if len(j.comments) > 0 || j.chunked {
				seq++
				todo <- j // never blocks: todo holds every job
			}
			if err != nil {
				if err != io.EOF {
					readErr = err
				}
				return
			}
			if ctx.Err() != nil {
				cancelled = true
				return
			}
		}
	}()

	// Workers. A worker takes a batch to decode (for a chunked input) from
	// todo, or a batch to score from ord.out, which delivers them in input
	// order once put in order (Chunked.Order); none waits for another.
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			score := func(j *job) {
				j.results = j.results[:0]
				for _, c := range j.comments {
					r := sc.Score(c)
					if r.Comment == nil {
						r.Comment = c
					}
					j.results = append(j.results, r)
				}
				j.out = enc.AppendBatch(j.out[:0], j.results)
				done <- j // never blocks: done holds every job
			}
			in := todo
			for {
				// Scoring first: it frees the batch for the writer.
				select {
				case j, ok := <-ord.out:
					if !ok {
						return
					}
					score(j)
					continue
				default:
				}
				select {
				case j, ok := <-ord.out:
					if !ok {
						return
					}
					score(j)
				case j, ok := <-in:
					if !ok {
						in = nil // only ord.out from now on
						continue
					}
					if j.chunked {
						j.items = chunked.Decode(j.items[:0], j.raw)
					}
					ord.add(j)
				}
			}
		})
	}
	go func() {
		wg.Wait()
		close(done)
	}()

	// Writer: put batches back in order.
	pending := make(map[int]*job, nJobs)
	next := 0
	var writeErr error
	for j := range done {
		pending[j.seq] = j
		for {
			j, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if writeErr == nil {
				n, err := w.Write(j.out)
				st.Bytes += int64(n)
				if err != nil {
					writeErr = fmt.Errorf("write output: %w", err)
					halt()
				} else {
					st.Comments += len(j.comments)
					if opt.Progress != nil && len(j.comments) > 0 {
						opt.Progress(st.Comments)
					}
				}
			}
			recycle(j)
			free <- j // never blocks: free holds every job
		}
	}
	switch {
	case writeErr != nil:
		return st, writeErr
	case ord.err != nil:
		return st, ord.err
	case readErr != nil:
		return st, readErr
	case cancelled:
		return st, ctx.Err()
	}
	return st, nil
}

// orderer puts decoded batches back in input order, runs Chunked.Order on
// each (one at a time), and sends them on out for scoring.
type orderer struct {
	mu      sync.Mutex
	decoded map[int]*job // decoded, waiting for their predecessors
	next    int          // sequence number of the next batch to order
	total   int          // batches the reader sent; -1 while it reads
	closed  bool
	out     chan *job // ordered batches; never blocks (holds every job)
	chunked *Chunked
	halt    func() // stops the reader
	err     error  // the first error of Order
}

// add hands over a decoded batch and orders every batch that is ready.
func (o *orderer) add(j *job) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.decoded[j.seq] = j
	for {
		j, ok := o.decoded[o.next]
		if !ok {
			break
		}
		delete(o.decoded, o.next)
		o.next++
		if j.chunked {
			if o.err == nil {
				var err error
				j.comments, err = o.chunked.Order(j.comments[:0], j.items, j.raw)
				if err != nil {
					o.err = err
					o.halt()
				}
			} else {
				j.comments = j.comments[:0] // after the error: write nothing
			}
			clear(j.items)
		}
		o.out <- j
	}
	o.closeIfDone()
}

// readerDone records that the reader sent total batches.
func (o *orderer) readerDone(total int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.total = total
	o.closeIfDone()
}

// closeIfDone closes out after the last batch. Called under mu.
func (o *orderer) closeIfDone() {
	if !o.closed && o.total >= 0 && o.next == o.total {
		close(o.out)
		o.closed = true
	}
}

// LineChunks returns a [Chunked.Next] that cuts r into chunks of whole lines
// of about size bytes: each chunk ends at the first newline at or after its
// size-th byte. The last line may lack its newline.
func LineChunks(r io.Reader, size int) func(dst []byte) ([]byte, error) {
	size = max(size, 1)
	var carry []byte
	var rerr error
	return func(dst []byte) ([]byte, error) {
		dst = append(dst, carry...)
		carry = carry[:0]
		scan := 0 // dst[:scan] has no newline at or after size-1
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
			if rerr != nil {
				if len(dst) > 0 {
					return dst, nil // the rest: lines shorter than size, or a last line without newline
				}
				return dst, rerr
			}
			if cap(dst)-len(dst) < 32<<10 {
				dst = slices.Grow(dst, max(size, 64<<10))
			}
			n, err := r.Read(dst[len(dst):cap(dst)])
			dst = dst[:len(dst)+n]
			if err != nil {
				rerr = err
			}
		}
	}
}

// stopped reports whether c is closed.
func stopped(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// recycle drops a job's references to comments so they can be collected,
// keeping its buffers for reuse. A batch with outsized buffers (a run of
// huge comments) gives them up.
func recycle(j *job) {
	clear(j.comments)
	j.comments = j.comments[:0]
	clear(j.results)
	j.results = j.results[:0]
	clear(j.items)
	j.items = j.items[:0]
	if cap(j.out) > 4<<20 {
		j.out = nil
	}
	if cap(j.raw) > 4<<20 {
		j.raw = nil
	}
}
