package dpclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestSearchParamsValues(t *testing.T) {
	t.Parallel()
	oslo := time.FixedZone("CET", 3600)
	p := &SearchParams{
		Party:                []string{"urn:altinn:person:identifier-no:08844397713", "urn:altinn:organization:identifier-no:312345678"},
		ServiceResource:      []string{"urn:altinn:resource:a", "urn:altinn:resource:b"},
		Org:                  []string{"skd", "nav"},
		ExtendedStatus:       []string{"x1", "x2"},
		ExternalReference:    "ref 1+2",
		Status:               []DialogStatus{DialogStatusInProgress, DialogStatusAwaiting},
		Process:              "urn:process:1",
		SystemLabel:          []SystemLabel{SystemLabelArchive, SystemLabelSent},
		IsContentSeen:        ptr(false),
		ExcludeAPIOnly:       ptr(true),
		CreatedAfter:         ptr(time.Date(2025, 1, 2, 3, 4, 5, 123456700, time.UTC)),
		CreatedBefore:        ptr(time.Date(2025, 1, 2, 4, 4, 5, 0, oslo)),
		UpdatedAfter:         ptr(time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)),
		UpdatedBefore:        ptr(time.Date(2025, 2, 2, 0, 0, 0, 0, time.UTC)),
		ContentUpdatedAfter:  ptr(time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)),
		ContentUpdatedBefore: ptr(time.Date(2025, 3, 2, 0, 0, 0, 0, time.UTC)),
		DueAfter:             ptr(time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)),
		DueBefore:            ptr(time.Date(2025, 4, 2, 0, 0, 0, 0, time.UTC)),
		Search:               "skattemelding",
		SearchLanguageCode:   "nb",
		OrderBy:              "createdAt_asc",
		ContinuationToken:    "createdat_2025-01-01T00:00:00.0000000Z,id_0194f1a2-3b4c-7d5e-8f60-1a2b3c4d5e01",
		Limit:                250,
	}
	want := url.Values{
		"party":                {"urn:altinn:person:identifier-no:08844397713", "urn:altinn:organization:identifier-no:312345678"},
		"serviceResource":      {"urn:altinn:resource:a", "urn:altinn:resource:b"},
		"org":                  {"skd", "nav"},
		"extendedStatus":       {"x1", "x2"},
		"externalReference":    {"ref 1+2"},
		"status":               {"InProgress", "Awaiting"},
		"process":              {"urn:process:1"},
		"systemLabel":          {"Archive", "Sent"},
		"isContentSeen":        {"false"},
		"excludeApiOnly":       {"true"},
		"createdAfter":         {"2025-01-02T03:04:05.1234567Z"},
		"createdBefore":        {"2025-01-02T03:04:05.0000000Z"}, // converted to UTC
		"updatedAfter":         {"2025-02-01T00:00:00.0000000Z"},
		"updatedBefore":        {"2025-02-02T00:00:00.0000000Z"},
		"contentUpdatedAfter":  {"2025-03-01T00:00:00.0000000Z"},
		"contentUpdatedBefore": {"2025-03-02T00:00:00.0000000Z"},
		"dueAfter":             {"2025-04-01T00:00:00.0000000Z"},
		"dueBefore":            {"2025-04-02T00:00:00.0000000Z"},
		"search":               {"skattemelding"},
		"searchLanguageCode":   {"nb"},
		"orderBy":              {"createdAt_asc"},
		"continuationToken":    {"createdat_2025-01-01T00:00:00.0000000Z,id_0194f1a2-3b4c-7d5e-8f60-1a2b3c4d5e01"},
		"limit":                {"250"},
	}
	if got := p.Values(); !reflect.DeepEqual(got, want) {
		t.Errorf("Values() =\n%v\nwant\n%v", got, want)
	}
	// Every field of SearchParams must reach the query: a new field without encoding fails here.
	if got, fields := len(want), reflect.TypeFor[SearchParams]().NumField(); got != fields {
		t.Errorf("test covers %d query parameters, SearchParams has %d fields", got, fields)
	}
	if got := (&SearchParams{}).Values(); len(got) != 0 {
		t.Errorf("zero params encode to %v, want nothing", got)
	}
	if got := (*SearchParams)(nil).Values(); len(got) != 0 {
		t.Errorf("nil params encode to %v, want nothing", got)
	}
}

