package dpemu

import (
	"encoding/json"
	"time"
)

// This file holds the JSON shapes of the end-user API (§6): camelCase, nulls omitted, lists
// present as [] when empty, timestamps with 7 fractional digits and Z.

// ts is a timestamp in Dialogporten's wire format.
type ts time.Time

const tsLayout = "2006-01-02T15:04:05.0000000Z"

// formatTS formats t the way Dialogporten does (UTC, 7 fractional digits, Z).
func formatTS(t time.Time) string { return t.UTC().Format(tsLayout) }

func (t ts) MarshalJSON() ([]byte, error) { return json.Marshal(formatTS(time.Time(t))) }

func tsPtr(t *time.Time) *ts {
	if t == nil {
		return nil
	}
	v := ts(*t)
	return &v
}

type wLocalization struct {
	Value        string `json:"value"`
	LanguageCode string `json:"languageCode"`
}

type wContentValue struct {
	Value        []wLocalization `json:"value"`
	MediaType    string          `json:"mediaType"`
	IsAuthorized *bool           `json:"isAuthorized,omitempty"`
}

type wActor struct {
	ActorType ActorType `json:"actorType"`
	ActorID   string    `json:"actorId,omitempty"`
	ActorName string    `json:"actorName,omitempty"`
}

type wSeenLog struct {
	ID                string `json:"id"`
	SeenAt            ts     `json:"seenAt"`
	SeenBy            wActor `json:"seenBy"`
	IsViaServiceOwner bool   `json:"isViaServiceOwner"`
	IsCurrentEndUser  bool   `json:"isCurrentEndUser"`
}

type wEndUserContext struct {
	Revision     string        `json:"revision"`
	SystemLabels []SystemLabel `json:"systemLabels"`
}

type wSearchContent struct {
	Title          wContentValue  `json:"title"`
	Summary        *wContentValue `json:"summary,omitempty"`
	SenderName     *wContentValue `json:"senderName,omitempty"`
	ExtendedStatus *wContentValue `json:"extendedStatus,omitempty"`
}

type wDetailsContent struct {
	wSearchContent
	AdditionalInfo       *wContentValue `json:"additionalInfo,omitempty"`
	MainContentReference *wContentValue `json:"mainContentReference,omitempty"`
}

type wActivity struct {
	ID             string          `json:"id"`
	CreatedAt      *ts             `json:"createdAt,omitempty"`
	ExtendedType   string          `json:"extendedType,omitempty"`
	Type           ActivityType    `json:"type"`
	TransmissionID string          `json:"transmissionId,omitempty"`
	PerformedBy    *wActor         `json:"performedBy,omitempty"`
	Description    []wLocalization `json:"description,omitempty"` // null (omitted) unless set
}

// wDialogCommon holds the fields search items and details share.
type wDialogCommon struct {
	ID                                 string          `json:"id"`
	Org                                string          `json:"org"`
	ServiceResource                    string          `json:"serviceResource"`
	ServiceResourceType                string          `json:"serviceResourceType"`
	Party                              string          `json:"party"`
	Progress                           *int            `json:"progress,omitempty"`
	Process                            string          `json:"process,omitempty"`
	PrecedingProcess                   string          `json:"precedingProcess,omitempty"`
	ExtendedStatus                     string          `json:"extendedStatus,omitempty"`
	ExternalReference                  string          `json:"externalReference,omitempty"`
	CreatedAt                          ts              `json:"createdAt"`
	UpdatedAt                          ts              `json:"updatedAt"`
	ContentUpdatedAt                   ts              `json:"contentUpdatedAt"`
	DueAt                              *ts             `json:"dueAt,omitempty"`
	Status                             DialogStatus    `json:"status"`
	HasUnopenedContent                 bool            `json:"hasUnopenedContent"`
	SystemLabel                        SystemLabel     `json:"systemLabel"`
	IsApiOnly                          bool            `json:"isApiOnly"`
	FromServiceOwnerTransmissionsCount int             `json:"fromServiceOwnerTransmissionsCount"`
	FromPartyTransmissionsCount        int             `json:"fromPartyTransmissionsCount"`
	SeenSinceLastUpdate                []wSeenLog      `json:"seenSinceLastUpdate"`
	SeenSinceLastContentUpdate         []wSeenLog      `json:"seenSinceLastContentUpdate"`
	IsContentSeen                      bool            `json:"isContentSeen"`
	EndUserContext                     wEndUserContext `json:"endUserContext"`
}

type wSearchDialog struct {
	wDialogCommon
	GuiAttachmentCount *int            `json:"guiAttachmentCount,omitempty"`
	LatestActivity     *wActivity      `json:"latestActivity,omitempty"`
	Content            *wSearchContent `json:"content,omitempty"`
}

type wSearchPage struct {
	Items             []wSearchDialog `json:"items"`
	HasNextPage       bool            `json:"hasNextPage"`
	ContinuationToken *string         `json:"continuationToken,omitempty"`
	OrderBy           string          `json:"orderBy"`
}

type wAttachmentURL struct {
	ID           string       `json:"id"`
	URL          string       `json:"url"`
	MediaType    string       `json:"mediaType,omitempty"`
	ConsumerType ConsumerType `json:"consumerType"`
}

type wAttachment struct {
	ID          string           `json:"id"`
	DisplayName []wLocalization  `json:"displayName"`
	Name        string           `json:"name,omitempty"`
	URLs        []wAttachmentURL `json:"urls"`
	ExpiresAt   *ts              `json:"expiresAt,omitempty"`
}

