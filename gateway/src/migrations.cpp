#include "migrations.hpp"

namespace gw {

namespace {

// `seq` orders plans by their latest change: every insert and update takes MAX(seq) + 1 inside its write
// transaction, so it is unique and monotonic (timestamps collide within a millisecond) and keyset paging
// on it is stable. PostgreSQL will use a SEQUENCE for the same column.
constexpr Migration kSqlite[] = {
    {1, "users, tokens, plans",
     R"sql(
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE TABLE tokens (
    digest     TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tokens_user ON tokens(user_id);
CREATE TABLE plans (
    id          TEXT PRIMARY KEY,
    owner_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    environment TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    document    TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    seq         INTEGER NOT NULL UNIQUE
);
CREATE INDEX plans_owner_seq ON plans(owner_id, seq DESC);
)sql"},
};

}  // namespace

std::span<const Migration> SqliteMigrations() { return kSqlite; }

}  // namespace gw
