package dpclient

import "time"

// Actor is who performed an activity, sent a transmission or saw a dialog. Person ids are
// masked by Dialogporten (urn:altinn:person:identifier-ephemeral:…); service-owner actors
// usually carry neither id nor name.
type Actor struct {
	ActorType ActorType `json:"actorType"`
	ActorID   string    `json:"actorId,omitempty"`
	ActorName string    `json:"actorName,omitempty"`
}

// EndUserContext holds the caller-side state of a dialog: its system labels and the revision
// to send as If-Match when changing them.
type EndUserContext struct {
	Revision     string        `json:"revision"`
	SystemLabels []SystemLabel `json:"systemLabels"`
}

// Has reports whether the dialog carries label l.
func (c EndUserContext) Has(l SystemLabel) bool {
	for _, x := range c.SystemLabels {
		if x == l {
			return true
		}
	}
	return false
}

// SeenLog is one record of an actor having seen a dialog.
type SeenLog struct {
	ID                string    `json:"id"`
	SeenAt            time.Time `json:"seenAt"`
	SeenBy            Actor     `json:"seenBy"`
	IsViaServiceOwner bool      `json:"isViaServiceOwner"`
	IsCurrentEndUser  bool      `json:"isCurrentEndUser"`
}

// Activity is one entry of a dialog's activity log. PerformedBy is empty in the list from
// ListActivities; CreatedAt may be absent in search and details.
type Activity struct {
	ID             string        `json:"id"`
	CreatedAt      *time.Time    `json:"createdAt,omitempty"`
	ExtendedType   string        `json:"extendedType,omitempty"`
	Type           ActivityType  `json:"type"`
	TransmissionID string        `json:"transmissionId,omitempty"`
	PerformedBy    Actor         `json:"performedBy"`
	Description    Localizations `json:"description,omitempty"`
}

// SearchDialog is one dialog in search results.
type SearchDialog struct {
	ID                  string       `json:"id"`
	Org                 string       `json:"org"`
	ServiceResource     string       `json:"serviceResource"`
	ServiceResourceType string       `json:"serviceResourceType"`
	Party               string       `json:"party"`
	Progress            *int         `json:"progress,omitempty"`
	Process             string       `json:"process,omitempty"`
	PrecedingProcess    string       `json:"precedingProcess,omitempty"`
	GuiAttachmentCount  *int         `json:"guiAttachmentCount,omitempty"`
	ExtendedStatus      string       `json:"extendedStatus,omitempty"`
	ExternalReference   string       `json:"externalReference,omitempty"`
	CreatedAt           time.Time    `json:"createdAt"`
	UpdatedAt           time.Time    `json:"updatedAt"`
	ContentUpdatedAt    time.Time    `json:"contentUpdatedAt"`
	DueAt               *time.Time   `json:"dueAt,omitempty"`
	Status              DialogStatus `json:"status"`
	HasUnopenedContent  bool         `json:"hasUnopenedContent"`
	// SystemLabel is obsolete upstream (the single Default/Bin/Archive label); use
	// EndUserContext.SystemLabels.
	SystemLabel                        SystemLabel    `json:"systemLabel,omitempty"`
	IsAPIOnly                          bool           `json:"isApiOnly"`
	FromServiceOwnerTransmissionsCount int            `json:"fromServiceOwnerTransmissionsCount"`
	FromPartyTransmissionsCount        int            `json:"fromPartyTransmissionsCount"`
	LatestActivity                     *Activity      `json:"latestActivity,omitempty"`
	Content                            *SearchContent `json:"content,omitempty"`
	SeenSinceLastUpdate                []SeenLog      `json:"seenSinceLastUpdate"`
	SeenSinceLastContentUpdate         []SeenLog      `json:"seenSinceLastContentUpdate"`
	IsContentSeen                      bool           `json:"isContentSeen"`
	EndUserContext                     EndUserContext `json:"endUserContext"`
}

