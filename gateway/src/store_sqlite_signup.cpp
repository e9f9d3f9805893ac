// Pending sign-ups and sign-up notices in SQLite (tables pending_signups, signup_notices; migration 5).
#include "store_sqlite_signup.hpp"

#include "sqlite_util.hpp"

namespace gw {
namespace {

using sqlite::Statement;
using sqlite::Transaction;

class SqliteSignupStore final : public SignupStore {
  public:
    SqliteSignupStore(sqlite3* db, std::mutex& mutex) : db_(db), mutex_(mutex) {}

    bool CreateFirstUser(const User& u) override {
        std::lock_guard lock(mutex_);
        Statement s(db_,
                    "INSERT INTO users(id, email, password_hash, created_at) SELECT ?, ?, ?, ?"
                    " WHERE NOT EXISTS (SELECT 1 FROM users)");
        s.Bind(1, u.id).Bind(2, u.email).Bind(3, u.password_hash).Bind(4, u.created_at);
        if (s.Run() != SQLITE_DONE) throw StoreError(std::string("insert first user failed: ") + sqlite3_errmsg(db_));
        return sqlite3_changes(db_) > 0;
    }

    void SavePendingSignup(const PendingSignup& p) override {
        std::lock_guard lock(mutex_);
        Transaction tx(db_);
        {
            Statement sweep(db_, "DELETE FROM pending_signups WHERE expires_at <= ?");
            sweep.Bind(1, p.created_at);
            if (sweep.Run() != SQLITE_DONE) throw StoreError(std::string("sweep failed: ") + sqlite3_errmsg(db_));
        }
        Statement s(db_,
                    "INSERT OR REPLACE INTO pending_signups(email, password_hash, token_digest, created_at,"
                    " expires_at) VALUES(?, ?, ?, ?, ?)");
        s.Bind(1, p.email).Bind(2, p.password_hash).Bind(3, p.token_digest).Bind(4, p.created_at).Bind(5, p.expires_at);
        if (s.Run() != SQLITE_DONE) throw StoreError(std::string("save pending failed: ") + sqlite3_errmsg(db_));
        tx.Commit();
    }

    CompletedSignup CompleteSignup(const std::string& token_digest, const std::string& new_user_id,
                                   TimeMs now) override {
        std::lock_guard lock(mutex_);
        Transaction tx(db_);
        CompletedSignup result;
        std::optional<PendingSignup> pending;
        {
            Statement s(db_, "SELECT email, password_hash, expires_at FROM pending_signups WHERE token_digest = ?");
            s.Bind(1, token_digest);
            if (s.Step()) pending = PendingSignup{s.Text(0), s.Text(1), token_digest, 0, s.Int(2)};
        }
        if (!pending) return result;  // rolls back: nothing was written
        {
            Statement s(db_, "DELETE FROM pending_signups WHERE token_digest = ?");
            s.Bind(1, token_digest);
            if (s.Run() != SQLITE_DONE) throw StoreError(std::string("consume pending failed: ") + sqlite3_errmsg(db_));
        }
        if (pending->expires_at <= now) {
            tx.Commit();  // an expired link is used up too
            return result;
        }
        User user{new_user_id, pending->email, pending->password_hash, now};
        Statement insert(db_, "INSERT INTO users(id, email, password_hash, created_at) VALUES(?, ?, ?, ?)");
        insert.Bind(1, user.id).Bind(2, user.email).Bind(3, user.password_hash).Bind(4, user.created_at);
        const int rc = insert.Run();
        if (rc == SQLITE_CONSTRAINT) {
            result.status = CompletedSignup::Status::EmailTaken;
        } else if (rc == SQLITE_DONE) {
            result.status = CompletedSignup::Status::Created;
            result.user = std::move(user);
        } else {
            throw StoreError(std::string("insert user failed: ") + sqlite3_errmsg(db_));
        }
        tx.Commit();
        return result;
    }

    bool ClaimSignupNotice(const std::string& email, TimeMs now, TimeMs min_interval_ms) override {
        std::lock_guard lock(mutex_);
        Statement s(db_,
                    "INSERT INTO signup_notices(email, sent_at) VALUES(?, ?) ON CONFLICT(email) DO UPDATE"
                    " SET sent_at = excluded.sent_at WHERE signup_notices.sent_at <= ?");
        s.Bind(1, email).Bind(2, now).Bind(3, now - min_interval_ms);
        if (s.Run() != SQLITE_DONE) throw StoreError(std::string("claim notice failed: ") + sqlite3_errmsg(db_));
        return sqlite3_changes(db_) > 0;
    }

  private:
    sqlite3* db_;
    std::mutex& mutex_;
};

}  // namespace

std::unique_ptr<SignupStore> MakeSqliteSignupStore(sqlite3* db, std::mutex& mutex) {
    return std::make_unique<SqliteSignupStore>(db, mutex);
}

}  // namespace gw
