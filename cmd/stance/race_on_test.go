//go:build race

package main

// raceEnabled tells the tests they run under the race detector: the
// concurrency tests run in full then, and the tests that check no
// concurrency (a browser rendering a page) leave the time to them.
const raceEnabled = true
