package dpemu

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/innboks/innboks/internal/dpemu/ident"
)

// Search limits (§4.1, GET /metadata/limits).
const (
	maxPartyFilter       = 100
	maxResourceFilter    = 20
	maxOrgFilter         = 20
	maxExtStatusFilter   = 20
	minSearchLength      = 3
	defaultLimit         = 100
	maxLimit             = 1000
	maxProcessLength     = 1023
	serviceOwnerMaxParty = 20
)

// searchQuery is a parsed and validated GET /enduser/dialogs request.
type searchQuery struct {
	parties, resources, orgs, extStatuses []string
	externalReference                     *string
	statuses                              []DialogStatus
	process                               string
	labels                                []SystemLabel
	isContentSeen                         *bool
	excludeAPIOnly                        bool
	createdAfter, createdBefore           *time.Time
	updatedAfter, updatedBefore           *time.Time
	contentAfter, contentBefore           *time.Time
	dueAfter, dueBefore                   *time.Time
	terms                                 []string
	searchLang                            string
	order                                 order
	cursor                                *Dialog
	rawToken                              string
	limit                                 int
}

// params gives case-insensitive access to query parameters (upstream matches names so).
type params map[string][]string

func lowerParams(v url.Values) params {
	p := params{}
	for k, vs := range v {
		lk := strings.ToLower(k)
		p[lk] = append(p[lk], vs...)
	}
	return p
}

func (p params) one(name string) (string, bool) {
	vs := p[strings.ToLower(name)]
	if len(vs) == 0 {
		return "", false
	}
	return vs[len(vs)-1], true
}

