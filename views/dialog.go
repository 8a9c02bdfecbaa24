package views

import (
	"html/template"
	"time"

	"github.com/innboks/innboks/views/i18n"
)

// ErrServiceOwner is the error kind for a service owner's endpoint that failed or refused an
// action or download called through Innboks (the dialog itself was fine).
const ErrServiceOwner ErrorKind = "serviceOwner"

// DialogProps is everything the dialog page shows. Service-owner texts arrive already
// sanitised as template.HTML (internal/richtext); everything else is plain text.
type DialogProps struct {
	// Live tells the page when this dialog changes (a stream; empty: nothing).
	Live LiveProps
	// Watch refreshes the page in place when the dialog changes (its own subscription); when
	// set, Live is not shown.
	Watch  DialogLiveProps
	Lang   i18n.Lang
	CSRF   string
	ID     string
	Header DialogHeaderProps
	// Summary and AdditionalInfo are sanitised HTML; empty when the dialog has none.
	Summary        template.HTML
	AdditionalInfo template.HTML
	Content        ContentSlotProps
	Attachments    []AttachmentProps
	Thread         []ThreadGroup
	Log            []LogEntry
	// SeenBy is the translated seen-by summary ("Seen by you and 2 others"); empty when none.
	SeenBy string
	// SeenByNames are who has seen it since the last update ("You" first), for the list under
	// the summary.
	SeenByNames []string
	Actions     DialogActionsProps
	Labels      []LabelAction
	// Revision is the end-user context revision, sent back as If-Match on label changes.
	Revision string
	// Notice is a translated message about what just happened (action done, 412, …).
	Notice      string
	NoticeColor string // success | warning | info
	// NoticeKey is what the notice is about (the ?done= value: "async", "action", …).
	NoticeKey string
	BackURL   string
}

// DialogHeaderProps is the dialog's header: what it is, from whom, its state and dates.
type DialogHeaderProps struct {
	Title          string
	Sender         string // the stated sender name, else the service owner's name
	ServiceOwner   string // the service owner (org) when it differs from Sender
	Status         string // translated; "" for none
	StatusKey      string
	ExtendedStatus string
	Party          string // the party the dialog belongs to
	Created        time.Time
	Updated        time.Time
	Due            *time.Time
	Overdue        bool
	// Folder is "archive" or "bin" when the dialog sits there (a badge); "" otherwise.
	Folder string
}

// ContentSlotProps is the main content's place on the page: loaded lazily from URL with htmx,
// with URL as a plain link for browsers without JavaScript.
type ContentSlotProps struct {
	// URL is Innboks' own content route; "" when the dialog has no main content.
	URL string
	// Unavailable is the translated reason there is no content to load ("" when there is).
	Unavailable string
	// Ref identifies the content the dialog names (media type and value): a live update
	// loads the content again only when it changed.
	Ref string
}

// ContentProps is a fetched, sanitised piece of service-owner content, or the problem that
// stopped it. Retry is the route that fetches it again.
type ContentProps struct {
	Lang    i18n.Lang
	TestID  string
	HTML    template.HTML
	Problem string // translated; "" when HTML holds the content
	// Limited: the content went beyond what Innboks renders as written (too large, nested too
	// deep) and is shown simplified or cut short; the page says so.
	Limited bool
	Retry   string
	Target  string // the element id the retry swaps
}

// AttachmentProps is one attachment with its browser links.
type AttachmentProps struct {
	ID    string
	Name  string
	Links []AttachmentLink
}

// AttachmentLink is one downloadable form of an attachment. Href goes through Innboks
// (/dialogs/{id}/attachments/{attachmentId}/{urlId}); Disabled links show Reason instead.
type AttachmentLink struct {
	Href      string
	MediaType string
	TypeLabel string // short type name for people ("PDF"); "" when unknown
	Disabled  bool
	Reason    string
}

// ThreadGroup is consecutive transmissions from the same sender, newest first.
type ThreadGroup struct {
	Sender    string
	FromParty bool
	Items     []TransmissionProps
}

// TransmissionProps is one message of the thread.
type TransmissionProps struct {
	ID        string
	Title     string
	Summary   template.HTML
	TypeLabel string
	Sender    string
	Created   time.Time
	// ReplyTo is the title of the transmission this one answers; ReplyToID its id.
	ReplyTo   string
	ReplyToID string
	// ContentURL is Innboks' route for the transmission's content, loaded when opened; "".
	ContentURL  string
	Unavailable string // translated reason the content cannot be shown
	Unopened    bool
	Attachments []AttachmentProps
	Links       []NavLink
}

// NavLink is a link a transmission offers; Disabled ones show Reason.
type NavLink struct {
	Title    string
	Href     string
	Disabled bool
	Reason   string
}

// LogEntry is one line of the merged activity log and transmissions, oldest first.
type LogEntry struct {
	When time.Time
	Who  string // "you", a name, or the service owner
	What string
	// Href points at the transmission the entry is about ("#tx-…"); "" when none.
	Href string
}

// DialogActionsProps are the dialog's actions by priority.
type DialogActionsProps struct {
	Primary   []GuiActionProps
	Secondary []GuiActionProps
	Tertiary  []GuiActionProps
	API       []APIActionProps
}

// GuiActionProps is one GUI action. Exactly one of Link (a plain GET link to the service
// owner), ConfirmURL (a confirmation page first) or PostURL (a form through the proxy) is set,
// unless Disabled.
type GuiActionProps struct {
	ID         string
	Title      string
	Link       string
	ConfirmURL string
	PostURL    string
	Delete     bool
	Disabled   bool
	Reason     string
}

// APIActionProps is one API action, listed by name; safe ones carry a PostURL.
type APIActionProps struct {
	Name     string
	Method   string
	PostURL  string
	Disabled bool
	Reason   string
}

// LabelAction is one folder move or flag offered for the dialog (archive, bin, restore, unread).
type LabelAction struct {
	Value string
	Label string
}

// ConfirmProps is the confirmation page of an action with a prompt.
type ConfirmProps struct {
	Lang        i18n.Lang
	CSRF        string
	DialogTitle string
	Action      string
	Prompt      string
	PostURL     string
	CancelURL   string
	Delete      bool
}

func labelVariant(i int) string {
	if i == 0 {
		return "secondary"
	}
	return "tertiary"
}

func folderBadgeKey(folder string) string { return "folder." + folder }
