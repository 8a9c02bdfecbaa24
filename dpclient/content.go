package dpclient

import "strings"

// Media types of content values.
const (
	// MediaTypePlain is plain text (title, summary, senderName, extendedStatus).
	MediaTypePlain = "text/plain"
	// MediaTypeMarkdown is CommonMark (additionalInfo).
	MediaTypeMarkdown = "text/markdown"
	// MediaTypeHTML is legacy HTML (additionalInfo of legacy-HTML service owners).
	MediaTypeHTML = "text/html"
	// MediaTypeEmbedMarkdown marks a front-channel embed URL whose answer is Markdown.
	MediaTypeEmbedMarkdown = "application/vnd.dialogporten.frontchannelembed-url;type=text/markdown"
	// MediaTypeEmbedHTML marks a front-channel embed URL whose answer is legacy HTML.
	MediaTypeEmbedHTML = "application/vnd.dialogporten.frontchannelembed-url;type=text/html"
	// MediaTypeEmbedMarkdownDeprecated is the deprecated input alias of MediaTypeEmbedMarkdown.
	MediaTypeEmbedMarkdownDeprecated = "application/vnd.dialogporten.frontchannelembed+json;type=markdown"
	// MediaTypeEmbedHTMLDeprecated is the deprecated input alias of MediaTypeEmbedHTML.
	MediaTypeEmbedHTMLDeprecated = "application/vnd.dialogporten.frontchannelembed+json;type=html"
)

// URL placeholders Dialogporten puts in place of a link the caller may not follow.
const (
	// URLUnauthorized replaces URLs of actions, attachments and embeds the caller is not
	// authorized for.
	URLUnauthorized = "urn:dialogporten:unauthorized"
	// URLExpired replaces URLs of attachments and navigational actions past their expiresAt.
	URLExpired = "urn:dialogporten:expired"
)

// IsPlaceholderURL reports whether u is one of Dialogporten's URL placeholders rather than a
// link that can be followed.
func IsPlaceholderURL(u string) bool {
	return u == URLUnauthorized || u == URLExpired
}

// IsFrontChannelEmbed reports whether mediaType marks a front-channel embed URL (current or
// deprecated spelling).
func IsFrontChannelEmbed(mediaType string) bool {
	return EmbedContentType(mediaType) != ""
}

// EmbedContentType returns the content type a front-channel embed URL answers with
// ("text/markdown" or "text/html"), or "" when mediaType is not a front-channel embed.
func EmbedContentType(mediaType string) string {
	switch strings.ToLower(strings.ReplaceAll(mediaType, " ", "")) {
	case MediaTypeEmbedMarkdown, MediaTypeEmbedMarkdownDeprecated:
		return MediaTypeMarkdown
	case MediaTypeEmbedHTML, MediaTypeEmbedHTMLDeprecated:
		return MediaTypeHTML
	}
	return ""
}

// Localization is one language's version of a text (or, for embeds, of a URL).
type Localization struct {
	Value        string `json:"value"`
	LanguageCode string `json:"languageCode"`
}

// Localizations is a text in several languages.
type Localizations []Localization

// Best returns the value in the first of langs that is present (compared case-insensitively
// and by primary subtag, so "nb-NO" matches "nb"), else Norwegian Bokmål, else English, else
// the first value. It returns "" for an empty list.
func (l Localizations) Best(langs ...string) string {
	if len(l) == 0 {
		return ""
	}
	for _, want := range append(langs, "nb", "en") {
		want = primaryLanguage(want)
		if want == "" {
			continue
		}
		for _, loc := range l {
			if primaryLanguage(loc.LanguageCode) == want {
				return loc.Value
			}
		}
	}
	return l[0].Value
}

// primaryLanguage lower-cases a language tag and drops its region ("en-US" -> "en").
func primaryLanguage(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return tag
}

// ContentValue is a localized content field and the media type its values are in.
type ContentValue struct {
	Value     Localizations `json:"value"`
	MediaType string        `json:"mediaType"`
	// IsAuthorized is set only on a dialog's mainContentReference; when false every value
	// is URLUnauthorized.
	IsAuthorized *bool `json:"isAuthorized,omitempty"`
}

// Best returns the value in the best language (see Localizations.Best); "" for a nil value.
func (v *ContentValue) Best(langs ...string) string {
	if v == nil {
		return ""
	}
	return v.Value.Best(langs...)
}

// SearchContent is the content of a dialog in search results.
type SearchContent struct {
	Title          ContentValue  `json:"title"`
	Summary        *ContentValue `json:"summary,omitempty"`
	SenderName     *ContentValue `json:"senderName,omitempty"`
	ExtendedStatus *ContentValue `json:"extendedStatus,omitempty"`
}

// DialogContent is the content of a dialog in its details.
type DialogContent struct {
	Title          ContentValue  `json:"title"`
	Summary        *ContentValue `json:"summary,omitempty"`
	SenderName     *ContentValue `json:"senderName,omitempty"`
	AdditionalInfo *ContentValue `json:"additionalInfo,omitempty"`
	ExtendedStatus *ContentValue `json:"extendedStatus,omitempty"`
	// MainContentReference is a front-channel embed URL per language, fetched with the
	// dialog token.
	MainContentReference *ContentValue `json:"mainContentReference,omitempty"`
}

// TransmissionContent is the content of a transmission.
type TransmissionContent struct {
	Title   ContentValue  `json:"title"`
	Summary *ContentValue `json:"summary,omitempty"`
	// ContentReference is a front-channel embed URL per language.
	ContentReference *ContentValue `json:"contentReference,omitempty"`
}
