//go:build !race

package main

// raceEnabled tells the tests they run under the race detector.
const raceEnabled = false
