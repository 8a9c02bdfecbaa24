package serviceowner

import (
	"context"
	"hash/fnv"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/innboks/innboks/internal/dpemu"
)

// Fault is a way the service owner behind one dialog misbehaves, so the portal's error
// handling, redirect policy and sanitiser can be tested.
type Fault string

// Faults a dialog can be given. A dialog is chosen either with Faults.Set or by a service-owner
// label FaultLabelPrefix+fault on the dialog (e.g. "urn:innboks:emulator:fault:down"), which
// seed data can carry.
const (
	// FaultNone: behave.
	FaultNone Fault = ""
	// FaultDown: answer 500 with a problem body.
	FaultDown Fault = "down"
	// FaultTimeout: answer nothing until the client gives up (or Faults' hang time passes, then 504).
	FaultTimeout Fault = "timeout"
	// FaultForbidden: refuse with 403 although the token is fine (the service owner says no).
	FaultForbidden Fault = "forbidden"
	// FaultRedirectOffHost: answer 302 to another host (a portal must not follow it).
	FaultRedirectOffHost Fault = "redirect-offhost"
	// FaultRedirectSameHost: answer 302 to the same URL on this host with redirected=1, which
	// then serves normally (a portal may follow it).
	FaultRedirectSameHost Fault = "redirect-samehost"
	// FaultHostile: serve content full of markup a sanitiser must neutralise (script, event
	// handlers, javascript: links, iframes, forms, style tricks). Not an error.
	FaultHostile Fault = "hostile"
)

// FaultLabelPrefix is the service-owner label prefix that assigns a fault to a dialog.
const FaultLabelPrefix = "urn:innboks:emulator:fault:"

// DefaultRedirectTarget is where FaultRedirectOffHost points unless SetRedirectTarget is used.
const DefaultRedirectTarget = "http://elsewhere.invalid/stolen-content"

// Faults holds per-dialog fault switches. It is safe for concurrent use.
type Faults struct {
	mu       sync.RWMutex
	byDialog map[uuid.UUID]Fault
	rule     func(*dpemu.Dialog) Fault
	target   string
	hang     time.Duration
}

// NewFaults returns an empty set: every dialog behaves unless labelled.
func NewFaults() *Faults {
	return &Faults{byDialog: map[uuid.UUID]Fault{}, target: DefaultRedirectTarget, hang: time.Minute}
}

// Set gives dialog id the fault f (FaultNone clears it, overriding any label).
func (f *Faults) Set(id uuid.UUID, fault Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.byDialog[id] = fault
}

// SetRedirectTarget sets the off-host URL FaultRedirectOffHost points at.
func (f *Faults) SetRedirectTarget(u string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.target = u
}

// SetHang sets how long FaultTimeout holds a request before answering 504.
func (f *Faults) SetHang(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hang = d
}

// SetRule installs a rule consulted for dialogs without an explicit Set or a label (nil
// removes it). Sampled returns a ready-made one.
func (f *Faults) SetRule(rule func(*dpemu.Dialog) Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rule = rule
}

// For returns the fault of dialog d: an explicit Set wins over a label, a label over the rule.
func (f *Faults) For(d *dpemu.Dialog) Fault {
	f.mu.RLock()
	fault, ok := f.byDialog[d.ID]
	rule := f.rule
	f.mu.RUnlock()
	if ok {
		return fault
	}
	for _, l := range d.ServiceOwnerLabels {
		if v, ok := strings.CutPrefix(strings.ToLower(l), FaultLabelPrefix); ok {
			return Fault(v)
		}
	}
	if rule != nil {
		return rule(d)
	}
	return FaultNone
}

// sampledFaults are the faults Sampled hands out, in order.
var sampledFaults = []Fault{FaultHostile, FaultDown, FaultTimeout, FaultForbidden, FaultRedirectOffHost, FaultRedirectSameHost}

// Sampled returns a rule that gives about one dialog in every a fault, cycling through
// hostile, down, timeout, forbidden, redirect-offhost and redirect-samehost. The choice
// depends only on the dialog id, so a seeded scenario always misbehaves the same way and a test
// can find its targets with Faults.For. every below len(faults) is raised to it.
func Sampled(every int) func(*dpemu.Dialog) Fault {
	every = max(every, len(sampledFaults))
	return func(d *dpemu.Dialog) Fault {
		h := fnv.New64a()
		_, _ = h.Write(d.ID[:])
		if k := int(h.Sum64() % uint64(every)); k < len(sampledFaults) {
			return sampledFaults[k]
		}
		return FaultNone
	}
}

// apply writes the response of an error-type fault and reports whether it did. FaultHostile
// and FaultNone write nothing; a same-host redirect is written only once per URL.
func (f *Faults) apply(w http.ResponseWriter, r *http.Request, fault Fault) bool {
	f.mu.RLock()
	target, hang := f.target, f.hang
	f.mu.RUnlock()
	switch fault {
	case FaultDown:
		writeProblem(w, http.StatusInternalServerError, "The service owner's system failed.")
	case FaultTimeout:
		if !sleep(r.Context(), hang) {
			return true // the client gave up; write nothing
		}
		writeProblem(w, http.StatusGatewayTimeout, "The service owner's system did not answer in time.")
	case FaultForbidden:
		writeProblem(w, http.StatusForbidden, "The service owner refused the request.")
	case FaultRedirectOffHost:
		http.Redirect(w, r, target, http.StatusFound)
	case FaultRedirectSameHost:
		if r.URL.Query().Get("redirected") != "" {
			return false
		}
		u := *r.URL
		q := u.Query()
		q.Set("redirected", "1")
		u.RawQuery = q.Encode()
		http.Redirect(w, r, u.RequestURI(), http.StatusFound)
	default:
		return false
	}
	return true
}

// sleep waits d or until ctx is done; it reports whether the full time passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
