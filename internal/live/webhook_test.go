package live

import (
	"strings"
	"testing"
)

func TestDialogIDOf(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		ev   cloudEvent
		want string
	}{
		{cloudEvent{ResourceInstance: strings.ToUpper(dialog1)}, dialog1},
		{cloudEvent{Source: "https://dp/api/v1/enduser/dialogs/" + dialog1 + "/activities/x"}, dialog1},
		{cloudEvent{Source: "https://dp/api/v1/enduser/dialogs/" + dialog1}, dialog1},
		{cloudEvent{ResourceInstance: `"><script>`}, ""},
		{cloudEvent{Source: "https://dp/other"}, ""},
	} {
		if got := dialogIDOf(tc.ev); got != tc.want {
			t.Errorf("dialogIDOf(%+v) = %q, want %q", tc.ev, got, tc.want)
		}
	}
}

const dialog1 = "0190fbd7-1111-7000-8000-000000000001"
