package events_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/innboks/innboks/internal/dpemu"
	"github.com/innboks/innboks/internal/dpemu/events"
)

const (
	dpBase = "http://127.0.0.1:9/dialogporten"
	party  = "urn:altinn:organization:identifier-no:912345678"
	res    = "urn:altinn:resource:skd-mva"
)

func TestFromChange(t *testing.T) {
	t.Parallel()
	did, aid, tid := uuid.New(), uuid.New(), uuid.New()
	at := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	base := dpemu.Change{Time: at, DialogID: did, Party: party, ServiceResource: res, Process: "urn:p:1"}
	with := func(f func(*dpemu.Change)) dpemu.Change { c := base; f(&c); return c }
	src := dpBase + "/api/v1/enduser/dialogs/" + did.String()
	tests := []struct {
		name     string
		change   dpemu.Change
		wantType string
		wantSrc  string
		wantData map[string]any
	}{
		{"created", with(func(c *dpemu.Change) { c.Kind = dpemu.ChangeDialogCreated }), "dialogporten.dialog.created.v1", src, map[string]any{"process": "urn:p:1"}},
		{"updated", with(func(c *dpemu.Change) { c.Kind = dpemu.ChangeDialogUpdated; c.PrecedingProcess = "urn:p:0" }), "dialogporten.dialog.updated.v1", src, map[string]any{"process": "urn:p:1", "precedingProcess": "urn:p:0"}},
		{"deleted", with(func(c *dpemu.Change) { c.Kind = dpemu.ChangeDialogDeleted }), "dialogporten.dialog.deleted.v1", src, map[string]any{"process": "urn:p:1"}},
		{"restored", with(func(c *dpemu.Change) { c.Kind = dpemu.ChangeDialogRestored; c.Process = "" }), "dialogporten.dialog.restored.v1", src, nil},
		{"seen", with(func(c *dpemu.Change) { c.Kind = dpemu.ChangeDialogSeen }), "dialogporten.dialog.seen.v1", src, map[string]any{"process": "urn:p:1"}},
		{"transmission", with(func(c *dpemu.Change) {
			c.Kind, c.TransmissionID, c.SenderType, c.Process = dpemu.ChangeTransmissionCreated, tid, dpemu.ActorServiceOwner, ""
		}), "dialogporten.dialog.transmission.created.v1", src + "/transmissions/" + tid.String(), map[string]any{"senderType": "ServiceOwner"}},
		{"activity correspondence opened", with(func(c *dpemu.Change) {
			c.Kind, c.ActivityID, c.ActivityType, c.Process = dpemu.ChangeActivityCreated, aid, dpemu.ActivityCorrespondenceOpened, ""
		}), "dialogporten.dialog.activity.correspondence-opened.v1", src + "/activities/" + aid.String(), map[string]any{"activityId": aid.String()}},
		{"activity with extended type", with(func(c *dpemu.Change) {
			c.Kind, c.ActivityID, c.ActivityType, c.ExtendedActivityType = dpemu.ChangeActivityCreated, aid, dpemu.ActivityDialogCreated, "urn:x"
		}), "dialogporten.dialog.activity.created.v1", src + "/activities/" + aid.String(), map[string]any{"activityId": aid.String(), "extendedActivityType": "urn:x", "process": "urn:p:1"}},
	}
	for _, tc := range tests {
		ev, ok := events.FromChange(tc.change, dpBase+"/")
		if !ok {
			t.Errorf("%s: no event", tc.name)
			continue
		}
		if ev.Type != tc.wantType || ev.Source != tc.wantSrc {
			t.Errorf("%s: got type %q source %q, want %q %q", tc.name, ev.Type, ev.Source, tc.wantType, tc.wantSrc)
		}
		if ev.SpecVersion != "1.0" || ev.Subject != party || ev.Resource != res || ev.ResourceInstance != did.String() || !ev.Time.Equal(at) {
			t.Errorf("%s: envelope %+v", tc.name, ev)
		}
		if _, err := uuid.Parse(ev.ID); err != nil {
			t.Errorf("%s: id %q is not a UUID", tc.name, ev.ID)
		}
		if len(ev.Data) != len(tc.wantData) {
			t.Errorf("%s: data got %v, want %v", tc.name, ev.Data, tc.wantData)
		}
		for k, v := range tc.wantData {
			if ev.Data[k] != v {
				t.Errorf("%s: data[%s] got %v, want %v", tc.name, k, ev.Data[k], v)
			}
		}
	}
	if _, ok := events.FromChange(with(func(c *dpemu.Change) { c.Kind = dpemu.ChangeLabelsChanged }), dpBase); ok {
		t.Error("a label change raised an event")
	}
}

