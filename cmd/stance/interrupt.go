package main

import "context"

// untilInterrupted runs f, which does not watch ctx (training, the
// search of --preset auto, cross-validation), and returns its result, or
// errInterrupted as soon as ctx is done (SIGINT, SIGTERM): the command
// then stops at once, before it writes anything, and the process exits
// with f abandoned. It returns errInterrupted without running f when ctx
// is done already.
func untilInterrupted[T any](ctx context.Context, f func() (T, error)) (T, error) {
	var zero T
	if ctx.Err() != nil {
		return zero, errInterrupted
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := f()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		return zero, errInterrupted
	}
}
