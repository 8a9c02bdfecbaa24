package inbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/innboks/innboks/dpclient"
)

const svBulkPath = "/api/v1/enduser/dialogs/context/systemlabels/actions/bulkset"

// svIDs is n dialog ids.
func svIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("0190fbd7-8888-7000-8000-%012d", i)
	}
	return ids
}

// bulkBatches decodes each bulk call dp got: the dialogs and labels it named.
func bulkBatches(t *testing.T, dp *dpDouble) []dpclient.BulkSetSystemLabelsRequest {
	t.Helper()
	var out []dpclient.BulkSetSystemLabelsRequest
	for _, c := range dp.calls(svBulkPath) {
		var req dpclient.BulkSetSystemLabelsRequest
		if err := json.Unmarshal(c.Body, &req); err != nil {
			t.Fatalf("bulk body %q: %v", c.Body, err)
		}
		out = append(out, req)
	}
	return out
}

// setBulk sets how dp answers bulk label calls.
func (dp *dpDouble) setBulk(status func(ids []string) int) {
	dp.mu.Lock()
	defer dp.mu.Unlock()
	dp.bulkStatus = status
}

func batchIDs(req dpclient.BulkSetSystemLabelsRequest) []string {
	ids := make([]string, len(req.Dialogs))
	for i, d := range req.Dialogs {
		ids[i] = d.DialogID
	}
	return ids
}

// TestSetLabel: one dialog's label is PUT with If-Match the revision the page showed; a foreign
// dialog (403) is a not-found, a malformed id is refused with no call, a stale revision stays
// ErrPreconditionFailed.
func TestSetLabel(t *testing.T) {
	t.Parallel()
	h := newSV(t)
	if err := h.svc.SetLabel(t.Context(), h.user, svDialog, dpclient.SystemLabelArchive, "ctx-rev-1"); err != nil {
		t.Fatalf("SetLabel: %v", err)
	}
	calls := h.dp.calls("/api/v1/enduser/dialogs/" + svDialog + "/context/systemlabels")
	if len(calls) != 1 {
		t.Fatalf("got %d calls, want 1", len(calls))
	}
	c := calls[0]
	var req dpclient.SetSystemLabelsRequest
	if err := json.Unmarshal(c.Body, &req); err != nil {
		t.Fatal(err)
	}
	if c.Method != http.MethodPut || c.Header.Get("If-Match") != "ctx-rev-1" ||
		!slices.Equal(req.AddLabels, []dpclient.SystemLabel{dpclient.SystemLabelArchive}) || len(req.RemoveLabels) != 0 {
		t.Errorf("got %s If-Match %q body %s, want PUT If-Match ctx-rev-1 adding Archive", c.Method, c.Header.Get("If-Match"), c.Body)
	}

	if err := h.svc.SetLabel(t.Context(), h.user, "not-an-id", dpclient.SystemLabelBin, ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("malformed id: %v, want ErrNotFound", err)
	}
	if got := len(h.dp.calls("")); got != 1 {
		t.Errorf("a malformed id made a call: %d calls, want 1", got)
	}
	for _, tt := range []struct {
		status  int
		want    error
		notWant error
	}{
		{http.StatusForbidden, ErrNotFound, nil},
		{http.StatusPreconditionFailed, dpclient.ErrPreconditionFailed, ErrNotFound},
		{http.StatusGone, dpclient.ErrGone, ErrNotFound},
	} {
		h.dp.mu.Lock()
		h.dp.labelErr = tt.status
		h.dp.mu.Unlock()
		err := h.svc.SetLabel(t.Context(), h.user, svDialog, dpclient.SystemLabelBin, "ctx-rev-1")
		if !errors.Is(err, tt.want) || (tt.notWant != nil && errors.Is(err, tt.notWant)) {
			t.Errorf("upstream %d: got %v, want %v", tt.status, err, tt.want)
		}
	}
}

