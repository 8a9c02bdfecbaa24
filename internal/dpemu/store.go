package dpemu

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Store errors. Handlers map them to ProblemDetails.
var (
	ErrNotFound           = errors.New("dpemu: not found")
	ErrDeleted            = errors.New("dpemu: dialog is deleted")
	ErrPreconditionFailed = errors.New("dpemu: revision mismatch")
	ErrInvalid            = errors.New("dpemu: invalid input")
)

// ChangeKind names what happened to a dialog; each kind maps to one CloudEvent type.
type ChangeKind string

// Change kinds.
const (
	ChangeDialogCreated       ChangeKind = "dialog.created"
	ChangeDialogUpdated       ChangeKind = "dialog.updated"
	ChangeDialogDeleted       ChangeKind = "dialog.deleted"
	ChangeDialogRestored      ChangeKind = "dialog.restored"
	ChangeDialogSeen          ChangeKind = "dialog.seen"
	ChangeTransmissionCreated ChangeKind = "dialog.transmission.created"
	ChangeActivityCreated     ChangeKind = "dialog.activity.created"
	ChangeLabelsChanged       ChangeKind = "dialog.labels.changed"
)

// Change describes one committed change, delivered to OnChange subscribers after the store's
// lock is released. ActivityID/TransmissionID are uuid.Nil unless the kind concerns one.
type Change struct {
	Kind                 ChangeKind
	Time                 time.Time
	DialogID             uuid.UUID
	Party                string
	ServiceResource      string
	Process              string
	PrecedingProcess     string
	ActivityID           uuid.UUID
	ActivityType         ActivityType
	ExtendedActivityType string
	TransmissionID       uuid.UUID
	TransmissionType     TransmissionType
	// SenderType is the transmission sender's actor type (transmission changes only).
	SenderType ActorType
}

// Store holds the emulator's data: dialogs indexed per party, parties, users, service owners and
// service resources. It is safe for concurrent use. Mutating methods keep timestamps and
// revisions as upstream does (§7.2) and notify OnChange subscribers.
//
// Text and ContentValue slices inside stored dialogs are treated as immutable: replace them, do
// not modify them in place, since clones share them.
type Store struct {
	mu  sync.RWMutex
	now func() time.Time
	ids *idSource

	dialogs map[uuid.UUID]*Dialog
	// byParty lists each party's dialogs in the default order (contentUpdatedAt desc, id desc).
	byParty map[string][]*Dialog
	// byLabel maps service-owner labels (e.g. urn:altinn:correspondence-id:…) to dialogs.
	byLabel map[string]uuid.UUID

	parties   registry[Party]           // by lower-case URN
	users     registry[User]            // by national identity number
	owners    registry[ServiceOwner]    // by code
	resources registry[ServiceResource] // by URN

	hookMu sync.RWMutex
	hooks  []func(Change)
}

// NewStore returns an empty store whose clock is now and whose generated ids derive from seed.
func NewStore(now func() time.Time, seed uint64) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{
		now:       now,
		ids:       newIDSource(seed),
		dialogs:   map[uuid.UUID]*Dialog{},
		byParty:   map[string][]*Dialog{},
		byLabel:   map[string]uuid.UUID{},
		parties:   newRegistry[Party](),
		users:     newRegistry[User](),
		owners:    newRegistry[ServiceOwner](),
		resources: newRegistry[ServiceResource](),
	}
}

// Now returns the store clock's current time at wire resolution.
func (s *Store) Now() time.Time { return norm(s.now()) }

// NewID returns a fresh UUIDv7 stamped with the store clock.
func (s *Store) NewID() uuid.UUID { return s.ids.v7(s.now()) }

// OnChange subscribes fn to every committed change. fn runs synchronously after the change, on
// the mutating goroutine, outside the store lock; it must not block for long.
func (s *Store) OnChange(fn func(Change)) {
	s.hookMu.Lock()
	defer s.hookMu.Unlock()
	s.hooks = append(s.hooks, fn)
}

func (s *Store) emit(changes ...Change) {
	s.hookMu.RLock()
	hooks := s.hooks
	s.hookMu.RUnlock()
	for _, c := range changes {
		for _, h := range hooks {
			h(c)
		}
	}
}

