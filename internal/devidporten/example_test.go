package devidporten_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/innboks/innboks/internal/devidporten"
)

// Example wires the double the way cmd/dev does: pick the address first, because the issuer
// must be known before New.
func Example() {
	srv := httptest.NewUnstartedServer(nil)
	issuer := "http://" + srv.Listener.Addr().String()
	p, err := devidporten.New(devidporten.Options{
		Issuer: issuer,
		Users:  devidporten.DefaultUsers(), // cmd/dev passes the emulator's test users
		Clients: []devidporten.Client{{
			ID:                     "innboks-dev",
			Secret:                 "dev-secret",
			RedirectURIs:           []string{"http://127.0.0.1:8080/auth/callback"},
			PostLogoutRedirectURIs: []string{"http://127.0.0.1:8080/logged-out"},
			FrontChannelLogoutURI:  "http://127.0.0.1:8080/auth/frontchannel-logout",
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	srv.Config.Handler = p.Handler()
	srv.Start()
	defer srv.Close()

	resp, err := http.Get(issuer + "/.well-known/openid-configuration")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	var md struct {
		Issuer string   `json:"issuer"`
		PKCE   []string `json:"code_challenge_methods_supported"`
		Iss    bool     `json:"authorization_response_iss_parameter_supported"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&md); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(md.Issuer == issuer, md.PKCE, md.Iss)
	// Output: true [S256] true
}
