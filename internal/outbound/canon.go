package outbound

import (
	"net"
	"net/url"
	"strconv"
	"strings"
)

// defaultPorts are the ports an origin leaves out.
var defaultPorts = map[string]string{"https": "443", "http": "80"}

// CanonicalOrigin is u's origin spelled one way: lower-case scheme and host, trailing dots
// trimmed, the scheme's default port left out ("https://example.org", "https://host:8443",
// "https://[2001:db8::1]"). Two URLs reach the same server when their canonical origins are
// equal, however they are spelled (HTTPS://EXAMPLE.org.:443/ is https://example.org). It is ""
// for a URL without a scheme or host (relative, opaque, a Dialogporten placeholder).
func CanonicalOrigin(u *url.URL) string {
	if u == nil || u.Opaque != "" || u.Host == "" || u.Scheme == "" {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	host := canonicalHost(u.Hostname())
	if host == "" {
		return ""
	}
	if strings.Contains(host, ":") {
		host = "[" + strings.Replace(host, "%", "%25", 1) + "]" // IPv6, maybe with a zone
	}
	port := u.Port()
	if n, err := strconv.ParseUint(port, 10, 16); err == nil {
		port = strconv.FormatUint(n, 10) // "0443" is 443 to the dialer
	}
	if port != "" && port != defaultPorts[scheme] {
		host += ":" + port
	}
	return scheme + "://" + host
}

// canonicalHost lower-cases a host name (without port or brackets) and trims trailing dots
// ("EXAMPLE.org." is example.org to DNS).
func canonicalHost(host string) string {
	return strings.TrimRight(strings.ToLower(host), ".")
}

// canonicalEntry reads an allow-list entry as canonicalHost reads a URL's host: a port or
// brackets in the entry ("example.org:443", "[2001:db8::1]") are dropped, since the
// allow-list names hosts, not ports.
func canonicalEntry(entry string) string {
	entry = strings.TrimSpace(entry)
	if h, _, err := net.SplitHostPort(entry); err == nil {
		entry = h
	}
	entry = strings.TrimSuffix(strings.TrimPrefix(entry, "["), "]")
	return canonicalHost(entry)
}

// CanonicalPath is the path of u as a server reads it, for comparing paths however they are
// spelled: percent-decoded, dot segments resolved (RFC 3986, 5.2.4), repeated slashes
// collapsed; "" is "/". Case is kept: compare with strings.EqualFold where the server ignores
// case. A path that servers, proxies and frameworks may read in more than one way is refused
// (a *Refusal with ReasonPath), so no spelling can reach a path other than the one compared:
// an encoded slash, backslash or percent sign (%2F, %5C, %25: decoded once more, it changes),
// a backslash, a control character or NUL, an invalid escape, and a dot segment with
// parameters ("..;x", which Tomcat and others read as "..").
func CanonicalPath(u *url.URL) (string, error) {
	refuse := func(detail string) (string, error) {
		return "", &Refusal{Reason: ReasonPath, Origin: CanonicalOrigin(u), Detail: detail}
	}
	if u == nil || u.Opaque != "" {
		return refuse("no path")
	}
	// EscapedPath is what net/http sends (RequestURI), so it is the path the server reads.
	p := u.EscapedPath()
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '%' {
			if i+2 >= len(p) || !isHex(p[i+1]) || !isHex(p[i+2]) {
				return refuse("invalid escape")
			}
			c = unhex(p[i+1])<<4 | unhex(p[i+2])
			i += 2
			switch c {
			case '/', '\\', '%':
				return refuse("encoded slash, backslash or percent sign")
			}
		}
		switch {
		case c == '\\':
			return refuse("backslash")
		case c < 0x20 || c == 0x7f:
			return refuse("control character")
		}
		b.WriteByte(c)
	}
	return resolveDots(b.String(), refuse)
}

// resolveDots removes dot segments and empty segments from a decoded path; a trailing "/",
// "/." or "/.." leaves a trailing slash, as RFC 3986 says.
func resolveDots(p string, refuse func(string) (string, error)) (string, error) {
	var out []string
	trailing := false
	segs := strings.Split(p, "/")
	for i, s := range segs {
		last := i == len(segs)-1
		switch s {
		case "", ".":
			trailing = last
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
			trailing = last
		default:
			if name, _, params := strings.Cut(s, ";"); params && (name == "." || name == "..") {
				return refuse("dot segment with parameters")
			}
			out = append(out, s)
			trailing = false
		}
	}
	path := "/" + strings.Join(out, "/")
	if trailing && len(out) > 0 {
		path += "/"
	}
	return path, nil
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}
