package dpemu

import (
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
)

// RecordSeen records that actor opened the dialog (§7.4), unless they have already seen the
// current revision: a seen-log entry is written, MarkedAsUnopened is removed (logged), and the
// content counts as seen. It does not touch updatedAt. created reports whether anything changed.
func (s *Store) RecordSeen(id uuid.UUID, actor Actor, viaServiceOwner bool) (entry SeenLogEntry, created bool, err error) {
	// Most views are by someone who has seen the dialog since its last update: a read lock
	// decides those, so opening dialogs does not queue every reader behind a writer.
	if e, ok := s.alreadySeen(id, actor); ok {
		return e, false, nil
	}
	s.mu.Lock()
	d, ok := s.dialogs[id]
	if !ok {
		s.mu.Unlock()
		return SeenLogEntry{}, false, fmt.Errorf("%w: dialog %s", ErrNotFound, id)
	}
	if d.DeletedAt != nil {
		s.mu.Unlock()
		return SeenLogEntry{}, false, ErrDeleted
	}
	now := norm(s.now())
	if e, seen := latestSeenBy(d, actor.ID); seen && !e.SeenAt.Before(d.UpdatedAt) && !d.EndUserContext.Has(LabelMarkedAsUnopened) {
		s.mu.Unlock()
		return e, false, nil
	}
	entry = SeenLogEntry{ID: s.ids.v7(now), SeenAt: now, SeenBy: actor, IsViaServiceOwner: viaServiceOwner}
	d.SeenLog = append(d.SeenLog, entry)
	changes := []Change{changeOf(ChangeDialogSeen, d, now)}
	if d.EndUserContext.Has(LabelMarkedAsUnopened) {
		d.EndUserContext.remove(LabelMarkedAsUnopened, actor, now)
		d.EndUserContext.Revision = s.ids.v4()
		changes = append(changes, changeOf(ChangeLabelsChanged, d, now))
	}
	s.mu.Unlock()
	s.emit(changes...)
	return entry, true, nil
}

// alreadySeen reports, under the read lock, the actor's latest seen entry when it is current
// (not before the last update, and the dialog not marked as unopened): RecordSeen has nothing
// to write then.
func (s *Store) alreadySeen(id uuid.UUID, actor Actor) (SeenLogEntry, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	d, ok := s.dialogs[id]
	if !ok || d.DeletedAt != nil {
		return SeenLogEntry{}, false
	}
	if e, seen := latestSeenBy(d, actor.ID); seen && !e.SeenAt.Before(d.UpdatedAt) && !d.EndUserContext.Has(LabelMarkedAsUnopened) {
		return e, true
	}
	return SeenLogEntry{}, false
}

func latestSeenBy(d *Dialog, actorID string) (SeenLogEntry, bool) {
	var best SeenLogEntry
	found := false
	for _, e := range d.SeenLog {
		if e.SeenBy.ID == actorID && (!found || e.SeenAt.After(best.SeenAt)) {
			best, found = e, true
		}
	}
	return best, found
}

// IsContentSeen reports §7.4's isContentSeen: someone saw the dialog since its last content
// change, and it is not marked as unopened.
func (d *Dialog) IsContentSeen() bool {
	if d.EndUserContext.Has(LabelMarkedAsUnopened) {
		return false
	}
	for _, e := range d.SeenLog {
		if !e.SeenAt.Before(d.ContentUpdatedAt) {
			return true
		}
	}
	return false
}

// HasUnopenedContent reports §7.5's hasUnopenedContent: a service-owner transmission without a
// TransmissionOpened activity, or (correspondence) no CorrespondenceOpened activity yet.
func (d *Dialog) HasUnopenedContent() bool {
	opened := map[uuid.UUID]bool{}
	corrOpened := false
	for _, a := range d.Activities {
		switch a.Type {
		case ActivityTransmissionOpened:
			if a.TransmissionID != nil {
				opened[*a.TransmissionID] = true
			}
		case ActivityCorrespondenceOpened:
			corrOpened = true
		}
	}
	if d.ServiceResourceType == ResourceTypeCorrespondence && !corrOpened {
		return true
	}
	for _, t := range d.Transmissions {
		if !t.Type.FromParty() && !opened[t.ID] {
			return true
		}
	}
	return false
}

// IsTransmissionOpened reports a transmission's isOpened (§7.5).
func (d *Dialog) IsTransmissionOpened(tid uuid.UUID) bool {
	for _, t := range d.Transmissions {
		if t.ID == tid && t.Type.FromParty() {
			return false
		}
	}
	for _, a := range d.Activities {
		if a.Type == ActivityTransmissionOpened && a.TransmissionID != nil && *a.TransmissionID == tid {
			return true
		}
	}
	return false
}

