//go:build race

package outbound

// raceOn: the race detector is on; sync.Pool then drops reused objects at random.
const raceOn = true
