package inbox

import (
	"context"
	"slices"

	"github.com/innboks/innboks/dpclient"
)

// Each walks every result of a search over parties in the requested order, one row at a time,
// until yield answers false or the results end. It is the search of Dialogs without pages or
// cursors, for exports: with one batch it follows Dialogporten's continuation tokens; with
// several it runs the same lazy merge, keeping only the rows each batch fetched and has not
// yielded yet (at most p.Limit per batch), so memory stays bounded however many rows there are.
// Nothing is kept for later. The walk takes one of the user's slots of expensive work.
func (s *Search) Each(ctx context.Context, u *User, parties []string, p dpclient.SearchParams, yield func(dpclient.SearchDialog) bool) error {
	release, err := s.limit.Acquire(u.Key)
	if err != nil {
		return err
	}
	defer release()
	parts := slices.Collect(slices.Chunk(parties, MaxPartiesPerSearch))
	if len(parts) == 0 {
		return nil
	}
	if len(parts) == 1 {
		p.Party, p.ContinuationToken = parts[0], ""
		for {
			res, err := s.dp.SearchDialogs(ctx, &p, u.opts()...)
			if err != nil {
				return err
			}
			for _, d := range res.Items {
				if !yield(d) {
					return nil
				}
			}
			if !res.HasNextPage || len(res.Items) == 0 || res.ContinuationToken == "" {
				return nil
			}
			p.ContinuationToken = res.ContinuationToken
		}
	}

	p.OrderBy = mergeOrder(p.OrderBy)
	bs := make([]*batch, len(parts))
	for i := range bs {
		bs[i] = &batch{idx: i, more: true}
	}
	for {
		take, dry := plan(bs, max(p.Limit, 1), p.OrderBy)
		for _, b := range take {
			row := b.rows[0]
			b.rows[0] = dpclient.SearchDialog{} // let the yielded row go
			b.rows = b.rows[1:]
			if !yield(row) {
				return nil
			}
		}
		if len(dry) == 0 {
			if len(take) == 0 {
				return nil
			}
			continue
		}
		for _, b := range dry {
			b.asked = false
			b.rows = slices.Clip(b.rows) // the next fetch appends into a fresh array
		}
		if err := s.fetch(ctx, u, parts, dry, p); err != nil {
			return err
		}
	}
}
