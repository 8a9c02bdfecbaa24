package devidporten

import (
	"net/url"
	"testing"
)

// BenchmarkLoginHintCodeFlow measures one scripted login: /authorize with login_hint, the
// redirect through /login, and the code exchange at /token (client_secret_basic).
func BenchmarkLoginHintCodeFlow(b *testing.B) {
	e := setup(b)
	browser := e.browser(b)
	b.ReportAllocs()
	for b.Loop() {
		ar, resp := e.authorize(b, browser, clientBasic, map[string]string{"login_hint": e.p.Users()[0].PID})
		code := e.mustCallback(b, ar, resp)
		if _, err := e.exchange(b, clientBasic, code, ar.verifier); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRefresh measures one refresh_token grant (rotation and new tokens).
func BenchmarkRefresh(b *testing.B) {
	e := setup(b)
	ar, resp := e.login(b, clientBasic)
	tok, err := e.exchange(b, clientBasic, e.mustCallback(b, ar, resp), ar.verifier)
	if err != nil {
		b.Fatal(err)
	}
	rt := tok.RefreshToken
	b.ReportAllocs()
	for b.Loop() {
		status, body := e.postToken(b, clientBasic, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}})
		if status != 200 {
			b.Fatalf("refresh: %d %v", status, body)
		}
		rt = body["refresh_token"].(string)
	}
}
