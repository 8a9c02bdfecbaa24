package browsertest

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/chromedp/chromedp"
)

// AxeVersion and AxeSHA256 name the vendored axe-core (axe.min.js, see VENDOR.md).
const (
	AxeVersion = "4.14.1"
	AxeSHA256  = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
)

//go:embed axe.min.js
var axeSource []byte

// axeScript is the vendored axe-core after its checksum is checked.
func axeScript() (string, error) {
	sum := sha256.Sum256(axeSource)
	if got := hex.EncodeToString(sum[:]); got != AxeSHA256 {
		return "", fmt.Errorf("axe.min.js sha256 %s does not match VENDOR.md (%s)", got, AxeSHA256)
	}
	return string(axeSource), nil
}

// Violation is the part of an axe-core result the report prints.
type Violation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any `json:"target"`
	} `json:"nodes"`
}

// axeRun runs the WCAG 2.0/2.1 A and AA rules on the whole document.
const axeRun = `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a","wcag2aa","wcag21a","wcag21aa"]}, resultTypes: ["violations"]})
	.then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => ({target: n.target}))}))))`

// CheckA11y runs axe on the page the tab shows and fails on every serious or critical WCAG 2.1
// A/AA violation, naming the rule, its help and the first elements it found; minor ones are
// logged.
func (b *Browser) CheckA11y(page string) {
	b.t.Helper()
	for _, v := range b.Axe(page) {
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

// Axe returns every violation axe finds on the page the tab shows. It injects axe-core through
// DevTools (Runtime.evaluate is not subject to the page's CSP, which stays strict) and needs
// page scripts on.
func (b *Browser) Axe(page string) []Violation {
	b.t.Helper()
	if b.jsOff {
		b.t.Fatalf("axe needs JavaScript; %s was opened in a tab without it", page)
	}
	src, err := axeScript()
	if err != nil {
		b.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(b.ctx, StepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](src+"\n;0")); err != nil {
		b.t.Fatalf("axe on %s: inject: %v", page, err)
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("axe on %s: run: %v", page, err)
	}
	var vs []Violation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		b.t.Fatalf("axe on %s: result: %v", page, err)
	}
	return vs
}
