// Package serviceowner is the service-owner side of the Dialogporten emulator: what a dialog
// links to. It serves front-channel embed content, GUI action endpoints and attachment bytes
// ({base}/serviceowner/…), the recipient endpoints of Altinn Correspondence
// ({base}/correspondence/api/v1/…), the Altinn token exchange with its OpenID metadata
// ({base}/authentication/api/v1/…) and, given an events publisher, the Altinn Events
// subscription API ({base}/events/api/v1/subscriptions), all over the emulator's dpemu.Store.
//
// Content providers authorise with the dialog token Dialogporten issues (EdDSA, `i`/`p`/`a`
// claims); Correspondence also accepts the emulator's own Altinn platform tokens.
//
// Wiring next to the end-user API (cmd/dev):
//
//	emu, _ := dpemu.New(dpemu.Options{BaseURL: base, Issuers: idportenIssuers})
//	side, _ := serviceowner.New(serviceowner.Options{
//		Store:           emu.Store(),
//		BaseURL:         base,
//		DialogTokenKeys: serviceowner.Ed25519Keys(emu.DialogTokens().PublicKeys()),
//		PlatformSigner:  emu.Platform(), // so Dialogporten trusts exchanged tokens
//		IDPorten:        []serviceowner.Issuer{{URL: idportenIssuerURL}}, // keys discovered
//	})
//	side.Register(emu) // mounts /serviceowner/, /correspondence/, /authentication/ routes
//	http.Serve(ln, emu.Handler())
//
// Dialogs misbehave on demand (Faults): a service-owner label
// "urn:innboks:emulator:fault:{hostile|down|timeout|forbidden|redirect-offhost|redirect-samehost}",
// side.Faults().Set(id, fault), or a rule such as side.Faults().SetRule(serviceowner.Sampled(20)).
package serviceowner

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/innboks/innboks/internal/dpemu"
)

// Options configures the service-owner side. Store and BaseURL are required.
type Options struct {
	// Store is the emulator's data.
	Store *dpemu.Store
	// BaseURL is the emulator's public base, e.g. http://127.0.0.1:8081 (no trailing slash).
	BaseURL string
	// DialogTokenIssuer is the `iss` of dialog tokens; default BaseURL+"/dialogporten/api/v1".
	DialogTokenIssuer string
	// DialogTokenKeys are the public keys of dialog tokens; default: the JWKS at
	// {DialogTokenIssuer}/.well-known/jwks.json, fetched on first use and cached.
	DialogTokenKeys KeySet
	// IDPorten lists the issuers whose access tokens the token exchange accepts.
	IDPorten []Issuer
	// PlatformSigner signs exchanged Altinn tokens; nil generates an RS256 key.
	PlatformSigner Signer
	// Events, when set, enables the Altinn Events subscription API
	// ({base}/events/api/v1/subscriptions) over this publisher (*events.Publisher).
	Events EventSubscriptions
	// Faults lets tests make chosen dialogs misbehave; nil creates an empty set.
	Faults *Faults
	// HTTPClient fetches remote key sets; nil uses a client with a 10 s timeout.
	HTTPClient *http.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives one line per refused or failed request; nil discards.
	Logger *slog.Logger
}

// Side serves the service-owner endpoints. Create it with New.
type Side struct {
	store     *dpemu.Store
	base      string
	dialogTok *dialogTokens
	idporten  *accessTokens
	signer    Signer
	faults    *Faults
	subs      *subscriptionsAPI
	now       func() time.Time
	log       *slog.Logger

	// once serialises the check-then-add of "first time" activities (opened, confirmed), so
	// concurrent requests record each only once.
	once sync.Mutex
}

