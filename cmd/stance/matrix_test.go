//go:build unix

package main

// The matrix: the built binary, run as a user would, on bad inputs and
// unusual outputs. Each case checks the exit code, a message, that no file
// was destroyed or half-committed (every file of the case's directory is
// compared before and after, and no temporary file may be left), that no
// special file (/dev/null, /dev/stdout...) was replaced, and the peak RSS.
//
// To add a case, append a matrixCase to the list its group function returns
// (or write a new group function and list it in TestMatrix). A case runs in
// its own directory, which is also the working directory of the binary:
// setup puts the files there, and args name them relatively.

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// matrixMaxRSS is the default bound on a case's peak RSS.
const matrixMaxRSS = 300 << 20

// matrixCase is one run of the stance binary.
type matrixCase struct {
	name string
	// args are the command line after "stance".
	args []string
	// stdin is what the binary reads on stdin (nothing: /dev/null).
	stdin string
	// stdinOpen keeps stdin open after stdin was written, until the
	// process ends: a slow stdin, for the signal cases.
	stdinOpen bool
	// stdinDrip, with stdinOpen, is written to stdin every 50 ms after
	// stdin, until the process ends: a trickling source (tail -f).
	stdinDrip string
	// stdoutPath sends stdout to this file (e.g. /dev/full); relative to
	// the case's directory. Default: captured.
	stdoutPath string
	// headLines makes stdout a pipe whose reader goes away after this many
	// lines, like `| head -N`.
	headLines int
	// env is added to the environment (KEY=VALUE).
	env []string
	// fileLimit runs the binary under `ulimit -f fileLimit` (sh's blocks).
	fileLimit int
	// setup creates the case's files in dir.
	setup func(t *testing.T, dir string)
	// signal is sent signalAfter (default 1 s) after stdin was written.
	signal      syscall.Signal
	signalAfter time.Duration
	// skip returns why the case cannot run here ("": it can).
	skip func() string
	// unprivileged runs the binary as nobody (uid and gid 65534) when the
	// test runs as root, who can read and write everything: for the cases
	// of unreadable files and read-only directories.
	unprivileged bool
	// wantExit is the exit code wanted.
	wantExit int
	// wantStderr and wantStdout are substrings wanted ("": no check).
	wantStderr, wantStdout string
	// changes are the files of dir the run may create, change or remove;
	// every other file must be left as it was, and no other file may appear.
	changes []string
	// devices are special files outside dir (/dev/null, /dev/stdout) that
	// must be left as they are; if one was replaced, it is restored (as
	// root) and the case fails.
	devices []string
	// check runs further checks on the result.
	check func(t *testing.T, r *matrixResult)
	// maxRSS bounds the peak RSS in bytes (0: matrixMaxRSS).
	maxRSS int64
	// maxTime bounds the wall time (0: 60 s).
	maxTime time.Duration
}

// matrixResult is what a case's run gave.
type matrixResult struct {
	dir            string
	exit           int
	stdout, stderr string
	// maxRSS is the peak RSS wait4 reports (ProcessState.SysUsage). It is
	// an upper bound: Go starts a child with vfork (CLONE_VM), and at exec
	// Linux charges the parent's peak RSS (this test process's) to the
	// child, so a small child reports the test process's peak.
	maxRSS int64
	// sampledRSS is the largest VmHWM read from /proc/PID/status while
	// the child ran, every 5 ms: a lower bound (0 where there is no /proc).
	sampledRSS int64
	elapsed    time.Duration
}

// file reads a file of the case's directory ("" when it does not exist).
func (r *matrixResult) file(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(r.dir, name))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return string(b)
}

// exists tells whether the case's directory holds name.
func (r *matrixResult) exists(name string) bool {
	_, err := os.Lstat(filepath.Join(r.dir, name))
	return err == nil
}

func runningAsRoot() bool { return os.Geteuid() == 0 }

// openToNobody lets other users reach path: its directory and theirs up to
// the temporary directory become traversable (t.TempDir makes them 0700).
func openToNobody(t *testing.T, path string) {
	t.Helper()
	tmp := filepath.Clean(os.TempDir())
	for d := filepath.Dir(path); strings.HasPrefix(d, tmp+string(filepath.Separator)); d = filepath.Dir(d) {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		os.Chmod(path, 0o755)
	}
}

func TestMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildStance(t)
	var cases []matrixCase
	for _, group := range []func(t *testing.T) []matrixCase{matrixInputCases, matrixOutputCases, matrixCommandCases} {
		cases = append(cases, group(t)...)
	}
	names := map[string]bool{}
	for _, c := range cases {
		if names[c.name] {
			t.Fatalf("two cases named %q", c.name)
		}
		names[c.name] = true
		t.Run(c.name, func(t *testing.T) { runMatrixCase(t, bin, c) })
	}
}

