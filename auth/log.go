package auth

import (
	"errors"
	"log/slog"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// levelFor logs what the server or ID-porten got wrong as errors and the rest (a stale link,
// a tampered callback) as warnings.
func levelFor(err error) slog.Level {
	var e *Error
	if errors.As(err, &e) && (e.Kind == KindSession || e.Status >= 500) {
		return slog.LevelError
	}
	return slog.LevelWarn
}

// errAttrs describes err for a log line. Every error this package builds leaves tokens, codes
// and pids out of its message.
func errAttrs(err error) []slog.Attr {
	attrs := []slog.Attr{slog.String("err", err.Error())}
	var e *Error
	if errors.As(err, &e) {
		attrs = append(attrs, slog.String("kind", e.Kind.String()), slog.Int("status", e.Status))
	}
	var pe *ProviderError
	if errors.As(err, &pe) && pe.Code != "" {
		attrs = append(attrs, slog.Group("provider",
			slog.String("endpoint", pe.Endpoint),
			slog.String("error", pe.Code),
			slog.String("error_description", pe.Description)))
	}
	return attrs
}

// sessionAttr logs a session through its LogValue: short id and acr, no tokens, no pid.
func sessionAttr(s *Session) slog.Attr {
	return slog.Any("session", s)
}

// maxProviderText bounds what is kept of a provider's error text.
const maxProviderText = 300

var (
	longDigits = regexp.MustCompile(`[0-9]{11,}`)               // a national identity number, or longer
	tokenLike  = regexp.MustCompile(`[A-Za-z0-9_\-.~+/=]{32,}`) // a code, a token, a JWT
)

// cleanProviderText makes a provider's error or error_description fit for a log line: control
// characters become spaces, runs of 11 or more digits (a national identity number) and long
// token-like words (a code or token the provider echoes) are masked, and it is cut to 300
// bytes on a rune boundary.
func cleanProviderText(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return ' '
		}
		return r
	}, s)
	s = tokenLike.ReplaceAllString(s, "[redacted]")
	s = longDigits.ReplaceAllString(s, "[redacted]")
	if len(s) > maxProviderText {
		cut := maxProviderText
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return strings.TrimSpace(s)
}
