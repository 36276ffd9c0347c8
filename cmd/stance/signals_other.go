//go:build !unix

package main

// ignoreWriteSignals does nothing where writes do not raise signals.
func ignoreWriteSignals() {}
