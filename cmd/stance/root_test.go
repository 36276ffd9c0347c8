package main

import (
	"context"
	"strings"
	"syscall"
	"testing"
)

func TestExitCodes(t *testing.T) {
	for _, tc := range []struct {
		args       []string
		code       int
		wantStderr string
	}{
		{[]string{"frob"}, exitUsage, `unknown command "frob" for "stance"`},
		{[]string{"model", "frob"}, exitUsage, `unknown command "frob" for "stance model"`},
		{[]string{"model", "shwo"}, exitUsage, "Did you mean this?\n\tshow"},
		{[]string{"parse", "--frob"}, exitUsage, "unknown flag: --frob\nRun 'stance parse --help' for usage."},
		{[]string{"model", "show", "--top"}, exitUsage, "flag needs an argument"},
		{[]string{"model", "show", "a", "b"}, exitUsage, "accepts at most 1 arg(s), received 2\nRun 'stance model show --help' for usage."},
		{[]string{"train", "-o", "m.json"}, exitUsage, "requires at least 1 arg(s)"},
		{[]string{"parse", "accepts nothing.txt"}, exitData, "accepts nothing.txt"},
		{[]string{"parse", "requires at least.txt"}, exitData, "requires at least.txt"},
		{[]string{"model"}, exitOK, ""},
		{[]string{"--version"}, exitOK, ""},
	} {
		code, _, errOut := runCmd(t, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.wantStderr) {
			t.Errorf("stance %s: exit %d, stderr %q; want %d, %q", strings.Join(tc.args, " "), code, errOut, tc.code, tc.wantStderr)
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runCmd(t, "--version")
	if code != 0 || !strings.HasPrefix(out, "stance ") {
		t.Errorf("--version: exit %d, %q", code, out)
	}
}

func TestStdoutWriteErrors(t *testing.T) {
	for _, tc := range []struct {
		err  error
		code int
	}{
		{syscall.ENOSPC, exitData},
		{syscall.EPIPE, exitOK}, // the reader went away: `| head`
	} {
		for _, args := range [][]string{{"model", "show"}, {"model", "show", "-f", "json"}} {
			ios, _, errb := testStreams("")
			ios.Out = failWriter{tc.err}
			code := run(context.Background(), ios, args)
			if code != tc.code {
				t.Errorf("%v on stdout, stance %s: exit %d, want %d (stderr %q)", tc.err, strings.Join(args, " "), code, tc.code, errb)
			}
			if tc.code == exitOK && errb.Len() > 0 {
				t.Errorf("broken pipe: stderr %q, want nothing", errb)
			}
		}
	}
}
