package auth

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
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

// startLogin seals a fresh state, nonce and PKCE verifier into a login cookie of this browser
// (nothing is kept server-side) and redirects to the authorization endpoint.
func (rp *RP) startLogin(w http.ResponseWriter, r *http.Request, acr string, forceLogin bool) {
	returnTo := SafeReturnTo(r.URL.Query().Get("return_to"))
	if len(returnTo) > maxLoginReturnTo {
		returnTo = "/"
	}
	p := &pendingLogin{
		State:    newID(),
		Nonce:    newID(),
		Verifier: oauth2.GenerateVerifier(),
		ACR:      acr,
		ReturnTo: returnTo,
		Created:  rp.cfg.Now().Unix(),
	}
	rp.setLoginCookie(w, r, p)
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
