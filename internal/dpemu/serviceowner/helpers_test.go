package serviceowner_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/uuid"
	"github.com/innboks/innboks/internal/dpemu"
	"github.com/innboks/innboks/internal/dpemu/serviceowner"
)

const (
	testPID    = "08844397713"
	otherPID   = "17912099997"
	personURN  = "urn:altinn:person:identifier-no:" + testPID
	orgURN     = "urn:altinn:organization:identifier-no:912345678"
	appRes     = "urn:altinn:resource:skd-mva"
	corrRes    = "urn:altinn:resource:skd-melding"
	idpIssuer  = "https://idporten.test.local"
	bigSize    = 256 << 20
	smallSize  = 100_003
	smallSeed  = 42
	corrAttSz  = 4096
	corrAttSd2 = 7
)

func newKeys(t testing.TB) (*rsa.PrivateKey, ed25519.PrivateKey) {
	t.Helper()
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	_, ek, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return rk, ek
}

// env is a running service-owner side over a small store.
type env struct {
	t        testing.TB
	srv      *httptest.Server
	side     *serviceowner.Side
	store    *dpemu.Store
	idpKey   *rsa.PrivateKey
	dialKey  ed25519.PrivateKey
	base     string
	app      *dpemu.Dialog // app instance with GUI actions, markdown content, attachments
	html     *dpemu.Dialog // legacy HTML content, hostile
	corr     *dpemu.Dialog // correspondence needing confirmation
	corrID   uuid.UUID
	corrNoCf *dpemu.Dialog // correspondence without confirmation
	corrID2  uuid.UUID
	other    *dpemu.Dialog // another party's dialog
}

func setup(t testing.TB) *env {
	t.Helper()
	rk, ek := newKeys(t)
	e := &env{t: t, idpKey: rk, dialKey: ek}
	mux := http.NewServeMux()
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	e.base = e.srv.URL
	e.store = dpemu.NewStore(nil, 1)
	e.seed()
	side, err := serviceowner.New(serviceowner.Options{
		Store:           e.store,
		BaseURL:         e.base,
		DialogTokenKeys: serviceowner.StaticKeys(jose.JSONWebKey{Key: ek.Public(), KeyID: "dk1", Algorithm: "EdDSA"}),
		IDPorten:        []serviceowner.Issuer{{URL: idpIssuer, Keys: serviceowner.StaticKeys(jose.JSONWebKey{Key: &rk.PublicKey, KeyID: "ik1"})}},
	})
	if err != nil {
		t.Fatal(err)
	}
	side.Faults().SetHang(200 * time.Millisecond)
	side.Register(mux)
	e.side = side
	return e
}

func text(nb, en string) dpemu.Text {
	return dpemu.Text{{LanguageCode: "nb", Value: nb}, {LanguageCode: "nn", Value: nb + " (nn)"}, {LanguageCode: "en", Value: en}}
}

