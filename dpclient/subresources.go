package dpclient

import (
	"context"
)

// dialogSub builds {base}/api/v1/enduser/dialogs/{dialogID}{sub}[/{childID}].
func (c *Client) dialogSub(dialogID, sub, childName, childID string) (string, error) {
	d, err := pathID("dialog id", dialogID)
	if err != nil {
		return "", err
	}
	p := "/api/v1/enduser/dialogs/" + d + sub
	if childName != "" {
		ch, err := pathID(childName, childID)
		if err != nil {
			return "", err
		}
		p += "/" + ch
	}
	return c.apiURL(p, nil), nil
}

// getSub fetches one sub-resource of a dialog into v.
func (c *Client) getSub(ctx context.Context, dialogID, sub, childName, childID string, v any, opts []CallOption) error {
	u, err := c.dialogSub(dialogID, sub, childName, childID)
	if err != nil {
		return err
	}
	_, err = c.get(ctx, u, v, opts)
	return err
}

// ListActivities returns a dialog's activity log, oldest first (items carry no PerformedBy).
// GET /api/v1/enduser/dialogs/{dialogId}/activities
func (c *Client) ListActivities(ctx context.Context, dialogID string, opts ...CallOption) ([]Activity, error) {
	var out []Activity
	if err := c.getSub(ctx, dialogID, "/activities", "", "", &out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// GetActivity returns one activity, with PerformedBy.
// GET /api/v1/enduser/dialogs/{dialogId}/activities/{activityId}
func (c *Client) GetActivity(ctx context.Context, dialogID, activityID string, opts ...CallOption) (*Activity, error) {
	var out Activity
	if err := c.getSub(ctx, dialogID, "/activities", "activity id", activityID, &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListTransmissions returns a dialog's transmissions, oldest first.
// GET /api/v1/enduser/dialogs/{dialogId}/transmissions
func (c *Client) ListTransmissions(ctx context.Context, dialogID string, opts ...CallOption) ([]Transmission, error) {
	var out []Transmission
	if err := c.getSub(ctx, dialogID, "/transmissions", "", "", &out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// GetTransmission returns one transmission.
// GET /api/v1/enduser/dialogs/{dialogId}/transmissions/{transmissionId}
func (c *Client) GetTransmission(ctx context.Context, dialogID, transmissionID string, opts ...CallOption) (*Transmission, error) {
	var out Transmission
	if err := c.getSub(ctx, dialogID, "/transmissions", "transmission id", transmissionID, &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListSeenLog returns every seen-log record of a dialog.
// GET /api/v1/enduser/dialogs/{dialogId}/seenlog
func (c *Client) ListSeenLog(ctx context.Context, dialogID string, opts ...CallOption) ([]SeenLog, error) {
	var out []SeenLog
	if err := c.getSub(ctx, dialogID, "/seenlog", "", "", &out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// GetSeenLog returns one seen-log record.
// GET /api/v1/enduser/dialogs/{dialogId}/seenlog/{seenLogId}
func (c *Client) GetSeenLog(ctx context.Context, dialogID, seenLogID string, opts ...CallOption) (*SeenLog, error) {
	var out SeenLog
	if err := c.getSub(ctx, dialogID, "/seenlog", "seen log id", seenLogID, &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListLabelLog returns the history of a dialog's system labels (changes involving Default
// are not logged).
// GET /api/v1/enduser/dialogs/{dialogId}/context/labellog
func (c *Client) ListLabelLog(ctx context.Context, dialogID string, opts ...CallOption) ([]LabelLog, error) {
	var out []LabelLog
	if err := c.getSub(ctx, dialogID, "/context/labellog", "", "", &out, opts); err != nil {
		return nil, err
	}
	return out, nil
}