// list returns every non-empty value of name.
func (p params) list(name string) []string {
	var out []string
	for _, v := range p[strings.ToLower(name)] {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// validation collects validation messages keyed by property.
type validation map[string][]string

func (v validation) add(key, format string, args ...any) {
	v[key] = append(v[key], fmt.Sprintf(format, args...))
}

// parseSearch parses and validates the search parameters; a non-empty validation means 400.
func parseSearch(v url.Values) (*searchQuery, validation) {
	p := lowerParams(v)
	errs := validation{}
	q := &searchQuery{limit: defaultLimit}

	q.parties = p.list("party")
	for i, party := range q.parties {
		q.parties[i] = strings.ToLower(party)
		if !validPartyURN(q.parties[i]) {
			errs.add("Party", "'%s' is not a valid party identifier.", party)
		}
	}
	if len(q.parties) > maxPartyFilter {
		errs.add("Party", "Maximum %d party filters allowed.", maxPartyFilter)
	}
	q.resources = p.list("serviceResource")
	for i, r := range q.resources {
		q.resources[i] = strings.ToLower(r)
		if !strings.HasPrefix(q.resources[i], "urn:altinn:resource:") {
			errs.add("ServiceResource", "'%s' must start with 'urn:altinn:resource:'.", r)
		}
	}
	if len(q.resources) > maxResourceFilter {
		errs.add("ServiceResource", "Maximum %d service resource filters allowed.", maxResourceFilter)
	}
	if len(q.parties) == 0 && len(q.resources) == 0 {
		errs.add("dto", "Either Party or ServiceResource must be specified.")
	}
	q.orgs = p.list("org")
	for i := range q.orgs {
		q.orgs[i] = strings.ToLower(q.orgs[i])
	}
	if len(q.orgs) > maxOrgFilter {
		errs.add("Org", "Maximum %d org filters allowed.", maxOrgFilter)
	}
	q.extStatuses = p.list("extendedStatus")
	if len(q.extStatuses) > maxExtStatusFilter {
		errs.add("ExtendedStatus", "Maximum %d extended status filters allowed.", maxExtStatusFilter)
	}
	if s, ok := p.one("externalReference"); ok && s != "" {
		q.externalReference = &s
	}
	for _, s := range p.list("status") {
		st, ok := parseEnum(s, StatusNotApplicable, StatusInProgress, StatusDraft, StatusAwaiting, StatusRequiresAttention, StatusCompleted)
		if !ok {
			errs.add("Status", "'%s' is not a valid dialog status.", s)
		}
		q.statuses = append(q.statuses, st)
	}
	for _, s := range p.list("systemLabel") {
		l, ok := parseEnum(s, LabelDefault, LabelBin, LabelArchive, LabelMarkedAsUnopened, LabelSent)
		if !ok {
			errs.add("SystemLabel", "'%s' is not a valid system label.", s)
		}
		q.labels = append(q.labels, l)
	}
	if s, ok := p.one("process"); ok && s != "" {
		if u, err := url.Parse(s); err != nil || !u.IsAbs() || len(s) > maxProcessLength {
			errs.add("Process", "Process must be a valid absolute URI of at most %d characters.", maxProcessLength)
		}
		q.process = s
	}
	q.isContentSeen = parseBool(p, "isContentSeen", errs)
	if b := parseBool(p, "excludeApiOnly", errs); b != nil {
		q.excludeAPIOnly = *b
	}
	times := []struct {
		name string
		dst  **time.Time
	}{
		{"createdAfter", &q.createdAfter}, {"createdBefore", &q.createdBefore},
		{"updatedAfter", &q.updatedAfter}, {"updatedBefore", &q.updatedBefore},
		{"contentUpdatedAfter", &q.contentAfter}, {"contentUpdatedBefore", &q.contentBefore},
		{"dueAfter", &q.dueAfter}, {"dueBefore", &q.dueBefore},
	}
	for _, t := range times {
		s, ok := p.one(t.name)
		if !ok || s == "" {
			continue
		}
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			errs.add(upperFirst(t.name), "'%s' is not a valid date-time with an offset.", s)
			continue
		}
		*t.dst = &tm
	}
	checkRange(errs, "CreatedAfter", q.createdAfter, q.createdBefore)
	checkRange(errs, "UpdatedAfter", q.updatedAfter, q.updatedBefore)
	checkRange(errs, "ContentUpdatedAfter", q.contentAfter, q.contentBefore)
	checkRange(errs, "DueAfter", q.dueAfter, q.dueBefore)

	if s, ok := p.one("search"); ok {
		if len([]rune(strings.TrimSpace(s))) < minSearchLength {
			errs.add("Search", "'Search' must be at least %d characters long.", minSearchLength)
		}
		q.terms = searchTerms(s)
	}
	if s, ok := p.one("searchLanguageCode"); ok && s != "" {
		s = strings.ToLower(s)
		if j := strings.IndexAny(s, "-_"); j > 0 {
			s = s[:j]
		}
		if s == "no" || len(s) != 2 {
			errs.add("SearchLanguageCode", "'%s' is not a supported language code; use nb or nn instead of no.", s)
		}
		q.searchLang = s
	}
	if s, ok := p.one("limit"); ok && s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxLimit {
			errs.add("Limit", "Limit must be between 1 and %d.", maxLimit)
		}
		q.limit = n
	}
	ob, _ := p.one("orderBy")
	o, err := parseOrder(ob)
	if err != nil {
		errs.add("OrderBy", "%s", err)
	}
	q.order = o
	if tok, ok := p.one("continuationToken"); ok && tok != "" && err == nil {
		q.rawToken = tok
		if q.cursor, err = o.parseToken(tok); err != nil {
			errs.add("ContinuationToken", "%s", err)
		}
	}
	if len(errs) == 0 {
		return q, nil
	}
	return q, errs
}

func parseBool(p params, name string, errs validation) *bool {
	s, ok := p.one(name)
	if !ok || s == "" {
		return nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		errs.add(upperFirst(name), "'%s' is not a valid boolean.", s)
		return nil
	}
	return &b
}

func checkRange(errs validation, name string, after, before *time.Time) {
	if after != nil && before != nil && after.After(*before) {
		errs.add(name, "'%s' must be less than or equal to its Before counterpart.", name)
	}
}

func upperFirst(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// parseEnum matches s case-insensitively against the values.
func parseEnum[T ~string](s string, values ...T) (T, bool) {
	for _, v := range values {
		if strings.EqualFold(s, string(v)) {
			return v, true
		}
	}
	return T(s), false
}

// validPartyURN checks a (lower-case) party URN (§2).
func validPartyURN(s string) bool {
	switch {
	case strings.HasPrefix(s, personPrefix):
		return ident.ValidPID(strings.TrimPrefix(s, personPrefix))
	case strings.HasPrefix(s, orgPrefix):
		return ident.ValidOrgNumber(strings.TrimPrefix(s, orgPrefix))
	}
	for _, prefix := range []string{"urn:altinn:person:idporten-email:", "urn:altinn:person:legacy-selfidentified:"} {
		if rest, ok := strings.CutPrefix(s, prefix); ok {
			return strings.TrimSpace(rest) != ""
		}
	}
	return false
}

// orgPrefix is the URN prefix of organisation numbers.
const orgPrefix = "urn:altinn:organization:identifier-no:"
