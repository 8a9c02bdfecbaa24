package devidporten

import (
	_ "embed"
	"encoding/json"
	"net/http"

	jose "github.com/go-jose/go-jose/v4"
)

// metadata is the discovery document, with the values ID-porten publishes (AUTH-AND-NEIGHBOURS §A.1).
type metadata struct {
	Issuer                                     string   `json:"issuer"`
	AuthorizationEndpoint                      string   `json:"authorization_endpoint"`
	TokenEndpoint                              string   `json:"token_endpoint"`
	EndSessionEndpoint                         string   `json:"end_session_endpoint"`
	RevocationEndpoint                         string   `json:"revocation_endpoint"`
	JWKSURI                                    string   `json:"jwks_uri"`
	ResponseTypesSupported                     []string `json:"response_types_supported"`
	ResponseModesSupported                     []string `json:"response_modes_supported"`
	GrantTypesSupported                        []string `json:"grant_types_supported"`
	SubjectTypesSupported                      []string `json:"subject_types_supported"`
	IDTokenSigningAlgValuesSupported           []string `json:"id_token_signing_alg_values_supported"`
	TokenEndpointAuthMethodsSupported          []string `json:"token_endpoint_auth_methods_supported"`
	TokenEndpointAuthSigningAlgValuesSupported []string `json:"token_endpoint_auth_signing_alg_values_supported"`
	CodeChallengeMethodsSupported              []string `json:"code_challenge_methods_supported"`
	ScopesSupported                            []string `json:"scopes_supported"`
	ClaimsSupported                            []string `json:"claims_supported"`
	ACRValuesSupported                         []string `json:"acr_values_supported"`
	UILocalesSupported                         []string `json:"ui_locales_supported"`
	FrontchannelLogoutSupported                bool     `json:"frontchannel_logout_supported"`
	FrontchannelLogoutSessionSupported         bool     `json:"frontchannel_logout_session_supported"`
	AuthorizationResponseIssParameterSupported bool     `json:"authorization_response_iss_parameter_supported"`
	RequestParameterSupported                  bool     `json:"request_parameter_supported"`
}

// discovery serves /.well-known/openid-configuration.
func (p *Provider) discovery(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, metadata{
		Issuer:                                     p.issuer,
		AuthorizationEndpoint:                      p.endpoint("/authorize"),
		TokenEndpoint:                              p.endpoint("/token"),
		EndSessionEndpoint:                         p.endpoint("/endsession"),
		RevocationEndpoint:                         p.endpoint("/revoke"),
		JWKSURI:                                    p.endpoint("/jwks.json"),
		ResponseTypesSupported:                     []string{"code"},
		ResponseModesSupported:                     []string{"query", "form_post"},
		GrantTypesSupported:                        []string{"authorization_code", "refresh_token"},
		SubjectTypesSupported:                      []string{"pairwise"},
		IDTokenSigningAlgValuesSupported:           []string{"RS256"},
		TokenEndpointAuthMethodsSupported:          []string{AuthSecretBasic, AuthSecretPost, AuthNone, AuthPrivateKeyJWT},
		TokenEndpointAuthSigningAlgValuesSupported: []string{"RS256", "RS384", "RS512"},
		CodeChallengeMethodsSupported:              []string{"S256"},
		ScopesSupported:                            []string{"openid", "profile", "digdir:dialogporten", "altinn:correspondence.read", "altinn:accessmanagement/authorizedparties", "altinn:events.subscribe"},
		ClaimsSupported:                            []string{"iss", "aud", "sub", "exp", "iat", "auth_time", "jti", "nonce", "pid", "acr", "amr", "locale", "sid"},
		ACRValuesSupported:                         []string{"idporten-loa-low", ACRSubstantial, ACRHigh, "eidas-loa-low", "eidas-loa-substantial", "eidas-loa-high"},
		UILocalesSupported:                         []string{"en", "nb", "nn", "se"},
		FrontchannelLogoutSupported:                true,
		FrontchannelLogoutSessionSupported:         true,
		AuthorizationResponseIssParameterSupported: true,
	})
}

// jwks serves the public signing key.
func (p *Provider) jwks(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{p.keys.publicJWK()}})
}

//go:embed assets/devidporten.css
var stylesheetCSS []byte

// stylesheet serves the pages' CSS (the pages carry no inline style or script).
func (p *Provider) stylesheet(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(stylesheetCSS)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
