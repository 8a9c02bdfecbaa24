package e2e

import (
	"context"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/innboks/innboks/internal/devstack"
	"github.com/innboks/innboks/internal/testlog"
)

// upstreamCounter counts the portal's calls to Dialogporten. The stack's portal is pointed at a
// reverse proxy in front of the emulator's Dialogporten (devstack.Options.Env overrides
// DIALOGPORTEN_URL), so nothing inside the portal or the emulator is wrapped.
type upstreamCounter struct {
	mu     sync.Mutex
	calls  []string // "GET /dialogporten/api/v1/enduser/dialogs"
	target atomic.Pointer[url.URL]
}

func (c *upstreamCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t := c.target.Load()
	if t == nil {
		http.Error(w, "emulator not started yet", http.StatusServiceUnavailable)
		return
	}
	c.mu.Lock()
	c.calls = append(c.calls, r.Method+" "+r.URL.Path)
	c.mu.Unlock()
	p := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(t)
		pr.Out.Host = t.Host
	}}
	if strings.HasSuffix(r.URL.Path, "/graphql/stream") {
		// An event stream gets a connection of its own. Over the shared keep-alive pool, a
		// stream the portal closes (a renewal closes the old one) now and then cut the new one
		// opened a moment before (unexpected EOF), which the portal never sees without this proxy.
		p.Transport = streamTransport
	}
	p.ServeHTTP(w, r)
}

// streamTransport carries the proxied event streams, each on a new connection.
var streamTransport = func() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DisableKeepAlives = true
	return t
}()

// reset forgets the calls counted so far.
func (c *upstreamCounter) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = nil
}

// snapshot returns the calls counted since the last reset.
func (c *upstreamCounter) snapshot() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.calls...)
}

// summary counts calls by method and path for failure messages.
func summary(calls []string) string {
	n := map[string]int{}
	for _, c := range calls {
		n[c]++
	}
	var out []string
	for k, v := range n {
		out = append(out, k+" ×"+strconv.Itoa(v))
	}
	sort.Strings(out)
	return strings.Join(out, "; ")
}

// stack is the running local stack with its logs and the upstream counter.
type stack struct {
	*devstack.Stack
	logs     *testlog.Buffer
	upstream *upstreamCounter
}

// startStack starts the whole stack on loopback for one test and closes it when the test ends.
func startStack(t *testing.T, scenario string) *stack {
	t.Helper()
	return startStackEnv(t, scenario, nil)
}

// startStackEnv is startStack with portal configuration variables added (devstack.Options.Env).
func startStackEnv(t *testing.T, scenario string, env map[string]string) *stack {
	t.Helper()
	return startStackOpts(t, devstack.Options{Scenario: scenario, Env: env})
}

// startStackOpts is startStack with o's scenario, portal variables and knobs; its loggers and
// DIALOGPORTEN_URL (the counting proxy) are the test's.
func startStackOpts(t testing.TB, o devstack.Options) *stack {
	t.Helper()
	return startStackVia(t, o, true)
}

// startStackDirect is startStackOpts without the counting proxy: the portal talks to the
// emulator itself, and the stack's upstream is nil. The tests of the dialogEvents subscription
// count in the emulator instead (dpemu.Emulator.DialogEventRequests): through the proxy, the
// close of a renewal's old stream now and then cut the new one (unexpected EOF, traced to the
// proxy's upstream read: "use of closed network connection", even with a transport of its own
// per stream), which the portal never sees talking to the emulator directly.
func startStackDirect(t testing.TB, o devstack.Options) *stack {
	t.Helper()
	return startStackVia(t, o, false)
}

func startStackVia(t testing.TB, o devstack.Options, proxied bool) *stack {
	t.Helper()
	env := o.Env
	logs := &testlog.Buffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))

	env = maps.Clone(env)
	if env == nil {
		env = map[string]string{}
	}
	var counter *upstreamCounter
	proxy := &http.Server{ReadHeaderTimeout: 10 * time.Second} // serves nothing unless proxied
	if proxied {
		counter = &upstreamCounter{}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		env["DIALOGPORTEN_URL"] = "http://" + ln.Addr().String() + "/dialogporten"
		proxy.Handler = counter
		go func() { _ = proxy.Serve(ln) }()
	}

	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute) // benchmarks have no deadline
	if d, ok := t.(devstack.Deadliner); ok {
		ctx, cancel = devstack.StartContext(d) // the accountant scenario under -race on a busy machine takes minutes
	}
	defer cancel()
	o.Logger, o.EmulatorLogger, o.IDPortenLogger = logger, logger.With("srv", "emu"), logger.With("srv", "idp")
	o.Env = env
	st, err := devstack.Start(ctx, o)
	if err != nil {
		_ = proxy.Close()
		t.Fatalf("start stack: %v", err)
	}
	if proxied {
		target, err := url.Parse(st.EmulatorURL)
		if err != nil {
			t.Fatal(err)
		}
		counter.target.Store(target)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = st.Close(ctx)
		_ = proxy.Shutdown(ctx)
	})
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the stack's warnings and live-update lines:\n%s", notableLines(logs.String(), 80))
		}
	})
	return &stack{Stack: st, logs: logs, upstream: counter}
}

// notableLines is what a failed test prints of the stack's log: its last n lines that warn,
// report an error or concern the live updates.
func notableLines(log string, n int) string {
	var keep []string
	for _, l := range strings.Split(log, "\n") {
		if strings.Contains(l, `"level":"WARN"`) || strings.Contains(l, `"level":"ERROR"`) || strings.Contains(l, `"msg":"live:`) {
			keep = append(keep, l)
		}
	}
	if len(keep) > n {
		keep = keep[len(keep)-n:]
	}
	return strings.Join(keep, "\n")
}