// TestBulkLabelBatches: ids that are no UUIDs fail with ErrNotFound and are never sent; the rest
// go in batches of at most 100, each a POST with the user's token and the label.
func TestBulkLabelBatches(t *testing.T) {
	t.Parallel()
	h := newSV(t)
	ids := svIDs(250)
	bad := []string{"not-an-id", "../../x", ""}
	failed, err := h.svc.BulkLabel(t.Context(), h.user, append(slices.Clone(bad), ids...), dpclient.SystemLabelArchive)
	if err != nil {
		t.Fatalf("BulkLabel: %v", err)
	}
	if len(failed) != len(bad) {
		t.Errorf("got %d failures (%v), want %d", len(failed), failed, len(bad))
	}
	for _, id := range bad {
		if !errors.Is(failed[id], ErrNotFound) {
			t.Errorf("%q: got %v, want ErrNotFound", id, failed[id])
		}
	}
	batches := bulkBatches(t, h.dp)
	var sizes []int
	var sent []string
	for _, b := range batches {
		sizes = append(sizes, len(b.Dialogs))
		sent = append(sent, batchIDs(b)...)
		if !slices.Equal(b.AddLabels, []dpclient.SystemLabel{dpclient.SystemLabelArchive}) {
			t.Errorf("batch labels %v, want [Archive]", b.AddLabels)
		}
	}
	if want := []int{100, 100, 50}; !slices.Equal(sizes, want) {
		t.Errorf("got batches of %v, want %v", sizes, want)
	}
	if !slices.Equal(sent, ids) {
		t.Errorf("sent %d ids, want the %d valid ones in order", len(sent), len(ids))
	}

	// Nothing valid: no call at all.
	before := len(h.dp.calls(svBulkPath))
	failed, err = h.svc.BulkLabel(t.Context(), h.user, bad, dpclient.SystemLabelBin)
	if err != nil || len(failed) != len(bad) {
		t.Errorf("only malformed ids: %v, %v", failed, err)
	}
	if got := len(h.dp.calls(svBulkPath)) - before; got != 0 {
		t.Errorf("only malformed ids made %d calls, want none", got)
	}
	// More than MaxBulk: refused whole, no call.
	if _, err := h.svc.BulkLabel(t.Context(), h.user, svIDs(MaxBulk+1), dpclient.SystemLabelBin); !errors.Is(err, dpclient.ErrBadRequest) {
		t.Errorf("%d ids: %v, want ErrBadRequest", MaxBulk+1, err)
	}
	if got := len(h.dp.calls(svBulkPath)) - before; got != 0 {
		t.Errorf("too many ids made %d calls, want none", got)
	}
}

// TestBulkLabelSplitsRefusedBatch: upstream refuses a batch whole when one of its dialogs is
// not the user's (404); the batch is split until every other dialog is changed and only the
// refused ones fail, each with upstream's reason.
func TestBulkLabelSplitsRefusedBatch(t *testing.T) {
	t.Parallel()
	h := newSV(t)
	ids := svIDs(120)
	refused := map[string]int{ids[7]: http.StatusNotFound, ids[64]: http.StatusGone, ids[110]: http.StatusForbidden}
	h.dp.setBulk(func(batch []string) int {
		for _, id := range batch {
			if s, ok := refused[id]; ok {
				return s
			}
		}
		return http.StatusNoContent
	})
	failed, err := h.svc.BulkLabel(t.Context(), h.user, ids, dpclient.SystemLabelBin)
	if err != nil {
		t.Fatalf("BulkLabel: %v", err)
	}
	want := map[string]error{ids[7]: dpclient.ErrNotFound, ids[64]: dpclient.ErrGone, ids[110]: dpclient.ErrForbidden}
	if len(failed) != len(want) {
		t.Errorf("got %d failures, want %d", len(failed), len(want))
	}
	for id, w := range want {
		if !errors.Is(failed[id], w) {
			t.Errorf("%s: got %v, want %v", id, failed[id], w)
		}
	}
	h.dp.mu.Lock()
	done := slices.Clone(h.dp.bulkDone)
	h.dp.mu.Unlock()
	slices.Sort(done)
	var wantDone []string
	for _, id := range ids {
		if _, ok := refused[id]; !ok {
			wantDone = append(wantDone, id)
		}
	}
	if !slices.Equal(done, wantDone) {
		t.Errorf("changed %d dialogs, want the %d not refused, each once", len(done), len(wantDone))
	}
	calls := len(h.dp.calls(svBulkPath))
	if calls > maxBulkCalls {
		t.Errorf("made %d calls, more than the budget of %d", calls, maxBulkCalls)
	}
	for _, b := range bulkBatches(t, h.dp) {
		if n := len(b.Dialogs); n < 1 || n > bulkBatch {
			t.Errorf("a batch of %d dialogs", n)
		}
	}
}

