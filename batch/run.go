package batch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
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
	var st Stats
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	size := opt.BatchSize
	if size <= 0 {
		size = DefaultBatchSize
	}
	if h := enc.Header(); len(h) > 0 {
		n, err := w.Write(h)
		st.Bytes += int64(n)
		if err != nil {
			return st, fmt.Errorf("write output: %w", err)
		}
	}

	// The pool bounds memory: at most len(free) batches exist at once.
	nJobs := 2*workers + 2
	free := make(chan *job, nJobs)
	for range nJobs {
		free <- &job{comments: make([]*comments.Comment, 0, size)}
	}
	todo := make(chan *job, nJobs)
	done := make(chan *job, nJobs)
	stop := make(chan struct{}) // closed when the writer fails
	var readErr error           // set by the reader before it closes todo
	var cancelled bool          // likewise: the reader stopped on ctx

	// Reader.
	go func() {
		defer close(todo)
		seq := 0
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
			j.seq = seq
			seq++
			j.comments = j.comments[:0]
			var err error
			for len(j.comments) < size {
				if ctx.Err() != nil || stopped(stop) {
					break
				}
				var c *comments.Comment
				c, err = src()
				if err != nil {
					break
				}
				if c == nil {
					err = errors.New("source returned no comment and no error")
					break
				}
				j.comments = append(j.comments, c)
			}
			if len(j.comments) > 0 {
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

	// Workers.
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for j := range todo {
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
					close(stop)
				} else {
					st.Comments += len(j.comments)
					if opt.Progress != nil {
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
	case readErr != nil:
		return st, readErr
	case cancelled:
		return st, ctx.Err()
	}
	return st, nil
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
// keeping its buffers for reuse. A batch with an outsized output buffer
// (a run of huge comments) gives it up.
func recycle(j *job) {
	clear(j.comments)
	j.comments = j.comments[:0]
	clear(j.results)
	j.results = j.results[:0]
	if cap(j.out) > 4<<20 {
		j.out = nil
	}
}
