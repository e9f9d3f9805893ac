#pragma once
// The PostgreSQL server configuration for one postgres component: PGTune's recommendations for the
// host (tune.hpp) plus the settings the plan itself implies (port, network, TLS, password hashing,
// replication, WAL archiving), each with a one-line reason the editor shows, and the pg_hba.conf
// rules. The cloud bootstraps and the local target all write exactly this, so every deployment of a
// plan runs the same configuration.
#include <cstdint>
#include <string>
#include <vector>

#include "plan/diagnostic.hpp"
#include "plan/plan.hpp"
#include "plan/tune.hpp"

namespace plan {

// What the server runs on. Resolved from the VM's instance type or vCPU + RAM by the caller.
struct HostFacts {
    std::int64_t memory_kb = 0;  // RAM of the VM, in kB (1 kB = 1024 bytes)
    int vcpus = 0;
    DiskType disk = DiskType::Ssd;
};

// Differences between deployment targets that change the configuration text.
struct ServerTarget {
    std::string listen_addresses = "*";   // cloud VMs listen on every interface; the firewall decides who reaches it
    std::string archive_command;          // WAL archiving command with %p/%f; empty turns archiving off
    std::string ssl_cert_file = "server.crt";  // relative to the data directory
    std::string ssl_key_file = "server.key";
    std::vector<std::string> replication_cidrs;  // where replicas connect from (their subnet, or loopback)
};

struct ConfigSetting {
    std::string name;
    std::string value;            // as written in postgresql.conf (strings already single-quoted)
    std::string reason;           // one line for a person: why this value
    bool needs_restart = false;   // changing it takes a server restart, not a reload (postmaster context)
};

struct ServerConfig {
    tune::TuneInput tune_input;             // what PGTune was asked
    std::vector<ConfigSetting> settings;    // PGTune's order, then the plan's own settings; names unique
    std::vector<std::string> hba_rules;     // pg_hba.conf lines, first match wins
    Diagnostics warnings;                   // e.g. the memory guardrail; paths point into the plan
};

// Builds the configuration of the postgres component at index `component_index` of `plan` (which
// must be a postgres component) running on `host`. Pure and deterministic.
ServerConfig BuildServerConfig(const Plan& plan, std::size_t component_index, const HostFacts& host,
                               const ServerTarget& target = {});

// The settings as a postgresql.conf include file, each preceded by its reason as a comment.
std::string RenderServerConf(const ServerConfig& config);

// The pg_hba.conf text: a header comment and the rules.
std::string RenderHba(const ServerConfig& config);

// The setting named `name`, or nullptr.
const ConfigSetting* FindConfigSetting(const ServerConfig& config, std::string_view name);

}  // namespace plan
