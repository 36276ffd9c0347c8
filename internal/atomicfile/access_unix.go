//go:build unix

package atomicfile

import "syscall"

// canWrite reports whether the process may write path (for a directory:
// create files in it), by access(2).
func canWrite(path string) error {
	const wOK, xOK = 0x2, 0x1
	mode := uint32(wOK)
	if st, err := statDir(path); err == nil && st {
		mode |= xOK
	}
	return syscall.Access(path, mode)
}
