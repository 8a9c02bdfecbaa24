package devstack

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/browsertest"
)

// TestMassiveLoginReachesFirstRow: in the massive scenario (100,000 parties, one unpaged party
// list) the typed client decodes the whole list, a login lands on an inbox with rows, and the
// chooser finds one client among the 100,000.
func TestMassiveLoginReachesFirstRow(t *testing.T) {
	st, _ := startStack(t, Options{Scenario: "massive"})
	ctx := t.Context()
	user := st.Users()[0]
	token, err := st.AccessToken(ctx, user.PID)
	if err != nil {
		t.Fatal(err)
	}
	dp, err := dpclient.New(st.Emulator.DialogportenURL())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	parties, err := dp.GetParties(ctx, dpclient.WithCallToken(dpclient.StaticToken(token)))
	if err != nil {
		t.Fatalf("GetParties: %v", err)
	}
	n := 0
	for _, p := range parties.AuthorizedParties {
		n += 1 + len(p.SubParties)
	}
	t.Logf("GetParties: %d parties in %s", n, time.Since(start))
	if n != 100_000 {
		t.Fatalf("GetParties answered %d parties, want 100,000", n)
	}

	b := browsertest.NewClient(t)
	start = time.Now()
	p := b.Login(st.PortalURL, st.IDPortenURL, user.PID, "/inbox")
	t.Logf("login to the inbox: %s", time.Since(start))
	if p.Resp.StatusCode != http.StatusOK {
		t.Fatalf("after login: got %d at %s", p.Resp.StatusCode, p.Resp.Request.URL)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(p.Body))
	if err != nil {
		t.Fatal(err)
	}
	if rows := doc.Find(`[data-testid="dialog-row"]`).Length(); rows == 0 {
		t.Fatalf("the inbox after login at %s has no dialog rows", p.Resp.Request.URL)
	}

	start = time.Now()
	p = b.Get(st.PortalURL+"/parties?q=kunde+012345", "HX-Request", "true")
	t.Logf("chooser search: %s", time.Since(start))
	doc, err = goquery.NewDocumentFromReader(strings.NewReader(p.Body))
	if err != nil {
		t.Fatal(err)
	}
	opts := doc.Find(`[data-testid="party-option"]`)
	if p.Resp.StatusCode != http.StatusOK || opts.Length() != 1 || !strings.Contains(opts.Text(), "KUNDE 012345") {
		t.Fatalf("chooser search: %d, %d options %q; want the one client KUNDE 012345", p.Resp.StatusCode, opts.Length(), opts.Text())
	}
}
