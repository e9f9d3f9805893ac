#include "deploy/local/pg_client.hpp"

#include <libpq-fe.h>

#include <chrono>
#include <thread>

namespace gw::deploy::local {
namespace {
std::string OneLine(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    for (char& c : text) {
        if (c == '\n') c = ' ';
    }
    return text;
}
}  // namespace

std::string PgRows::Value(std::size_t row, std::size_t column) const {
    if (row >= rows.size() || column >= rows[row].size()) return {};
    return rows[row][column];
}

PgConnection::PgConnection(const PgParams& p) {
    const std::string port = std::to_string(p.port);
    const std::string timeout = std::to_string(p.connect_timeout_s);
    const char* keys[] = {"host", "port", "dbname", "user", "password", "sslmode", "connect_timeout",
                          "application_name", nullptr};
    const char* values[] = {p.host.c_str(), port.c_str(), p.dbname.c_str(), p.user.c_str(), p.password.c_str(),
                            "require", timeout.c_str(), "cloudsketch-gateway", nullptr};
    conn_ = PQconnectdbParams(keys, values, 0);
}

PgConnection::~PgConnection() {
    if (conn_ != nullptr) PQfinish(conn_);
}

bool PgConnection::ok() const { return conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK; }

std::string PgConnection::error() const {
    return conn_ == nullptr ? "out of memory" : OneLine(PQerrorMessage(conn_));
}

PgRows PgConnection::Exec(const std::string& sql, const std::vector<std::string>& params) {
    PgRows out;
    if (!ok()) {
        out.error = error();
        return out;
    }
    std::vector<const char*> values;
    for (const std::string& v : params) values.push_back(v.c_str());
    PGresult* r = PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                               nullptr, 0);
    const ExecStatusType status = PQresultStatus(r);
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
        out.ok = true;
        for (int row = 0; row < PQntuples(r); ++row) {
            std::vector<std::string> cells;
            for (int col = 0; col < PQnfields(r); ++col) cells.emplace_back(PQgetvalue(r, row, col));
            out.rows.push_back(std::move(cells));
        }
    } else {
        out.error = OneLine(PQresultErrorMessage(r));
    }
    PQclear(r);
    return out;
}

std::optional<std::string> PgConnection::ScramVerifier(const std::string& password, const std::string& user) {
    if (!ok()) return std::nullopt;
    char* verifier = PQencryptPasswordConn(conn_, password.c_str(), user.c_str(), "scram-sha-256");
    if (verifier == nullptr) return std::nullopt;
    std::string out = verifier;
    PQfreemem(verifier);
    return out;
}

std::string PgConnection::Literal(const std::string& text) {
    char* quoted = PQescapeLiteral(conn_, text.c_str(), text.size());
    std::string out = quoted == nullptr ? "''" : quoted;
    PQfreemem(quoted);
    return out;
}

std::string PgConnection::Identifier(const std::string& text) {
    char* quoted = PQescapeIdentifier(conn_, text.c_str(), text.size());
    std::string out = quoted == nullptr ? "\"\"" : quoted;
    PQfreemem(quoted);
    return out;
}

std::string WaitForConnection(const PgParams& params, int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (true) {
        PgConnection c(params);
        if (c.ok()) return {};
        if (std::chrono::steady_clock::now() >= deadline) return c.error();
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

}  // namespace gw::deploy::local
