#pragma once
// Persistence behind interfaces: routes never see SQL. The SQLite store (store_sqlite.cpp) is the one in
// use; a PostgreSQL store for several gateways behind a load balancer implements the same interfaces.
//
// Contract for every implementation:
// - Thread-safe: httplib serves requests on a thread pool and calls these concurrently.
// - Expected outcomes (not found, email taken, stale revision) are values. Unexpected database failures
//   throw StoreError; the server's single exception handler turns that into a 500 with a request id.
// - Each call is atomic: a multi-statement write runs in one transaction, nothing is half-written.
// - Times are passed in (milliseconds since the epoch): stores never read the clock.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "clock.hpp"

namespace gw {

struct StoreError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct User {
    std::string id;             // "u_…"
    std::string email;          // normalised (trimmed, lowercase)
    std::string password_hash;  // Argon2id string from crypto_pwhash_str
    TimeMs created_at = 0;
};

class UserStore {
public:
    virtual ~UserStore() = default;
    // Inserts `user`; false when the email is already registered (nothing written).
    virtual bool CreateUser(const User& user) = 0;
    virtual std::optional<User> FindUserByEmail(const std::string& email) = 0;
    virtual std::optional<User> FindUserById(const std::string& id) = 0;
    // Remembers a session token by its SHA-256 digest (hex), valid until `expires_at`.
    virtual void AddToken(const std::string& digest, const std::string& user_id, TimeMs created_at,
                          TimeMs expires_at) = 0;
    // The user id owning a token digest that is neither expired at `now` nor revoked.
    virtual std::optional<std::string> UserForToken(const std::string& digest, TimeMs now) = 0;
    // Revokes a token; false when it was unknown or already revoked.
    virtual bool RevokeToken(const std::string& digest) = 0;
};

// A stored plan. `document` is the cs-json text, stored and returned byte for byte.
struct PlanRecord {
    std::string id;        // "p_…"
    std::string owner_id;
    std::string name;      // copies of document fields, for listing and search
    std::string environment;
    std::int64_t revision = 0;
    std::string document;
    TimeMs created_at = 0;
    TimeMs updated_at = 0;
};

struct PlanListQuery {
    std::string owner_id;
    int limit = 50;             // 1..200, checked by the caller
    std::string cursor;         // "" = first page; otherwise a next_cursor from an earlier page
    std::string name_contains;  // "" = no filter; otherwise case-insensitive substring of the name
};

struct PlanPage {
    bool bad_cursor = false;           // the cursor was not one this store issued (nothing listed)
    std::vector<PlanRecord> items;     // newest change first; `document` is left empty
    std::optional<std::string> next_cursor;
};

struct UpdateResult {
    enum class Status { Updated, NotFound, Conflict } status = Status::NotFound;
    std::int64_t current_revision = 0;  // with Conflict: the revision actually stored
};

class PlanStore {
public:
    virtual ~PlanStore() = default;
    // Inserts a new plan (its id is fresh; a duplicate id throws StoreError).
    virtual void InsertPlan(const PlanRecord& plan) = 0;
    // The plan `id` if it belongs to `owner_id`; another owner's plan is indistinguishable from none.
    virtual std::optional<PlanRecord> GetPlan(const std::string& owner_id, const std::string& id) = 0;
    // Replaces name, environment, document and updated_at, and sets revision to expected_revision + 1,
    // only if the stored revision is `expected_revision` (one conditional write: no lost updates).
    virtual UpdateResult UpdatePlan(const PlanRecord& next, std::int64_t expected_revision) = 0;
    // Deletes the plan if it belongs to `owner_id`; false when there was none.
    virtual bool DeletePlan(const std::string& owner_id, const std::string& id) = 0;
    virtual PlanPage ListPlans(const PlanListQuery& query) = 0;
};

class Store : public UserStore, public PlanStore {
public:
    // True when the database answers a trivial query (readiness).
    virtual bool Ping() = 0;
};

// Opens (creating if needed) the SQLite database at `file` and applies pending migrations.
// Throws StoreError with a readable message when the file cannot be opened or migrated.
std::unique_ptr<Store> OpenSqliteStore(const std::filesystem::path& file);

}  // namespace gw
