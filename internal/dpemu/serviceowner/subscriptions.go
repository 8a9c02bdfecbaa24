package serviceowner

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/innboks/innboks/internal/dpemu"
	"github.com/innboks/innboks/internal/dpemu/events"
)

// EventSubscriptions is the events publisher as the Altinn Events subscription API needs it;
// *events.Publisher satisfies it.
type EventSubscriptions interface {
	Subscribe(events.Subscription) string
	Unsubscribe(id string) bool
	Subscription(id string) (events.Subscription, bool)
	Stats(id string) (events.Stats, bool)
}

// subscriptionsAPI holds who made which subscription. Altinn numbers subscriptions; the
// publisher's ids stay internal.
type subscriptionsAPI struct {
	pub  EventSubscriptions
	mu   sync.Mutex
	next int
	subs map[int]subscriptionRecord
}

type subscriptionRecord struct {
	pubID    string
	consumer string
	created  time.Time
	include  bool
}

// subscriptionRequest is the body of POST /events/api/v1/subscriptions.
type subscriptionRequest struct {
	EndPoint                 string `json:"endPoint"`
	ResourceFilter           string `json:"resourceFilter"`
	SubjectFilter            string `json:"subjectFilter"`
	TypeFilter               string `json:"typeFilter"`
	SourceFilter             string `json:"sourceFilter"`
	AlternativeSubjectFilter string `json:"alternativeSubjectFilter"`
	IncludeSubunits          bool   `json:"includeSubunits"`
}

// subscriptionBody is a subscription as Altinn Events answers it.
type subscriptionBody struct {
	ID              int       `json:"id"`
	EndPoint        string    `json:"endPoint"`
	ResourceFilter  string    `json:"resourceFilter"`
	SubjectFilter   string    `json:"subjectFilter"`
	TypeFilter      string    `json:"typeFilter,omitempty"`
	Consumer        string    `json:"consumer"`
	CreatedBy       string    `json:"createdBy"`
	Created         time.Time `json:"created"`
	Validated       bool      `json:"validated"`
	IncludeSubunits bool      `json:"includeSubunits"`
}

// subscriber authenticates a subscription call: an Altinn platform token with
// altinn:events.subscribe. It returns the consumer ("/user/{userId}") and the person's pid.
func (s *Side) subscriber(w http.ResponseWriter, r *http.Request) (consumer, pid string, ok bool) {
	c, err := s.verifyPlatform(r, bearer(r))
	if err != nil {
		s.writeAuthError(w, r, err, 0)
		return "", "", false
	}
	if !strings.Contains(" "+c.Scope+" ", " altinn:events.subscribe ") {
		s.writeAuthError(w, r, forbidden("token lacks altinn:events.subscribe"), 0)
		return "", "", false
	}
	party, _ := s.store.Party("urn:altinn:person:identifier-no:" + c.PID)
	return "/user/" + strconv.Itoa(userID(c.PID, party.PartyID)), c.PID, true
}

// createSubscription serves POST /events/api/v1/subscriptions.
func (s *Side) createSubscription(w http.ResponseWriter, r *http.Request) {
	consumer, pid, ok := s.subscriber(w, r)
	if !ok {
		return
	}
	var req subscriptionRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&req); err != nil {
		writeProblem(w, http.StatusBadRequest, "The body is not a subscription request.")
		return
	}
	if msg := validateSubscription(req); msg != "" {
		writeProblem(w, http.StatusBadRequest, msg)
		return
	}
	// The PDP check: the person must be able to read the resource for the subject.
	u, found := s.store.User(pid)
	if !found || !mayRead(u.Access, req.SubjectFilter, req.ResourceFilter) {
		s.writeAuthError(w, r, forbidden("not authorized to subscribe to this resource for this subject"), 0)
		return
	}
	api := s.subs
	id := api.pub.Subscribe(events.Subscription{EndPoint: req.EndPoint, ResourceFilter: req.ResourceFilter,
		SubjectFilter: req.SubjectFilter, TypeFilter: req.TypeFilter})
	api.mu.Lock()
	api.next++
	n := api.next
	rec := subscriptionRecord{pubID: id, consumer: consumer, created: s.now().UTC(), include: req.IncludeSubunits}
	api.subs[n] = rec
	api.mu.Unlock()
	body := api.body(n, rec)
	// As in Altinn, the answer to the POST describes the subscription as created: the handshake
	// runs asynchronously and may already have finished, but the creation answer never says so
	// (clients poll GET …/{id} for validated).
	body.Validated = false
	w.Header().Set("Location", "/events/api/v1/subscriptions/"+strconv.Itoa(n))
	writeJSON(w, http.StatusCreated, body)
}

