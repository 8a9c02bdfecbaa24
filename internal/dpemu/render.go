package dpemu

import (
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// view renders dialogs for one caller: language pruning, masking, authorisation decoration.
type view struct {
	e     *Emulator
	c     *caller
	prefs *langPrefs
	now   time.Time
}

// levelTooLow reports whether the caller's auth level is below the resource's minimum. The
// caller holds the store's read lock.
func (e *Emulator) levelTooLow(d *Dialog, c *caller) bool {
	r, ok := e.store.resources.byKey[d.ServiceResource]
	return ok && c.AuthLevel < r.MinimumAuthenticationLevel
}

func (v view) seenLogs(d *Dialog, since time.Time) []wSeenLog {
	latest := map[string]SeenLogEntry{}
	var order []string
	for _, s := range d.SeenLog {
		if s.SeenAt.Before(since) {
			continue
		}
		old, ok := latest[s.SeenBy.ID]
		if !ok {
			order = append(order, s.SeenBy.ID)
		}
		if !ok || s.SeenAt.After(old.SeenAt) {
			latest[s.SeenBy.ID] = s
		}
	}
	out := make([]wSeenLog, 0, len(order))
	for _, id := range order {
		out = append(out, v.seenLog(latest[id]))
	}
	return out
}

func (v view) seenLog(s SeenLogEntry) wSeenLog {
	return wSeenLog{ID: s.ID.String(), SeenAt: ts(s.SeenAt), SeenBy: v.e.mask.actor(s.SeenBy),
		IsViaServiceOwner: s.IsViaServiceOwner, IsCurrentEndUser: s.SeenBy.ID == v.c.URN}
}

func groupLabel(ctx *EndUserContext) SystemLabel {
	for _, l := range []SystemLabel{LabelBin, LabelArchive} {
		if ctx.Has(l) {
			return l
		}
	}
	return LabelDefault
}

func (v view) common(d *Dialog) wDialogCommon {
	fromSO, fromParty := 0, 0
	for _, t := range d.Transmissions {
		if t.Type.FromParty() {
			fromParty++
		} else {
			fromSO++
		}
	}
	labels := slices.Clone(d.EndUserContext.SystemLabels)
	if labels == nil {
		labels = []SystemLabel{}
	}
	return wDialogCommon{
		ID: d.ID.String(), Org: d.Org, ServiceResource: d.ServiceResource, ServiceResourceType: d.ServiceResourceType,
		Party: d.Party, Progress: d.Progress, Process: d.Process, PrecedingProcess: d.PrecedingProcess,
		ExtendedStatus: d.ExtendedStatus, ExternalReference: d.ExternalReference,
		CreatedAt: ts(d.CreatedAt), UpdatedAt: ts(d.UpdatedAt), ContentUpdatedAt: ts(d.ContentUpdatedAt), DueAt: tsPtr(d.DueAt),
		Status: d.Status, HasUnopenedContent: d.HasUnopenedContent(), SystemLabel: groupLabel(&d.EndUserContext),
		IsApiOnly: d.IsApiOnly, FromServiceOwnerTransmissionsCount: fromSO, FromPartyTransmissionsCount: fromParty,
		SeenSinceLastUpdate: v.seenLogs(d, d.UpdatedAt), SeenSinceLastContentUpdate: v.seenLogs(d, d.ContentUpdatedAt),
		IsContentSeen:  d.IsContentSeen(),
		EndUserContext: wEndUserContext{Revision: d.EndUserContext.Revision.String(), SystemLabels: labels},
	}
}

// searchItem renders a search hit; the non-sensitive title/summary replace the real ones when
// the caller's auth level is too low (§7.11).
func (e *Emulator) searchItem(d *Dialog, c *caller, prefs *langPrefs) wSearchDialog {
	v := view{e: e, c: c, prefs: prefs}
	item := wSearchDialog{wDialogCommon: v.common(d)}
	gui := 0
	for _, a := range d.Attachments {
		if slices.ContainsFunc(a.URLs, func(u AttachmentURL) bool { return u.ConsumerType == ConsumerGui }) {
			gui++
		}
	}
	item.GuiAttachmentCount = &gui
	if len(d.Activities) > 0 {
		latest := d.Activities[0]
		for _, a := range d.Activities[1:] {
			if byCreated(a.CreatedAt, a.ID, latest.CreatedAt, latest.ID) > 0 {
				latest = a
			}
		}
		act := v.activity(latest, true)
		item.LatestActivity = &act
	}
	if len(d.Content.Title.Value) > 0 {
		title, summary := &d.Content.Title, d.Content.Summary
		if e.levelTooLow(d, c) {
			if d.Content.NonSensitiveTitle != nil {
				title = d.Content.NonSensitiveTitle
			}
			if d.Content.NonSensitiveSummary != nil {
				summary = d.Content.NonSensitiveSummary
			}
		}
		item.Content = &wSearchContent{Title: *prefs.content(title), Summary: prefs.content(summary),
			SenderName: prefs.content(d.Content.SenderName), ExtendedStatus: prefs.content(d.Content.ExtendedStatus)}
	}
	return item
}

func (v view) activity(a Activity, withActor bool) wActivity {
	w := wActivity{ID: a.ID.String(), CreatedAt: tsPtr(&a.CreatedAt), ExtendedType: a.ExtendedType, Type: a.Type,
		Description: pruneOptional(v.prefs, a.Description)}
	if a.TransmissionID != nil {
		w.TransmissionID = a.TransmissionID.String()
	}
	if withActor {
		actor := v.e.mask.actor(a.PerformedBy)
		w.PerformedBy = &actor
	}
	return w
}

// byCreated orders activities and transmissions: createdAt, then id.
func byCreated(aAt time.Time, aID uuid.UUID, bAt time.Time, bID uuid.UUID) int {
	if c := aAt.Compare(bAt); c != 0 {
		return c
	}
	return compareUUID(aID, bID)
}

func sortedActivities(d *Dialog) []Activity {
	acts := slices.Clone(d.Activities)
	slices.SortStableFunc(acts, func(a, b Activity) int { return byCreated(a.CreatedAt, a.ID, b.CreatedAt, b.ID) })
	return acts
}

func sortedTransmissions(d *Dialog) []Transmission {
	ts := slices.Clone(d.Transmissions)
	slices.SortStableFunc(ts, func(a, b Transmission) int { return byCreated(a.CreatedAt, a.ID, b.CreatedAt, b.ID) })
	return ts
}

// attachment renders an attachment; urls become placeholders when unauthorized or expired.
func (v view) attachment(a Attachment, authorized bool) wAttachment {
	w := wAttachment{ID: a.ID.String(), DisplayName: v.prefs.prune(a.DisplayName), Name: a.Name,
		URLs: make([]wAttachmentURL, 0, len(a.URLs)), ExpiresAt: tsPtr(a.ExpiresAt)}
	expired := a.ExpiresAt != nil && !a.ExpiresAt.After(v.now)
	for _, u := range a.URLs {
		url := u.URL
		switch {
		case !authorized:
			url = URNUnauthorized
		case expired:
			url = URNExpired
		}
		w.URLs = append(w.URLs, wAttachmentURL{ID: u.ID.String(), URL: url, MediaType: u.MediaType, ConsumerType: u.ConsumerType})
	}
	return w
}

// transmissionAuthorized is §7.6: read or transmissionread on the authorizationAttribute (or
// on the main resource).
func (v view) transmissionAuthorized(d *Dialog, t Transmission) bool {
	res := d.ServiceResource
	if t.AuthorizationAttribute != "" {
		res = t.AuthorizationAttribute
	}
	return v.c.can(d.Party, res, "read") || v.c.can(d.Party, res, "transmissionread")
}

// transmission renders a transmission for details (withOpened) or the transmission endpoints.
func (v view) transmission(d *Dialog, t Transmission, withOpened bool) wTransmission {
	auth := v.transmissionAuthorized(d, t)
	w := wTransmission{ID: t.ID.String(), CreatedAt: ts(t.CreatedAt), AuthorizationAttribute: t.AuthorizationAttribute,
		IsAuthorized: auth, ExtendedType: t.ExtendedType, ExternalReference: t.ExternalReference, Type: t.Type,
		Sender: v.e.mask.actor(t.Sender),
		Content: wTransmissionContent{Title: *v.prefs.content(&t.Title), Summary: v.prefs.content(t.Summary),
			ContentReference: v.prefs.content(t.ContentReference)},
		Attachments: make([]wAttachment, 0, len(t.Attachments)), NavigationalActions: make([]wNavAction, 0, len(t.NavigationalActions))}
	if t.RelatedTransmissionID != nil {
		w.RelatedTransmissionID = t.RelatedTransmissionID.String()
	}
	if withOpened {
		opened := d.IsTransmissionOpened(t.ID)
		w.IsOpened = &opened
	} else {
		w.DeletedAt = tsPtr(t.DeletedAt)
	}
	if !auth && w.Content.ContentReference != nil {
		w.Content.ContentReference.Value = placeholders(w.Content.ContentReference.Value)
	}
	for _, a := range t.Attachments {
		w.Attachments = append(w.Attachments, v.attachment(a, auth))
	}
	for _, n := range t.NavigationalActions {
		url := n.URL
		switch {
		case !auth:
			url = URNUnauthorized
		case n.ExpiresAt != nil && !n.ExpiresAt.After(v.now):
			url = URNExpired
		}
		w.NavigationalActions = append(w.NavigationalActions, wNavAction{Title: v.prefs.prune(n.Title), URL: url, ExpiresAt: tsPtr(n.ExpiresAt)})
	}
	return w
}

func placeholders(ls []wLocalization) []wLocalization {
	out := make([]wLocalization, len(ls))
	for i, l := range ls {
		out[i] = wLocalization{Value: URNUnauthorized, LanguageCode: l.LanguageCode}
	}
	return out
}

// actionAuthorized is §7.6 for GUI/API actions.
func (v view) actionAuthorized(d *Dialog, action, attribute string) bool {
	res := d.ServiceResource
	if attribute != "" {
		res = attribute
	}
	return v.c.can(d.Party, res, action)
}

// details renders GET /enduser/dialogs/{id}.
func (v view) details(d *Dialog, token string) wDetailsDialog {
	p := v.prefs
	mainAuth := v.c.can(d.Party, d.ServiceResource, "read")
	out := wDetailsDialog{wDialogCommon: v.common(d), Revision: d.Revision.String(), ExpiresAt: tsPtr(d.ExpiresAt), DialogToken: token,
		Attachments: []wAttachment{}, Transmissions: []wTransmission{}, GuiActions: []wGuiAction{}, ApiActions: []wApiAction{}, Activities: []wActivity{}}
	title := p.content(&d.Content.Title)
	if title == nil || d.Content.Title.MediaType == "" {
		title = &wContentValue{Value: []wLocalization{}, MediaType: MediaTextPlain}
	}
	out.Content = wDetailsContent{
		wSearchContent: wSearchContent{Title: *title, Summary: p.content(d.Content.Summary),
			SenderName: p.content(d.Content.SenderName), ExtendedStatus: p.content(d.Content.ExtendedStatus)},
		AdditionalInfo:       p.content(d.Content.AdditionalInfo),
		MainContentReference: p.content(d.Content.MainContentReference),
	}
	if m := out.Content.MainContentReference; m != nil {
		m.IsAuthorized = &mainAuth
		if !mainAuth {
			m.Value = placeholders(m.Value)
		}
	}
	for _, a := range d.Attachments {
		out.Attachments = append(out.Attachments, v.attachment(a, mainAuth))
	}
	for _, t := range sortedTransmissions(d) {
		out.Transmissions = append(out.Transmissions, v.transmission(d, t, true))
	}
	for _, g := range d.GuiActions {
		auth := v.actionAuthorized(d, g.Action, g.AuthorizationAttribute)
		url := g.URL
		if !auth {
			url = URNUnauthorized
		}
		out.GuiActions = append(out.GuiActions, wGuiAction{ID: g.ID.String(), Action: g.Action, URL: url,
			AuthorizationAttribute: g.AuthorizationAttribute, IsAuthorized: auth, IsDeleteDialogAction: g.IsDeleteDialogAction,
			Priority: g.Priority, HTTPMethod: g.HTTPMethod, Title: p.prune(g.Title), Prompt: pruneOptional(p, g.Prompt)})
	}
	for _, a := range d.ApiActions {
		auth := v.actionAuthorized(d, a.Action, a.AuthorizationAttribute)
		wa := wApiAction{ID: a.ID.String(), Action: a.Action, AuthorizationAttribute: a.AuthorizationAttribute,
			IsAuthorized: auth, Name: a.Name, Endpoints: make([]wApiEndpoint, 0, len(a.Endpoints))}
		for _, ep := range a.Endpoints {
			url := ep.URL
			if !auth {
				url = URNUnauthorized
			}
			wa.Endpoints = append(wa.Endpoints, wApiEndpoint{ID: ep.ID.String(), Version: ep.Version, URL: url,
				HTTPMethod: ep.HTTPMethod, DocumentationURL: ep.DocumentationURL, RequestSchema: ep.RequestSchema,
				ResponseSchema: ep.ResponseSchema, Deprecated: ep.Deprecated, SunsetAt: tsPtr(ep.SunsetAt)})
		}
		out.ApiActions = append(out.ApiActions, wa)
	}
	for _, a := range sortedActivities(d) {
		out.Activities = append(out.Activities, v.activity(a, true))
	}
	return out
}

func pruneOptional(p *langPrefs, t Text) []wLocalization {
	if len(t) == 0 {
		return nil
	}
	return p.prune(t)
}

// authorizedActions builds the dialog token's `a` claim (§8): every action the caller holds
// among those the dialog mentions, "action" on the main resource or "action,attribute".
func (v view) authorizedActions(d *Dialog) string {
	var out []string
	add := func(action, attr string) {
		res := d.ServiceResource
		entry := action
		if attr != "" {
			res, entry = attr, action+","+attr
		}
		if v.c.can(d.Party, res, action) && !slices.Contains(out, entry) {
			out = append(out, entry)
		}
	}
	add("read", "")
	for _, g := range d.GuiActions {
		add(g.Action, g.AuthorizationAttribute)
	}
	for _, a := range d.ApiActions {
		add(a.Action, a.AuthorizationAttribute)
	}
	for _, t := range d.Transmissions {
		if t.AuthorizationAttribute != "" {
			add("transmissionread", t.AuthorizationAttribute)
			add("read", t.AuthorizationAttribute)
		}
	}
	return strings.Join(out, ";")
}
