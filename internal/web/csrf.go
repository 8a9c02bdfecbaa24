package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// ErrCSRF is the error a refused state-changing request ends in.
var ErrCSRF = errors.New("csrf check failed")

// CSRFConfig configures CSRF.
type CSRFConfig struct {
	Origin string // the portal's own origin ("https://innboks.example"), from PUBLIC_URL
	Secure bool   // cookie with __Host- prefix and Secure
	// Exempt names the paths the middleware leaves alone: no check, and no token cookie minted
	// either. The hashed static files are public and immutable, so a shared cache may keep
	// them, and a Set-Cookie it kept would hand one visitor's token to every other.
	Exempt func(path string) bool
}

// CSRF guards every state-changing request twice: the browser must not say it is
// cross-site (Sec-Fetch-Site, else Origin) and the request must carry the double-submit token
// (form field "csrf" or header X-CSRF-Token, which the layout sets on <body hx-headers> for htmx)
// matching the token cookie. echo's own CSRF middleware accepts a same-origin Sec-Fetch-Site
// without any token; we want both checks.
func CSRF(cfg CSRFConfig) echo.MiddlewareFunc {
	name := "csrf"
	if cfg.Secure {
		name = "__Host-csrf"
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if cfg.Exempt != nil && cfg.Exempt(r.URL.Path) {
				return next(c)
			}
			token := ""
			if ck, err := r.Cookie(name); err == nil && len(ck.Value) >= 32 {
				token = ck.Value
			} else {
				// Lax, not Strict: a Strict cookie is not sent on the navigation back from
				// ID-porten or from a link in an e-mail, and minting a new token there would
				// invalidate the forms of the user's other open tabs. Cross-site posts are
				// refused by the fetch-metadata check below anyway.
				token = newToken()
				c.SetCookie(&http.Cookie{
					Name: name, Value: token, Path: "/", HttpOnly: true,
					Secure: cfg.Secure, SameSite: http.SameSiteLaxMode,
				})
			}
			// The page gets the token under a fresh one-time pad: compressed pages then never
			// repeat the same secret bytes from response to response (BREACH).
			SetPage(c, func(p *Page) { p.CSRF = MaskToken(token) })
			if safeMethod(r.Method) {
				return next(c)
			}
			if crossSite(r, cfg.Origin) {
				return ErrCSRF
			}
			sent := r.Header.Get("X-CSRF-Token")
			if sent == "" {
				// The body only: a token in the query string would sit in logs, history and
				// Referer headers.
				sent = r.PostFormValue("csrf")
			}
			if !TokenMatches(sent, token) {
				return ErrCSRF
			}
			return next(c)
		}
	}
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// crossSite reports whether a browser marked the request as coming from another site or origin.
func crossSite(r *http.Request, origin string) bool {
	if s := r.Header.Get("Sec-Fetch-Site"); s != "" {
		return s != "same-origin" && s != "none"
	}
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		return origin != "" && !strings.EqualFold(strings.TrimSuffix(o, "/"), origin)
	}
	return r.Header.Get("Origin") == "null"
}

func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// MaskToken returns token under a fresh one-time pad: base64url(pad ‖ pad XOR token). Each
// response carries other bytes for the same secret.
func MaskToken(token string) string {
	secret := []byte(token)
	out := make([]byte, 2*len(secret))
	pad, masked := out[:len(secret)], out[len(secret):]
	_, _ = rand.Read(pad) // crypto/rand never fails on supported platforms (Go 1.24+)
	for i := range secret {
		masked[i] = pad[i] ^ secret[i]
	}
	return base64.RawURLEncoding.EncodeToString(out)
}

// TokenMatches reports whether sent carries token: masked (MaskToken) or as it is in the cookie,
// compared in constant time.
func TokenMatches(sent, token string) bool {
	if raw, err := base64.RawURLEncoding.DecodeString(sent); err == nil && len(raw) == 2*len(token) {
		pad, masked := raw[:len(token)], raw[len(token):]
		secret := make([]byte, len(token))
		for i := range secret {
			secret[i] = pad[i] ^ masked[i]
		}
		return subtle.ConstantTimeCompare(secret, []byte(token)) == 1
	}
	return subtle.ConstantTimeCompare([]byte(sent), []byte(token)) == 1
}