func changeOf(kind ChangeKind, d *Dialog, at time.Time) Change {
	return Change{Kind: kind, Time: at, DialogID: d.ID, Party: d.Party, ServiceResource: d.ServiceResource,
		Process: d.Process, PrecedingProcess: d.PrecedingProcess}
}

// --- register data ---

// registry keeps one kind of register data by key, in insertion order; adding a known key
// replaces the entry in place. The caller holds the store's lock.
type registry[T any] struct {
	byKey map[string]*T
	list  []*T
}

func newRegistry[T any]() registry[T] { return registry[T]{byKey: map[string]*T{}} }

func (r *registry[T]) put(key string, v T) {
	if old, ok := r.byKey[key]; ok {
		*old = v
		return
	}
	r.byKey[key] = &v
	r.list = append(r.list, &v)
}

// get returns a copy of the entry with key.
func (r *registry[T]) get(key string) (T, bool) {
	p, ok := r.byKey[key]
	if !ok {
		var zero T
		return zero, false
	}
	return *p, true
}

// values returns copies of every entry in insertion order.
func (r *registry[T]) values() []T {
	out := make([]T, len(r.list))
	for i, p := range r.list {
		out[i] = *p
	}
	return out
}

// AddParty adds or replaces a party. The URN is stored lower-case.
func (s *Store) AddParty(p Party) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p.URN = strings.ToLower(p.URN)
	p.Parent = strings.ToLower(p.Parent)
	s.parties.put(p.URN, p)
}

// Party returns the party with the given URN (case-insensitive).
func (s *Store) Party(urn string) (Party, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.parties.get(strings.ToLower(urn))
}

// Parties returns every party in insertion order.
func (s *Store) Parties() []Party {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.parties.values()
}

// AddUser adds or replaces a user who can log in. Party URNs in Access are lower-cased.
func (s *Store) AddUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range u.Access {
		u.Access[i].Party = strings.ToLower(u.Access[i].Party)
	}
	s.users.put(u.PID, u)
}

// User returns the user with the national identity number pid.
func (s *Store) User(pid string) (*User, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	u, ok := s.users.byKey[pid]
	return u, ok
}

// Users returns every user who can log in, in insertion order.
func (s *Store) Users() []*User {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.users.list)
}

// AddServiceOwner adds or replaces a service owner.
func (s *Store) AddServiceOwner(o ServiceOwner) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.owners.put(o.Code, o)
}

// ServiceOwner returns the service owner with the given code.
func (s *Store) ServiceOwner(code string) (ServiceOwner, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.owners.get(code)
}

// AddServiceResource adds or replaces a service resource.
func (s *Store) AddServiceResource(r ServiceResource) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resources.put(r.ID, r)
}

// ServiceResource returns the resource with the given URN.
func (s *Store) ServiceResource(id string) (ServiceResource, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.resources.get(id)
}

// ServiceResources returns every resource in insertion order.
func (s *Store) ServiceResources() []ServiceResource {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.resources.values()
}

// --- dialogs: reading ---

// Dialog returns a copy of the dialog (deleted ones included).
func (s *Store) Dialog(id uuid.UUID) (*Dialog, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	d, ok := s.dialogs[id]
	if !ok {
		return nil, false
	}
	return d.Clone(), true
}

// DialogByLabel returns a copy of the dialog carrying a service-owner label, e.g.
// "urn:altinn:correspondence-id:{uuid}".
func (s *Store) DialogByLabel(label string) (*Dialog, bool) {
	s.mu.RLock()
	id, ok := s.byLabel[strings.ToLower(label)]
	s.mu.RUnlock()
	if !ok {
		return nil, false
	}
	return s.Dialog(id)
}

// View runs fn on the stored dialog under the read lock; fn must not keep or modify d.
func (s *Store) View(id uuid.UUID, fn func(d *Dialog)) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	d, ok := s.dialogs[id]
	if ok {
		fn(d)
	}
	return ok
}

// DialogCount returns the number of stored dialogs.
func (s *Store) DialogCount() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.dialogs)
}

