package live

import (
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
