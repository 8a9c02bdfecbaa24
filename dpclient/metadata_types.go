package dpclient

import "io"

// Links holds links to more information about a resource, role or access package.
type Links struct {
	Metadata string `json:"metadata,omitempty"`
}

// ServiceOwner identifies the organisation behind a service resource.
type ServiceOwner struct {
	Code      string        `json:"code"`
	OrgNumber string        `json:"orgNumber"`
	Name      Localizations `json:"name"`
}

// ServiceResource describes a service resource from the resource registry.
type ServiceResource struct {
	ID                         string        `json:"id"`
	ResourceType               string        `json:"resourceType"`
	Status                     string        `json:"status"`
	IsDelegable                bool          `json:"isDelegable"`
	MinimumAuthenticationLevel int           `json:"minimumAuthenticationLevel"`
	Name                       Localizations `json:"name"`
	Links                      Links         `json:"links"`
}

// Grant is a role or access package that gives access to a service resource.
type Grant struct {
	URN   string        `json:"urn"`
	Name  Localizations `json:"name"`
	Links Links         `json:"links"`
}

// ServiceResourceItem is a service resource with its owner and the roles and access packages
// that give access to it.
type ServiceResourceItem struct {
	ServiceResource ServiceResource `json:"serviceResource"`
	ServiceOwner    ServiceOwner    `json:"serviceOwner"`
	Roles           []Grant         `json:"roles"`
	AccessPackages  []Grant         `json:"accessPackages"`
}

// ServiceResourcesResult is the answer of ServiceResources and ServiceResourceMetadata.
// IsFullCatalogueFallback is set (ServiceResources only) when the whole catalogue was
// returned because the caller has too many parties to narrow it.
type ServiceResourcesResult struct {
	IsFullCatalogueFallback *bool                 `json:"isFullCatalogueFallback,omitempty"`
	Items                   []ServiceResourceItem `json:"items"`
}

// LookupServiceResource is the service resource of a looked-up dialog.
type LookupServiceResource struct {
	ID                         string        `json:"id"`
	IsDelegable                bool          `json:"isDelegable"`
	MinimumAuthenticationLevel int           `json:"minimumAuthenticationLevel"`
	Name                       Localizations `json:"name"`
}

// AuthorizationEvidenceItem is one grant that gives the caller access to a looked-up dialog.
type AuthorizationEvidenceItem struct {
	GrantType GrantType     `json:"grantType"`
	Subject   string        `json:"subject"`
	Name      Localizations `json:"name"`
	Links     *Links        `json:"links,omitempty"`
}

// AuthorizationEvidence explains why the caller may see a looked-up dialog.
type AuthorizationEvidence struct {
	CurrentAuthenticationLevel int                         `json:"currentAuthenticationLevel"`
	ViaRole                    bool                        `json:"viaRole"`
	ViaAccessPackage           bool                        `json:"viaAccessPackage"`
	ViaResourceDelegation      bool                        `json:"viaResourceDelegation"`
	ViaInstanceDelegation      bool                        `json:"viaInstanceDelegation"`
	Evidence                   []AuthorizationEvidenceItem `json:"evidence"`
}

// DialogLookup is the dialog an instance reference (urn:altinn:instance-id:…,
// urn:altinn:correspondence-id:…, urn:altinn:dialog-id:…) resolves to.
type DialogLookup struct {
	DialogID              string                `json:"dialogId"`
	InstanceRef           string                `json:"instanceRef"`
	Party                 string                `json:"party"`
	Title                 Localizations         `json:"title"`
	ServiceResource       LookupServiceResource `json:"serviceResource"`
	ServiceOwner          ServiceOwner          `json:"serviceOwner"`
	AuthorizationEvidence AuthorizationEvidence `json:"authorizationEvidence"`
}

// EndUserSearchLimits are the most filter values one end-user search accepts.
type EndUserSearchLimits struct {
	MaxPartyFilterValues           int `json:"maxPartyFilterValues"`
	MaxServiceResourceFilterValues int `json:"maxServiceResourceFilterValues"`
	MaxOrgFilterValues             int `json:"maxOrgFilterValues"`
	MaxExtendedStatusFilterValues  int `json:"maxExtendedStatusFilterValues"`
}

// ServiceOwnerSearchLimits are the most filter values one service-owner search accepts.
type ServiceOwnerSearchLimits struct {
	MaxPartyFilterValues           int `json:"maxPartyFilterValues"`
	MaxServiceResourceFilterValues int `json:"maxServiceResourceFilterValues"`
	MaxExtendedStatusFilterValues  int `json:"maxExtendedStatusFilterValues"`
}

// Limits are the currently enforced query limits.
type Limits struct {
	EndUserSearch      EndUserSearchLimits      `json:"endUserSearch"`
	ServiceOwnerSearch ServiceOwnerSearchLimits `json:"serviceOwnerSearch"`
}

// JWK is one public key that signs dialog tokens (Ed25519, kty OKP).
type JWK struct {
	Kty string `json:"kty"`
	Use string `json:"use"`
	Kid string `json:"kid"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Alg string `json:"alg"`
}

// JWKS is the key set that signs dialog tokens.
type JWKS struct {
	Keys []JWK `json:"keys"`
}

// AuthorizationServerMetadata names the dialog-token issuer and its key set.
type AuthorizationServerMetadata struct {
	Issuer  string `json:"issuer"`
	JWKSURI string `json:"jwks_uri"`
}

// Download is a streamed file. The caller must close Body.
type Download struct {
	Body               io.ReadCloser
	ContentType        string
	ContentDisposition string
	// ContentLength is -1 when unknown.
	ContentLength int64
}
