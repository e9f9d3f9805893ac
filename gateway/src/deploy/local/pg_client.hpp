#pragma once
// A small libpq client for the local target: connect over TCP with TLS and a password, run queries with
// parameters, read text results. Passwords are only handed to libpq, never put in SQL text or messages.
#include <optional>
#include <string>
#include <vector>

typedef struct pg_conn PGconn;

namespace gw::deploy::local {

struct PgParams {
    std::string host = "127.0.0.1";
    int port = 0;
    std::string dbname = "postgres";
    std::string user = "postgres";
    std::string password;
    int connect_timeout_s = 5;
};

struct PgRows {
    bool ok = false;
    std::string error;                              // PostgreSQL's message when !ok
    std::vector<std::vector<std::string>> rows;     // text values; NULL reads as ""
    std::string Value(std::size_t row = 0, std::size_t column = 0) const;  // "" when absent
};

class PgConnection {
public:
    explicit PgConnection(const PgParams& params);  // connects at once (sslmode=require)
    ~PgConnection();
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    bool ok() const;
    std::string error() const;  // why the connection failed, one line
    // Runs one statement with $1..$n text parameters.
    PgRows Exec(const std::string& sql, const std::vector<std::string>& params = {});
    // The SCRAM verifier of `password` for `user`, computed here (PQencryptPasswordConn) so that the
    // plain password never travels to the server or into its logs; nullopt on failure.
    std::optional<std::string> ScramVerifier(const std::string& password, const std::string& user);
    // `text` as an SQL string literal / identifier for this connection (PQescapeLiteral/Identifier).
    std::string Literal(const std::string& text);
    std::string Identifier(const std::string& text);

private:
    PGconn* conn_ = nullptr;
};

// Connects to `params` until it succeeds or `timeout_ms` passes (a server that just started, a replica
// catching up); returns the last error, or "" on success.
std::string WaitForConnection(const PgParams& params, int timeout_ms);

}  // namespace gw::deploy::local
