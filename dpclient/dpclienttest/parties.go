package dpclienttest

import (
	"fmt"
	"strings"

	"github.com/innboks/innboks/dpclient"
)

// SelfUUID is the logged-in person's partyUuid in Parties and ManyParties.
const SelfUUID = "00000000-0000-0000-0000-0000000000f1"

// Parties is a small party list: the user, another person, three organisations (one deleted, one with a sub-unit).
func Parties() *dpclient.PartiesResult {
	return &dpclient.PartiesResult{AuthorizedParties: []dpclient.AuthorizedParty{
		{Party: "urn:altinn:organization:identifier-no:310000001", PartyUUID: "00000000-0000-0000-0000-0000000000a1", Name: "BERGEN BAKERI AS", PartyType: dpclient.PartyTypeOrganization,
			SubParties: []dpclient.AuthorizedParty{
				{Party: "urn:altinn:organization:identifier-no:310000011", PartyUUID: "00000000-0000-0000-0000-0000000000a2", Name: "BERGEN BAKERI AVD SENTRUM", PartyType: dpclient.PartyTypeOrganization},
			}},
		{Party: "urn:altinn:person:identifier-no:01017012345", PartyUUID: "00000000-0000-0000-0000-0000000000f1", Name: "KARI NORDMANN", PartyType: dpclient.PartyTypePerson, IsCurrentEndUser: true, DateOfBirth: "1970-01-01"},
		{Party: "urn:altinn:organization:identifier-no:310000002", PartyUUID: "00000000-0000-0000-0000-0000000000b1", Name: "ALTA AUTO AS", PartyType: dpclient.PartyTypeOrganization},
		{Party: "urn:altinn:organization:identifier-no:310000003", PartyUUID: "00000000-0000-0000-0000-0000000000c1", Name: "OSLO OPPLØST AS", PartyType: dpclient.PartyTypeOrganization, IsDeleted: true},
		{Party: "urn:altinn:person:identifier-no:02028012345", PartyUUID: "00000000-0000-0000-0000-0000000000f2", Name: "OLA NORDMANN", PartyType: dpclient.PartyTypePerson, DateOfBirth: "1980-02-02"},
	}}
}

// ManyParties is the "extreme" shape: the user and n organisations, every tenth with a sub-unit.
func ManyParties(n int) *dpclient.PartiesResult {
	res := &dpclient.PartiesResult{AuthorizedParties: []dpclient.AuthorizedParty{
		{Party: "urn:altinn:person:identifier-no:01017012345", PartyUUID: SelfUUID, Name: "KARI NORDMANN", PartyType: dpclient.PartyTypePerson, IsCurrentEndUser: true},
	}}
	words := []string{"BYGG", "REGNSKAP", "TRANSPORT", "FISK", "DATA", "HELSE", "EIENDOM", "KONSULENT"}
	for i := range n {
		ap := dpclient.AuthorizedParty{
			Party:     fmt.Sprintf("urn:altinn:organization:identifier-no:%09d", 310000000+i),
			PartyUUID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i),
			Name:      fmt.Sprintf("%s %s %d AS", words[i%len(words)], strings.Repeat("NORD", 1+i%3), i),
			PartyType: dpclient.PartyTypeOrganization, IsDeleted: i%97 == 0,
		}
		if i%10 == 0 {
			ap.SubParties = []dpclient.AuthorizedParty{{
				Party:     fmt.Sprintf("urn:altinn:organization:identifier-no:%09d", 800000000+i),
				PartyUUID: fmt.Sprintf("00000000-0000-4000-9000-%012d", i),
				Name:      ap.Name + " AVD", PartyType: dpclient.PartyTypeOrganization,
			}}
		}
		res.AuthorizedParties = append(res.AuthorizedParties, ap)
	}
	return res
}
