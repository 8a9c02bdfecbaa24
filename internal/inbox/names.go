package inbox

import (
	"strings"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/partyindex"
	"github.com/innboks/innboks/internal/richtext"
)

// ActorName is an activity's or a seen-log entry's actor as shown: a person's name as
// PersonName shows it; anyone else's as given.
func ActorName(a dpclient.Actor) string {
	if strings.HasPrefix(a.ActorID, "urn:altinn:person:") {
		return partyindex.PersonName(richtext.Text(a.ActorName))
	}
	return richtext.Text(a.ActorName)
}
