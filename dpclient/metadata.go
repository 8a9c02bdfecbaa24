package dpclient

import (
	"context"
	"errors"
	"net/url"
)

// defaultMaxPartiesBody bounds the party list, which Dialogporten does not page: the largest users
// (80,000–100,000 parties) are about 34 MB of JSON, over the 32 MB bound of the other answers.
const defaultMaxPartiesBody = 128 << 20

// GetParties returns the parties the caller may act for.
// GET /api/v1/enduser/parties
func (c *Client) GetParties(ctx context.Context, opts ...CallOption) (*PartiesResult, error) {
	var out PartiesResult
	big := *c
	big.maxBody = max(c.maxBody, c.maxPartiesBody)
	if _, err := big.get(ctx, c.apiURL("/api/v1/enduser/parties", nil), &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// ServiceResources returns the service resources the caller may use, narrowed to parties
// when given (unauthorized parties are ignored by the server).
// GET /api/v1/enduser/serviceresources
func (c *Client) ServiceResources(ctx context.Context, parties []string, opts ...CallOption) (*ServiceResourcesResult, error) {
	q := url.Values{}
	for _, p := range parties {
		q.Add("party", p)
	}
	var out ServiceResourcesResult
	if _, err := c.get(ctx, c.apiURL("/api/v1/enduser/serviceresources", q), &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// DialogLookup resolves an instance reference (urn:altinn:instance-id:{partyId}/{uuid},
// urn:altinn:correspondence-id:{uuid} or urn:altinn:dialog-id:{uuid}) to its dialog.
// GET /api/v1/enduser/dialoglookup
func (c *Client) DialogLookup(ctx context.Context, instanceRef string, opts ...CallOption) (*DialogLookup, error) {
	if instanceRef == "" {
		return nil, errors.New("dpclient: dialog lookup: instanceRef is empty")
	}
	var out DialogLookup
	q := url.Values{"instanceRef": {instanceRef}}
	if _, err := c.get(ctx, c.apiURL("/api/v1/enduser/dialoglookup", q), &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// Limits returns the currently enforced query limits (anonymous).
// GET /api/v1/metadata/limits
func (c *Client) Limits(ctx context.Context, opts ...CallOption) (*Limits, error) {
	var out Limits
	if _, err := c.get(ctx, c.apiURL("/api/v1/metadata/limits", nil), &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// ServiceResourceMetadata returns metadata of every service resource in use (anonymous).
// GET /api/v1/metadata/serviceresources
func (c *Client) ServiceResourceMetadata(ctx context.Context, opts ...CallOption) (*ServiceResourcesResult, error) {
	var out ServiceResourcesResult
	if _, err := c.get(ctx, c.apiURL("/api/v1/metadata/serviceresources", nil), &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// JWKS returns the keys that sign dialog tokens (anonymous).
// GET /api/v1/.well-known/jwks.json
func (c *Client) JWKS(ctx context.Context, opts ...CallOption) (*JWKS, error) {
	var out JWKS
	if _, err := c.get(ctx, c.apiURL("/api/v1/.well-known/jwks.json", nil), &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// AuthorizationServerMetadata returns the dialog-token issuer and JWKS URI (anonymous).
// GET /api/v1/.well-known/oauth-authorization-server
func (c *Client) AuthorizationServerMetadata(ctx context.Context, opts ...CallOption) (*AuthorizationServerMetadata, error) {
	var out AuthorizationServerMetadata
	if _, err := c.get(ctx, c.apiURL("/api/v1/.well-known/oauth-authorization-server", nil), &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}
