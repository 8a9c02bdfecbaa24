package handlers

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/outbound"
	"github.com/innboks/innboks/views"
	"github.com/innboks/innboks/views/i18n"
)

// Content handles GET /dialogs/:id/content: the main content (front-channel embed), fetched
// server-side with the dialog token in the user's language, sanitised. htmx gets the fragment
// for the slot (status 200 even when the service owner failed, so the message with its retry
// is swapped in); without JavaScript it is a page of its own.
func (h *Dialog) Content(c echo.Context) error {
	u, d, err := h.load(c)
	if err != nil {
		return err
	}
	ref := d.Content.MainContentReference
	p := views.ContentProps{Lang: u.lang, TestID: "dialog-content", Target: "dialog-content",
		Retry: "/dialogs/" + d.ID + "/content"}
	if ref == nil || len(ref.Value) == 0 {
		return errNoDialog("dialog has no main content")
	}
	authorized := ref.IsAuthorized == nil || *ref.IsAuthorized
	h.fetchInto(c, u, d, &p, ref, authorized, 2)
	return h.renderContent(c, u, d, p)
}

// TransmissionContent handles GET /dialogs/:id/transmissions/:tid/content: one transmission's
// content, loaded when the transmission is opened.
func (h *Dialog) TransmissionContent(c echo.Context) error {
	tid := c.Param("tid")
	if !validID(tid) {
		return errNoDialog("malformed transmission id")
	}
	u, d, err := h.load(c)
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
		h.fetchInto(c, u, d, &p, ref, t.IsAuthorized, 3)
		return h.renderContent(c, u, d, p)
	}
	return errNoDialog("no such transmission")
}

// fetchInto fetches a front-channel embed and renders it into p, or puts the reason it could
// not into p.Problem (keeping p.Retry only where trying again can help).
func (h *Dialog) fetchInto(c echo.Context, u *user, d *dpclient.Dialog, p *views.ContentProps, ref *dpclient.ContentValue, authorized bool, headingOffset int) {
	if why := embedRefusal(u.lang, ref, authorized); why != "" {
		p.Problem, p.Retry = why, ""
		return
	}
	lang := string(u.lang)
	target := ref.Best(lang)
	kind := dpclient.EmbedContentType(ref.MediaType)
	ctx := c.Request().Context()
	var resp *outbound.Response
	err := h.withToken(ctx, u, d, target, func(token string) (err error) {
		resp, err = h.out.Fetch(ctx, target, token, lang)
		return err
	})
	if err != nil {
		retry, key := contentProblem(err)
		h.logContentProblem(c, target, err)
		p.Problem = p.Lang.T(key)
		if !retry {
			p.Retry = ""
		}
		return
	}
	p.HTML = h.rt[headingOffset].Render(kind, string(resp.Body))
}

// embedRefusal is why a front-channel embed is not loaded, translated ("" when it may be): the
// user may not see it (unauthorized, or a placeholder URL), or it is no embed Innboks shows. The
// dialog page decides with it whether to offer the content; the content routes ask it again of
// the fresh dialog before fetching.
func embedRefusal(lang i18n.Lang, ref *dpclient.ContentValue, authorized bool) string {
	switch {
	case !authorized || dpclient.IsPlaceholderURL(ref.Best(string(lang))):
		return lang.T("dialog.contentNoAccess")
	case !dpclient.IsFrontChannelEmbed(ref.MediaType):
		return lang.T("dialog.notOffered")
	}
	return ""
}

// contentProblem maps an outbound error to the message to show and whether a retry may help
// (the service owner was down or slow, not refusing).
func contentProblem(err error) (retry bool, key string) {
	var se *outbound.StatusError
	switch {
	case errors.Is(err, outbound.ErrTooLarge):
		return false, "dialog.contentTooLarge"
	case errors.Is(err, outbound.ErrURLRefused), errors.Is(err, outbound.ErrAddressRefused), errors.Is(err, outbound.ErrRedirectRefused):
		return false, "dialog.contentRefused"
	case errors.As(err, &se) && se.StatusCode < 500 && se.StatusCode != http.StatusTooManyRequests:
		return false, "dialog.contentRefused"
	}
	return true, "dialog.contentDown"
}

// logContentProblem logs a failed fetch once, naming the host only (never the token or the
// path, which may carry identifiers).
func (h *Dialog) logContentProblem(c echo.Context, target string, err error) {
	host := ""
	if u, perr := url.Parse(target); perr == nil {
		host = u.Hostname()
	}
	r := c.Request()
	h.logger.LogAttrs(r.Context(), slog.LevelWarn, "service-owner content failed",
		slog.String("request_id", pageFrom(r.Context()).RequestID), slog.String("host", host),
		slog.String("error", err.Error()))
}

// renderContent writes the fragment (htmx) or the content's own page.
func (h *Dialog) renderContent(c echo.Context, u *user, d *dpclient.Dialog, p views.ContentProps) error {
	if isHTMX(c.Request()) {
		return render(c, http.StatusOK, views.Content(p))
	}
	// The page itself works whatever the service owner did: it shows the content or says why
	// not (with a retry where it helps), just like the fragment; the cause is in the log.
	title := d.Content.Title.Best(string(u.lang))
	return render(c, http.StatusOK, views.ContentPage(h.chrome(c, u, title), title, dialogURL(d.ID, ""), p))
}
