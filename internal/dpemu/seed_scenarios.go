package dpemu

import (
	"fmt"
	"strings"
	"time"
)

// resource returns the owner and resource specs of a resource id (without the urn prefix).
func (g *gen) resource(id string) (*ownerSpec, *resourceSpec) {
	if g.byResource == nil {
		g.byResource = map[string][2]int{}
		for i := range g.owners {
			for j := range g.owners[i].resources {
				g.byResource[strings.TrimPrefix(g.owners[i].resources[j].id, "urn:altinn:resource:")] = [2]int{i, j}
			}
		}
	}
	ij, ok := g.byResource[id]
	if !ok {
		panic("dpemu: unknown seed resource " + id) // a typo in the lists below
	}
	return &g.owners[ij[0]], &g.owners[ij[0]].resources[ij[1]]
}

var (
	personResources = []string{"skd-skattemelding", "skd-skattekort", "skd-korrespondanse", "nav-sykepenger", "nav-korrespondanse",
		"svv-eierskifte", "svv-korrespondanse", "lanekassen-studielan", "husbanken-bostotte", "oslo-byggesak", "digdir-informasjon"}
	orgResources = []string{"skd-korrespondanse", "skd-skattemelding", "brg-aarsregnskap", "brg-enhetsregisteret", "nav-korrespondanse",
		"at-tilsyn", "mat-registrering", "svv-eierskifte", "oslo-byggesak", "digdir-informasjon"}
	// defaultStates is the weighted state distribution of the default scenario.
	defaultStates = []dialogState{stateNew, stateNew, stateNew, stateNew, stateNew, stateDraft, stateDraft, stateSent, stateSent,
		stateCompleted, stateCompleted, stateCompleted, stateArchived, stateArchived, stateBinned, stateExpired, stateFuture,
		stateDeleted, stateUnopened, stateUnopened}
	bulkStates = []dialogState{stateNew, stateNew, stateNew, stateCompleted, stateCompleted, stateArchived, stateSent, stateDraft,
		stateBinned, stateUnopened}
)

// partyDialogs generates n dialogs for party from resources. The first states in order cover
// every state once; the rest follow states' weights.
func (g *gen) partyDialogs(party Party, n int, resources []string, states []dialogState, lean bool, seenBy []User, others []User) []*Dialog {
	out := make([]*Dialog, 0, n)
	for i := 0; i < n; i++ {
		owner, res := g.resource(resources[g.pick(len(resources))])
		st := states[g.pick(len(states))]
		if !lean && i <= int(stateUnopened) {
			st = dialogState(i)
		}
		s := dialogSpec{party: party, owner: owner, res: res, state: st, lean: lean,
			created: g.now.Add(-time.Duration(1+g.pick(24*365*2))*time.Hour - time.Duration(g.rnd.Int64N(int64(time.Hour))))}
		if !lean {
			s.secretTx = g.pick(12) == 0
			s.hugeFile = g.pick(25) == 0
		}
		if res.typ == ResourceTypeCorrespondence {
			s.confirm = g.pick(3) == 0
			s.confirmed = s.confirm && g.pick(2) == 0
		}
		if st != stateUnopened && st != stateNew && g.pick(5) < 3 {
			s.seenBy = append(s.seenBy, seenBy...)
		}
		if len(others) > 0 && g.pick(6) == 0 {
			s.seenBy = append(s.seenBy, others...)
		}
		out = append(out, g.dialog(s))
	}
	return out
}

