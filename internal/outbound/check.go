package outbound

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"
)

// Check parses raw and says whether the client would call it: an absolute https URL (http only
// for loopback hosts with AllowHTTPLoopback), without user info, on the allow-list when there
// is one. Dialogporten's placeholders (urn:dialogporten:unauthorized/expired) are refused as a
// matter of course. Errors match ErrURLRefused and name at most the scheme and host.
func (c *Client) Check(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: unparseable", ErrURLRefused)
	}
	if err := c.checkURL(u); err != nil {
		return nil, err
	}
	return u, nil
}

func (c *Client) checkURL(u *url.URL) error {
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	switch {
	case u.Opaque != "" || host == "":
		return fmt.Errorf("%w: not an absolute URL with a host (scheme %q)", ErrURLRefused, u.Scheme)
	case u.User != nil:
		return fmt.Errorf("%w: user info in URL", ErrURLRefused)
	case u.Scheme == "https":
	case u.Scheme == "http" && c.cfg.AllowHTTPLoopback && isLoopbackHost(host):
	default:
		return fmt.Errorf("%w: scheme %q for host %q", ErrURLRefused, u.Scheme, host)
	}
	if len(c.cfg.AllowedHosts) > 0 && !hostAllowed(host, c.cfg.AllowedHosts) {
		return fmt.Errorf("%w: host %q not on the allow-list", ErrURLRefused, host)
	}
	return nil
}

// hostAllowed matches host against exact names and "*.suffix" patterns.
func hostAllowed(host string, allowed []string) bool {
	for _, a := range allowed {
		a = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(a)), ".")
		if suffix, ok := strings.CutPrefix(a, "*."); ok {
			if strings.HasSuffix(host, "."+suffix) {
				return true
			}
			continue
		}
		if host == a {
			return true
		}
	}
	return false
}

// isLoopbackHost reports whether host is localhost or a loopback IP literal.
func isLoopbackHost(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// cgnat is the shared address space of RFC 6598; not routable from the internet.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// specialAddr reports whether ip is one a service owner's URL must not reach in production:
// loopback, private (RFC 1918, fc00::/7), link-local (incl. 169.254.169.254, the cloud metadata
// service), unspecified, multicast, CGNAT.
func specialAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	return !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() ||
		ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() || ip.IsMulticast() ||
		ip.IsUnspecified() || cgnat.Contains(ip) || (ip.Is4() && ip.As4()[0] == 0)
}
