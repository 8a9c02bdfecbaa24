package dpemu

import (
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Options configure an Emulator.
type Options struct {
	Scenario string           // "default" (when empty), "accountant" or "extreme"
	Seed     uint64           // scenario seed; 0 means 1
	BaseURL  string           // the emulator's root URL, e.g. http://127.0.0.1:8081 (no trailing slash)
	Issuers  []Issuer         // trusted end-user token issuers (ID-porten double, tests)
	Now      func() time.Time // clock; nil means time.Now
	Logger   *slog.Logger     // nil means discard
	// DialogTokenLifetime is how long the dialog tokens it issues last (whole seconds); 0 means
	// DialogTokenLifetime, as Dialogporten. Shorter lets tests and harnesses see renewals.
	DialogTokenLifetime time.Duration
}

// Emulator is a Dialogporten emulator: the end-user API over a seeded Store, on the Altinn
// platform layout (Dialogporten under /dialogporten).
type Emulator struct {
	opts     Options
	store    *Store
	scenario *Scenario
	log      *slog.Logger
	now      func() time.Time
	mux      *http.ServeMux

	keys     *keyResolver
	platform *PlatformSigner
	dtokens  *DialogTokenKeys
	mask     masker

	accessMu sync.Mutex
	access   map[string]*accessIndex

	faultMu sync.Mutex
	fault   Fault

	texts *textIndex

	streams *dialogStreams // open dialogEvents subscriptions (dialogevents.go)
	// streamRequests counts the dialogEvents subscription requests (DialogEventRequests).
	streamRequests atomic.Int64
}

// New builds the emulator and seeds the scenario.
func New(o Options) (*Emulator, error) {
	if o.Scenario == "" {
		o.Scenario = "default"
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	o.BaseURL = strings.TrimSuffix(o.BaseURL, "/")
	if o.BaseURL == "" {
		return nil, errors.New("dpemu: Options.BaseURL is required")
	}
	e := &Emulator{opts: o, log: o.Logger, now: o.Now, access: map[string]*accessIndex{}, texts: newTextIndex()}
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	e.mask = masker{salt: salt}
	var err error
	if e.platform, err = newPlatformSigner(o.BaseURL + "/authentication/api/v1/openid/"); err != nil {
		return nil, err
	}
	if e.dtokens, err = newDialogTokenKeys(e.DialogportenURL()+"/api/v1", o.DialogTokenLifetime); err != nil {
		return nil, err
	}
	pj := e.platform.JWKS()
	issuers := append([]Issuer{{URL: e.platform.Issuer(), Keys: &pj}}, o.Issuers...)
	e.keys = newKeyResolver(issuers)
	e.store = NewStore(o.Now, o.Seed)
	e.streams = newDialogStreams()
	e.store.OnChange(e.streams.publish)
	sc, err := BuildScenario(e.store, ScenarioOptions{Name: o.Scenario, Seed: o.Seed, BaseURL: o.BaseURL, Now: o.Now()})
	if err != nil {
		return nil, err
	}
	e.scenario = sc
	e.routes()
	return e, nil
}

// Store returns the emulator's store (for the service-owner side and the events publisher).
func (e *Emulator) Store() *Store { return e.store }

// Users returns the persons who can log in in this scenario.
func (e *Emulator) Users() []TestUser { return e.scenario.Users() }

// Scenario returns the seeded scenario.
func (e *Emulator) Scenario() *Scenario { return e.scenario }

// BaseURL returns the emulator root URL.
func (e *Emulator) BaseURL() string { return e.opts.BaseURL }

// DialogportenURL returns the Dialogporten base URL, {emulator}/dialogporten.
func (e *Emulator) DialogportenURL() string { return e.opts.BaseURL + "/dialogporten" }

// Platform returns the signer of the emulator's Altinn platform tokens.
func (e *Emulator) Platform() *PlatformSigner { return e.platform }

// DialogTokens returns the dialog-token keys; use Verify to check dialog tokens.
func (e *Emulator) DialogTokens() *DialogTokenKeys { return e.dtokens }

// VerifyDialogToken checks a dialog token issued by this emulator at the current time.
func (e *Emulator) VerifyDialogToken(token string) (*DialogTokenClaims, error) {
	return e.dtokens.Verify(token, e.now())
}

// Handler returns the HTTP handler for everything the emulator serves.
func (e *Emulator) Handler() http.Handler { return e.faults(e.mux) }

// Handle registers an extra route on the emulator's mux (the service-owner side, the token
// exchange, …). Call it before serving.
func (e *Emulator) Handle(pattern string, h http.Handler) { e.mux.Handle(pattern, h) }

// Fault makes Dialogporten endpoints fail so error pages can be tested.
type Fault struct {
	Status     int           // 503 (maintenance) or 429; 0 clears
	RetryAfter time.Duration // advertised in Retry-After
	Count      int           // how many requests fail; 0 means until cleared
}

// SetFault installs f (Status 0 clears it).
func (e *Emulator) SetFault(f Fault) {
	e.faultMu.Lock()
	defer e.faultMu.Unlock()
	e.fault = f
}

// takeFault returns the active fault, counting it down.
func (e *Emulator) takeFault() (Fault, bool) {
	e.faultMu.Lock()
	defer e.faultMu.Unlock()
	f := e.fault
	if f.Status == 0 {
		return f, false
	}
	if f.Count > 0 {
		e.fault.Count--
		if e.fault.Count == 0 {
			e.fault = Fault{}
		}
	}
	return f, true
}

// faults answers Dialogporten requests with the configured fault.
func (e *Emulator) faults(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/dialogporten/") {
			next.ServeHTTP(w, r)
			return
		}
		f, ok := e.takeFault()
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		switch f.Status {
		case http.StatusServiceUnavailable:
			w.Header().Set("Retry-After", e.now().Add(f.RetryAfter).UTC().Format(http.TimeFormat))
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("Service Unavailable"))
		default:
			w.Header().Set("Retry-After", fmt.Sprint(int(f.RetryAfter.Seconds())))
			writeProblem(w, r, f.Status, nil)
		}
	})
}

