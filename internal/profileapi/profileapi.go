// Package profileapi is a client for the part of Altinn's Profile API that keeps a person's
// favourite parties and party groups (AUTH-AND-NEIGHBOURS.md §G): the same lists Altinn's own
// inbox reads and writes, so a star set there shows in Innboks and back. Every call takes an
// Altinn token (an ID-porten token exchanged at Altinn Authentication); the person is the
// token's user.
package profileapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// Errors. Test with errors.Is.
var (
	ErrNotFound = errors.New("profileapi: not found")
	// ErrUnauthorized is a 401 or 403: the token was refused.
	ErrUnauthorized = errors.New("profileapi: unauthorized")
)

// StatusError is an answer the client did not expect.
type StatusError struct{ Status int }

func (e *StatusError) Error() string {
	return fmt.Sprintf("profileapi: unexpected status %d", e.Status)
}

// GroupID is a party group's id: a number at Altinn, read whether it comes as a JSON number or
// a string.
type GroupID string

// UnmarshalJSON reads a number or a string.
func (g *GroupID) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		return errors.New("profileapi: empty group id")
	}
	*g = GroupID(s)
	return nil
}

// Group is a party group: a name and its parties (party UUIDs), in order.
type Group struct {
	ID         GroupID  `json:"groupId"`
	Name       string   `json:"name"`
	IsFavorite bool     `json:"isFavorite"`
	Parties    []string `json:"parties"`
}

// Client calls the Profile API under a base URL such as
// https://platform.tt02.altinn.no/profile/api/v1.
type Client struct {
	base string
	hc   *http.Client
}

// New returns a client for baseURL over hc.
func New(baseURL string, hc *http.Client) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("profileapi: want an absolute http(s) base URL, got %q", baseURL)
	}
	if hc == nil {
		return nil, errors.New("profileapi: no HTTP client")
	}
	return &Client{base: strings.TrimSuffix(u.String(), "/") + "/users/current/party-groups", hc: hc}, nil
}

// maxBody bounds an answer: 20,000 party UUIDs in a group are under 1 MB.
const maxBody = 4 << 20

// do sends one call and decodes a 2xx answer's JSON into out (when not nil). ok lists the
// statuses that count as success.
func (c *Client) do(ctx context.Context, token, method, path string, in, out any, ok ...int) (int, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return 0, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, fmt.Errorf("profileapi: %w", err)
	}
	defer func() {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody))
		resp.Body.Close()
	}()
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return resp.StatusCode, ErrUnauthorized
	case resp.StatusCode == http.StatusNotFound:
		return resp.StatusCode, ErrNotFound
	}
	for _, s := range ok {
		if resp.StatusCode == s {
			if out != nil && resp.StatusCode != http.StatusNoContent {
				if err := json.NewDecoder(io.LimitReader(resp.Body, maxBody)).Decode(out); err != nil {
					return resp.StatusCode, fmt.Errorf("profileapi: %s %s: %w", method, path, err)
				}
			}
			return resp.StatusCode, nil
		}
	}
	return resp.StatusCode, &StatusError{Status: resp.StatusCode}
}

// Favourites is the person's favourite parties (party UUIDs).
// GET …/party-groups/favorites
func (c *Client) Favourites(ctx context.Context, token string) ([]string, error) {
	var g Group
	if _, err := c.do(ctx, token, http.MethodGet, "/favorites", nil, &g, http.StatusOK); err != nil {
		return nil, err
	}
	if g.Parties == nil {
		g.Parties = []string{}
	}
	return g.Parties, nil
}

// AddFavourite stars a party; starring a starred one changes nothing.
// PUT …/party-groups/favorites/{partyUuid}: 201 added, 204 already there.
func (c *Client) AddFavourite(ctx context.Context, token, party string) error {
	_, err := c.do(ctx, token, http.MethodPut, "/favorites/"+url.PathEscape(party), nil, nil, http.StatusCreated, http.StatusNoContent, http.StatusOK)
	return err
}

// RemoveFavourite unstars a party; unstarring an unstarred one (404) changes nothing.
// DELETE …/party-groups/favorites/{partyUuid}
func (c *Client) RemoveFavourite(ctx context.Context, token, party string) error {
	_, err := c.do(ctx, token, http.MethodDelete, "/favorites/"+url.PathEscape(party), nil, nil, http.StatusNoContent, http.StatusOK)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// Groups lists the person's groups, the favourites group among them (IsFavorite).
// GET …/party-groups
func (c *Client) Groups(ctx context.Context, token string) ([]Group, error) {
	var gs []Group
	if _, err := c.do(ctx, token, http.MethodGet, "", nil, &gs, http.StatusOK); err != nil {
		return nil, err
	}
	return gs, nil
}

// Group is one group; ErrNotFound when the person has none with the id.
// GET …/party-groups/{groupId}
func (c *Client) Group(ctx context.Context, token string, id GroupID) (Group, error) {
	var g Group
	_, err := c.do(ctx, token, http.MethodGet, "/"+groupPath(id), nil, &g, http.StatusOK)
	return g, err
}

// CreateGroup makes an empty group.
// POST …/party-groups {"name"}: 201 with the group.
func (c *Client) CreateGroup(ctx context.Context, token, name string) (Group, error) {
	var g Group
	_, err := c.do(ctx, token, http.MethodPost, "", map[string]string{"name": name}, &g, http.StatusCreated, http.StatusOK)
	return g, err
}

// DeleteGroup deletes a group. DELETE …/party-groups/{groupId}: 204.
func (c *Client) DeleteGroup(ctx context.Context, token string, id GroupID) error {
	_, err := c.do(ctx, token, http.MethodDelete, "/"+groupPath(id), nil, nil, http.StatusNoContent, http.StatusOK)
	return err
}

// AddToGroup adds a party to a group (idempotent).
// PUT …/party-groups/{groupId}/associations/{partyUuid}: 200 with the group.
func (c *Client) AddToGroup(ctx context.Context, token string, id GroupID, party string) error {
	_, err := c.do(ctx, token, http.MethodPut, "/"+groupPath(id)+"/associations/"+url.PathEscape(party), nil, nil,
		http.StatusOK, http.StatusCreated, http.StatusNoContent)
	return err
}

// groupPath is a group id as a path segment; only a number (Altinn's ids) or a UUID passes, so
// no id can walk to another path.
func groupPath(id GroupID) string {
	if _, err := strconv.ParseUint(string(id), 10, 63); err == nil {
		return string(id)
	}
	if u, err := uuid.Parse(string(id)); err == nil {
		return u.String()
	}
	return "0"
}
