// Package store is what Innboks itself remembers for a person: starred parties (favourites),
// groups of parties, saved inbox searches and preferences. It holds no identity number, no
// token and no dialog content.
//
// # Two databases, one schema
//
// Open picks the database from Config: a SQLite file (DataDir/innboks.db, pure Go through
// modernc.org/sqlite, made on first start, so `make run` needs nothing) or, when DatabaseURL is
// set, PostgreSQL (jackc/pgx) for several instances behind a load balancer. One migration set
// (goose, embedded SQL in migrations/) is written in the SQL both understand, and so is every
// query, so the two cannot drift apart: only opening and the migration lock differ (sqlite.go,
// postgres.go). Instances starting at once are safe: on PostgreSQL one migrates under goose's
// session advisory lock while the others wait; on SQLite the same through a lock file.
//
// # Owners
//
// Every row is keyed by an Owner, the hex HMAC-SHA256 of the person's national identity number
// under a server key (OwnerKey). Every query is scoped to it, so an id of someone else's row
// answers ErrNotFound, exactly as an unknown id does. A value that is not an OwnerKey result
// (a raw identity number, say) is refused with ErrInvalid. Errors never repeat the input.
//
// # Limits
//
// Names of at most 100 characters (unique per person, case-insensitively), 50 groups, 200 saved
// searches, 20,000 favourites per person, 20,000 parties per group. A change beyond one is
// refused with a *LimitError (errors.Is(err, ErrLimit)) that says which limit and its number,
// and changes nothing. Changes run in a transaction that first locks the person's row in
// owners (IMMEDIATE transactions on SQLite), so two concurrent adds cannot both pass a limit.
//
// Parties are Dialogporten party UUIDs (partyUuid), never party URNs: a person's URN carries
// their identity number.
package store
