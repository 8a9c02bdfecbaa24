package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeSHA256 is the checksum of testdata/axe.min.js (axe-core 4.14.1, see testdata/VENDOR.md).
const axeSHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"

func TestVendoredAxeChecksum(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("testdata/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != axeSHA256 {
		t.Fatalf("testdata/axe.min.js sha256: got %s, want %s (axe-core 4.14.1 from npm)", got, axeSHA256)
	}
	if !strings.HasPrefix(string(b), "/*! axe v4.14.1") {
		t.Fatalf("testdata/axe.min.js does not start with the axe v4.14.1 banner")
	}
	vendor, err := os.ReadFile("testdata/VENDOR.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(vendor), axeSHA256) {
		t.Fatalf("testdata/VENDOR.md does not record the checksum %s", axeSHA256)
	}
}

// axeViolation is the part of an axe-core result the report prints.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any `json:"target"`
	} `json:"nodes"`
}

// axeRun injects axe-core (Runtime.evaluate is not subject to the page's CSP) and runs the
// WCAG 2.0/2.1 A and AA rules on the whole document.
const axeRun = `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a","wcag2aa","wcag21a","wcag21aa"]}, resultTypes: ["violations"]})
	.then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => ({target: n.target}))}))))`

// checkA11y runs axe on the page the tab shows and fails on every serious or critical
// violation, naming the rule, its help and the first elements it found.
func (b *browser) checkA11y(page string) {
	b.t.Helper()
	for _, v := range b.axe(page) {
		if v.Impact != "serious" && v.Impact != "critical" {
			b.t.Logf("axe on %s: %s (%s): %s", page, v.ID, v.Impact, v.Help)
			continue
		}
		var targets []string
		for i, n := range v.Nodes {
			if i == 3 {
				targets = append(targets, "…")
				break
			}
			t, _ := json.Marshal(n.Target)
			targets = append(targets, string(t))
		}
		b.t.Errorf("axe on %s: %s (%s): %s; %d element(s): %s", page, v.ID, v.Impact, v.Help, len(v.Nodes), strings.Join(targets, ", "))
	}
}

// axe returns every violation axe finds on the page the tab shows.
func (b *browser) axe(page string) []axeViolation {
	b.t.Helper()
	if b.jsOff {
		b.t.Fatalf("axe needs JavaScript; %s was opened in a tab without it", page)
	}
	src, err := os.ReadFile("testdata/axe.min.js")
	if err != nil {
		b.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](string(src)+"\n;0")); err != nil {
		b.t.Fatalf("axe on %s: inject: %v", page, err)
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("axe on %s: run: %v", page, err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		b.t.Fatalf("axe on %s: result: %v", page, err)
	}
	return vs
}

// TestAxeFindsViolations keeps the accessibility check honest: on a page with known faults it
// must report them, with their impact.
func TestAxeFindsViolations(t *testing.T) {
	b := newBrowser(t, false)
	b.open(`data:text/html,<!doctype html><title>x</title><img src="data:,"><p><input type="text"></p>`)
	got := map[string]string{}
	for _, v := range b.axe("a faulty page") {
		got[v.ID] = v.Impact
	}
	for id, impact := range map[string]string{"html-has-lang": "serious", "image-alt": "critical", "label": "critical"} {
		if got[id] != impact {
			t.Errorf("axe on a faulty page: rule %s got impact %q, want %q (all: %v)", id, got[id], impact, got)
		}
	}
}
