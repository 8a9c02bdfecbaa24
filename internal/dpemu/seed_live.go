package dpemu

import (
	"fmt"
	"time"
)

// LiveUpdateTitle is the nb title of the default scenario's dialog whose GUI action makes the
// service owner update it a second later (serviceowner's "later" actions), for the browser
// test that watches an open dialog change without a reload.
const LiveUpdateTitle = "Søknad om sykepenger – svar kommer straks"

// liveUpdateDialog is an app dialog for party (Kari Nordmann herself in the default scenario)
// with a primary GUI action, POST …/actions/process-later, that the service-owner side
// answers with 202 and, LaterDelay afterwards, completes with a Decision transmission and an
// Information activity.
func (g *gen) liveUpdateDialog(party Party) *Dialog {
	owner, res := g.resource("nav-sykepenger")
	d := g.dialog(dialogSpec{party: party, owner: owner, res: res, state: stateNew, created: g.now.Add(-10 * time.Minute)})
	d.Content.Title = plain(tr(LiveUpdateTitle, "Søknad om sjukepengar – svar kjem straks", "Sick pay application – answer on its way"))
	d.Content.Summary = plainPtr(tr("Send søknaden til behandling; svaret kommer om et øyeblikk.",
		"Send søknaden til handsaming; svaret kjem om eit augneblink.", "Send the application for processing; the answer follows in a moment."))
	for i := range d.GuiActions {
		if d.GuiActions[i].Priority == PriorityPrimary {
			d.GuiActions[i].Priority = PrioritySecondary
		}
	}
	d.GuiActions = append([]GuiAction{{ID: g.ids.v7(d.CreatedAt), CreatedAt: d.CreatedAt, Action: "write",
		URL: fmt.Sprintf("%s/serviceowner/%s/dialogs/%s/actions/process-later", g.base, d.Org, d.ID), Priority: PriorityPrimary, HTTPMethod: "POST",
		Title: tr("Send til behandling", "Send til handsaming", "Send for processing")}}, d.GuiActions...)
	return d
}
