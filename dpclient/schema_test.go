package dpclient

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/innboks/innboks/internal/contract"
)

// jsonFields returns the JSON names of t's exported, serialised fields.
func jsonFields(t reflect.Type) []string {
	var out []string
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

// TestTypesCoverSpec checks that each model type has exactly the properties of the spec
// schemas it stands for (the union where one Go type serves several schemas).
func TestTypesCoverSpec(t *testing.T) {
	t.Parallel()
	doc, err := contract.Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		v       any
		schemas []string
	}{
		{SearchResult{}, []string{"PaginatedListOfV1EndUserDialogsQueriesSearch_Dialog"}},
		{SearchDialog{}, []string{"V1EndUserDialogsQueriesSearch_Dialog"}},
		{Dialog{}, []string{"V1EndUserDialogsQueriesGet_Dialog"}},
		{SearchContent{}, []string{"V1EndUserDialogsQueriesSearch_Content"}},
		{DialogContent{}, []string{"V1EndUserDialogsQueriesGet_Content"}},
		{ContentValue{}, []string{"V1CommonContent_ContentValue"}},
		{Localization{}, []string{"V1CommonLocalizations_Localization"}},
		{Actor{}, []string{"V1EndUserCommonActors_Actor"}},
		{EndUserContext{}, []string{"V1EndUserDialogsQueriesSearch_DialogEndUserContext", "V1EndUserDialogsQueriesGet_DialogEndUserContext"}},
		{SeenLog{}, []string{"V1EndUserDialogsQueriesSearch_DialogSeenLog", "V1EndUserDialogsQueriesGet_DialogSeenLog",
			"V1EndUserDialogsQueriesSearchSeenLogs_SeenLog", "V1EndUserDialogsQueriesGetSeenLog_SeenLog"}},
		{Activity{}, []string{"V1EndUserDialogsQueriesSearch_DialogActivity", "V1EndUserDialogsQueriesGet_DialogActivity",
			"V1EndUserDialogsQueriesSearchActivities_Activity", "V1EndUserDialogsQueriesGetActivity_Activity"}},
		{Attachment{}, []string{"V1EndUserDialogsQueriesGet_DialogAttachment", "V1EndUserDialogsQueriesGet_DialogTransmissionAttachment",
			"V1EndUserDialogsQueriesSearchTransmissions_Attachment", "V1EndUserDialogsQueriesGetTransmission_Attachment"}},
		{AttachmentURL{}, []string{"V1EndUserDialogsQueriesGet_DialogAttachmentUrl", "V1EndUserDialogsQueriesGet_DialogTransmissionAttachmentUrl",
			"V1EndUserDialogsQueriesSearchTransmissions_AttachmentUrl", "V1EndUserDialogsQueriesGetTransmission_AttachmentUrl"}},
		{GuiAction{}, []string{"V1EndUserDialogsQueriesGet_DialogGuiAction"}},
		{APIAction{}, []string{"V1EndUserDialogsQueriesGet_DialogApiAction"}},
		{APIActionEndpoint{}, []string{"V1EndUserDialogsQueriesGet_DialogApiActionEndpoint"}},
		{Transmission{}, []string{"V1EndUserDialogsQueriesGet_DialogTransmission",
			"V1EndUserDialogsQueriesSearchTransmissions_Transmission", "V1EndUserDialogsQueriesGetTransmission_Transmission"}},
		{TransmissionContent{}, []string{"V1EndUserDialogsQueriesGet_DialogTransmissionContent",
			"V1EndUserDialogsQueriesSearchTransmissions_Content", "V1EndUserDialogsQueriesGetTransmission_Content"}},
		{NavigationalAction{}, []string{"V1EndUserDialogsQueriesGet_DialogTransmissionNavigationalAction",
			"V1EndUserDialogsQueriesSearchTransmissions_NavigationalAction", "V1EndUserDialogsQueriesGetTransmission_NavigationalAction"}},
		{LabelLog{}, []string{"V1EndUserEndUserContextQueriesSearchLabelAssignmentLog_LabelAssignmentLog"}},
		{PartiesResult{}, []string{"V1AccessManagementQueriesGetParties_Parties"}},
		{AuthorizedParty{}, []string{"V1AccessManagementQueriesGetParties_AuthorizedParty"}},
		{ServiceResourcesResult{}, []string{"V1EndUserServiceResourcesQueriesSearch_AuthorizedServiceResources", "V1MetadataServiceResourcesQueriesGet_ServiceResourceMetadata"}},
		{ServiceResourceItem{}, []string{"V1CommonServiceResourceMetadata_ServiceResourceMetadataItem"}},
		{ServiceResource{}, []string{"V1CommonServiceResourceMetadata_ServiceResourceMetadataServiceResource"}},
		{ServiceOwner{}, []string{"V1CommonServiceResourceMetadata_ServiceResourceMetadataServiceOwner", "V1CommonIdentifierLookup_IdentifierLookupServiceOwner"}},
		{Grant{}, []string{"V1CommonServiceResourceMetadata_ServiceResourceMetadataRole", "V1CommonServiceResourceMetadata_ServiceResourceMetadataAccessPackage"}},
		{Links{}, []string{"DigdirDomainDialogportenApplicationCommon_Link"}},
		{DialogLookup{}, []string{"V1CommonIdentifierLookup_EndUserIdentifierLookup"}},
		{LookupServiceResource{}, []string{"V1CommonIdentifierLookup_IdentifierLookupServiceResource"}},
		{AuthorizationEvidence{}, []string{"V1CommonIdentifierLookup_IdentifierLookupAuthorizationEvidence"}},
		{AuthorizationEvidenceItem{}, []string{"V1CommonIdentifierLookup_IdentifierLookupAuthorizationEvidenceItem"}},
		{Limits{}, []string{"V1MetadataLimitsQueriesGet_Limits"}},
		{EndUserSearchLimits{}, []string{"V1MetadataLimitsQueriesGet_EndUserSearchLimits"}},
		{ServiceOwnerSearchLimits{}, []string{"V1MetadataLimitsQueriesGet_ServiceOwnerSearchLimits"}},
		{JWKS{}, []string{"V1WellKnownJwksQueriesGet_Jwks"}},
		{JWK{}, []string{"V1WellKnownJwksQueriesGet_Jwk"}},
		{AuthorizationServerMetadata{}, []string{"V1WellKnownOauthAuthorizationServerQueriesGet_OauthAuthorizationServer"}},
		{ProblemDetails{}, []string{"ProblemDetails"}},
		{ValidationError{}, []string{"ProblemDetails_Error"}},
		{BulkSetDialog{}, []string{"V1EndUserEndUserContextCommandsBulkSetSystemLabels_DialogRevision"}},
	}
	for _, tt := range tests {
		typ := reflect.TypeOf(tt.v)
		t.Run(typ.Name(), func(t *testing.T) {
			var want []string
			for _, name := range tt.schemas {
				ref, ok := doc.Components.Schemas[name]
				if !ok {
					t.Fatalf("schema %s not in spec", name)
				}
				for p := range ref.Value.Properties {
					if !slices.Contains(want, p) {
						want = append(want, p)
					}
				}
			}
			slices.Sort(want)
			if got := jsonFields(typ); !slices.Equal(got, want) {
				t.Errorf("JSON fields of %s = %v, want %v", typ.Name(), got, want)
			}
		})
	}
}

