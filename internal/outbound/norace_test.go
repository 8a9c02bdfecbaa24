//go:build !race

package outbound

const raceOn = false