// LabelChange is an end-user system-label request: removals are applied first, then additions.
type LabelChange struct {
	Add    []SystemLabel
	Remove []SystemLabel
}

// Validate rejects unknown labels and Sent, which end users can neither add nor remove.
func (c LabelChange) Validate() error {
	for _, l := range slices.Concat(c.Add, c.Remove) {
		switch l {
		case LabelDefault, LabelBin, LabelArchive, LabelMarkedAsUnopened:
		case LabelSent:
			return fmt.Errorf("%w: the Sent label cannot be set or removed by end users", ErrInvalid)
		default:
			return fmt.Errorf("%w: unknown system label %q", ErrInvalid, l)
		}
	}
	return nil
}

// apply runs the §7.3 label algebra on ctx, logging effective changes by actor.
func (c LabelChange) apply(ctx *EndUserContext, actor Actor, now time.Time) {
	has := ctx.Has
	set := func(l SystemLabel) { ctx.set(l, actor, now) }
	remove := func(l SystemLabel) { ctx.remove(l, actor, now) }
	group := func(l SystemLabel) bool { return l == LabelDefault || l == LabelBin || l == LabelArchive }
	for _, l := range c.Remove {
		switch {
		case (l == LabelBin || l == LabelArchive) && has(l):
			remove(l)
			set(LabelDefault)
		case l == LabelMarkedAsUnopened && has(l):
			remove(l)
		}
	}
	for _, l := range c.Add {
		switch {
		case group(l) && !has(l):
			for _, g := range []SystemLabel{LabelDefault, LabelBin, LabelArchive} {
				if has(g) {
					remove(g)
				}
			}
			set(l)
		case l == LabelMarkedAsUnopened && !has(l):
			set(l)
		}
	}
}

// SetSystemLabels applies change to the dialog's end-user context on behalf of actor. With
// ifMatch set, the context's revision must equal it (ErrPreconditionFailed). It returns the new
// endUserContext revision. updatedAt is not touched (end-user actions never do).
func (s *Store) SetSystemLabels(id uuid.UUID, actor Actor, change LabelChange, ifMatch *uuid.UUID) (uuid.UUID, error) {
	if err := change.Validate(); err != nil {
		return uuid.Nil, err
	}
	s.mu.Lock()
	d, ok := s.dialogs[id]
	if !ok {
		s.mu.Unlock()
		return uuid.Nil, fmt.Errorf("%w: dialog %s", ErrNotFound, id)
	}
	if d.DeletedAt != nil {
		s.mu.Unlock()
		return uuid.Nil, ErrDeleted
	}
	if ifMatch != nil && *ifMatch != d.EndUserContext.Revision {
		s.mu.Unlock()
		return uuid.Nil, ErrPreconditionFailed
	}
	now := norm(s.now())
	change.apply(&d.EndUserContext, actor, now)
	d.EndUserContext.Revision = s.ids.v4()
	rev := d.EndUserContext.Revision
	c := changeOf(ChangeLabelsChanged, d, now)
	s.mu.Unlock()
	s.emit(c)
	return rev, nil
}

// BulkItem names one dialog in a bulk label change, with an optional expected revision.
type BulkItem struct {
	DialogID uuid.UUID
	Revision *uuid.UUID
}

// BulkSetSystemLabels applies change to every listed dialog, all or nothing: a dialog that is
// missing, deleted or refused by allowed gives ErrNotFound; a revision mismatch
// ErrPreconditionFailed. allowed runs under the store lock and must not call the store.
func (s *Store) BulkSetSystemLabels(items []BulkItem, actor Actor, change LabelChange, allowed func(*Dialog) bool) error {
	if err := change.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	ds := make([]*Dialog, 0, len(items))
	for _, it := range items {
		d, ok := s.dialogs[it.DialogID]
		if !ok || d.DeletedAt != nil || (allowed != nil && !allowed(d)) {
			s.mu.Unlock()
			return fmt.Errorf("%w: dialog %s", ErrNotFound, it.DialogID)
		}
		ds = append(ds, d)
	}
	for i, it := range items {
		if it.Revision != nil && *it.Revision != ds[i].EndUserContext.Revision {
			s.mu.Unlock()
			return ErrPreconditionFailed
		}
	}
	now := norm(s.now())
	changes := make([]Change, 0, len(ds))
	for _, d := range ds {
		change.apply(&d.EndUserContext, actor, now)
		d.EndUserContext.Revision = s.ids.v4()
		changes = append(changes, changeOf(ChangeLabelsChanged, d, now))
	}
	s.mu.Unlock()
	s.emit(changes...)
	return nil
}
