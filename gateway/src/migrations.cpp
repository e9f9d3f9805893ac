#include "migrations.hpp"

namespace gw {

namespace {

// `seq` orders plans by their latest change: every insert and update takes MAX(seq) + 1 inside its write
// transaction, so it is unique and monotonic (timestamps collide within a millisecond) and keyset paging
// on it is stable. PostgreSQL will use a SEQUENCE for the same column.
// Step 2: a plan's jobs are serialised by ONE lease on its plan_targets row (owner = a gateway instance,
// expiry renewed while it works), which both job workers and the monitor take; see docs/deploy.md.
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
    {2, "deployments, steps, events, plan targets (state, sealed secret, light, lease)",
     R"sql(
CREATE TABLE plan_targets (
    plan_id          TEXT PRIMARY KEY REFERENCES plans(id) ON DELETE CASCADE,
    owner_id         TEXT NOT NULL,
    provider         TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'null',
    sealed_secret    TEXT NOT NULL DEFAULT '',
    document         TEXT NOT NULL DEFAULT '',
    revision         INTEGER NOT NULL DEFAULT 0,
    deployed         INTEGER NOT NULL DEFAULT 0,
    light            TEXT NOT NULL DEFAULT 'grey',
    reason           TEXT NOT NULL DEFAULT '',
    step             TEXT NOT NULL DEFAULT '',
    progress         REAL NOT NULL DEFAULT 0,
    deployment_id    TEXT NOT NULL DEFAULT '',
    last_deployed_at INTEGER NOT NULL DEFAULT 0,
    checks           TEXT NOT NULL DEFAULT 'null',
    checked_at       INTEGER NOT NULL DEFAULT 0,
    lease_owner      TEXT NOT NULL DEFAULT '',
    lease_expires_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX plan_targets_owner ON plan_targets(owner_id);
CREATE TABLE deployments (
    id          TEXT PRIMARY KEY,
    plan_id     TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    owner_id    TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    state       TEXT NOT NULL,
    step        TEXT NOT NULL DEFAULT '',
    progress    REAL NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT '',
    document    TEXT NOT NULL,
    options     TEXT NOT NULL DEFAULT '{}',
    created_at  INTEGER NOT NULL,
    finished_at INTEGER NOT NULL DEFAULT 0,
    not_before  INTEGER NOT NULL DEFAULT 0,
    seq         INTEGER NOT NULL UNIQUE
);
CREATE INDEX deployments_plan ON deployments(plan_id, seq DESC);
CREATE INDEX deployments_active ON deployments(state, seq);
CREATE TABLE deployment_steps (
    deployment_id TEXT NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    name          TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'pending',
    started_at    INTEGER NOT NULL DEFAULT 0,
    finished_at   INTEGER NOT NULL DEFAULT 0,
    runs          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (deployment_id, position)
);
CREATE TABLE deployment_events (
    id            INTEGER PRIMARY KEY,
    deployment_id TEXT NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
    at            INTEGER NOT NULL,
    level         TEXT NOT NULL,
    message       TEXT NOT NULL
);
CREATE INDEX deployment_events_deployment ON deployment_events(deployment_id, id);
)sql"},
    {3, "a user's link to their AWS account (deploy role ARN, gateway-generated ExternalId)",
     R"sql(
CREATE TABLE aws_account_links (
    user_id     TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    external_id TEXT NOT NULL UNIQUE,
    role_arn    TEXT NOT NULL DEFAULT '',
    updated_at  INTEGER NOT NULL
);
)sql"},
    // Fair use (docs/api.md "Quotas", docs/deploy.md "Queue"): per plan, the servers it may run on the
    // gateway's own host (counted against the owner's quota; existing local deployments are counted from
    // their stored state) and the claim order that makes job claiming fair between users.
    {4, "fair use: host servers per plan, fair job claiming",
     R"sql(
ALTER TABLE plan_targets ADD COLUMN host_servers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE plan_targets ADD COLUMN claim_seq INTEGER NOT NULL DEFAULT 0;
UPDATE plan_targets SET host_servers = (
    SELECT COUNT(*) FROM json_each(plan_targets.state, '$.components') AS c, json_each(c.value, '$.servers') AS s)
WHERE provider = 'local' AND state <> 'null' AND json_valid(state);
CREATE INDEX deployments_owner_active ON deployments(owner_id, state);
)sql"},
    {5, "pending sign-ups (a mailed one-time link creates the account) and sign-up notices to existing accounts",
     R"sql(
CREATE TABLE pending_signups (
    email         TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    token_digest  TEXT NOT NULL UNIQUE,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX pending_signups_expiry ON pending_signups(expires_at);
CREATE TABLE signup_notices (
    email   TEXT PRIMARY KEY,
    sent_at INTEGER NOT NULL
);
)sql"},
    // The plan list reads every column it shows from this index: from the table, reading seq and the times
    // meant stepping over each row's document (kilobytes, in overflow pages), most of the list's store time.
    {6, "a covering index for the plan list",
     R"sql(
CREATE INDEX plans_owner_list ON plans(owner_id, seq DESC, id, name, environment, revision, created_at, updated_at);
DROP INDEX plans_owner_seq;
)sql"},
};

}  // namespace

std::span<const Migration> SqliteMigrations() { return kSqlite; }

}  // namespace gw