// Clone returns a copy of d whose slices can be changed without touching d.
func (d *Dialog) Clone() *Dialog {
	c := *d
	c.SearchTags = slices.Clone(d.SearchTags)
	c.ServiceOwnerLabels = slices.Clone(d.ServiceOwnerLabels)
	c.Attachments = cloneAttachments(d.Attachments)
	c.Transmissions = slices.Clone(d.Transmissions)
	for i := range c.Transmissions {
		c.Transmissions[i].Attachments = cloneAttachments(c.Transmissions[i].Attachments)
		c.Transmissions[i].NavigationalActions = slices.Clone(c.Transmissions[i].NavigationalActions)
	}
	c.GuiActions = slices.Clone(d.GuiActions)
	c.ApiActions = slices.Clone(d.ApiActions)
	for i := range c.ApiActions {
		c.ApiActions[i].Endpoints = slices.Clone(c.ApiActions[i].Endpoints)
	}
	c.Activities = slices.Clone(d.Activities)
	c.SeenLog = slices.Clone(d.SeenLog)
	c.EndUserContext.SystemLabels = slices.Clone(d.EndUserContext.SystemLabels)
	c.EndUserContext.LabelLog = slices.Clone(d.EndUserContext.LabelLog)
	return &c
}

func cloneAttachments(in []Attachment) []Attachment {
	out := slices.Clone(in)
	for i := range out {
		out[i].URLs = slices.Clone(out[i].URLs)
	}
	return out
}

// --- dialogs: writing ---

// CreateDialog stores a new dialog as the service owner would create it. Missing ids,
// revision, timestamps, status and labels are filled in; a future VisibleFrom moves
// createdAt/updatedAt/contentUpdatedAt to it (§7.2). It returns the stored dialog's id.
func (s *Store) CreateDialog(d *Dialog) (uuid.UUID, error) {
	s.mu.Lock()
	if err := s.prepare(d); err != nil {
		s.mu.Unlock()
		return uuid.Nil, err
	}
	if _, dup := s.dialogs[d.ID]; dup {
		s.mu.Unlock()
		return uuid.Nil, fmt.Errorf("%w: dialog %s exists", ErrInvalid, d.ID)
	}
	s.insert(d)
	c := changeOf(ChangeDialogCreated, d, d.CreatedAt)
	s.mu.Unlock()
	s.emit(c)
	return d.ID, nil
}

// LoadDialogs stores many prepared dialogs at once without notifying subscribers (seeding).
func (s *Store) LoadDialogs(ds []*Dialog) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	touched := map[string]bool{}
	for _, d := range ds {
		if err := s.prepare(d); err != nil {
			return err
		}
		s.dialogs[d.ID] = d
		s.byParty[d.Party] = append(s.byParty[d.Party], d)
		s.indexLabels(d)
		touched[d.Party] = true
	}
	for p := range touched {
		slices.SortFunc(s.byParty[p], cmpDefault)
	}
	return nil
}

// prepare validates d and fills defaults. Caller holds the lock.
func (s *Store) prepare(d *Dialog) error {
	if !strings.HasPrefix(d.ServiceResource, "urn:altinn:resource:") {
		return fmt.Errorf("%w: serviceResource %q", ErrInvalid, d.ServiceResource)
	}
	d.Party = strings.ToLower(d.Party)
	if d.Party == "" {
		return fmt.Errorf("%w: party required", ErrInvalid)
	}
	if d.Progress != nil && (*d.Progress < 0 || *d.Progress > 100) {
		return fmt.Errorf("%w: progress %d", ErrInvalid, *d.Progress)
	}
	now := norm(s.now())
	if d.CreatedAt.IsZero() {
		d.CreatedAt = now
	}
	d.CreatedAt = norm(d.CreatedAt)
	if d.VisibleFrom != nil && d.VisibleFrom.After(d.CreatedAt) {
		d.CreatedAt = norm(*d.VisibleFrom)
	}
	if d.UpdatedAt.Before(d.CreatedAt) {
		d.UpdatedAt = d.CreatedAt
	}
	if d.ContentUpdatedAt.Before(d.CreatedAt) {
		d.ContentUpdatedAt = d.CreatedAt
	}
	d.UpdatedAt, d.ContentUpdatedAt = norm(d.UpdatedAt), norm(d.ContentUpdatedAt)
	d.DueAt, d.ExpiresAt, d.VisibleFrom, d.DeletedAt = normPtr(d.DueAt), normPtr(d.ExpiresAt), normPtr(d.VisibleFrom), normPtr(d.DeletedAt)
	if d.ID == uuid.Nil {
		d.ID = s.ids.v7(d.CreatedAt)
	}
	if d.Revision == uuid.Nil {
		d.Revision = s.ids.v4()
	}
	if d.Status == "" {
		d.Status = StatusNotApplicable
	}
	if d.EndUserContext.Revision == uuid.Nil {
		d.EndUserContext.Revision = s.ids.v4()
	}
	if !d.EndUserContext.Has(LabelDefault) && !d.EndUserContext.Has(LabelBin) && !d.EndUserContext.Has(LabelArchive) {
		d.EndUserContext.SystemLabels = append([]SystemLabel{LabelDefault}, d.EndUserContext.SystemLabels...)
	}
	s.fillIDs(d, d.CreatedAt)
	mapEmbedTypes(d)
	s.setSentFor(d, d.Transmissions, d.CreatedAt)
	return nil
}

