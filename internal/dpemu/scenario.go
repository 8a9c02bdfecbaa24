package dpemu

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/innboks/innboks/internal/dpemu/ident"
)

// ScenarioOptions select and parameterise a seeded scenario.
type ScenarioOptions struct {
	Name    string    // default, accountant, extreme or massive
	Seed    uint64    // same seed and Now give the same data
	BaseURL string    // emulator root URL; content and attachment URLs point under it
	Now     time.Time // the scenario's "now"; timestamps are spread before (and a few after) it
}

// TestUser is a person who can log in to the scenario (for the ID-porten double's picker).
type TestUser struct {
	PID         string
	Name        string
	Description string
}

// Scenario is a seeded data set.
type Scenario struct {
	Name  string
	users []TestUser
}

// Users returns the persons who can log in, main user first.
func (s *Scenario) Users() []TestUser { return append([]TestUser(nil), s.users...) }

// ScenarioNames lists the available scenarios.
func ScenarioNames() []string { return []string{"default", "accountant", "extreme", "massive"} }

// BuildScenario seeds st with the named scenario.
func BuildScenario(st *Store, o ScenarioOptions) (*Scenario, error) {
	g := newGen(st, o)
	g.catalogue()
	var err error
	switch o.Name {
	case "default", "":
		err = g.defaultScenario()
	case "accountant":
		err = g.accountantScenario()
	case "extreme":
		err = g.extremeScenario()
	case "massive":
		err = g.massiveScenario()
	default:
		return nil, fmt.Errorf("dpemu: unknown scenario %q (have %s)", o.Name, strings.Join(ScenarioNames(), ", "))
	}
	if err != nil {
		return nil, err
	}
	sc := &Scenario{Name: o.Name}
	if sc.Name == "" {
		sc.Name = "default"
	}
	for _, u := range st.Users() {
		sc.users = append(sc.users, TestUser{PID: u.PID, Name: u.Name, Description: u.Description})
	}
	return sc, nil
}

// gen generates scenario data deterministically from the seed.
type gen struct {
	st      *Store
	o       ScenarioOptions
	rnd     *rand.Rand
	ids     *idSource
	now     time.Time
	base    string
	owners  []ownerSpec
	nPerson int
	nOrg    int
	partyID int
	pids    map[string]bool
	titles  map[string]Text
	// byResource indexes owners/resources by resource id: owner index, resource index.
	byResource map[string][2]int
}

func newGen(st *Store, o ScenarioOptions) *gen {
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	return &gen{st: st, o: o, rnd: rand.New(rand.NewPCG(o.Seed, 0x5eed)), ids: newIDSource(o.Seed ^ 0xd1a1),
		now: norm(now), base: strings.TrimSuffix(o.BaseURL, "/"), partyID: 50001000, pids: map[string]bool{}, titles: map[string]Text{}}
}

// tr is a text in nb, nn and en.
func tr(nb, nn, en string) Text {
	return Text{{LanguageCode: "nb", Value: nb}, {LanguageCode: "nn", Value: nn}, {LanguageCode: "en", Value: en}}
}

// resourceSpec is a service resource and how its dialogs look.
type resourceSpec struct {
	id, typ   string
	name      Text
	minLevel  int
	titles    []Text // title templates; %d is replaced by a number (year, case no)
	summaries []Text
}

// ownerSpec is a service owner and its resources.
type ownerSpec struct {
	code, orgNo string
	name        Text
	legacyHTML  bool // this owner still sends HTML content
	resources   []resourceSpec
}

