-- The workspace: one SQL text for SQLite and PostgreSQL (TEXT, BIGINT, BOOLEAN and ON DELETE
-- CASCADE mean the same in both). Times are Unix microseconds.

-- +goose Up
CREATE TABLE owners (
    owner        TEXT PRIMARY KEY, -- hex HMAC-SHA256 of the identity number (store.Owner)
    language     TEXT NOT NULL DEFAULT '',
    start_party  TEXT NOT NULL DEFAULT '',
    show_deleted BOOLEAN NOT NULL DEFAULT FALSE,
    fav_seq      BIGINT NOT NULL DEFAULT 0 -- last favourite's position
);

CREATE TABLE favourites (
    owner TEXT NOT NULL REFERENCES owners (owner) ON DELETE CASCADE,
    party TEXT NOT NULL,
    seq   BIGINT NOT NULL,
    PRIMARY KEY (owner, party)
);
CREATE INDEX favourites_by_seq ON favourites (owner, seq);

CREATE TABLE party_groups (
    id         TEXT PRIMARY KEY,
    owner      TEXT NOT NULL REFERENCES owners (owner) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL, -- case-folded name
    size       INTEGER NOT NULL,
    parties    TEXT NOT NULL, -- party UUIDs in order, one per line
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (owner, name_key)
);

CREATE TABLE saved_searches (
    id         TEXT PRIMARY KEY,
    owner      TEXT NOT NULL REFERENCES owners (owner) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL,
    query      TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    opened_at  BIGINT NOT NULL DEFAULT 0,
    UNIQUE (owner, name_key)
);

-- +goose Down
DROP TABLE saved_searches;
DROP TABLE party_groups;
DROP TABLE favourites;
DROP TABLE owners;
