package main

import (
	"fmt"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress is the progress bar and end summary of a command that reads
// comments (parse, score, table): a bar on stderr when it is a terminal,
// nothing with --quiet, and a one-line summary at the end unless --quiet.
type progress struct {
	ios   *IOStreams
	quiet bool
	verb  string // "scored", "parsed", "tabled"
	in    input
	now   func() time.Time
	start time.Time
	bar   *progressbar.ProgressBar
}

// newProgress starts the clock, and the bar when stderr is a terminal and
// not --quiet. throttle is the bar's redraw interval. now may be nil
// (time.Now).
func newProgress(ios *IOStreams, quiet bool, verb string, in input, now func() time.Time, throttle time.Duration) *progress {
	if now == nil {
		now = time.Now
	}
	p := &progress{ios: ios, quiet: quiet, verb: verb, in: in, now: now, start: now()}
	if ios.ErrTTY && !quiet {
		total := in.TotalBytes()
		if total <= 0 {
			total = -1
		}
		p.bar = progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(ios.ErrOut),
			progressbar.OptionSetDescription(verb),
			progressbar.OptionShowBytes(true),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(throttle),
			progressbar.OptionClearOnFinish(),
			// No redraw goroutine for an unknown length: the bar is drawn
			// only from the progress calls.
			progressbar.OptionSetSpinnerChangeInterval(0),
		)
	}
	return p
}

// update redraws the bar with the comments done so far; nil without a bar.
// It is called from one goroutine (the pipeline's writer).
func (p *progress) update() func(done int) {
	if p.bar == nil {
		return nil
	}
	return func(done int) {
		secs := time.Since(p.start).Seconds()
		p.bar.Describe(fmt.Sprintf("%d comments, %.0f/s", done, float64(done)/max(secs, 1e-3)))
		p.bar.Set64(p.in.BytesRead())
	}
}

// finish erases the bar and prints the summary: comments, skipped, time
// and rate.
func (p *progress) finish(done int) {
	if p.bar != nil {
		p.bar.Finish() // erases the bar (OptionClearOnFinish)
	}
	if p.quiet {
		return
	}
	secs := p.now().Sub(p.start).Seconds()
	fmt.Fprintf(p.ios.ErrOut, "%s %d comments (%d skipped) in %.2f s: %.0f comments/s\n",
		p.verb, done, p.in.Skipped(), secs, float64(done)/max(secs, 1e-9))
}
