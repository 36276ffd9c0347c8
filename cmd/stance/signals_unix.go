//go:build unix

package main

import (
	"os/signal"
	"syscall"
)

// ignoreWriteSignals makes write failures errors instead of deaths by
// signal: with SIGPIPE ignored, a write to a closed pipe returns EPIPE
// (stdout's is then an exit 0, see run; another file's an exit 1); with
// SIGXFSZ ignored, a write past `ulimit -f` returns EFBIG, so the output is
// discarded and the exit code is 1 instead of a core dump and a truncated
// file.
func ignoreWriteSignals() { signal.Ignore(syscall.SIGPIPE, syscall.SIGXFSZ) }
