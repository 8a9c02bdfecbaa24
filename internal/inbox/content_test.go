package inbox

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/outbound"
)

// TestDialogsContent: an embed is fetched in the user's language with the dialog token, the
// language and the embed Accept header, and rendered through the allow-list with headings below
// the page's.
func TestDialogsContent(t *testing.T) {
	t.Parallel()
	h := newSV(t)
	res, err := h.svc.Content(t.Context(), h.user, h.d, h.d.Content.MainContentReference, true, 1)
	if err != nil {
		t.Fatalf("Content: %v", err)
	}
	calls := h.so.calls("/content")
	if len(calls) != 1 {
		t.Fatalf("got %d calls to /content, want 1", len(calls))
	}
	c := calls[0]
	for _, tt := range []struct{ what, got, want string }{
		{"method", c.Method, http.MethodGet},
		{"query (the user's language's URL)", c.RawQuery, "lang=en"},
		{"Authorization", c.Header.Get("Authorization"), "Bearer " + svDialogToken},
		{"Accept-Language (the user's language first)", c.Header.Get("Accept-Language"), acceptLanguage(svLang)},
		{"Prefer", c.Header.Get("Prefer"), `timezone="Europe/Oslo"`},
		{"Accept", c.Header.Get("Accept"), outbound.EmbedAccept},
	} {
		if tt.got != tt.want {
			t.Errorf("content request %s: got %q, want %q", tt.what, tt.got, tt.want)
		}
	}
	html := string(res.HTML)
	for _, want := range []string{"<h2", "Hello", "<em>the content</em>"} {
		if !strings.Contains(html, want) {
			t.Errorf("rendered %q, want it to contain %q", html, want)
		}
	}
	for _, bad := range []string{"<h1", "<script", "alert(1)</script>", "javascript:"} {
		if strings.Contains(html, bad) {
			t.Errorf("rendered %q, must not contain %q", html, bad)
		}
	}
	if res.Limited() {
		t.Errorf("got a limited render of a small embed: %+v", res)
	}
	if h.dp.exchanges() != 0 || len(h.dp.lookups()) != 0 {
		t.Errorf("a service owner's embed made %d exchanges and %d lookups, want none", h.dp.exchanges(), len(h.dp.lookups()))
	}
}

// TestDialogsContentRenderCache: a reload of an unchanged embed (same ETag) is served from the
// render cache, so a body that changed under the same ETag is not rendered again; a new ETag is.
// Without an ETag the body itself is the version.
func TestDialogsContentRenderCache(t *testing.T) {
	t.Parallel()
	h := newSV(t)
	ref := h.d.Content.MainContentReference
	load := func() string {
		t.Helper()
		res, err := h.svc.Content(t.Context(), h.user, h.d, ref, true, 0)
		if err != nil {
			t.Fatalf("Content: %v", err)
		}
		return string(res.HTML)
	}

	h.so.setContent("first *version*", `"v1"`)
	first := load()
	if !strings.Contains(first, "first") {
		t.Fatalf("got %q, want the first version", first)
	}
	if again := load(); again != first {
		t.Errorf("reload: got %q, want %q", again, first)
	}
	// The same ETag with another body: the body is what is rendered (the cache is keyed by its
	// hash; an ETag may be shared by different users' bodies).
	h.so.setContent("second *version*", `"v1"`)
	if got := load(); !strings.Contains(got, "second") {
		t.Errorf("same ETag, other body: got %q, want the second version", got)
	}
	h.so.setContent("second *version*", `"v2"`)
	if got := load(); !strings.Contains(got, "second") {
		t.Errorf("new ETag: got %q, want the second version", got)
	}
	// Without an ETag, the body's hash is the version.
	h.so.setContent("third *version*", "")
	if got := load(); !strings.Contains(got, "third") {
		t.Errorf("no ETag: got %q, want the third version", got)
	}
	h.so.setContent("fourth *version*", "")
	if got := load(); !strings.Contains(got, "fourth") {
		t.Errorf("no ETag, new body: got %q, want the fourth version", got)
	}
	// Each load still fetched the embed with the dialog token: the cache spares the render only.
	if got := len(h.so.calls("/content")); got != 6 {
		t.Errorf("got %d fetches for 6 loads, want 6", got)
	}
	// Another language is another URL and another entry: under the ETag whose English render
	// is cached, the Norwegian embed is fetched in Norwegian and rendered.
	h.so.setContent("norsk *versjon*", `"v1"`)
	nb := &User{Key: h.user.Key, Lang: "nb", Token: h.user.Token}
	res, err := h.svc.Content(t.Context(), nb, h.d, ref, true, 0)
	if err != nil {
		t.Fatalf("Content in nb: %v", err)
	}
	if got := string(res.HTML); !strings.Contains(got, "norsk") {
		t.Errorf("nb under a cached en ETag: got %q, want the Norwegian version", got)
	}
	calls := h.so.calls("/content")
	if last := calls[len(calls)-1]; last.RawQuery != "lang=nb" || !strings.HasPrefix(last.Header.Get("Accept-Language"), "nb,") {
		t.Errorf("nb fetch: query %q, Accept-Language %q; want lang=nb, nb first", last.RawQuery, last.Header.Get("Accept-Language"))
	}
}