// routes lists every route on one screen.
func (e *Emulator) routes() {
	m := http.NewServeMux()
	const eu = "/dialogporten/api/v1/enduser"
	m.HandleFunc("GET "+eu+"/dialogs", e.authed(e.searchDialogs))
	m.HandleFunc("GET "+eu+"/dialogs/{dialogId}", e.authed(e.getDialog))
	m.HandleFunc("GET "+eu+"/dialogs/{dialogId}/activities", e.authed(e.listActivities))
	m.HandleFunc("GET "+eu+"/dialogs/{dialogId}/activities/{activityId}", e.authed(e.getActivity))
	m.HandleFunc("GET "+eu+"/dialogs/{dialogId}/transmissions", e.authed(e.listTransmissions))
	m.HandleFunc("GET "+eu+"/dialogs/{dialogId}/transmissions/{transmissionId}", e.authed(e.getTransmission))
	m.HandleFunc("GET "+eu+"/dialogs/{dialogId}/seenlog", e.authed(e.listSeenLog))
	m.HandleFunc("GET "+eu+"/dialogs/{dialogId}/seenlog/{seenLogId}", e.authed(e.getSeenLog))
	m.HandleFunc("GET "+eu+"/dialogs/{dialogId}/context/labellog", e.authed(e.listLabelLog))
	m.HandleFunc("PUT "+eu+"/dialogs/{dialogId}/context/systemlabels", e.authed(e.setSystemLabels))
	m.HandleFunc("POST "+eu+"/dialogs/context/systemlabels/actions/bulkset", e.authed(e.bulkSetSystemLabels))
	m.HandleFunc("GET "+eu+"/parties", e.jsonOnly(e.authed(e.getParties)))
	m.HandleFunc("GET "+eu+"/serviceresources", e.authed(e.getServiceResources))
	m.HandleFunc("GET "+eu+"/dialoglookup", e.authed(e.dialogLookup))
	m.HandleFunc("GET /dialogporten/api/v1/metadata/limits", e.jsonOnly(e.getLimits))
	m.HandleFunc("GET /dialogporten/api/v1/metadata/serviceresources", e.jsonOnly(e.getResourceMetadata))
	m.HandleFunc("GET /dialogporten/api/v1/.well-known/jwks.json", e.jsonOnly(e.getJWKS))
	m.HandleFunc("GET /dialogporten/api/v1/.well-known/oauth-authorization-server", e.jsonOnly(e.getOAuthMetadata))
	m.HandleFunc("POST /dialogporten/graphql/stream", e.dialogEventsStream)
	e.mux = m
}

