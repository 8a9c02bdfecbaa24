package views

import (
	"strconv"

	"github.com/innboks/innboks/views/i18n"
)

// ErrorKind says what went wrong in terms the user can act on; the error views translate it.
type ErrorKind string

// The kinds of error the portal shows.
const (
	ErrInternal     ErrorKind = "internal"     // our fault or unknown: try again later
	ErrBadRequest   ErrorKind = "badRequest"   // the request was malformed
	ErrCSRF         ErrorKind = "csrf"         // the form was stale or cross-site
	ErrUnauthorized ErrorKind = "unauthorized" // log in again
	ErrForbidden    ErrorKind = "forbidden"    // no access
	ErrAuthLevel    ErrorKind = "authLevel"    // step up to a higher security level
	ErrNotFound     ErrorKind = "notFound"     // 404
	ErrGone         ErrorKind = "gone"         // 410
	ErrBusy         ErrorKind = "busy"         // 429/502/503: try again (in RetryAfter seconds)
	ErrTooBroad     ErrorKind = "searchTooBroad"
	ErrNotOffered   ErrorKind = "notOffered"   // the portal refuses it (outbound fence): retrying cannot help
	ErrNoParty      ErrorKind = "noParty"      // the user may act for nobody
	ErrConfig       ErrorKind = "config"       // a fresh token was refused: misconfiguration, not an expired login
	ErrBadLink      ErrorKind = "badLink"      // a deep link whose reference is no dialog reference
	ErrLinkNotFound ErrorKind = "linkNotFound" // a deep link to no dialog the user can open
)

// ErrorProps is what the error page and the error fragment show.
type ErrorProps struct {
	Status     int
	Kind       ErrorKind
	RetryAfter int    // seconds; 0 when unknown
	RetryURL   string // "try again" target; empty to hide
	LoginURL   string // "log in again" target (ErrUnauthorized)
	StepUpURL  string // step-up login target (ErrAuthLevel)
	InboxURL   string // the way back to the inbox, for a logged-in person; empty to hide
	RequestID  string
}

// messageKey is the catalog key of the kind's message.
func (p ErrorProps) messageKey() string {
	switch p.Kind {
	case "":
		return "error.internal"
	case ErrBusy:
		if p.RetryAfter > 0 {
			return "error.busyWait"
		}
	}
	return "error." + string(p.Kind)
}

// message is the kind's message in lang, with the wait in seconds where it has one.
func (p ErrorProps) message(lang i18n.Lang) string {
	key := p.messageKey()
	if key == "error.busyWait" {
		return lang.N(key, p.RetryAfter, p.RetryAfter)
	}
	return lang.T(key)
}

// Heading is the error page's heading in lang: what happened in a few words where the kind
// says more than that something went wrong (a step-up login is no failure).
func (p ErrorProps) Heading(lang i18n.Lang) string {
	switch p.Kind {
	case ErrAuthLevel, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrGone, ErrBusy, ErrCSRF, ErrTooBroad:
		return lang.T("error.heading." + string(p.Kind))
	}
	return lang.T("error.title")
}

// RetryAfterHeader is RetryAfter as a Retry-After header value.
func (p ErrorProps) RetryAfterHeader() string { return strconv.Itoa(p.RetryAfter) }
