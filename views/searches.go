package views

import "github.com/innboks/innboks/views/i18n"

// SavedSearchesProps is the saved searches page.
type SavedSearchesProps struct {
	Lang i18n.Lang
	CSRF string
	Rows []SavedSearchRow
	// Notice says what was just done ("Saved", "Deleted"); Error why a change was refused. Only
	// one is set.
	Notice, Error string
	// Retry is a save that was refused, to try again under another name; nil when none.
	Retry *SaveSearchProps
	// Max is the most saved searches a person may have.
	Max int
}

// SavedSearchRow is one saved search in the list.
type SavedSearchRow struct {
	ID, Name string
	// Summary says what it searches: scope, folder, text and filters, in the user's words.
	Summary string
	// Opened is when it was last opened, or that it never was.
	Opened string
	// CountURL is its count of new and changed dialogs: loaded by htmx, a link without it.
	CountURL string
	// NameInvalid marks the rename field of the row a refused rename was for; Rename is what
	// that field holds: the name, or after a refusal the name typed, so nothing typed is lost.
	NameInvalid bool
	Rename      string
}

// SaveSearchProps is the form that saves the inbox's current search.
type SaveSearchProps struct {
	Lang i18n.Lang
	CSRF string
	// Search is the inbox's query string to save.
	Search string
	// Name is the name typed (after a refusal); Invalid marks it.
	Name    string
	Invalid bool
}

// NewCountProps is a saved search's count of new and changed dialogs.
type NewCountProps struct {
	Lang i18n.Lang
	N    int
	More bool // more than N
	// Failed: the count could not be made now.
	Failed bool
}

// SavedSearchCountProps is the count without JavaScript: a page of its own.
type SavedSearchCountProps struct {
	Lang  i18n.Lang
	CSRF  string
	ID    string
	Name  string
	Count NewCountProps
}
