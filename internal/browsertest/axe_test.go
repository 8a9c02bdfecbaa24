package browsertest

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

func TestVendoredAxeChecksum(t *testing.T) {
	t.Parallel()
	sum := sha256.Sum256(axeSource)
	if got := hex.EncodeToString(sum[:]); got != AxeSHA256 {
		t.Fatalf("axe.min.js sha256: got %s, want %s (axe-core %s from npm)", got, AxeSHA256, AxeVersion)
	}
	if !strings.HasPrefix(string(axeSource), "/*! axe v"+AxeVersion) {
		t.Fatalf("axe.min.js does not start with the axe v%s banner", AxeVersion)
	}
	vendor, err := os.ReadFile("VENDOR.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{AxeSHA256, "axe-core " + AxeVersion, "axe-core@" + AxeVersion} {
		if !strings.Contains(string(vendor), want) {
			t.Errorf("VENDOR.md does not record %q", want)
		}
	}
}

// TestAxeFindsViolations keeps the accessibility check honest: on a page with known faults it
// must report them, with their impact.
func TestAxeFindsViolations(t *testing.T) {
	t.Parallel()
	b := New(t, Options{})
	open(t, b, `data:text/html,<!doctype html><title>x</title><img src="data:,"><p><input type="text"></p>`)
	got := map[string]string{}
	for _, v := range b.Axe("a faulty page") {
		got[v.ID] = v.Impact
	}
	for id, impact := range map[string]string{"html-has-lang": "serious", "image-alt": "critical", "label": "critical"} {
		if got[id] != impact {
			t.Errorf("axe on a faulty page: rule %s got impact %q, want %q (all: %v)", id, got[id], impact, got)
		}
	}
}

// TestAxeCleanPage: a small correct page has no violation at all.
func TestAxeCleanPage(t *testing.T) {
	t.Parallel()
	b := New(t, Options{})
	open(t, b, `data:text/html,<!doctype html><html lang="en"><title>ok</title><main><h1>Hello</h1><p><label for="q">Search</label> <input id="q" type="text"></p></main></html>`)
	if vs := b.Axe("a correct page"); len(vs) != 0 {
		t.Errorf("axe on a correct page: got %d violations (%+v), want none", len(vs), vs)
	}
}
