package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/gorilla/sessions"
	"golang.org/x/oauth2"
)

// Login sends the browser to ID-porten at the configured level (GET /login?return_to=/path).
func (rp *RP) Login(w http.ResponseWriter, r *http.Request) {
	rp.startLogin(w, r, rp.cfg.ACR, false)
}

// StepUp sends the browser to ID-porten for a fresh login at idporten-loa-high, then back to
// return_to (GET /login/step-up?return_to=/path): for when Dialogporten says the level is too low.
func (rp *RP) StepUp(w http.ResponseWriter, r *http.Request) {
	rp.startLogin(w, r, ACRHigh, true)
}

// startLogin remembers a fresh state, nonce and PKCE verifier server-side, bound to this
// browser by the login cookie, and redirects to the authorization endpoint.
func (rp *RP) startLogin(w http.ResponseWriter, r *http.Request, acr string, forceLogin bool) {
	ctx := r.Context()
	binding := ""
	if ck, err := r.Cookie(rp.cfg.loginCookieName()); err == nil && validID(ck.Value) {
		binding = ck.Value // keep it, so that logins started in two tabs both complete
	} else {
		binding = newID()
		o := rp.cookies.options()
		o.MaxAge = int(pendingLoginTTL.Seconds())
		http.SetCookie(w, sessions.NewCookie(rp.cfg.loginCookieName(), binding, o))
	}
	p := &PendingLogin{
		State:     newID(),
		Nonce:     newID(),
		Verifier:  oauth2.GenerateVerifier(),
		Binding:   bindingHash(binding),
		ACR:       acr,
		ReturnTo:  SafeReturnTo(r.URL.Query().Get("return_to")),
		CreatedAt: rp.cfg.Now(),
	}
	if err := rp.store.PutLogin(ctx, p, pendingLoginTTL); err != nil {
		rp.fail(w, r, newError(KindSession, err))
		return
	}
	opts := []oauth2.AuthCodeOption{
		oauth2.S256ChallengeOption(p.Verifier),
		oidc.Nonce(p.Nonce),
		oauth2.SetAuthURLParam("acr_values", acr),
	}
	if rp.cfg.Locale != nil {
		if l := rp.cfg.Locale(r); l != "" {
			opts = append(opts, oauth2.SetAuthURLParam("ui_locales", l))
		}
	}
	if forceLogin {
		opts = append(opts, oauth2.SetAuthURLParam("prompt", "login"))
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, rp.oauth.AuthCodeURL(p.State, opts...), http.StatusSeeOther)
}

// bindingHash is what the store keeps of the login cookie, so that reading the store does not
// give the cookie's value.
func bindingHash(v string) string {
	sum := sha256.Sum256([]byte(v))
	return hex.EncodeToString(sum[:])
}

// SafeReturnTo returns target when it is a same-origin relative path ("/inbox?page=2") and "/"
// otherwise: absolute URLs, scheme-relative "//host", "/\host" (which browsers read as
// "//host"), anything with control characters or backslashes, and anything that does not start
// with "/". The fragment is dropped.
func SafeReturnTo(target string) string {
	if target == "" || target[0] != '/' || len(target) > 2048 {
		return "/"
	}
	if strings.ContainsAny(target, "\\") || strings.HasPrefix(target, "//") {
		return "/"
	}
	for _, c := range target {
		if c < 0x20 || c == 0x7f {
			return "/" // browsers drop tabs and newlines: "/\t/host" would become "//host"
		}
	}
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	u.Fragment, u.RawFragment = "", ""
	out := u.RequestURI()
	if strings.HasPrefix(out, "//") {
		return "/"
	}
	return out
}
