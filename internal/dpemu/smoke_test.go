package dpemu

import (
	"net/url"
	"testing"
)

func TestSmoke(t *testing.T) {
	f := newFixture(t, "default", true)
	tok := f.userToken(t, 0, nil)
	st, _, b := f.do(t, nil, "GET", "/dialogporten/api/v1/enduser/parties", tok, "", nil)
	t.Logf("%d %s", st, truncate(b))
	st, _, b = f.do(t, nil, "GET", "/dialogporten/api/v1/enduser/dialogs?limit=2&party="+url.QueryEscape("urn:altinn:person:identifier-no:"+f.e.Users()[0].PID), tok, "", nil)
	t.Logf("%d %s", st, b)
	p := decode[searchPage](t, b)
	st, _, b = f.do(t, nil, "GET", "/dialogporten/api/v1/enduser/dialogs/"+p.Items[0].ID, tok, "", nil)
	t.Logf("%d %s", st, b)
	t.Logf("dialogs=%d", f.e.Store().DialogCount())
}
