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

// Special ranges beyond netip's predicates.
var (
	cgnat     = netip.MustParsePrefix("100.64.0.0/10")  // RFC 6598 shared address space
	benchmark = netip.MustParsePrefix("198.18.0.0/15")  // RFC 2544 benchmarking
	reserved  = netip.MustParsePrefix("240.0.0.0/4")    // class E and the broadcast address
	siteLocal = netip.MustParsePrefix("fec0::/10")      // deprecated, still routed internally
	nat64     = netip.MustParsePrefix("64:ff9b::/96")   // RFC 6052: the IPv4 address in the last 32 bits
	nat64Loc  = netip.MustParsePrefix("64:ff9b:1::/48") // RFC 8215 local-use NAT64
	sixToFour = netip.MustParsePrefix("2002::/16")      // RFC 3056: the IPv4 address in bits 16–47
	teredo    = netip.MustParsePrefix("2001::/32")      // RFC 4380: an obfuscated IPv4 address
	v4compat  = netip.MustParsePrefix("::/96")          // deprecated IPv4-compatible ::a.b.c.d
)

// specialAddr reports whether ip is one a service owner's URL must not reach in production:
// loopback, private (RFC 1918, fc00::/7), link-local (incl. 169.254.169.254, the cloud metadata
// service), unspecified, multicast, CGNAT, reserved; and IPv6 addresses that carry an IPv4
// address a gateway would reach (NAT64, 6to4, IPv4-compatible) when that one is special, or
// whose IPv4 address cannot be checked (Teredo, local-use NAT64).
func specialAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() ||
		ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() || ip.IsMulticast() ||
		ip.IsUnspecified() || cgnat.Contains(ip) || benchmark.Contains(ip) || reserved.Contains(ip) ||
		(ip.Is4() && ip.As4()[0] == 0) {
		return true
	}
	if !ip.Is6() {
		return false
	}
	b := ip.As16()
	switch {
	case siteLocal.Contains(ip), teredo.Contains(ip), nat64Loc.Contains(ip):
		return true
	case nat64.Contains(ip), v4compat.Contains(ip):
		return specialAddr(netip.AddrFrom4([4]byte(b[12:16])))
	case sixToFour.Contains(ip):
		return specialAddr(netip.AddrFrom4([4]byte(b[2:6])))
	}
	return false
}