// TestDialogsContentRefusals: what the dialog says the user may not see, or Innboks does not
// show, is refused before any call.
func TestDialogsContentRefusals(t *testing.T) {
	t.Parallel()
	h := newSV(t)
	embed := func(u, mediaType string) *dpclient.ContentValue {
		return &dpclient.ContentValue{Value: dpclient.Localizations{{Value: u, LanguageCode: "en"}}, MediaType: mediaType}
	}
	so := h.so.srv.URL
	tests := []struct {
		name       string
		ref        *dpclient.ContentValue
		authorized bool
		want       error
		drawn      bool // EmbedRefusal, the rule the page is drawn by, says so too
	}{
		{"no reference", nil, true, ErrNotFound, true},
		{"empty reference", &dpclient.ContentValue{MediaType: dpclient.MediaTypeEmbedMarkdown}, true, ErrNotFound, true},
		{"not authorized", embed(so+"/content", dpclient.MediaTypeEmbedMarkdown), false, ErrNotAuthorized, true},
		{"unauthorized placeholder", embed(dpclient.URLUnauthorized, dpclient.MediaTypeEmbedMarkdown), true, ErrNotAuthorized, true},
		{"expired placeholder", embed(dpclient.URLExpired, dpclient.MediaTypeEmbedHTML), true, ErrNotAuthorized, true},
		{"not a front-channel embed", embed(so+"/content", dpclient.MediaTypeMarkdown), true, ErrNotOffered, true},
		{"plain http", embed(h.so.plain.URL+"/content", dpclient.MediaTypeEmbedMarkdown), true, outbound.ErrURLRefused, true},
		{"another dialog's correspondence", embed(so+svCorrPath+svCorrOther+"/content", dpclient.MediaTypeEmbedMarkdown), true, ErrCorrespondenceMismatch, false},
	}
	for _, tt := range tests {
		before := h.so.total()
		if err := h.svc.EmbedRefusal(tt.ref, tt.authorized, svLang); tt.drawn && !errors.Is(err, tt.want) {
			t.Errorf("%s: EmbedRefusal = %v, want %v", tt.name, err, tt.want)
		}
		res, err := h.svc.Content(t.Context(), h.user, h.d, tt.ref, tt.authorized, 0)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: Content error %v, want %v", tt.name, err, tt.want)
		}
		if res.HTML != "" {
			t.Errorf("%s: got content %q, want none", tt.name, res.HTML)
		}
		svNoCall(t, h.so, before, tt.name)
	}
}