func (e *env) seed() {
	s := e.store
	s.AddServiceOwner(dpemu.ServiceOwner{Code: "skd", OrgNumber: "974761076", Name: text("Skatteetaten", "Norwegian Tax Administration")})
	s.AddParty(dpemu.Party{URN: personURN, UUID: uuid.New(), PartyID: 50001, Name: "Ola Nordmann", Type: dpemu.PartyPerson})
	s.AddParty(dpemu.Party{URN: orgURN, UUID: uuid.New(), PartyID: 50002, Name: "EKSEMPEL AS", Type: dpemu.PartyOrganization})
	s.AddUser(dpemu.User{PID: testPID, Name: "Ola Nordmann", AuthLevel: 3, Access: []dpemu.PartyAccess{
		{Party: personURN, Rights: []dpemu.Right{{Resource: "*", Action: "*"}}},
		{Party: orgURN, Rights: []dpemu.Right{{Resource: appRes, Action: "read"}}},
	}})
	s.AddUser(dpemu.User{PID: otherPID, Name: "Kari Nordmann", AuthLevel: 3})

	e.app = e.create(&dpemu.Dialog{
		Org: "skd", ServiceResource: appRes, Party: personURN, Status: dpemu.StatusRequiresAttention,
		ExternalReference: "MVA-2026-6",
		Content: dpemu.Content{
			Title:   dpemu.ContentValue{MediaType: dpemu.MediaTextPlain, Value: text("Mva-melding for 6. termin", "VAT return, 6th term")},
			Summary: &dpemu.ContentValue{MediaType: dpemu.MediaTextPlain, Value: text("Fyll ut og send inn", "Fill in and submit")},
		},
		Attachments: []dpemu.Attachment{
			{ID: uuid.New(), Name: "kvittering.pdf", DisplayName: text("Kvittering", "Receipt"), Size: smallSize, ContentSeed: smallSeed},
			{ID: uuid.New(), Name: "stor-fil.bin", DisplayName: text("Stor fil", "Big file"), Size: bigSize, ContentSeed: 99,
				URLs: []dpemu.AttachmentURL{{MediaType: "application/octet-stream", ConsumerType: dpemu.ConsumerGui}}},
		},
		Transmissions: []dpemu.Transmission{{
			ID: uuid.New(), Type: dpemu.TransmissionRequest, Sender: dpemu.Actor{Type: dpemu.ActorServiceOwner},
			Title: dpemu.ContentValue{MediaType: dpemu.MediaTextPlain, Value: text("Varsel om frist", "Deadline notice")},
		}},
	})
	base := e.base + "/serviceowner/skd/dialogs/" + e.app.ID.String()
	_ = e.store.UpdateDialog(e.app.ID, func(d *dpemu.Dialog) error {
		d.Content.MainContentReference = &dpemu.ContentValue{MediaType: dpemu.MediaEmbedMarkdown, Value: dpemu.Text{{LanguageCode: "nb", Value: base + "/content?lang=nb"}}}
		d.Transmissions[0].ContentReference = &dpemu.ContentValue{MediaType: dpemu.MediaEmbedMarkdown, Value: dpemu.Text{{LanguageCode: "nb", Value: base + "/transmissions/" + d.Transmissions[0].ID.String() + "/content"}}}
		d.GuiActions = []dpemu.GuiAction{
			{Action: "write", URL: base + "/actions/submit", HTTPMethod: "POST", Priority: dpemu.PriorityPrimary, Title: text("Send inn", "Submit")},
			{Action: "write", URL: base + "/actions/remind", HTTPMethod: "POST", Priority: dpemu.PrioritySecondary, Title: text("Påminn", "Remind")},
			{Action: "sign", URL: base + "/actions/sign", HTTPMethod: "POST", Priority: dpemu.PriorityTertiary, Title: text("Signer", "Sign"), AuthorizationAttribute: "urn:altinn:subresource:signing"},
			{Action: "delete", URL: base + "/actions/delete", HTTPMethod: "DELETE", Priority: dpemu.PriorityTertiary, IsDeleteDialogAction: true, Title: text("Slett", "Delete")},
			{Action: "read", URL: base + "/actions/open", HTTPMethod: "GET", Priority: dpemu.PriorityTertiary, Title: text("Åpne", "Open")},
		}
		for i := range d.Attachments {
			d.Attachments[i].URLs = append(d.Attachments[i].URLs[:0:0], dpemu.AttachmentURL{
				URL: e.base + "/serviceowner/skd/attachments/" + d.Attachments[i].ID.String(), ConsumerType: dpemu.ConsumerGui,
				MediaType: map[bool]string{true: "application/octet-stream", false: "application/pdf"}[i == 1]})
		}
		return nil
	})
	e.app, _ = e.store.Dialog(e.app.ID)

	e.html = e.create(&dpemu.Dialog{
		Org: "skd", ServiceResource: appRes, Party: personURN,
		ServiceOwnerLabels: []string{serviceowner.FaultLabelPrefix + string(serviceowner.FaultHostile)},
		Content: dpemu.Content{
			Title:                dpemu.ContentValue{MediaType: dpemu.MediaTextPlain, Value: text("Gammel melding", "Old message")},
			MainContentReference: &dpemu.ContentValue{MediaType: dpemu.MediaEmbedHTML, Value: dpemu.Text{{LanguageCode: "nb", Value: "x"}}},
		},
	})

	e.corrID, e.corrID2 = uuid.New(), uuid.New()
	corrBase := e.base + "/correspondence/api/v1/correspondence/"
	e.corr = e.create(&dpemu.Dialog{
		Org: "skd", ServiceResource: corrRes, Party: personURN, Status: dpemu.StatusRequiresAttention,
		ServiceOwnerLabels: []string{serviceowner.CorrespondenceLabelPrefix + e.corrID.String()},
		Content:            dpemu.Content{Title: dpemu.ContentValue{MediaType: dpemu.MediaTextPlain, Value: text("Vedtak om skatt", "Tax decision")}},
		GuiActions: []dpemu.GuiAction{{Action: "read", URL: corrBase + e.corrID.String() + "/confirm", HTTPMethod: "POST",
			Priority: dpemu.PriorityPrimary, Title: text("Bekreft", "Confirm")}},
		ApiActions: []dpemu.ApiAction{{Action: "write", Name: "confirmCorrespondence",
			Endpoints: []dpemu.ApiActionEndpoint{{URL: corrBase + e.corrID.String() + "/confirm", HTTPMethod: "POST"}}}},
		Attachments: []dpemu.Attachment{
			{ID: uuid.New(), Name: "vedtak.pdf", DisplayName: text("Vedtak", "Decision"), Size: corrAttSz, ContentSeed: 1},
			{ID: uuid.New(), Name: "vedlegg.txt", DisplayName: text("Vedlegg", "Annex"), Size: 10, ContentSeed: corrAttSd2},
		},
	})
	e.corrNoCf = e.create(&dpemu.Dialog{
		Org: "skd", ServiceResource: corrRes, Party: personURN,
		ServiceOwnerLabels: []string{serviceowner.CorrespondenceLabelPrefix + e.corrID2.String()},
		Content:            dpemu.Content{Title: dpemu.ContentValue{MediaType: dpemu.MediaTextPlain, Value: text("Informasjon", "Information")}},
	})
	e.other = e.create(&dpemu.Dialog{
		Org: "skd", ServiceResource: appRes, Party: "urn:altinn:organization:identifier-no:999999999",
		Content:     dpemu.Content{Title: dpemu.ContentValue{MediaType: dpemu.MediaTextPlain, Value: text("Annen", "Other")}},
		Attachments: []dpemu.Attachment{{ID: uuid.New(), Name: "hemmelig.pdf", Size: 10, ContentSeed: 3}},
	})
}

