#include "deploy/aws/pg_check.hpp"

#include <libpq-fe.h>

namespace gw::deploy::awsdeploy {

PgCheck CheckPostgres(const std::string& host, int port, const std::string& dbname, const std::string& user,
                      const std::string& password, int timeout_s) {
    const std::string port_text = std::to_string(port), timeout = std::to_string(timeout_s);
    const char* ping_keys[] = {"host", "port", "dbname", "connect_timeout", "sslmode", nullptr};
    const char* ping_values[] = {host.c_str(), port_text.c_str(), dbname.c_str(), timeout.c_str(), "require", nullptr};
    // PQPING_NO_RESPONSE: nothing answered (no route, refused, timed out, unknown host name).
    if (PQpingParams(ping_keys, ping_values, 0) == PQPING_NO_RESPONSE) return {PgCheck::Outcome::Unreachable, {}};
    const char* keys[] = {"host", "port", "dbname", "user", "password", "connect_timeout", "sslmode",
                          "application_name", nullptr};
    const char* values[] = {host.c_str(), port_text.c_str(), dbname.c_str(), user.c_str(), password.c_str(),
                            timeout.c_str(), "require", "cloudsketch-monitor", nullptr};
    PGconn* conn = PQconnectdbParams(keys, values, 0);
    PgCheck out;
    if (PQstatus(conn) != CONNECTION_OK) {
        out = {PgCheck::Outcome::Failed, PQerrorMessage(conn)};
    } else {
        PGresult* r = PQexec(conn, "SELECT 1");
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && std::string(PQgetvalue(r, 0, 0)) == "1") {
            out = {PgCheck::Outcome::Ok, {}};
        } else {
            out = {PgCheck::Outcome::Failed, PQresultErrorMessage(r)};
        }
        PQclear(r);
    }
    PQfinish(conn);
    while (!out.detail.empty() && (out.detail.back() == '\n' || out.detail.back() == ' ')) out.detail.pop_back();
    return out;
}

}  // namespace gw::deploy::awsdeploy
