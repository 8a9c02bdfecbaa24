package live

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// SSE writes one server-sent-event stream to a browser.
type SSE struct {
	w      http.ResponseWriter
	rc     *http.ResponseController
	window time.Duration
}

// StartSSE answers 200 with the stream's headers (never cached, never buffered by a proxy) and
// a retry interval of 10 s. The server's write deadline (cmd/web: 60 s) would cut the stream,
// and the browser's reconnect would touch the session, keeping an unattended one alive: Extend
// moves the deadline window ahead instead, at every write. No read deadline may end the stream.
func StartSSE(w http.ResponseWriter, window time.Duration) (*SSE, error) {
	s := &SSE{w: w, rc: http.NewResponseController(w), window: window}
	s.Extend()
	_ = s.rc.SetReadDeadline(time.Time{})
	SSEHeaders(w.Header())
	w.WriteHeader(http.StatusOK)
	if _, err := fmt.Fprint(w, "retry: 10000\n: connected\n\n"); err != nil {
		return nil, err
	}
	return s, s.rc.Flush()
}

// SSEHeaders are the headers of an event stream.
func SSEHeaders(h http.Header) {
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
}

// Extend moves the write deadline one window ahead (ignored where the writer cannot).
func (s *SSE) Extend() { _ = s.rc.SetWriteDeadline(time.Now().Add(s.window)) }

// Ping writes a comment, which keeps the connection open through proxies.
func (s *SSE) Ping() error { return s.write(": ping\n\n") }

// Event writes one named event whose data is data, one data line per line.
func (s *SSE) Event(name, data string) error {
	var out strings.Builder
	out.WriteString("event: " + name + "\n")
	for line := range strings.SplitSeq(strings.ReplaceAll(data, "\r", ""), "\n") {
		out.WriteString("data: " + line + "\n")
	}
	out.WriteString("\n")
	return s.write(out.String())
}

func (s *SSE) write(p string) error {
	s.Extend()
	if _, err := fmt.Fprint(s.w, p); err != nil {
		return err
	}
	return s.rc.Flush()
}

// Changes counts the distinct dialogs that changed while a page is open, up to max: beyond, it
// says "more than" and remembers no more (an open tab must not grow without end). It also keeps
// the distinct parties of the dialogs it counted, in the order first seen (no more than the
// dialogs counted), for a banner that names them: the subject, or, for an event that came over
// Redis without one, its SubjectKey until name turns it into the subject.
type Changes struct {
	max     int
	seen    map[string]bool
	more    bool
	parties []changedParty
}

// changedParty is one party of the dialogs counted: its URN, or the key it came with.
type changedParty struct {
	subject string
	key     string // the event's SubjectKey, when it had no subject
	tried   bool   // name had its go at key: a party not named then stays unnamed
}

// NewChanges counts up to max changed dialogs.
func NewChanges(max int) *Changes { return &Changes{max: max, seen: map[string]bool{}} }

// Add counts ev's dialog (its id, else the event's) and returns the count so far and whether
// there were more than max.
func (c *Changes) Add(ev Event) (count int, more bool) {
	k := ev.DialogID
	if k == "" {
		k = "event:" + ev.ID
	}
	if !c.seen[k] {
		if len(c.seen) < c.max {
			c.seen[k] = true
			c.addParty(ev)
		} else {
			c.more = true
		}
	}
	return len(c.seen), c.more
}

func (c *Changes) addParty(ev Event) {
	p := changedParty{subject: ev.Subject}
	if p.subject == "" {
		p.key = ev.SubjectKey
	}
	if p == (changedParty{}) {
		return
	}
	for _, q := range c.parties {
		if (p.subject != "" && q.subject == p.subject) || (p.key != "" && q.key == p.key) {
			return
		}
	}
	c.parties = append(c.parties, p)
}

// unnamed are the keys of the parties counted that name has not had a go at yet.
func (c *Changes) unnamed() []string {
	var keys []string
	for _, p := range c.parties {
		if p.subject == "" && !p.tried {
			keys = append(keys, p.key)
		}
	}
	return keys
}

// name gives the unnamed parties their URNs by key (names: key to URN); a party whose key names
// has not stays unnamed, and is not asked for again.
func (c *Changes) name(names map[string]string) {
	for i := range c.parties {
		if p := &c.parties[i]; p.subject == "" && !p.tried {
			p.subject, p.tried = names[p.key], true
		}
	}
}

// Parties are the distinct subjects of the dialogs counted, first seen first (those not named,
// left out); the slice is the caller's.
func (c *Changes) Parties() []string {
	var out []string
	for _, p := range c.parties {
		if p.subject != "" && !slices.Contains(out, p.subject) {
			out = append(out, p.subject)
		}
	}
	return out
}