// buildStance builds the binary once, into the test's temporary directory.
func buildStance(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "stance")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// runMatrixCase runs one case and checks it.
func runMatrixCase(t *testing.T, bin string, c matrixCase) {
	if c.skip != nil {
		if why := c.skip(); why != "" {
			t.Skip(why)
		}
	}
	dir := t.TempDir()
	if c.setup != nil {
		c.setup(t, dir)
	}
	before := snapshotDir(t, dir)
	devs := make([]matrixDevice, len(c.devices))
	for i, d := range c.devices {
		devs[i] = statMatrixDevice(t, d)
	}

	name, args := bin, c.args
	if c.fileLimit > 0 {
		name, args = "sh", append([]string{"-c", fmt.Sprintf(`ulimit -f %d && exec "$0" "$@"`, c.fileLimit), bin}, c.args...)
	}
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), c.env...)
	if c.unprivileged && runningAsRoot() {
		openToNobody(t, bin)
		openToNobody(t, dir)
		if err := os.Chmod(dir, 0o777); err != nil {
			t.Fatal(err)
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	var stdout, stderr bytes.Buffer
	cmd.Stderr = &stderr

	var stdinW *os.File
	stdinWritten := make(chan struct{})
	if c.stdin != "" || c.stdinOpen {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stdin, stdinW = r, w
		defer r.Close()
		defer w.Close() // after the dripping goroutine stopped writing
	}
	var stdoutDone sync.WaitGroup
	switch {
	case c.stdoutPath != "":
		p := c.stdoutPath
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		cmd.Stdout = f
	case c.headLines > 0:
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stdout = w
		defer w.Close()
		stdoutDone.Add(1)
		go func() {
			defer stdoutDone.Done()
			br := bufio.NewReader(r)
			for range c.headLines {
				line, err := br.ReadString('\n')
				stdout.WriteString(line)
				if err != nil {
					break
				}
			}
			r.Close()
		}()
	default:
		cmd.Stdout = &stdout
	}

	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if cmd.Stdout != &stdout {
		if f, ok := cmd.Stdout.(*os.File); ok && c.headLines > 0 {
			f.Close() // the child holds the write end
		}
	}
	if stdinW != nil {
		exited := make(chan struct{})
		defer close(exited)
		go func() {
			io.WriteString(stdinW, c.stdin)
			close(stdinWritten)
			if !c.stdinOpen {
				stdinW.Close()
				return
			}
			for c.stdinDrip != "" {
				select {
				case <-exited:
					return
				case <-time.After(50 * time.Millisecond):
				}
				if _, err := io.WriteString(stdinW, c.stdinDrip); err != nil {
					return
				}
			}
		}()
	}
	if stdinW == nil {
		close(stdinWritten)
	}
	if c.signal != 0 {
		after := c.signalAfter
		if after == 0 {
			after = time.Second
		}
		// The clock starts when the binary has taken stdin (a pipe holds
		// 64 KiB), so that a loaded machine does not signal a process
		// still starting.
		go func() {
			<-stdinWritten
			time.Sleep(after)
			cmd.Process.Signal(c.signal)
		}()
	}
	maxTime := c.maxTime
	if maxTime == 0 {
		maxTime = 60 * time.Second
	}
	timer := time.AfterFunc(maxTime, func() { cmd.Process.Kill() })
	sampled := sampleVmHWM(cmd.Process.Pid)
	err := cmd.Wait()
	timer.Stop()
	stdoutDone.Wait()
	r := &matrixResult{dir: dir, stdout: stdout.String(), stderr: stderr.String(), elapsed: time.Since(start), sampledRSS: sampled()}
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatalf("run: %v", err)
		}
	}
	r.exit = cmd.ProcessState.ExitCode()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		t.Errorf("killed by signal %v", ws.Signal())
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxRSS = maxrssBytes(ru.Maxrss)
	}
	var self syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	t.Logf("exit %d in %v, peak RSS %.1f MiB (wait4; this test process: %.1f MiB; sampled VmHWM: %.1f MiB); stderr: %s",
		r.exit, r.elapsed.Round(time.Millisecond), toMiB(r.maxRSS), toMiB(maxrssBytes(self.Maxrss)), toMiB(r.sampledRSS), firstLineOf(r.stderr))

	if r.exit != c.wantExit {
		t.Errorf("exit %d, want %d; stderr:\n%s", r.exit, c.wantExit, r.stderr)
	}
	if c.wantStderr != "" && !strings.Contains(r.stderr, c.wantStderr) {
		t.Errorf("stderr lacks %q:\n%s", c.wantStderr, r.stderr)
	}
	if c.wantStdout != "" && !strings.Contains(r.stdout, c.wantStdout) {
		t.Errorf("stdout lacks %q:\n%.2000s", c.wantStdout, r.stdout)
	}
	for _, crash := range []string{"panic:", "goroutine ", "fatal error:", "SIGSEGV"} {
		if strings.Contains(r.stderr, crash) {
			t.Errorf("stderr has a crash (%q):\n%.3000s", crash, r.stderr)
		}
	}
	maxRSS := c.maxRSS
	if maxRSS == 0 {
		maxRSS = matrixMaxRSS
	}
	rss := r.maxRSS
	if self := maxrssBytes(self.Maxrss); rss <= self {
		// wait4 charged the child with this test process's own peak (Go
		// starts children with vfork): when the test process is the bigger
		// (other tests ran in it, under -race), the child's own high-water
		// mark is the sampled VmHWM; a child too quick to be sampled is too
		// quick to have grown.
		rss = r.sampledRSS
	}
	if rss > maxRSS {
		t.Errorf("peak RSS %d MiB, want at most %d MiB", rss>>20, maxRSS>>20)
	}
	compareSnapshotDirs(t, before, snapshotDir(t, dir), c.changes)
	for _, d := range devs {
		d.check(t)
	}
	if c.check != nil {
		c.check(t, r)
	}
}

