package auth

import (
	"errors"
	"log/slog"
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
	return attrs
}

// sessionAttr logs a session through its LogValue: short id and acr, no tokens, no pid.
func sessionAttr(s *Session) slog.Attr {
	return slog.Any("session", s)
}
