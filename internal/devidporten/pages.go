package devidporten

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
)

//go:embed templates/*.html
var templateFS embed.FS

// pages holds the double's HTML templates.
type pages struct {
	picker, message, logout *template.Template
}

func newPages() (*pages, error) {
	parse := func(name string) (*template.Template, error) {
		t, err := template.ParseFS(templateFS, "templates/"+name)
		if err != nil {
			return nil, fmt.Errorf("devidporten: template %s: %w", name, err)
		}
		return t, nil
	}
	var pg pages
	var err error
	if pg.picker, err = parse("picker.html"); err != nil {
		return nil, err
	}
	if pg.message, err = parse("message.html"); err != nil {
		return nil, err
	}
	if pg.logout, err = parse("logout.html"); err != nil {
		return nil, err
	}
	return &pg, nil
}

// texts are the UI strings of one language.
type texts struct {
	Banner, Title, Heading, LoggingInTo, UserLegend, LevelLegend, Login, Cancel string
	Substantial, High, ChooseUser, ChooseLevel                                  string
	LoggedOutTitle, LoggedOutText, Continue, FrameTitle                         string
	ErrorTitle, UnknownRequest, BadLogout                                       string
}

var textsNB = texts{
	Banner:         "Lokal test-ID-porten – ingen ekte innlogging",
	Title:          "Velg testbruker – ID-porten (lokal)",
	Heading:        "Velg testbruker",
	LoggingInTo:    "Du logger inn på",
	UserLegend:     "Testbruker",
	LevelLegend:    "Sikkerhetsnivå",
	Login:          "Logg inn",
	Cancel:         "Avbryt",
	Substantial:    "Betydelig (idporten-loa-substantial)",
	High:           "Høyt (idporten-loa-high)",
	ChooseUser:     "Velg en testbruker.",
	ChooseLevel:    "Velg et sikkerhetsnivå som er minst så høyt som tjenesten krever.",
	LoggedOutTitle: "Du er logget ut",
	LoggedOutText:  "Du er logget ut av ID-porten og tjenestene du brukte.",
	Continue:       "Gå videre",
	FrameTitle:     "Utlogging fra",
	ErrorTitle:     "Noe gikk galt",
	UnknownRequest: "Innloggingsforespørselen finnes ikke eller er utløpt. Start innloggingen på nytt fra tjenesten.",
	BadLogout:      "Utloggingsforespørselen er ugyldig.",
}

var textsNN = texts{
	Banner:         "Lokal test-ID-porten – inga ekte innlogging",
	Title:          "Vel testbrukar – ID-porten (lokal)",
	Heading:        "Vel testbrukar",
	LoggingInTo:    "Du loggar inn på",
	UserLegend:     "Testbrukar",
	LevelLegend:    "Tryggleiksnivå",
	Login:          "Logg inn",
	Cancel:         "Avbryt",
	Substantial:    "Betydeleg (idporten-loa-substantial)",
	High:           "Høgt (idporten-loa-high)",
	ChooseUser:     "Vel ein testbrukar.",
	ChooseLevel:    "Vel eit tryggleiksnivå som er minst så høgt som tenesta krev.",
	LoggedOutTitle: "Du er logga ut",
	LoggedOutText:  "Du er logga ut av ID-porten og tenestene du brukte.",
	Continue:       "Gå vidare",
	FrameTitle:     "Utlogging frå",
	ErrorTitle:     "Noko gjekk gale",
	UnknownRequest: "Innloggingsførespurnaden finst ikkje eller har gått ut. Start innlogginga på nytt frå tenesta.",
	BadLogout:      "Utloggingsførespurnaden er ugyldig.",
}

var textsEN = texts{
	Banner:         "Local test ID-porten – not a real login",
	Title:          "Choose a test user – ID-porten (local)",
	Heading:        "Choose a test user",
	LoggingInTo:    "You are logging in to",
	UserLegend:     "Test user",
	LevelLegend:    "Level of assurance",
	Login:          "Log in",
	Cancel:         "Cancel",
	Substantial:    "Substantial (idporten-loa-substantial)",
	High:           "High (idporten-loa-high)",
	ChooseUser:     "Choose a test user.",
	ChooseLevel:    "Choose a level at least as high as the service requires.",
	LoggedOutTitle: "You are logged out",
	LoggedOutText:  "You are logged out of ID-porten and the services you used.",
	Continue:       "Continue",
	FrameTitle:     "Logging out of",
	ErrorTitle:     "Something went wrong",
	UnknownRequest: "The login request does not exist or has expired. Start the login again from the service.",
	BadLogout:      "The logout request is invalid.",
}

// textsFor returns the strings and the lang attribute for a locale (nb, nn, en; se falls back
// to nb, as the double has no Northern Sami texts).
func textsFor(locale string) (texts, string) {
	switch locale {
	case "nn":
		return textsNN, "nn"
	case "en":
		return textsEN, "en"
	}
	return textsNB, "nb"
}

type pickerUser struct {
	Index                  int
	Name, PID, Description string
	Checked                bool
}

type pickerLevel struct {
	ID, Value, Label string
	Checked          bool
}

type pickerData struct {
	Lang, CSS, Action, RequestID, Client, Error string
	T                                           texts
	Users                                       []pickerUser
	Levels                                      []pickerLevel
}

type frame struct{ URL, Title string }

type logoutData struct {
	Lang, CSS, Redirect, Refresh string
	T                            texts
	Frames                       []frame
}

type messageData struct {
	Lang, CSS, Banner, Title, Text string
}

// render executes t into a buffer first, so a failed render is a clean 500, and sets the
// security headers: a CSP without inline script or style, no framing, no caching.
func (p *Provider) render(w http.ResponseWriter, status int, t *template.Template, data any, csp string) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		p.log.Error("devidporten: render page", "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// csp builds a Content-Security-Policy for the double's pages; extra directives are appended.
func csp(extra ...string) string {
	return strings.Join(append([]string{"default-src 'none'", "style-src 'self'", "base-uri 'none'", "frame-ancestors 'none'"}, extra...), "; ")
}

// origin returns scheme://host of a URL, or "" when it has none.
func origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// messagePage renders a plain message (errors, logged out) in the locale.
func (p *Provider) messagePage(w http.ResponseWriter, status int, locale, title, text string) {
	t, lang := textsFor(locale)
	p.render(w, status, p.pages.message, messageData{Lang: lang, CSS: p.endpoint("/assets/devidporten.css"), Banner: t.Banner, Title: title, Text: text}, csp())
}