func (g *gen) defaultScenario() error {
	kariP := g.person("Kari Nordmann", time.Date(1985, 3, 14, 0, 0, 0, 0, time.UTC))
	olaP := g.person("Ola Nordmann", time.Date(1979, 11, 2, 0, 0, 0, 0, time.UTC))
	regnskap := g.org("Nordmann Regnskap AS", "", false)
	bygg := g.org("Fjelltopp Bygg AS", "", false)
	byggAvd := g.org("Fjelltopp Bygg AS avd Bergen", bygg.URN, false)
	havbris := g.org("Havbris Fiskeri AS", "", false)
	havbrisAvd := g.org("Havbris Fiskeri AS avd Ålesund", havbris.URN, false)
	gamle := g.org("Gamle Handel AS", "", true)

	readWrite := []Right{{"*", "read"}, {"*", "write"}, {"*", "delete"}}
	havbrisResources := []string{"skd-korrespondanse", "nav-sykepenger", "brg-enhetsregisteret"}
	kari := User{PID: pidOf(kariP), Name: "Kari Nordmann", AuthLevel: 3,
		Description: "Daglig leder i Nordmann Regnskap AS; representerer seg selv, fem virksomheter og en underenhet",
		Access: []PartyAccess{
			{Party: kariP.URN, Rights: []Right{{"*", "*"}, {attrSigning, "*"}}},
			{Party: regnskap.URN, Rights: []Right{{"*", "*"}, {attrSigning, "*"}}, HasKeyRole: true, IsMainAdministrator: true, IsAccessManager: true},
			{Party: bygg.URN, Rights: readWrite},
			{Party: byggAvd.URN, Rights: readWrite},
			{Party: havbrisAvd.URN, Rights: []Right{{"urn:altinn:resource:skd-korrespondanse", "read"},
				{"urn:altinn:resource:nav-sykepenger", "list"}, {"urn:altinn:resource:brg-enhetsregisteret", "read"}}},
			{Party: gamle.URN, Rights: everything, HasKeyRole: true},
		}}
	ola := User{PID: pidOf(olaP), Name: "Ola Nordmann", AuthLevel: 3,
		Description: "Regnskapsmedarbeider med begrensede rettigheter i Nordmann Regnskap AS",
		Access: []PartyAccess{
			{Party: olaP.URN, Rights: everything},
			{Party: regnskap.URN, Rights: []Right{{"urn:altinn:resource:skd-korrespondanse", "read"}, {"urn:altinn:resource:brg-aarsregnskap", "list"},
				{"urn:altinn:resource:brg-enhetsregisteret", "read"}}},
		}}
	g.st.AddUser(kari)
	g.st.AddUser(ola)

	var all []*Dialog
	all = append(all, g.partyDialogs(kariP, 90, personResources, defaultStates, false, []User{kari}, []User{ola})...)
	all = append(all, g.partyDialogs(regnskap, 110, orgResources, defaultStates, false, []User{kari}, []User{ola})...)
	all = append(all, g.partyDialogs(bygg, 40, orgResources, defaultStates, false, []User{kari}, nil)...)
	all = append(all, g.partyDialogs(byggAvd, 25, orgResources, defaultStates, false, []User{kari}, nil)...)
	all = append(all, g.partyDialogs(havbrisAvd, 20, havbrisResources, defaultStates, false, []User{kari}, nil)...)
	all = append(all, g.partyDialogs(havbris, 5, orgResources, defaultStates, false, nil, nil)...)
	all = append(all, g.partyDialogs(gamle, 10, orgResources, defaultStates, false, []User{kari}, nil)...)
	all = append(all, g.partyDialogs(olaP, 20, personResources, defaultStates, false, []User{ola}, nil)...)
	all = append(all, g.liveUpdateDialog(kariP)) // seed_live.go
	return g.st.LoadDialogs(all)
}