// TestRequestTypesMatchSpec checks the request bodies: every property except the deprecated
// systemLabels alias.
func TestRequestTypesMatchSpec(t *testing.T) {
	t.Parallel()
	doc, err := contract.Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		v      any
		schema string
	}{
		{SetSystemLabelsRequest{}, "V1EndUserEndUserContextCommandsSetSystemLabel_SetDialogSystemLabelRequest"},
		{BulkSetSystemLabelsRequest{}, "V1EndUserEndUserContextCommandsBulkSetSystemLabels_BulkSetSystemLabel"},
	}
	for _, tt := range tests {
		var want []string
		for p, s := range doc.Components.Schemas[tt.schema].Value.Properties {
			if !s.Value.Deprecated {
				want = append(want, p)
			}
		}
		slices.Sort(want)
		if got := jsonFields(reflect.TypeOf(tt.v)); !slices.Equal(got, want) {
			t.Errorf("JSON fields of %T = %v, want %v", tt.v, got, want)
		}
	}
}

// TestEnumsMatchSpec checks that every enum value of the spec has a constant and no constant
// is made up.
func TestEnumsMatchSpec(t *testing.T) {
	t.Parallel()
	doc, err := contract.Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		schema string
		got    []string
	}{
		{"DialogsEntities_DialogStatus", strs(DialogStatusNotApplicable, DialogStatusInProgress, DialogStatusDraft,
			DialogStatusAwaiting, DialogStatusRequiresAttention, DialogStatusCompleted)},
		{"DialogEndUserContextsEntities_SystemLabel", strs(SystemLabelDefault, SystemLabelBin, SystemLabelArchive,
			SystemLabelMarkedAsUnopened, SystemLabelSent)},
		{"DialogsEntitiesActivities_DialogActivityType", strs(ActivityTypeDialogCreated, ActivityTypeDialogClosed,
			ActivityTypeInformation, ActivityTypeTransmissionOpened, ActivityTypePaymentMade, ActivityTypeSignatureProvided,
			ActivityTypeDialogOpened, ActivityTypeDialogDeleted, ActivityTypeDialogRestored, ActivityTypeSentToSigning,
			ActivityTypeSentToFormFill, ActivityTypeSentToSendIn, ActivityTypeSentToPayment, ActivityTypeFormSubmitted,
			ActivityTypeFormSaved, ActivityTypeCorrespondenceOpened, ActivityTypeCorrespondenceConfirmed)},
		{"DialogsEntitiesTransmissions_DialogTransmissionType", strs(TransmissionTypeInformation, TransmissionTypeAcceptance,
			TransmissionTypeRejection, TransmissionTypeRequest, TransmissionTypeAlert, TransmissionTypeDecision,
			TransmissionTypeSubmission, TransmissionTypeCorrection)},
		{"Actors_ActorType", strs(ActorTypePartyRepresentative, ActorTypeServiceOwner)},
		{"Attachments_AttachmentUrlConsumerType", strs(AttachmentURLConsumerGUI, AttachmentURLConsumerAPI)},
		{"DialogsEntitiesActions_DialogGuiActionPriority", strs(GuiActionPriorityPrimary, GuiActionPrioritySecondary, GuiActionPriorityTertiary)},
		{"Http_HttpVerb", strs(HTTPMethodGet, HTTPMethodPost, HTTPMethodPut, HTTPMethodPatch, HTTPMethodDelete,
			HTTPMethodHead, HTTPMethodOptions, HTTPMethodTrace, HTTPMethodConnect)},
		{"V1CommonIdentifierLookup_IdentifierLookupGrantType", strs(GrantTypeRole, GrantTypeAccessPackage,
			GrantTypeResourceDelegation, GrantTypeInstanceDelegation)},
	}
	for _, tt := range tests {
		var want []string
		for _, v := range doc.Components.Schemas[tt.schema].Value.Enum {
			want = append(want, v.(string))
		}
		slices.Sort(want)
		got := slices.Sorted(slices.Values(tt.got))
		if !slices.Equal(got, want) {
			t.Errorf("%s: constants %v, want %v", tt.schema, got, want)
		}
	}
}

