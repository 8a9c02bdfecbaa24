package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestOwnerKey(t *testing.T) {
	t.Parallel()
	a := OwnerKey(testKey, "17054512345")
	if a != alice || len(a) != 64 || a.valid() != nil {
		t.Fatalf("got %q, want the same 64 hex characters as before", a)
	}
	if OwnerKey([]byte("another key"), "17054512345") == a || OwnerKey(testKey, "17054512346") == a {
		t.Fatal("another key or identity number gave the same owner")
	}
	if strings.Contains(string(a), "17054512345") {
		t.Fatal("the owner holds the identity number")
	}
}

func TestFavourites(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, d *DB, _ Config) {
		ctx := t.Context()
		p := parties(3)
		for _, party := range []string{p[0], p[1], p[2], strings.ToUpper(p[0])} {
			if err := d.AddFavourite(ctx, alice, party); err != nil {
				t.Fatal(err)
			}
		}
		if err := d.RemoveFavourite(ctx, alice, p[1]); err != nil {
			t.Fatal(err)
		}
		if err := d.AddFavourite(ctx, alice, p[1]); err != nil {
			t.Fatal(err)
		}
		got, err := d.Favourites(ctx, alice)
		if want := []string{p[0], p[2], p[1]}; err != nil || !slices.Equal(got, want) {
			t.Fatalf("got %v, %v; want %v (by when starred, once each)", got, err, want)
		}
		if err := d.AddFavourite(ctx, alice, "urn:altinn:person:identifier-no:17054512345"); !errors.Is(err, ErrInvalid) {
			t.Fatalf("a person URN: got %v, want ErrInvalid", err)
		}
		if got, _ := d.Favourites(ctx, bob); len(got) != 0 {
			t.Fatalf("bob sees %v", got)
		}
	})
}

func TestGroups(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, d *DB, _ Config) {
		ctx := t.Context()
		p := parties(4)
		g, err := d.CreateGroup(ctx, alice, "  Oslo clients ", []string{p[2], p[0], p[2], p[1]})
		if err != nil {
			t.Fatal(err)
		}
		if g.Name != "Oslo clients" || g.Size != 3 || !slices.Equal(g.Parties, []string{p[2], p[0], p[1]}) {
			t.Fatalf("got %+v, want the trimmed name and the parties in order, once each", g)
		}
		if _, err := d.CreateGroup(ctx, alice, "OSLO CLIENTS", nil); !errors.Is(err, ErrNameTaken) {
			t.Fatalf("the same name in capitals: got %v, want ErrNameTaken", err)
		}
		empty, err := d.CreateGroup(ctx, alice, "Bergen", nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.RenameGroup(ctx, alice, empty.ID, "oslo Clients"); !errors.Is(err, ErrNameTaken) {
			t.Fatalf("rename to a taken name: got %v, want ErrNameTaken", err)
		}
		if err := d.RenameGroup(ctx, alice, g.ID, "Oslo Clients"); err != nil {
			t.Fatalf("a new case of its own name: %v", err)
		}
		if err := d.SetGroupParties(ctx, alice, g.ID, []string{p[3], p[0]}); err != nil {
			t.Fatal(err)
		}
		got, err := d.Group(ctx, alice, g.ID)
		if err != nil || got.Name != "Oslo Clients" || !slices.Equal(got.Parties, []string{p[3], p[0]}) ||
			got.Size != 2 || !got.Created.Equal(g.Created) || !got.Updated.After(g.Updated) {
			t.Fatalf("got %+v, %v", got, err)
		}
		list, err := d.Groups(ctx, alice)
		if err != nil || len(list) != 2 || list[0].Name != "Bergen" || list[1].Size != 2 || list[1].Parties != nil {
			t.Fatalf("got %+v, %v; want Bergen then Oslo Clients (size 2), without parties", list, err)
		}
		if _, err := d.CreateGroup(ctx, alice, "", nil); !errors.Is(err, ErrInvalid) {
			t.Fatalf("an empty name: got %v, want ErrInvalid", err)
		}
		if _, err := d.CreateGroup(ctx, alice, "x\x00y", nil); !errors.Is(err, ErrInvalid) {
			t.Fatalf("a control character: got %v, want ErrInvalid", err)
		}
		if err := d.DeleteGroup(ctx, alice, g.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Group(ctx, alice, g.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("a deleted group: got %v, want ErrNotFound", err)
		}
		if err := d.DeleteGroup(ctx, alice, g.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("deleted twice: got %v, want ErrNotFound", err)
		}
		if _, err := d.Group(ctx, alice, "not-an-id"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("a malformed id: got %v, want ErrNotFound", err)
		}
	})
}

