package pgtest

import "syscall"

// setDeathSignal has the kernel stop postgres (immediate shutdown) if the test binary dies
// without cleaning up, so no server outlives a crashed test run.
func setDeathSignal(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGQUIT }
