package devidporten

import (
	"strings"
	"testing"

	"github.com/innboks/innboks/internal/dpemu/ident"
)

// TestDefaultUsers: the test users have valid identity numbers, names and descriptions.
func TestDefaultUsers(t *testing.T) {
	t.Parallel()
	for _, u := range DefaultUsers() {
		if !ident.ValidPID(u.PID) || u.Name == "" || u.Description == "" {
			t.Errorf("default user %q is incomplete or has an invalid pid", u.Name)
		}
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	t.Parallel()
	key := testKeys()[0]
	good := Client{ID: "c", Secret: "s", RedirectURIs: []string{"http://127.0.0.1:1/cb"}}
	cases := map[string]struct {
		opts Options
		want string
	}{
		"no issuer":         {Options{Clients: []Client{good}}, "issuer"},
		"issuer with query": {Options{Issuer: "http://127.0.0.1:1?x=1", Clients: []Client{good}}, "issuer"},
		"no clients":        {Options{Issuer: "http://127.0.0.1:1"}, "client"},
		"bad pid":           {Options{Issuer: "http://127.0.0.1:1", Clients: []Client{good}, Users: []User{{PID: "12345678901", Name: "X"}}}, "pid"},
		"basic no secret":   {Options{Issuer: "http://127.0.0.1:1", Clients: []Client{{ID: "c", RedirectURIs: good.RedirectURIs}}}, "Secret"},
		"jwt no keys":       {Options{Issuer: "http://127.0.0.1:1", Clients: []Client{{ID: "c", AuthMethod: AuthPrivateKeyJWT, RedirectURIs: good.RedirectURIs}}}, "PublicKeys"},
		"unknown method":    {Options{Issuer: "http://127.0.0.1:1", Clients: []Client{{ID: "c", Secret: "s", AuthMethod: "tls", RedirectURIs: good.RedirectURIs}}}, "AuthMethod"},
		"no redirect uris":  {Options{Issuer: "http://127.0.0.1:1", Clients: []Client{{ID: "c", Secret: "s"}}}, "RedirectURIs"},
		"duplicate client":  {Options{Issuer: "http://127.0.0.1:1", Clients: []Client{good, good}}, "twice"},
	}
	for name, tc := range cases {
		tc.opts.SigningKey = key
		_, err := New(tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: New error = %v, want one mentioning %q", name, err, tc.want)
		}
	}
}
