// Package events publishes the emulator's dialog changes as Altinn Events would deliver
// Dialogporten's CloudEvents (ENDUSER-API.md §12.1, AUTH-AND-NEIGHBOURS.md §D): it subscribes to
// dpemu.Store.OnChange, turns each change into a CloudEvent 1.0 in structured JSON and POSTs it
// to webhooks, after the platform.events.validatesubscription handshake, with bounded retries
// and a bounded queue so a slow webhook never blocks the store.
package events

import (
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/innboks/innboks/internal/dpemu"
)

// SpecVersion is the CloudEvents version the events carry.
const SpecVersion = "1.0"

// TypeValidateSubscription is the type of the handshake event sent to a new subscription.
const TypeValidateSubscription = "platform.events.validatesubscription"

// CloudEvent is one event in CloudEvents 1.0 structured JSON, with Altinn's extension
// attributes (resource, resourceinstance). Data is omitted when empty.
type CloudEvent struct {
	SpecVersion      string         `json:"specversion"`
	ID               string         `json:"id"`
	Type             string         `json:"type"`
	Time             *time.Time     `json:"time,omitempty"`
	Source           string         `json:"source"`
	Subject          string         `json:"subject,omitempty"`
	Resource         string         `json:"resource,omitempty"`
	ResourceInstance string         `json:"resourceinstance,omitempty"`
	Data             map[string]any `json:"data,omitempty"`
}

// dialogEventTypes maps change kinds to event types; activities and transmissions are built.
var dialogEventTypes = map[dpemu.ChangeKind]string{
	dpemu.ChangeDialogCreated:  "dialogporten.dialog.created.v1",
	dpemu.ChangeDialogUpdated:  "dialogporten.dialog.updated.v1",
	dpemu.ChangeDialogDeleted:  "dialogporten.dialog.deleted.v1",
	dpemu.ChangeDialogRestored: "dialogporten.dialog.restored.v1",
	dpemu.ChangeDialogSeen:     "dialogporten.dialog.seen.v1",
}

// ActivityEventName returns the <kind> of dialogporten.dialog.activity.<kind>.v1 for an
// activity type: DialogCreated → created, DialogClosed → closed, the rest in kebab case
// (TransmissionOpened → transmission-opened).
func ActivityEventName(t dpemu.ActivityType) string {
	switch t {
	case dpemu.ActivityDialogCreated:
		return "created"
	case dpemu.ActivityDialogClosed:
		return "closed"
	}
	var b strings.Builder
	for i, r := range string(t) {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('-')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// FromChange builds the CloudEvent Dialogporten publishes for c; dialogportenBase is the
// Dialogporten base URL (e.g. http://127.0.0.1:8081/dialogporten). ok is false for changes
// that raise no event (system-label changes). The event gets a fresh time-ordered id.
func FromChange(c dpemu.Change, dialogportenBase string) (ev CloudEvent, ok bool) {
	source := strings.TrimSuffix(dialogportenBase, "/") + "/api/v1/enduser/dialogs/" + c.DialogID.String()
	data := map[string]any{}
	if c.Process != "" {
		data["process"] = c.Process
	}
	if c.PrecedingProcess != "" {
		data["precedingProcess"] = c.PrecedingProcess
	}
	typ, ok := dialogEventTypes[c.Kind]
	switch c.Kind {
	case dpemu.ChangeTransmissionCreated:
		typ, ok = "dialogporten.dialog.transmission.created.v1", true
		source += "/transmissions/" + c.TransmissionID.String()
		if c.SenderType != "" {
			data["senderType"] = string(c.SenderType)
		}
	case dpemu.ChangeActivityCreated:
		typ, ok = "dialogporten.dialog.activity."+ActivityEventName(c.ActivityType)+".v1", true
		source += "/activities/" + c.ActivityID.String()
		data["activityId"] = c.ActivityID.String()
		if c.ExtendedActivityType != "" {
			data["extendedActivityType"] = c.ExtendedActivityType
		}
	}
	if !ok {
		return CloudEvent{}, false
	}
	t := c.Time.UTC()
	ev = CloudEvent{
		SpecVersion:      SpecVersion,
		ID:               uuid.Must(uuid.NewV7()).String(),
		Type:             typ,
		Time:             &t,
		Source:           source,
		Subject:          c.Party,
		Resource:         c.ServiceResource,
		ResourceInstance: c.DialogID.String(),
	}
	if len(data) > 0 {
		ev.Data = data
	}
	return ev, true
}