type wNavAction struct {
	Title     []wLocalization `json:"title"`
	URL       string          `json:"url"`
	ExpiresAt *ts             `json:"expiresAt,omitempty"`
}

type wTransmissionContent struct {
	Title            wContentValue  `json:"title"`
	Summary          *wContentValue `json:"summary,omitempty"`
	ContentReference *wContentValue `json:"contentReference,omitempty"`
}

type wTransmission struct {
	ID                     string               `json:"id"`
	CreatedAt              ts                   `json:"createdAt"`
	AuthorizationAttribute string               `json:"authorizationAttribute,omitempty"`
	IsAuthorized           bool                 `json:"isAuthorized"`
	ExtendedType           string               `json:"extendedType,omitempty"`
	ExternalReference      string               `json:"externalReference,omitempty"`
	RelatedTransmissionID  string               `json:"relatedTransmissionId,omitempty"`
	Type                   TransmissionType     `json:"type"`
	Sender                 wActor               `json:"sender"`
	IsOpened               *bool                `json:"isOpened,omitempty"`
	DeletedAt              *ts                  `json:"deletedAt,omitempty"`
	Content                wTransmissionContent `json:"content"`
	Attachments            []wAttachment        `json:"attachments"`
	NavigationalActions    []wNavAction         `json:"navigationalActions"`
}

type wGuiAction struct {
	ID                     string          `json:"id"`
	Action                 string          `json:"action"`
	URL                    string          `json:"url"`
	AuthorizationAttribute string          `json:"authorizationAttribute,omitempty"`
	IsAuthorized           bool            `json:"isAuthorized"`
	IsDeleteDialogAction   bool            `json:"isDeleteDialogAction"`
	Priority               Priority        `json:"priority"`
	HTTPMethod             string          `json:"httpMethod"`
	Title                  []wLocalization `json:"title"`
	Prompt                 []wLocalization `json:"prompt,omitempty"`
}

type wApiEndpoint struct {
	ID               string `json:"id"`
	Version          string `json:"version,omitempty"`
	URL              string `json:"url"`
	HTTPMethod       string `json:"httpMethod"`
	DocumentationURL string `json:"documentationUrl,omitempty"`
	RequestSchema    string `json:"requestSchema,omitempty"`
	ResponseSchema   string `json:"responseSchema,omitempty"`
	Deprecated       bool   `json:"deprecated"`
	SunsetAt         *ts    `json:"sunsetAt,omitempty"`
}

type wApiAction struct {
	ID                     string         `json:"id"`
	Action                 string         `json:"action"`
	AuthorizationAttribute string         `json:"authorizationAttribute,omitempty"`
	IsAuthorized           bool           `json:"isAuthorized"`
	Name                   string         `json:"name,omitempty"`
	Endpoints              []wApiEndpoint `json:"endpoints"`
}

type wDetailsDialog struct {
	wDialogCommon
	Revision      string          `json:"revision"`
	ExpiresAt     *ts             `json:"expiresAt,omitempty"`
	DialogToken   string          `json:"dialogToken,omitempty"`
	Content       wDetailsContent `json:"content"`
	Attachments   []wAttachment   `json:"attachments"`
	Transmissions []wTransmission `json:"transmissions"`
	GuiActions    []wGuiAction    `json:"guiActions"`
	ApiActions    []wApiAction    `json:"apiActions"`
	Activities    []wActivity     `json:"activities"`
}

type wLabelLog struct {
	CreatedAt   ts     `json:"createdAt"`
	Name        string `json:"name"`
	Action      string `json:"action"`
	PerformedBy wActor `json:"performedBy"`
}

type wLink struct {
	Metadata string `json:"metadata"`
}

type wResourceMeta struct {
	ID                         string          `json:"id"`
	ResourceType               string          `json:"resourceType"`
	Status                     string          `json:"status"`
	IsDelegable                bool            `json:"isDelegable"`
	MinimumAuthenticationLevel int             `json:"minimumAuthenticationLevel"`
	Name                       []wLocalization `json:"name"`
	Links                      wLink           `json:"links"`
}

type wOwnerMeta struct {
	Code      string          `json:"code"`
	OrgNumber string          `json:"orgNumber"`
	Name      []wLocalization `json:"name"`
}

type wRoleMeta struct {
	URN   string          `json:"urn"`
	Name  []wLocalization `json:"name"`
	Links wLink           `json:"links"`
}

type wResourceItem struct {
	ServiceResource wResourceMeta `json:"serviceResource"`
	ServiceOwner    wOwnerMeta    `json:"serviceOwner"`
	Roles           []wRoleMeta   `json:"roles"`
	AccessPackages  []wRoleMeta   `json:"accessPackages"`
}

type wAuthorizedParty struct {
	Party                     string             `json:"party"`
	PartyUUID                 string             `json:"partyUuid"`
	PartyID                   int                `json:"partyId"`
	Name                      string             `json:"name"`
	DateOfBirth               string             `json:"dateOfBirth,omitempty"`
	PartyType                 PartyType          `json:"partyType"`
	IsDeleted                 bool               `json:"isDeleted"`
	HasKeyRole                bool               `json:"hasKeyRole"`
	IsCurrentEndUser          bool               `json:"isCurrentEndUser"`
	IsMainAdministrator       bool               `json:"isMainAdministrator"`
	IsAccessManager           bool               `json:"isAccessManager"`
	HasOnlyAccessToSubParties bool               `json:"hasOnlyAccessToSubParties"`
	SubParties                []wAuthorizedParty `json:"subParties,omitempty"`
}
