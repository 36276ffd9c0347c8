//go:build !race

package vader

// raceEnabled reports a -race build, where sync.Pool drops items on purpose.
const raceEnabled = false
