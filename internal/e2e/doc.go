// Package e2e holds the end-to-end tests of Innboks: browser journeys (chromedp with Debian's
// chromium, with and without JavaScript, checked with axe-core) and full-stack router tests
// (net/http with a cookie jar and goquery), all against the real local stack from
// internal/devstack on loopback.
//
// The package has no code of its own outside its tests. Run it with
//
//	go test ./internal/e2e/
//
// and set E2E_SCREENSHOTS=dir to keep PNGs of the main pages.
package e2e
