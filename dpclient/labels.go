package dpclient

import (
	"context"
	"errors"
	"net/http"
)

// SetSystemLabels changes the caller's labels on one dialog and returns the new
// endUserContext revision (the Etag response header). ifMatch, when not empty, is the
// revision the dialog must still have (else ErrPreconditionFailed).
// PUT /api/v1/enduser/dialogs/{dialogId}/context/systemlabels
func (c *Client) SetSystemLabels(ctx context.Context, dialogID string, req SetSystemLabelsRequest, ifMatch string, opts ...CallOption) (newRevision string, err error) {
	u, err := c.dialogSub(dialogID, "/context/systemlabels", "", "")
	if err != nil {
		return "", err
	}
	r, err := c.NewRequest(ctx, http.MethodPut, u, req, opts...)
	if err != nil {
		return "", err
	}
	if ifMatch != "" {
		r.Header.Set("If-Match", ifMatch)
	}
	resp, err := c.Do(r, nil)
	if err != nil {
		return "", err
	}
	return unquoteETag(resp.Header.Get("Etag")), nil
}

// BulkSetSystemLabels changes the labels of 1–100 dialogs, all or nothing: an unknown or
// inaccessible dialog fails the whole request with ErrNotFound, a stale revision with
// ErrPreconditionFailed.
// POST /api/v1/enduser/dialogs/context/systemlabels/actions/bulkset
func (c *Client) BulkSetSystemLabels(ctx context.Context, req BulkSetSystemLabelsRequest, opts ...CallOption) error {
	if len(req.Dialogs) == 0 {
		return errors.New("dpclient: bulk set system labels: no dialogs")
	}
	r, err := c.NewRequest(ctx, http.MethodPost, c.apiURL("/api/v1/enduser/dialogs/context/systemlabels/actions/bulkset", nil), req, opts...)
	if err != nil {
		return err
	}
	_, err = c.Do(r, nil)
	return err
}
