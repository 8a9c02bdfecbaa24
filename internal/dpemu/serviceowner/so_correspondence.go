package serviceowner

import (
	"archive/zip"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/innboks/innboks/internal/dpemu"
)

// Correspondence error codes (AUTH-AND-NEIGHBOURS.md §C).
const (
	corrNoAccess         = 4001
	corrNotFound         = 1001
	corrAttNotFound      = 2001
	corrMustConfirmFirst = 1026
)

// CorrespondenceLabelPrefix is the service-owner label that links a dialog to its
// correspondence: urn:altinn:correspondence-id:{correspondenceId}.
const CorrespondenceLabelPrefix = "urn:altinn:correspondence-id:"

// corrReq is an authorised request against one correspondence.
type corrReq struct {
	id     uuid.UUID
	dialog *dpemu.Dialog
	by     dpemu.Actor
}

// authorizeCorr accepts a dialog token bound to this correspondence (see dialogTokenFits), or an
// Altinn platform token with altinn:correspondence.read whose person may read the dialog's party
// and resource. Refusals are written as Correspondence problems.
func (s *Side) authorizeCorr(w http.ResponseWriter, r *http.Request) (*corrReq, bool) {
	raw := bearer(r)
	if raw == "" {
		s.writeAuthError(w, r, unauthorized("no bearer token", nil), corrNoAccess)
		return nil, false
	}
	id, err := uuid.Parse(r.PathValue("correspondenceId"))
	if err != nil {
		writeCodedProblem(w, http.StatusNotFound, corrNotFound, "The requested correspondence was not found")
		return nil, false
	}
	// Check the credential before revealing whether the correspondence exists.
	dc, dErr := s.dialogTok.verify(r.Context(), raw)
	var pc *platformClaims
	if dErr != nil {
		var pErr error
		if pc, pErr = s.verifyPlatform(r, raw); pErr != nil {
			s.writeAuthError(w, r, dErr, corrNoAccess)
			return nil, false
		}
		if !strings.Contains(" "+pc.Scope+" ", " altinn:correspondence.read ") {
			s.writeAuthError(w, r, forbidden("token lacks altinn:correspondence.read"), corrNoAccess)
			return nil, false
		}
	}
	d, ok := s.store.DialogByLabel(CorrespondenceLabelPrefix + id.String())
	if !ok || d.DeletedAt != nil {
		writeCodedProblem(w, http.StatusNotFound, corrNotFound, "The requested correspondence was not found")
		return nil, false
	}
	req := &corrReq{id: id, dialog: d}
	if dc != nil {
		if err := dialogTokenFits(dc, d); err != nil {
			s.writeAuthError(w, r, err, corrNoAccess)
			return nil, false
		}
		req.by = s.actor(dc.Actor)
	} else {
		u, ok := s.store.User(pc.PID)
		if !ok || !userMayRead(u, d) {
			s.writeAuthError(w, r, forbidden("no access to this correspondence"), corrNoAccess)
			return nil, false
		}
		req.by = s.actor(u.URN())
	}
	if s.faults.apply(w, r, s.faults.For(d)) {
		return nil, false
	}
	return req, true
}

// dialogTokenFits binds a dialog token to one correspondence, the way Correspondence treats a
// dialog token for every recipient endpoint (read, content, attachments, markasread, confirm,
// purge; AUTH-AND-NEIGHBOURS.md §C, §E): the token's dialog (`i`) must be the dialog that carries
// this correspondence's id label, its party (`p`) the recipient, its resource (`s`) the
// correspondence's resource, and its `a` must hold plain "read". Write is not asked for, not
// even for confirm and purge: the real service asks only for read. A plain "read" means the
// main resource: "read,urn:altinn:subresource:x" does not count (Correspondence splits `a` on
// ";" and looks for "read" exactly). The real service does not compare `i`; it asks Altinn
// Authorization about `c` instead. Binding to the dialog is stricter on purpose: no part of
// Innboks may come to rely on one dialog's token opening another dialog's correspondence.
func dialogTokenFits(c *DialogClaims, d *dpemu.Dialog) *authError {
	switch {
	case !strings.EqualFold(c.DialogID, d.ID.String()):
		return forbidden("dialog token is for another dialog")
	case !strings.EqualFold(c.Party, d.Party):
		return forbidden("dialog token is for another party")
	case !strings.EqualFold(c.ServiceResource, d.ServiceResource):
		return forbidden("dialog token is for another resource")
	case !grantsPlain(c.Actions, "read"):
		return forbidden("dialog token does not grant read")
	}
	return nil
}

