package serviceowner_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/innboks/innboks/internal/devstack"
	"github.com/innboks/innboks/internal/dpemu/serviceowner"
)

// TestWithTheDevStack mounts the service-owner side on the dev stack's emulator and exchanges
// a real access token of the ID-porten double (keys found by discovery), then reads a
// correspondence with the exchanged token.
func TestWithTheDevStack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := devstack.Start(ctx, devstack.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close(context.Background()) })
	// Mount the side unless the stack already does (registering twice would panic).
	probe, err := http.Get(st.EmulatorURL + "/authentication/api/v1/openid/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	probe.Body.Close()
	if probe.StatusCode == http.StatusNotFound {
		side, err := serviceowner.New(serviceowner.Options{
			Store:           st.Emulator.Store(),
			BaseURL:         st.EmulatorURL,
			DialogTokenKeys: serviceowner.Ed25519Keys(st.Emulator.DialogTokens().PublicKeys()),
			PlatformSigner:  st.Emulator.Platform(),
			IDPorten:        []serviceowner.Issuer{{URL: st.IDPortenURL}},
		})
		if err != nil {
			t.Fatal(err)
		}
		side.Register(st.Emulator)
	}

	user := st.Users()[0]
	access, err := st.AccessToken(ctx, user.PID)
	if err != nil {
		t.Fatal(err)
	}
	platform := call(t, "GET", st.EmulatorURL+"/authentication/api/v1/exchange/id-porten", access, 200)
	if strings.Count(platform, ".") != 2 {
		t.Fatalf("exchange body is not a JWT: %.40q", platform)
	}
	// Dialogporten accepts the exchanged token (same signer) …
	call(t, "GET", st.Emulator.DialogportenURL()+"/api/v1/enduser/parties", platform, 200)
	// … and so does Correspondence, for a correspondence of a party the user may read.
	if id, ok := firstCorrespondence(t, st, access); ok {
		call(t, "GET", st.EmulatorURL+"/correspondence/api/v1/correspondence/"+id, platform, 200)
	} else {
		t.Error("no correspondence found to read with the exchanged token")
	}
}

// firstCorrespondence finds a correspondence id among the dialogs the user can search.
func firstCorrespondence(t *testing.T, st *devstack.Stack, access string) (string, bool) {
	t.Helper()
	var parties struct {
		AuthorizedParties []struct {
			Party string `json:"party"`
		} `json:"authorizedParties"`
	}
	decode(t, call(t, "GET", st.Emulator.DialogportenURL()+"/api/v1/enduser/parties", access, 200), &parties)
	for _, p := range parties.AuthorizedParties {
		var page struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		decode(t, call(t, "GET", st.Emulator.DialogportenURL()+"/api/v1/enduser/dialogs?limit=1000&party="+url.QueryEscape(p.Party), access, 200), &page)
		for _, it := range page.Items {
			d, ok := st.Emulator.Store().Dialog(uuid.MustParse(it.ID))
			if !ok || d.DeletedAt != nil {
				continue
			}
			for _, l := range d.ServiceOwnerLabels {
				if id, ok := strings.CutPrefix(l, serviceowner.CorrespondenceLabelPrefix); ok {
					return id, true
				}
			}
		}
	}
	return "", false
}

func decode(t *testing.T, body string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatal(err)
	}
}

func call(t *testing.T, method, u, tok string, want int) string {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: got %d, want %d (%.200s)", method, u, resp.StatusCode, want, b)
	}
	return string(b)
}
