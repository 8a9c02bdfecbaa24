package redisstore_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/innboks/innboks/auth"
	"github.com/innboks/innboks/auth/internal/redistest"
	"github.com/innboks/innboks/auth/redisstore"
	"github.com/innboks/innboks/auth/storetest"
)

// server is the package's redis-server, started once in TestMain.
var server *redistest.Server

func TestMain(m *testing.M) {
	s, err := redistest.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	server = s
	code := m.Run()
	s.Stop()
	os.Exit(code)
}

func TestRedisStore(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) auth.Store {
		c := server.Client()
		t.Cleanup(func() { c.Close() })
		return redisstore.NewRedisStore(c, redisstore.WithPrefix(redistest.Prefix()))
	})
}
