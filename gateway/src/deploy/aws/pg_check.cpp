#include "deploy/aws/pg_check.hpp"

#include <libpq-fe.h>

namespace gw::deploy::awsdeploy {
namespace {

// libpq's messages never quote the password, but the check's reason is stored and shown: make sure.
std::string Scrubbed(std::string text, const std::string& password) {
    if (password.size() >= 4) {
        for (auto at = text.find(password); at != std::string::npos; at = text.find(password, at)) {
            text.replace(at, password.size(), "<password>");
        }
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

}  // namespace

PgCheck CheckPostgres(const std::string& host, int port, const std::string& dbname, const std::string& user,
                      const std::string& password, int timeout_s) {
    const std::string port_text = std::to_string(port), timeout = std::to_string(timeout_s);
    // The ping carries no password, so it may go without TLS: with sslmode=require a server that refuses TLS
    // fails inside libpq without a server error, which PQping reports as "no response", and a server that is
    // up but misconfigured would pass for unreachable (and keep the light green).
    const char* ping_keys[] = {"host", "port", "dbname", "connect_timeout", "sslmode", nullptr};
    const char* ping_values[] = {host.c_str(), port_text.c_str(), dbname.c_str(), timeout.c_str(), "prefer", nullptr};
    // PQPING_NO_RESPONSE: nothing answered (no route, refused, timed out, unknown host name).
    if (PQpingParams(ping_keys, ping_values, 0) == PQPING_NO_RESPONSE) return {PgCheck::Outcome::Unreachable, {}};
    // The login sends the password: TLS or nothing. (require, not verify-full: the first-boot script makes a
    // self-signed certificate the gateway has no CA for.)
    const char* keys[] = {"host", "port", "dbname", "user", "password", "connect_timeout", "sslmode",
                          "application_name", nullptr};
    const char* values[] = {host.c_str(), port_text.c_str(), dbname.c_str(), user.c_str(), password.c_str(),
                            timeout.c_str(), "require", "cloudsketch-monitor", nullptr};
    PGconn* conn = PQconnectdbParams(keys, values, 0);
    PgCheck out;
    if (PQstatus(conn) != CONNECTION_OK) {
        const std::string message = Scrubbed(PQerrorMessage(conn), password);
        if (message.find("does not support SSL") != std::string::npos) {
            out = {PgCheck::Outcome::Failed,
                   "the server does not offer TLS, and the gateway sends the password only over TLS (turn ssl on "
                   "in postgresql.conf): " + message};
        } else {
            out = {PgCheck::Outcome::Failed, "login as " + user + " failed: " + message};
        }
    } else {
        PGresult* r = PQexec(conn, "SELECT 1");
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && std::string(PQgetvalue(r, 0, 0)) == "1") {
            out = {PgCheck::Outcome::Ok, {}};
        } else {
            out = {PgCheck::Outcome::Failed, "SELECT 1 failed: " + Scrubbed(PQresultErrorMessage(r), password)};
        }
        PQclear(r);
    }
    PQfinish(conn);
    return out;
}

}  // namespace gw::deploy::awsdeploy
