package serviceowner_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/innboks/innboks/internal/dpemu"
)

// corrKind is one kind of Correspondence recipient endpoint, aimed at a target correspondence.
type corrKind struct {
	name   string
	method string
	// path is the endpoint for the target dialog; confirm needs a correspondence awaiting
	// confirmation, purge one that does not (else 1026).
	path   func(e *env) string
	target func(e *env) *dpemu.Dialog
	// sibling is another correspondence of the same party and resource.
	sibling func(e *env) *dpemu.Dialog
	// done checks the effect of the one accepted call.
	done func(t *testing.T, e *env, body string)
}

func corrKinds() []corrKind {
	corr := func(e *env) *dpemu.Dialog { return e.corr }
	noCf := func(e *env) *dpemu.Dialog { return e.corrNoCf }
	at := func(e *env, suffix string) string {
		return "/correspondence/api/v1/correspondence/" + e.corrID.String() + suffix
	}
	opened := func(t *testing.T, e *env) {
		t.Helper()
		if got := countActivities(e.dialog(e.corr.ID), dpemu.ActivityCorrespondenceOpened); got != 1 {
			t.Errorf("CorrespondenceOpened after the accepted call: got %d, want 1", got)
		}
	}
	return []corrKind{
		{name: "overview", method: "GET", path: func(e *env) string { return at(e, "") }, target: corr, sibling: noCf,
			done: func(t *testing.T, e *env, body string) {
				if !strings.Contains(body, `"correspondenceId":"`+e.corrID.String()+`"`) {
					t.Errorf("overview body: got %.200s, want the correspondence id", body)
				}
			}},
		{name: "content", method: "GET", path: func(e *env) string { return at(e, "/content") }, target: corr, sibling: noCf,
			done: func(t *testing.T, e *env, body string) {
				if !strings.Contains(body, "Vedtak om skatt") {
					t.Errorf("content body: got %.200s, want the title", body)
				}
				opened(t, e)
			}},
		{name: "attachment download", method: "GET", target: corr, sibling: noCf,
			path: func(e *env) string { return at(e, "/attachment/"+e.corr.Attachments[0].ID.String()+"/download") },
			done: func(t *testing.T, e *env, body string) {
				if len(body) != corrAttSz {
					t.Errorf("attachment: got %d bytes, want %d", len(body), corrAttSz)
				}
			}},
		{name: "download all", method: "GET", path: func(e *env) string { return at(e, "/attachments/downloadall") }, target: corr, sibling: noCf,
			done: func(t *testing.T, e *env, body string) {
				if !strings.HasPrefix(body, "PK") {
					t.Errorf("downloadall: got %.20q, want a zip", body)
				}
			}},
		{name: "markasread", method: "POST", path: func(e *env) string { return at(e, "/markasread") }, target: corr, sibling: noCf,
			done: func(t *testing.T, e *env, body string) { opened(t, e) }},
		{name: "confirm", method: "POST", path: func(e *env) string { return at(e, "/confirm") }, target: corr, sibling: noCf,
			done: func(t *testing.T, e *env, body string) {
				if got := countActivities(e.dialog(e.corr.ID), dpemu.ActivityCorrespondenceConfirmed); got != 1 {
					t.Errorf("CorrespondenceConfirmed after the accepted call: got %d, want 1", got)
				}
			}},
		{name: "purge", method: "DELETE", target: noCf, sibling: corr,
			path: func(e *env) string { return "/correspondence/api/v1/correspondence/" + e.corrID2.String() + "/purge" },
			done: func(t *testing.T, e *env, body string) {
				if e.dialog(e.corrNoCf.ID).DeletedAt == nil {
					t.Error("purge was accepted but the dialog is not deleted")
				}
			}},
	}
}

// corrState is what a refused call must not change on a correspondence's dialog.
type corrState struct {
	deleted    bool
	activities int
	status     dpemu.DialogStatus
	guiActions int
}

func corrStates(e *env) [2]corrState {
	var out [2]corrState
	for i, d := range []*dpemu.Dialog{e.dialog(e.corr.ID), e.dialog(e.corrNoCf.ID)} {
		out[i] = corrState{d.DeletedAt != nil, len(d.Activities), d.Status, len(d.GuiActions)}
	}
	return out
}

