package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// Exit codes shared by every command.
const (
	exitOK          = 0
	exitData        = 1
	exitUsage       = 2
	exitInterrupted = 130
)

// IOStreams bundles the command's standard streams and what is known about them.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// ErrTTY is true when ErrOut is a terminal (progress bars go there).
	ErrTTY bool
	// OutTTY is true when Out is a terminal.
	OutTTY bool
}

func defaultStreams() *IOStreams {
	return &IOStreams{
		In:     os.Stdin,
		Out:    os.Stdout,
		ErrOut: os.Stderr,
		ErrTTY: term.IsTerminal(int(os.Stderr.Fd())),
		OutTTY: term.IsTerminal(int(os.Stdout.Fd())),
	}
}

// usageError marks a command-line mistake: exit 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// usagef returns a usage error (exit 2).
func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// errInterrupted is returned by a command stopped by SIGINT/SIGTERM: exit 130.
var errInterrupted = errors.New("interrupted")

func newRootCmd(ios *IOStreams) *cobra.Command {
	root := &cobra.Command{
		Use:   "stance",
		Short: "What the readers argue and how they feel, from a comment thread",
		Long: `stance reads the reader comments under a news article, scores each for
sentiment (VADER), labels each with a naive Bayes classifier into argument
types, and prints stance tables: which arguments are made, how often, with
what sentiment, from which side, and who answers whom.

It runs offline on an embedded default model (Huawei in Europe's 5G
networks); train your own with 'stance train'.`,
		Example: `  stance table testdata/nyt-huawei-shared-values-2019-12-27.txt
  stance parse thread.txt -f table
  stance score dump.jsonl.zst -o scored.jsonl`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(ios.In)
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	for _, add := range subcommands {
		root.AddCommand(add(ios))
	}
	return root
}

// subcommands lists the constructors of the subcommands; each command's file
// adds itself in an init function.
var subcommands []func(*IOStreams) *cobra.Command

func run(ctx context.Context, ios *IOStreams, args []string) int {
	root := newRootCmd(ios)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(ios.ErrOut, "stance: %v\n", err)
	var ue usageError
	switch {
	case errors.Is(err, errInterrupted) || ctx.Err() != nil:
		return exitInterrupted
	case errors.As(err, &ue) || isCobraUsage(err):
		return exitUsage
	default:
		return exitData
	}
}

// isCobraUsage recognises cobra's own argument errors, which are not typed.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "requires at least", "invalid argument", "flag needs an argument", "required flag"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}
