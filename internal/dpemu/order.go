package dpemu

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// orderKey is one column of a search order (§9).
type orderKey struct {
	field string // contentupdatedat, createdat, updatedat, dueat, id
	desc  bool
}

// order is an effective search order; it always ends with id.
type order []orderKey

var orderFields = []string{"contentupdatedat", "createdat", "updatedat", "dueat", "id"}

// parseOrder parses orderBy (§9): comma-separated field or field_asc|field_desc, default
// direction desc; id is appended as tiebreak, and the default field is prepended when only id
// is given.
func parseOrder(s string) (order, error) {
	var o order
	seen := map[string]bool{}
	if strings.TrimSpace(s) != "" {
		for _, part := range strings.Split(s, ",") {
			part = strings.ToLower(strings.TrimSpace(part))
			field, dir, hasDir := strings.Cut(part, "_")
			if !slices.Contains(orderFields, field) {
				return nil, fmt.Errorf("invalid orderBy field %q", field)
			}
			if hasDir && dir != "asc" && dir != "desc" {
				return nil, fmt.Errorf("invalid orderBy direction %q", dir)
			}
			if seen[field] {
				return nil, fmt.Errorf("duplicate orderBy field %q", field)
			}
			seen[field] = true
			o = append(o, orderKey{field: field, desc: dir != "asc"})
		}
	}
	if len(o) == 0 || (len(o) == 1 && o[0].field == "id") {
		o = append(order{{field: "contentupdatedat", desc: true}}, o...)
	}
	if !seen["id"] {
		o = append(o, orderKey{field: "id", desc: true})
	} else if o[len(o)-1].field != "id" {
		// id is the unique tiebreak; anything after it cannot matter.
		i := slices.IndexFunc(o, func(k orderKey) bool { return k.field == "id" })
		o = o[:i+1]
	}
	return o, nil
}

// String renders the effective order as echoed in responses, e.g. "createdat_asc,id_desc".
func (o order) String() string {
	parts := make([]string, len(o))
	for i, k := range o {
		dir := "asc"
		if k.desc {
			dir = "desc"
		}
		parts[i] = k.field + "_" + dir
	}
	return strings.Join(parts, ",")
}

// isDefault reports whether o is contentupdatedat_desc,id_desc, the order of the party index.
func (o order) isDefault() bool {
	return len(o) == 2 && o[0] == orderKey{"contentupdatedat", true} && o[1] == orderKey{"id", true}
}

func timeField(d *Dialog, field string) *time.Time {
	switch field {
	case "contentupdatedat":
		return &d.ContentUpdatedAt
	case "createdat":
		return &d.CreatedAt
	case "updatedat":
		return &d.UpdatedAt
	case "dueat":
		return d.DueAt
	}
	return nil
}

// compare orders a before b (<0) under o. A null dueAt sorts as greater than any value, as in
// PostgreSQL: last ascending, first descending.
func (o order) compare(a, b *Dialog) int {
	for _, k := range o {
		var c int
		if k.field == "id" {
			c = compareUUID(a.ID, b.ID)
		} else {
			ta, tb := timeField(a, k.field), timeField(b, k.field)
			switch {
			case ta == nil && tb == nil:
				c = 0
			case ta == nil:
				c = 1
			case tb == nil:
				c = -1
			default:
				c = ta.Compare(*tb)
			}
		}
		if k.desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// token renders the continuation token for d under o (§9).
func (o order) token(d *Dialog) string {
	parts := make([]string, len(o))
	for i, k := range o {
		v := ""
		if k.field == "id" {
			v = d.ID.String()
		} else if t := timeField(d, k.field); t != nil {
			v = formatTS(*t)
		}
		parts[i] = k.field + "_" + v
	}
	return strings.Join(parts, ",")
}

// parseToken reads a continuation token into a probe dialog carrying the key values. Every key
// of o must be present.
func (o order) parseToken(s string) (*Dialog, error) {
	vals := map[string]string{}
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(part, "_")
		if !ok {
			return nil, fmt.Errorf("invalid continuation token")
		}
		vals[strings.ToLower(k)] = v
	}
	var missing []string
	for _, k := range o {
		if _, ok := vals[k.field]; !ok {
			missing = append(missing, k.field)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("continuation token does not match OrderBy. Missing token keys: [%s]", strings.Join(missing, ", "))
	}
	probe := &Dialog{}
	for _, k := range o {
		v := vals[k.field]
		if k.field == "id" {
			id, err := uuid.Parse(v)
			if err != nil {
				return nil, fmt.Errorf("invalid id in continuation token")
			}
			probe.ID = id
			continue
		}
		if v == "" {
			if k.field != "dueat" {
				return nil, fmt.Errorf("invalid %s in continuation token", k.field)
			}
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return nil, fmt.Errorf("invalid %s in continuation token", k.field)
		}
		t = norm(t)
		switch k.field {
		case "contentupdatedat":
			probe.ContentUpdatedAt = t
		case "createdat":
			probe.CreatedAt = t
		case "updatedat":
			probe.UpdatedAt = t
		case "dueat":
			probe.DueAt = &t
		}
	}
	return probe, nil
}
