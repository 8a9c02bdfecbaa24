package devstack

import (
	"testing"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/dpclient/dpclienttest"
)

// TestWalkAccountantSearch walks a whole search of the accountant scenario page by page with the
// typed client, every exchange validated against the pinned spec.
func TestWalkAccountantSearch(t *testing.T) {
	st, _ := startStack(t, Options{Scenario: "accountant"})
	ctx := t.Context() // bounded by go test -timeout, not a figure a busy machine may outrun
	users := st.Users()
	token, err := st.AccessToken(ctx, users[0].PID)
	if err != nil {
		t.Fatal(err)
	}
	dp, err := dpclient.New(st.Emulator.DialogportenURL())
	if err != nil {
		t.Fatal(err)
	}
	parties, err := dp.GetParties(ctx, dpclient.WithCallToken(dpclient.StaticToken(token)))
	if err != nil {
		t.Fatal(err)
	}
	var urns []string
	for _, p := range parties.AuthorizedParties {
		if len(urns) == 100 {
			break
		}
		urns = append(urns, p.Party)
	}
	if len(urns) < 100 {
		t.Fatalf("the accountant has %d parties, want at least 100", len(urns))
	}
	res := dpclienttest.MustWalkSearch(t, st.Emulator.DialogportenURL(), token,
		dpclient.SearchParams{Party: urns, Limit: 1000, OrderBy: "createdAt_asc"})
	if res.Pages < 2 {
		t.Fatalf("walked %d pages, want several", res.Pages)
	}
	t.Logf("walked %d pages, %d dialogs of 100 client organisations", res.Pages, res.Items)
}