// grantsPlain reports whether the `a` claim actions lists action on the main resource, without
// an authorization attribute.
func grantsPlain(actions, action string) bool {
	for _, a := range strings.Split(actions, ";") {
		if a == action {
			return true
		}
	}
	return false
}

func userMayRead(u *dpemu.User, d *dpemu.Dialog) bool {
	return mayRead(u.Access, d.Party, d.ServiceResource)
}

// corrState derives a correspondence's state from its dialog's activities.
func corrState(d *dpemu.Dialog) (opened, confirmed *time.Time, needsConfirm bool) {
	for i := range d.Activities {
		a := &d.Activities[i]
		switch a.Type {
		case dpemu.ActivityCorrespondenceOpened:
			if opened == nil {
				opened = &a.CreatedAt
			}
		case dpemu.ActivityCorrespondenceConfirmed:
			if confirmed == nil {
				confirmed = &a.CreatedAt
			}
		}
	}
	return opened, confirmed, confirmed != nil || hasConfirmAction(d)
}

func isConfirmURL(u string) bool {
	p, _, _ := strings.Cut(u, "?")
	return strings.HasSuffix(strings.ToLower(p), "/confirm")
}

func hasConfirmAction(d *dpemu.Dialog) bool {
	for _, a := range d.GuiActions {
		if isConfirmURL(a.URL) {
			return true
		}
	}
	for _, a := range d.ApiActions {
		for _, e := range a.Endpoints {
			if isConfirmURL(e.URL) {
				return true
			}
		}
	}
	return false
}

// corrOverview serves GET …/correspondence/{id}: metadata and content.
func (s *Side) corrOverview(w http.ResponseWriter, r *http.Request) {
	req, ok := s.authorizeCorr(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, s.overview(req, pickLang(r)))
}

// corrContent serves GET …/content: the message body as Markdown. The first fetch marks the
// correspondence read (a CorrespondenceOpened activity on the dialog).
func (s *Side) corrContent(w http.ResponseWriter, r *http.Request) {
	req, ok := s.authorizeCorr(w, r)
	if !ok {
		return
	}
	if err := s.markRead(req); err != nil {
		s.log.ErrorContext(r.Context(), "serviceowner: mark read", "err", err)
		writeProblem(w, http.StatusInternalServerError, "Could not mark the correspondence as read.")
		return
	}
	d, lang := req.dialog, pickLang(r)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = io.WriteString(w, embedMarkdown(page{
		lang: lang, title: textIn(d.Content.Title.Value, lang), summary: valueIn(d.Content.Summary, lang),
		org: d.Org, ref: d.ExternalReference, status: string(d.Status), created: d.CreatedAt.Format("2006-01-02"),
		id: d.ID, hostile: s.faults.For(d) == FaultHostile,
	}))
}

// markRead records CorrespondenceOpened unless the dialog already has it.
func (s *Side) markRead(req *corrReq) error {
	// Nearly every read is of an opened correspondence: decided under the store's read lock,
	// without a copy of the dialog or the lock every first-time activity shares.
	opened := false
	s.store.View(req.dialog.ID, func(d *dpemu.Dialog) {
		o, _, _ := corrState(d)
		opened = o != nil
	})
	if opened {
		return nil
	}
	s.once.Lock()
	defer s.once.Unlock()
	return s.markReadLocked(req)
}

func (s *Side) markReadLocked(req *corrReq) error {
	d, ok := s.store.Dialog(req.dialog.ID)
	if !ok {
		return fmt.Errorf("serviceowner: dialog %s vanished", req.dialog.ID)
	}
	if opened, _, _ := corrState(d); opened != nil {
		return nil
	}
	_, err := s.store.AddActivity(d.ID, dpemu.Activity{Type: dpemu.ActivityCorrespondenceOpened, PerformedBy: req.by})
	return err
}

// corrMarkRead serves POST …/markasread.
func (s *Side) corrMarkRead(w http.ResponseWriter, r *http.Request) {
	req, ok := s.authorizeCorr(w, r)
	if !ok {
		return
	}
	if err := s.markRead(req); err != nil {
		s.log.ErrorContext(r.Context(), "serviceowner: mark read", "err", err)
		writeProblem(w, http.StatusInternalServerError, "Could not mark the correspondence as read.")
		return
	}
	writeJSON(w, http.StatusOK, req.id)
}

