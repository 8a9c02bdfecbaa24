package outbound

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// sent is what one call put on the wire (or was about to), so that its errors can name the
// origin and never a path or query: a service owner's URL may carry identifiers there, and
// errors end up in logs.
type sent struct {
	origin string
	urls   []*url.URL
}

// classify maps transport errors onto the package's sentinels, keeping the cause for
// errors.Is and errors.As. A request cancelled by its caller reports the caller's context
// error.
func (s *sent) classify(ctx context.Context, err error) error {
	// *url.Error prints the whole URL (for a refused redirect, the Location): keep its cause
	// and name the origin only.
	var ue *url.Error
	if errors.As(err, &ue) {
		err = fmt.Errorf("%s %s: %w", ue.Op, s.origin, ue.Err)
	}
	for _, known := range []error{ErrURLRefused, ErrAddressRefused, ErrRedirectRefused, ErrTooLarge} {
		if errors.Is(err, known) {
			return s.clean(err)
		}
	}
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.DeadlineExceeded) {
		return cause // the caller cancelled: not the service owner's fault
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return s.clean(fmt.Errorf("%w: %w", ErrTimeout, err))
	}
	return s.clean(fmt.Errorf("%w: %w", ErrUnavailable, err))
}

// clean is err with every path and query of the sent URLs cut out of its message: a last
// fence for causes whose text quotes them (a guard's error, a transport error).
func (s *sent) clean(err error) error {
	msg := err.Error()
	out := msg
	for _, u := range s.urls {
		for _, part := range []string{u.EscapedPath(), u.Path, u.RawQuery, unescapedQuery(u)} {
			if len(part) < 2 {
				continue // "" or "/": nothing to hide, and cutting it would garble the message
			}
			out = strings.ReplaceAll(out, part, "…")
			if q := strconv.Quote(part); q[1:len(q)-1] != part {
				out = strings.ReplaceAll(out, q[1:len(q)-1], "…") // as %q writes it
			}
		}
	}
	if out == msg {
		return err
	}
	return &redacted{msg: out, err: err}
}

func unescapedQuery(u *url.URL) string {
	q, err := url.QueryUnescape(u.RawQuery)
	if err != nil {
		return ""
	}
	return q
}

// redacted is an error whose message has had a URL's path and query cut out.
type redacted struct {
	msg string
	err error
}

func (r *redacted) Error() string { return r.msg }
func (r *redacted) Unwrap() error { return r.err }

// cloneURL is a copy of u, so a guard cannot change the request (Userinfo is immutable).
func cloneURL(u *url.URL) *url.URL {
	v := *u
	return &v
}
