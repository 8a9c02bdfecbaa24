package views

import (
	"strings"
	"testing"

	"github.com/innboks/innboks/views/i18n"
)

// TestLoginErrorPageExplains: the login-failure page says what happened for each of auth's
// error kinds, in nb, nn and en; where logging in again cannot help (no usable identity
// number, a configuration error) it says so and offers no "log in again", and elsewhere it
// offers it.
func TestLoginErrorPageExplains(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p         LoginErrorProps
		want      map[i18n.Lang]string
		permanent bool
	}{
		{LoginErrorProps{Reason: "identity"}, map[i18n.Lang]string{
			i18n.NB: "fødselsnummeret", i18n.NN: "Å logge inn på nytt hjelper ikkje", i18n.EN: "Logging in again will not help"}, true},
		{LoginErrorProps{Reason: "config", Permanent: true}, map[i18n.Lang]string{
			i18n.NB: "ikke satt opp riktig mot ID-porten", i18n.NN: "hjelper ikkje før vi har retta", i18n.EN: "will not help until we have fixed it"}, true},
		{LoginErrorProps{Reason: "state"}, map[i18n.Lang]string{
			i18n.NB: "annen nettleser eller fane", i18n.NN: "ein annan nettlesar", i18n.EN: "another browser or tab"}, false},
		{LoginErrorProps{Reason: "code"}, map[i18n.Lang]string{
			i18n.NB: "engangskoden", i18n.NN: "eingongskoden", i18n.EN: "one-time code"}, false},
		{LoginErrorProps{Reason: "provider"}, map[i18n.Lang]string{
			i18n.NB: "avbrutt", i18n.NN: "avbroten", i18n.EN: "cancelled"}, false},
		{LoginErrorProps{Reason: "nonce"}, map[i18n.Lang]string{
			i18n.NB: "bekrefte", i18n.NN: "stadfeste", i18n.EN: "confirm"}, false},
		{LoginErrorProps{Reason: "session"}, map[i18n.Lang]string{
			i18n.NB: "lagre", i18n.NN: "lagre", i18n.EN: "save your login"}, false},
		{LoginErrorProps{Reason: "acr", ACR: true}, map[i18n.Lang]string{
			i18n.NB: "sikkerhetsnivå", i18n.NN: "tryggleiksnivå", i18n.EN: "security level"}, false},
		{LoginErrorProps{Reason: "something new"}, map[i18n.Lang]string{
			i18n.NB: "Noe gikk galt", i18n.NN: "Noko gjekk gale", i18n.EN: "Something went wrong"}, false},
		{LoginErrorProps{Reason: "state", Permanent: true}, map[i18n.Lang]string{i18n.EN: "another browser or tab"}, true},
	}
	for _, tc := range tests {
		tc.p.RetryURL, tc.p.RequestID = "/login", "req-1"
		if !i18n.Has(tc.p.messageKey()) {
			t.Errorf("%q: key %q not in the catalog", tc.p.Reason, tc.p.messageKey())
		}
		for lang, want := range tc.want {
			d := renderDoc(t, LoginErrorPage(Chrome{Lang: lang}, tc.p))
			if got := tid(d, "login-error-reason").Text(); !strings.Contains(got, want) {
				t.Errorf("%q in %s: %q, want it to say %q", tc.p.Reason, lang, got, want)
			}
			if retry := tid(d, "login-retry").Length() == 1; retry == tc.permanent {
				t.Errorf("%q in %s: a log-in-again button is %v, want %v", tc.p.Reason, lang, retry, !tc.permanent)
			}
			if tid(d, "login-error-home").Length() != 1 || !strings.Contains(tid(d, "login-error").Text(), "req-1") {
				t.Errorf("%q in %s: no way home or no reference", tc.p.Reason, lang)
			}
		}
	}
}