// corrConfirm serves POST …/confirm: it records CorrespondenceConfirmed (and Opened, if the
// message was never read), removes the confirm GUI and API actions and completes the dialog.
// Confirming twice is harmless; confirming a message that needs no confirmation is 400.
func (s *Side) corrConfirm(w http.ResponseWriter, r *http.Request) {
	req, ok := s.authorizeCorr(w, r)
	if !ok {
		return
	}
	if _, _, needs := corrState(req.dialog); !needs {
		writeProblem(w, http.StatusBadRequest, "The correspondence does not require confirmation.")
		return
	}
	if err := s.confirm(req); err != nil {
		s.log.ErrorContext(r.Context(), "serviceowner: confirm", "err", err)
		writeProblem(w, http.StatusInternalServerError, "Could not confirm the correspondence.")
		return
	}
	writeJSON(w, http.StatusOK, req.id)
}

// confirm records the confirmation once (a second confirm changes nothing).
func (s *Side) confirm(req *corrReq) error {
	s.once.Lock()
	defer s.once.Unlock()
	if d, ok := s.store.Dialog(req.dialog.ID); ok {
		if _, confirmed, _ := corrState(d); confirmed != nil {
			return nil
		}
	}
	if err := s.markReadLocked(req); err != nil {
		return err
	}
	if _, err := s.store.AddActivity(req.dialog.ID, dpemu.Activity{Type: dpemu.ActivityCorrespondenceConfirmed, PerformedBy: req.by}); err != nil {
		return err
	}
	return s.store.UpdateDialog(req.dialog.ID, func(d *dpemu.Dialog) error {
		d.GuiActions = slices.DeleteFunc(d.GuiActions, func(a dpemu.GuiAction) bool { return isConfirmURL(a.URL) })
		d.ApiActions = slices.DeleteFunc(d.ApiActions, func(a dpemu.ApiAction) bool {
			return slices.ContainsFunc(a.Endpoints, func(e dpemu.ApiActionEndpoint) bool { return isConfirmURL(e.URL) })
		})
		d.Status = dpemu.StatusCompleted
		return nil
	})
}

// corrPurge serves DELETE …/purge: the recipient deletes the correspondence, which deletes the
// dialog. A correspondence that still awaits confirmation cannot be purged (1026).
func (s *Side) corrPurge(w http.ResponseWriter, r *http.Request) {
	req, ok := s.authorizeCorr(w, r)
	if !ok {
		return
	}
	if _, confirmed, needs := corrState(req.dialog); needs && confirmed == nil {
		writeCodedProblem(w, http.StatusBadRequest, corrMustConfirmFirst, "Cannot delete a correspondence that requires confirmation before it is confirmed")
		return
	}
	if err := s.store.DeleteDialog(req.dialog.ID); err != nil {
		s.log.ErrorContext(r.Context(), "serviceowner: purge", "err", err)
		writeProblem(w, http.StatusInternalServerError, "Could not delete the correspondence.")
		return
	}
	writeJSON(w, http.StatusOK, req.id)
}

// corrAttachment serves GET …/attachment/{attachmentId}/download.
func (s *Side) corrAttachment(w http.ResponseWriter, r *http.Request) {
	req, ok := s.authorizeCorr(w, r)
	if !ok {
		return
	}
	id, err := uuid.Parse(r.PathValue("attachmentId"))
	att, _, found := findAttachment(req.dialog, id)
	if err != nil || !found {
		writeCodedProblem(w, http.StatusNotFound, corrAttNotFound, "The requested attachment was not found")
		return
	}
	s.serveAttachment(w, r, att)
}