// Dialog is the full details of one dialog.
type Dialog struct {
	ID                  string       `json:"id"`
	Revision            string       `json:"revision"`
	Org                 string       `json:"org"`
	ServiceResource     string       `json:"serviceResource"`
	ServiceResourceType string       `json:"serviceResourceType"`
	Party               string       `json:"party"`
	Progress            *int         `json:"progress,omitempty"`
	Process             string       `json:"process,omitempty"`
	PrecedingProcess    string       `json:"precedingProcess,omitempty"`
	ExtendedStatus      string       `json:"extendedStatus,omitempty"`
	ExternalReference   string       `json:"externalReference,omitempty"`
	CreatedAt           time.Time    `json:"createdAt"`
	UpdatedAt           time.Time    `json:"updatedAt"`
	ContentUpdatedAt    time.Time    `json:"contentUpdatedAt"`
	DueAt               *time.Time   `json:"dueAt,omitempty"`
	ExpiresAt           *time.Time   `json:"expiresAt,omitempty"`
	Status              DialogStatus `json:"status"`
	HasUnopenedContent  bool         `json:"hasUnopenedContent"`
	// SystemLabel is obsolete upstream; use EndUserContext.SystemLabels.
	SystemLabel                        SystemLabel `json:"systemLabel,omitempty"`
	IsAPIOnly                          bool        `json:"isApiOnly"`
	FromServiceOwnerTransmissionsCount int         `json:"fromServiceOwnerTransmissionsCount"`
	FromPartyTransmissionsCount        int         `json:"fromPartyTransmissionsCount"`
	// DialogToken is a short-lived (600 s) EdDSA JWT for the service owner's endpoints
	// (front-channel embeds, GUI actions, Correspondence). Never log or render it.
	DialogToken                string         `json:"dialogToken,omitempty"`
	Content                    DialogContent  `json:"content"`
	Attachments                []Attachment   `json:"attachments"`
	Transmissions              []Transmission `json:"transmissions"`
	GuiActions                 []GuiAction    `json:"guiActions"`
	APIActions                 []APIAction    `json:"apiActions"`
	Activities                 []Activity     `json:"activities"`
	SeenSinceLastUpdate        []SeenLog      `json:"seenSinceLastUpdate"`
	SeenSinceLastContentUpdate []SeenLog      `json:"seenSinceLastContentUpdate"`
	IsContentSeen              bool           `json:"isContentSeen"`
	EndUserContext             EndUserContext `json:"endUserContext"`

	// ETag is the ETag response header of GetDialog (the dialog revision).
	ETag string `json:"-"`
}

// Attachment is a file attached to a dialog or a transmission, offered at one or more URLs.
type Attachment struct {
	ID          string          `json:"id"`
	DisplayName Localizations   `json:"displayName"`
	Name        string          `json:"name,omitempty"`
	URLs        []AttachmentURL `json:"urls"`
	ExpiresAt   *time.Time      `json:"expiresAt,omitempty"`
}

// AttachmentURL is one URL of an attachment. URL may be URLUnauthorized or URLExpired.
type AttachmentURL struct {
	ID           string                    `json:"id"`
	URL          string                    `json:"url"`
	MediaType    string                    `json:"mediaType,omitempty"`
	ConsumerType AttachmentURLConsumerType `json:"consumerType"`
}

// GuiAction is a button for browser front ends. GET navigates to URL; POST and DELETE are
// write actions called with the dialog token. URL is URLUnauthorized when IsAuthorized is false.
type GuiAction struct {
	ID                     string            `json:"id"`
	Action                 string            `json:"action"`
	URL                    string            `json:"url"`
	AuthorizationAttribute string            `json:"authorizationAttribute,omitempty"`
	IsAuthorized           bool              `json:"isAuthorized"`
	IsDeleteDialogAction   bool              `json:"isDeleteDialogAction"`
	Priority               GuiActionPriority `json:"priority"`
	HTTPMethod             HTTPMethod        `json:"httpMethod"`
	Title                  Localizations     `json:"title"`
	// Prompt, when present, is a confirmation text to show before the action.
	Prompt Localizations `json:"prompt,omitempty"`
}

// APIAction is an action for machine clients, with one or more versioned endpoints.
type APIAction struct {
	ID                     string              `json:"id"`
	Action                 string              `json:"action"`
	AuthorizationAttribute string              `json:"authorizationAttribute,omitempty"`
	IsAuthorized           bool                `json:"isAuthorized"`
	Name                   string              `json:"name,omitempty"`
	Endpoints              []APIActionEndpoint `json:"endpoints"`
}

// APIActionEndpoint is one versioned endpoint of an APIAction.
type APIActionEndpoint struct {
	ID               string     `json:"id"`
	Version          string     `json:"version,omitempty"`
	URL              string     `json:"url"`
	HTTPMethod       HTTPMethod `json:"httpMethod"`
	DocumentationURL string     `json:"documentationUrl,omitempty"`
	RequestSchema    string     `json:"requestSchema,omitempty"`
	ResponseSchema   string     `json:"responseSchema,omitempty"`
	Deprecated       bool       `json:"deprecated"`
	SunsetAt         *time.Time `json:"sunsetAt,omitempty"`
}

