package app

import (
	"strings"
	"testing"
	"time"
)

func env(over map[string]string) func(string) string {
	base := map[string]string{
		"PUBLIC_URL":             "https://innboks.example.no/",
		"IDPORTEN_ISSUER":        "https://idporten.no",
		"IDPORTEN_CLIENT_ID":     "client-1",
		"IDPORTEN_CLIENT_SECRET": "s3cret-value",
		"DIALOGPORTEN_URL":       "https://platform.tt02.altinn.no/dialogporten",
	}
	for k, v := range over {
		base[k] = v
	}
	return func(k string) string { return base[k] }
}

func TestLoadDefaults(t *testing.T) {
	t.Parallel()
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.PublicURL != "https://innboks.example.no" || c.ListenAddr != ":8080" || c.IDPortenACR != "idporten-loa-substantial" ||
		c.IDPortenClientAuth != "client_secret_basic" || strings.Join(c.IDPortenScopes, " ") != "openid digdir:dialogporten altinn:correspondence.read" ||
		c.SessionIdleTimeout != 30*time.Minute || c.SessionAbsTimeout != 120*time.Minute || !c.SecureCookies() {
		t.Errorf("defaults: %+v", c)
	}
}

func TestLoadValues(t *testing.T) {
	t.Parallel()
	c, err := Load(env(map[string]string{
		"IDPORTEN_CLIENT_SECRET":    "",
		"IDPORTEN_PRIVATE_KEY_FILE": "/keys/idporten.pem",
		"IDPORTEN_KEY_ID":           "kid-1",
		"IDPORTEN_ACR":              "idporten-loa-high",
		"IDPORTEN_SCOPES":           "openid digdir:dialogporten",
		"LOG_LEVEL":                 "DEBUG",
		"ACTION_HOST_ALLOWLIST":     "skatteetaten.no, Nav.no",
		"SESSION_IDLE_TIMEOUT":      "15m",
		"REDIS_URL":                 "redis://:pw@redis:6379/0",
		"SESSION_ENCRYPTION_KEYS":   testKeyA + "," + testKeyB,
		"EVENTS_WEBHOOK_SECRET":     strings.Repeat("x", 32),
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.IDPortenClientAuth != "private_key_jwt" || c.LogLevel.String() != "DEBUG" || c.SessionIdleTimeout != 15*time.Minute ||
		strings.Join(c.ActionHostAllowlist, ",") != "skatteetaten.no,nav.no" || c.RedisURL == "" || len(c.SessionEncryptionKeys) != 2 {
		t.Errorf("values: %+v", c)
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		over map[string]string
		want []string
	}{
		{"everything missing", map[string]string{"PUBLIC_URL": "", "IDPORTEN_ISSUER": "", "IDPORTEN_CLIENT_ID": "", "IDPORTEN_CLIENT_SECRET": "", "DIALOGPORTEN_URL": ""},
			[]string{"PUBLIC_URL: required", "IDPORTEN_ISSUER: required", "IDPORTEN_CLIENT_ID: required", "IDPORTEN_CLIENT_SECRET: set it or IDPORTEN_PRIVATE_KEY_FILE", "DIALOGPORTEN_URL: required"}},
		{"plain http outside localhost", map[string]string{"PUBLIC_URL": "http://innboks.example.no"}, []string{"PUBLIC_URL: must use https"}},
		{"not a URL", map[string]string{"DIALOGPORTEN_URL": "platform.tt02.altinn.no"}, []string{"DIALOGPORTEN_URL: want an absolute http(s) URL"}},
		{"both credentials", map[string]string{"IDPORTEN_PRIVATE_KEY_FILE": "/k.pem", "IDPORTEN_KEY_ID": "k"}, []string{"set only one"}},
		{"key without kid", map[string]string{"IDPORTEN_CLIENT_SECRET": "", "IDPORTEN_PRIVATE_KEY_FILE": "/k.pem"}, []string{"IDPORTEN_KEY_ID: required"}},
		{"bad client auth", map[string]string{"IDPORTEN_CLIENT_AUTH": "tls_client_auth"}, []string{"IDPORTEN_CLIENT_AUTH: want"}},
		{"bad acr", map[string]string{"IDPORTEN_ACR": "Level4"}, []string{"IDPORTEN_ACR"}},
		{"no openid scope", map[string]string{"IDPORTEN_SCOPES": "digdir:dialogporten"}, []string{"IDPORTEN_SCOPES: must include openid"}},
		{"bad log level", map[string]string{"LOG_LEVEL": "verbose"}, []string{"LOG_LEVEL"}},
		{"bad duration", map[string]string{"SESSION_ABSOLUTE_TIMEOUT": "2 hours"}, []string{"SESSION_ABSOLUTE_TIMEOUT"}},
		{"idle beyond absolute", map[string]string{"SESSION_IDLE_TIMEOUT": "3h"}, []string{"must not exceed"}},
		{"bad redis", map[string]string{"REDIS_URL": "http://redis", "SESSION_ENCRYPTION_KEYS": testKeyA}, []string{"REDIS_URL"}},
		{"short webhook secret", map[string]string{"EVENTS_WEBHOOK_SECRET": "short"}, []string{"EVENTS_WEBHOOK_SECRET: must be at least 32"}},
		{"bad allowlist", map[string]string{"ACTION_HOST_ALLOWLIST": "https://x.no/"}, []string{"ACTION_HOST_ALLOWLIST"}},
		{"bad listen", map[string]string{"LISTEN_ADDR": "8080"}, []string{"LISTEN_ADDR"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Load(env(tt.over))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "s3cret-value") || strings.Contains(err.Error(), ":pw@") {
				t.Errorf("error leaks a secret: %q", err)
			}
		})
	}
}

func TestLoadLocalhostHTTP(t *testing.T) {
	t.Parallel()
	c, err := Load(env(map[string]string{"PUBLIC_URL": "http://127.0.0.1:8080", "IDPORTEN_ISSUER": "http://localhost:9000", "DIALOGPORTEN_URL": "http://[::1]:9001"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.SecureCookies() {
		t.Error("plain-http localhost must not use secure cookies")
	}
}

func TestLoadMetricsAddr(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		listen, metrics, want, wantErr string
	}{
		{"", "", "", ""},
		{"", "127.0.0.1:9090", "127.0.0.1:9090", ""},
		{"", ":9090", ":9090", ""},
		{"", "9090", "", "METRICS_ADDR"},
		{":8080", ":8080", "", "METRICS_ADDR"},
		{"127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:0", ""},
	} {
		c, err := Load(env(map[string]string{"LISTEN_ADDR": tc.listen, "METRICS_ADDR": tc.metrics}))
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("METRICS_ADDR=%q: got error %v", tc.metrics, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("METRICS_ADDR=%q: got error %v, want one naming %s", tc.metrics, err, tc.wantErr)
		case tc.wantErr == "" && c.MetricsAddr != tc.want:
			t.Errorf("METRICS_ADDR=%q: got %q, want %q", tc.metrics, c.MetricsAddr, tc.want)
		}
	}
}

// TestLoadNormalisesURLs: schemes and host names are case-insensitive, so PUBLIC_URL
// "HTTPS://…" is https: Load spells it (and the Dialogporten and platform URLs) in lower case,
// without a default port or trailing slash, so that Secure cookies, the __Host- prefix and HSTS
// stay on and every consumer compares one spelling. The issuer is kept as given: it must equal
// the tokens' iss.
func TestLoadNormalisesURLs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, public, wantPublic string
		secure                   bool
	}{
		{"upper-case scheme", "HTTPS://innboks.example.no", "https://innboks.example.no", true},
		{"mixed case, default port, slash", "Https://Innboks.Example.NO:443/", "https://innboks.example.no", true},
		{"path kept", "HTTPS://Example.no/Innboks/", "https://example.no/Innboks", true},
		{"other port kept", "https://innboks.example.no:8443", "https://innboks.example.no:8443", true},
		{"plain http localhost", "HTTP://LOCALHOST:8080/", "http://localhost:8080", false},
		{"http default port", "http://127.0.0.1:80", "http://127.0.0.1", false},
		{"IPv6 loopback", "http://[::1]:8080", "http://[::1]:8080", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := Load(env(map[string]string{
				"PUBLIC_URL":          tc.public,
				"IDPORTEN_ISSUER":     "https://IDporten.no/",
				"DIALOGPORTEN_URL":    "HTTPS://Platform.TT02.Altinn.no:443/dialogporten/",
				"ALTINN_PLATFORM_URL": "HTTPS://Platform.TT02.Altinn.no",
			}))
			if err != nil {
				t.Fatal(err)
			}
			if c.PublicURL != tc.wantPublic || c.SecureCookies() != tc.secure {
				t.Errorf("PUBLIC_URL %q: got %q, SecureCookies %v; want %q, %v", tc.public, c.PublicURL, c.SecureCookies(), tc.wantPublic, tc.secure)
			}
			if c.DialogportenURL != "https://platform.tt02.altinn.no/dialogporten" || c.AltinnPlatformURL != "https://platform.tt02.altinn.no" {
				t.Errorf("DIALOGPORTEN_URL %q, ALTINN_PLATFORM_URL %q: want them normalised", c.DialogportenURL, c.AltinnPlatformURL)
			}
			if c.IDPortenIssuer != "https://IDporten.no/" {
				t.Errorf("IDPORTEN_ISSUER %q, want it as given", c.IDPortenIssuer)
			}
		})
	}
	_, err := Load(env(map[string]string{"PUBLIC_URL": "https://user:pw@innboks.example.no"}))
	if err == nil || !strings.Contains(err.Error(), "PUBLIC_URL: must not have a user or password") || strings.Contains(err.Error(), "pw") {
		t.Errorf("PUBLIC_URL with userinfo: error %v, want one naming the user part without the password", err)
	}
}
