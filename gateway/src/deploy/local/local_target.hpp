#pragma once
// The "local" target: PostgreSQL clusters on the gateway's own host, one folder per plan under
// `root`, run with Debian's PostgreSQL binaries as an unprivileged user, configured with exactly the
// postgresql.conf and pg_hba.conf the cloud bootstraps write (plan/server_config.hpp).
// docs/deploy.md ("Local target") describes what each step does.
#include <cstdint>
#include <memory>
#include <string>

#include "deploy/target.hpp"

namespace gw::deploy {

struct LocalTargetOptions {
    std::string root;                 // folder holding every plan's data, e.g. <data_dir>/local; created if missing
    int port_first = 25432;           // servers get free loopback ports from [port_first, port_last]
    int port_last = 26431;
    // Where port reservations are locked (port_lock.hpp), shared by every gateway on this host so that two
    // of them never hand out the same port. Created if missing.
    std::string port_lock_dir = "/tmp/cloudsketch-local-ports";
    std::string pg_lib_dir = "/usr/lib/postgresql";  // holds <major>/bin/{initdb,pg_ctl,...} (Debian's layout)
    // The system user PostgreSQL runs as when the gateway runs as root (initdb refuses root). Ignored when
    // the gateway is not root: the servers then run as the gateway's own user.
    std::string run_as_user = "postgres";
    // What this machine gives all local deployments together, so that no plan (or user, or gateway
    // accepting plans from the internet) can exhaust it: the servers' VM memory (each as it is tuned: the
    // plan's VM size, at most this machine's memory) adds up to at most `memory_overcommit` times the
    // machine's memory. PostgreSQL takes about a quarter of its VM's memory as shared_buffers when it
    // starts, so 4 keeps the servers' shared buffers together within the machine's memory; the rest of a
    // VM's memory (work_mem, the page cache) is only used under load. Ports: [port_first, port_last] above.
    double memory_overcommit = 4.0;
    std::int64_t machine_memory_bytes = 0;  // 0 = this machine's physical memory; tests set a small one
};

// A target serving cloud.provider "local". Never fails to construct; problems (no PostgreSQL installed,
// no such user, a folder the server user cannot reach) surface as a failed step with the fix in words.
std::unique_ptr<Target> MakeLocalTarget(LocalTargetOptions options);

}  // namespace gw::deploy
