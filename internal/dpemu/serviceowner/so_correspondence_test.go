package serviceowner_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/innboks/innboks/internal/dpemu"
)

type corrOverview struct {
	CorrespondenceID     string `json:"correspondenceId"`
	Status               string `json:"status"`
	IsConfirmationNeeded bool   `json:"isConfirmationNeeded"`
	Recipient            string `json:"recipient"`
	Content              struct {
		MessageTitle string `json:"messageTitle"`
		Attachments  []struct {
			ID       string `json:"id"`
			FileName string `json:"fileName"`
		} `json:"attachments"`
	} `json:"content"`
}

type codedProblem struct {
	Status    int `json:"status"`
	ErrorCode int `json:"errorCode"`
}

func (e *env) overview(id, tok string) corrOverview {
	e.t.Helper()
	resp, body := e.do("GET", "/correspondence/api/v1/correspondence/"+id, tok)
	if resp.StatusCode != 200 {
		e.t.Fatalf("overview: got %d (%s)", resp.StatusCode, body)
	}
	var o corrOverview
	if err := json.Unmarshal([]byte(body), &o); err != nil {
		e.t.Fatal(err)
	}
	return o
}

func TestCorrespondenceReadAndConfirm(t *testing.T) {
	t.Parallel()
	e := setup(t)
	id := e.corrID.String()
	tok := e.dialogToken(e.corr, "read", nil)
	base := "/correspondence/api/v1/correspondence/" + id

	o := e.overview(id, tok)
	if o.CorrespondenceID != id || o.Status != "Published" || !o.IsConfirmationNeeded || len(o.Content.Attachments) != 2 || o.Recipient != personURN {
		t.Errorf("overview before reading: got %+v", o)
	}

	for i := 0; i < 2; i++ {
		resp, body := e.do("GET", base+"/content?lang=en", tok)
		if resp.StatusCode != 200 || !strings.Contains(body, "# Tax decision") {
			t.Fatalf("content: got %d %q", resp.StatusCode, body)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
			t.Errorf("content type: got %q, want text/plain", ct)
		}
	}
	d := e.dialog(e.corr.ID)
	if got := countActivities(d, dpemu.ActivityCorrespondenceOpened); got != 1 {
		t.Errorf("CorrespondenceOpened after two reads: got %d, want 1", got)
	}
	if d.Activities[0].PerformedBy.ID != personURN {
		t.Errorf("opened by: got %q, want the token's c", d.Activities[0].PerformedBy.ID)
	}
	if o := e.overview(id, tok); o.Status != "Read" {
		t.Errorf("status after reading: got %s, want Read", o.Status)
	}

	resp, body := e.do("DELETE", base+"/purge", tok)
	var p codedProblem
	_ = json.Unmarshal([]byte(body), &p)
	if resp.StatusCode != 400 || p.ErrorCode != 1026 {
		t.Errorf("purge before confirming: got %d code %d, want 400 code 1026", resp.StatusCode, p.ErrorCode)
	}

	for i := 0; i < 2; i++ {
		resp, body := e.do("POST", base+"/confirm", tok)
		if resp.StatusCode != 200 || strings.Trim(strings.TrimSpace(body), `"`) != id {
			t.Fatalf("confirm %d: got %d %q, want 200 and the id", i, resp.StatusCode, body)
		}
	}
	d = e.dialog(e.corr.ID)
	if got := countActivities(d, dpemu.ActivityCorrespondenceConfirmed); got != 1 {
		t.Errorf("CorrespondenceConfirmed after two confirms: got %d, want 1", got)
	}
	if len(d.GuiActions) != 0 || len(d.ApiActions) != 0 {
		t.Errorf("confirm actions left: %d GUI, %d API", len(d.GuiActions), len(d.ApiActions))
	}
	if d.Status != dpemu.StatusCompleted {
		t.Errorf("dialog status: got %s, want Completed", d.Status)
	}
	if o := e.overview(id, tok); o.Status != "Confirmed" || !o.IsConfirmationNeeded {
		t.Errorf("overview after confirming: got %+v", o)
	}

	if resp, _ := e.do("DELETE", base+"/purge", tok); resp.StatusCode != 200 {
		t.Fatalf("purge after confirming: got %d, want 200", resp.StatusCode)
	}
	if d := e.dialog(e.corr.ID); d.DeletedAt == nil {
		t.Error("purge did not delete the dialog")
	}
	resp, body = e.do("GET", base, tok)
	_ = json.Unmarshal([]byte(body), &p)
	if resp.StatusCode != 404 || p.ErrorCode != 1001 {
		t.Errorf("overview after purge: got %d code %d, want 404 code 1001", resp.StatusCode, p.ErrorCode)
	}
}

func TestCorrespondenceWithoutConfirmation(t *testing.T) {
	t.Parallel()
	e := setup(t)
	base := "/correspondence/api/v1/correspondence/" + e.corrID2.String()
	tok := e.dialogToken(e.corrNoCf, "read", nil)
	if resp, _ := e.do("POST", base+"/confirm", tok); resp.StatusCode != 400 {
		t.Errorf("confirm without need: got %d, want 400", resp.StatusCode)
	}
	resp, body := e.do("POST", base+"/markasread", tok)
	if resp.StatusCode != 200 || !strings.Contains(body, e.corrID2.String()) {
		t.Errorf("markasread: got %d %q", resp.StatusCode, body)
	}
	if got := countActivities(e.dialog(e.corrNoCf.ID), dpemu.ActivityCorrespondenceOpened); got != 1 {
		t.Errorf("CorrespondenceOpened after markasread: got %d, want 1", got)
	}
	if resp, _ := e.do("DELETE", base+"/purge", tok); resp.StatusCode != 200 {
		t.Errorf("purge: got %d, want 200", resp.StatusCode)
	}
}

