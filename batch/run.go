package batch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"time"

	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/comments"
)

// Source returns the next comment to score, and io.EOF after the last. Any
// other error stops the run. A source that skips bad records does so itself
// (and counts them): the pipeline sees only what it returns. It is called
// from one goroutine only.
type Source func() (*comments.Comment, error)

// Batches is a source of comments a batch at a time, the one way input
// enters the pipeline: it appends the next comments, in input order, to dst
// and returns the extended slice. After the last comment it returns io.EOF
// (with or without a last few comments); any other error stops the run
// after the comments it returns with it. It is called from one goroutine
// only; when ctx is done it should return what it has, promptly.
//
// [Group] makes one of a [Source]; [DecodeChunks] makes one of an input
// cut into chunks that several goroutines decode at once.
type Batches func(ctx context.Context, dst []*comments.Comment) ([]*comments.Comment, error)

// Group returns the Batches of src: batches of size comments (0 means
// [DefaultBatchSize]), or fewer at the end of the input, on an error, or
// when ctx is done.
func Group(src Source, size int) Batches {
	if size <= 0 {
		size = DefaultBatchSize
	}
	return func(ctx context.Context, dst []*comments.Comment) ([]*comments.Comment, error) {
		for n := 0; n < size; n++ {
			c, err := src()
			if err != nil {
				return dst, err
			}
			if c == nil {
				return dst, errors.New("source returned no comment and no error")
			}
			dst = append(dst, c)
			if ctx.Err() != nil {
				break
			}
		}
		return dst, nil
	}
}

