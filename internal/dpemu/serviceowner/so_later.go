package serviceowner

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/innboks/innboks/internal/dpemu"
)

// LaterDelay is how long after a "later" GUI action the service owner updates the dialog.
const LaterDelay = time.Second

// isLater reports whether a GUI action's name asks for the asynchronous, delayed effect.
func isLater(name string) bool { return strings.Contains(strings.ToLower(name), "later") }

// performLater is the effect of a GUI action whose name contains "later" (e.g.
// process-later): an asynchronous service owner that answers 202 at once and, LaterDelay
// afterwards, processes the case. The dialog is then Completed, has a new Decision
// transmission and an Information activity saying so — three store changes, each with its
// CloudEvents and a DIALOG_UPDATED on the dialogEvents subscription — so a page that shows
// the dialog can be seen to update without a reload.
func (s *Side) performLater(id uuid.UUID, by dpemu.Actor) {
	time.AfterFunc(LaterDelay, func() {
		if err := s.processCase(id, by); err != nil {
			s.log.WarnContext(context.Background(), "serviceowner: delayed action failed", "dialog", id, "err", err)
		}
	})
}

func (s *Side) processCase(id uuid.UUID, by dpemu.Actor) error {
	_, err := s.store.AddTransmission(id, dpemu.Transmission{
		Type:   dpemu.TransmissionDecision,
		Sender: dpemu.Actor{Type: dpemu.ActorServiceOwner},
		Title: dpemu.ContentValue{MediaType: dpemu.MediaTextPlain, Value: dpemu.Text{
			{LanguageCode: "nb", Value: "Vedtak: søknaden er innvilget"},
			{LanguageCode: "nn", Value: "Vedtak: søknaden er innvilga"},
			{LanguageCode: "en", Value: "Decision: the application is granted"}}},
		Summary: &dpemu.ContentValue{MediaType: dpemu.MediaTextPlain, Value: dpemu.Text{
			{LanguageCode: "nb", Value: "Saken er ferdig behandlet."},
			{LanguageCode: "nn", Value: "Saka er ferdig handsama."},
			{LanguageCode: "en", Value: "The case has been processed."}}},
	})
	if err != nil {
		return err
	}
	who := by.Name
	if who == "" {
		who = "brukeren"
	}
	if _, err := s.store.AddActivity(id, dpemu.Activity{Type: dpemu.ActivityInformation,
		PerformedBy: dpemu.Actor{Type: dpemu.ActorServiceOwner}, Description: dpemu.Text{
			{LanguageCode: "nb", Value: "Saken ble behandlet etter forespørsel fra " + who + "."},
			{LanguageCode: "nn", Value: "Saka vart handsama etter førespurnad frå " + who + "."},
			{LanguageCode: "en", Value: "The case was processed at the request of " + who + "."}}}); err != nil {
		return err
	}
	return s.store.SetStatus(id, dpemu.StatusCompleted, "")
}
