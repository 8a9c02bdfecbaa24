package devidporten

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// ssoCookie names the browser's SSO session cookie; it holds a random value, never the sid.
const ssoCookie = "devidporten_sso"

// codeResponse is the successful authorization response, with iss (RFC 9207) as ID-porten sends it.
type codeResponse struct {
	Code  string `schema:"code"`
	State string `schema:"state,omitempty"`
	Iss   string `schema:"iss"`
}

// errorResponse is the authorization error response, also with iss.
type errorResponse struct {
	Error            string `schema:"error"`
	ErrorDescription string `schema:"error_description,omitempty"`
	State            string `schema:"state,omitempty"`
	Iss              string `schema:"iss"`
}

// authorize serves /authorize through zitadel (client, redirect_uri, response_type, scope),
// with the double's own checks in storage.CreateAuthRequest (PKCE S256, acr_values). Error
// redirects to the client get the iss parameter, as ID-porten's do.
func (p *Provider) authorize(w http.ResponseWriter, r *http.Request) {
	op.Authorize(&issWriter{ResponseWriter: w, iss: p.issuer}, r, p.op)
}

// issWriter adds iss to a redirect that carries an OAuth error.
type issWriter struct {
	http.ResponseWriter
	iss string
}

// WriteHeader implements http.ResponseWriter.
func (w *issWriter) WriteHeader(status int) {
	if status >= 300 && status < 400 {
		if u, err := url.Parse(w.Header().Get("Location")); err == nil {
			if q := u.Query(); q.Has("error") && !q.Has("iss") {
				q.Set("iss", w.iss)
				u.RawQuery = q.Encode()
				w.Header().Set("Location", u.String())
			} else if f, err := url.ParseQuery(u.EscapedFragment()); err == nil && f.Has("error") && !f.Has("iss") {
				// response_mode=fragment: zitadel puts the error in the fragment.
				f.Set("iss", w.iss)
				u.RawFragment = f.Encode()
				u.Fragment, _ = url.PathUnescape(u.RawFragment)
				w.Header().Set("Location", u.String())
			}
		}
	}
	w.ResponseWriter.WriteHeader(status)
}

// loginPage serves GET /login?id=…: the login_hint shortcut, single sign-on from the browser's
// session, or the test-user picker.
func (p *Provider) loginPage(w http.ResponseWriter, r *http.Request) {
	ar, ok := p.store.request(r.URL.Query().Get("id"))
	if !ok || ar.done {
		t, _ := textsFor("nb")
		p.messagePage(w, http.StatusBadRequest, "nb", t.ErrorTitle, t.UnknownRequest)
		return
	}
	if idx, ok := p.userByHint(ar.loginHint); ok {
		p.complete(w, r, ar, idx, ar.acrRequested, "login_hint")
		return
	}
	if !slices.Contains(ar.prompt, oidc.PromptLogin) {
		if cookie, ss := p.currentSession(r); ss != nil && acrRank(ss.acr) >= acrRank(ar.acrRequested) {
			p.completeSSO(w, r, ar, cookie, ss)
			return
		}
	}
	if slices.Contains(ar.prompt, oidc.PromptNone) {
		p.authError(w, r, ar, oidcErr(oidc.ErrLoginRequired(), "no single sign-on session"))
		return
	}
	p.renderPicker(w, ar, -1, "", http.StatusOK)
}

// loginSubmit serves POST /login from the picker.
func (p *Provider) loginSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	ar, ok := p.store.request(r.PostForm.Get("id"))
	if !ok || ar.done {
		t, _ := textsFor("nb")
		p.messagePage(w, http.StatusBadRequest, "nb", t.ErrorTitle, t.UnknownRequest)
		return
	}
	if r.PostForm.Get("action") == "cancel" {
		p.authError(w, r, ar, oidcErr(oidc.ErrAccessDenied(), "the user cancelled the login"))
		return
	}
	t, _ := textsFor(ar.locale)
	idx, err := strconv.Atoi(r.PostForm.Get("user"))
	if err != nil || idx < 0 || idx >= len(p.users) {
		p.renderPicker(w, ar, -1, t.ChooseUser, http.StatusUnprocessableEntity)
		return
	}
	acr := r.PostForm.Get("acr")
	if acrRank(acr) == 0 || acrRank(acr) < acrRank(ar.acrRequested) {
		p.renderPicker(w, ar, idx, t.ChooseLevel, http.StatusUnprocessableEntity)
		return
	}
	p.complete(w, r, ar, idx, acr, "picker")
}

// userByHint finds the user named by login_hint=<pid> or login_hint=testid:<pid>.
func (p *Provider) userByHint(hint string) (int, bool) {
	if hint == "" {
		return 0, false
	}
	pid := strings.TrimPrefix(hint, "testid:")
	for i, u := range p.users {
		if u.PID == pid {
			return i, true
		}
	}
	return 0, false
}

