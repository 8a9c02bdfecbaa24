package auth_test

import (
	"testing"

	"github.com/innboks/innboks/auth"
	"github.com/innboks/innboks/auth/storetest"
)

func TestMemoryStore(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(*testing.T) auth.Store { return auth.NewMemoryStore() })
}
