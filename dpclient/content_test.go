package dpclient

import (
	"net/http"
	"testing"
	"time"
)

func TestLocalizationsBest(t *testing.T) {
	t.Parallel()
	all := Localizations{{"Engelsk", "en"}, {"Nynorsk", "nn"}, {"Bokmål", "nb"}, {"Sámegiella", "se"}}
	tests := []struct {
		name  string
		l     Localizations
		langs []string
		want  string
	}{
		{"first requested present", all, []string{"nn", "nb"}, "Nynorsk"},
		{"skips missing", all, []string{"de", "se"}, "Sámegiella"},
		{"region ignored", all, []string{"en-GB"}, "Engelsk"},
		{"case ignored", Localizations{{"Bokmål", "NB"}}, []string{"nb"}, "Bokmål"},
		{"underscore region", all, []string{"nn_NO"}, "Nynorsk"},
		{"fallback nb", all, []string{"de"}, "Bokmål"},
		{"fallback nb without langs", all, nil, "Bokmål"},
		{"fallback en", Localizations{{"Svensk", "sv"}, {"English", "en"}}, []string{"de"}, "English"},
		{"fallback first", Localizations{{"Svensk", "sv"}, {"Dansk", "da"}}, []string{"de"}, "Svensk"},
		{"empty request skipped", all, []string{"", " "}, "Bokmål"},
		{"empty list", nil, []string{"nb"}, ""},
	}
	for _, tt := range tests {
		if got := tt.l.Best(tt.langs...); got != tt.want {
			t.Errorf("%s: Best(%q) = %q, want %q", tt.name, tt.langs, got, tt.want)
		}
	}
	var nilValue *ContentValue
	if got := nilValue.Best("nb"); got != "" {
		t.Errorf("nil ContentValue.Best = %q, want empty", got)
	}
}

func TestEmbedContentType(t *testing.T) {
	t.Parallel()
	tests := []struct {
		mediaType, want string
	}{
		{MediaTypeEmbedMarkdown, MediaTypeMarkdown},
		{MediaTypeEmbedHTML, MediaTypeHTML},
		{MediaTypeEmbedMarkdownDeprecated, MediaTypeMarkdown},
		{MediaTypeEmbedHTMLDeprecated, MediaTypeHTML},
		{"application/vnd.dialogporten.frontchannelembed-url; type=text/markdown", MediaTypeMarkdown},
		{"APPLICATION/VND.DIALOGPORTEN.FRONTCHANNELEMBED-URL;TYPE=TEXT/HTML", MediaTypeHTML},
		{MediaTypeMarkdown, ""},
		{MediaTypePlain, ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := EmbedContentType(tt.mediaType); got != tt.want {
			t.Errorf("EmbedContentType(%q) = %q, want %q", tt.mediaType, got, tt.want)
		}
		if got, want := IsFrontChannelEmbed(tt.mediaType), tt.want != ""; got != want {
			t.Errorf("IsFrontChannelEmbed(%q) = %t, want %t", tt.mediaType, got, want)
		}
	}
}

func TestSmallHelpers(t *testing.T) {
	t.Parallel()
	for u, want := range map[string]bool{URLUnauthorized: true, URLExpired: true, "https://x.example/a": false, "": false} {
		if got := IsPlaceholderURL(u); got != want {
			t.Errorf("IsPlaceholderURL(%q) = %t, want %t", u, got, want)
		}
	}
	for typ, want := range map[TransmissionType]bool{
		TransmissionTypeSubmission: true, TransmissionTypeCorrection: true,
		TransmissionTypeInformation: false, TransmissionTypeDecision: false, TransmissionTypeAlert: false,
	} {
		if got := typ.FromParty(); got != want {
			t.Errorf("%s.FromParty() = %t, want %t", typ, got, want)
		}
	}
	ctx := EndUserContext{SystemLabels: []SystemLabel{SystemLabelArchive, SystemLabelSent}}
	if !ctx.Has(SystemLabelSent) || ctx.Has(SystemLabelBin) {
		t.Errorf("Has: got Sent=%t Bin=%t, want true false", ctx.Has(SystemLabelSent), ctx.Has(SystemLabelBin))
	}
}

func TestNewDefaults(t *testing.T) {
	t.Parallel()
	c, err := New("https://platform.tt02.altinn.no/dialogporten/")
	if err != nil {
		t.Fatal(err)
	}
	if c.httpClient == http.DefaultClient {
		t.Error("client uses http.DefaultClient")
	}
	if got, want := c.httpClient.Timeout, 30*time.Second; got != want {
		t.Errorf("timeout = %v, want %v", got, want)
	}
	if got, want := c.BaseURL(), "https://platform.tt02.altinn.no/dialogporten"; got != want {
		t.Errorf("BaseURL() = %q, want %q", got, want)
	}
	if got, want := c.userAgent, defaultUserAgent; got != want {
		t.Errorf("user agent = %q, want %q", got, want)
	}
	if got, want := c.maxBody, int64(32<<20); got != want {
		t.Errorf("maxBody = %d, want %d", got, want)
	}
}