// maxrssBytes converts ru_maxrss to bytes.
func maxrssBytes(maxrss int64) int64 {
	if runtime.GOOS == "darwin" {
		return maxrss
	}
	return maxrss << 10 // Linux and the BSDs count KiB
}

func toMiB(b int64) float64 { return float64(b) / (1 << 20) }

// sampleVmHWM reads the VmHWM of process pid every 5 ms until the returned
// function is called, which returns the largest value read, in bytes.
func sampleVmHWM(pid int) func() int64 {
	stop := make(chan struct{})
	done := make(chan int64)
	path := fmt.Sprintf("/proc/%d/status", pid)
	go func() {
		var peak int64
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			if b, err := os.ReadFile(path); err == nil {
				for line := range strings.Lines(string(b)) {
					if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
						var kb int64
						fmt.Sscanf(strings.TrimSpace(v), "%d", &kb)
						peak = max(peak, kb<<10)
					}
				}
			}
			select {
			case <-stop:
				done <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return func() int64 { close(stop); return <-done }
}

func firstLineOf(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// matrixFileState is what snapshotDir records of a file: its type and permissions,
// and for a regular file its content's hash.
type matrixFileState struct {
	mode fs.FileMode
	hash string
}

// snapshotDir records every file under dir, by path relative to dir.
func snapshotDir(t *testing.T, dir string) map[string]matrixFileState {
	t.Helper()
	out := map[string]matrixFileState{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		st, err := os.Lstat(p)
		if err != nil {
			return err
		}
		s := matrixFileState{mode: st.Mode()}
		if st.Mode().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				// Unreadable (the case made it so): its size and time stand in.
				s.hash = fmt.Sprintf("unreadable %d %v", st.Size(), st.ModTime().UnixNano())
			} else {
				s.hash = fmt.Sprintf("%x", sha256.Sum256(b))
			}
		}
		if d.IsDir() && st.Mode().Perm()&0o500 != 0o500 {
			out[rel] = s
			return fs.SkipDir
		}
		out[rel] = s
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// compareSnapshotDirs fails for any file changed, removed or added outside
// the allowed changes, and for any temporary file left behind.
func compareSnapshotDirs(t *testing.T, before, after map[string]matrixFileState, changes []string) {
	t.Helper()
	for name, b := range before {
		if slices.Contains(changes, name) {
			continue
		}
		a, ok := after[name]
		switch {
		case !ok:
			t.Errorf("%s was removed", name)
		case a.mode != b.mode:
			t.Errorf("%s changed from %v to %v", name, b.mode, a.mode)
		case a.hash != b.hash:
			t.Errorf("%s was changed", name)
		}
	}
	for name := range after {
		if _, ok := before[name]; ok || slices.Contains(changes, name) {
			if strings.Contains(filepath.Base(name), ".tmp-") {
				t.Errorf("temporary file left: %s", name)
			}
			continue
		}
		t.Errorf("unexpected file left: %s", name)
	}
}

// matrixDevice is what a special file outside the case's directory was.
type matrixDevice struct {
	path   string
	mode   fs.FileMode
	rdev   uint64
	target string
}

func statMatrixDevice(t *testing.T, path string) matrixDevice {
	t.Helper()
	st, err := os.Lstat(path)
	if err != nil {
		t.Skipf("no %s here: %v", path, err)
	}
	d := matrixDevice{path: path, mode: st.Mode()}
	if sys, ok := st.Sys().(*syscall.Stat_t); ok {
		d.rdev = uint64(sys.Rdev)
	}
	if st.Mode()&fs.ModeSymlink != 0 {
		d.target, _ = os.Readlink(path)
	}
	return d
}

// check fails if the special file changed, and puts it back (as root).
func (d matrixDevice) check(t *testing.T) {
	t.Helper()
	now := statMatrixDevice(t, d.path)
	if now == d {
		return
	}
	t.Errorf("%s was replaced: %v (was %v)", d.path, now.mode, d.mode)
	if err := os.Remove(d.path); err != nil {
		t.Errorf("restore %s: %v", d.path, err)
		return
	}
	var err error
	switch {
	case d.target != "":
		err = os.Symlink(d.target, d.path)
	default:
		mode := uint32(d.mode.Perm()) | syscall.S_IFCHR
		if d.mode&fs.ModeCharDevice == 0 {
			mode = uint32(d.mode.Perm()) | syscall.S_IFBLK
		}
		err = syscall.Mknod(d.path, mode, int(d.rdev))
		if err == nil {
			err = os.Chmod(d.path, d.mode.Perm())
		}
	}
	if err != nil {
		t.Errorf("restore %s: %v", d.path, err)
	}
}

// Fixtures.

const (
	matrixThread = "../../testdata/nyt-huawei-shared-values-2019-12-27.txt"
	matrixSeed   = "../../training/default/seed-labels.jsonl"
)

// matrixPut writes files into dir: name, content, name, content...
func matrixPut(t *testing.T, dir string, nameContent ...string) {
	t.Helper()
	for i := 0; i+1 < len(nameContent); i += 2 {
		p := filepath.Join(dir, nameContent[i])
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(nameContent[i+1]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// matrixCopy copies the file src into dir as name.
func matrixCopy(t *testing.T, dir, name, src string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	matrixPut(t, dir, name, string(b))
}

// matrixThreadIn copies the NYT thread into dir as thread.txt.
func matrixThreadIn(t *testing.T, dir string) { matrixCopy(t, dir, "thread.txt", matrixThread) }

// matrixSeedIn copies the default model's seed labels into dir as seed.jsonl.
func matrixSeedIn(t *testing.T, dir string) { matrixCopy(t, dir, "seed.jsonl", matrixSeed) }

// matrixJSONL returns n JSONL comments of about 120 bytes.
func matrixJSONL(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"id":"c%d","author":"A%d","text":"Huawei builds cheap 5G gear and the US calls it a security risk without proof, number %d."}`+"\n", i, i%97, i)
	}
	return b.String()
}

// allSetups joins setup functions.
func allSetups(fs ...func(t *testing.T, dir string)) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		for _, f := range fs {
			f(t, dir)
		}
	}
}

// wantFileHas checks that the case left name holding a substring.
func wantFileHas(name, sub string) func(t *testing.T, r *matrixResult) {
	return func(t *testing.T, r *matrixResult) {
		t.Helper()
		if got := r.file(t, name); !strings.Contains(got, sub) {
			t.Errorf("%s lacks %q:\n%.1000s", name, sub, got)
		}
	}
}

// wantFiles checks that the case left files named names.
func wantFiles(names ...string) func(t *testing.T, r *matrixResult) {
	return func(t *testing.T, r *matrixResult) {
		t.Helper()
		for _, n := range names {
			if !r.exists(n) {
				t.Errorf("%s does not exist", n)
			}
		}
	}
}

// wantNoFiles checks that the case did not leave name.
func wantNoFiles(names ...string) func(t *testing.T, r *matrixResult) {
	return func(t *testing.T, r *matrixResult) {
		t.Helper()
		for _, n := range names {
			if r.exists(n) {
				t.Errorf("%s exists", n)
			}
		}
	}
}

// allChecks joins checks.
func allChecks(cs ...func(t *testing.T, r *matrixResult)) func(t *testing.T, r *matrixResult) {
	return func(t *testing.T, r *matrixResult) {
		t.Helper()
		for _, c := range cs {
			c(t, r)
		}
	}
}

// matrixInputCases are bad and unusual inputs.
func matrixInputCases(t *testing.T) []matrixCase {
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" + strings.Repeat("\x00", 64)
	binary := string(bytes.Repeat([]byte{0x00, 0xff, 0x13, 0x37, 0xde, 0xad}, 200))
	return []matrixCase{
		{name: "train/empty", args: []string{"train", "empty.jsonl", "-o", "m.json"},
			setup:    func(t *testing.T, dir string) { matrixPut(t, dir, "empty.jsonl", "") },
			wantExit: 1, wantStderr: "empty.jsonl: no labeled documents"},
		{name: "eval/empty", args: []string{"eval", "empty.jsonl"},
			setup:    func(t *testing.T, dir string) { matrixPut(t, dir, "empty.jsonl", "") },
			wantExit: 1, wantStderr: "empty.jsonl: no labeled documents"},
		{name: "train/blank-lines-only", args: []string{"train", "blank.jsonl", "-o", "m.json"},
			setup:    func(t *testing.T, dir string) { matrixPut(t, dir, "blank.jsonl", "\n\n  \n") },
			wantExit: 1, wantStderr: "blank.jsonl: no labeled documents"},
		{name: "eval/empty-stdin", args: []string{"eval", "-"},
			wantExit: 1, wantStderr: "stdin: no labeled documents"},
		{name: "table/directory", args: []string{"table", "adir"},
			setup:    func(t *testing.T, dir string) { os.Mkdir(filepath.Join(dir, "adir"), 0o755) },
			wantExit: 1, wantStderr: "adir"},
		{name: "score/missing", args: []string{"score", "missing.jsonl"},
			wantExit: 1, wantStderr: "missing.jsonl"},
		{name: "train/missing", args: []string{"train", "missing.jsonl", "-o", "m.json"},
			wantExit: 1, wantStderr: "missing.jsonl"},
		{name: "parse/unreadable", args: []string{"parse", "secret.txt"}, unprivileged: true,
			setup: func(t *testing.T, dir string) {
				matrixPut(t, dir, "secret.txt", "a comment\n")
				os.Chmod(filepath.Join(dir, "secret.txt"), 0)
			},
			wantExit: 1, wantStderr: "permission denied"},
		{name: "parse/binary", args: []string{"parse", "blob.bin"},
			setup:    func(t *testing.T, dir string) { matrixPut(t, dir, "blob.bin", binary) },
			wantExit: 1, wantStderr: "blob.bin"},
		{name: "table/png", args: []string{"table", "picture.png"},
			setup:    func(t *testing.T, dir string) { matrixPut(t, dir, "picture.png", png) },
			wantExit: 1, wantStderr: "picture.png"},
		{name: "train/png", args: []string{"train", "picture.png", "-o", "m.json"},
			setup:    func(t *testing.T, dir string) { matrixPut(t, dir, "picture.png", png) },
			wantExit: 1, wantStderr: "not a text file"},
		{name: "score/invalid-utf8", args: []string{"score", "latin1.txt", "--input-format", "lines"},
			setup: func(t *testing.T, dir string) {
				matrixPut(t, dir, "latin1.txt", "Caf\xe9 cr\xe8me is cheap\nHuawei is a state company\n")
			},
			wantExit: 0, wantStdout: `"id":`},
		{name: "table/crlf", args: []string{"table", "thread-crlf.txt"},
			setup: func(t *testing.T, dir string) {
				b, err := os.ReadFile(matrixThread)
				if err != nil {
					t.Fatal(err)
				}
				matrixPut(t, dir, "thread-crlf.txt", strings.ReplaceAll(string(b), "\n", "\r\n"))
			},
			wantExit: 0, wantStdout: "50 comments"},
		{name: "parse/bom", args: []string{"parse", "bom.jsonl"},
			setup:    func(t *testing.T, dir string) { matrixPut(t, dir, "bom.jsonl", "\ufeff"+matrixJSONL(3)) },
			wantExit: 0, wantStdout: `"id":"c0"`},
		{name: "table/corrupt-model", args: []string{"table", "thread.txt", "--model", "broken.json.gz"},
			setup: allSetups(matrixThreadIn, func(t *testing.T, dir string) {
				var b bytes.Buffer
				zw := gzip.NewWriter(&b)
				zw.Write([]byte(`{"format":"stance.model","version":1,"classes":[`))
				zw.Close()
				matrixPut(t, dir, "broken.json.gz", b.String()[:b.Len()-6])
			}),
			wantExit: 1, wantStderr: "broken.json.gz"},
		{name: "score/foreign-model", args: []string{"score", "in.jsonl", "--model", "package.json"},
			setup: func(t *testing.T, dir string) {
				matrixPut(t, dir, "in.jsonl", matrixJSONL(2), "package.json", `{"name":"left-pad","version":"1.3.0"}`)
			},
			wantExit: 1, wantStderr: "package.json"},
		{name: "model-show/foreign-model", args: []string{"model", "show", "thread.txt"},
			setup:    matrixThreadIn,
			wantExit: 1, wantStderr: "thread.txt"},
	}
}

// matrixOutputCases are -o and stdout cases.
func matrixOutputCases(t *testing.T) []matrixCase {
	in := func(t *testing.T, dir string) { matrixPut(t, dir, "in.jsonl", matrixJSONL(50)) }
	fifoGot := new(bytes.Buffer)
	// The signal cases send more than 64 KiB first: input detection peeks
	// that much before anything else (see score/sigint-idle-stdin).
	drip := `{"text":"Huawei gear is cheap and the NSA spies too."}` + "\n"
	var fifoDone sync.WaitGroup
	cases := []matrixCase{
		{name: "score/output-equal-to-input", args: []string{"score", "in.jsonl", "-o", "./in.jsonl"},
			setup: in, wantExit: 1, wantStderr: "also an input"},
		{name: "train/output-equal-to-input", args: []string{"train", "seed.jsonl", "-o", "seed.jsonl"},
			setup: matrixSeedIn, wantExit: 1, wantStderr: "also an input"},
		{name: "score/sigint-slow-stdin", args: []string{"score", "-", "-o", "out.jsonl"},
			stdin: matrixJSONL(1000), stdinOpen: true, stdinDrip: drip, maxTime: 15 * time.Second, signal: syscall.SIGINT,
			wantExit: 130, wantStderr: "out.jsonl.partial", changes: []string{"out.jsonl.partial"},
			// The comments read before the signal are not all in the partial
			// output yet: score holds back a part-filled batch (issue 10 item 5).
			check: allChecks(wantNoFiles("out.jsonl"), wantFiles("out.jsonl.partial"))},
		{name: "score/sigterm-slow-stdin", args: []string{"score", "-"},
			stdin: matrixJSONL(1000), stdinOpen: true, stdinDrip: drip, maxTime: 15 * time.Second, signal: syscall.SIGTERM,
			wantExit: 130, wantStderr: "scored "},
		{name: "table/sigint-slow-stdin", args: []string{"table", "-", "-o", "t.txt"},
			stdin: matrixJSONL(1000), stdinOpen: true, stdinDrip: drip, maxTime: 15 * time.Second, signal: syscall.SIGINT,
			wantExit: 130, check: wantNoFiles("t.txt")},
		{name: "score/sigint-idle-stdin", args: []string{"score", "-", "-o", "out.jsonl"},
			stdin: matrixJSONL(20), stdinOpen: true, signal: syscall.SIGINT, maxTime: 10 * time.Second,
			wantExit: 130, changes: []string{"out.jsonl.partial"}, check: wantNoFiles("out.jsonl")},
		// A closed stdout pipe: the reader has what it wants. Exit 0,
		// silently, no crash (see run).
		{name: "score/head-1", args: []string{"score", "in.jsonl"}, headLines: 1,
			setup:    func(t *testing.T, dir string) { matrixPut(t, dir, "in.jsonl", matrixJSONL(20000)) },
			wantExit: 0, wantStdout: `"id":"c0"`,
			check: func(t *testing.T, r *matrixResult) {
				if strings.TrimSpace(r.stderr) != "" && !strings.HasPrefix(r.stderr, "scored ") {
					t.Errorf("stderr: %s", r.stderr)
				}
			}},
		{name: "parse/head-1", args: []string{"parse", "in.jsonl"}, headLines: 1,
			setup:    func(t *testing.T, dir string) { matrixPut(t, dir, "in.jsonl", matrixJSONL(20000)) },
			wantExit: 0, wantStdout: `"id":"c0"`},
		{name: "table/head-1", args: []string{"table", "thread.txt", "--by", "comments"}, headLines: 1,
			setup: matrixThreadIn, wantExit: 0, wantStdout: "Comments"},

		// Special files are written in place, never replaced.
		{name: "score/dev-null", args: []string{"score", "in.jsonl", "-o", "/dev/null"},
			setup: in, devices: []string{"/dev/null"}, wantExit: 0},
		{name: "table/dev-stdout", args: []string{"table", "thread.txt", "-o", "/dev/stdout"},
			setup: matrixThreadIn, devices: []string{"/dev/stdout"}, wantExit: 0, wantStdout: "Total"},
		// `-o /dev/stdout > FILE`: FILE gets the records once, appended
		// where the shell left it, and no file replaces /dev/stdout.
		{name: "score/dev-stdout-to-file", args: []string{"score", "in.jsonl", "-o", "/dev/stdout"}, stdoutPath: "captured.jsonl",
			setup: in, devices: []string{"/dev/stdout"}, changes: []string{"captured.jsonl"}, wantExit: 0,
			check: func(t *testing.T, r *matrixResult) {
				if n := strings.Count(r.file(t, "captured.jsonl"), "\n"); n != 50 {
					t.Errorf("captured.jsonl has %d lines, want 50", n)
				}
			}},
		{name: "parse/dev-full", args: []string{"parse", "in.jsonl", "-o", "/dev/full"},
			setup: in, devices: []string{"/dev/full"}, wantExit: 1, wantStderr: "no space left on device"},
		{name: "score/proc-self-fd-1", args: []string{"score", "in.jsonl", "-o", "/proc/self/fd/1"},
			setup: in, wantExit: 0, wantStdout: `"id":"c49"`},
		{name: "score/fifo", args: []string{"score", "in.jsonl", "-o", "pipe"},
			setup: allSetups(in, func(t *testing.T, dir string) {
				p := filepath.Join(dir, "pipe")
				if err := syscall.Mkfifo(p, 0o644); err != nil {
					t.Fatal(err)
				}
				fifoDone.Add(1)
				go func() {
					defer fifoDone.Done()
					f, err := os.Open(p) // blocks until stance opens it to write
					if err != nil {
						return
					}
					io.Copy(fifoGot, f)
					f.Close()
				}()
			}),
			wantExit: 0,
			check: func(t *testing.T, r *matrixResult) {
				done := make(chan struct{})
				go func() { fifoDone.Wait(); close(done) }()
				select {
				case <-done:
				case <-time.After(5 * time.Second):
					// stance never opened the pipe: release the reader.
					if f, err := os.OpenFile(filepath.Join(r.dir, "pipe"), os.O_RDWR, 0); err == nil {
						f.Close()
					}
					<-done
				}
				if n := strings.Count(fifoGot.String(), "\n"); n != 50 {
					t.Errorf("the reader of the pipe got %d records, want 50", n)
				}
			}},
		{name: "score/symlink-kept", args: []string{"score", "in.jsonl", "-o", "link.jsonl"},
			setup: allSetups(in, func(t *testing.T, dir string) {
				matrixPut(t, dir, "real/out.jsonl", "old\n")
				os.Symlink("real/out.jsonl", filepath.Join(dir, "link.jsonl"))
			}),
			changes: []string{"real/out.jsonl"}, wantExit: 0,
			check: allChecks(wantFileHas("real/out.jsonl", `"id":"c49"`), func(t *testing.T, r *matrixResult) {
				if st, err := os.Lstat(filepath.Join(r.dir, "link.jsonl")); err != nil || st.Mode()&fs.ModeSymlink == 0 {
					t.Errorf("link.jsonl is no longer a symbolic link")
				}
			})},

		// -o is checked before the work.
		{name: "table/output-is-directory", args: []string{"table", "thread.txt", "-o", "adir"},
			setup:    allSetups(matrixThreadIn, func(t *testing.T, dir string) { os.Mkdir(filepath.Join(dir, "adir"), 0o755) }),
			wantExit: 1, wantStderr: "output adir is a directory", maxTime: 5 * time.Second},
		{name: "eval/output-in-missing-directory", args: []string{"eval", "seed.jsonl", "-o", "nodir/report.txt"},
			setup: matrixSeedIn, wantExit: 1, wantStderr: "output nodir/report.txt: directory nodir does not exist"},
		{name: "score/output-in-read-only-directory", args: []string{"score", "in.jsonl", "-o", "ro/out.jsonl"}, unprivileged: true,
			setup: allSetups(in, func(t *testing.T, dir string) {
				os.Mkdir(filepath.Join(dir, "ro"), 0o555)
			}),
			wantExit: 1, wantStderr: "directory ro is not writable"},
		{name: "train/output-is-directory", args: []string{"train", "seed.jsonl", "-o", "adir"},
			setup:    allSetups(matrixSeedIn, func(t *testing.T, dir string) { os.Mkdir(filepath.Join(dir, "adir"), 0o755) }),
			wantExit: 1, wantStderr: "output adir is a directory"},

		// Write errors fail and commit nothing.
		{name: "eval/stdout-full", args: []string{"eval", "seed.jsonl"}, stdoutPath: "/dev/full",
			setup: matrixSeedIn, devices: []string{"/dev/full"}, wantExit: 1, wantStderr: "no space left on device"},
		{name: "model-show/stdout-full", args: []string{"model", "show"}, stdoutPath: "/dev/full",
			devices: []string{"/dev/full"}, wantExit: 1, wantStderr: "no space left on device"},
		{name: "train/summary-stdout-full", args: []string{"train", "seed.jsonl", "-o", "m.json"}, stdoutPath: "/dev/full",
			setup: matrixSeedIn, devices: []string{"/dev/full"}, wantExit: 1, wantStderr: "no space left on device",
			check: wantNoFiles("m.json")},
		{name: "table/stdout-full", args: []string{"table", "thread.txt"}, stdoutPath: "/dev/full",
			setup: matrixThreadIn, devices: []string{"/dev/full"}, wantExit: 1, wantStderr: "no space left on device"},
		{name: "eval/ulimit-f", args: []string{"eval", "seed.jsonl", "-f", "json", "-o", "report.json"}, fileLimit: 2,
			setup: matrixSeedIn, wantExit: 1, wantStderr: "file too large", check: wantNoFiles("report.json")},
		{name: "score/ulimit-f-keeps-old", args: []string{"score", "in.jsonl", "-o", "out.jsonl"}, fileLimit: 2,
			setup:    allSetups(in, func(t *testing.T, dir string) { matrixPut(t, dir, "out.jsonl", "old\n") }),
			wantExit: 1, wantStderr: "file too large"},

		// The extension of -o.
		{name: "score/gz", args: []string{"score", "in.jsonl", "-o", "out.jsonl.gz"},
			setup: in, changes: []string{"out.jsonl.gz"}, wantExit: 0,
			check: func(t *testing.T, r *matrixResult) {
				zr, err := gzip.NewReader(strings.NewReader(r.file(t, "out.jsonl.gz")))
				if err != nil {
					t.Fatal(err)
				}
				b, err := io.ReadAll(zr)
				if err != nil || strings.Count(string(b), "\n") != 50 {
					t.Errorf("gunzip: %v, %d lines", err, strings.Count(string(b), "\n"))
				}
			}},
		{name: "score/zst-csv", args: []string{"score", "in.jsonl", "-o", "out.csv.zst"},
			setup: in, changes: []string{"out.csv.zst"}, wantExit: 0,
			check: func(t *testing.T, r *matrixResult) {
				if got := r.file(t, "out.csv.zst"); !strings.HasPrefix(got, "\x28\xb5\x2f\xfd") {
					t.Errorf("out.csv.zst is not zstd: %q", got[:min(len(got), 16)])
				}
			}},
		{name: "score/csv-from-extension", args: []string{"score", "in.jsonl", "-o", "out.csv"},
			setup: in, changes: []string{"out.csv"}, wantExit: 0, check: wantFileHas("out.csv", "sentiment.compound")},
		{name: "table/markdown-from-extension", args: []string{"table", "thread.txt", "-o", "t.md"},
			setup: matrixThreadIn, changes: []string{"t.md"}, wantExit: 0, check: wantFileHas("t.md", "| Argument")},
		{name: "table/unknown-extension-keeps-default", args: []string{"table", "thread.txt", "-o", "t.txt"},
			setup: matrixThreadIn, changes: []string{"t.txt"}, wantExit: 0, check: wantFileHas("t.txt", "┌")},
		{name: "score/format-contradicts-extension", args: []string{"score", "in.jsonl", "-f", "csv", "-o", "out.jsonl"},
			setup: in, wantExit: 2, wantStderr: "-f csv contradicts -o out.jsonl"},
		{name: "score/extension-not-a-score-format", args: []string{"score", "in.jsonl", "-o", "out.html"},
			setup: in, wantExit: 2, wantStderr: "names a html file"},
		{name: "train/zst-binary-model", args: []string{"train", "seed.jsonl", "-o", "m.stm.zst", "--quiet"},
			setup: matrixSeedIn, changes: []string{"m.stm.zst"}, wantExit: 0,
			check: func(t *testing.T, r *matrixResult) {
				if _, err := decodeModel("m.stm.zst", strings.NewReader(r.file(t, "m.stm.zst"))); err != nil || !strings.HasPrefix(r.file(t, "m.stm.zst"), "\x28\xb5\x2f\xfd") {
					t.Errorf("m.stm.zst is not a zstd model: %v", err)
				}
			}},
		{name: "eval/json-from-extension", args: []string{"eval", "seed.jsonl", "-o", "report.json"},
			setup: matrixSeedIn, changes: []string{"report.json"}, wantExit: 0, check: wantFileHas("report.json", `"accuracy":`)},
		{name: "eval/format-contradicts-extension", args: []string{"eval", "seed.jsonl", "-f", "table", "-o", "report.json"},
			setup: matrixSeedIn, wantExit: 2, wantStderr: "-f table contradicts -o report.json"},
		{name: "train/gz-model", args: []string{"train", "seed.jsonl", "-o", "m.json.gz", "--quiet"},
			setup: matrixSeedIn, changes: []string{"m.json.gz"}, wantExit: 0,
			check: func(t *testing.T, r *matrixResult) {
				zr, err := gzip.NewReader(strings.NewReader(r.file(t, "m.json.gz")))
				if err != nil {
					t.Fatal(err)
				}
				if b, err := io.ReadAll(zr); err != nil || !bytes.HasPrefix(bytes.TrimSpace(b), []byte("{")) {
					t.Errorf("m.json.gz is not a gzipped JSON model: %v %.20q", err, b)
				}
				if r.stdout != "" {
					t.Errorf("--quiet, stdout: %s", r.stdout)
				}
			}},
		{name: "model-show/output-json", args: []string{"model", "show", "-o", "card.json"},
			changes: []string{"card.json"}, wantExit: 0, check: wantFileHas("card.json", `"classes"`)},

		// A stale OUT.partial goes with a successful run.
		{name: "score/stale-partial-removed", args: []string{"score", "in.jsonl", "-o", "out.jsonl"},
			setup:   allSetups(in, func(t *testing.T, dir string) { matrixPut(t, dir, "out.jsonl.partial", `{"id":"old"}`+"\n") }),
			changes: []string{"out.jsonl", "out.jsonl.partial"}, wantExit: 0, check: wantNoFiles("out.jsonl.partial")},
	}
	if runningAsRoot() {
		// As root a mistaken rename would replace the device: use a copy
		// of /dev/null made in the case's directory.
		cases = append(cases, matrixCase{name: "score/char-device-in-dir", args: []string{"score", "in.jsonl", "-o", "null"},
			setup: allSetups(in, func(t *testing.T, dir string) {
				if err := syscall.Mknod(filepath.Join(dir, "null"), syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
					t.Skipf("mknod: %v", err)
				}
			}),
			wantExit: 0})
	}
	return cases
}

// matrixCommandCases are the command line: exit codes, usage errors, flags
// every command shares.
func matrixCommandCases(t *testing.T) []matrixCase {
	return []matrixCase{
		{name: "root/unknown-command", args: []string{"frob"}, wantExit: 2, wantStderr: `unknown command "frob" for "stance"`},
		{name: "model/unknown-subcommand", args: []string{"model", "frob"}, wantExit: 2, wantStderr: `unknown command "frob" for "stance model"`},
		{name: "model/no-subcommand-is-help", args: []string{"model"}, wantExit: 0, wantStdout: "show"},
		{name: "parse/unknown-flag", args: []string{"parse", "--frob"}, wantExit: 2, wantStderr: "Run 'stance parse --help' for usage."},
		{name: "train/missing-argument", args: []string{"train", "-o", "m.json"}, wantExit: 2, wantStderr: "requires at least 1 arg"},
		{name: "model-show/too-many-arguments", args: []string{"model", "show", "a", "b"}, wantExit: 2, wantStderr: "accepts at most 1 arg"},
		{name: "parse/file-named-like-a-usage-error", args: []string{"parse", "accepts nothing.txt"}, wantExit: 1, wantStderr: "accepts nothing.txt"},
		{name: "root/version", args: []string{"--version"}, wantExit: 0, wantStdout: "stance "},
		{name: "train/abstain-without-fallback", args: []string{"train", "seed.jsonl", "--abstain", "0.5", "-o", "m.json"},
			setup: matrixSeedIn, wantExit: 2, wantStderr: "--abstain needs a fallback class"},
		{name: "train/abstain-with-fallback", args: []string{"train", "seed.jsonl", "--taxonomy", "default", "--abstain", "0.3", "-o", "m.json.gz", "--quiet"},
			setup: matrixSeedIn, changes: []string{"m.json.gz"}, wantExit: 0},
		{name: "train/skip-bad", args: []string{"train", "bad.jsonl", "--skip-bad", "-o", "m.json"},
			setup: func(t *testing.T, dir string) {
				matrixPut(t, dir, "bad.jsonl", `{"text":"a","label":"x"}`+"\n"+`{"text":"b"}`+"\n"+`{"text":"c","label":"y"}`+"\n")
			},
			changes: []string{"m.json"}, wantExit: 0, wantStderr: "skipped 1 bad record(s): bad.jsonl:2"},
		{name: "train/bad-record-stops", args: []string{"train", "bad.jsonl", "-o", "m.json"},
			setup: func(t *testing.T, dir string) {
				matrixPut(t, dir, "bad.jsonl", `{"text":"a","label":"x"}`+"\n"+`{"text":"b"}`+"\n"+`{"text":"c","label":"y"}`+"\n")
			},
			wantExit: 1, wantStderr: "bad.jsonl:2: field label: no label"},
		{name: "train/gzip-bomb", args: []string{"train", "bomb.jsonl.gz", "-o", "m.json"},
			setup: func(t *testing.T, dir string) {
				var b bytes.Buffer
				zw := gzip.NewWriter(&b)
				zero := make([]byte, 1<<20)
				for range 256 { // 256 MiB of NUL bytes in about 250 KB
					zw.Write(zero)
				}
				zw.Close()
				matrixPut(t, dir, "bomb.jsonl.gz", b.String())
			},
			wantExit: 1, wantStderr: "not a text file", maxRSS: 300 << 20},
		{name: "eval/unseen-test-labels", args: []string{"eval", "seed.jsonl", "--test", "test.jsonl"},
			setup: allSetups(matrixSeedIn, func(t *testing.T, dir string) {
				matrixPut(t, dir, "test.jsonl", `{"text":"cats are nice","label":"cats"}`+"\n"+`{"text":"Huawei is controlled by the party","label":"state-control"}`+"\n")
			}),
			wantExit: 0, wantStderr: `1 of 2 test documents have labels the model never saw, which it cannot predict: "cats" (1)`},
		{name: "eval/unseen-test-labels-quiet", args: []string{"eval", "seed.jsonl", "--test", "test.jsonl", "--quiet"},
			setup: allSetups(matrixSeedIn, func(t *testing.T, dir string) {
				matrixPut(t, dir, "test.jsonl", `{"text":"cats are nice","label":"cats"}`+"\n")
			}),
			wantExit: 0,
			check: func(t *testing.T, r *matrixResult) {
				if r.stderr != "" {
					t.Errorf("--quiet, stderr: %s", r.stderr)
				}
			}},
	}
}
