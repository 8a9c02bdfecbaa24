package live

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestChangesCountsDistinctDialogsUpToMax(t *testing.T) {
	t.Parallel()
	c := NewChanges(2)
	for _, tc := range []struct {
		ev       Event
		count    int
		wantMore bool
	}{
		{Event{ID: "1", DialogID: "a"}, 1, false},
		{Event{ID: "2", DialogID: "a"}, 1, false}, // the same dialog again
		{Event{ID: "3"}, 2, false},                // no dialog: the event counts
		{Event{ID: "4", DialogID: "b"}, 2, true},  // past max: "more than"
	} {
		if n, more := c.Add(tc.ev); n != tc.count || more != tc.wantMore {
			t.Errorf("Add(%+v) = %d, %v; want %d, %v", tc.ev, n, more, tc.count, tc.wantMore)
		}
	}
}

func TestChangesKeepTheParties(t *testing.T) {
	t.Parallel()
	c := NewChanges(100)
	for i, subj := range []string{"urn:a", "urn:b", "", "urn:a", "urn:c"} {
		c.Add(Event{ID: fmt.Sprint(i), DialogID: fmt.Sprint("d", i), Subject: subj})
	}
	c.Add(Event{ID: "x", DialogID: "d0", Subject: "urn:z"}) // a dialog counted already: not its party again
	if got, want := fmt.Sprint(c.Parties()), "[urn:a urn:b urn:c]"; got != want {
		t.Errorf("Parties() = %s, want %s", got, want)
	}
	for i := range 200 {
		c.Add(Event{ID: fmt.Sprint("m", i), DialogID: fmt.Sprint("m", i), Subject: fmt.Sprint("urn:m", i)})
	}
	if n := len(c.Parties()); n != 98 {
		t.Errorf("%d parties kept, want 98: three, and one for each of the other 95 dialogs counted", n)
	}
}

// TestChangesNameKeys: the parties of events that carry only a key are named once, in the
// order first seen; a key not named stays unnamed and is not asked for again.
func TestChangesNameKeys(t *testing.T) {
	t.Parallel()
	c := NewChanges(100)
	for i, key := range []string{"k1", "k2", "k1", "k3"} {
		c.Add(Event{ID: fmt.Sprint(i), DialogID: fmt.Sprint("d", i), SubjectKey: key})
	}
	if got := fmt.Sprint(c.unnamed()); got != "[k1 k2 k3]" {
		t.Fatalf("unnamed() = %s, want [k1 k2 k3]", got)
	}
	c.name(map[string]string{"k1": "urn:a", "k3": "urn:c"})
	c.Add(Event{ID: "4", DialogID: "d4", SubjectKey: "k2"}) // tried: not asked again
	c.Add(Event{ID: "5", DialogID: "d5", SubjectKey: "k5"})
	if got := fmt.Sprint(c.unnamed()); got != "[k5]" {
		t.Errorf("unnamed() after name = %s, want [k5]", got)
	}
	c.name(map[string]string{"k5": "urn:e"})
	if got, want := fmt.Sprint(c.Parties()), "[urn:a urn:c urn:e]"; got != want {
		t.Errorf("Parties() = %s, want %s", got, want)
	}
}

func TestSSEWritesEventsLineByLine(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	s, err := StartSSE(rec, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Event("dialog-changed", "<p>\r\nhei</p>"); err != nil {
		t.Fatal(err)
	}
	body := rec.Body.String()
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Errorf("Content-Type %q", ct)
	}
	if want := "event: dialog-changed\ndata: <p>\ndata: hei</p>\n\n"; !strings.HasSuffix(body, want) {
		t.Errorf("body %q, want it to end in %q", body, want)
	}
}