func TestSavedSearches(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, d *DB, _ Config) {
		ctx := t.Context()
		s, err := d.SaveSearch(ctx, alice, "Unread tax", "?folder=inbox&q=skatt&read=unread")
		if err != nil {
			t.Fatal(err)
		}
		if s.Query != "folder=inbox&q=skatt&read=unread" || !s.OpenedAt.IsZero() || s.Created.IsZero() {
			t.Fatalf("got %+v", s)
		}
		if _, err := d.SaveSearch(ctx, alice, "Archive", "folder=archive"); err != nil {
			t.Fatal(err)
		}
		if _, err := d.SaveSearch(ctx, alice, "unread TAX", ""); !errors.Is(err, ErrNameTaken) {
			t.Fatalf("a taken name: got %v, want ErrNameTaken", err)
		}
		if _, err := d.SaveSearch(ctx, alice, "Bad", "q=%zz"); !errors.Is(err, ErrInvalid) {
			t.Fatalf("a malformed query: got %v, want ErrInvalid", err)
		}
		first, err := d.OpenSavedSearch(ctx, alice, s.ID)
		if err != nil || !first.OpenedAt.IsZero() {
			t.Fatalf("first opening: got %+v, %v; want no earlier opening", first, err)
		}
		opened, _ := d.SavedSearch(ctx, alice, s.ID)
		second, err := d.OpenSavedSearch(ctx, alice, s.ID)
		if err != nil || second.OpenedAt.IsZero() || !second.OpenedAt.Equal(opened.OpenedAt) {
			t.Fatalf("second opening: got %+v, %v; want the first opening's time %v", second, err, opened.OpenedAt)
		}
		if err := d.RenameSavedSearch(ctx, alice, s.ID, "Tax, unread"); err != nil {
			t.Fatal(err)
		}
		list, err := d.SavedSearches(ctx, alice)
		if err != nil || len(list) != 2 || list[0].Name != "Archive" || list[1].Name != "Tax, unread" ||
			list[1].Query != s.Query {
			t.Fatalf("got %+v, %v", list, err)
		}
		if err := d.DeleteSavedSearch(ctx, alice, s.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := d.SavedSearch(ctx, alice, s.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("a deleted search: got %v, want ErrNotFound", err)
		}
	})
}

func TestPreferences(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, d *DB, _ Config) {
		ctx := t.Context()
		if p, err := d.Preferences(ctx, alice); err != nil || p != (Preferences{}) {
			t.Fatalf("got %+v, %v; want the zero value", p, err)
		}
		party := parties(1)[0]
		want := Preferences{Language: "nn", StartParty: party, ShowDeleted: true}
		if err := d.SetPreferences(ctx, alice, want); err != nil {
			t.Fatal(err)
		}
		if got, err := d.Preferences(ctx, alice); err != nil || got != want {
			t.Fatalf("got %+v, %v; want %+v", got, err, want)
		}
		for _, bad := range []Preferences{{Language: "sv"}, {StartParty: "17054512345"}, {StartParty: "group:x"}} {
			if err := d.SetPreferences(ctx, alice, bad); !errors.Is(err, ErrInvalid) {
				t.Fatalf("%+v: got %v, want ErrInvalid", bad, err)
			}
		}
		g, err := d.CreateGroup(ctx, alice, "Start here", nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.SetPreferences(ctx, bob, Preferences{StartParty: "group:" + g.ID}); !errors.Is(err, ErrInvalid) {
			t.Fatalf("another owner's group: got %v, want ErrInvalid", err)
		}
		want = Preferences{Language: "en", StartParty: "group:" + g.ID}
		if err := d.SetPreferences(ctx, alice, want); err != nil {
			t.Fatal(err)
		}
		if got, _ := d.Preferences(ctx, alice); got != want {
			t.Fatalf("got %+v, want %+v", got, want)
		}
		if err := d.DeleteGroup(ctx, alice, g.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := d.Preferences(ctx, alice); got != (Preferences{Language: "en"}) {
			t.Fatalf("after deleting the start group: got %+v, want the start party cleared", got)
		}
	})
}