// deprecatedEmbedTypes maps the deprecated front-channel embed input types to the names
// Dialogporten stores and returns (§7.10).
var deprecatedEmbedTypes = map[string]string{
	"application/vnd.dialogporten.frontchannelembed+json;type=markdown": MediaEmbedMarkdown,
	"application/vnd.dialogporten.frontchannelembed+json;type=html":     MediaEmbedHTML,
}

// mapEmbedTypes renames deprecated embed media types in the dialog's and its transmissions'
// content references.
func mapEmbedTypes(d *Dialog) {
	mapEmbedType(d.Content.MainContentReference)
	for i := range d.Transmissions {
		mapEmbedType(d.Transmissions[i].ContentReference)
	}
}

func mapEmbedType(v *ContentValue) {
	if v == nil {
		return
	}
	if mt, ok := deprecatedEmbedTypes[strings.ToLower(strings.ReplaceAll(v.MediaType, " ", ""))]; ok {
		v.MediaType = mt
	}
}

// setSentFor gives d the Sent label (§7.3) when one of ts is a Submission or Correction and
// the label is missing, logged as set by that transmission's sender, with a new
// endUserContext revision. Caller holds the lock.
func (s *Store) setSentFor(d *Dialog, ts []Transmission, now time.Time) {
	i := slices.IndexFunc(ts, func(t Transmission) bool { return t.Type.FromParty() })
	if i < 0 || d.EndUserContext.Has(LabelSent) {
		return
	}
	d.EndUserContext.set(LabelSent, ts[i].Sender, now)
	d.EndUserContext.Revision = s.ids.v4()
}

// fillIDs gives ids and creation times to parts that lack them.
func (s *Store) fillIDs(d *Dialog, at time.Time) {
	for i := range d.Attachments {
		s.fillAttachment(&d.Attachments[i], at)
	}
	for i := range d.Transmissions {
		s.fillTransmission(&d.Transmissions[i], at)
	}
	for i := range d.GuiActions {
		a := &d.GuiActions[i]
		if a.CreatedAt.IsZero() {
			a.CreatedAt = at
		}
		if a.ID == uuid.Nil {
			a.ID = s.ids.v7(a.CreatedAt)
		}
	}
	for i := range d.ApiActions {
		a := &d.ApiActions[i]
		if a.CreatedAt.IsZero() {
			a.CreatedAt = at
		}
		if a.ID == uuid.Nil {
			a.ID = s.ids.v7(a.CreatedAt)
		}
		for j := range a.Endpoints {
			if a.Endpoints[j].ID == uuid.Nil {
				a.Endpoints[j].ID = s.ids.v7(a.CreatedAt)
			}
		}
	}
	for i := range d.Activities {
		s.fillActivity(&d.Activities[i], at)
	}
	for i := range d.SeenLog {
		e := &d.SeenLog[i]
		e.SeenAt = norm(e.SeenAt)
		if e.ID == uuid.Nil {
			e.ID = s.ids.v7(e.SeenAt)
		}
	}
}

// fillTransmission gives t (created at when unset) and its attachments their ids.
func (s *Store) fillTransmission(t *Transmission, at time.Time) {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = at
	}
	t.CreatedAt = norm(t.CreatedAt)
	if t.ID == uuid.Nil {
		t.ID = s.ids.v7(t.CreatedAt)
	}
	for j := range t.Attachments {
		s.fillAttachment(&t.Attachments[j], t.CreatedAt)
	}
}

