// Package outbound is the HTTP client Innboks uses to call URLs that service owners put into
// dialogs: front-channel embeds, GUI and API action endpoints, attachment downloads.
//
// Those URLs are untrusted input, so every call is fenced in (DESIGN.md, "The action proxy"):
//   - https only; plain http only for loopback hosts and only when Config.AllowHTTPLoopback is set
//     (the dev stack);
//   - connections to loopback, private, link-local and other special addresses are refused at
//     dial time (after DNS resolution, so DNS rebinding does not help) unless
//     Config.AllowPrivateNetworks is set; a literal such address is refused before that;
//   - an optional host allow-list, compared on canonical hosts (CanonicalOrigin);
//   - GET, HEAD, POST, PUT, PATCH and DELETE only;
//   - redirects only to the same origin, at most 5;
//   - an optional per-call Guard that sees every URL before it is sent, redirects included;
//   - connect, response-header and total timeouts;
//   - no cookies, no proxy from the environment, the bearer token set per request;
//   - bodies read through a size limit (content: 100 KB, as Dialogporten's front-channel embed
//     rules say; downloads: configurable, streamed);
//   - errors that name the origin only, never a path or query (they may carry identifiers).
//
// Client.Permits is the first of these rules, without DNS: the page asks it when it is drawn,
// and every call asks it again first, so both say the same.
package outbound
