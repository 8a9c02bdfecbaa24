package serviceowner

import (
	"fmt"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/innboks/innboks/internal/dpemu"
)

// findAttachment returns the attachment id of dialog d, on the dialog or on one of its
// (not deleted) transmissions, together with the transmission's authorization attribute.
func findAttachment(d *dpemu.Dialog, id uuid.UUID) (att *dpemu.Attachment, attr string, ok bool) {
	for i := range d.Attachments {
		if d.Attachments[i].ID == id {
			return &d.Attachments[i], "", true
		}
	}
	for i := range d.Transmissions {
		t := &d.Transmissions[i]
		if t.DeletedAt != nil {
			continue
		}
		for j := range t.Attachments {
			if t.Attachments[j].ID == id {
				return &t.Attachments[j], t.AuthorizationAttribute, true
			}
		}
	}
	return nil, "", false
}

// attachment serves GET /serviceowner/{org}/attachments/{attachmentId}: the attachment's
// deterministic bytes, streamed, for a dialog token whose dialog owns the attachment.
func (s *Side) attachment(w http.ResponseWriter, r *http.Request) {
	claims, err := s.dialogTok.verify(r.Context(), bearer(r))
	if err != nil {
		s.writeAuthError(w, r, err, 0)
		return
	}
	dialogID, err := uuid.Parse(claims.DialogID)
	if err != nil {
		s.writeAuthError(w, r, unauthorized("dialog token has a bad i claim", err), 0)
		return
	}
	attID, err := uuid.Parse(r.PathValue("attachmentId"))
	if err != nil {
		writeProblem(w, http.StatusNotFound, "No such attachment.")
		return
	}
	d, ok := s.store.Dialog(dialogID)
	if !ok || !strings.EqualFold(d.Party, claims.Party) {
		s.writeAuthError(w, r, forbidden("dialog token does not match a dialog"), 0)
		return
	}
	if d.DeletedAt != nil {
		writeProblem(w, http.StatusGone, "The dialog has been deleted.")
		return
	}
	att, attr, ok := findAttachment(d, attID)
	if !ok || !strings.EqualFold(d.Org, r.PathValue("org")) {
		// Another dialog's attachment (or none at all): the token does not cover it.
		s.writeAuthError(w, r, forbidden("attachment does not belong to the token's dialog"), 0)
		return
	}
	if !claims.AllowsAttr("read", attr) && !claims.AllowsAttr("transmissionread", attr) {
		s.writeAuthError(w, r, forbidden("dialog token does not grant read"), 0)
		return
	}
	if s.faults.apply(w, r, s.faults.For(d)) {
		return
	}
	s.serveAttachment(w, r, att)
}

// serveAttachment streams att's bytes with Content-Type, Content-Length and
// Content-Disposition; Range requests are honoured. Expired attachments answer 410.
func (s *Side) serveAttachment(w http.ResponseWriter, r *http.Request, att *dpemu.Attachment) {
	if att.ExpiresAt != nil && !att.ExpiresAt.After(s.now()) {
		writeProblem(w, http.StatusGone, "The attachment has expired.")
		return
	}
	name := AttachmentFileName(att)
	w.Header().Set("Content-Type", AttachmentMediaType(att))
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("ETag", fmt.Sprintf(`"%x-%x"`, att.ContentSeed, att.Size))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", time.Time{}, NewBlob(att.ContentSeed, att.Size))
}

// AttachmentFileName returns the file name the emulator sends for att: its Name, else its
// Norwegian or English display name, else its id.
func AttachmentFileName(att *dpemu.Attachment) string {
	if att.Name != "" {
		return path.Base(att.Name)
	}
	if n := textIn(att.DisplayName, "nb"); n != "" {
		return n
	}
	return att.ID.String()
}

// AttachmentMediaType returns the Content-Type the emulator sends for att: the media type of
// its first URL, else one derived from the file name's extension, else application/octet-stream.
func AttachmentMediaType(att *dpemu.Attachment) string {
	for _, u := range att.URLs {
		if u.MediaType != "" {
			return u.MediaType
		}
	}
	if t := mime.TypeByExtension(path.Ext(AttachmentFileName(att))); t != "" {
		return t
	}
	return "application/octet-stream"
}
