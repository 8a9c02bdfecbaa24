package e2e

import (
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/devstack"
	"github.com/innboks/innboks/internal/dpemu"
	"github.com/innboks/innboks/internal/dpemu/serviceowner"
)

// Issue 5: attachment proxy throughput and peak memory for a 1 GiB attachment, compared with
// fetching the same attachment directly from the emulator in the same run.
//
//	go test -run '^$' -bench Attachment1GiB -benchtime 1x ./internal/e2e/
//
// The emulator, the portal and the downloading client all run in this one process, so every
// heap figure here bounds the three together: a proxy that buffered the attachment would show
// up as growth of the order of the attachment's size, a streaming one as a few MiB.

// heapSampleEvery is how often the heap sampler reads runtime.MemStats.
const heapSampleEvery = 10 * time.Millisecond

// attachmentTarget is an attachment the logged-in user may download, as the emulator stores it
// (size and content seed) and as the end-user API names it (dialog, attachment and URL ids).
type attachmentTarget struct {
	dialogID, attID, urlID string
	size                   int64
	seed                   uint64
	stored                 dpemu.Attachment
}

// portalPath is Innboks' own download link for the attachment.
func (a attachmentTarget) portalPath() string {
	return "/dialogs/" + a.dialogID + "/attachments/" + a.attID + "/" + a.urlID
}

// accessTokens hands out ID-porten access tokens for pid from the stack's double, fetching a
// new one once the last is a minute old (the double's tokens live about two minutes).
type accessTokens struct {
	st  *devstack.Stack
	pid string

	mu  sync.Mutex
	tok string
	at  time.Time
}

// Token implements dpclient.TokenSource.
func (a *accessTokens) Token(ctx context.Context) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.tok != "" && time.Since(a.at) < time.Minute {
		return a.tok, nil
	}
	tok, err := a.st.AccessToken(ctx, a.pid)
	if err != nil {
		return "", fmt.Errorf("access token: %w", err)
	}
	a.tok, a.at = tok, time.Now()
	return tok, nil
}

// newDialogporten returns a dpclient for the stack's emulator that acts as pid.
func newDialogporten(tb testing.TB, st *devstack.Stack, pid string) *dpclient.Client {
	tb.Helper()
	dp, err := dpclient.New(st.Emulator.DialogportenURL(),
		dpclient.WithTokenSource(&accessTokens{st: st, pid: pid}),
		dpclient.WithHTTPClient(&http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{}}))
	if err != nil {
		tb.Fatal(err)
	}
	return dp
}

// largestAttachment searches every dialog of every party the user may act for and returns the
// largest attachment (by the emulator's declared size) whose Gui URL the user may download: not
// unauthorized, not expired, in a dialog the user may open.
func largestAttachment(tb testing.TB, st *devstack.Stack, dp *dpclient.Client) attachmentTarget {
	tb.Helper()
	ctx := tb.Context() // bounded by go test -timeout: a search of every party is slow on a busy machine
	parties, err := dp.GetParties(ctx)
	if err != nil {
		tb.Fatalf("parties: %v", err)
	}
	var urns []string
	var walk func([]dpclient.AuthorizedParty)
	walk = func(ps []dpclient.AuthorizedParty) {
		for _, p := range ps {
			if !p.IsDeleted {
				urns = append(urns, p.Party)
			}
			walk(p.SubParties)
		}
	}
	walk(parties.AuthorizedParties)

	// Every stored attachment of every dialog the user's search shows, largest first.
	var cands []attachmentTarget
	store := st.Emulator.Store()
	for batch := range slices.Chunk(urns, 100) {
		for page, err := range dp.SearchAll(ctx, dpclient.SearchParams{Party: batch, Limit: 1000}) {
			if err != nil {
				tb.Fatalf("search: %v", err)
			}
			for _, item := range page.Items {
				store.View(uuid.MustParse(item.ID), func(d *dpemu.Dialog) {
					atts := slices.Clone(d.Attachments)
					for _, t := range d.Transmissions {
						if t.DeletedAt == nil {
							atts = append(atts, t.Attachments...)
						}
					}
					for _, a := range atts {
						cands = append(cands, attachmentTarget{dialogID: item.ID, attID: a.ID.String(),
							size: a.Size, seed: a.ContentSeed, stored: a})
					}
				})
			}
		}
	}
	slices.SortFunc(cands, func(a, b attachmentTarget) int { return cmp.Compare(b.size, a.size) })

	for _, c := range cands {
		d, err := dp.GetDialog(ctx, c.dialogID)
		if err != nil {
			continue // e.g. a service that asks for a higher authentication level
		}
		if au, ok := guiURL(d, c.attID); ok {
			c.urlID = au.ID
			return c
		}
	}
	tb.Fatalf("none of the %d attachments the user sees is downloadable", len(cands))
	return attachmentTarget{}
}

