// Package browsertest is the shared Chromium plumbing of the browser tests (handlers and
// internal/e2e): it starts Debian's headless chromium for a test and closes it when the test
// ends, switches page scripts off, collects the tab's console (uncaught exceptions, CSP
// violations, failed loads), runs the vendored axe-core against WCAG 2.1 A/AA, and keeps a
// screenshot of the page a test failed on.
//
// It is imported by tests only. A test that uses it needs /usr/bin/chromium (`make deps`); when
// chromium is missing the test fails with a message that says so, it never skips.
//
// Screenshots: [Browser.Shot] writes into $E2E_SCREENSHOTS when it is set; a failed test always
// keeps a full-page PNG of where it failed, in $E2E_SCREENSHOTS or else in a new directory under
// the system temp dir (its path is logged).
package browsertest
