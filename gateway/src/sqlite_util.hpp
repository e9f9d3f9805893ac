#pragma once
// RAII helpers over the SQLite C API shared by the SQLite store's files (store_sqlite*.cpp). Internal to
// the store: nothing outside store_sqlite*.cpp includes this.
#include <sqlite3.h>

#include <cstdint>
#include <mutex>
#include <unordered_map>
#include <string>
#include <string_view>

#include "store.hpp"

namespace gw::sqlite {

// Prepared statements kept per connection and SQL text. Preparing was most of a small query's cost (28% of
// the instructions of an authenticated GET /v1/plan/ in callgrind); a kept statement is reset and its bindings
// cleared when its Statement goes out of scope. Each connection is already used by one thread at a time (the
// store's mutex); the registry has its own lock for the map itself.
class StatementCache {
public:
    // A prepared statement for `sql` on `db`. When it is the kept one, `in_use` points at its flag (to give to
    // Release); when the kept one is busy (an enclosing Statement with the same SQL), it is a fresh one the
    // caller finalises and `in_use` is null. nullptr when preparing failed.
    static sqlite3_stmt* Acquire(sqlite3* db, std::string_view sql, bool*& in_use) {
        in_use = nullptr;
        {
            std::lock_guard lock(Mutex());
            auto& statements = Registry()[db];
            auto it = statements.find(sql);
            if (it != statements.end() && !it->second.in_use) {
                it->second.in_use = true;
                in_use = &it->second.in_use;  // a node of the map: stable until Forget()
                return it->second.stmt;
            }
            if (it == statements.end()) {
                sqlite3_stmt* stmt = nullptr;
                if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                                       nullptr) != SQLITE_OK) {
                    sqlite3_finalize(stmt);
                    return nullptr;
                }
                in_use = &statements.emplace(std::string(sql), Entry{stmt, true}).first->second.in_use;
                return stmt;
            }
        }
        sqlite3_stmt* stmt = nullptr;  // the kept one is busy (a nested use of the same SQL)
        if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK) {
            sqlite3_finalize(stmt);
            return nullptr;
        }
        return stmt;
    }
    // Gives a kept statement back, reset. The connection's own lock (the store's mutex) is still held by the
    // caller, so its entry's flag needs no other.
    static void Release(sqlite3_stmt* stmt, bool* in_use) {
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);
        *in_use = false;
    }
    // Finalises every kept statement of `db`; call before sqlite3_close(db).
    static void Forget(sqlite3* db) {
        std::lock_guard lock(Mutex());
        auto it = Registry().find(db);
        if (it == Registry().end()) return;
        for (auto& [sql, entry] : it->second) sqlite3_finalize(entry.stmt);
        Registry().erase(it);
    }

private:
    struct Entry {
        sqlite3_stmt* stmt;
        bool in_use;
    };
    struct Hash {  // heterogeneous lookup: no std::string built per query
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };
    using Statements = std::unordered_map<std::string, Entry, Hash, std::equal_to<>>;
    static std::mutex& Mutex() {
        static std::mutex mutex;
        return mutex;
    }
    static std::unordered_map<sqlite3*, Statements>& Registry() {
        static std::unordered_map<sqlite3*, Statements> registry;
        return registry;
    }
};

// A prepared statement (kept by StatementCache), reset and given back on scope exit.
class Statement {
public:
    Statement(sqlite3* db, std::string_view sql) : db_(db) {
        stmt_ = StatementCache::Acquire(db, sql, in_use_);
        if (stmt_ == nullptr) throw StoreError(std::string("prepare failed: ") + sqlite3_errmsg(db));
    }
    ~Statement() {
        if (in_use_ != nullptr) {
            StatementCache::Release(stmt_, in_use_);
        } else {
            sqlite3_finalize(stmt_);
        }
    }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& Bind(int index, const std::string& text) {
        Check(sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT));
        return *this;
    }
    Statement& Bind(int index, std::int64_t value) {
        Check(sqlite3_bind_int64(stmt_, index, value));
        return *this;
    }
    Statement& Bind(int index, double value) {
        Check(sqlite3_bind_double(stmt_, index, value));
        return *this;
    }
    // True while there is a row to read; false when done.
    bool Step() {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw StoreError(std::string("step failed: ") + sqlite3_errmsg(db_));
    }
    // Runs a statement that returns no rows; gives the SQLite result code (e.g. SQLITE_CONSTRAINT).
    int Run() { return sqlite3_step(stmt_); }
    std::string Text(int column) const {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
        return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
    }
    std::int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
    double Double(int column) const { return sqlite3_column_double(stmt_, column); }

private:
    void Check(int rc) const {
        if (rc != SQLITE_OK) throw StoreError(std::string("bind failed: ") + sqlite3_errmsg(db_));
    }
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
    bool* in_use_ = nullptr;  // the kept statement's flag, or null for a statement of its own
};

// BEGIN IMMEDIATE … COMMIT, rolled back if the scope is left without Commit() (an exception).
class Transaction {
public:
    explicit Transaction(sqlite3* db) : db_(db) { Exec(db_, "BEGIN IMMEDIATE"); }
    ~Transaction() {
        if (!done_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    void Commit() {
        Exec(db_, "COMMIT");
        done_ = true;
    }
    static void Exec(sqlite3* db, const std::string& sql) {
        char* message = nullptr;
        if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
            std::string text = message ? message : "unknown error";
            sqlite3_free(message);
            throw StoreError("sqlite: " + text);
        }
    }

private:
    sqlite3* db_;
    bool done_ = false;
};

}  // namespace gw::sqlite