func (p *Provider) renderPicker(w http.ResponseWriter, ar *authRequest, checked int, msg string, status int) {
	t, lang := textsFor(ar.locale)
	data := pickerData{
		Lang:      lang,
		CSS:       p.endpoint("/assets/devidporten.css"),
		Action:    p.endpoint("/login"),
		RequestID: ar.id,
		Client:    p.clients[ar.clientID].Name,
		Error:     msg,
		T:         t,
	}
	for i, u := range p.users {
		data.Users = append(data.Users, pickerUser{Index: i, Name: u.Name, PID: u.PID, Description: u.Description, Checked: i == checked})
	}
	if acrRank(ar.acrRequested) <= acrRank(ACRSubstantial) {
		data.Levels = append(data.Levels, pickerLevel{ID: "substantial", Value: ACRSubstantial, Label: t.Substantial, Checked: ar.acrRequested == ACRSubstantial})
	}
	data.Levels = append(data.Levels, pickerLevel{ID: "high", Value: ACRHigh, Label: t.High, Checked: ar.acrRequested == ACRHigh})
	// form-action must also allow the client's redirect_uri: browsers apply it to the redirect
	// that follows the form post.
	p.render(w, status, p.pages.picker, data, csp("form-action 'self' "+origin(ar.redirectURI)))
}

// currentSession returns the browser's live SSO session and its cookie value.
func (p *Provider) currentSession(r *http.Request) (string, *ssoSession) {
	c, err := r.Cookie(ssoCookie)
	if err != nil || c.Value == "" {
		return "", nil
	}
	ss, ok := p.store.session(c.Value, p.now())
	if !ok {
		return "", nil
	}
	return c.Value, ss
}

// complete logs user idx in at acr with a new SSO session (replacing the browser's old one)
// and answers the client.
func (p *Provider) complete(w http.ResponseWriter, r *http.Request, ar *authRequest, idx int, acr, via string) {
	now := p.now()
	if old, err := r.Cookie(ssoCookie); err == nil {
		p.store.endSession(old.Value, "")
	}
	cookie := randomID(32)
	ss := ssoSession{
		sid:      randomID(24),
		pid:      p.users[idx].PID,
		acr:      acr,
		amr:      []string{"TestID"},
		authTime: now,
		lastSeen: now,
		clients:  []string{ar.clientID},
	}
	p.store.putSession(cookie, ss)
	http.SetCookie(w, &http.Cookie{
		Name:     ssoCookie,
		Value:    cookie,
		Path:     p.cookiePath(),
		HttpOnly: true,
		Secure:   p.secure,
		SameSite: http.SameSiteLaxMode,
	})
	p.respond(w, r, ar, &ss, via)
}

// completeSSO answers the client from an existing SSO session, as ID-porten does.
func (p *Provider) completeSSO(w http.ResponseWriter, r *http.Request, ar *authRequest, cookie string, ss *ssoSession) {
	p.store.addSessionClient(cookie, ar.clientID)
	p.respond(w, r, ar, ss, "sso")
}

// respond marks the request done, issues a code and sends the browser back to the client.
func (p *Provider) respond(w http.ResponseWriter, r *http.Request, ar *authRequest, ss *ssoSession, via string) {
	ctx := r.Context()
	done, ok := p.store.updateRequest(ar.id, func(a *authRequest) {
		a.done = true
		a.pid = ss.pid
		a.sub = pairwiseSub(a.clientID, ss.pid)
		a.acr = ss.acr
		a.amr = slices.Clone(ss.amr)
		a.sid = ss.sid
		a.authTime = ss.authTime
	})
	if !ok {
		t, _ := textsFor(ar.locale)
		p.messagePage(w, http.StatusBadRequest, ar.locale, t.ErrorTitle, t.UnknownRequest)
		return
	}
	code, err := op.CreateAuthRequestCode(ctx, done, p.storage, p.op.Crypto())
	if err != nil {
		p.log.ErrorContext(ctx, "devidporten: create code", "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	p.log.InfoContext(ctx, "devidporten: user logged in", "client_id", ar.clientID, "acr", ss.acr, "via", via)
	p.answer(w, r, ar, codeResponse{Code: code, State: ar.state, Iss: p.issuer})
}

// authError sends an OAuth error to the client's redirect_uri and forgets the request.
func (p *Provider) authError(w http.ResponseWriter, r *http.Request, ar *authRequest, e *oidc.Error) {
	p.store.deleteRequest(ar.id)
	p.log.InfoContext(r.Context(), "devidporten: authorization refused", "client_id", ar.clientID, "error", string(e.ErrorType))
	p.answer(w, r, ar, errorResponse{Error: string(e.ErrorType), ErrorDescription: e.Description, State: ar.state, Iss: p.issuer})
}

// answer delivers an authorization response by redirect (query) or form_post.
func (p *Provider) answer(w http.ResponseWriter, r *http.Request, ar *authRequest, resp any) {
	if ar.responseMode == oidc.ResponseModeFormPost {
		if err := op.AuthResponseFormPost(w, ar.redirectURI, resp, p.op.Encoder()); err != nil {
			p.log.ErrorContext(r.Context(), "devidporten: form_post response", "error", err)
		}
		return
	}
	target, err := op.AuthResponseURL(ar.redirectURI, oidc.ResponseTypeCode, oidc.ResponseModeQuery, resp, p.op.Encoder())
	if err != nil {
		p.log.ErrorContext(r.Context(), "devidporten: response url", "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, target, http.StatusFound)
}

func (p *Provider) cookiePath() string {
	if p.base == "" {
		return "/"
	}
	return p.base + "/"
}
