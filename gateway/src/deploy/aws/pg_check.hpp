#pragma once
// The monitor's PostgreSQL check from the gateway: can the gateway reach the server at all (libpq's
// PQpingParams, no credentials), and if so does the application role log in over TLS and answer SELECT 1.
// A database in a private subnet is usually not reachable from a gateway outside its VPC; that is a fact to
// report, not a failure.
#include <string>

namespace gw::deploy::awsdeploy {

struct PgCheck {
    enum class Outcome { Ok, Unreachable, Failed } outcome = Outcome::Unreachable;
    std::string detail;  // Failed: why, in plain words with PostgreSQL's or libpq's message (never the password)
};

// Pings host:port (no credentials), then logs in as user/password to dbname and runs SELECT 1, each within
// timeout_s seconds. The login insists on TLS (sslmode=require): a server that does not offer it is Failed
// ("does not offer TLS"), and the password is never sent in clear.
PgCheck CheckPostgres(const std::string& host, int port, const std::string& dbname, const std::string& user,
                      const std::string& password, int timeout_s = 3);

}  // namespace gw::deploy::awsdeploy
