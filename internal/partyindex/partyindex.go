// Package partyindex orders the parties a person may act for the way the chooser shows them
// (own person first, then persons, then organisations by name with their sub-units right after
// them) and searches them by name or organisation number: by a scan for small lists and by the
// rarest trigram for the accountant with 100,000 clients. An Index is read-only once built, so
// the sessions of one person share it (internal/inbox/parties.go).
package partyindex

import (
	"cmp"
	"encoding/binary"
	"slices"
	"strings"

	"github.com/innboks/innboks/dpclient"
)

// The chooser's special choices: search across every organisation or every person.
const (
	AllOrgs    = "all-orgs"
	AllPersons = "all-persons"
)

// Party is one party the user may act for, flattened for the chooser. URN is used only towards
// Dialogporten: for persons it contains the national identity number, so it never goes into a
// URL, an HTML attribute or a log; UUID addresses the party everywhere else.
type Party struct {
	UUID        string
	URN         string
	Name        string
	Type        dpclient.PartyType
	OrgNo       string // organisations only
	DateOfBirth string // persons only, "YYYY-MM-DD"
	IsDeleted   bool
	IsSelf      bool   // the logged-in person
	ParentUUID  string // set on sub-units
	ParentName  string
	NoAccess    bool // a parent the user reaches only through its sub-units
}

// IsOrg reports whether the party is an organisation (or a sub-unit).
func (p Party) IsOrg() bool { return p.Type == dpclient.PartyTypeOrganization }

// Index is a user's parties ordered for the chooser (own person first, then persons, then
// organisations by name with their sub-units right after them) and indexed for search. It is
// read-only once built, so the sessions of one person share it (parties.go).
type Index struct {
	All    []Party
	byUUID map[string]int
	byURN  []int32  // indexes of All in URN order
	orgs   []string // URNs of the selectable organisations, for AllOrgs
	people []string // URNs of the selectable persons, for AllPersons
	self   int      // index of the logged-in person in All, -1 when absent
	text   string   // every party's search text (lower-cased name and org number), in order
	starts []uint32 // party i's text is text[starts[i]:starts[i+1]]
	// grams lists, for an index of at least gramMin parties, the parties whose text has each
	// trigram (bytes folded into 64 classes, see slot): post[grams[s]:grams[s+1]] is slot s's
	// ascending party indexes as delta varints, about 35 bytes a party. A word of three bytes
	// or more then looks only at the parties of its rarest trigram.
	grams []uint32
	post  []byte
	// short counts, with the trigrams, the parties whose text has each byte pair (a<<8|b) or
	// byte (1<<16+c), without and with the deleted ones: the total of a one- or two-letter
	// search, which matches too many parties to count one by one.
	short [][2]int32
}

// gramMin is the size from which an index keeps trigrams: below it a search scans every
// party's text in tens of microseconds, and the 1 MB of trigram offsets would outweigh it.
const gramMin = 4096

