package inbox

import (
	"strings"
	"testing"
)

// TestContentRenderCacheAcrossUsers: a service owner answering one URL with each user's own
// content under one ETag must not make the render cache show one user another's content.
func TestContentRenderCacheAcrossUsers(t *testing.T) {
	t.Parallel()
	h := newSV(t)
	h.so.setContent("secret of A", `"1"`)
	if _, err := h.svc.Content(t.Context(), h.user, h.d, h.d.Content.MainContentReference, true, 0); err != nil {
		t.Fatal(err)
	}
	b := svFixture(h.so.srv.URL, h.so.plain.URL)
	b.ID, b.DialogToken = svOther, "dialog-token-of-b"
	h.so.setContent("content of B", `"1"`)
	userB := &User{Key: "session-B", Lang: svLang, Token: h.user.Token}
	resB, err := h.svc.Content(t.Context(), userB, b, b.Content.MainContentReference, true, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(resB.HTML), "content of B") || strings.Contains(string(resB.HTML), "secret of A") {
		t.Errorf("user B was shown %q", resB.HTML)
	}
}