func TestActivityEventNames(t *testing.T) {
	t.Parallel()
	want := map[dpemu.ActivityType]string{
		dpemu.ActivityDialogCreated: "created", dpemu.ActivityDialogClosed: "closed", dpemu.ActivityInformation: "information",
		dpemu.ActivityTransmissionOpened: "transmission-opened", dpemu.ActivityPaymentMade: "payment-made",
		dpemu.ActivitySignatureProvided: "signature-provided", dpemu.ActivityDialogOpened: "dialog-opened",
		dpemu.ActivityDialogDeleted: "dialog-deleted", dpemu.ActivityDialogRestored: "dialog-restored",
		dpemu.ActivitySentToSigning: "sent-to-signing", dpemu.ActivitySentToFormFill: "sent-to-form-fill",
		dpemu.ActivitySentToSendIn: "sent-to-send-in", dpemu.ActivitySentToPayment: "sent-to-payment",
		dpemu.ActivityFormSubmitted: "form-submitted", dpemu.ActivityFormSaved: "form-saved",
		dpemu.ActivityCorrespondenceOpened: "correspondence-opened", dpemu.ActivityCorrespondenceConfirmed: "correspondence-confirmed",
	}
	for typ, name := range want {
		if got := events.ActivityEventName(typ); got != name {
			t.Errorf("%s: got %q, want %q", typ, got, name)
		}
	}
}

// hook is a webhook that records events; fail decides the status of each request.
type hook struct {
	srv  *httptest.Server
	mu   sync.Mutex
	reqs []events.CloudEvent
	ct   []string
	fail func(ev events.CloudEvent, n int) int // n: how many times this id was seen before
	seen map[string]int
}

func newHook(t *testing.T, fail func(events.CloudEvent, int) int) *hook {
	h := &hook{fail: fail, seen: map[string]int{}}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var ev events.CloudEvent
		if err := json.Unmarshal(b, &ev); err != nil {
			w.WriteHeader(400)
			return
		}
		h.mu.Lock()
		n := h.seen[ev.ID]
		h.seen[ev.ID]++
		h.reqs = append(h.reqs, ev)
		h.ct = append(h.ct, r.Header.Get("Content-Type"))
		h.mu.Unlock()
		status := 200
		if h.fail != nil {
			status = h.fail(ev, n)
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hook) requests() []events.CloudEvent {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]events.CloudEvent(nil), h.reqs...)
}