func strs[S ~string](vs ...S) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// TestFixturesDecodeStrictly decodes every fixture with unknown fields disallowed, so a
// property the types miss cannot pass silently.
func TestFixturesDecodeStrictly(t *testing.T) {
	t.Parallel()
	targets := map[string]func() any{
		"search.json":                    func() any { return new(SearchResult) },
		"dialog.json":                    func() any { return new(Dialog) },
		"activities.json":                func() any { return new([]Activity) },
		"activity.json":                  func() any { return new(Activity) },
		"transmissions.json":             func() any { return new([]Transmission) },
		"transmission.json":              func() any { return new(Transmission) },
		"seenlog.json":                   func() any { return new([]SeenLog) },
		"seenlog_entry.json":             func() any { return new(SeenLog) },
		"labellog.json":                  func() any { return new([]LabelLog) },
		"parties.json":                   func() any { return new(PartiesResult) },
		"serviceresources.json":          func() any { return new(ServiceResourcesResult) },
		"metadata_serviceresources.json": func() any { return new(ServiceResourcesResult) },
		"lookup.json":                    func() any { return new(DialogLookup) },
		"limits.json":                    func() any { return new(Limits) },
		"jwks.json":                      func() any { return new(JWKS) },
		"oauth.json":                     func() any { return new(AuthorizationServerMetadata) },
		"problem_notfound.json":          func() any { return new(ProblemDetails) },
		"problem_validation.json":        func() any { return new(ProblemDetails) },
		"problem_authlevel.json":         func() any { return new(ProblemDetails) },
		"problem_precondition.json":      func() any { return new(ProblemDetails) },
	}
	for _, f := range fixtureRoutes {
		if _, ok := targets[f.file]; !ok {
			t.Errorf("fixture %s has no decode target", f.file)
		}
	}
	for file, mk := range targets {
		t.Run(file, func(t *testing.T) {
			dec := json.NewDecoder(bytes.NewReader(fixture(t, file)))
			dec.DisallowUnknownFields()
			if err := dec.Decode(mk()); err != nil {
				t.Errorf("decode: %v", err)
			}
		})
	}
}
