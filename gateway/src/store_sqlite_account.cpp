// Users' links to their AWS accounts in SQLite (table aws_account_links, migration 3).
#include "store_sqlite_account.hpp"

#include "sqlite_util.hpp"

namespace gw {
namespace {

using sqlite::Statement;

class SqliteCloudAccountStore final : public CloudAccountStore {
public:
    SqliteCloudAccountStore(sqlite3* db, std::mutex& mutex) : db_(db), mutex_(mutex) {}

    AwsAccountLink EnsureAwsLink(const std::string& user_id, const std::string& new_external_id, TimeMs now) override {
        std::lock_guard lock(mutex_);
        // INSERT OR IGNORE: a concurrent first request of the same user keeps whichever id was stored first.
        Statement insert(db_, "INSERT OR IGNORE INTO aws_account_links(user_id, external_id, role_arn, updated_at) "
                              "VALUES(?, ?, '', ?)");
        insert.Bind(1, user_id).Bind(2, new_external_id).Bind(3, now);
        if (insert.Run() != SQLITE_DONE) throw StoreError(std::string("insert aws link failed: ") + sqlite3_errmsg(db_));
        auto link = Find(user_id);
        if (!link) throw StoreError("aws link vanished after insert");
        return *link;
    }

    std::optional<AwsAccountLink> GetAwsLink(const std::string& user_id) override {
        std::lock_guard lock(mutex_);
        return Find(user_id);
    }

    bool SetAwsRoleArn(const std::string& user_id, const std::string& role_arn, TimeMs now) override {
        std::lock_guard lock(mutex_);
        Statement s(db_, "UPDATE aws_account_links SET role_arn = ?, updated_at = ? WHERE user_id = ?");
        s.Bind(1, role_arn).Bind(2, now).Bind(3, user_id);
        if (s.Run() != SQLITE_DONE) throw StoreError(std::string("update aws link failed: ") + sqlite3_errmsg(db_));
        return sqlite3_changes(db_) > 0;
    }

private:
    std::optional<AwsAccountLink> Find(const std::string& user_id) {
        Statement s(db_, "SELECT user_id, external_id, role_arn, updated_at FROM aws_account_links WHERE user_id = ?");
        s.Bind(1, user_id);
        if (!s.Step()) return std::nullopt;
        return AwsAccountLink{s.Text(0), s.Text(1), s.Text(2), s.Int(3)};
    }

    sqlite3* db_;
    std::mutex& mutex_;
};

}  // namespace

std::unique_ptr<CloudAccountStore> MakeSqliteCloudAccountStore(sqlite3* db, std::mutex& mutex) {
    return std::make_unique<SqliteCloudAccountStore>(db, mutex);
}

}  // namespace gw
