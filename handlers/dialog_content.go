package handlers

import (
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/views"
)

// Content handles GET /dialogs/:id/content: the main content (front-channel embed), fetched
// server-side with the dialog token in the user's language, sanitised. htmx gets the fragment
// for the slot (status 200 even when the service owner failed, so the message with its retry
// is swapped in); without JavaScript it is a page of its own.
func (h *Dialog) Content(c echo.Context) error {
	u, d, err := load(c, &h.base, h.dialogs)
	if err != nil {
		return err
	}
	ref := d.Content.MainContentReference
	if ref == nil || len(ref.Value) == 0 {
		return errNoDialog("dialog has no main content")
	}
	p := views.ContentProps{Lang: u.lang, TestID: "dialog-content", Target: "dialog-content",
		Retry: "/dialogs/" + d.ID + "/content"}
	h.fetchInto(c, u, d, &p, ref, ref.IsAuthorized == nil || *ref.IsAuthorized, headingOffset(c, 2))
	return h.renderContent(c, u, d, p)
}

// TransmissionContent handles GET /dialogs/:id/transmissions/:tid/content: one transmission's
// content, loaded when the transmission is opened.
func (h *Dialog) TransmissionContent(c echo.Context) error {
	tid := c.Param("tid")
	if !inbox.ValidID(tid) {
		return errNoDialog("malformed transmission id")
	}
	u, d, err := load(c, &h.base, h.dialogs)
	if err != nil {
		return err
	}
	for _, t := range d.Transmissions {
		if t.ID != tid {
			continue
		}
		ref := t.Content.ContentReference
		if ref == nil || len(ref.Value) == 0 {
			return errNoDialog("transmission has no content reference")
		}
		p := views.ContentProps{Lang: u.lang, TestID: "transmission-content", Target: "tx-content-" + t.ID,
			Retry: "/dialogs/" + d.ID + "/transmissions/" + t.ID + "/content"}
		h.fetchInto(c, u, d, &p, ref, t.IsAuthorized, headingOffset(c, 3))
		return h.renderContent(c, u, d, p)
	}
	return errNoDialog("no such transmission")
}

// headingOffset is how far the content's headings go down: embedded (htmx) by the given
// offset, under the dialog page's own headings (the main content under its h2 "Content" from h3,
// a transmission's under its thread from h4); on the content's own page (without JavaScript)
// by one, right under that page's h1, so the outline skips no level (WCAG 1.3.1).
func headingOffset(c echo.Context, embedded int) int {
	if web.IsHTMX(c.Request()) {
		return embedded
	}
	return 1
}

// fetchInto has the service fetch and render an embed into p, or puts the reason it could not
// into p.Problem (keeping p.Retry only where trying again can help).
func (h *Dialog) fetchInto(c echo.Context, u *user, d *dpclient.Dialog, p *views.ContentProps, ref *dpclient.ContentValue, authorized bool, headingOffset int) {
	res, err := h.dialogs.Content(c.Request().Context(), u.in, d, ref, authorized, headingOffset)
	if err == nil {
		p.HTML, p.Limited = res.HTML, res.Limited()
		return
	}
	retry, key := web.ContentProblem(err)
	if retry || key == "dialog.contentRefused" {
		h.logContentProblem(c, err)
	}
	p.Problem = p.Lang.T(key)
	if !retry {
		p.Retry = ""
	}
}

// logContentProblem logs a failed fetch once (the outbound errors name the host only, never
// the token or the path, which may carry identifiers).
func (h *Dialog) logContentProblem(c echo.Context, err error) {
	r := c.Request()
	h.logger.LogAttrs(r.Context(), slog.LevelWarn, "service-owner content failed",
		slog.String("request_id", web.PageFrom(r.Context()).RequestID), slog.String("error", err.Error()))
}

// renderContent writes the fragment (htmx) or the content's own page.
func (h *Dialog) renderContent(c echo.Context, u *user, d *dpclient.Dialog, p views.ContentProps) error {
	if web.IsHTMX(c.Request()) {
		return render(c, http.StatusOK, views.Content(p))
	}
	// The page itself works whatever the service owner did: it shows the content or says why
	// not (with a retry where it helps), just like the fragment; the cause is in the log.
	title := d.Content.Title.Best(string(u.lang))
	return render(c, http.StatusOK, views.ContentPage(h.chrome(c, u, title), title, dialogURL(d.ID, ""), p))
}
