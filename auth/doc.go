// Package auth is Innboks' OpenID Connect relying party for ID-porten and its login session.
//
// It runs the authorization code flow with PKCE (S256), a fresh state and nonce per attempt and
// the RFC 9207 iss check; keeps a login attempt (state, nonce, PKCE verifier, return_to) in the
// browser, in a short-lived login cookie sealed with AES-256-GCM, so that an anonymous GET
// /login costs the server no memory; verifies the ID token (signature, issuer, audience,
// expiry, nonce, acr, pid); authenticates the client with client_secret_basic,
// client_secret_post or private_key_jwt; keeps tokens server-side in a Store (memory here,
// Redis in auth/redisstore) behind a cookie that carries only a random id; refreshes the access
// token ahead of expiry once per session at a time; and ends sessions on logout and on
// ID-porten's front-channel logout. At start it checks the provider's discovery for S256 and
// the configured client authentication.
//
// Routes the web layer mounts:
//
//	GET  /login                      rp.Login        (?return_to=/path)
//	GET  /login/step-up              rp.StepUp       (?return_to=/path), acr idporten-loa-high
//	GET  /auth/callback              rp.Callback     (Config.RedirectURL)
//	POST /logout                     rp.Logout       (the web layer checks CSRF first)
//	GET  /auth/frontchannel-logout   rp.FrontChannelLogout (?iss=&sid=)
//
// The front-channel-logout route is loaded by ID-porten in an iframe: the web layer must answer
// it with a Content-Security-Policy whose frame-ancestors allows the ID-porten login host
// (login.idporten.no / login.test.idporten.no) instead of the site-wide 'none'.
//
// The package renders no HTML: failures of the login go to Config.OnError with an *Error that
// carries a Kind, an HTTP status, whether trying again can help (Permanent) and the provider's
// own error (Provider), and never a token or a national identity number.
package auth
