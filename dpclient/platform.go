package dpclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// maxTokenBody bounds the body of the token exchange (a JWT).
const maxTokenBody = 64 << 10

// ExchangeIDPortenToken exchanges an ID-porten access token (the call's or the client's token
// source) for an Altinn platform token, which Correspondence and other platform APIs accept.
// The ID-porten token must carry an altinn:* scope. The new token expires with the old one.
// GET {platform}/authentication/api/v1/exchange/id-porten
func (c *Client) ExchangeIDPortenToken(ctx context.Context, opts ...CallOption) (altinnToken string, err error) {
	opts = append(opts, withAccept("text/plain, application/json;q=0.9, */*;q=0.1"))
	req, err := c.NewRequest(ctx, http.MethodGet, c.platURL("/authentication/api/v1/exchange/id-porten", nil), nil, opts...)
	if err != nil {
		return "", err
	}
	if req.Header.Get("Authorization") == "" {
		return "", errors.New("dpclient: token exchange: no ID-porten token")
	}
	resp, err := c.send(req)
	if err != nil {
		return "", err
	}
	defer drainClose(resp.Body)
	b, err := readLimited(resp.Body, maxTokenBody)
	if err != nil {
		return "", fmt.Errorf("dpclient: token exchange: %w", err)
	}
	// The body is the JWT as plain text; tolerate a JSON string too.
	tok := strings.Trim(strings.TrimSpace(string(b)), `"`)
	if tok == "" {
		return "", errors.New("dpclient: token exchange: empty token")
	}
	return tok, nil
}

// withAccept overrides the Accept header of a call.
func withAccept(accept string) CallOption { return func(o *callOptions) { o.accept = accept } }

// correspondenceURL builds {platform}/correspondence/api/v1/correspondence/{id}{sub}.
func (c *Client) correspondenceURL(correspondenceID, sub string) (string, error) {
	id, err := pathID("correspondence id", correspondenceID)
	if err != nil {
		return "", err
	}
	return c.platURL("/correspondence/api/v1/correspondence/"+id+sub, nil), nil
}

// CorrespondenceContent returns the body of a correspondence (Markdown). The first fetch marks
// the correspondence as read. Use the dialog token or an exchanged Altinn token.
// GET {platform}/correspondence/api/v1/correspondence/{id}/content
func (c *Client) CorrespondenceContent(ctx context.Context, correspondenceID string, opts ...CallOption) (string, error) {
	u, err := c.correspondenceURL(correspondenceID, "/content")
	if err != nil {
		return "", err
	}
	opts = append(opts, withAccept("text/plain, text/markdown, */*;q=0.1"))
	req, err := c.NewRequest(ctx, http.MethodGet, u, nil, opts...)
	if err != nil {
		return "", err
	}
	resp, err := c.send(req)
	if err != nil {
		return "", err
	}
	defer drainClose(resp.Body)
	b, err := readLimited(resp.Body, c.maxBody)
	if err != nil {
		return "", fmt.Errorf("dpclient: correspondence content: %w", err)
	}
	return string(b), nil
}

// MarkCorrespondenceRead marks a correspondence as read.
// POST {platform}/correspondence/api/v1/correspondence/{id}/markasread
func (c *Client) MarkCorrespondenceRead(ctx context.Context, correspondenceID string, opts ...CallOption) error {
	return c.correspondencePost(ctx, correspondenceID, "/markasread", opts)
}

// ConfirmCorrespondence confirms a correspondence that asks for confirmation.
// POST {platform}/correspondence/api/v1/correspondence/{id}/confirm
func (c *Client) ConfirmCorrespondence(ctx context.Context, correspondenceID string, opts ...CallOption) error {
	return c.correspondencePost(ctx, correspondenceID, "/confirm", opts)
}

func (c *Client) correspondencePost(ctx context.Context, correspondenceID, sub string, opts []CallOption) error {
	u, err := c.correspondenceURL(correspondenceID, sub)
	if err != nil {
		return err
	}
	opts = append(opts, withAccept("application/json, text/plain;q=0.9, */*;q=0.1"))
	req, err := c.NewRequest(ctx, http.MethodPost, u, nil, opts...)
	if err != nil {
		return err
	}
	_, err = c.Do(req, nil)
	return err
}

// DownloadCorrespondenceAttachment streams one attachment of a correspondence. The body is
// not size-limited here; the caller closes it (and limits it if needed).
// GET {platform}/correspondence/api/v1/correspondence/{id}/attachment/{attachmentId}/download
func (c *Client) DownloadCorrespondenceAttachment(ctx context.Context, correspondenceID, attachmentID string, opts ...CallOption) (*Download, error) {
	att, err := pathID("attachment id", attachmentID)
	if err != nil {
		return nil, err
	}
	u, err := c.correspondenceURL(correspondenceID, "/attachment/"+att+"/download")
	if err != nil {
		return nil, err
	}
	opts = append(opts, withAccept("*/*"))
	req, err := c.NewRequest(ctx, http.MethodGet, u, nil, opts...)
	if err != nil {
		return nil, err
	}
	resp, err := c.send(req)
	if err != nil {
		return nil, err
	}
	return &Download{
		Body:               resp.Body,
		ContentType:        resp.Header.Get("Content-Type"),
		ContentDisposition: resp.Header.Get("Content-Disposition"),
		ContentLength:      resp.ContentLength,
	}, nil
}
