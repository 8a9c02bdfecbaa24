package inbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"

	"github.com/innboks/innboks/dpclient"
)

// Bulk limits: Dialogporten takes 1–100 dialogs per call; one request carries at most
// MaxBulk dialogs and makes at most maxBulkCalls upstream calls, splits included (enough to
// find a few refused dialogs in every batch, not hundreds of calls for a post of random ids).
const (
	bulkBatch    = 100
	MaxBulk      = 500
	maxBulkCalls = 40
)

// ErrBulkBudget is the result of the dialogs left when a bulk request's call budget is spent.
var ErrBulkBudget = errors.New("inbox: bulk call budget spent, try again")

// SetLabel adds label to dialog id, If-Match the end-user context revision the page showed
// (dpclient.ErrPreconditionFailed when the dialog changed meanwhile).
func (s *Dialogs) SetLabel(ctx context.Context, u *User, id string, label dpclient.SystemLabel, revision string) error {
	if !ValidID(id) {
		return fmt.Errorf("%w: malformed dialog id", ErrNotFound)
	}
	_, err := s.dp.SetSystemLabels(ctx, id, dpclient.SetSystemLabelsRequest{AddLabels: []dpclient.SystemLabel{label}}, revision, u.opts()...)
	if errors.Is(err, dpclient.ErrForbidden) && !errors.Is(err, dpclient.ErrAuthLevelTooLow) {
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	return err
}

// BulkLabel adds label to many dialogs in batches of at most 100 and returns each failed
// dialog's reason (absent: done). Ids that are not UUIDs fail with ErrNotFound without a call.
// Upstream is all-or-nothing per call: when it refuses a batch because of some dialog (404,
// 403, 410, 412, 400), the batch is split in halves and retried, so the dialogs that can change
// do and each gets its own result. Temporary failures fail the whole batch at once. err is set
// only when the request cannot go on (session ended, client gone, too many at once).
func (s *Dialogs) BulkLabel(ctx context.Context, u *User, ids []string, label dpclient.SystemLabel) (failed map[string]error, err error) {
	if len(ids) > MaxBulk {
		return nil, fmt.Errorf("%w: more than %d dialogs", dpclient.ErrBadRequest, MaxBulk)
	}
	release, err := s.limit.Acquire(u.Key)
	if err != nil {
		return nil, err
	}
	defer release()
	failed = map[string]error{}
	valid := make([]string, 0, len(ids))
	for _, id := range ids {
		if ValidID(id) {
			valid = append(valid, id)
		} else {
			failed[id] = ErrNotFound
		}
	}
	budget := maxBulkCalls
	var run func(part []string) error
	run = func(part []string) error {
		if budget <= 0 {
			for _, id := range part {
				failed[id] = ErrBulkBudget
			}
			return nil
		}
		budget--
		req := dpclient.BulkSetSystemLabelsRequest{AddLabels: []dpclient.SystemLabel{label}}
		for _, id := range part {
			req.Dialogs = append(req.Dialogs, dpclient.BulkSetDialog{DialogID: id})
		}
		err := s.dp.BulkSetSystemLabels(ctx, req, u.opts()...)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, context.Canceled) || errors.Is(err, dpclient.ErrUnauthorized):
			return err
		}
		s.logger.LogAttrs(ctx, slog.LevelWarn, "bulk label change refused",
			slog.Int("dialogs", len(part)), slog.String("error", err.Error()))
		if len(part) == 1 || !perDialog(err) {
			for _, id := range part {
				failed[id] = err
			}
			return nil
		}
		half := len(part) / 2
		if err := run(part[:half]); err != nil {
			return err
		}
		return run(part[half:])
	}
	for batch := range slices.Chunk(valid, bulkBatch) {
		if err := run(batch); err != nil {
			return nil, err
		}
	}
	return failed, nil
}

// perDialog reports whether an upstream refusal may be caused by some dialogs of the batch only.
func perDialog(err error) bool {
	return errors.Is(err, dpclient.ErrNotFound) || errors.Is(err, dpclient.ErrForbidden) ||
		errors.Is(err, dpclient.ErrGone) || errors.Is(err, dpclient.ErrPreconditionFailed) ||
		errors.Is(err, dpclient.ErrBadRequest)
}
