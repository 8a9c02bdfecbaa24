package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// profiles are the pprof files of the load phase, written for the in-process stack (emulator,
// ID-porten double, portal and harness share the process): `go tool pprof` them to find what
// serializes a step.
type profiles struct {
	cpu, mutex, block string
	cpuFile           *os.File
	stopped           bool
}

// start begins CPU profiling and turns on mutex and block sampling, as the flags ask.
func (p *profiles) start() error {
	if p.mutex != "" {
		runtime.SetMutexProfileFraction(5)
	}
	if p.block != "" {
		runtime.SetBlockProfileRate(int(10_000)) // one sample per 10 µs blocked
	}
	if p.cpu == "" {
		return nil
	}
	f, err := os.Create(p.cpu)
	if err != nil {
		return fmt.Errorf("-cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("-cpuprofile: %w", err)
	}
	p.cpuFile = f
	return nil
}

// stop ends CPU profiling and writes the mutex and block profiles; a second call does nothing.
func (p *profiles) stop() error {
	if p.stopped {
		return nil
	}
	p.stopped = true
	var errs []error
	if p.cpuFile != nil {
		pprof.StopCPUProfile()
		errs = append(errs, p.cpuFile.Close())
		p.cpuFile = nil
	}
	for _, w := range []struct{ name, path string }{{"mutex", p.mutex}, {"block", p.block}} {
		if w.path == "" {
			continue
		}
		f, err := os.Create(w.path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		errs = append(errs, pprof.Lookup(w.name).WriteTo(f, 0), f.Close())
	}
	runtime.SetMutexProfileFraction(0)
	runtime.SetBlockProfileRate(0)
	return errors.Join(errs...)
}