func TestCorrespondenceAttachments(t *testing.T) {
	t.Parallel()
	e := setup(t)
	base := "/correspondence/api/v1/correspondence/" + e.corrID.String()
	tok := e.dialogToken(e.corr, "read", nil)
	att := e.corr.Attachments[0]
	resp, body := e.do("GET", base+"/attachment/"+att.ID.String()+"/download", tok)
	if resp.StatusCode != 200 || !bytes.Equal([]byte(body), blobBytes(t, att.ContentSeed, att.Size)) {
		t.Fatalf("download: got %d and %d bytes, want 200 and the generated bytes", resp.StatusCode, len(body))
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != "attachment; filename=vedtak.pdf" {
		t.Errorf("Content-Disposition: got %q", cd)
	}
	for _, bad := range []string{e.other.Attachments[0].ID.String(), e.app.Attachments[0].ID.String()} {
		resp, body := e.do("GET", base+"/attachment/"+bad+"/download", tok)
		var p codedProblem
		_ = json.Unmarshal([]byte(body), &p)
		if resp.StatusCode != 404 || p.ErrorCode != 2001 {
			t.Errorf("another dialog's attachment: got %d code %d, want 404 code 2001", resp.StatusCode, p.ErrorCode)
		}
	}

	resp, body = e.do("GET", base+"/attachments/downloadall", tok)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("downloadall: got %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	zr, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != 2 {
		t.Fatalf("zip entries: got %d, want 2", len(zr.File))
	}
	for i, f := range zr.File {
		rc, _ := f.Open()
		got, _ := io.ReadAll(rc)
		rc.Close()
		a := e.corr.Attachments[i]
		if !bytes.Equal(got, blobBytes(t, a.ContentSeed, a.Size)) {
			t.Errorf("zip entry %s: bytes differ", f.Name)
		}
	}
}

func TestCorrespondenceAuth(t *testing.T) {
	t.Parallel()
	e := setup(t)
	base := "/correspondence/api/v1/correspondence/" + e.corrID.String()
	platform := e.exchange(t, "openid digdir:dialogporten altinn:correspondence.read", nil)
	noScope := e.exchange(t, "openid altinn:events.subscribe", nil)
	tests := []struct {
		name       string
		path       string
		token      string
		wantStatus int
		wantCode   int
	}{
		{"dialog token", base, e.dialogToken(e.corr, "read", nil), 200, 0},
		{"platform token", base, platform, 200, 0},
		{"no token", base, "", 401, 4001},
		{"raw ID-porten token", base, e.idportenToken("altinn:correspondence.read", nil), 401, 4001},
		{"dialog token of another dialog", base, e.dialogToken(e.app, "read", nil), 403, 4001},
		{"dialog token without read", base, e.dialogToken(e.corr, "write", nil), 403, 4001},
		{"platform token without the scope", base, noScope, 403, 4001},
		{"unknown correspondence", "/correspondence/api/v1/correspondence/" + e.app.ID.String(), platform, 404, 1001},
	}
	for _, tc := range tests {
		resp, body := e.do("GET", tc.path, tc.token)
		var p codedProblem
		_ = json.Unmarshal([]byte(body), &p)
		if resp.StatusCode != tc.wantStatus || p.ErrorCode != tc.wantCode {
			t.Errorf("%s: got %d code %d, want %d code %d (%s)", tc.name, resp.StatusCode, p.ErrorCode, tc.wantStatus, tc.wantCode, body)
		}
	}
	// A platform token of a person without access to the party is refused.
	stranger := e.exchange(t, "altinn:correspondence.read", func(c map[string]any) { c["pid"] = otherPID })
	if resp, _ := e.do("GET", base, stranger); resp.StatusCode != 403 {
		t.Errorf("platform token of a stranger: got %d, want 403", resp.StatusCode)
	}
	// Reading content with a platform token also records the opening.
	if resp, _ := e.do("GET", base+"/content", platform); resp.StatusCode != 200 {
		t.Fatalf("content with platform token: got %d", resp.StatusCode)
	}
	if got := countActivities(e.dialog(e.corr.ID), dpemu.ActivityCorrespondenceOpened); got != 1 {
		t.Errorf("CorrespondenceOpened: got %d, want 1", got)
	}
}

func TestConcurrentReadsAndConfirmsRecordOnce(t *testing.T) {
	t.Parallel()
	e := setup(t)
	base := e.base + "/correspondence/api/v1/correspondence/" + e.corrID.String()
	tok := e.dialogToken(e.corr, "read", nil)
	var wg sync.WaitGroup
	errs := make(chan string, 40)
	for i := 0; i < 20; i++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			if resp, err := authGet(base+"/content", tok); err != nil || resp != 200 {
				errs <- "content failed"
			}
		}()
		go func() {
			defer wg.Done()
			if resp, err := authPost(base+"/confirm", tok); err != nil || resp != 200 {
				errs <- "confirm failed"
			}
		}()
	}
	wg.Wait()
	close(errs)
	for msg := range errs {
		t.Error(msg)
	}
	d := e.dialog(e.corr.ID)
	if o, c := countActivities(d, dpemu.ActivityCorrespondenceOpened), countActivities(d, dpemu.ActivityCorrespondenceConfirmed); o != 1 || c != 1 {
		t.Errorf("after 20 concurrent reads and confirms: %d opened, %d confirmed, want 1 and 1", o, c)
	}
}

func authGet(u, tok string) (int, error)  { return authDo("GET", u, tok) }
func authPost(u, tok string) (int, error) { return authDo("POST", u, tok) }

func authDo(method, u, tok string) (int, error) {
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}