func TestOwnerScoping(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, d *DB, _ Config) {
		ctx := t.Context()
		p := parties(2)
		g, err := d.CreateGroup(ctx, alice, "Mine", p)
		if err != nil {
			t.Fatal(err)
		}
		s, err := d.SaveSearch(ctx, alice, "Mine", "q=abc")
		if err != nil {
			t.Fatal(err)
		}
		if err := d.AddFavourite(ctx, alice, p[0]); err != nil {
			t.Fatal(err)
		}
		_, errGet := d.Group(ctx, bob, g.ID)
		_, errGetS := d.SavedSearch(ctx, bob, s.ID)
		_, errOpen := d.OpenSavedSearch(ctx, bob, s.ID)
		for name, err := range map[string]error{
			"Group": errGet, "RenameGroup": d.RenameGroup(ctx, bob, g.ID, "Taken"),
			"SetGroupParties":   d.SetGroupParties(ctx, bob, g.ID, nil),
			"DeleteGroup":       d.DeleteGroup(ctx, bob, g.ID),
			"SavedSearch":       errGetS,
			"RenameSavedSearch": d.RenameSavedSearch(ctx, bob, s.ID, "Taken"),
			"DeleteSavedSearch": d.DeleteSavedSearch(ctx, bob, s.ID),
			"OpenSavedSearch":   errOpen,
		} {
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("bob's %s of alice's row: got %v, want ErrNotFound", name, err)
			}
		}
		if gs, _ := d.Groups(ctx, bob); len(gs) != 0 {
			t.Fatalf("bob lists %+v", gs)
		}
		if ss, _ := d.SavedSearches(ctx, bob); len(ss) != 0 {
			t.Fatalf("bob lists %+v", ss)
		}
		if _, err := d.CreateGroup(ctx, bob, "mine", nil); err != nil {
			t.Fatalf("names are per owner: %v", err)
		}
		got, err := d.Group(ctx, alice, g.ID)
		if err != nil || got.Name != "Mine" || !slices.Equal(got.Parties, p) {
			t.Fatalf("alice's group after bob's tries: %+v, %v", got, err)
		}
		if gotS, err := d.SavedSearch(ctx, alice, s.ID); err != nil || gotS.Name != "Mine" || !gotS.OpenedAt.IsZero() {
			t.Fatalf("alice's search after bob's tries: %+v, %v", gotS, err)
		}
		if _, err := d.Groups(ctx, Owner("17054512345")); !errors.Is(err, ErrInvalid) {
			t.Fatalf("an identity number as owner: got %v, want ErrInvalid", err)
		}
		if err := d.Forget(ctx, alice); err != nil {
			t.Fatal(err)
		}
		gs, _ := d.Groups(ctx, alice)
		fs, _ := d.Favourites(ctx, alice)
		bs, _ := d.Groups(ctx, bob)
		if len(gs) != 0 || len(fs) != 0 || len(bs) != 1 {
			t.Fatalf("after Forget(alice): alice %d groups, %d favourites; bob %d groups", len(gs), len(fs), len(bs))
		}
	})
}

func TestReopenKeepsData(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			cfg := b.cfg(t)
			d, err := Open(t.Context(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			g, err := d.CreateGroup(t.Context(), alice, "Kept", parties(3))
			if err != nil {
				t.Fatal(err)
			}
			_ = d.Close()
			again := open(t, cfg)
			got, err := again.Group(t.Context(), alice, g.ID)
			if err != nil || !slices.Equal(got.Parties, g.Parties) {
				t.Fatalf("after reopening: got %+v, %v; want %+v", got, err, g)
			}
		})
	}
}

func TestOpenRefusesBadConfig(t *testing.T) {
	t.Parallel()
	if _, err := Open(t.Context(), Config{}); err == nil || !strings.Contains(err.Error(), "DATA_DIR") {
		t.Fatalf("no place: got %v, want an error naming DATA_DIR", err)
	}
	_, err := Open(t.Context(), Config{DatabaseURL: "mysql://user:s3cret@db/x"})
	if err == nil || strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "postgres://") {
		t.Fatalf("a MySQL URL: got %v, want an error saying postgres:// without the password", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if _, err := Open(ctx, Config{DatabaseURL: "postgres://u:s3cret@127.0.0.1:1/x?sslmode=disable"}); err == nil ||
		strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("an unreachable server: got %v, want an error without the password", err)
	}
}

func TestSQLiteFileMadeOnFirstStart(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "not", "yet")
	open(t, Config{DataDir: dir})
	fi, err := os.Stat(filepath.Join(dir, SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("got mode %v, want 0600: the file is the person's data", fi.Mode().Perm())
	}
	if _, err := Open(t.Context(), Config{DataDir: filepath.Join(t.TempDir(), "a?b")}); err == nil {
		t.Fatal("a DATA_DIR with ? was accepted")
	}
}
