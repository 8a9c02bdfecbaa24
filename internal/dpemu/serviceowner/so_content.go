package serviceowner

import (
	"fmt"
	"html"
	"net/http"
	"strings"

	"github.com/google/uuid"
	"github.com/innboks/innboks/internal/dpemu"
)

// pickLang chooses the content language: the lang query parameter, else the first supported
// language of Accept-Language (no → nb), else nb.
func pickLang(r *http.Request) string {
	if l := strings.ToLower(r.URL.Query().Get("lang")); isLang(l) {
		return l
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag, _, _ = strings.Cut(strings.ToLower(tag), "-")
		if tag == "no" {
			tag = "nb"
		}
		if isLang(tag) {
			return tag
		}
	}
	return "nb"
}

func isLang(l string) bool { return l == "nb" || l == "nn" || l == "en" }

// textIn returns t in lang, falling back to nb, en and then any language.
func textIn(t dpemu.Text, lang string) string {
	for _, l := range []string{lang, "nb", "en"} {
		if v := t.Get(l); v != "" {
			return v
		}
	}
	if len(t) > 0 {
		return t[0].Value
	}
	return ""
}

func valueIn(v *dpemu.ContentValue, lang string) string {
	if v == nil {
		return ""
	}
	return textIn(v.Value, lang)
}

// isHTML reports whether a content reference's media type asks for legacy HTML.
func isHTML(v *dpemu.ContentValue) bool {
	return v != nil && strings.Contains(strings.ToLower(v.MediaType), "html")
}

// dialogContent serves a dialog's front-channel embed (mainContentReference).
func (s *Side) dialogContent(w http.ResponseWriter, r *http.Request) {
	req, ok := s.authorizeDialog(w, r)
	if !ok {
		return
	}
	if !req.claims.Allows("read") {
		s.writeAuthError(w, r, forbidden("dialog token does not grant read"), 0)
		return
	}
	d, lang := req.dialog, pickLang(r)
	doc := page{
		lang:    lang,
		title:   textIn(d.Content.Title.Value, lang),
		summary: valueIn(d.Content.Summary, lang),
		org:     d.Org,
		ref:     d.ExternalReference,
		status:  string(d.Status),
		created: d.CreatedAt.Format("2006-01-02"),
		id:      d.ID,
		hostile: req.fault == FaultHostile,
	}
	writeEmbed(w, doc, isHTML(d.Content.MainContentReference))
}

// transmissionContent serves a transmission's front-channel embed (contentReference). The first
// fetch records a TransmissionOpened activity, as service owners do.
func (s *Side) transmissionContent(w http.ResponseWriter, r *http.Request) {
	req, ok := s.authorizeDialog(w, r)
	if !ok {
		return
	}
	d := req.dialog
	tid, err := uuid.Parse(r.PathValue("transmissionId"))
	var t *dpemu.Transmission
	for i := range d.Transmissions {
		if err == nil && d.Transmissions[i].ID == tid && d.Transmissions[i].DeletedAt == nil {
			t = &d.Transmissions[i]
		}
	}
	if t == nil {
		writeProblem(w, http.StatusNotFound, "No such transmission.")
		return
	}
	if !req.claims.AllowsAttr("read", t.AuthorizationAttribute) && !req.claims.AllowsAttr("transmissionread", t.AuthorizationAttribute) {
		s.writeAuthError(w, r, forbidden("dialog token does not grant reading this transmission"), 0)
		return
	}
	lang := pickLang(r)
	doc := page{
		lang:    lang,
		title:   textIn(t.Title.Value, lang),
		summary: valueIn(t.Summary, lang),
		org:     d.Org,
		ref:     t.ExternalReference,
		status:  string(t.Type),
		created: t.CreatedAt.Format("2006-01-02"),
		id:      t.ID,
		hostile: req.fault == FaultHostile,
	}
	if !t.Type.FromParty() {
		if err := s.transmissionOpened(d.ID, t.ID, s.actor(req.claims.Actor)); err != nil {
			s.log.WarnContext(r.Context(), "serviceowner: record transmission opened", "err", err)
		}
	}
	writeEmbed(w, doc, isHTML(t.ContentReference))
}

// transmissionOpened records a TransmissionOpened activity unless one exists.
func (s *Side) transmissionOpened(dialogID, tid uuid.UUID, by dpemu.Actor) error {
	opened := false // the common case, decided under the read lock without copying the dialog
	s.store.View(dialogID, func(d *dpemu.Dialog) { opened = d.IsTransmissionOpened(tid) })
	if opened {
		return nil
	}
	s.once.Lock()
	defer s.once.Unlock()
	d, ok := s.store.Dialog(dialogID)
	if !ok || d.IsTransmissionOpened(tid) {
		return nil
	}
	_, err := s.store.AddActivity(dialogID, dpemu.Activity{Type: dpemu.ActivityTransmissionOpened, TransmissionID: &tid, PerformedBy: by})
	return err
}

