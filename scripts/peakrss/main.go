// Command peakrss runs a command and reports its wall time and peak
// resident set size (the kernel's ru_maxrss of the child, the same figure
// as VmHWM), for scripts/bench-score.sh on systems without /usr/bin/time.
//
// Usage:
//
//	peakrss COMMAND [ARG...]
//
// It prints "wall_seconds S peak_rss_kb K user_seconds U sys_seconds Y" on
// stderr after the command's own output, and exits with the command's exit
// code.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: peakrss COMMAND [ARG...]")
		os.Exit(2)
	}
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start).Seconds()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		fmt.Fprintln(os.Stderr, "peakrss:", err)
		os.Exit(127)
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = int64(ru.Maxrss) // kilobytes on Linux
	}
	fmt.Fprintf(os.Stderr, "wall_seconds %.3f peak_rss_kb %d user_seconds %.3f sys_seconds %.3f\n",
		wall, rss, cmd.ProcessState.UserTime().Seconds(), cmd.ProcessState.SystemTime().Seconds())
	os.Exit(cmd.ProcessState.ExitCode())
}
