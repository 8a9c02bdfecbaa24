// Package devidporten is a local double of ID-porten, Norway's national login service, for the
// development stack (cmd/dev) and tests. It is an OpenID Provider built on zitadel/oidc that
// behaves like ID-porten as far as a relying party can see: the same discovery metadata, PKCE
// with S256 required, the iss parameter in the authorization response (RFC 9207), client
// authentication with client_secret_basic, client_secret_post or private_key_jwt, RS256
// id_tokens with pid, acr, amr (a JSON array), locale and sid, self-contained RS256 access
// tokens, rotating refresh tokens with an idle lifetime, an SSO session per browser, end-session
// with front-channel logout, and a test-user picker instead of a real login.
//
// Endpoints, under the issuer URL: /.well-known/openid-configuration, /jwks.json, /authorize,
// /login (the picker), /token, /revoke, /endsession and /assets/devidporten.css.
//
// Scripted logins skip the picker with login_hint=<pid> or login_hint=testid:<pid> on
// /authorize. Tests without a browser see front-channel logout through Options.OnLogout (the
// URLs a browser would load), and end a session from outside with Provider.Logout.
//
// zitadel parses and validates authorization requests, verifies private_key_jwt client
// assertions and PKCE verifiers, and seals authorization codes; the double keeps its state in
// memory, mints the tokens itself (so the injected clock governs every lifetime) and renders
// its own pages. zitadel logs its authorization-request errors through slog.Default.
//
// It must never be reachable from cmd/web: a portal that can be started against a fake identity
// provider is a hole.
package devidporten