// New flattens and orders GetParties' answer.
func New(res *dpclient.PartiesResult) *Index {
	ix := &Index{self: -1}
	if res == nil {
		ix.byUUID = map[string]int{}
		return ix
	}
	n := len(res.AuthorizedParties)
	for i := range res.AuthorizedParties {
		n += len(res.AuthorizedParties[i].SubParties)
	}
	ix.byUUID = make(map[string]int, n)
	// Sort keys are computed once per party, not per comparison (15,000 parties).
	type keyed struct {
		ap   *dpclient.AuthorizedParty
		rank int
		name string
	}
	keyOf := func(ap *dpclient.AuthorizedParty) keyed { return keyed{ap, rank(*ap), strings.ToLower(ap.Name)} }
	byKey := func(a, b keyed) int {
		return cmp.Or(-cmp.Compare(a.rank, b.rank), cmp.Compare(a.name, b.name), cmp.Compare(a.ap.PartyUUID, b.ap.PartyUUID))
	}
	top := make([]keyed, len(res.AuthorizedParties))
	for i := range res.AuthorizedParties {
		top[i] = keyOf(&res.AuthorizedParties[i])
	}
	slices.SortFunc(top, byKey)
	ix.All = make([]Party, 0, n)
	for _, k := range top {
		ix.add(toParty(k.ap, nil))
		if len(k.ap.SubParties) == 0 {
			continue
		}
		subs := make([]keyed, len(k.ap.SubParties))
		for i := range k.ap.SubParties {
			subs[i] = keyOf(&k.ap.SubParties[i])
		}
		slices.SortFunc(subs, byKey)
		for _, sk := range subs {
			ix.add(toParty(sk.ap, k.ap))
		}
	}
	var text strings.Builder
	text.Grow(len(ix.All) * 40)
	ix.byURN = make([]int32, len(ix.All))
	ix.starts = make([]uint32, 0, len(ix.All)+1)
	for i, p := range ix.All {
		ix.starts, ix.byURN[i] = append(ix.starts, uint32(text.Len())), int32(i)
		text.WriteString(strings.ToLower(p.Name))
		text.WriteByte(' ')
		text.WriteString(p.OrgNo)
		if p.IsSelf && ix.self < 0 {
			ix.self = i
		}
		switch {
		case p.IsDeleted || p.NoAccess:
		case p.IsOrg():
			ix.orgs = append(ix.orgs, p.URN)
		default:
			ix.people = append(ix.people, p.URN)
		}
	}
	ix.starts = append(ix.starts, uint32(text.Len()))
	ix.text = text.String()
	slices.SortFunc(ix.byURN, func(a, b int32) int { return strings.Compare(ix.All[a].URN, ix.All[b].URN) })
	if len(ix.All) >= gramMin {
		ix.indexGrams()
	}
	return ix
}

// slot folds a trigram into one of 64³ slots: letters and digits keep their own class, other
// bytes (space, punctuation, the bytes of æ, ø, å) share the rest. Search verifies every
// candidate, so a shared slot costs only time.
func slot(a, b, c byte) uint32 {
	class := func(c byte) uint32 {
		switch {
		case c >= 'a' && c <= 'z':
			return uint32(c - 'a')
		case c >= '0' && c <= '9':
			return uint32(c-'0') + 26
		}
		return 36 + uint32(c)%28
	}
	return class(a)<<12 | class(b)<<6 | class(c)
}

// indexGrams builds grams and post in two passes over the texts: sizes, then lists.
func (ix *Index) indexGrams() {
	const slots = 1 << 18
	last := make([]int32, slots)
	each := func(fn func(s uint32, delta uint64)) {
		for s := range last {
			last[s] = -1
		}
		for i := range ix.All {
			t := ix.textOf(i)
			for j := 0; j+3 <= len(t); j++ {
				if s := slot(t[j], t[j+1], t[j+2]); last[s] != int32(i) {
					fn(s, uint64(int32(i)-last[s]))
					last[s] = int32(i)
				}
			}
		}
	}
	ix.grams = make([]uint32, slots+1)
	var buf [binary.MaxVarintLen64]byte
	each(func(s uint32, d uint64) { ix.grams[s+1] += uint32(binary.PutUvarint(buf[:], d)) })
	for s := range slots {
		ix.grams[s+1] += ix.grams[s]
	}
	ix.post = make([]byte, ix.grams[slots])
	at := slices.Clone(ix.grams[:slots])
	each(func(s uint32, d uint64) { at[s] += uint32(binary.PutUvarint(ix.post[at[s]:], d)) })

	ix.short, last = make([][2]int32, 1<<16+256), last[:1<<16+256]
	for k := range last {
		last[k] = -1
	}
	for i := range ix.All {
		t := ix.textOf(i)
		for j := range len(t) {
			for _, k := range [2]int{1<<16 + int(t[j]), int(t[j])<<8 | int(t[min(j+1, len(t)-1)])} {
				if last[k] != int32(i) && (k >= 1<<16 || j+1 < len(t)) {
					last[k] = int32(i)
					ix.short[k][1]++
					if !ix.All[i].IsDeleted {
						ix.short[k][0]++
					}
				}
			}
		}
	}
}

