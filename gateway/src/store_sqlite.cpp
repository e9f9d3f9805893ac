// The SQLite store: one connection in WAL mode, guarded by a mutex. SQLite allows a single writer at a
// time anyway, and the gateway's queries are short, so one serialised connection keeps the code simple
// and makes every call atomic. All SQL of this dialect lives here and in migrations.cpp.
#include <sqlite3.h>

#include <charconv>
#include <mutex>
#include <string>

#include "migrations.hpp"
#include "sqlite_util.hpp"
#include "store.hpp"
#include "store_sqlite_account.hpp"
#include "store_sqlite_deploy.hpp"
#include "store_sqlite_signup.hpp"

namespace gw {
namespace {

using sqlite::Statement;
using sqlite::Transaction;

constexpr std::string_view kCursorPrefix = "s1.";

std::string EncodeCursor(std::int64_t seq) { return std::string(kCursorPrefix) + std::to_string(seq); }

std::optional<std::int64_t> DecodeCursor(const std::string& cursor) {
    if (cursor.rfind(kCursorPrefix, 0) != 0) return std::nullopt;
    std::int64_t seq = 0;
    const char* begin = cursor.data() + kCursorPrefix.size();
    const char* end = cursor.data() + cursor.size();
    auto [ptr, ec] = std::from_chars(begin, end, seq);
    if (ec != std::errc() || ptr != end || begin == end || seq < 0) return std::nullopt;
    return seq;
}

class SqliteStore final : public Store {
public:
    // NOMUTEX: every use of the connection already holds mutex_ (shared with the deployment, account and
    // sign-up stores on the same connection); SQLite's own per-call locking was 7% of a plan-list request.
    explicit SqliteStore(const std::filesystem::path& file) {
        if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                            nullptr) != SQLITE_OK) {
            std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            throw StoreError("cannot open database " + file.string() + ": " + message);
        }
        try {
            // The busy timeout covers other processes (a backup, the sqlite3 shell) holding the lock.
            sqlite3_busy_timeout(db_, 5000);
            Transaction::Exec(db_, "PRAGMA journal_mode=WAL");
            Transaction::Exec(db_, "PRAGMA synchronous=NORMAL");
            Transaction::Exec(db_, "PRAGMA foreign_keys=ON");
            Migrate();
            deployments_ = MakeSqliteDeploymentStore(db_, mutex_);
            cloud_accounts_ = MakeSqliteCloudAccountStore(db_, mutex_);
            signups_ = MakeSqliteSignupStore(db_, mutex_);
        } catch (...) {
            sqlite::StatementCache::Forget(db_);
            sqlite3_close(db_);
            throw;
        }
    }
    ~SqliteStore() override {
        deployments_.reset();
        cloud_accounts_.reset();
        signups_.reset();
        sqlite::StatementCache::Forget(db_);
        sqlite3_close(db_);
    }

    DeploymentStore& deployments() override { return *deployments_; }
    CloudAccountStore& cloud_accounts() override { return *cloud_accounts_; }
    SignupStore& signups() override { return *signups_; }

    std::optional<std::uint64_t> ChangeStamp() override {
        // Rows changed through this connection (every write of this process), and data_version, which moves when
        // another connection (another process: the sqlite3 shell, a restore) commits.
        std::lock_guard lock(mutex_);
        Statement s(db_, "PRAGMA data_version");
        if (!s.Step()) return std::nullopt;
        const auto external = static_cast<std::uint64_t>(s.Int(0));
        const auto own = static_cast<std::uint64_t>(sqlite3_total_changes64(db_));
        return (external << 40) ^ own;
    }

    bool Ping() override {
        std::lock_guard lock(mutex_);
        try {
            Statement s(db_, "SELECT COUNT(*) FROM schema_migrations");
            return s.Step();
        } catch (const StoreError&) {
            return false;
        }
    }

    bool CreateUser(const User& u) override {
        std::lock_guard lock(mutex_);
        Statement s(db_, "INSERT INTO users(id, email, password_hash, created_at) VALUES(?, ?, ?, ?)");
        s.Bind(1, u.id).Bind(2, u.email).Bind(3, u.password_hash).Bind(4, u.created_at);
        const int rc = s.Run();
        if (rc == SQLITE_DONE) return true;
        if (rc == SQLITE_CONSTRAINT) return false;  // the UNIQUE email (ids are random and fresh)
        throw StoreError(std::string("insert user failed: ") + sqlite3_errmsg(db_));
    }

