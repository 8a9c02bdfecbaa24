package views

import (
	"net/url"
	"strings"

	"github.com/innboks/innboks/views/i18n"
)

// PartyOption is one choice in the party chooser.
type PartyOption struct {
	Key      string // partyUuid, or "all-orgs" / "all-persons"
	Name     string
	Meta     string // "Org. no. 123456789", "Born 1980-01-02", "Sub-unit of X", already translated
	SubUnit  bool
	Deleted  bool
	Current  bool
	Disabled bool // a parent reachable only through its sub-units
	// Favourite: the person starred it. Starrable: the chooser shows its star (parties
	// only, when the favourites are at hand).
	Favourite, Starrable bool
}

// PartyChooserProps is the party chooser: the current choice and the search over all parties.
type PartyChooserProps struct {
	Lang        i18n.Lang
	Current     PartyOption
	Query       string
	ShowDeleted bool
	Results     []PartyOption // the first hits
	Total       int           // how many matched in all
	Groups      []PartyOption // "all organisations" / "all persons" when the user has two or more
	// Target is the page a choice leads to (the inbox); the chosen key is added as ?party=.
	Target string
	// CSRF is the token of the star forms.
	CSRF string
}

// star is o's star form.
func (p PartyChooserProps) star(o PartyOption) StarProps {
	return StarProps{Lang: p.Lang, CSRF: p.CSRF, Party: o.Key, Name: o.Name, On: o.Favourite}
}

// chooseURL is where choosing opt goes.
func (p PartyChooserProps) chooseURL(opt PartyOption) string {
	target := p.Target
	if target == "" {
		target = "/inbox"
	}
	return target + "?party=" + url.QueryEscape(opt.Key)
}

// FirstChoice is the party Enter in the search box chooses: the first option the results list
// for the text typed ("" when nothing is typed or nothing listed can be chosen).
func (p PartyChooserProps) FirstChoice() string {
	if strings.TrimSpace(p.Query) == "" {
		return ""
	}
	for _, o := range p.Results {
		if !o.Disabled {
			return o.Key
		}
	}
	return ""
}

// PageURL is the chooser page of this search (the form's plain submit).
func (p PartyChooserProps) PageURL() string {
	v := url.Values{"q": {p.Query}}
	if p.ShowDeleted {
		v.Set("deleted", "1")
	}
	return p.searchURL() + "?" + v.Encode()
}

// searchURL is the plain (no-JS) chooser search.
func (p PartyChooserProps) searchURL() string { return "/parties" }

func showDeletedValue(b bool) string {
	if b {
		return "1"
	}
	return ""
}
