package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"syscall"

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
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%w\nRun '%s --help' for usage.", err, c.CommandPath())}
	})
	// Before any command's own checks and work: the -o destination.
	root.PersistentPreRunE = func(c *cobra.Command, args []string) error { return checkOutputFlag(c) }
	root.Version = buildVersion()
	root.SetVersionTemplate("stance {{.Version}}\n")
	for _, add := range subcommands {
		root.AddCommand(add(ios))
	}
	typeArgErrors(root)
	return root
}

// typeArgErrors wraps the Args validator of cmd and its subcommands so that
// their errors (cobra.MinimumNArgs...) are usage errors.
func typeArgErrors(cmd *cobra.Command) {
	if check := cmd.Args; check != nil {
		cmd.Args = func(c *cobra.Command, args []string) error {
			if err := check(c, args); err != nil {
				return usageError{fmt.Errorf("%w\nRun '%s --help' for usage.", err, c.CommandPath())}
			}
			return nil
		}
	}
	for _, c := range cmd.Commands() {
		typeArgErrors(c)
	}
}

// checkCommand finds the command args name and returns a usage error when
// it names none: an unknown command (`stance frob`) or an unknown
// subcommand of a command group (`stance model frob`), which cobra would
// answer with help and exit 0.
func checkCommand(root *cobra.Command, args []string) error {
	cmd, rest, err := root.Find(args)
	if err != nil {
		// Find fails only for an unknown command of the root.
		return usageError{fmt.Errorf("%w\nRun 'stance --help' for usage.", err)}
	}
	if cmd.Runnable() {
		return nil
	}
	// A command group has no flags of its own beyond --help: its first
	// non-flag argument is a subcommand it does not have.
	for _, a := range rest {
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "-") {
			msg := fmt.Sprintf("unknown command %q for %q", a, cmd.CommandPath())
			if cmd.SuggestionsMinimumDistance <= 0 {
				cmd.SuggestionsMinimumDistance = 2 // cobra's default
			}
			if s := cmd.SuggestionsFor(a); len(s) > 0 {
				msg += "\n\nDid you mean this?\n\t" + strings.Join(s, "\n\t")
			}
			return usagef("%s\nRun '%s --help' for usage.", msg, cmd.CommandPath())
		}
	}
	return nil
}

// buildVersion is what --version prints: the module version and the VCS
// revision, time and state the binary was built from, from its build info.
func buildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown version: no build info)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, when string
	dirty := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return v + " (no VCS revision in the build info)"
	}
	v += " (revision " + rev
	if when != "" {
		v += ", " + when
	}
	if dirty {
		v += ", modified"
	}
	return v + ")"
}

// subcommands lists the constructors of the subcommands; each command's file
// adds itself in an init function.
var subcommands []func(*IOStreams) *cobra.Command

// run runs the command line args and returns the exit code: 0 ok, 1 data
// error (including any lost write to stdout), 2 usage error, 130
// interrupted. Stdout is wrapped so that every write to it is checked
// here, whatever the command. A broken pipe on stdout (`stance ... | head
// -1`) means the reader has all it wants: exit 0, silently.
func run(ctx context.Context, ios *IOStreams, args []string) int {
	stdout := &stickyWriter{w: ios.Out}
	streams := *ios
	streams.Out = stdout
	root := newRootCmd(&streams)
	root.SetArgs(args)
	err := checkCommand(root, args)
	if err == nil {
		err = root.ExecuteContext(ctx)
	}
	if werr := stdout.Err(); werr != nil {
		if errors.Is(werr, syscall.EPIPE) && (err == nil || errors.Is(err, syscall.EPIPE)) {
			return exitOK
		}
		if err == nil {
			err = writeError("stdout", werr)
		}
	}
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(ios.ErrOut, "stance: %v\n", err)
	var ue usageError
	switch {
	case errors.Is(err, errInterrupted) || ctx.Err() != nil:
		return exitInterrupted
	case errors.As(err, &ue):
		return exitUsage
	default:
		return exitData
	}
}