// TestCorrespondenceDialogTokenBinding checks that a dialog token opens only its own
// correspondence: right dialog, party and resource, and plain read in `a`, on every kind of
// recipient endpoint. Refusals are 403 problems with code 4001 and change nothing.
func TestCorrespondenceDialogTokenBinding(t *testing.T) {
	t.Parallel()
	for _, k := range corrKinds() {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t)
			target, sibling := k.target(e), k.sibling(e)
			before := corrStates(e)
			refused := []struct {
				name  string
				token string
			}{
				{"token of another correspondence of the same party and resource", e.dialogToken(sibling, "read", nil)},
				{"token of another dialog of the same party", e.dialogToken(e.app, "read;write", nil)},
				{"token of another party's dialog", e.dialogToken(e.other, "read", nil)},
				{"this dialog's id with another party", e.dialogToken(target, "read", func(c map[string]any) { c["p"] = orgURN })},
				{"this dialog's id with another resource", e.dialogToken(target, "read", func(c map[string]any) { c["s"] = appRes })},
				{"this dialog's id without a resource", e.dialogToken(target, "read", func(c map[string]any) { delete(c, "s") })},
				{"this dialog without read", e.dialogToken(target, "write", nil)},
				{"this dialog with read only on a subresource", e.dialogToken(target, "read,urn:altinn:subresource:x;write", nil)},
				{"this dialog with no actions", e.dialogToken(target, "", nil)},
			}
			for _, tc := range refused {
				resp, body := e.do(k.method, k.path(e), tc.token)
				var p codedProblem
				_ = json.Unmarshal([]byte(body), &p)
				if resp.StatusCode != http.StatusForbidden || p.Status != http.StatusForbidden || p.ErrorCode != 4001 {
					t.Errorf("%s: got %d (problem status %d, code %d), want 403 code 4001", tc.name, resp.StatusCode, p.Status, p.ErrorCode)
				}
				if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
					t.Errorf("%s: Content-Type %q, want application/problem+json", tc.name, ct)
				}
				if got := corrStates(e); got != before {
					t.Errorf("%s: a refused call changed the correspondences: got %+v, want %+v", tc.name, got, before)
				}
			}

			// The one accepted token: this dialog, its party and resource, "read" alone (confirm
			// and purge ask for no more than read, as in Correspondence).
			resp, body := e.do(k.method, k.path(e), e.dialogToken(target, "read", nil))
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("token of this dialog: got %d (%.200s), want 200", resp.StatusCode, body)
			}
			k.done(t, e, body)
		})
	}
}

// TestCorrespondenceAltinnTokenRules checks that Altinn platform tokens keep their rule on
// every kind of endpoint: the scope, and the person's access to the recipient party for the
// resource.
func TestCorrespondenceAltinnTokenRules(t *testing.T) {
	t.Parallel()
	for _, k := range corrKinds() {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t)
			before := corrStates(e)
			refused := []struct {
				name  string
				token string
			}{
				{"person without access to the party", e.exchange(t, "altinn:correspondence.read", func(c map[string]any) { c["pid"] = otherPID })},
				{"token without altinn:correspondence.read", e.exchange(t, "openid altinn:events.subscribe", nil)},
			}
			for _, tc := range refused {
				resp, body := e.do(k.method, k.path(e), tc.token)
				var p codedProblem
				_ = json.Unmarshal([]byte(body), &p)
				if resp.StatusCode != http.StatusForbidden || p.ErrorCode != 4001 {
					t.Errorf("%s: got %d code %d, want 403 code 4001", tc.name, resp.StatusCode, p.ErrorCode)
				}
				if got := corrStates(e); got != before {
					t.Errorf("%s: a refused call changed the correspondences: got %+v, want %+v", tc.name, got, before)
				}
			}
			resp, body := e.do(k.method, k.path(e), e.exchange(t, "openid altinn:correspondence.read", nil))
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("recipient's platform token: got %d (%.200s), want 200", resp.StatusCode, body)
			}
			k.done(t, e, body)
		})
	}
}