// corrDownloadAll serves GET …/attachments/downloadall: a zip of every attachment, written as
// it is generated (stored, not compressed: the bytes are random), in constant memory.
func (s *Side) corrDownloadAll(w http.ResponseWriter, r *http.Request) {
	req, ok := s.authorizeCorr(w, r)
	if !ok {
		return
	}
	atts := req.dialog.Attachments
	if len(atts) < 2 {
		writeCodedProblem(w, http.StatusNotFound, corrAttNotFound, "Download of all attachments needs at least two attachments")
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="attachments.zip"`)
	w.Header().Set("Cache-Control", "private, no-store")
	zw := zip.NewWriter(w)
	for i := range atts {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("%d-%s", i+1, zipSafe.Replace(AttachmentFileName(&atts[i]))), Method: zip.Store})
		if err != nil {
			return
		}
		if _, err := io.Copy(f, NewBlob(atts[i].ContentSeed, atts[i].Size)); err != nil {
			return // the client went away
		}
	}
	_ = zw.Close()
}

// zipSafe keeps entry names flat (no directories, no traversal).
var zipSafe = strings.NewReplacer("/", "_", "\\", "_", "..", "_")

// corrOverviewBody is CorrespondenceOverviewExt, the fields a recipient portal reads.
type corrOverviewBody struct {
	CorrespondenceID     uuid.UUID       `json:"correspondenceId"`
	ResourceID           string          `json:"resourceId"`
	Sender               string          `json:"sender"`
	SendersReference     string          `json:"sendersReference"`
	MessageSender        string          `json:"messageSender,omitempty"`
	Recipient            string          `json:"recipient"`
	Content              corrContentBody `json:"content"`
	Created              time.Time       `json:"created"`
	Published            time.Time       `json:"published"`
	Status               string          `json:"status"`
	StatusText           string          `json:"statusText"`
	StatusChanged        time.Time       `json:"statusChanged"`
	IsConfirmationNeeded bool            `json:"isConfirmationNeeded"`
	DueDateTime          *time.Time      `json:"dueDateTime,omitempty"`
	Notifications        []any           `json:"notifications"`
}

type corrContentBody struct {
	Language       string           `json:"language"`
	MessageTitle   string           `json:"messageTitle"`
	MessageSummary string           `json:"messageSummary"`
	MessageBody    string           `json:"messageBody"`
	Attachments    []corrAttachBody `json:"attachments"`
}

type corrAttachBody struct {
	ID               uuid.UUID `json:"id"`
	FileName         string    `json:"fileName"`
	DisplayName      string    `json:"displayName"`
	DataType         string    `json:"dataType"`
	DataLocationType string    `json:"dataLocationType"`
	Status           string    `json:"status"`
	Size             int64     `json:"size"`
}

func (s *Side) overview(req *corrReq, lang string) corrOverviewBody {
	d := req.dialog
	opened, confirmed, needs := corrState(d)
	status, changed := "Published", d.CreatedAt
	if opened != nil {
		status, changed = "Read", *opened
	}
	if confirmed != nil {
		status, changed = "Confirmed", *confirmed
	}
	sender := d.Org
	if so, ok := s.store.ServiceOwner(d.Org); ok && so.OrgNumber != "" {
		sender = "0192:" + so.OrgNumber
	}
	body := corrOverviewBody{
		CorrespondenceID: req.id,
		ResourceID:       strings.TrimPrefix(d.ServiceResource, "urn:altinn:resource:"),
		Sender:           sender,
		SendersReference: d.ExternalReference,
		MessageSender:    valueIn(d.Content.SenderName, lang),
		Recipient:        d.Party,
		Content: corrContentBody{
			Language:       lang,
			MessageTitle:   textIn(d.Content.Title.Value, lang),
			MessageSummary: valueIn(d.Content.Summary, lang),
			MessageBody: embedMarkdown(page{lang: lang, title: textIn(d.Content.Title.Value, lang),
				summary: valueIn(d.Content.Summary, lang), org: d.Org, ref: d.ExternalReference,
				status: string(d.Status), created: d.CreatedAt.Format("2006-01-02"), id: d.ID}),
			Attachments: []corrAttachBody{},
		},
		Created:              d.CreatedAt,
		Published:            d.CreatedAt,
		Status:               status,
		StatusText:           status,
		StatusChanged:        changed,
		IsConfirmationNeeded: needs,
		DueDateTime:          d.DueAt,
		Notifications:        []any{},
	}
	for i := range d.Attachments {
		a := &d.Attachments[i]
		body.Content.Attachments = append(body.Content.Attachments, corrAttachBody{
			ID: a.ID, FileName: AttachmentFileName(a), DisplayName: textIn(a.DisplayName, lang),
			DataType: AttachmentMediaType(a), DataLocationType: "AltinnCorrespondenceAttachment",
			Status: "Published", Size: a.Size,
		})
	}
	return body
}
