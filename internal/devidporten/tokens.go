package devidporten

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/zitadel/oidc/v3/pkg/oidc"
)

// tokenResponse is the token endpoint's answer.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	IDToken      string `json:"id_token,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope"`
}

// pairwiseSub is the client-specific pseudonym ID-porten puts in sub: stable for a person and
// a client, different between clients, and not the pid.
func pairwiseSub(clientID, pid string) string {
	sum := sha256.Sum256([]byte("devidporten-pairwise\x00" + clientID + "\x00" + pid))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// issue mints the tokens for a grant: an access token, an id_token when openid was asked for,
// and a new refresh token. nonce is empty on refresh. clientAMR is how the client authenticated.
func (p *Provider) issue(g grant, nonce, clientAMR string) (*tokenResponse, error) {
	now := p.now()
	c := p.clients[g.clientID]
	scope := strings.Join(g.scopes, " ")
	at, err := p.keys.sign(map[string]any{
		"iss":        p.issuer,
		"sub":        g.sub,
		"pid":        g.pid,
		"acr":        g.acr,
		"scope":      scope,
		"client_id":  g.clientID,
		"client_amr": clientAMR,
		"consumer":   map[string]string{"authority": "iso6523-actorid-upis", "ID": "0192:" + c.OrgNumber},
		"iat":        now.Unix(),
		"exp":        now.Add(p.accessTTL).Unix(),
		"jti":        uuid.NewString(),
	})
	if err != nil {
		return nil, fmt.Errorf("access token: %w", err)
	}
	resp := &tokenResponse{
		AccessToken: at,
		TokenType:   oidc.BearerToken,
		ExpiresIn:   int64(p.accessTTL / time.Second),
		Scope:       scope,
	}
	if slices.Contains(g.scopes, oidc.ScopeOpenID) {
		claims := map[string]any{
			"iss":       p.issuer,
			"aud":       g.clientID,
			"sub":       g.sub,
			"iat":       now.Unix(),
			"exp":       now.Add(p.idTTL).Unix(),
			"auth_time": g.authTime.Unix(),
			"jti":       uuid.NewString(),
			"pid":       g.pid,
			"acr":       g.acr,
			"amr":       g.amr,
			"locale":    g.locale,
			"sid":       g.sid,
		}
		if nonce != "" {
			claims["nonce"] = nonce
		}
		if resp.IDToken, err = p.keys.sign(claims); err != nil {
			return nil, fmt.Errorf("id token: %w", err)
		}
	}
	authzExpires := g.authzExpires
	if authzExpires.IsZero() {
		authzExpires = now.Add(p.authzTTL)
	}
	g.authzExpires = authzExpires
	resp.RefreshToken = randomID(32)
	expires := now.Add(p.refreshTTL)
	if expires.After(authzExpires) {
		expires = authzExpires
	}
	p.store.addRefresh(resp.RefreshToken, refreshEntry{grant: g, expires: expires}, now)
	return resp, nil
}