// guiURL finds a downloadable Gui URL of attachment attID in the dialog's details.
func guiURL(d *dpclient.Dialog, attID string) (dpclient.AttachmentURL, bool) {
	atts := slices.Clone(d.Attachments)
	for _, t := range d.Transmissions {
		atts = append(atts, t.Attachments...)
	}
	for _, a := range atts {
		if a.ID != attID || (a.ExpiresAt != nil && a.ExpiresAt.Before(time.Now())) {
			continue
		}
		for _, u := range a.URLs {
			if u.ConsumerType == dpclient.AttachmentURLConsumerGUI &&
				u.URL != dpclient.URLUnauthorized && u.URL != dpclient.URLExpired {
				return u, true
			}
		}
	}
	return dpclient.AttachmentURL{}, false
}

// directURL fetches the dialog's details afresh, as the portal does for every download, and
// returns the attachment's Gui URL with the new dialog token.
func directURL(ctx context.Context, dp *dpclient.Client, a attachmentTarget) (u, dialogToken string, err error) {
	d, err := dp.GetDialog(ctx, a.dialogID)
	if err != nil {
		return "", "", err
	}
	au, ok := guiURL(d, a.attID)
	if !ok || au.ID != a.urlID {
		return "", "", errors.New("the attachment's Gui URL is gone from the details")
	}
	if d.DialogToken == "" {
		return "", "", errors.New("the details carry no dialog token")
	}
	return au.URL, d.DialogToken, nil
}

// streamGet GETs u (with a bearer token when one is given) and streams the body into w through
// a 64 KiB buffer, returning the answer's header and the number of body bytes.
func streamGet(ctx context.Context, hc *http.Client, u, bearer string, w io.Writer) (http.Header, int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, 0, err
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return resp.Header, 0, fmt.Errorf("GET %s: status %d", req.URL.Path, resp.StatusCode)
	}
	n, err := io.CopyBuffer(w, resp.Body, make([]byte, 64<<10))
	return resp.Header, n, err
}

// heapSampler records the largest runtime.MemStats.HeapInuse seen while it runs. ReadMemStats
// briefly stops the world; every 10 ms that is noise next to a transfer of seconds.
type heapSampler struct {
	stop chan struct{}
	done chan struct{}
	peak uint64
}

// startHeapSampler samples now and then every heapSampleEvery until Stop.
func startHeapSampler() *heapSampler {
	s := &heapSampler{stop: make(chan struct{}), done: make(chan struct{})}
	s.sample()
	go func() {
		defer close(s.done)
		tick := time.NewTicker(heapSampleEvery)
		defer tick.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-tick.C:
				s.sample()
			}
		}
	}()
	return s
}

func (s *heapSampler) sample() {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	s.peak = max(s.peak, m.HeapInuse)
}

// Stop ends the sampling, takes a last sample and returns the peak HeapInuse in bytes.
func (s *heapSampler) Stop() uint64 {
	close(s.stop)
	<-s.done
	s.sample()
	return s.peak
}

// settledHeap collects garbage and returns HeapInuse: the baseline a transfer's growth is
// measured from.
func settledHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

const mib = 1 << 20

// BenchmarkAttachment1GiB downloads the default scenario's largest attachment (about 1 GiB)
// directly from the emulator's service-owner side with a fresh dialog token, then through
// Innboks' download link as a logged-in user, in one run against one stack. Each iteration
// includes the dialog-details call that yields the token (the portal makes the same call for
// every download), so the difference between the two is the proxy. Custom metrics:
// peak-heap-MiB is the largest HeapInuse sampled during the transfers, heap-growth-MiB that
// minus the settled heap before them; both cover emulator, portal and client together, since
// they share this process.
func BenchmarkAttachment1GiB(b *testing.B) {
	quiet := slog.New(slog.DiscardHandler)
	st, err := devstack.Start(context.Background(), devstack.Options{Scenario: "default",
		Logger: quiet, EmulatorLogger: quiet, IDPortenLogger: quiet})
	if err != nil {
		b.Fatalf("start stack: %v", err)
	}
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = st.Close(ctx)
	})
	pid := st.Users()[0].PID
	dp := newDialogporten(b, st, pid)
	target := largestAttachment(b, st, dp)
	if target.size < 1<<30 {
		b.Fatalf("largest downloadable attachment has %d bytes, want at least 1 GiB", target.size)
	}
	// The session's cookies on a client of its own, without an overall timeout: the caller's
	// context bounds a 1 GiB download.
	c, _ := portalClient(b, st, pid)
	portal := &http.Client{Jar: c.HTTP.Jar, Transport: &http.Transport{}}
	direct := &http.Client{Transport: &http.Transport{}}

	run := func(b *testing.B, fetch func(ctx context.Context) (int64, error)) {
		b.SetBytes(target.size)
		base := settledHeap()
		heap := startHeapSampler()
		for b.Loop() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			n, err := fetch(ctx)
			cancel()
			if err != nil {
				b.Fatal(err)
			}
			if n != target.size {
				b.Fatalf("got %d bytes, want %d", n, target.size)
			}
		}
		peak := heap.Stop()
		b.ReportMetric(float64(peak)/mib, "peak-heap-MiB")
		b.ReportMetric(float64(peak-min(peak, base))/mib, "heap-growth-MiB")
	}
	b.Run("direct", func(b *testing.B) {
		run(b, func(ctx context.Context) (int64, error) {
			u, tok, err := directURL(ctx, dp, target)
			if err != nil {
				return 0, fmt.Errorf("dialog details: %w", err)
			}
			_, n, err := streamGet(ctx, direct, u, tok, io.Discard)
			return n, err
		})
	})
	b.Run("via-innboks", func(b *testing.B) {
		run(b, func(ctx context.Context) (int64, error) {
			_, n, err := streamGet(ctx, portal, st.PortalURL+target.portalPath(), "", io.Discard)
			return n, err
		})
	})
}