    std::optional<User> FindUserByEmail(const std::string& email) override {
        return FindUser("SELECT id, email, password_hash, created_at FROM users WHERE email = ?", email);
    }
    std::optional<User> FindUserById(const std::string& id) override {
        return FindUser("SELECT id, email, password_hash, created_at FROM users WHERE id = ?", id);
    }

    void AddToken(const std::string& digest, const std::string& user_id, TimeMs created_at,
                  TimeMs expires_at) override {
        std::lock_guard lock(mutex_);
        Statement s(db_, "INSERT INTO tokens(digest, user_id, created_at, expires_at) VALUES(?, ?, ?, ?)");
        s.Bind(1, digest).Bind(2, user_id).Bind(3, created_at).Bind(4, expires_at);
        if (s.Run() != SQLITE_DONE) throw StoreError(std::string("insert token failed: ") + sqlite3_errmsg(db_));
    }

    std::optional<std::string> UserForToken(const std::string& digest, TimeMs now) override {
        std::lock_guard lock(mutex_);
        Statement s(db_, "SELECT user_id FROM tokens WHERE digest = ? AND revoked = 0 AND expires_at > ?");
        s.Bind(1, digest).Bind(2, now);
        if (!s.Step()) return std::nullopt;
        return s.Text(0);
    }

    bool RevokeToken(const std::string& digest) override {
        std::lock_guard lock(mutex_);
        Statement s(db_, "UPDATE tokens SET revoked = 1 WHERE digest = ? AND revoked = 0");
        s.Bind(1, digest);
        if (s.Run() != SQLITE_DONE) throw StoreError(std::string("revoke failed: ") + sqlite3_errmsg(db_));
        return sqlite3_changes(db_) > 0;
    }

    InsertPlanResult InsertPlan(const PlanRecord& p, int max_plans) override {
        std::lock_guard lock(mutex_);
        Transaction tx(db_);  // BEGIN IMMEDIATE: the count below cannot go stale before the insert
        InsertPlanResult result;
        {
            Statement s(db_, "SELECT COUNT(*) FROM plans WHERE owner_id = ?");
            s.Bind(1, p.owner_id);
            if (s.Step()) result.plans = static_cast<int>(s.Int(0));
        }
        if (max_plans > 0 && result.plans >= max_plans) return result;  // rolls back: nothing written
        Statement s(db_,
                    "INSERT INTO plans(id, owner_id, name, environment, revision, document, created_at, updated_at,"
                    " seq) VALUES(?, ?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM plans))");
        s.Bind(1, p.id).Bind(2, p.owner_id).Bind(3, p.name).Bind(4, p.environment).Bind(5, p.revision);
        s.Bind(6, p.document).Bind(7, p.created_at).Bind(8, p.updated_at);
        if (s.Run() != SQLITE_DONE) throw StoreError(std::string("insert plan failed: ") + sqlite3_errmsg(db_));
        tx.Commit();
        result.inserted = true;
        return result;
    }

    std::optional<PlanRecord> GetPlan(const std::string& owner_id, const std::string& id) override {
        std::lock_guard lock(mutex_);
        Statement s(db_,
                    "SELECT id, owner_id, name, environment, revision, document, created_at, updated_at"
                    " FROM plans WHERE id = ? AND owner_id = ?");
        s.Bind(1, id).Bind(2, owner_id);
        if (!s.Step()) return std::nullopt;
        PlanRecord p = Summary(s);
        p.document = s.Text(5);
        return p;
    }

    UpdateResult UpdatePlan(const PlanRecord& next, std::int64_t expected_revision) override {
        std::lock_guard lock(mutex_);
        Transaction tx(db_);
        UpdateResult result;
        {
            Statement s(db_,
                        "UPDATE plans SET name = ?, environment = ?, document = ?, updated_at = ?, revision = ? + 1,"
                        " seq = (SELECT MAX(seq) + 1 FROM plans)"
                        " WHERE id = ? AND owner_id = ? AND revision = ?");
            s.Bind(1, next.name).Bind(2, next.environment).Bind(3, next.document).Bind(4, next.updated_at);
            s.Bind(5, expected_revision).Bind(6, next.id).Bind(7, next.owner_id).Bind(8, expected_revision);
            if (s.Run() != SQLITE_DONE) throw StoreError(std::string("update plan failed: ") + sqlite3_errmsg(db_));
        }
        if (sqlite3_changes(db_) == 1) {
            result.status = UpdateResult::Status::Updated;
            result.current_revision = expected_revision + 1;
        } else {
            Statement s(db_, "SELECT revision FROM plans WHERE id = ? AND owner_id = ?");
            s.Bind(1, next.id).Bind(2, next.owner_id);
            if (s.Step()) {
                result.status = UpdateResult::Status::Conflict;
                result.current_revision = s.Int(0);
            }
        }
        tx.Commit();
        return result;
    }

