package dpclient

// DialogStatus is the service owner's status of a dialog (DialogsEntities_DialogStatus).
type DialogStatus string

// Dialog statuses as they appear on the wire.
const (
	DialogStatusNotApplicable     DialogStatus = "NotApplicable"
	DialogStatusInProgress        DialogStatus = "InProgress"
	DialogStatusDraft             DialogStatus = "Draft"
	DialogStatusAwaiting          DialogStatus = "Awaiting"
	DialogStatusRequiresAttention DialogStatus = "RequiresAttention"
	DialogStatusCompleted         DialogStatus = "Completed"
)

// SystemLabel is an end-user label on a dialog (DialogEndUserContextsEntities_SystemLabel).
// Default, Bin and Archive exclude each other; MarkedAsUnopened and Sent are independent flags.
type SystemLabel string

// System labels as they appear on the wire.
const (
	SystemLabelDefault          SystemLabel = "Default"
	SystemLabelBin              SystemLabel = "Bin"
	SystemLabelArchive          SystemLabel = "Archive"
	SystemLabelMarkedAsUnopened SystemLabel = "MarkedAsUnopened"
	SystemLabelSent             SystemLabel = "Sent"
)

// ActivityType is the kind of an activity-log entry (DialogsEntitiesActivities_DialogActivityType).
type ActivityType string

// Activity types as they appear on the wire.
const (
	ActivityTypeDialogCreated           ActivityType = "DialogCreated"
	ActivityTypeDialogClosed            ActivityType = "DialogClosed"
	ActivityTypeInformation             ActivityType = "Information"
	ActivityTypeTransmissionOpened      ActivityType = "TransmissionOpened"
	ActivityTypePaymentMade             ActivityType = "PaymentMade"
	ActivityTypeSignatureProvided       ActivityType = "SignatureProvided"
	ActivityTypeDialogOpened            ActivityType = "DialogOpened"
	ActivityTypeDialogDeleted           ActivityType = "DialogDeleted"
	ActivityTypeDialogRestored          ActivityType = "DialogRestored"
	ActivityTypeSentToSigning           ActivityType = "SentToSigning"
	ActivityTypeSentToFormFill          ActivityType = "SentToFormFill"
	ActivityTypeSentToSendIn            ActivityType = "SentToSendIn"
	ActivityTypeSentToPayment           ActivityType = "SentToPayment"
	ActivityTypeFormSubmitted           ActivityType = "FormSubmitted"
	ActivityTypeFormSaved               ActivityType = "FormSaved"
	ActivityTypeCorrespondenceOpened    ActivityType = "CorrespondenceOpened"
	ActivityTypeCorrespondenceConfirmed ActivityType = "CorrespondenceConfirmed"
)

// TransmissionType is the kind of a transmission (DialogsEntitiesTransmissions_DialogTransmissionType).
// Submission and Correction are sent by the party; every other type by the service owner.
type TransmissionType string

// Transmission types as they appear on the wire.
const (
	TransmissionTypeInformation TransmissionType = "Information"
	TransmissionTypeAcceptance  TransmissionType = "Acceptance"
	TransmissionTypeRejection   TransmissionType = "Rejection"
	TransmissionTypeRequest     TransmissionType = "Request"
	TransmissionTypeAlert       TransmissionType = "Alert"
	TransmissionTypeDecision    TransmissionType = "Decision"
	TransmissionTypeSubmission  TransmissionType = "Submission"
	TransmissionTypeCorrection  TransmissionType = "Correction"
)

// FromParty reports whether transmissions of this type are sent by the party (Submission,
// Correction) rather than by the service owner; Dialogporten counts them that way.
func (t TransmissionType) FromParty() bool {
	return t == TransmissionTypeSubmission || t == TransmissionTypeCorrection
}

// ActorType says who performed something (Actors_ActorType).
type ActorType string

// Actor types as they appear on the wire.
const (
	ActorTypePartyRepresentative ActorType = "PartyRepresentative"
	ActorTypeServiceOwner        ActorType = "ServiceOwner"
)

// AttachmentURLConsumerType says whether an attachment URL is meant for a browser or a machine.
type AttachmentURLConsumerType string

// Attachment URL consumer types as they appear on the wire.
const (
	AttachmentURLConsumerGUI AttachmentURLConsumerType = "Gui"
	AttachmentURLConsumerAPI AttachmentURLConsumerType = "Api"
)

// GuiActionPriority orders a dialog's GUI actions (at most one Primary, one Secondary).
type GuiActionPriority string

// GUI action priorities as they appear on the wire.
const (
	GuiActionPriorityPrimary   GuiActionPriority = "Primary"
	GuiActionPrioritySecondary GuiActionPriority = "Secondary"
	GuiActionPriorityTertiary  GuiActionPriority = "Tertiary"
)

// HTTPMethod is an HTTP verb as Dialogporten spells it (Http_HttpVerb).
type HTTPMethod string

// HTTP methods as they appear on the wire.
const (
	HTTPMethodGet     HTTPMethod = "GET"
	HTTPMethodPost    HTTPMethod = "POST"
	HTTPMethodPut     HTTPMethod = "PUT"
	HTTPMethodPatch   HTTPMethod = "PATCH"
	HTTPMethodDelete  HTTPMethod = "DELETE"
	HTTPMethodHead    HTTPMethod = "HEAD"
	HTTPMethodOptions HTTPMethod = "OPTIONS"
	HTTPMethodTrace   HTTPMethod = "TRACE"
	HTTPMethodConnect HTTPMethod = "CONNECT"
)

// PartyType is the kind of an authorized party.
type PartyType string

// Party types as they appear on the wire.
const (
	PartyTypeOrganization   PartyType = "Organization"
	PartyTypePerson         PartyType = "Person"
	PartyTypeSelfIdentified PartyType = "SelfIdentified"
)

// GrantType is how the caller got access to a looked-up dialog
// (V1CommonIdentifierLookup_IdentifierLookupGrantType).
type GrantType string

// Grant types as they appear on the wire.
const (
	GrantTypeRole               GrantType = "Role"
	GrantTypeAccessPackage      GrantType = "AccessPackage"
	GrantTypeResourceDelegation GrantType = "ResourceDelegation"
	GrantTypeInstanceDelegation GrantType = "InstanceDelegation"
)

// Label-log actions (LabelLog.Action).
const (
	LabelLogActionSet    = "set"
	LabelLogActionRemove = "remove"
)
