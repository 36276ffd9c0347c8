// Command stance reads the reader comments under a news article and tells
// what the readers argue and how they feel. See `stance --help`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ignoreWriteSignals()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, defaultStreams(), os.Args[1:])
	stop()
	os.Exit(code)
}