    bool DeletePlan(const std::string& owner_id, const std::string& id, std::int64_t expected_revision) override {
        std::lock_guard lock(mutex_);
        // A deployed or deploying plan stays: its resources would be orphaned (destroy it first).
        Statement s(db_,
                    "DELETE FROM plans WHERE id = ? AND owner_id = ? AND (? = 0 OR revision = ?) AND NOT EXISTS"
                    " (SELECT 1 FROM plan_targets t WHERE t.plan_id = plans.id AND (t.deployed = 1 OR"
                    " t.state != 'null')) AND NOT EXISTS (SELECT 1 FROM deployments d WHERE d.plan_id = plans.id"
                    " AND d.state IN ('queued', 'running'))");
        s.Bind(1, id).Bind(2, owner_id).Bind(3, expected_revision).Bind(4, expected_revision);
        if (s.Run() != SQLITE_DONE) throw StoreError(std::string("delete plan failed: ") + sqlite3_errmsg(db_));
        return sqlite3_changes(db_) > 0;
    }

    PlanPage ListPlans(const PlanListQuery& q) override {
        PlanPage page;
        std::int64_t before = INT64_MAX;
        if (!q.cursor.empty()) {
            auto seq = DecodeCursor(q.cursor);
            if (!seq) {
                page.bad_cursor = true;
                return page;
            }
            before = *seq;
        }
        std::lock_guard lock(mutex_);
        // instr(lower(…)) instead of LIKE: the search text needs no escaping of % and _.
        Statement s(db_,
                    "SELECT id, owner_id, name, environment, revision, seq, created_at, updated_at FROM plans"
                    " WHERE owner_id = ? AND seq < ? AND (? = '' OR instr(lower(name), lower(?)) > 0)"
                    " ORDER BY seq DESC LIMIT ?");
        s.Bind(1, q.owner_id).Bind(2, before).Bind(3, q.name_contains).Bind(4, q.name_contains);
        s.Bind(5, static_cast<std::int64_t>(q.limit) + 1);  // one extra row says whether a next page exists
        std::int64_t last_seq = 0;
        while (s.Step()) {
            if (static_cast<int>(page.items.size()) == q.limit) {
                page.next_cursor = EncodeCursor(last_seq);
                break;
            }
            page.items.push_back(Summary(s));
            last_seq = s.Int(5);
        }
        return page;
    }

private:
    // Columns 0..4 and 6..7 as selected by GetPlan/ListPlans.
    static PlanRecord Summary(const Statement& s) {
        PlanRecord p;
        p.id = s.Text(0);
        p.owner_id = s.Text(1);
        p.name = s.Text(2);
        p.environment = s.Text(3);
        p.revision = s.Int(4);
        p.created_at = s.Int(6);
        p.updated_at = s.Int(7);
        return p;
    }

    std::optional<User> FindUser(std::string_view sql, const std::string& key) {
        std::lock_guard lock(mutex_);
        Statement s(db_, sql);
        s.Bind(1, key);
        if (!s.Step()) return std::nullopt;
        return User{s.Text(0), s.Text(1), s.Text(2), s.Int(3)};
    }

    void Migrate() {
        Transaction::Exec(db_,
                          "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
                          " name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT (datetime('now')))");
        for (const Migration& m : SqliteMigrations()) {
            Transaction tx(db_);
            Statement check(db_, "SELECT 1 FROM schema_migrations WHERE version = ?");
            check.Bind(1, static_cast<std::int64_t>(m.version));
            if (check.Step()) continue;  // the transaction rolls back: nothing was written
            Transaction::Exec(db_, std::string(m.sql));
            Statement record(db_, "INSERT INTO schema_migrations(version, name) VALUES(?, ?)");
            record.Bind(1, static_cast<std::int64_t>(m.version)).Bind(2, std::string(m.name));
            if (record.Run() != SQLITE_DONE) throw StoreError("recording migration failed");
            tx.Commit();
        }
    }

    std::mutex mutex_;
    sqlite3* db_ = nullptr;
    std::unique_ptr<DeploymentStore> deployments_;
    std::unique_ptr<CloudAccountStore> cloud_accounts_;
    std::unique_ptr<SignupStore> signups_;
};

}  // namespace

std::unique_ptr<Store> OpenSqliteStore(const std::filesystem::path& file) {
    return std::make_unique<SqliteStore>(file);
}

}  // namespace gw
