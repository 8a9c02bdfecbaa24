package outbound

import (
	"net/netip"
	"testing"
)

// TestSpecialAddr: addresses a service owner's URL may resolve to. Besides the plain special
// ranges, IPv6 forms that carry an IPv4 address a router or NAT64 gateway would reach (NAT64,
// 6to4, IPv4-compatible, IPv4-translated, Teredo) must not open a way into Innboks' own
// network; nor may ranges no service owner is on (protocol assignments, discard-only,
// documentation, benchmarking). Everything refused before stays refused.
func TestSpecialAddr(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr    string
		special bool
	}{
		{"93.184.216.34", false},
		{"2606:2800:220:1:248:1893:25c8:1946", false},
		{"127.0.0.1", true},
		{"10.1.2.3", true},
		{"172.16.0.1", true},
		{"192.168.1.1", true},
		{"169.254.169.254", true},
		{"100.64.0.1", true},
		{"0.0.0.0", true},
		{"0.1.2.3", true},
		{"224.0.0.1", true},
		{"255.255.255.255", true},
		{"240.0.0.1", true},
		{"198.18.0.1", true},
		{"::1", true},
		{"::", true},
		{"fe80::1", true},
		{"fc00::1", true},
		{"fec0::1", true},
		{"::ffff:127.0.0.1", true},
		{"::ffff:169.254.169.254", true},
		{"::127.0.0.1", true},                          // IPv4-compatible
		{"::a9fe:a9fe", true},                          // IPv4-compatible 169.254.169.254
		{"64:ff9b::a9fe:a9fe", true},                   // NAT64 of 169.254.169.254
		{"64:ff9b::7f00:1", true},                      // NAT64 of 127.0.0.1
		{"64:ff9b::5db8:d822", false},                  // NAT64 of a public address
		{"64:ff9b:1::a00:1", true},                     // local-use NAT64 prefix
		{"2002:a9fe:a9fe::1", true},                    // 6to4 of 169.254.169.254
		{"2002:0a00:0001::1", true},                    // 6to4 of 10.0.0.1
		{"2002:5db8:d822::1", false},                   // 6to4 of a public address
		{"2001:0:4136:e378:8000:63bf:3fff:fdd2", true}, // Teredo
		{"::ffff:0:7f00:1", true},                      // IPv4-translated 127.0.0.1 (RFC 2765)
		{"::ffff:0:5db8:d822", true},                   // IPv4-translated, even of a public address
		{"::ffff:93.184.216.34", false},                // IPv4-mapped public: not the same prefix
		{"192.0.0.1", true},                            // IETF protocol assignments
		{"192.0.0.170", true},                          // NAT64 discovery (RFC 7050)
		{"::ffff:192.0.0.8", true},                     // mapped form of the same
		{"100::1", true},                               // discard-only (RFC 6666)
		{"100::ffff:ffff:ffff:ffff", true},             // the whole /64
		{"100:0:0:1::1", false},                        // outside the /64
		{"2001:db8::1", true},                          // documentation (RFC 3849)
		{"2001:db8:ffff::1", true},                     // the whole /32
		{"2001:db9::1", false},                         // outside it
		{"192.0.2.1", true},                            // IPv4 documentation (RFC 5737)
		{"198.51.100.1", true},                         //
		{"203.0.113.1", true},                          //
		{"3fff::1", true},                              // IPv6 documentation (RFC 9637)
		{"2001:2::1", true},                            // IPv6 benchmarking (RFC 5180)
		{"fe80::1%eth0", true},                         // a zone changes nothing
		{"2001:db8::1%eth0", true},                     //
		{"192.0.1.1", false},                           // next to 192.0.0.0/24
		{"1.1.1.1", false},                             //
	}
	for _, tt := range tests {
		if got := specialAddr(netip.MustParseAddr(tt.addr)); got != tt.special {
			t.Errorf("specialAddr(%s) = %v, want %v", tt.addr, got, tt.special)
		}
	}
}
