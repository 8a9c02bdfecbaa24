package dpemu

import "strings"

// wEvidenceItem is one grant of a lookup's authorizationEvidence
// (V1CommonIdentifierLookup_IdentifierLookupAuthorizationEvidenceItem).
type wEvidenceItem struct {
	GrantType string          `json:"grantType"`
	Subject   string          `json:"subject"`
	Name      []wLocalization `json:"name"`
}

// wEvidence is a lookup's authorizationEvidence
// (V1CommonIdentifierLookup_IdentifierLookupAuthorizationEvidence).
type wEvidence struct {
	CurrentAuthenticationLevel int             `json:"currentAuthenticationLevel"`
	ViaRole                    bool            `json:"viaRole"`
	ViaAccessPackage           bool            `json:"viaAccessPackage"`
	ViaResourceDelegation      bool            `json:"viaResourceDelegation"`
	ViaInstanceDelegation      bool            `json:"viaInstanceDelegation"`
	Evidence                   []wEvidenceItem `json:"evidence"`
}

// Grant types of the lookup's evidence (V1CommonIdentifierLookup_IdentifierLookupGrantType).
const (
	GrantRole               = "Role"
	GrantAccessPackage      = "AccessPackage"
	GrantResourceDelegation = "ResourceDelegation"
)

// lookupEvidence explains, from the caller's access to the dialog's party, why the caller may
// see d (§4.11). The emulator's access model gives three kinds of grant:
//   - Role: acting for oneself (PRIV, privatperson) or holding a key role for the party (DAGL);
//   - ResourceDelegation: a right on the dialog's own service resource, delegated singly;
//   - AccessPackage: rights on any resource of the party without a key role, as an access
//     package gives them (post-og-arkiv for correspondence, skatt-avgift-regnskap-og-toll else).
//
// In the default scenario Kari Nordmann's own dialogs and those of Nordmann Regnskap AS and
// Gamle Handel AS come through a role, Fjelltopp Bygg AS's (and its sub-unit's) through an
// access package, and Havbris Fiskeri AS avd Ålesund's through resource delegations.
// InstanceDelegation (one dialog delegated) is not modelled.
func (e *Emulator) lookupEvidence(c *caller, d *Dialog, prefs *langPrefs) wEvidence {
	ev := wEvidence{CurrentAuthenticationLevel: c.AuthLevel, Evidence: []wEvidenceItem{}}
	pa := c.access.byParty[d.Party]
	if pa == nil {
		return ev
	}
	add := func(grant, subject string, name Text) {
		ev.Evidence = append(ev.Evidence, wEvidenceItem{GrantType: grant, Subject: subject, Name: prefs.prune(name)})
	}
	switch {
	case strings.EqualFold(pa.Party, c.URN):
		ev.ViaRole = true
		add(GrantRole, "urn:altinn:rolecode:priv", Text{{LanguageCode: "nb", Value: "Privatperson"}, {LanguageCode: "nn", Value: "Privatperson"}, {LanguageCode: "en", Value: "Private person"}})
	case pa.HasKeyRole:
		ev.ViaRole = true
		add(GrantRole, "urn:altinn:rolecode:dagl", Text{{LanguageCode: "nb", Value: "Daglig leder"}, {LanguageCode: "nn", Value: "Dagleg leiar"}, {LanguageCode: "en", Value: "Managing director"}})
	}
	for _, r := range pa.Rights {
		if r.Resource == d.ServiceResource {
			ev.ViaResourceDelegation = true
			var name Text
			if res := e.store.resources.byKey[d.ServiceResource]; res != nil {
				name = res.Name
			}
			add(GrantResourceDelegation, d.ServiceResource, name)
			break
		}
	}
	if !ev.ViaRole && !ev.ViaResourceDelegation && pa.Allows(d.ServiceResource, "read") {
		ev.ViaAccessPackage = true
		if d.ServiceResourceType == ResourceTypeCorrespondence {
			add(GrantAccessPackage, "urn:altinn:accesspackage:post-og-arkiv", Text{{LanguageCode: "nb", Value: "Post og arkiv"}, {LanguageCode: "nn", Value: "Post og arkiv"}, {LanguageCode: "en", Value: "Mail and archive"}})
		} else {
			add(GrantAccessPackage, "urn:altinn:accesspackage:skatt-avgift-regnskap-og-toll", Text{{LanguageCode: "nb", Value: "Skatt, avgift, regnskap og toll"}, {LanguageCode: "nn", Value: "Skatt, avgift, rekneskap og toll"}, {LanguageCode: "en", Value: "Tax, fees, accounting and customs"}})
		}
	}
	return ev
}
