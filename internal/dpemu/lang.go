package dpemu

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
)

// langPrefs is a parsed Accept-Language header. A nil value means "no header": every
// localisation is returned.
type langPrefs struct {
	langs      []string // by descending weight, region codes removed
	scandiOnly bool     // sv or da requested: fall back to nb before en
}

// parseAcceptLanguage parses the header (§2). It returns nil when the header is empty.
func parseAcceptLanguage(h string) *langPrefs {
	h = strings.TrimSpace(h)
	if h == "" {
		return nil
	}
	type wl struct {
		lang string
		q    float64
	}
	var ws []wl
	for _, part := range strings.Split(h, ",") {
		fields := strings.Split(strings.TrimSpace(part), ";")
		tag := strings.ToLower(strings.TrimSpace(fields[0]))
		if tag == "" || tag == "*" {
			continue
		}
		if j := strings.IndexAny(tag, "-_"); j > 0 {
			tag = tag[:j]
		}
		q := 1.0
		for _, f := range fields[1:] {
			if v, ok := strings.CutPrefix(strings.TrimSpace(f), "q="); ok {
				if p, err := strconv.ParseFloat(v, 64); err == nil {
					q = p
				}
			}
		}
		ws = append(ws, wl{tag, q})
	}
	slices.SortStableFunc(ws, func(a, b wl) int { return cmp.Compare(b.q, a.q) })
	p := &langPrefs{}
	for _, w := range ws {
		p.langs = append(p.langs, w.lang)
		if w.lang == "sv" || w.lang == "da" {
			p.scandiOnly = true
		}
	}
	return p
}

// prune reduces t to the single best localisation for the caller (§2 PruneLocalizations).
func (p *langPrefs) prune(t Text) []wLocalization {
	if p == nil || len(t) <= 1 {
		return wText(t)
	}
	for _, l := range p.langs {
		if v := t.Get(l); v != "" {
			return []wLocalization{{Value: v, LanguageCode: l}}
		}
	}
	fallback := []string{"en", "nb"}
	if p.scandiOnly {
		fallback = []string{"nb", "en"}
	}
	for _, l := range fallback {
		if v := t.Get(l); v != "" {
			return []wLocalization{{Value: v, LanguageCode: l}}
		}
	}
	return wText(t)
}

func wText(t Text) []wLocalization {
	out := make([]wLocalization, len(t))
	for i, l := range t {
		out[i] = wLocalization{Value: l.Value, LanguageCode: l.LanguageCode}
	}
	return out
}

func (p *langPrefs) content(v *ContentValue) *wContentValue {
	if v == nil {
		return nil
	}
	return &wContentValue{Value: p.prune(v.Value), MediaType: v.MediaType}
}

// personPrefix is the URN prefix of Norwegian national identity numbers.
const personPrefix = "urn:altinn:person:identifier-no:"

// masker replaces national identity numbers in actor ids with salted ephemeral ids (§7.9).
type masker struct{ salt []byte }

func (m masker) actor(a Actor) wActor {
	w := wActor{ActorType: a.Type, ActorID: a.ID, ActorName: a.Name}
	if strings.HasPrefix(a.ID, personPrefix) {
		h := sha256.New()
		h.Write(m.salt)
		h.Write([]byte(a.ID))
		w.ActorID = "urn:altinn:person:identifier-ephemeral:" + hex.EncodeToString(h.Sum(nil))[:10]
	}
	return w
}
