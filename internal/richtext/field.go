package richtext

// Field is where service-owner text appears on the page. Each field allows the media types the
// Dialogporten specification allows there; RenderContext shows content of any other media
// type as plain text, so a service owner cannot put HTML into a summary by labelling it so.
type Field uint8

const (
	// Summary is a dialog's or a transmission's summary: text/plain only.
	Summary Field = iota
	// AdditionalInfo is a dialog's additional information: text/plain or text/markdown.
	AdditionalInfo
	// Embed is a front-channel embed (a dialog's main content, a transmission's content),
	// fetched from the service owner: text/plain, text/markdown or text/html.
	Embed
)

// MediaType returns the media type content of the given media type is rendered as in f: its
// base type (lower case, without parameters) when f allows it, else MediaTypePlain.
func (f Field) MediaType(mediaType string) string {
	switch mt := baseType(mediaType); {
	case mt == MediaTypeMarkdown && (f == AdditionalInfo || f == Embed):
		return mt
	case mt == MediaTypeHTML && f == Embed:
		return mt
	}
	return MediaTypePlain
}

// String names the field, for logs and test names.
func (f Field) String() string {
	switch f {
	case Summary:
		return "summary"
	case AdditionalInfo:
		return "additional info"
	case Embed:
		return "embed"
	}
	return "unknown field"
}