// jsonOnly answers 406 when the Accept header excludes JSON (§2).
func (e *Emulator) jsonOnly(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !acceptsJSON(r.Header.Get("Accept")) {
			writeProblem(w, r, http.StatusNotAcceptable, nil)
			return
		}
		h(w, r)
	}
}

func acceptsJSON(accept string) bool {
	if strings.TrimSpace(accept) == "" {
		return true
	}
	for _, part := range strings.Split(accept, ",") {
		mt := strings.ToLower(strings.TrimSpace(strings.Split(part, ";")[0]))
		if strings.Contains(part, "q=0") && !strings.Contains(part, "q=0.") {
			continue
		}
		switch {
		case mt == "*/*", mt == "application/*", mt == "application/json", strings.HasSuffix(mt, "+json"):
			return true
		}
	}
	return false
}

// caller is an authenticated end user with their authorisation index.
type caller struct {
	principal
	access *accessIndex
}

// authed authenticates the bearer token (§3.1): 401 with an empty body and
// WWW-Authenticate: Bearer for a missing or bad token, 403 for a token that is not an end user's.
func (e *Emulator) authed(h func(http.ResponseWriter, *http.Request, *caller)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || strings.TrimSpace(raw) == "" {
			w.Header().Set("WWW-Authenticate", "Bearer")
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		p, err := e.keys.authenticate(r.Context(), strings.TrimSpace(raw), e.now())
		if errors.Is(err, errForbiddenType) {
			writeProblem(w, r, http.StatusForbidden, map[string][]string{"Type": {"The token does not identify an end user allowed on this endpoint."}})
			return
		}
		if err != nil {
			e.log.DebugContext(r.Context(), "dpemu: token rejected", "err", err)
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		h(w, r, &caller{principal: p, access: e.accessFor(p)})
	}
}

// accessIndex is a user's authorisation, indexed for per-request checks.
type accessIndex struct {
	user    *User
	byParty map[string]*PartyAccess
	order   []string // parties in the user's order
}

func (e *Emulator) accessFor(p principal) *accessIndex {
	e.accessMu.Lock()
	defer e.accessMu.Unlock()
	if a, ok := e.access[p.PID]; ok {
		return a
	}
	u, ok := e.store.User(p.PID)
	if !ok {
		// A person not in the scenario may still act for themselves.
		u = &User{PID: p.PID, Name: "UKJENT PERSON", Access: []PartyAccess{{Party: personPrefix + p.PID, Rights: []Right{{"*", "*"}}}}}
	}
	a := &accessIndex{user: u, byParty: make(map[string]*PartyAccess, len(u.Access))}
	for i := range u.Access {
		pa := &u.Access[i]
		a.byParty[pa.Party] = pa
		a.order = append(a.order, pa.Party)
	}
	e.access[p.PID] = a
	return a
}

// can reports whether the caller holds action on resource for party.
func (c *caller) can(party, resource, action string) bool {
	pa, ok := c.access.byParty[party]
	return ok && pa.Allows(resource, action)
}

// canList reports whether the caller may see the dialog at all (list or read access).
func (c *caller) canList(d *Dialog) bool {
	return c.can(d.Party, d.ServiceResource, "read") || c.can(d.Party, d.ServiceResource, "list")
}

// actor is the caller as an actor in logs.
func (c *caller) actor() Actor {
	return Actor{Type: ActorPartyRepresentative, ID: c.URN, Name: c.access.user.Name}
}

// jwks serves the dialog-token keys (§8).
func (e *Emulator) getJWKS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "public, max-age=86400")
	writeJSON(w, http.StatusOK, e.dtokens.jwks())
}

func (e *Emulator) getOAuthMetadata(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{
		"issuer":   e.dtokens.Issuer(),
		"jwks_uri": e.dtokens.Issuer() + "/.well-known/jwks.json",
	})
}

// PlatformJWKS is a convenience for tests: the public keys of platform tokens.
func (e *Emulator) PlatformJWKS() jose.JSONWebKeySet { return e.platform.JWKS() }