func TestSearchDialogs(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	var rawQuery string
	mux.HandleFunc("/dialogporten/api/v1/enduser/dialogs", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodGet)
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		testHeader(t, r, "Accept", "application/json")
		testHeader(t, r, "Accept-Language", "nn,nb;q=0.9")
		rawQuery = r.URL.RawQuery
		serveJSON(w, http.StatusOK, fixture(t, "search.json"))
	})
	params := &SearchParams{
		Party:        []string{"urn:altinn:organization:identifier-no:312345678"},
		UpdatedAfter: ptr(time.Date(2025, 1, 1, 0, 0, 0, 0, time.FixedZone("", 2*3600))),
		Limit:        3,
	}
	res, err := c.SearchDialogs(context.Background(), params, WithLanguage("nn,nb;q=0.9"))
	if err != nil {
		t.Fatalf("SearchDialogs: %v", err)
	}
	// '+' and ':' must be percent-encoded; the offset is sent as UTC "Z".
	if want := "limit=3&party=urn%3Aaltinn%3Aorganization%3Aidentifier-no%3A312345678&updatedAfter=2024-12-31T22%3A00%3A00.0000000Z"; rawQuery != want {
		t.Errorf("query = %q, want %q", rawQuery, want)
	}
	if got, want := len(res.Items), 3; got != want {
		t.Fatalf("items = %d, want %d", got, want)
	}
	if !res.HasNextPage {
		t.Error("HasNextPage = false, want true")
	}
	if want := "contentupdatedat_2024-12-01T06:00:00.0000000Z,id_0194f1a2-3b4c-7d5e-8f60-1a2b3c4d5e03"; res.ContinuationToken != want {
		t.Errorf("ContinuationToken = %q, want %q", res.ContinuationToken, want)
	}
	if want := "contentupdatedat_desc,id_desc"; res.OrderBy != want {
		t.Errorf("OrderBy = %q, want %q", res.OrderBy, want)
	}

	d := res.Items[0]
	checks := []struct {
		name      string
		got, want any
	}{
		{"ID", d.ID, fxDialogID},
		{"Org", d.Org, "skd"},
		{"ServiceResourceType", d.ServiceResourceType, "AltinnApp"},
		{"Progress", *d.Progress, 60},
		{"GuiAttachmentCount", *d.GuiAttachmentCount, 2},
		{"CreatedAt", d.CreatedAt, ts(t, "2025-02-03T08:15:00.1234567Z")},
		{"DueAt", *d.DueAt, ts(t, "2025-04-30T21:59:59Z")},
		{"Status", d.Status, DialogStatusRequiresAttention},
		{"HasUnopenedContent", d.HasUnopenedContent, true},
		{"FromParty", d.FromPartyTransmissionsCount, 1},
		{"FromServiceOwner", d.FromServiceOwnerTransmissionsCount, 2},
		{"LatestActivity.Type", d.LatestActivity.Type, ActivityTypeInformation},
		{"LatestActivity.PerformedBy", d.LatestActivity.PerformedBy.ActorName, "Ola Nordmann"},
		{"Title nb", d.Content.Title.Best("nb"), "Skattemelding 2025"},
		{"Title en", d.Content.Title.Best("en-GB"), "Tax return 2025"},
		{"SenderName", d.Content.SenderName.Best(), "Skatteetaten"},
		{"Summary", d.Content.Summary.Value[0].Value, "Skatteetaten trenger flere opplysninger."},
		{"SeenSinceLastUpdate", d.SeenSinceLastUpdate[0].IsCurrentEndUser, true},
		{"EndUserContext.Revision", d.EndUserContext.Revision, "7c9d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f"},
		{"EndUserContext.Has(Sent)", d.EndUserContext.Has(SystemLabelSent), true},
		{"Item2.Progress nil", res.Items[1].Progress == nil, true},
		{"Item2.Title nn", res.Items[1].Content.Title.Best("nn"), "Melding frå Digdir"},
		{"Item2.Labels", res.Items[1].EndUserContext.SystemLabels, []SystemLabel{SystemLabelBin, SystemLabelMarkedAsUnopened}},
		{"Item3.Content nil", res.Items[2].Content == nil, true},
		{"Item3.IsAPIOnly", res.Items[2].IsAPIOnly, true},
		{"Item3.DueAt nil", res.Items[2].DueAt == nil, true},
		{"Item3.SystemLabel", res.Items[2].SystemLabel, SystemLabelArchive},
	}
	for _, ch := range checks {
		if !reflect.DeepEqual(ch.got, ch.want) {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

// pagedServer serves pages of a fake search keyed by continuation token and records the
// tokens and orderBy values it was asked for.
type pagedServer struct {
	pages   map[string]string // incoming token -> JSON page
	tokens  []string
	orderBy []string
	failOn  string // token that answers 503
}

func (p *pagedServer) handle(w http.ResponseWriter, r *http.Request) {
	tok := r.URL.Query().Get("continuationToken")
	p.tokens = append(p.tokens, tok)
	p.orderBy = append(p.orderBy, r.URL.Query().Get("orderBy"))
	if p.failOn != "" && tok == p.failOn {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Retry-After", "7")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, "Service Unavailable")
		return
	}
	body, ok := p.pages[tok]
	if !ok {
		http.Error(w, "unknown token", http.StatusBadRequest)
		return
	}
	serveJSON(w, http.StatusOK, []byte(body))
}

func page(ids []string, next bool, token string) string {
	items := make([]string, len(ids))
	for i, id := range ids {
		items[i] = fmt.Sprintf(`{"id":%q,"org":"skd","serviceResource":"urn:altinn:resource:x","party":"urn:altinn:organization:identifier-no:312345678","createdAt":"2025-01-01T00:00:00Z","updatedAt":"2025-01-01T00:00:00Z","contentUpdatedAt":"2025-01-01T00:00:00Z","status":"NotApplicable","endUserContext":{"revision":"7c9d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f","systemLabels":["Default"]}}`, id)
	}
	tokJSON := "null"
	if token != "" {
		tokJSON = fmt.Sprintf("%q", token)
	}
	return fmt.Sprintf(`{"items":[%s],"hasNextPage":%t,"continuationToken":%s,"orderBy":"createdat_asc,id_desc"}`, strings.Join(items, ","), next, tokJSON)
}

func TestSearchAllWalksEveryPage(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	ps := &pagedServer{pages: map[string]string{
		"":   page([]string{"a1", "a2"}, true, "t1"),
		"t1": page([]string{"b1", "b2"}, true, "t2"),
		"t2": page([]string{"c1"}, false, "t3"), // a token is present on the last page too
	}}
	mux.HandleFunc("GET /dialogporten/api/v1/enduser/dialogs", ps.handle)

	var ids []string
	pages := 0
	for res, err := range c.SearchAll(context.Background(), SearchParams{Party: []string{"urn:altinn:organization:identifier-no:312345678"}, OrderBy: "createdAt_asc"}) {
		if err != nil {
			t.Fatalf("page %d: %v", pages, err)
		}
		pages++
		for _, it := range res.Items {
			ids = append(ids, it.ID)
		}
	}
	if want := []string{"a1", "a2", "b1", "b2", "c1"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("ids = %v, want %v", ids, want)
	}
	if pages != 3 {
		t.Errorf("pages = %d, want 3", pages)
	}
	if want := []string{"", "t1", "t2"}; !reflect.DeepEqual(ps.tokens, want) {
		t.Errorf("tokens sent = %v, want %v", ps.tokens, want)
	}
	if want := []string{"createdAt_asc", "createdAt_asc", "createdAt_asc"}; !reflect.DeepEqual(ps.orderBy, want) {
		t.Errorf("orderBy sent = %v, want %v (the same on every page)", ps.orderBy, want)
	}
}

func TestSearchAllStopsOnError(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	ps := &pagedServer{
		pages:  map[string]string{"": page([]string{"a1"}, true, "t1"), "t2": page([]string{"never"}, false, "")},
		failOn: "t1",
	}
	mux.HandleFunc("GET /dialogporten/api/v1/enduser/dialogs", ps.handle)
	var errs []error
	pages := 0
	for res, err := range c.SearchAll(context.Background(), SearchParams{Party: []string{"p"}}) {
		if err != nil {
			errs = append(errs, err)
			continue // the iterator must stop by itself after an error
		}
		pages++
		_ = res
	}
	if pages != 1 || len(errs) != 1 {
		t.Fatalf("pages = %d, errors = %d; want 1 and 1", pages, len(errs))
	}
	if !errors.Is(errs[0], ErrUnavailable) {
		t.Errorf("error = %v, want ErrUnavailable", errs[0])
	}
	var e *Error
	if !errors.As(errs[0], &e) || e.RetryAfter != 7*time.Second {
		t.Errorf("RetryAfter = %v, want 7s", e)
	}
	if want := []string{"", "t1"}; !reflect.DeepEqual(ps.tokens, want) {
		t.Errorf("tokens sent = %v, want %v", ps.tokens, want)
	}
}

func TestSearchAllStopsOnBreak(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	ps := &pagedServer{pages: map[string]string{
		"":   page([]string{"a1"}, true, "t1"),
		"t1": page([]string{"b1"}, true, "t2"),
	}}
	mux.HandleFunc("GET /dialogporten/api/v1/enduser/dialogs", ps.handle)
	for _, err := range c.SearchAll(context.Background(), SearchParams{Party: []string{"p"}}) {
		if err != nil {
			t.Fatal(err)
		}
		break
	}
	if got := len(ps.tokens); got != 1 {
		t.Errorf("requests = %d, want 1 after break", got)
	}
}

func TestSearchAllStuckToken(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	ps := &pagedServer{pages: map[string]string{
		"":   page([]string{"a1"}, true, "t1"),
		"t1": page([]string{"b1"}, true, "t1"), // the same token again: would loop forever
	}}
	mux.HandleFunc("GET /dialogporten/api/v1/enduser/dialogs", ps.handle)
	var last error
	n := 0
	for _, err := range c.SearchAll(context.Background(), SearchParams{Party: []string{"p"}}) {
		n++
		last = err
	}
	if n != 3 || !errors.Is(last, errPaginationStuck) {
		t.Errorf("yields = %d, last error = %v; want 3 yields ending in errPaginationStuck", n, last)
	}
}

func TestGetDialog(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	mux.HandleFunc("/dialogporten/api/v1/enduser/dialogs/{id}", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodGet)
		testHeader(t, r, "Authorization", "Bearer per-call")
		testHeader(t, r, "Accept-Language", "en")
		if got := r.PathValue("id"); got != fxDialogID {
			t.Errorf("id = %q, want %q", got, fxDialogID)
		}
		w.Header().Set("ETag", "5b0e8f62-9c1d-4e3f-a2b1-c0d9e8f7a601")
		serveJSON(w, http.StatusOK, fixture(t, "dialog.json"))
	})
	d, err := c.GetDialog(context.Background(), fxDialogID, WithCallToken(StaticToken("per-call")), WithLanguage("en"))
	if err != nil {
		t.Fatalf("GetDialog: %v", err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"ETag", d.ETag, "5b0e8f62-9c1d-4e3f-a2b1-c0d9e8f7a601"},
		{"Revision", d.Revision, "5b0e8f62-9c1d-4e3f-a2b1-c0d9e8f7a601"},
		{"ExpiresAt", *d.ExpiresAt, ts(t, "2030-01-01T00:00:00Z")},
		{"PrecedingProcess", d.PrecedingProcess, "urn:no:skatteetaten:skattemelding:2024:312345678"},
		{"DialogToken", strings.HasPrefix(d.DialogToken, "eyJ"), true},
		{"AdditionalInfo media", d.Content.AdditionalInfo.MediaType, MediaTypeMarkdown},
		{"MainContentReference authorized", *d.Content.MainContentReference.IsAuthorized, true},
		{"MainContentReference embed", EmbedContentType(d.Content.MainContentReference.MediaType), MediaTypeMarkdown},
		{"ExtendedStatus text", d.Content.ExtendedStatus.Best(), "Venter på kontroll"},
		{"Attachments", len(d.Attachments), 2},
		{"Attachment name", d.Attachments[0].DisplayName.Best("en"), "Notice of change.pdf"},
		{"Attachment URL consumer", d.Attachments[0].URLs[1].ConsumerType, AttachmentURLConsumerAPI},
		{"Attachment expired", IsPlaceholderURL(d.Attachments[1].URLs[0].URL), true},
		{"Attachment ExpiresAt nil", d.Attachments[1].ExpiresAt == nil, true},
		{"Transmissions", len(d.Transmissions), 3},
		{"T1 opened", d.Transmissions[0].IsOpened, true},
		{"T1 nav action", d.Transmissions[0].NavigationalActions[0].URL, "https://skatt.skatteetaten.no/grunnlag"},
		{"T1 attachment", d.Transmissions[0].Attachments[0].URLs[0].MediaType, "application/pdf"},
		{"T2 type from party", d.Transmissions[1].Type.FromParty(), true},
		{"T2 related", d.Transmissions[1].RelatedTransmissionID, fxTransmissionID},
		{"T2 sender", d.Transmissions[1].Sender, Actor{ActorTypePartyRepresentative, "urn:altinn:person:identifier-ephemeral:0a1b2c3d4e", "Ola Nordmann"}},
		{"T3 unauthorized", d.Transmissions[2].IsAuthorized, false},
		{"T3 content ref", d.Transmissions[2].Content.ContentReference.Value[0].Value, URLUnauthorized},
		{"T3 attribute", d.Transmissions[2].AuthorizationAttribute, "urn:altinn:subresource:vedtak"},
		{"GuiActions", len(d.GuiActions), 3},
		{"Gui primary", d.GuiActions[0].Priority, GuiActionPriorityPrimary},
		{"Gui prompt", d.GuiActions[1].Prompt.Best(), "Er du sikker?"},
		{"Gui method", d.GuiActions[1].HTTPMethod, HTTPMethodPost},
		{"Gui delete", d.GuiActions[2].IsDeleteDialogAction, true},
		{"Gui unauthorized url", d.GuiActions[2].URL, URLUnauthorized},
		{"API endpoints", len(d.APIActions[0].Endpoints), 2},
		{"API name", d.APIActions[0].Name, "getSkattemelding"},
		{"API sunset", *d.APIActions[0].Endpoints[1].SunsetAt, ts(t, "2026-06-30T00:00:00Z")},
		{"API deprecated", d.APIActions[0].Endpoints[1].Deprecated, true},
		{"API schema", d.APIActions[0].Endpoints[0].ResponseSchema, "https://docs.skatteetaten.no/schema/response.json"},
		{"Activities", len(d.Activities), 3},
		{"Activity transmission", d.Activities[1].TransmissionID, fxTransmissionID},
		{"Activity description", d.Activities[2].Description.Best("en"), "Reply submitted"},
		{"Activity extended", d.Activities[2].ExtendedType, "urn:skd:activity:svar-sendt"},
		{"Seen via SO", d.SeenSinceLastContentUpdate[1].IsViaServiceOwner, true},
		{"Labels", d.EndUserContext.SystemLabels, []SystemLabel{SystemLabelDefault, SystemLabelSent}},
	}
	for _, ch := range checks {
		if !reflect.DeepEqual(ch.got, ch.want) {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestGetDialogQuotedETag(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	mux.HandleFunc("GET /dialogporten/api/v1/enduser/dialogs/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `W/"abc"`)
		serveJSON(w, http.StatusOK, []byte(`{"id":"x"}`))
	})
	d, err := c.GetDialog(context.Background(), "x")
	if err != nil {
		t.Fatal(err)
	}
	if d.ETag != "abc" {
		t.Errorf("ETag = %q, want %q", d.ETag, "abc")
	}
}

func TestPathIDsAreEscapedAndRequired(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	var hits atomic.Int32
	var gotPath string
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		gotPath = r.URL.EscapedPath()
		serveJSON(w, http.StatusOK, []byte(`{}`))
	})
	if _, err := c.GetDialog(context.Background(), "a/../../b?c"); err != nil {
		t.Fatalf("GetDialog: %v", err)
	}
	if want := "/dialogporten/api/v1/enduser/dialogs/a%2F..%2F..%2Fb%3Fc"; gotPath != want {
		t.Errorf("path = %q, want %q", gotPath, want)
	}
	for name, call := range map[string]func() error{
		"GetDialog":   func() error { _, err := c.GetDialog(context.Background(), ""); return err },
		"GetActivity": func() error { _, err := c.GetActivity(context.Background(), "d", " "); return err },
		"Download":    func() error { _, err := c.DownloadCorrespondenceAttachment(context.Background(), "c", ""); return err },
		"Lookup":      func() error { _, err := c.DialogLookup(context.Background(), ""); return err },
		"BulkSet":     func() error { return c.BulkSetSystemLabels(context.Background(), BulkSetSystemLabelsRequest{}) },
	} {
		if err := call(); err == nil {
			t.Errorf("%s with an empty id: err = nil, want an error", name)
		}
	}
	if got := hits.Load(); got != 1 {
		t.Errorf("requests = %d, want 1 (empty ids must not reach the server)", got)
	}
}