// fillActivity gives a (created at when unset) its id.
func (s *Store) fillActivity(a *Activity, at time.Time) {
	if a.CreatedAt.IsZero() {
		a.CreatedAt = at
	}
	a.CreatedAt = norm(a.CreatedAt)
	if a.ID == uuid.Nil {
		a.ID = s.ids.v7(a.CreatedAt)
	}
}

func (s *Store) fillAttachment(a *Attachment, at time.Time) {
	if a.ID == uuid.Nil {
		a.ID = s.ids.v7(at)
	}
	for k := range a.URLs {
		if a.URLs[k].ID == uuid.Nil {
			a.URLs[k].ID = s.ids.v7(at)
		}
	}
}

func (s *Store) insert(d *Dialog) {
	s.dialogs[d.ID] = d
	list := s.byParty[d.Party]
	i, _ := slices.BinarySearchFunc(list, d, cmpDefault)
	s.byParty[d.Party] = slices.Insert(list, i, d)
	s.indexLabels(d)
}

func (s *Store) indexLabels(d *Dialog) {
	for _, l := range d.ServiceOwnerLabels {
		s.byLabel[strings.ToLower(l)] = d.ID
	}
}

// reposition moves d within its party list after its contentUpdatedAt changed from old.
func (s *Store) reposition(d *Dialog, oldCUA time.Time) {
	list := s.byParty[d.Party]
	probe := &Dialog{ID: d.ID, ContentUpdatedAt: oldCUA}
	if i, ok := slices.BinarySearchFunc(list, probe, cmpDefault); ok {
		list = slices.Delete(list, i, i+1)
	} else if i := slices.Index(list, d); i >= 0 {
		list = slices.Delete(list, i, i+1)
	}
	i, _ := slices.BinarySearchFunc(list, d, cmpDefault)
	s.byParty[d.Party] = slices.Insert(list, i, d)
}

// cmpDefault orders by contentUpdatedAt desc, id desc (the default search order).
func cmpDefault(a, b *Dialog) int {
	if c := b.ContentUpdatedAt.Compare(a.ContentUpdatedAt); c != 0 {
		return c
	}
	return compareUUID(b.ID, a.ID)
}

// compareUUID orders ids byte-wise (as PostgreSQL orders uuid).
func compareUUID(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) }

// mutate runs fn on the live dialog under the write lock, then bumps updatedAt and revision
// (and contentUpdatedAt when contentChanged is reported), and emits the returned changes.
func (s *Store) mutate(id uuid.UUID, fn func(d *Dialog, now time.Time) (contentChanged bool, changes []Change, err error)) error {
	s.mu.Lock()
	d, ok := s.dialogs[id]
	if !ok {
		s.mu.Unlock()
		return fmt.Errorf("%w: dialog %s", ErrNotFound, id)
	}
	now := norm(s.now())
	oldCUA := d.ContentUpdatedAt
	contentChanged, changes, err := fn(d, now)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	d.UpdatedAt = now
	d.Revision = s.ids.v4()
	if contentChanged {
		d.ContentUpdatedAt = now
		s.reposition(d, oldCUA)
	}
	s.indexLabels(d)
	s.mu.Unlock()
	s.emit(changes...)
	return nil
}

// UpdateDialog applies fn to the dialog as a service-owner update: updatedAt and revision are
// bumped; contentUpdatedAt too when fn changed content, status, extendedStatus, attachments,
// transmissions or actions (§7.2). New parts without ids get them. Deleted dialogs give ErrDeleted.
func (s *Store) UpdateDialog(id uuid.UUID, fn func(d *Dialog) error) error {
	return s.mutate(id, func(d *Dialog, now time.Time) (bool, []Change, error) {
		if d.DeletedAt != nil {
			return false, nil, ErrDeleted
		}
		before := contentOf(d) // d's slices stay as they are: fn works on a clone
		work := d.Clone()
		if err := fn(work); err != nil {
			return false, nil, err
		}
		work.ID, work.Party = d.ID, d.Party // identity and index key are fixed
		s.fillIDs(work, now)
		mapEmbedTypes(work)
		s.setSentFor(work, slices.DeleteFunc(slices.Clone(work.Transmissions), func(t Transmission) bool {
			return slices.ContainsFunc(d.Transmissions, func(o Transmission) bool { return o.ID == t.ID })
		}), now)
		*d = *work
		return !reflect.DeepEqual(before, contentOf(d)), []Change{changeOf(ChangeDialogUpdated, d, now)}, nil
	})
}