// streamTestSize is how much of the seed's ~1 GiB attachment TestAttachmentStreamsThroughInnboks
// reads: enough that buffering it would blow the heap bound, a quarter of the time of the whole
// file (BenchmarkAttachment1GiB, `make bench`, streams all of it).
const streamTestSize = 256 << 20

// streamHeapBound is the bound on heap growth while the attachment passes through emulator,
// portal and client: well under streamTestSize, so anything that buffers the attachment breaks it.
const streamHeapBound = 64 << 20

// errEnough ends a download once limitWriter has what it wants.
var errEnough = errors.New("read enough")

// limitWriter passes n bytes to w, then refuses with errEnough.
type limitWriter struct {
	w io.Writer
	n int64
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, errEnough
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.w.Write(p)
	l.n -= int64(n)
	if err == nil && l.n <= 0 {
		err = errEnough
	}
	return n, err
}

// TestAttachmentStreamsThroughInnboks downloads the largest attachment through Innboks' own
// link as the logged-in user: the bytes are exactly the emulator's deterministic content
// (sha256 of both streams), the answer has the right Content-Type, Content-Length and a safe
// attachment disposition, and the heap grows by far less than the file while it streams.
//
// It is deliberately not parallel: Go runs the parallel tests only after the sequential ones,
// so nothing else in this package allocates while the heap is sampled.
func TestAttachmentStreamsThroughInnboks(t *testing.T) {
	st, c, _ := loggedIn(t)
	pid := st.Users()[0].PID
	dp := newDialogporten(t, st.Stack, pid)
	target := largestAttachment(t, st.Stack, dp)
	if target.size < streamTestSize {
		t.Fatalf("largest downloadable attachment has %d bytes, want at least %d", target.size, streamTestSize)
	}

	want := sha256.New()
	if _, err := io.Copy(want, io.LimitReader(serviceowner.NewBlob(target.seed, target.size), streamTestSize)); err != nil {
		t.Fatal(err)
	}

	hc := *c.HTTP
	hc.Timeout = 0 // the test's deadline bounds the download; -race on a busy machine makes it slow
	ctx := t.Context()
	got := sha256.New()
	base := settledHeap()
	heap := startHeapSampler()
	hdr, n, err := streamGet(ctx, &hc, st.PortalURL+target.portalPath(), "", &limitWriter{w: got, n: streamTestSize})
	peak := heap.Stop()
	if err != nil && !errors.Is(err, errEnough) {
		t.Fatalf("download through Innboks: %v (after %d bytes)", err, n)
	}

	if n != streamTestSize {
		t.Errorf("got %d bytes, want the first %d", n, streamTestSize)
	}
	if g, w := fmt.Sprintf("%x", got.Sum(nil)), fmt.Sprintf("%x", want.Sum(nil)); g != w {
		t.Errorf("sha256 of the first %d MiB: got %s, want the emulator's %s", streamTestSize/mib, g, w)
	}
	if cl := hdr.Get("Content-Length"); cl != strconv.FormatInt(target.size, 10) {
		t.Errorf("Content-Length: got %q, want %d", cl, target.size)
	}
	wantType := serviceowner.AttachmentMediaType(&target.stored)
	if mt, _, err := mime.ParseMediaType(hdr.Get("Content-Type")); err != nil || mt != wantType {
		t.Errorf("Content-Type: got %q (%v), want %s", hdr.Get("Content-Type"), err, wantType)
	}
	cd := hdr.Get("Content-Disposition")
	disp, params, err := mime.ParseMediaType(cd)
	switch {
	case err != nil:
		t.Errorf("Content-Disposition %q does not parse: %v", cd, err)
	case disp != "attachment":
		t.Errorf("Content-Disposition: got %q, want attachment (never inline)", disp)
	case params["filename"] != serviceowner.AttachmentFileName(&target.stored):
		t.Errorf("Content-Disposition filename: got %q, want %q", params["filename"], serviceowner.AttachmentFileName(&target.stored))
	case strings.ContainsAny(params["filename"], "/\\\"\r\n\x00"):
		t.Errorf("Content-Disposition filename %q holds a separator, quote or control character", params["filename"])
	}

	growth := int64(peak) - int64(base)
	t.Logf("streamed %d MiB; heap in use %d MiB before, peak %d MiB (growth %d MiB, bound %d MiB; emulator, portal and client together)",
		n/mib, base/mib, peak/mib, growth/mib, streamHeapBound/mib)
	if growth > streamHeapBound {
		t.Errorf("heap grew by %d MiB while %d MiB streamed through Innboks, want at most %d MiB",
			growth/mib, n/mib, streamHeapBound/mib)
	}
}