// accountantScenario: an accountant acting for about 2,000 client organisations with about
// 100,000 dialogs between them.
func (g *gen) accountantScenario() error {
	anneP := g.person("Anne Regnskapsfører", time.Date(1975, 6, 21, 0, 0, 0, 0, time.UTC))
	anne := User{PID: pidOf(anneP), Name: "Anne Regnskapsfører", AuthLevel: 3,
		Description: "Autorisert regnskapsfører for om lag 2 000 klientvirksomheter (100 000 dialoger)",
		Access:      []PartyAccess{{Party: anneP.URN, Rights: everything}}}
	all := make([]*Dialog, 0, 100_100)
	all = append(all, g.partyDialogs(anneP, 30, personResources, defaultStates, false, nil, nil)...)
	var parent Party
	for i := 0; i < 2000; i++ {
		var p Party
		if i%40 == 39 {
			p = g.org(fmt.Sprintf("%s avd %d", parent.Name, i), parent.URN, false)
		} else {
			p = g.org(fmt.Sprintf("Klient %04d %s AS", i+1, clientWords[i%len(clientWords)]), "", i%97 == 96)
			parent = p
		}
		anne.Access = append(anne.Access, PartyAccess{Party: p.URN, Rights: everything})
		all = append(all, g.partyDialogs(p, 50, orgResources, bulkStates, true, nil, nil)...)
	}
	g.st.AddUser(anne)
	return g.st.LoadDialogs(all)
}

var clientWords = []string{"Bakeri", "Bygg", "Rørlegger", "Frisør", "Transport", "Konsult", "Maskin", "Fisk", "Handel", "Eiendom", "Elektro", "Tannlege"}

// extremeScenario: a person who may act for 15,000 parties.
func (g *gen) extremeScenario() error {
	p0 := g.person("Ekstrem Tilgang", time.Date(1968, 1, 5, 0, 0, 0, 0, time.UTC))
	u := User{PID: pidOf(p0), Name: "Ekstrem Tilgang", AuthLevel: 3,
		Description: "Person med tilgang til 15 000 parter",
		Access:      []PartyAccess{{Party: p0.URN, Rights: everything}}}
	all := g.partyDialogs(p0, 20, personResources, defaultStates, false, nil, nil)
	for i := 1; i < 15000; i++ {
		p := g.org(fmt.Sprintf("Virksomhet %05d %s AS", i, clientWords[i%len(clientWords)]), "", false)
		u.Access = append(u.Access, PartyAccess{Party: p.URN, Rights: everything})
		if i%5 == 0 {
			all = append(all, g.partyDialogs(p, 1, orgResources, bulkStates, true, nil, nil)...)
		}
	}
	g.st.AddUser(u)
	return g.st.LoadDialogs(all)
}

// massiveScenario: a person who may act for 100,000 parties, as the largest real users do
// (Dialogporten's party list has no paging): organisations with a sub-unit every 20th, a
// person every 100th, and a dialog for every 25th party.
func (g *gen) massiveScenario() error {
	p0 := g.person("Massiv Tilgang", time.Date(1966, 9, 9, 0, 0, 0, 0, time.UTC))
	u := User{PID: pidOf(p0), Name: "Massiv Tilgang", AuthLevel: 3,
		Description: "Person med tilgang til 100 000 parter",
		Access:      make([]PartyAccess, 0, 100_000)}
	u.Access = append(u.Access, PartyAccess{Party: p0.URN, Rights: everything})
	all := g.partyDialogs(p0, 20, personResources, defaultStates, false, nil, nil)
	var parent Party
	for i := 1; i < 100_000; i++ {
		var p Party
		switch {
		case i%100 == 0:
			p = g.person(fmt.Sprintf("Klient %06d Person", i), time.Date(1940+i%60, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC))
		case i%20 == 19 && parent.URN != "":
			p = g.org(fmt.Sprintf("%s avd %d", parent.Name, i), parent.URN, false)
		default:
			p = g.org(fmt.Sprintf("Kunde %06d %s AS", i, clientWords[i%len(clientWords)]), "", i%997 == 0)
			parent = p
		}
		u.Access = append(u.Access, PartyAccess{Party: p.URN, Rights: everything})
		if res := orgResources; i%25 == 0 {
			if p.Type == PartyPerson {
				res = personResources
			}
			all = append(all, g.partyDialogs(p, 1, res, bulkStates, true, nil, nil)...)
		}
	}
	g.st.AddUser(u)
	return g.st.LoadDialogs(all)
}