// contentPart is what counts as "content" for contentUpdatedAt.
type contentPart struct {
	Status         DialogStatus
	ExtendedStatus string
	Content        Content
	Attachments    []Attachment
	Transmissions  []Transmission
	GuiActions     []GuiAction
	ApiActions     []ApiAction
}

func contentOf(d *Dialog) contentPart {
	return contentPart{d.Status, d.ExtendedStatus, d.Content, d.Attachments, d.Transmissions, d.GuiActions, d.ApiActions}
}

// SetStatus sets status and extendedStatus (a content change).
func (s *Store) SetStatus(id uuid.UUID, status DialogStatus, extendedStatus string) error {
	return s.mutate(id, func(d *Dialog, now time.Time) (bool, []Change, error) {
		if d.DeletedAt != nil {
			return false, nil, ErrDeleted
		}
		d.Status, d.ExtendedStatus = status, extendedStatus
		return true, []Change{changeOf(ChangeDialogUpdated, d, now)}, nil
	})
}

// AddActivity appends an activity (id and createdAt filled in when zero) and returns it.
// Activities bump updatedAt but not contentUpdatedAt.
func (s *Store) AddActivity(id uuid.UUID, a Activity) (Activity, error) {
	err := s.mutate(id, func(d *Dialog, now time.Time) (bool, []Change, error) {
		if d.DeletedAt != nil {
			return false, nil, ErrDeleted
		}
		s.fillActivity(&a, now)
		d.Activities = append(d.Activities, a)
		c := changeOf(ChangeActivityCreated, d, now)
		c.ActivityID, c.ActivityType, c.ExtendedActivityType = a.ID, a.Type, a.ExtendedType
		return false, []Change{changeOf(ChangeDialogUpdated, d, now), c}, nil
	})
	return a, err
}

// AddTransmission appends a transmission (ids filled in) and returns it. A Submission or
// Correction sets the Sent system label (§7.3). It is a content change.
func (s *Store) AddTransmission(id uuid.UUID, t Transmission) (Transmission, error) {
	err := s.mutate(id, func(d *Dialog, now time.Time) (bool, []Change, error) {
		if d.DeletedAt != nil {
			return false, nil, ErrDeleted
		}
		s.fillTransmission(&t, now)
		if t.ContentReference != nil {
			cr := *t.ContentReference
			mapEmbedType(&cr)
			t.ContentReference = &cr
		}
		d.Transmissions = append(d.Transmissions, t)
		changes := []Change{changeOf(ChangeDialogUpdated, d, now)}
		s.setSentFor(d, []Transmission{t}, now)
		c := changeOf(ChangeTransmissionCreated, d, now)
		c.TransmissionID, c.TransmissionType, c.SenderType = t.ID, t.Type, t.Sender.Type
		return true, append(changes, c), nil
	})
	return t, err
}

// DeleteDialog soft-deletes the dialog (end users then get 410).
func (s *Store) DeleteDialog(id uuid.UUID) error {
	return s.mutate(id, func(d *Dialog, now time.Time) (bool, []Change, error) {
		if d.DeletedAt != nil {
			return false, nil, ErrDeleted
		}
		d.DeletedAt = &now
		return false, []Change{changeOf(ChangeDialogDeleted, d, now)}, nil
	})
}

// RestoreDialog undoes a soft delete.
func (s *Store) RestoreDialog(id uuid.UUID) error {
	return s.mutate(id, func(d *Dialog, now time.Time) (bool, []Change, error) {
		if d.DeletedAt == nil {
			return false, nil, fmt.Errorf("%w: dialog %s is not deleted", ErrInvalid, id)
		}
		d.DeletedAt = nil
		return false, []Change{changeOf(ChangeDialogRestored, d, now)}, nil
	})
}