// TestBulkLabelTemporaryFailure: a temporary failure (503) fails the whole batch at once,
// without splitting; 401 (session ended) ends the request.
func TestBulkLabelTemporaryFailure(t *testing.T) {
	t.Parallel()
	h := newSV(t)
	ids := svIDs(150)
	h.dp.setBulk(func(batch []string) int {
		if batch[0] == ids[0] {
			return http.StatusServiceUnavailable
		}
		return http.StatusNoContent
	})
	failed, err := h.svc.BulkLabel(t.Context(), h.user, ids, dpclient.SystemLabelBin)
	if err != nil {
		t.Fatalf("BulkLabel: %v", err)
	}
	if len(failed) != 100 {
		t.Errorf("got %d failures, want the first batch's 100", len(failed))
	}
	for _, id := range ids[:100] {
		if !errors.Is(failed[id], dpclient.ErrUnavailable) {
			t.Errorf("%s: got %v, want ErrUnavailable", id, failed[id])
			break
		}
	}
	if got := len(h.dp.calls(svBulkPath)); got != 2 {
		t.Errorf("got %d calls, want 2 (no split of a temporary failure)", got)
	}

	h.dp.setBulk(func([]string) int { return http.StatusUnauthorized })
	failed, err = h.svc.BulkLabel(t.Context(), h.user, ids, dpclient.SystemLabelBin)
	if !errors.Is(err, dpclient.ErrUnauthorized) || failed != nil {
		t.Errorf("401: got %v, %v; want ErrUnauthorized and no results", failed, err)
	}
	if got := len(h.dp.calls(svBulkPath)); got != 3 {
		t.Errorf("401: got %d calls in all, want 3 (it stops at once)", got)
	}
}

// TestBulkLabelCallBudget: when every dialog is refused, splitting stops at the call budget
// and the dialogs left fail with ErrBulkBudget.
func TestBulkLabelCallBudget(t *testing.T) {
	t.Parallel()
	h := newSV(t)
	ids := svIDs(200)
	h.dp.setBulk(func([]string) int { return http.StatusNotFound })
	failed, err := h.svc.BulkLabel(t.Context(), h.user, ids, dpclient.SystemLabelBin)
	if err != nil {
		t.Fatalf("BulkLabel: %v", err)
	}
	if got := len(h.dp.calls(svBulkPath)); got != maxBulkCalls {
		t.Errorf("got %d calls, want the budget of %d", got, maxBulkCalls)
	}
	var notFound, budget int
	for _, id := range ids {
		switch err := failed[id]; {
		case errors.Is(err, ErrBulkBudget):
			budget++
		case errors.Is(err, dpclient.ErrNotFound):
			notFound++
		default:
			t.Errorf("%s: got %v, want ErrNotFound or ErrBulkBudget", id, err)
		}
	}
	if budget == 0 || notFound == 0 || len(failed) != len(ids) {
		t.Errorf("got %d not found and %d over budget of %d failures, want both kinds for all %d", notFound, budget, len(failed), len(ids))
	}
	// The second batch of 100 was never sent: the budget ran out in the first.
	for _, b := range bulkBatches(t, h.dp) {
		if slices.Contains(batchIDs(b), ids[199]) {
			t.Errorf("the last dialog was sent after the budget was spent")
			break
		}
	}
}

// TestBulkLabelLimit: a bulk change holds one of the user's slots for its duration.
func TestBulkLabelLimit(t *testing.T) {
	t.Parallel()
	lim := NewLimiter(1)
	h := newSV(t, func(c *DialogsConfig) { c.Limit = lim })
	release, err := lim.Acquire(h.user.Key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.BulkLabel(t.Context(), h.user, svIDs(3), dpclient.SystemLabelBin); !errors.Is(err, ErrBusy) {
		t.Errorf("while busy: %v, want ErrBusy", err)
	}
	if got := len(h.dp.calls(svBulkPath)); got != 0 {
		t.Errorf("a busy bulk change made %d calls", got)
	}
	release()
	if _, err := h.svc.BulkLabel(t.Context(), h.user, svIDs(3), dpclient.SystemLabelBin); err != nil {
		t.Errorf("after release: %v", err)
	}
	// And gives it back when done.
	r, err := lim.Acquire(h.user.Key)
	if err != nil {
		t.Errorf("the bulk change kept its slot: %v", err)
	} else {
		r()
	}
}