func (ix *Index) textOf(i int) string { return ix.text[ix.starts[i]:ix.starts[i+1]] }

// rank orders the top level: own person, other persons, organisations.
func rank(p dpclient.AuthorizedParty) int {
	switch {
	case p.IsCurrentEndUser:
		return 2
	case p.PartyType != dpclient.PartyTypeOrganization:
		return 1
	}
	return 0
}

var partyTypes = []dpclient.PartyType{dpclient.PartyTypeOrganization, dpclient.PartyTypePerson, dpclient.PartyTypeSelfIdentified}

func toParty(ap *dpclient.AuthorizedParty, parent *dpclient.AuthorizedParty) Party {
	p := Party{
		UUID: ap.PartyUUID, URN: ap.Party, Name: ap.Name, Type: ap.PartyType,
		IsDeleted: ap.IsDeleted, IsSelf: ap.IsCurrentEndUser,
		NoAccess: ap.HasOnlyAccessToSubParties,
	}
	if i := slices.Index(partyTypes, p.Type); i >= 0 {
		p.Type = partyTypes[i] // the constant, not one decoded copy per party
	}
	if p.IsOrg() {
		p.OrgNo = orgNumber(ap.Party)
	} else {
		p.DateOfBirth = ap.DateOfBirth
		p.Name = PersonName(p.Name)
	}
	if parent != nil {
		p.ParentUUID, p.ParentName = parent.PartyUUID, parent.Name
	}
	return p
}

// orgNumber extracts the organisation number from "urn:altinn:organization:identifier-no:NNNNNNNNN".
func orgNumber(urn string) string {
	const prefix = "urn:altinn:organization:identifier-no:"
	if strings.HasPrefix(urn, prefix) {
		return urn[len(prefix):]
	}
	return ""
}

func (ix *Index) add(p Party) {
	if _, dup := ix.byUUID[p.UUID]; dup {
		return
	}
	ix.byUUID[p.UUID] = len(ix.All)
	ix.All = append(ix.All, p)
}

// Get returns the party with the given partyUuid.
func (ix *Index) Get(uuid string) (Party, bool) {
	if i, ok := ix.byUUID[uuid]; ok {
		return ix.All[i], true
	}
	return Party{}, false
}

// ByURN returns the party with the given URN (to name a dialog's party).
func (ix *Index) ByURN(urn string) (Party, bool) {
	if i, ok := slices.BinarySearchFunc(ix.byURN, urn, func(i int32, urn string) int { return strings.Compare(ix.All[i].URN, urn) }); ok {
		return ix.All[ix.byURN[i]], true
	}
	return Party{}, false
}

// Self returns the logged-in person's own party.
func (ix *Index) Self() (Party, bool) {
	if ix.self < 0 {
		return Party{}, false
	}
	return ix.All[ix.self], true
}

// Search returns up to limit parties whose name contains every word of q (case-insensitive) or
// whose organisation number contains q's digits, in chooser order, and how many matched in all.
// Deleted parties are left out unless asked for; parents reachable only through sub-units are
// listed (the chooser shows them disabled).
func (ix *Index) Search(q string, showDeleted bool, limit int) (hits []Party, total int) {
	words := strings.Fields(strings.ToLower(q))
	check := func(i int) {
		if p := &ix.All[i]; (!p.IsDeleted || showDeleted) && matchesAll(ix.textOf(i), words) {
			if total++; len(hits) < limit {
				hits = append(hits, *p)
			}
		}
	}
	best := -1 // the trigram slot with the shortest list
	for _, w := range words {
		for j := 0; ix.grams != nil && j+3 <= len(w); j++ {
			s := int(slot(w[j], w[j+1], w[j+2]))
			if best < 0 || ix.grams[s+1]-ix.grams[s] < ix.grams[best+1]-ix.grams[best] {
				best = s
			}
		}
	}
	if w := strings.Join(words, ""); best < 0 && ix.short != nil && len(words) == 1 && len(w) <= 2 {
		k := 1<<16 + int(w[0])
		if len(w) == 2 {
			k = int(w[0])<<8 | int(w[1])
		}
		n := int(ix.short[k][0])
		if showDeleted {
			n = int(ix.short[k][1])
		}
		for i := 0; i < len(ix.All) && len(hits) < min(limit, n); i++ {
			check(i)
		}
		return hits, n
	}
	if best < 0 {
		for i := range ix.All {
			check(i)
		}
		return hits, total
	}
	for p, i := ix.grams[best], -1; p < ix.grams[best+1]; {
		d, n := binary.Uvarint(ix.post[p:])
		p, i = p+uint32(n), i+int(d)
		check(i)
	}
	return hits, total
}

