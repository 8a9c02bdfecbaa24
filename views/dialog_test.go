package views

import (
	"html/template"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/innboks/innboks/views/i18n"
)

func sampleDialog() DialogProps {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	due := t0.Add(-time.Hour)
	return DialogProps{
		Lang: i18n.EN, CSRF: "tok", ID: "d1", BackURL: "/inbox",
		Header: DialogHeaderProps{Title: "Tax <return>", Sender: "Skatteetaten", ServiceOwner: "SKD", Status: "Completed",
			StatusKey: "Completed", Party: "KARI", Created: t0, Updated: t0, Due: &due, Overdue: true, Folder: "bin"},
		Summary: template.HTML("<p>sum</p>"),
		Content: ContentSlotProps{URL: "/dialogs/d1/content"},
		Attachments: []AttachmentProps{{ID: "a1", Name: "x.pdf", Links: []AttachmentLink{
			{Href: "/dialogs/d1/attachments/a1/u1", TypeLabel: "PDF"}, {Disabled: true, Reason: "Expired"}}}},
		Thread: []ThreadGroup{{Sender: "You", FromParty: true, Items: []TransmissionProps{
			{ID: "t2", Title: "Answer", ReplyTo: "Question", ReplyToID: "t1", ContentURL: "/dialogs/d1/transmissions/t2/content", Created: t0}}}},
		Log:    []LogEntry{{When: t0, Who: "You", What: "Opened", Href: "#tx-t2"}},
		SeenBy: "Seen by you",
		Actions: DialogActionsProps{
			Primary:  []GuiActionProps{{ID: "g1", Title: "Submit", PostURL: "/dialogs/d1/actions/g1"}},
			Tertiary: []GuiActionProps{{ID: "g2", Title: "Delete", ConfirmURL: "/dialogs/d1/actions/g2", Delete: true}, {ID: "g3", Title: "Admin", Disabled: true, Reason: "No access"}},
			API:      []APIActionProps{{Name: "confirm", Method: "POST", PostURL: "/dialogs/d1/api-actions/x"}, {Name: "purge", Method: "DELETE"}},
		},
		Labels:   []LabelAction{{Value: "restore", Label: "Move to inbox"}},
		Revision: "r1",
		Notice:   "Done.", NoticeColor: "success",
	}
}

func TestDialogComponent(t *testing.T) {
	t.Parallel()
	d := renderDoc(t, Dialog(sampleDialog()))
	checks := map[string]string{
		"dialog-title":  "Tax <return>",
		"dialog-status": "Completed",
		"dialog-folder": "Bin",
		"dialog-notice": "Done.",
		"seen-by":       "Seen by you",
		"dialog-party":  "KARI",
	}
	for id, want := range checks {
		if got := strings.TrimSpace(tid(d, id).Text()); got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	if tid(d, "dialog-overdue").Length() != 1 {
		t.Errorf("overdue not shown")
	}
	if got, _ := d.Find("#dialog-content").Attr("hx-trigger"); got != "load" {
		t.Errorf("content slot trigger = %q", got)
	}
	if got, _ := tid(d, "attachment-link").Attr("href"); got != "/dialogs/d1/attachments/a1/u1" {
		t.Errorf("attachment href = %q", got)
	}
	if tid(d, "attachment-disabled").Length() != 1 {
		t.Errorf("disabled attachment link missing")
	}
	if got, _ := d.Find("#tx-t2").Attr("hx-target"); got != "#tx-content-t2" {
		t.Errorf("transmission hx-target = %q", got)
	}
	if d.Find("#tx-content-t2 a").Length() != 1 {
		t.Errorf("transmission content has no plain link")
	}
	if got, _ := tid(d, "action-primary").Attr("action"); got != "/dialogs/d1/actions/g1" {
		t.Errorf("primary action form = %q", got)
	}
	if got, _ := tid(d, "tertiary-menu").Find(`[data-action-id="g2"]`).Attr("data-color"); got != "danger" {
		t.Errorf("delete action not styled as such")
	}
	if tid(d, "api-action-button").Length() != 1 || tid(d, "api-action").Length() != 2 {
		t.Errorf("api actions: %d buttons of %d", tid(d, "api-action-button").Length(), tid(d, "api-action").Length())
	}
	if got, _ := tid(d, "label-restore").Attr("value"); got != "restore" {
		t.Errorf("label button value = %q", got)
	}
	// Every form that changes state carries the CSRF token.
	d.Find(`form[method="post"]`).Each(func(_ int, s *goquery.Selection) {
		if v, _ := s.Find(`input[name="csrf"]`).Attr("value"); v != "tok" {
			act, _ := s.Attr("action")
			t.Errorf("form %s has no CSRF token", act)
		}
	})
}

func TestContentComponent(t *testing.T) {
	t.Parallel()
	ok := renderDoc(t, Content(ContentProps{Lang: i18n.NB, TestID: "c", Target: "slot", HTML: "<p>hei</p>"}))
	if tid(ok, "c").Find("p").Text() != "hei" || tid(ok, "content-problem").Length() != 0 {
		t.Errorf("content not shown")
	}
	bad := renderDoc(t, Content(ContentProps{Lang: i18n.NB, TestID: "c", Target: "slot", Problem: "Nede", Retry: "/r"}))
	if tid(bad, "content-problem").Length() != 1 {
		t.Fatalf("problem not shown")
	}
	r := tid(bad, "content-retry")
	if h, _ := r.Attr("href"); h != "/r" {
		t.Errorf("retry href = %q", h)
	}
	if h, _ := r.Attr("hx-target"); h != "#slot" {
		t.Errorf("retry target = %q", h)
	}
}

func TestConfirmPageComponent(t *testing.T) {
	t.Parallel()
	d := renderDoc(t, ConfirmPage(Chrome{Lang: i18n.NB, CSRF: "tok"}, ConfirmProps{Lang: i18n.NB, CSRF: "tok", Action: "Slett", Prompt: "Sikker?", PostURL: "/p", CancelURL: "/c", Delete: true}))
	if tid(d, "confirm-prompt").Text() != "Sikker?" || tid(d, "confirm-title").Text() != "Slett" {
		t.Errorf("confirm texts wrong")
	}
	if a, _ := tid(d, "confirm-form").Attr("action"); a != "/p" {
		t.Errorf("form action = %q", a)
	}
	if tid(d, "page").Length() != 1 {
		t.Errorf("not a full page")
	}
}
