package store

import (
	"fmt"
	"testing"
)

// BenchmarkSavedSearchesList lists a person's 200 saved searches.
func BenchmarkSavedSearchesList(b *testing.B) {
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			d := open(b, be.cfg(b))
			for i := range MaxSavedSearches {
				if _, err := d.SaveSearch(b.Context(), alice, fmt.Sprintf("search %03d", i),
					"folder=inbox&q=skatt&read=unread&sort=created"); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				list, err := d.SavedSearches(b.Context(), alice)
				if err != nil || len(list) != MaxSavedSearches {
					b.Fatalf("got %d, %v", len(list), err)
				}
			}
		})
	}
}

// BenchmarkGroupWriteRead replaces a group's 20,000 parties and reads them back.
func BenchmarkGroupWriteRead(b *testing.B) {
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			d := open(b, be.cfg(b))
			g, err := d.CreateGroup(b.Context(), alice, "All clients", nil)
			if err != nil {
				b.Fatal(err)
			}
			full := parties(MaxGroupParties)
			b.ReportAllocs()
			for b.Loop() {
				if err := d.SetGroupParties(b.Context(), alice, g.ID, full); err != nil {
					b.Fatal(err)
				}
				got, err := d.Group(b.Context(), alice, g.ID)
				if err != nil || len(got.Parties) != MaxGroupParties {
					b.Fatalf("got %d, %v", len(got.Parties), err)
				}
			}
		})
	}
}
