package outbound

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// allowedMethods are the methods the fence sends; TRACE, OPTIONS, CONNECT and the rest are
// refused.
var allowedMethods = map[string]bool{
	http.MethodGet: true, http.MethodHead: true, http.MethodPost: true,
	http.MethodPut: true, http.MethodPatch: true, http.MethodDelete: true,
}

// Permits says, without DNS or any call, whether the client would send method (GET when "")
// to rawURL: nil, or a *Refusal whose Reason the page can show. It is the very check every
// call starts with, so a link, button or embed drawn as allowed is not refused at click time
// by this rule (a host that resolves to a special address still is, at dial time).
func (c *Client) Permits(method, rawURL string) error {
	_, _, err := c.permit(method, rawURL)
	return err
}

// Check parses raw and says whether the client would GET it (Permits with GET), returning the
// parsed URL. Errors are *Refusal.
func (c *Client) Check(raw string) (*url.URL, error) {
	u, _, err := c.permit(http.MethodGet, raw)
	if err != nil {
		return nil, err
	}
	return u, nil
}

// permit parses rawURL and checks it and method; it returns the URL and the upper-case method.
func (c *Client) permit(method, rawURL string) (*url.URL, string, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return nil, "", &Refusal{Reason: ReasonForm, Detail: "unparseable"}
	}
	if err := c.checkURL(u); err != nil {
		return nil, "", err
	}
	m := strings.ToUpper(method)
	if m == "" {
		m = http.MethodGet
	}
	if !allowedMethods[m] {
		return nil, "", &Refusal{Reason: ReasonMethod, Origin: CanonicalOrigin(u), Detail: fmt.Sprintf("%.16q", method)}
	}
	return u, m, nil
}

// checkURL is the fence's rule for one URL: an absolute URL without user info; https (http
// only for loopback hosts with AllowHTTPLoopback); on the allow-list when there is one; not a
// literal special IP address unless AllowPrivateNetworks.
func (c *Client) checkURL(u *url.URL) error {
	origin := CanonicalOrigin(u)
	host := canonicalHost(u.Hostname())
	scheme := strings.ToLower(u.Scheme)
	switch {
	case origin == "":
		return &Refusal{Reason: ReasonForm, Detail: "not an absolute URL with a host"}
	case u.User != nil:
		return &Refusal{Reason: ReasonForm, Origin: origin, Detail: "user info"}
	case scheme == "https":
	case scheme == "http" && c.cfg.AllowHTTPLoopback && isLoopbackHost(host):
	default:
		return &Refusal{Reason: ReasonScheme, Origin: origin}
	}
	if len(c.cfg.AllowedHosts) > 0 && !hostAllowed(host, c.cfg.AllowedHosts) {
		return &Refusal{Reason: ReasonHost, Origin: origin}
	}
	if ip, err := netip.ParseAddr(host); err == nil && !c.cfg.AllowPrivateNetworks && specialAddr(ip) {
		// The dial check would refuse it too; refusing it here lets the page say so.
		return &Refusal{Reason: ReasonAddress, Origin: origin}
	}
	return nil
}

// hostAllowed matches a canonical host against exact names and "*.suffix" patterns, both read
// as canonical hosts (case, trailing dots, ports and brackets do not matter).
func hostAllowed(host string, allowed []string) bool {
	for _, a := range allowed {
		if suffix, ok := strings.CutPrefix(strings.TrimSpace(a), "*."); ok {
			if suffix = canonicalEntry(suffix); suffix != "" && strings.HasSuffix(host, "."+suffix) {
				return true
			}
			continue
		}
		if a = canonicalEntry(a); a != "" && host == a {
			return true
		}
	}
	return false
}

// isLoopbackHost reports whether a canonical host is localhost or a loopback IP literal.
func isLoopbackHost(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}