func (g *gen) catalogue() {
	g.owners = []ownerSpec{
		{code: "skd", orgNo: "974761076", name: tr("Skatteetaten", "Skatteetaten", "The Norwegian Tax Administration"), resources: []resourceSpec{
			{id: "skd-skattemelding", typ: ResourceTypeApp, name: tr("Skattemelding", "Skattemelding", "Tax return"), minLevel: 3,
				titles:    []Text{tr("Skattemelding for %d", "Skattemelding for %d", "Tax return for %d")},
				summaries: []Text{tr("Skattemeldingen din er klar. Kontroller opplysningene og lever innen fristen.", "Skattemeldinga di er klar. Kontroller opplysningane og lever innan fristen.", "Your tax return is ready. Check the details and submit before the deadline.")}},
			{id: "skd-skattekort", typ: ResourceTypeGeneric, name: tr("Skattekort", "Skattekort", "Tax deduction card"), minLevel: 4,
				titles:    []Text{tr("Nytt skattekort for %d", "Nytt skattekort for %d", "New tax deduction card for %d")},
				summaries: []Text{tr("Skattekortet ditt er endret. Tabelltrekk og prosentsats er oppdatert.", "Skattekortet ditt er endra. Tabelltrekk og prosentsats er oppdatert.", "Your tax card has changed. Table and percentage are updated.")}},
			{id: "skd-korrespondanse", typ: ResourceTypeCorrespondence, name: tr("Brev fra Skatteetaten", "Brev frå Skatteetaten", "Letters from the Tax Administration"), minLevel: 3,
				titles:    []Text{tr("Varsel om tvangsmulkt (sak %d)", "Varsel om tvangsmulkt (sak %d)", "Notice of coercive fine (case %d)"), tr("Vedtak om endring av skatteoppgjør %d", "Vedtak om endring av skatteoppgjer %d", "Decision to change tax settlement %d")},
				summaries: []Text{tr("Du har fått et brev fra Skatteetaten. Les brevet og eventuelle vedlegg.", "Du har fått eit brev frå Skatteetaten. Les brevet og eventuelle vedlegg.", "You have received a letter from the Tax Administration.")}},
		}},
		{code: "nav", orgNo: "889640782", name: tr("NAV", "NAV", "Norwegian Labour and Welfare Administration"), resources: []resourceSpec{
			{id: "nav-sykepenger", typ: ResourceTypeApp, name: tr("Søknad om sykepenger", "Søknad om sjukepengar", "Sick pay application"), minLevel: 3,
				titles:    []Text{tr("Søknad om sykepenger (periode %d)", "Søknad om sjukepengar (periode %d)", "Sick pay application (period %d)")},
				summaries: []Text{tr("Fyll ut og send søknaden om sykepenger for perioden.", "Fyll ut og send søknaden om sjukepengar for perioden.", "Complete and send the sick pay application for the period.")}},
			{id: "nav-korrespondanse", typ: ResourceTypeCorrespondence, name: tr("Brev fra NAV", "Brev frå NAV", "Letters from NAV"), minLevel: 3,
				titles:    []Text{tr("Vedtak om dagpenger (sak %d)", "Vedtak om dagpengar (sak %d)", "Decision on unemployment benefit (case %d)"), tr("Inntektsmelding mottatt (%d)", "Inntektsmelding motteken (%d)", "Income report received (%d)")},
				summaries: []Text{tr("NAV har behandlet saken din.", "NAV har behandla saka di.", "NAV has processed your case.")}},
		}},
		{code: "brg", orgNo: "974760673", name: tr("Brønnøysundregistrene", "Brønnøysundregistera", "The Brønnøysund Register Centre"), resources: []resourceSpec{
			{id: "brg-aarsregnskap", typ: ResourceTypeApp, name: tr("Årsregnskap", "Årsrekneskap", "Annual accounts"), minLevel: 3,
				titles:    []Text{tr("Årsregnskap for %d", "Årsrekneskap for %d", "Annual accounts for %d")},
				summaries: []Text{tr("Send inn årsregnskapet med noter og revisjonsberetning.", "Send inn årsrekneskapen med notar og revisjonsmelding.", "Submit the annual accounts with notes and the auditor's report.")}},
			{id: "brg-enhetsregisteret", typ: ResourceTypeCorrespondence, name: tr("Melding fra Enhetsregisteret", "Melding frå Einingsregisteret", "Message from the Central Coordinating Register"), minLevel: 3,
				titles:    []Text{tr("Bekreftelse på registrert endring (%d)", "Stadfesting av registrert endring (%d)", "Confirmation of registered change (%d)")},
				summaries: []Text{tr("Endringen er registrert i Enhetsregisteret.", "Endringa er registrert i Einingsregisteret.", "The change is registered.")}},
		}},
		{code: "svv", orgNo: "971032081", name: tr("Statens vegvesen", "Statens vegvesen", "Norwegian Public Roads Administration"), resources: []resourceSpec{
			{id: "svv-eierskifte", typ: ResourceTypeApp, name: tr("Eierskifte av kjøretøy", "Eigarskifte av køyretøy", "Change of vehicle ownership"), minLevel: 3,
				titles:    []Text{tr("Eierskifte for kjøretøy EL %d", "Eigarskifte for køyretøy EL %d", "Change of ownership for vehicle EL %d")},
				summaries: []Text{tr("Kjøper og selger må begge signere eierskiftet.", "Kjøpar og seljar må begge signere eigarskiftet.", "Buyer and seller must both sign.")}},
			{id: "svv-korrespondanse", typ: ResourceTypeCorrespondence, name: tr("Brev fra Statens vegvesen", "Brev frå Statens vegvesen", "Letters from the Public Roads Administration"), minLevel: 3,
				titles:    []Text{tr("Innkalling til EU-kontroll (%d)", "Innkalling til EU-kontroll (%d)", "Summons to periodic vehicle inspection (%d)")},
				summaries: []Text{tr("Kjøretøyet ditt må godkjennes innen fristen.", "Køyretøyet ditt må godkjennast innan fristen.", "Your vehicle must be inspected before the deadline.")}},
		}},
		{code: "lanekassen", orgNo: "960885406", name: tr("Lånekassen", "Lånekassen", "The Norwegian State Educational Loan Fund"), resources: []resourceSpec{
			{id: "lanekassen-studielan", typ: ResourceTypeApp, name: tr("Søknad om studiestøtte", "Søknad om studiestøtte", "Student finance application"), minLevel: 3,
				titles:    []Text{tr("Søknad om støtte for studieåret %d", "Søknad om støtte for studieåret %d", "Student finance for the academic year %d")},
				summaries: []Text{tr("Søknaden er under behandling.", "Søknaden er under behandling.", "The application is being processed.")}},
		}},
		{code: "husbanken", orgNo: "942587821", legacyHTML: true, name: tr("Husbanken", "Husbanken", "The Norwegian State Housing Bank"), resources: []resourceSpec{
			{id: "husbanken-bostotte", typ: ResourceTypeGeneric, name: tr("Bostøtte", "Bustøtte", "Housing allowance"), minLevel: 3,
				titles:    []Text{tr("Vedtak om bostøtte for %d", "Vedtak om bustøtte for %d", "Housing allowance decision for %d")},
				summaries: []Text{tr("Du får bostøtte for perioden.", "Du får bustøtte for perioden.", "You will receive housing allowance for the period.")}},
		}},
		{code: "osl", orgNo: "958935420", legacyHTML: true, name: tr("Oslo kommune", "Oslo kommune", "City of Oslo"), resources: []resourceSpec{
			{id: "oslo-byggesak", typ: ResourceTypeApp, name: tr("Byggesøknad", "Byggjesøknad", "Building application"), minLevel: 3,
				titles:    []Text{tr("Byggesak %d: tilbygg", "Byggjesak %d: tilbygg", "Building case %d: extension")},
				summaries: []Text{tr("Kommunen trenger mer dokumentasjon.", "Kommunen treng meir dokumentasjon.", "The municipality needs more documentation.")}},
		}},
		{code: "at", orgNo: "974761211", name: tr("Arbeidstilsynet", "Arbeidstilsynet", "Norwegian Labour Inspection Authority"), resources: []resourceSpec{
			{id: "at-tilsyn", typ: ResourceTypeCorrespondence, name: tr("Tilsynsrapport", "Tilsynsrapport", "Inspection report"), minLevel: 3,
				titles:    []Text{tr("Varsel om tilsyn %d", "Varsel om tilsyn %d", "Notice of inspection %d")},
				summaries: []Text{tr("Arbeidstilsynet kommer på tilsyn. Se vedlagt sjekkliste.", "Arbeidstilsynet kjem på tilsyn. Sjå vedlagd sjekkliste.", "The Labour Inspection Authority will inspect. See the attached checklist.")}},
		}},
		{code: "mat", orgNo: "985399077", name: tr("Mattilsynet", "Mattilsynet", "Norwegian Food Safety Authority"), resources: []resourceSpec{
			{id: "mat-registrering", typ: ResourceTypeApp, name: tr("Registrering av virksomhet", "Registrering av verksemd", "Registration of business"), minLevel: 3,
				titles:    []Text{tr("Registrering av næringsmiddelvirksomhet %d", "Registrering av næringsmiddelverksemd %d", "Registration of food business %d")},
				summaries: []Text{tr("Registreringen er mottatt.", "Registreringa er motteken.", "The registration has been received.")}},
		}},
		{code: "digdir", orgNo: "991825827", name: tr("Digitaliseringsdirektoratet", "Digitaliseringsdirektoratet", "Norwegian Digitalisation Agency"), resources: []resourceSpec{
			{id: "digdir-informasjon", typ: ResourceTypeGeneric, name: tr("Informasjon fra Digdir", "Informasjon frå Digdir", "Information from Digdir"), minLevel: 0,
				titles:    []Text{tr("Nytt i Altinn %d", "Nytt i Altinn %d", "News in Altinn %d")},
				summaries: []Text{tr("Les om endringene i innboksen.", "Les om endringane i innboksen.", "Read about the changes to the inbox.")}},
		}},
	}
	for i := range g.owners {
		o := &g.owners[i]
		if !ident.ValidOrgNumber(o.orgNo) {
			o.orgNo = syntheticOrgNumber(900 + i)
		}
		g.st.AddServiceOwner(ServiceOwner{Code: o.code, OrgNumber: o.orgNo, Name: o.name})
		for j := range o.resources {
			r := &o.resources[j]
			r.id = "urn:altinn:resource:" + r.id
			g.st.AddServiceResource(ServiceResource{ID: r.id, ResourceType: r.typ, Org: o.code, Name: r.name,
				MinimumAuthenticationLevel: r.minLevel, IsDelegable: true, Status: "Completed"})
		}
	}
}

// person adds a person party with a synthetic pid.
func (g *gen) person(name string, birth time.Time) Party {
	var pid string
	for {
		g.nPerson++
		pid = syntheticPID(birth, g.nPerson)
		if !g.pids[pid] {
			g.pids[pid] = true
			break
		}
	}
	g.partyID++
	p := Party{URN: personPrefix + pid, UUID: g.ids.v4(), PartyID: g.partyID, Name: strings.ToUpper(name), Type: PartyPerson,
		DateOfBirth: birth.Format("2006-01-02")}
	g.st.AddParty(p)
	return p
}

// org adds an organisation (a sub-unit when parent is not empty).
func (g *gen) org(name, parent string, deleted bool) Party {
	g.nOrg++
	g.partyID++
	p := Party{URN: orgPrefix + syntheticOrgNumber(g.nOrg), UUID: g.ids.v4(), PartyID: g.partyID, Name: strings.ToUpper(name),
		Type: PartyOrganization, IsDeleted: deleted, Parent: parent}
	g.st.AddParty(p)
	return p
}

func pidOf(p Party) string { return strings.TrimPrefix(p.URN, personPrefix) }

var everything = []Right{{"*", "*"}}