// GroupTimed is [Group] for an input that may pause (a pipe, `tail -f`):
// a goroutine reads src ahead, and a batch ends when it holds size
// comments, or maxDelay after its first comment when no more have come, so
// that what was read goes on without waiting for a full batch. Stop ends
// the goroutine once src returns (a read in progress delays it); call it
// when done with the Batches. src is called from that goroutine only.
func GroupTimed(src Source, size int, maxDelay time.Duration) (b Batches, stop func()) {
	if size <= 0 {
		size = DefaultBatchSize
	}
	type item struct {
		c   *comments.Comment
		err error
	}
	ch := make(chan item, size)
	quit := make(chan struct{})
	var once sync.Once
	stop = func() { once.Do(func() { close(quit) }) }
	go func() {
		for {
			c, err := src()
			if err == nil && c == nil {
				err = errors.New("source returned no comment and no error")
			}
			select {
			case ch <- item{c, err}:
			case <-quit:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	var failed error
	b = func(ctx context.Context, dst []*comments.Comment) ([]*comments.Comment, error) {
		if failed != nil {
			return dst, failed
		}
		var timer *time.Timer
		defer func() {
			if timer != nil {
				timer.Stop()
			}
		}()
		for n := 0; n < size; n++ {
			var it item
			select {
			case it = <-ch:
			default:
				if n == 0 {
					select {
					case it = <-ch:
					case <-ctx.Done():
						return dst, nil
					}
					break
				}
				if timer == nil {
					timer = time.NewTimer(maxDelay)
				}
				select {
				case it = <-ch:
				case <-timer.C:
					return dst, nil
				case <-ctx.Done():
					return dst, nil
				}
			}
			if it.err != nil {
				failed = it.err
				return dst, it.err
			}
			dst = append(dst, it.c)
		}
		return dst, nil
	}
	return b, stop
}

// Scorer scores one comment. It must be safe for concurrent use.
// *classify.Scorer is one.
type Scorer interface {
	Score(c *comments.Comment) classify.Result
}

// DefaultBatchSize is the number of comments per batch when
// [Options.BatchSize] is 0.
const DefaultBatchSize = 512

// Options tune [Run] and [RunBatches]. The zero value is ready to use.
type Options struct {
	// Workers is the number of scoring goroutines; 0 means GOMAXPROCS.
	Workers int
	// BatchSize is the number of comments per batch of [Run]; 0 means
	// DefaultBatchSize. [RunBatches] takes the batches its source makes.
	BatchSize int
	// Progress, if set, is called by the writer after each batch is written,
	// with the number of comments written so far. It must be quick.
	Progress func(done int)
	// Sink, if set, receives the results of every batch in input order, from
	// one goroutine (the writer), after the batch's bytes are written. It
	// must not keep rs, which is reused; it may keep its elements. An error
	// stops the run as a write error does.
	Sink func(rs []classify.Result) error
}

// Stats counts what [Run] did.
type Stats struct {
	// Comments is the number of comments scored and written (or sunk).
	Comments int
	// Bytes is the number of bytes written.
	Bytes int64
}

// Run is [RunBatches] over src grouped by [Group] in batches of
// opt.BatchSize comments.
func Run(ctx context.Context, src Source, sc Scorer, enc Encoder, w io.Writer, opt Options) (Stats, error) {
	return RunBatches(ctx, Group(src, opt.BatchSize), sc, enc, w, opt)
}

// RunBatches reads every batch of comments from src, scores them with sc,
// encodes them with enc and writes the records to w, and hands the results
// to opt.Sink, in input order whatever the number of workers. enc and w may
// both be nil when only the Sink is wanted. It returns when the source is
// exhausted, an error occurs (the first one wins), or ctx is cancelled. On
// cancellation the reader stops, the comments already read are scored and
// written, and RunBatches returns ctx.Err(). A source blocked in a read
// delays the stop until it returns. In every case Stats counts what was
// written.
func RunBatches(ctx context.Context, src Batches, sc Scorer, enc Encoder, w io.Writer, opt Options) (Stats, error) {
	if (enc == nil) != (w == nil) {
		return Stats{}, errors.New("batch: an encoder needs a writer, and a writer an encoder")
	}
	p := newPipeline(ctx, src, sc, enc, w, opt)
	return p.run()
}

// job is one batch of comments on its way through the pipeline. A fixed
// pool of jobs circulates reader -> workers -> writer -> reader.
type job struct {
	seq      int
	comments []*comments.Comment
	results  []classify.Result
	out      []byte
}

// pipeline is one run of [RunBatches]: a reader goroutine fills jobs from
// the source, workers score and encode them, and the writer (the calling
// goroutine) puts them back in order, writes them and sinks them.
type pipeline struct {
	ctx     context.Context
	src     Batches
	sc      Scorer
	enc     Encoder
	w       io.Writer
	opt     Options
	workers int

	free chan *job // jobs ready for the reader; the pool bounds memory
	todo chan *job // filled jobs, for the workers
	done chan *job // scored jobs, for the writer

	stop     chan struct{} // closed on the first write error
	stopOnce sync.Once

	// Set by the reader before it closes todo.
	readErr   error
	cancelled bool
}

func newPipeline(ctx context.Context, src Batches, sc Scorer, enc Encoder, w io.Writer, opt Options) *pipeline {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	nJobs := 2*workers + 2
	p := &pipeline{
		ctx: ctx, src: src, sc: sc, enc: enc, w: w, opt: opt, workers: workers,
		free: make(chan *job, nJobs),
		todo: make(chan *job, nJobs),
		done: make(chan *job, nJobs),
		stop: make(chan struct{}),
	}
	for range nJobs {
		p.free <- &job{}
	}
	return p
}

// halt stops the reader after a write error.
func (p *pipeline) halt() { p.stopOnce.Do(func() { close(p.stop) }) }

func (p *pipeline) run() (Stats, error) {
	var st Stats
	if p.enc != nil {
		if h := p.enc.Header(); len(h) > 0 {
			n, err := p.w.Write(h)
			st.Bytes += int64(n)
			if err != nil {
				return st, fmt.Errorf("write output: %w", err)
			}
		}
	}
	go p.read()
	var wg sync.WaitGroup
	for range p.workers {
		wg.Go(p.work)
	}
	go func() {
		wg.Wait()
		close(p.done)
	}()
	writeErr := p.write(&st)
	switch {
	case writeErr != nil:
		return st, writeErr
	case p.readErr != nil:
		return st, p.readErr
	case p.cancelled:
		return st, p.ctx.Err()
	}
	return st, nil
}

// read fills jobs from the source, numbering them, until the end of the
// input, an error, a write error or cancellation.
func (p *pipeline) read() {
	defer close(p.todo)
	for seq := 0; ; {
		var j *job
		select {
		case j = <-p.free:
		case <-p.stop:
			return
		case <-p.ctx.Done():
			p.cancelled = true
			return
		}
		if stopped(p.stop) {
			return
		}
		var err error
		j.comments, err = p.src(p.ctx, j.comments[:0])
		if len(j.comments) > 0 {
			j.seq = seq
			seq++
			p.todo <- j // never blocks: todo holds every job
		} else {
			p.free <- j
		}
		if err != nil {
			if err != io.EOF {
				p.readErr = err
			}
			return
		}
		if p.ctx.Err() != nil {
			p.cancelled = true
			return
		}
	}
}

// work scores and encodes jobs until the reader is done.
func (p *pipeline) work() {
	for j := range p.todo {
		j.results = j.results[:0]
		for _, c := range j.comments {
			r := p.sc.Score(c)
			if r.Comment == nil {
				r.Comment = c
			}
			j.results = append(j.results, r)
		}
		if p.enc != nil {
			j.out = p.enc.AppendBatch(j.out[:0], j.results)
		}
		p.done <- j // never blocks: done holds every job
	}
}

// write puts scored jobs back in input order, writes and sinks them, and
// returns the first write error. After an error it only recycles jobs.
func (p *pipeline) write(st *Stats) error {
	pending := make(map[int]*job, cap(p.done))
	next := 0
	var writeErr error
	for j := range p.done {
		pending[j.seq] = j
		for {
			j, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if writeErr == nil {
				writeErr = p.emit(j, st)
				if writeErr != nil {
					p.halt()
				}
			}
			recycle(j)
			p.free <- j // never blocks: free holds every job
		}
	}
	return writeErr
}

// emit writes one job's bytes and hands its results to the sink.
func (p *pipeline) emit(j *job, st *Stats) error {
	if p.w != nil {
		n, err := p.w.Write(j.out)
		st.Bytes += int64(n)
		if err != nil {
			return fmt.Errorf("write output: %w", err)
		}
	}
	if p.opt.Sink != nil {
		if err := p.opt.Sink(j.results); err != nil {
			return err
		}
	}
	st.Comments += len(j.comments)
	if p.opt.Progress != nil {
		p.opt.Progress(st.Comments)
	}
	return nil
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
	if cap(j.out) > 4<<20 {
		j.out = nil
	}
}
