package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/innboks/innboks/internal/devstack"
	"github.com/innboks/innboks/internal/metrics"
)

// checkRun asserts a run made requests in every step it should have, with no errors.
func checkRun(t *testing.T, rep *Report, out string) {
	t.Helper()
	got := map[string]StepReport{}
	for _, s := range rep.Steps {
		got[s.Name] = s
		if s.Errors != 0 {
			t.Errorf("step %s: got %d errors (%q), want 0", s.Name, s.Errors, s.ErrorSamples)
		}
	}
	want := []string{stepLogin, stepInbox, stepSearch, stepMore, stepParties}
	if rep.DialogsServed {
		want = append(want, stepDialog)
	} else if _, ok := got[stepDialog]; ok {
		t.Errorf("dialog step ran although /dialogs/{id} is not served")
	}
	for _, name := range want {
		if got[name].Requests == 0 {
			t.Errorf("step %s: no requests", name)
		}
	}
	// "show more" runs only where the party has more than a page, so its variants depend on
	// the parties the sessions happen to open; search and chooser run every loop.
	for _, name := range []string{stepSearch, stepParties} {
		if s := got[name]; s.HTMX == 0 || s.HTMX == s.Requests {
			t.Errorf("step %s: %d of %d requests htmx, want both variants", name, s.HTMX, s.Requests)
		}
	}
	if rep.Loops == 0 {
		t.Error("no loop completed")
	}
	var inbox *RouteReport
	for i := range rep.Routes {
		if rep.Routes[i].Route == "/inbox" {
			inbox = &rep.Routes[i]
		}
	}
	if inbox == nil || inbox.Views == 0 || inbox.Upstream[metrics.Dialogporten] == 0 {
		t.Errorf("route /inbox: got %+v, want views with Dialogporten calls", inbox)
	}
	if len(rep.Probe) == 0 || rep.Probe[0].Step != stepLogin || rep.Probe[0].Cold[metrics.IDPorten] == 0 {
		t.Errorf("probe %+v, want a login with ID-porten calls first", rep.Probe)
	}
	for _, want := range []string{"p95", "req/s", "upstream calls per page view", "search"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

func TestRunInProcess(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	rep, err := run(t.Context(), []string{"-scenario", "default", "-users", "2", "-duration", "2m", "-iterations", "2"}, &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Scenario != "default" || rep.Users != 2 {
		t.Errorf("report header: got scenario %q users %d, want default, 2", rep.Scenario, rep.Users)
	}
	checkRun(t, rep, out.String())
}

// TestRunAgainstARunningPortal: -portal and -metrics, users read from the double's picker.
func TestRunAgainstARunningPortal(t *testing.T) {
	t.Parallel()
	ctx, cancel := devstack.StartContext(t)
	defer cancel()
	quiet := slog.New(slog.DiscardHandler)
	st, err := devstack.Start(ctx, devstack.Options{Logger: quiet, EmulatorLogger: quiet, IDPortenLogger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close(context.Background()) })
	ms := httptest.NewServer(st.App.Metrics.Handler())
	t.Cleanup(ms.Close)

	var out bytes.Buffer
	rep, err := run(ctx, []string{"-portal", st.PortalURL, "-metrics", ms.URL + "/metrics", "-users", "2", "-duration", "2m", "-iterations", "2"}, &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Target != st.PortalURL || rep.Scenario != "" {
		t.Errorf("report header: got target %q scenario %q, want %q and none", rep.Target, rep.Scenario, st.PortalURL)
	}
	checkRun(t, rep, out.String())

	// After a full run, no label value of the portal's metrics holds an id, a query, a
	// token or a national identity number.
	fams, err := st.App.Metrics.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	uuidish := regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-`)
	for _, f := range fams {
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				v := l.GetValue()
				bad := strings.ContainsAny(v, "?=&") || strings.Contains(v, "eyJ") || uuidish.MatchString(v)
				for _, u := range st.Users() {
					bad = bad || strings.Contains(v, u.PID)
				}
				if bad {
					t.Errorf("%s label %s=%q", f.GetName(), l.GetName(), v)
				}
			}
		}
	}
}

func TestFlagsRefuseWhatIsNotLoopback(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-portal", "https://innboks.example.no"}, "not a loopback host"},
		{[]string{"-portal", "http://10.0.0.1:8080"}, "not a loopback host"},
		{[]string{"-portal", "http://127.0.0.1:8080", "-metrics", "http://192.168.1.2:9090/metrics"}, "-metrics"},
		{[]string{"-metrics", "http://127.0.0.1:9090/metrics"}, "only with -portal"},
		{[]string{"-portal", "127.0.0.1:8080"}, "absolute"},
		{[]string{"-scenario", "nope"}, "-scenario"},
		{[]string{"-users", "0"}, "-users"},
		{[]string{"-duration", "0s"}, "-duration"},
		{[]string{"extra"}, "unexpected"},
	} {
		_, err := parseFlags(tc.args, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got error %v, want one with %q", tc.args, err, tc.want)
		}
	}
	c, err := parseFlags([]string{"-portal", "http://localhost:8080/", "-pid", "1, 2", "-users", "3"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.portal != "http://localhost:8080" || len(c.pids) != 2 || c.pids[1] != "2" || c.users != 3 {
		t.Errorf("parsed %+v", c)
	}
}

func TestAppendWords(t *testing.T) {
	t.Parallel()
	got := appendWords([]string{"skatt"}, "Skatt: Melding om vedtak (2024) – ok", 4)
	want := []string{"skatt", "melding", "vedtak", "2024"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("got %q, want %q", got, want)
	}
}
