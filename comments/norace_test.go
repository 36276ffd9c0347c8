//go:build !race

package comments

const raceEnabled = false