// page is what a generated embed shows.
type page struct {
	lang, title, summary, org, ref, status, created string
	id                                              uuid.UUID
	hostile                                         bool
}

func writeEmbed(w http.ResponseWriter, p page, asHTML bool) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Vary", "Accept-Language")
	w.Header().Set("Content-Language", p.lang)
	if asHTML {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(embedHTML(p)))
		return
	}
	w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
	_, _ = w.Write([]byte(embedMarkdown(p)))
}

// words are the fixed phrases of generated content per language.
var words = map[string]map[string]string{
	"nb": {"details": "Detaljer", "field": "Felt", "value": "Verdi", "ref": "Referanse", "status": "Status",
		"created": "Opprettet", "next": "Hva skjer videre?", "s1": "Les gjennom meldingen.", "s2": "Last ned vedleggene om det finnes noen.",
		"s3": "Svar innen fristen dersom det blir bedt om det.", "more": "Les mer om tjenesten", "contact": "Kontakt oss"},
	"nn": {"details": "Detaljar", "field": "Felt", "value": "Verdi", "ref": "Referanse", "status": "Status",
		"created": "Oppretta", "next": "Kva skjer vidare?", "s1": "Les gjennom meldinga.", "s2": "Last ned vedlegga om det finst nokon.",
		"s3": "Svar innan fristen dersom det vert bede om det.", "more": "Les meir om tenesta", "contact": "Kontakt oss"},
	"en": {"details": "Details", "field": "Field", "value": "Value", "ref": "Reference", "status": "Status",
		"created": "Created", "next": "What happens next?", "s1": "Read the message.", "s2": "Download the attachments, if any.",
		"s3": "Reply by the deadline if you are asked to.", "more": "Read more about the service", "contact": "Contact us"},
}

// embedMarkdown renders p as the CommonMark + GFM document a front-channel embed returns.
func embedMarkdown(p page) string {
	wd := words[p.lang]
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", mdEscape(p.title))
	if p.summary != "" {
		fmt.Fprintf(&b, "%s\n\n", mdEscape(p.summary))
	}
	fmt.Fprintf(&b, "## %s\n\n| %s | %s |\n|---|---|\n", wd["details"], wd["field"], wd["value"])
	if p.ref != "" {
		fmt.Fprintf(&b, "| %s | %s |\n", wd["ref"], mdEscape(p.ref))
	}
	fmt.Fprintf(&b, "| %s | %s |\n| %s | %s |\n\n", wd["status"], p.status, wd["created"], p.created)
	fmt.Fprintf(&b, "## %s\n\n1. %s\n2. %s\n3. %s\n\n", wd["next"], wd["s1"], wd["s2"], wd["s3"])
	fmt.Fprintf(&b, "- [%s](https://info.altinn.no/)\n- **%s**: *%s*\n", wd["more"], wd["contact"], strings.ToUpper(p.org))
	if p.hostile {
		b.WriteString("\n" + hostileMarkdown)
	}
	return b.String()
}

// embedHTML renders p as the legacy HTML document a front-channel embed returns.
func embedHTML(p page) string {
	wd := words[p.lang]
	e := html.EscapeString
	var b strings.Builder
	fmt.Fprintf(&b, "<h1>%s</h1>\n", e(p.title))
	if p.summary != "" {
		fmt.Fprintf(&b, "<p>%s</p>\n", e(p.summary))
	}
	fmt.Fprintf(&b, "<h2>%s</h2>\n<table><thead><tr><th>%s</th><th>%s</th></tr></thead><tbody>\n", wd["details"], wd["field"], wd["value"])
	if p.ref != "" {
		fmt.Fprintf(&b, "<tr><td>%s</td><td>%s</td></tr>\n", wd["ref"], e(p.ref))
	}
	fmt.Fprintf(&b, "<tr><td>%s</td><td>%s</td></tr>\n<tr><td>%s</td><td>%s</td></tr>\n</tbody></table>\n",
		wd["status"], p.status, wd["created"], p.created)
	fmt.Fprintf(&b, "<h2>%s</h2>\n<ol><li>%s</li><li>%s</li><li>%s</li></ol>\n", wd["next"], wd["s1"], wd["s2"], wd["s3"])
	fmt.Fprintf(&b, "<ul><li><a href=\"https://info.altinn.no/\">%s</a></li><li><strong>%s</strong>: <em>%s</em></li></ul>\n",
		wd["more"], wd["contact"], strings.ToUpper(e(p.org)))
	if p.hostile {
		b.WriteString(hostileHTML)
	}
	return b.String()
}

// mdEscape keeps model text from being read as markup (the generated structure is ours).
func mdEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", `\<`, "|", `\|`, "#", `\#`, "`", "\\`")
	return r.Replace(s)
}