func validateSubscription(req subscriptionRequest) string {
	u, err := url.Parse(req.EndPoint)
	switch {
	case err != nil || !u.IsAbs() || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		return "endPoint must be an absolute http(s) URL."
	case !strings.HasPrefix(req.ResourceFilter, "urn:altinn:resource:"):
		return "resourceFilter must be a resource URN (urn:altinn:resource:…)."
	case req.SourceFilter != "" || req.AlternativeSubjectFilter != "":
		return "sourceFilter and alternativeSubjectFilter are not allowed for generic resources."
	case req.SubjectFilter == "":
		return "subjectFilter is required."
	}
	return ""
}

func mayRead(access []dpemu.PartyAccess, party, resource string) bool {
	for i := range access {
		if strings.EqualFold(access[i].Party, party) && access[i].Allows(resource, "read") {
			return true
		}
	}
	return false
}

func (a *subscriptionsAPI) body(n int, rec subscriptionRecord) subscriptionBody {
	spec, _ := a.pub.Subscription(rec.pubID)
	st, _ := a.pub.Stats(rec.pubID)
	return subscriptionBody{ID: n, EndPoint: spec.EndPoint, ResourceFilter: spec.ResourceFilter, SubjectFilter: spec.SubjectFilter,
		TypeFilter: spec.TypeFilter, Consumer: rec.consumer, CreatedBy: rec.consumer, Created: rec.created,
		Validated: st.Validated, IncludeSubunits: rec.include}
}

// listSubscriptions serves GET /events/api/v1/subscriptions: the caller's own subscriptions.
func (s *Side) listSubscriptions(w http.ResponseWriter, r *http.Request) {
	consumer, _, ok := s.subscriber(w, r)
	if !ok {
		return
	}
	api := s.subs
	api.mu.Lock()
	out := []subscriptionBody{}
	for n := 1; n <= api.next; n++ {
		if rec, ok := api.subs[n]; ok && rec.consumer == consumer {
			out = append(out, api.body(n, rec))
		}
	}
	api.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"count": len(out), "subscriptions": out})
}

// ownSubscription finds subscription {id} and checks that the caller made it.
func (s *Side) ownSubscription(w http.ResponseWriter, r *http.Request) (int, subscriptionRecord, bool) {
	consumer, _, ok := s.subscriber(w, r)
	if !ok {
		return 0, subscriptionRecord{}, false
	}
	n, err := strconv.Atoi(r.PathValue("id"))
	s.subs.mu.Lock()
	rec, found := s.subs.subs[n]
	s.subs.mu.Unlock()
	if err != nil || !found {
		writeProblem(w, http.StatusNotFound, "No such subscription.")
		return 0, subscriptionRecord{}, false
	}
	if rec.consumer != consumer {
		s.writeAuthError(w, r, forbidden("only the creator may see or delete a subscription"), 0)
		return 0, subscriptionRecord{}, false
	}
	return n, rec, true
}

// getSubscription serves GET /events/api/v1/subscriptions/{id}.
func (s *Side) getSubscription(w http.ResponseWriter, r *http.Request) {
	if n, rec, ok := s.ownSubscription(w, r); ok {
		writeJSON(w, http.StatusOK, s.subs.body(n, rec))
	}
}

// deleteSubscription serves DELETE /events/api/v1/subscriptions/{id}.
func (s *Side) deleteSubscription(w http.ResponseWriter, r *http.Request) {
	n, rec, ok := s.ownSubscription(w, r)
	if !ok {
		return
	}
	s.subs.pub.Unsubscribe(rec.pubID)
	s.subs.mu.Lock()
	delete(s.subs.subs, n)
	s.subs.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}
