package outbound

import "net/netip"

// refusedPrefixes are special ranges beyond netip's predicates that a service owner's URL
// must not reach.
var refusedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("100.64.0.0/10"),   // RFC 6598 shared address space (CGNAT)
	netip.MustParsePrefix("192.0.0.0/24"),    // RFC 6890 IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // RFC 5737 documentation (TEST-NET-1)
	netip.MustParsePrefix("198.18.0.0/15"),   // RFC 2544 benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // RFC 5737 documentation (TEST-NET-2)
	netip.MustParsePrefix("203.0.113.0/24"),  // RFC 5737 documentation (TEST-NET-3)
	netip.MustParsePrefix("240.0.0.0/4"),     // class E and the broadcast address
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("fec0::/10"),       // deprecated site-local, still routed internally
	netip.MustParsePrefix("::ffff:0:0:0/96"), // RFC 2765 IPv4-translated ::ffff:0:a.b.c.d
	netip.MustParsePrefix("100::/64"),        // RFC 6666 discard-only
	netip.MustParsePrefix("2001:db8::/32"),   // RFC 3849 documentation
	netip.MustParsePrefix("3fff::/20"),       // RFC 9637 documentation
	netip.MustParsePrefix("2001:2::/48"),     // RFC 5180 benchmarking
	netip.MustParsePrefix("2001::/32"),       // RFC 4380 Teredo: an obfuscated IPv4 address
	netip.MustParsePrefix("64:ff9b:1::/48"),  // RFC 8215 local-use NAT64: IPv4 not checkable
}

// Prefixes whose IPv6 addresses carry an IPv4 address a gateway would reach.
var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96") // RFC 6052: the IPv4 address in the last 32 bits
	v4compat  = netip.MustParsePrefix("::/96")        // deprecated IPv4-compatible ::a.b.c.d
	sixToFour = netip.MustParsePrefix("2002::/16")    // RFC 3056: the IPv4 address in bits 16–47
)

// specialAddr reports whether ip is one a service owner's URL must not reach in production:
// loopback, private (RFC 1918, fc00::/7), link-local (incl. 169.254.169.254, the cloud metadata
// service), unspecified, multicast, the ranges of refusedPrefixes (CGNAT, reserved,
// documentation, benchmarking, discard-only, IPv4-translated, …); and IPv6 addresses that carry
// an IPv4 address a gateway would reach (NAT64, 6to4, IPv4-compatible) when that one is special.
func specialAddr(ip netip.Addr) bool {
	ip = ip.Unmap().WithZone("") // a zoned address matches no netip.Prefix
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() ||
		ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() || ip.IsMulticast() ||
		ip.IsUnspecified() {
		return true
	}
	for _, p := range refusedPrefixes {
		if p.Contains(ip) {
			return true
		}
	}
	if !ip.Is6() {
		return false
	}
	b := ip.As16()
	switch {
	case nat64.Contains(ip), v4compat.Contains(ip):
		return specialAddr(netip.AddrFrom4([4]byte(b[12:16])))
	case sixToFour.Contains(ip):
		return specialAddr(netip.AddrFrom4([4]byte(b[2:6])))
	}
	return false
}
