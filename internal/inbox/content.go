package inbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strconv"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/outbound"
	"github.com/innboks/innboks/internal/richtext"
)

// EmbedRefusal is why a front-channel embed is not loaded (nil when it may be): the user may
// not see it (ErrNotAuthorized: unauthorized, or a placeholder URL), it is no embed Innboks shows
// (ErrNotOffered), or the outbound fence would not fetch its URL. The dialog page decides with
// it whether to offer the content; Content asks it again of the fresh dialog before fetching.
func (s *Dialogs) EmbedRefusal(ref *dpclient.ContentValue, authorized bool, lang string) error {
	switch {
	case ref == nil || len(ref.Value) == 0:
		return ErrNotFound
	case !authorized || dpclient.IsPlaceholderURL(ref.Best(lang)):
		return ErrNotAuthorized
	case !dpclient.IsFrontChannelEmbed(ref.MediaType):
		return ErrNotOffered
	}
	return s.Permits("GET", ref.Best(lang))
}

// Content fetches a front-channel embed of d with the dialog token in the user's language (first
// in Accept-Language, with Prefer: timezone="Europe/Oslo", as Altinn sends it) and
// renders it through the one allow-list, headings starting below level headingOffset (0–3),
// bounded in size and nesting (richtext.Result says when it had to simplify). The
// rendered result is cached by the body's hash (and heading level and kind), so a reload of an
// unchanged embed renders nothing again, and one user's content is never another's.
func (s *Dialogs) Content(ctx context.Context, u *User, d *dpclient.Dialog, ref *dpclient.ContentValue, authorized bool, headingOffset int) (richtext.Result, error) {
	if err := s.EmbedRefusal(ref, authorized, u.Lang); err != nil {
		return richtext.Result{}, err
	}
	target := ref.Best(u.Lang)
	var resp *outbound.Response
	err := s.withToken(ctx, u, d, target, func(token string, guard func(*url.URL) error) (err error) {
		resp, err = s.out.Call(ctx, outbound.Request{URL: target, Token: token, Guard: guard,
			AcceptLanguage: acceptLanguage(u.Lang), Prefer: embedTimeZone, Accept: outbound.EmbedAccept})
		return err
	})
	if err != nil {
		return richtext.Result{}, err
	}
	headingOffset = min(max(headingOffset, 0), len(s.rt)-1)
	kind := dpclient.EmbedContentType(ref.MediaType)
	// Keyed by what is rendered (the body's hash), never by URL or ETag alone: a service owner
	// may answer one URL with each user's own content under one ETag.
	sum := sha256.Sum256(resp.Body)
	key := strconv.Itoa(headingOffset) + "|" + kind + "|" + hex.EncodeToString(sum[:])
	// The render stops when the request is gone (ctx), and at most a few run at once.
	return s.rendered.Get(ctx, key, func(ctx context.Context) (richtext.Result, error) {
		return s.rt[headingOffset].RenderContext(ctx, richtext.Embed, kind, string(resp.Body))
	})
}