// eventually polls cond for up to 10 s (delivery is asynchronous); no timing is asserted.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func newStore(t *testing.T) (*dpemu.Store, uuid.UUID) {
	s := dpemu.NewStore(nil, 1)
	id, err := s.CreateDialog(&dpemu.Dialog{Org: "skd", ServiceResource: res, Party: party,
		Content: dpemu.Content{Title: dpemu.ContentValue{MediaType: dpemu.MediaTextPlain, Value: dpemu.Text{{LanguageCode: "nb", Value: "x"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	return s, id
}

func fast(o events.Options) events.Options {
	o.Retries = []time.Duration{time.Millisecond, 2 * time.Millisecond, 4 * time.Millisecond}
	return o
}

func TestHandshakeThenEventsInOrder(t *testing.T) {
	t.Parallel()
	h := newHook(t, nil)
	store, id := newStore(t)
	p, err := events.New(fast(events.Options{Store: store, DialogportenBase: dpBase, Webhooks: []string{h.srv.URL + "/events?secret=s3cret"}}))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	act, err := store.AddActivity(id, dpemu.Activity{Type: dpemu.ActivityInformation, PerformedBy: dpemu.Actor{Type: dpemu.ActorServiceOwner}})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := store.AddTransmission(id, dpemu.Transmission{Type: dpemu.TransmissionSubmission, Sender: dpemu.Actor{Type: dpemu.ActorPartyRepresentative, ID: party}})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.DeleteDialog(id); err != nil {
		t.Fatal(err)
	}
	eventually(t, "6 requests", func() bool { return len(h.requests()) >= 6 })
	got := h.requests()
	sub := p.Subscriptions()[0]
	if got[0].Type != events.TypeValidateSubscription || got[0].Source != "http://127.0.0.1:9/events/api/v1/subscriptions/"+sub {
		t.Errorf("first request: got %s from %s, want the handshake", got[0].Type, got[0].Source)
	}
	wantTypes := []string{events.TypeValidateSubscription,
		"dialogporten.dialog.updated.v1", "dialogporten.dialog.activity.information.v1",
		"dialogporten.dialog.updated.v1", "dialogporten.dialog.transmission.created.v1",
		"dialogporten.dialog.deleted.v1"}
	for i, want := range wantTypes {
		if got[i].Type != want {
			t.Errorf("request %d: got %s, want %s", i, got[i].Type, want)
		}
	}
	if got[2].Data["activityId"] != act.ID.String() {
		t.Errorf("activity event data: got %v, want activityId %s", got[2].Data, act.ID)
	}
	if !strings.HasSuffix(got[4].Source, "/transmissions/"+tr.ID.String()) || got[4].Data["senderType"] != "PartyRepresentative" {
		t.Errorf("transmission event: source %s data %v", got[4].Source, got[4].Data)
	}
	ids := map[string]bool{}
	for _, ev := range got {
		if ids[ev.ID] {
			t.Errorf("duplicate id %s without a retry", ev.ID)
		}
		ids[ev.ID] = true
	}
	h.mu.Lock()
	if h.ct[1] != "application/json" {
		t.Errorf("Content-Type: got %q, want application/json", h.ct[1])
	}
	h.mu.Unlock()
	// The hook records a request before the publisher reads its answer and counts it.
	eventually(t, "5 deliveries counted", func() bool { st, _ := p.Stats(sub); return st.Delivered >= 5 })
	st, _ := p.Stats(sub)
	if !st.Validated || st.Delivered != 5 || st.Retried != 0 {
		t.Errorf("stats: got %+v", st)
	}
}

func TestRetryKeepsEventID(t *testing.T) {
	t.Parallel()
	h := newHook(t, func(ev events.CloudEvent, n int) int {
		if ev.Type != events.TypeValidateSubscription && n < 2 {
			return 503
		}
		return 202
	})
	store, id := newStore(t)
	p, _ := events.New(fast(events.Options{Store: store, DialogportenBase: dpBase, Webhooks: []string{h.srv.URL}}))
	defer p.Close()
	if err := store.SetStatus(id, dpemu.StatusCompleted, ""); err != nil {
		t.Fatal(err)
	}
	sub := p.Subscriptions()[0]
	eventually(t, "delivery", func() bool { st, _ := p.Stats(sub); return st.Delivered == 1 })
	got := h.requests()[1:]
	if len(got) != 3 || got[0].ID != got[1].ID || got[1].ID != got[2].ID {
		t.Errorf("attempts: got %d with ids %v, want 3 with one id", len(got), got)
	}
	if st, _ := p.Stats(sub); st.Retried != 2 {
		t.Errorf("retried: got %d, want 2", st.Retried)
	}
}

func TestDeadLetterThenContinue(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	broken := true
	h := newHook(t, func(ev events.CloudEvent, n int) int {
		mu.Lock()
		defer mu.Unlock()
		if ev.Type != events.TypeValidateSubscription && broken {
			return 500
		}
		return 200
	})
	store, id := newStore(t)
	p, _ := events.New(fast(events.Options{Store: store, DialogportenBase: dpBase, Webhooks: []string{h.srv.URL}}))
	defer p.Close()
	sub := p.Subscriptions()[0]
	_ = store.SetStatus(id, dpemu.StatusCompleted, "")
	eventually(t, "dead letter", func() bool { st, _ := p.Stats(sub); return st.DeadLettered == 1 })
	if got := len(h.requests()) - 1; got != 4 {
		t.Errorf("attempts before giving up: got %d, want 4 (1 + 3 retries)", got)
	}
	mu.Lock()
	broken = false
	mu.Unlock()
	_ = store.DeleteDialog(id)
	eventually(t, "the next event", func() bool { st, _ := p.Stats(sub); return st.Delivered == 1 })
}

func TestTimeoutIsRetried(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	h := newHook(t, func(ev events.CloudEvent, n int) int {
		if ev.Type != events.TypeValidateSubscription && n == 0 {
			<-release // hold the first attempt past the client's timeout
		}
		return 200
	})
	defer close(release)
	store, id := newStore(t)
	p, _ := events.New(fast(events.Options{Store: store, DialogportenBase: dpBase, Webhooks: []string{h.srv.URL}, Timeout: 50 * time.Millisecond}))
	defer p.Close()
	_ = store.SetStatus(id, dpemu.StatusCompleted, "")
	sub := p.Subscriptions()[0]
	eventually(t, "delivery after a timeout", func() bool { st, _ := p.Stats(sub); return st.Delivered == 1 })
	if st, _ := p.Stats(sub); st.Retried != 1 {
		t.Errorf("retried: got %d, want 1", st.Retried)
	}
}

func TestSlowWebhookNeverBlocksTheStore(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	h := newHook(t, func(ev events.CloudEvent, n int) int {
		if ev.Type != events.TypeValidateSubscription {
			<-release
		}
		return 200
	})
	store, id := newStore(t)
	p, _ := events.New(events.Options{Store: store, DialogportenBase: dpBase, Webhooks: []string{h.srv.URL}, QueueSize: 4, Timeout: time.Minute})
	sub := p.Subscriptions()[0]
	eventually(t, "validation", func() bool { st, _ := p.Stats(sub); return st.Validated })
	// 50 mutations complete although the webhook holds every delivery: the hook only enqueues.
	for i := 0; i < 50; i++ {
		if err := store.SetStatus(id, dpemu.StatusInProgress, ""); err != nil {
			t.Fatal(err)
		}
	}
	st, _ := p.Stats(sub)
	if st.Dropped < 50-4-1 {
		t.Errorf("dropped: got %d, want at least %d (queue of 4, one in flight)", st.Dropped, 50-4-1)
	}
	close(release)
	eventually(t, "the queued events", func() bool { st, _ := p.Stats(sub); return st.Delivered+st.Dropped == 50 })
	p.Close()
}

func TestOrderPerDialogSurvivesFailures(t *testing.T) {
	t.Parallel()
	h := newHook(t, func(ev events.CloudEvent, n int) int {
		if ev.Type != events.TypeValidateSubscription && n == 0 && ev.ID[len(ev.ID)-1]%2 == 0 {
			return 500 // fail some first attempts
		}
		return 200
	})
	store, id := newStore(t)
	p, _ := events.New(fast(events.Options{Store: store, DialogportenBase: dpBase, Webhooks: []string{h.srv.URL}}))
	defer p.Close()
	var want []string
	for i := 0; i < 30; i++ {
		a, err := store.AddActivity(id, dpemu.Activity{Type: dpemu.ActivityInformation, PerformedBy: dpemu.Actor{Type: dpemu.ActorServiceOwner}})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, a.ID.String())
	}
	sub := p.Subscriptions()[0]
	eventually(t, "60 deliveries", func() bool { st, _ := p.Stats(sub); return st.Delivered == 60 })
	var got []string
	seen := map[string]bool{}
	for _, ev := range h.requests() {
		if strings.Contains(ev.Type, ".activity.") && !seen[ev.ID] {
			seen[ev.ID] = true // drop duplicates by id, as a receiver does
			got = append(got, ev.Data["activityId"].(string))
		}
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("activity order:\n got %v\nwant %v", got, want)
	}
}

func TestSubscriptionFilterAndFailedHandshake(t *testing.T) {
	t.Parallel()
	match := newHook(t, nil)
	other := newHook(t, nil)
	refuse := newHook(t, func(events.CloudEvent, int) int { return 403 })
	store, id := newStore(t)
	p, _ := events.New(fast(events.Options{Store: store, DialogportenBase: dpBase}))
	defer p.Close()
	sm := p.Subscribe(events.Subscription{EndPoint: match.srv.URL, SubjectFilter: party, TypeFilter: "dialogporten.dialog.deleted.v1"})
	so := p.Subscribe(events.Subscription{EndPoint: other.srv.URL, SubjectFilter: "urn:altinn:person:identifier-no:08844397713"})
	sr := p.Subscribe(events.Subscription{EndPoint: refuse.srv.URL})
	_ = store.SetStatus(id, dpemu.StatusCompleted, "")
	_ = store.DeleteDialog(id)
	eventually(t, "the deleted event", func() bool { st, _ := p.Stats(sm); return st.Delivered == 1 })
	if got := match.requests(); len(got) != 2 || got[1].Type != "dialogporten.dialog.deleted.v1" {
		t.Errorf("filtered subscription got %v", got)
	}
	eventually(t, "the handshake of the other party's subscription", func() bool { st, _ := p.Stats(so); return st.Validated })
	if st, _ := p.Stats(so); st.Delivered != 0 {
		t.Errorf("another party's subscription got %d events", st.Delivered)
	}
	eventually(t, "4 refused handshakes", func() bool { return len(refuse.requests()) == 4 })
	if st, _ := p.Stats(sr); st.Validated || st.Delivered != 0 {
		t.Errorf("refused handshake: stats %+v", st)
	}
}