func matchesAll(s string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

// Group returns the URNs of every selectable organisation (AllOrgs) or person (AllPersons),
// without deleted ones. The slice is shared: callers must not change it.
func (ix *Index) Group(which string) []string {
	switch which {
	case AllOrgs:
		return ix.orgs
	case AllPersons:
		return ix.people
	}
	return nil
}

// IsGroup reports whether a choice is one of the groups (AllOrgs, AllPersons) rather than one
// party.
func IsGroup(choice string) bool { return choice == AllOrgs || choice == AllPersons }

// Choose resolves the first of keys (a partyUuid or a group; "" is skipped) that the user may
// act for, falling back to the user's own person, then to the first party they can act for. It
// returns "" when there is none.
func (ix *Index) Choose(keys ...string) string {
	for _, k := range keys {
		switch {
		case k == "":
			continue
		case IsGroup(k):
			if len(ix.Group(k)) >= 2 {
				return k
			}
			continue
		}
		if p, ok := ix.Get(k); ok && !p.NoAccess {
			return k
		}
	}
	if self, ok := ix.Self(); ok {
		return self.UUID
	}
	for _, p := range ix.All {
		if !p.IsDeleted && !p.NoAccess {
			return p.UUID
		}
	}
	return ""
}

// Scope is the party URNs a choice searches: a group's members, or the one party.
func (ix *Index) Scope(choice string) []string {
	if IsGroup(choice) {
		return ix.Group(choice)
	}
	if p, ok := ix.Get(choice); ok && choice != "" {
		return []string{p.URN}
	}
	return nil
}

// Acting is the URNs of every party the user acts for (not those reached only through their
// sub-units): what a live stream of a dialog page that does not name the dialog's party follows.
func (ix *Index) Acting() []string {
	out := make([]string, 0, len(ix.All))
	for _, p := range ix.All {
		if !p.NoAccess {
			out = append(out, p.URN)
		}
	}
	return out
}

// DialogSubjects are the party URNs a live stream of a dialog page follows: the dialog's party
// when the page names it (false when the user may not act for it, or reaches it only through
// its sub-units), else every party the user acts for.
func (ix *Index) DialogSubjects(party string) ([]string, bool) {
	if party == "" {
		return ix.Acting(), true
	}
	p, ok := ix.Get(party)
	if !ok || p.NoAccess {
		return nil, false
	}
	return []string{p.URN}, true
}

// SearchFirst is Search with the parties of first (partyUuids, e.g. the person's favourites)
// that match put before the others, in first's order; total counts each match once.
func (ix *Index) SearchFirst(q string, showDeleted bool, limit int, first []string) (hits []Party, total int) {
	if len(first) == 0 {
		return ix.Search(q, showDeleted, limit)
	}
	words := strings.Fields(strings.ToLower(q))
	picked := make(map[string]bool, len(first))
	for _, uuid := range first {
		i, ok := ix.byUUID[uuid]
		if !ok || picked[uuid] {
			continue
		}
		if p := &ix.All[i]; (!p.IsDeleted || showDeleted) && matchesAll(ix.textOf(i), words) {
			picked[uuid] = true
			if len(hits) < limit {
				hits = append(hits, *p)
			}
		}
	}
	rest, total := ix.Search(q, showDeleted, limit+len(picked))
	for _, p := range rest {
		if !picked[p.UUID] && len(hits) < limit {
			hits = append(hits, p)
		}
	}
	return hits, total
}