// Transmission is a message within a dialog. IsOpened is only set inside dialog details;
// DeletedAt only in the answers of ListTransmissions and GetTransmission.
type Transmission struct {
	ID                     string               `json:"id"`
	CreatedAt              time.Time            `json:"createdAt"`
	AuthorizationAttribute string               `json:"authorizationAttribute,omitempty"`
	IsAuthorized           bool                 `json:"isAuthorized"`
	ExtendedType           string               `json:"extendedType,omitempty"`
	ExternalReference      string               `json:"externalReference,omitempty"`
	RelatedTransmissionID  string               `json:"relatedTransmissionId,omitempty"`
	Type                   TransmissionType     `json:"type"`
	Sender                 Actor                `json:"sender"`
	IsOpened               bool                 `json:"isOpened"`
	DeletedAt              *time.Time           `json:"deletedAt,omitempty"`
	Content                TransmissionContent  `json:"content"`
	Attachments            []Attachment         `json:"attachments"`
	NavigationalActions    []NavigationalAction `json:"navigationalActions"`
}

// NavigationalAction is a link offered by a transmission. URL may be a placeholder.
type NavigationalAction struct {
	Title     Localizations `json:"title"`
	URL       string        `json:"url"`
	ExpiresAt *time.Time    `json:"expiresAt,omitempty"`
}

// LabelLog is one change of a system label. Name is namespaced ("systemlabel:Bin"); Action is
// LabelLogActionSet or LabelLogActionRemove.
type LabelLog struct {
	CreatedAt   time.Time `json:"createdAt"`
	Name        string    `json:"name"`
	Action      string    `json:"action"`
	PerformedBy Actor     `json:"performedBy"`
}

// AuthorizedParty is a person or organisation the caller may act for. Sub-units are nested
// under their parent. DateOfBirth ("YYYY-MM-DD") is set for persons only.
type AuthorizedParty struct {
	Party                     string            `json:"party"`
	PartyUUID                 string            `json:"partyUuid"`
	PartyID                   int               `json:"partyId"`
	Name                      string            `json:"name"`
	DateOfBirth               string            `json:"dateOfBirth,omitempty"`
	PartyType                 PartyType         `json:"partyType"`
	IsDeleted                 bool              `json:"isDeleted"`
	HasKeyRole                bool              `json:"hasKeyRole"`
	IsCurrentEndUser          bool              `json:"isCurrentEndUser"`
	IsMainAdministrator       bool              `json:"isMainAdministrator"`
	IsAccessManager           bool              `json:"isAccessManager"`
	HasOnlyAccessToSubParties bool              `json:"hasOnlyAccessToSubParties"`
	SubParties                []AuthorizedParty `json:"subParties,omitempty"`
}

// PartiesResult is the answer of GetParties.
type PartiesResult struct {
	AuthorizedParties []AuthorizedParty `json:"authorizedParties"`
}

// SearchResult is one page of search results. Pass ContinuationToken (with the same OrderBy)
// to get the next page while HasNextPage is true.
type SearchResult struct {
	Items             []SearchDialog `json:"items"`
	HasNextPage       bool           `json:"hasNextPage"`
	ContinuationToken string         `json:"continuationToken,omitempty"`
	// OrderBy echoes the effective order in lower case, e.g. "contentupdatedat_desc,id_desc".
	OrderBy string `json:"orderBy"`
}

// SetSystemLabelsRequest is the body of SetSystemLabels. Removals are applied before additions.
type SetSystemLabelsRequest struct {
	AddLabels    []SystemLabel `json:"addLabels,omitempty"`
	RemoveLabels []SystemLabel `json:"removeLabels,omitempty"`
}

// BulkSetDialog names one dialog of a bulk label change, optionally with the
// endUserContext revision it must still have.
type BulkSetDialog struct {
	DialogID               string `json:"dialogId"`
	EndUserContextRevision string `json:"endUserContextRevision,omitempty"`
}

// BulkSetSystemLabelsRequest changes the labels of 1–100 dialogs, all or nothing.
type BulkSetSystemLabelsRequest struct {
	Dialogs      []BulkSetDialog `json:"dialogs"`
	AddLabels    []SystemLabel   `json:"addLabels,omitempty"`
	RemoveLabels []SystemLabel   `json:"removeLabels,omitempty"`
}