func (e *env) create(d *dpemu.Dialog) *dpemu.Dialog {
	e.t.Helper()
	id, err := e.store.CreateDialog(d)
	if err != nil {
		e.t.Fatal(err)
	}
	got, _ := e.store.Dialog(id)
	return got
}

// dialogToken signs a dialog token for d with actions a; mod may change the claims.
func (e *env) dialogToken(d *dpemu.Dialog, a string, mod func(map[string]any)) string {
	e.t.Helper()
	now := time.Now()
	c := map[string]any{
		"jti": uuid.NewString(), "iss": e.base + "/dialogporten/api/v1",
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(10 * time.Minute).Unix(),
		"c": personURN, "l": 3, "p": d.Party, "s": d.ServiceResource, "i": d.ID.String(), "a": a,
	}
	if mod != nil {
		mod(c)
	}
	return e.sign(jose.EdDSA, e.dialKey, "dk1", c)
}

// idportenToken signs an ID-porten-style access token.
func (e *env) idportenToken(scope string, mod func(map[string]any)) string {
	e.t.Helper()
	now := time.Now()
	c := map[string]any{
		"iss": idpIssuer, "sub": "pairwise-sub", "aud": "innboks", "client_id": "innboks", "jti": uuid.NewString(),
		"iat": now.Unix(), "exp": now.Add(2 * time.Minute).Unix(),
		"pid": testPID, "acr": "idporten-loa-substantial", "amr": []string{"TestID"}, "scope": scope,
	}
	if mod != nil {
		mod(c)
	}
	return e.sign(jose.RS256, e.idpKey, "ik1", c)
}

func (e *env) sign(alg jose.SignatureAlgorithm, key any, kid string, claims map[string]any) string {
	e.t.Helper()
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: jose.JSONWebKey{Key: key, KeyID: kid}}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		e.t.Fatal(err)
	}
	tok, err := jwt.Signed(s).Claims(claims).Serialize()
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// do sends a request with an optional bearer token and returns the response and its body.
func (e *env) do(method, path, token string, hdr ...string) (*http.Response, string) {
	e.t.Helper()
	u := path
	if !strings.HasPrefix(u, "http") {
		u = e.base + path
	}
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, string(b)
}

func (e *env) dialog(id uuid.UUID) *dpemu.Dialog {
	e.t.Helper()
	d, ok := e.store.Dialog(id)
	if !ok {
		e.t.Fatalf("dialog %s gone", id)
	}
	return d
}

func countActivities(d *dpemu.Dialog, t dpemu.ActivityType) int {
	n := 0
	for _, a := range d.Activities {
		if a.Type == t {
			n++
		}
	}
	return n
}

// bigAttachment adds an attachment of size bytes to the app dialog and returns its id.
func (e *env) bigAttachment(size int64) string {
	e.t.Helper()
	id := uuid.New()
	err := e.store.UpdateDialog(e.app.ID, func(d *dpemu.Dialog) error {
		d.Attachments = append(d.Attachments, dpemu.Attachment{ID: id, Name: "huge.bin", Size: size, ContentSeed: 1234})
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return id.String()
}