// New builds the service-owner side from opts.
func New(opts Options) (*Side, error) {
	if opts.Store == nil {
		return nil, errors.New("serviceowner: Options.Store is required")
	}
	if opts.BaseURL == "" {
		return nil, errors.New("serviceowner: Options.BaseURL is required")
	}
	base := strings.TrimSuffix(opts.BaseURL, "/")
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	client := opts.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	iss := opts.DialogTokenIssuer
	if iss == "" {
		iss = base + "/dialogporten/api/v1"
	}
	keys := opts.DialogTokenKeys
	if keys == nil {
		keys = RemoteKeys(client, iss+"/.well-known/jwks.json", time.Hour)
	}
	idp := make([]Issuer, len(opts.IDPorten))
	for i, is := range opts.IDPorten {
		if is.Keys == nil {
			is.Keys = DiscoveredKeys(client, is.URL, time.Hour)
		}
		idp[i] = is
	}
	signer := opts.PlatformSigner
	if signer == nil {
		var err error
		if signer, err = NewPlatformSigner(nil); err != nil {
			return nil, err
		}
	}
	faults := opts.Faults
	if faults == nil {
		faults = NewFaults()
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var subs *subscriptionsAPI
	if opts.Events != nil {
		subs = &subscriptionsAPI{pub: opts.Events, subs: map[int]subscriptionRecord{}}
	}
	return &Side{
		subs:      subs,
		store:     opts.Store,
		base:      base,
		dialogTok: &dialogTokens{issuer: iss, keys: keys, now: now},
		idporten:  &accessTokens{issuers: idp, now: now},
		signer:    signer,
		faults:    faults,
		now:       now,
		log:       log,
	}, nil
}

// Faults returns the fault switches, so a test or cmd/dev can make dialogs misbehave.
func (s *Side) Faults() *Faults { return s.faults }

// PlatformIssuer returns the issuer of exchanged Altinn tokens:
// {base}/authentication/api/v1/openid/ (with the trailing slash, as Altinn writes it).
func (s *Side) PlatformIssuer() string { return s.base + "/authentication/api/v1/openid/" }

// Signer returns the signer of exchanged Altinn tokens (its JWKS lets the end-user API trust them).
func (s *Side) Signer() Signer { return s.signer }

// Mux is where routes are mounted: *http.ServeMux and *dpemu.Emulator both satisfy it.
type Mux interface {
	Handle(pattern string, handler http.Handler)
}

// Register mounts every service-owner route on mux. The patterns do not overlap the
// Dialogporten API under /dialogporten/.
func (s *Side) Register(mux Mux) {
	h := func(pattern string, fn http.HandlerFunc) { mux.Handle(pattern, fn) }
	// Front-channel embeds, GUI actions and attachments of app-style service owners.
	h("GET /serviceowner/{org}/dialogs/{dialogId}/content", s.dialogContent)
	h("GET /serviceowner/{org}/dialogs/{dialogId}/transmissions/{transmissionId}/content", s.transmissionContent)
	h("GET /serviceowner/{org}/dialogs/{dialogId}/actions/{name}", s.actionPage)
	h("POST /serviceowner/{org}/dialogs/{dialogId}/actions/{name}", s.writeAction)
	h("DELETE /serviceowner/{org}/dialogs/{dialogId}/actions/{name}", s.writeAction)
	h("GET /serviceowner/{org}/attachments/{attachmentId}", s.attachment)

	// Altinn Correspondence, recipient side.
	const corr = "/correspondence/api/v1/correspondence/{correspondenceId}"
	h("GET "+corr, s.corrOverview)
	h("GET "+corr+"/content", s.corrContent)
	h("POST "+corr+"/markasread", s.corrMarkRead)
	h("POST "+corr+"/confirm", s.corrConfirm)
	h("DELETE "+corr+"/purge", s.corrPurge)
	h("GET "+corr+"/attachment/{attachmentId}/download", s.corrAttachment)
	h("GET "+corr+"/attachments/downloadall", s.corrDownloadAll)

	// Altinn Authentication: token exchange and the issuer's metadata.
	h("GET /authentication/api/v1/exchange/id-porten", s.exchange)
	h("GET /authentication/api/v1/openid/.well-known/openid-configuration", s.openIDConfiguration)
	h("GET /authentication/api/v1/openid/.well-known/openid-configuration/jwks", s.platformJWKS)

	// Altinn Events: subscriptions, when a publisher is configured.
	if s.subs != nil {
		h("POST /events/api/v1/subscriptions", s.createSubscription)
		h("GET /events/api/v1/subscriptions", s.listSubscriptions)
		h("GET /events/api/v1/subscriptions/{id}", s.getSubscription)
		h("DELETE /events/api/v1/subscriptions/{id}", s.deleteSubscription)
	}
}

// Handler returns a handler serving only the service-owner routes.
func (s *Side) Handler() http.Handler {
	mux := http.NewServeMux()
	s.Register(mux)
	return mux
}
