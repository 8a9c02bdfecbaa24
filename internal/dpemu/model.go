// Package dpemu is a local emulator of Dialogporten (Altinn 3's dialog service): the end-user
// REST API, metadata and well-known endpoints over an in-memory store that follows the upstream
// rules (ENDUSER-API.md), with deterministic seeded scenarios.
//
// The store (model.go, store.go) is the shared core: the service-owner side (front-channel
// content, Correspondence, GUI actions, token exchange) and the events publisher build on it.
package dpemu

import (
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// DialogStatus is a dialog's status as set by the service owner (§7.1).
type DialogStatus string

// Dialog statuses.
const (
	StatusNotApplicable     DialogStatus = "NotApplicable"
	StatusInProgress        DialogStatus = "InProgress"
	StatusDraft             DialogStatus = "Draft"
	StatusAwaiting          DialogStatus = "Awaiting"
	StatusRequiresAttention DialogStatus = "RequiresAttention"
	StatusCompleted         DialogStatus = "Completed"
)

// SystemLabel is an end-user system label (§7.3).
type SystemLabel string

// System labels. Exactly one of Default, Bin and Archive is always present.
const (
	LabelDefault          SystemLabel = "Default"
	LabelBin              SystemLabel = "Bin"
	LabelArchive          SystemLabel = "Archive"
	LabelMarkedAsUnopened SystemLabel = "MarkedAsUnopened"
	LabelSent             SystemLabel = "Sent"
)

// ActivityType is the type of a dialog activity.
type ActivityType string

// Activity types.
const (
	ActivityDialogCreated           ActivityType = "DialogCreated"
	ActivityDialogClosed            ActivityType = "DialogClosed"
	ActivityInformation             ActivityType = "Information"
	ActivityTransmissionOpened      ActivityType = "TransmissionOpened"
	ActivityPaymentMade             ActivityType = "PaymentMade"
	ActivitySignatureProvided       ActivityType = "SignatureProvided"
	ActivityDialogOpened            ActivityType = "DialogOpened"
	ActivityDialogDeleted           ActivityType = "DialogDeleted"
	ActivityDialogRestored          ActivityType = "DialogRestored"
	ActivitySentToSigning           ActivityType = "SentToSigning"
	ActivitySentToFormFill          ActivityType = "SentToFormFill"
	ActivitySentToSendIn            ActivityType = "SentToSendIn"
	ActivitySentToPayment           ActivityType = "SentToPayment"
	ActivityFormSubmitted           ActivityType = "FormSubmitted"
	ActivityFormSaved               ActivityType = "FormSaved"
	ActivityCorrespondenceOpened    ActivityType = "CorrespondenceOpened"
	ActivityCorrespondenceConfirmed ActivityType = "CorrespondenceConfirmed"
)

// TransmissionType is the type of a transmission.
type TransmissionType string

// Transmission types. Submission and Correction are sent by the party; the rest by the service owner.
const (
	TransmissionInformation TransmissionType = "Information"
	TransmissionAcceptance  TransmissionType = "Acceptance"
	TransmissionRejection   TransmissionType = "Rejection"
	TransmissionRequest     TransmissionType = "Request"
	TransmissionAlert       TransmissionType = "Alert"
	TransmissionDecision    TransmissionType = "Decision"
	TransmissionSubmission  TransmissionType = "Submission"
	TransmissionCorrection  TransmissionType = "Correction"
)

// FromParty reports whether a transmission of this type counts as sent by the party.
func (t TransmissionType) FromParty() bool {
	return t == TransmissionSubmission || t == TransmissionCorrection
}

// ActorType says who performed something.
type ActorType string

// Actor types.
const (
	ActorPartyRepresentative ActorType = "PartyRepresentative"
	ActorServiceOwner        ActorType = "ServiceOwner"
)

// Priority is a GUI action's priority.
type Priority string

// GUI action priorities.
const (
	PriorityPrimary   Priority = "Primary"
	PrioritySecondary Priority = "Secondary"
	PriorityTertiary  Priority = "Tertiary"
)

// ConsumerType says who an attachment URL is for.
type ConsumerType string

// Attachment URL consumer types.
const (
	ConsumerGui ConsumerType = "Gui"
	ConsumerApi ConsumerType = "Api"
)

// Media types used for content values.
const (
	MediaTextPlain     = "text/plain"
	MediaTextMarkdown  = "text/markdown"
	MediaTextHTML      = "text/html"
	MediaEmbedMarkdown = "application/vnd.dialogporten.frontchannelembed-url;type=text/markdown"
	MediaEmbedHTML     = "application/vnd.dialogporten.frontchannelembed-url;type=text/html"
)

// Placeholder URLs that replace URLs the caller may not see (§7.6).
const (
	URNUnauthorized = "urn:dialogporten:unauthorized"
	URNExpired      = "urn:dialogporten:expired"
)

// Resource types of service resources.
const (
	ResourceTypeCorrespondence = "CorrespondenceService"
	ResourceTypeApp            = "AltinnApp"
	ResourceTypeGeneric        = "GenericAccessResource"
)

// Localization is one language's value of a text (or a URL for embeds).
type Localization struct {
	LanguageCode string
	Value        string
}

// Text is a localised text: one Localization per language.
type Text []Localization

// Get returns the value for lang, or "" when the text has no such language.
func (t Text) Get(lang string) string {
	for _, l := range t {
		if l.LanguageCode == lang {
			return l.Value
		}
	}
	return ""
}

// ContentValue is a localised value with a media type.
type ContentValue struct {
	Value     Text
	MediaType string
}

// Actor is whoever performed an activity, sent a transmission, saw a dialog or set a label.
// ID holds the real identifier (e.g. a person URN); responses mask national identity numbers.
type Actor struct {
	Type ActorType
	ID   string
	Name string
}

// Content is a dialog's content. Title is required unless the dialog is API-only.
type Content struct {
	Title                ContentValue
	NonSensitiveTitle    *ContentValue
	Summary              *ContentValue
	NonSensitiveSummary  *ContentValue
	SenderName           *ContentValue
	AdditionalInfo       *ContentValue
	ExtendedStatus       *ContentValue
	MainContentReference *ContentValue
}

// AttachmentURL is one way to fetch an attachment.
type AttachmentURL struct {
	ID           uuid.UUID
	URL          string
	MediaType    string
	ConsumerType ConsumerType
}

// Attachment is a file attached to a dialog or a transmission. Size and ContentSeed are
// emulator-only: they let the service-owner side stream deterministic bytes of the declared size.
type Attachment struct {
	ID          uuid.UUID
	DisplayName Text
	Name        string
	URLs        []AttachmentURL
	ExpiresAt   *time.Time
	Size        int64
	ContentSeed uint64
}

// NavigationalAction is a link on a transmission.
type NavigationalAction struct {
	Title     Text
	URL       string
	ExpiresAt *time.Time
}

// Transmission is a message in a dialog, from the service owner or from the party.
type Transmission struct {
	ID                     uuid.UUID
	CreatedAt              time.Time
	AuthorizationAttribute string
	ExtendedType           string
	ExternalReference      string
	RelatedTransmissionID  *uuid.UUID
	Type                   TransmissionType
	Sender                 Actor
	Title                  ContentValue
	Summary                *ContentValue
	ContentReference       *ContentValue
	Attachments            []Attachment
	NavigationalActions    []NavigationalAction
	DeletedAt              *time.Time
}

// GuiAction is a button for browser frontends (§7.7).
type GuiAction struct {
	ID                     uuid.UUID
	CreatedAt              time.Time
	Action                 string
	URL                    string
	AuthorizationAttribute string
	IsDeleteDialogAction   bool
	Priority               Priority
	HTTPMethod             string
	Title                  Text
	Prompt                 Text
}

// ApiActionEndpoint is one versioned endpoint of an API action.
type ApiActionEndpoint struct {
	ID               uuid.UUID
	Version          string
	URL              string
	HTTPMethod       string
	DocumentationURL string
	RequestSchema    string
	ResponseSchema   string
	Deprecated       bool
	SunsetAt         *time.Time
}

// ApiAction is an action for machine clients (§7.8).
type ApiAction struct {
	ID                     uuid.UUID
	CreatedAt              time.Time
	Action                 string
	AuthorizationAttribute string
	Name                   string
	Endpoints              []ApiActionEndpoint
}

// Activity is an entry in a dialog's activity history.
type Activity struct {
	ID             uuid.UUID
	CreatedAt      time.Time
	ExtendedType   string
	Type           ActivityType
	TransmissionID *uuid.UUID
	PerformedBy    Actor
	Description    Text
}

// SeenLogEntry records that someone opened the dialog.
type SeenLogEntry struct {
	ID                uuid.UUID
	SeenAt            time.Time
	SeenBy            Actor
	IsViaServiceOwner bool
}

// LabelLogEntry records one effective system-label change ("set" or "remove").
type LabelLogEntry struct {
	CreatedAt   time.Time
	Name        string // namespaced, e.g. "systemlabel:Bin"
	Action      string // "set" or "remove"
	PerformedBy Actor
}

// EndUserContext is the end users' state of a dialog: system labels and their log.
// Revision changes on every label change and is checked against If-Match.
type EndUserContext struct {
	Revision     uuid.UUID
	SystemLabels []SystemLabel
	LabelLog     []LabelLogEntry
}

// Has reports whether the label is set.
func (c *EndUserContext) Has(l SystemLabel) bool {
	for _, x := range c.SystemLabels {
		if x == l {
			return true
		}
	}
	return false
}

// set adds l and logs it as set by actor (changes involving Default are not logged).
func (c *EndUserContext) set(l SystemLabel, actor Actor, at time.Time) {
	c.SystemLabels = append(c.SystemLabels, l)
	c.log(l, "set", actor, at)
}

// remove drops l and logs it as removed by actor (changes involving Default are not logged).
func (c *EndUserContext) remove(l SystemLabel, actor Actor, at time.Time) {
	c.SystemLabels = slices.DeleteFunc(c.SystemLabels, func(x SystemLabel) bool { return x == l })
	c.log(l, "remove", actor, at)
}

func (c *EndUserContext) log(l SystemLabel, action string, actor Actor, at time.Time) {
	if l != LabelDefault {
		c.LabelLog = append(c.LabelLog, LabelLogEntry{CreatedAt: at, Name: "systemlabel:" + string(l), Action: action, PerformedBy: actor})
	}
}

// Dialog is the full dialog aggregate as the service owner created it. Party is a lower-case URN.
type Dialog struct {
	ID                  uuid.UUID
	Revision            uuid.UUID
	Org                 string
	ServiceResource     string
	ServiceResourceType string
	Party               string
	Progress            *int
	Process             string
	PrecedingProcess    string
	ExtendedStatus      string
	ExternalReference   string
	Status              DialogStatus
	IsApiOnly           bool
	CreatedAt           time.Time
	UpdatedAt           time.Time
	ContentUpdatedAt    time.Time
	DueAt               *time.Time
	ExpiresAt           *time.Time
	VisibleFrom         *time.Time
	DeletedAt           *time.Time

	Content            Content
	SearchTags         []string
	ServiceOwnerLabels []string
	Attachments        []Attachment
	Transmissions      []Transmission
	GuiActions         []GuiAction
	ApiActions         []ApiAction
	Activities         []Activity
	SeenLog            []SeenLogEntry
	EndUserContext     EndUserContext
}

// PartyType is the kind of a party.
type PartyType string

// Party types.
const (
	PartyPerson         PartyType = "Person"
	PartyOrganization   PartyType = "Organization"
	PartySelfIdentified PartyType = "SelfIdentified"
)

// Party is a person or an organisation (possibly a sub-unit of Parent) in the register.
type Party struct {
	URN         string // urn:altinn:person:identifier-no:… or urn:altinn:organization:identifier-no:…
	UUID        uuid.UUID
	PartyID     int
	Name        string // registry spelling, upper-case for organisations
	Type        PartyType
	DateOfBirth string // YYYY-MM-DD, persons only
	IsDeleted   bool
	Parent      string // URN of the parent organisation for sub-units
}

// Right is one (resource, action) pair a user holds for a party. Resource "*" means every
// service resource (urn:altinn:resource:…) but no sub-resource; Action "*" every action. A
// Resource may also be an authorizationAttribute (e.g. urn:altinn:subresource:…), which must
// then be granted explicitly.
type Right struct {
	Resource string
	Action   string
}

// PartyAccess is what a user may do on behalf of one party.
type PartyAccess struct {
	Party               string
	Rights              []Right
	HasKeyRole          bool
	IsMainAdministrator bool
	IsAccessManager     bool
}

// Allows reports whether the access holds action on resource.
func (a *PartyAccess) Allows(resource, action string) bool {
	for _, r := range a.Rights {
		anyResource := r.Resource == "*" && strings.HasPrefix(resource, "urn:altinn:resource:")
		if (anyResource || r.Resource == resource) && (r.Action == "*" || r.Action == action) {
			return true
		}
	}
	return false
}

// User is a person who can log in: their identity, authentication level and the parties they
// may act for (their own person party included, if any).
type User struct {
	PID         string
	Name        string
	Description string // one line for test-user pickers
	AuthLevel   int    // the level a login normally gives (3 substantial, 4 high)
	Access      []PartyAccess
}

// URN returns the user's person URN.
func (u *User) URN() string { return "urn:altinn:person:identifier-no:" + u.PID }

// ServiceOwner is an organisation that owns services (e.g. skd, nav).
type ServiceOwner struct {
	Code      string
	OrgNumber string
	Name      Text
}

// ServiceResource is a resource in the resource registry.
type ServiceResource struct {
	ID                         string // urn:altinn:resource:…
	ResourceType               string
	Org                        string
	Name                       Text
	MinimumAuthenticationLevel int
	IsDelegable                bool
	Status                     string
}
