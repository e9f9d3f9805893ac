#pragma once
// The local target's pieces, shared by its .cpp files (not part of the gateway's interface):
// local_target.cpp (the deployment steps), local_server.cpp (one PostgreSQL server: folders, initdb,
// configuration, start/stop, ports), local_backup.cpp (backups, validation, health checks, destroy).
//
// State (the target's JSON memory for one plan; no secrets in it; "memory_bytes": what its servers' VMs
// take of the machine's memory budget, see LocalTargetOptions):
//   {"components": [{"id": "db", "version": "15", "bin": "/usr/lib/postgresql/15/bin", "dir": "<root>/<plan>/db",
//                    "servers": [{"name": "primary", "role": "primary", "port": 25432},
//                                {"name": "replica-1", "role": "replica", "port": 25433}],
//                    "removed": [{"name": "replica-2", "port": 25434}],      // to stop and drop (re-deploy)
//                    "backup": {"last_at": ms, "last_ok": true, "last_error": "", "last_name": "...",
//                               "validation": {"at": ms, "ok": true, "error": ""}}}],
//    "memory_bytes": 8589934592, "deployed_at": ms}
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "deploy/local/local_target.hpp"
#include "deploy/local/pg_client.hpp"
#include "deploy/local/port_lock.hpp"
#include "deploy/local/process.hpp"
#include "plan/server_config.hpp"

namespace gw::deploy::local {

namespace fs = std::filesystem;

inline constexpr const char* kAppDatabase = "app";  // as the cloud bootstraps name them
inline constexpr const char* kAppUser = "app";
inline constexpr const char* kReplicationUser = "replicator";

// One server of a component, as remembered in state.
struct Server {
    std::string name;   // "primary", "replica-1", ...
    std::string role;   // "primary" | "replica"
    int port = 0;
    fs::path data;      // <component dir>/<name>
    fs::path log;       // <component dir>/<name>.log (outside the data folder: base backups skip it)
};

// Passwords the target derives from the plan's secret (keyed BLAKE2b), so nothing beyond
// ctx.secrets needs storing: the superuser's (TCP, for the gateway's own queries and base backups)
// and the replication role's.
std::string SuperuserPassword(const Secrets& secrets);
// The memory of the "VM" `pg` runs on, as its configuration is tuned for: the plan's VM size, at most this
// machine's physical memory (the machine's memory when the VM's size is unknown).
std::int64_t ServerMemoryBytes(const plan::Plan& plan, const plan::PostgresSpec& pg);
std::string ReplicationPassword(const Secrets& secrets);

class LocalTarget final : public Target {
public:
    explicit LocalTarget(LocalTargetOptions options);
    std::string_view Name() const override { return "local"; }
    StepResult RunStep(Step step, StepContext& ctx) override;
    Health Check(StepContext& ctx) override;
    StepResult Backup(StepContext& ctx, bool validate) override;
    StepResult Destroy(StepContext& ctx, bool final_backup) override;
    ConnectionInfo Connection(const nlohmann::json& state) const override;
    // One per PostgreSQL primary and replica of the plan.
    int HostServers(const plan::Plan& plan) const override;
    // Re-locks the port of every server in `state` (also stopped and removed ones), so that no deployment
    // started by this gateway process can be handed a port a stored deployment owns.
    std::vector<std::string> Adopt(const std::string& plan_id, const nlohmann::json& state) override;

    // [local_target.cpp] the steps
    StepResult Render(StepContext& ctx);
    StepResult Provision(StepContext& ctx);
    StepResult Install(StepContext& ctx);
    StepResult Configure(StepContext& ctx);
    StepResult Verify(StepContext& ctx);

    // [local_server.cpp] servers
    std::vector<Server> Servers(const nlohmann::json& component) const;
    // The plan's configuration for this server (its port, loopback only, replication from loopback).
    plan::ServerConfig ConfigFor(const plan::Plan& plan, std::size_t component_index, const std::string& version,
                                 int port) const;
    std::string HbaText(const plan::ServerConfig& config) const;
    // A loopback port no process on this host has reserved or bound; 0 when none (`why`: a lock problem).
    int ReservePort(const std::set<int>& also_taken, std::string* why = nullptr);
    void ReleasePort(int port);
    // Books `bytes` of the machine's memory budget for the plan's servers, replacing what it had booked;
    // "" when it fits, otherwise why not in words (the plan's step fails with it).
    std::string ReserveMemory(const std::string& plan_id, std::int64_t bytes, int servers);
    void ReleaseMemory(const std::string& plan_id);
    std::string MakeDir(const fs::path& dir) const;            // mkdir -p, 0700, owned by the server user; "" or error
    std::string WriteFile(const fs::path& file, const std::string& text) const;  // 0600, owned by the server user
    // A new cluster with its TLS certificate (server.key/.crt, made while initdb runs) in server.data.
    std::string Initdb(const std::string& bin, const Server& server, const Secrets& secrets) const;
    // A self-signed P-256 certificate into these files (as the server user), unless both exist.
    std::string MakeCertificate(const fs::path& key, const fs::path& crt) const;
    bool IsRunning(const std::string& bin, const fs::path& data) const;
    std::string Start(const std::string& bin, const Server& server) const;   // "" or why it did not start
    std::string Stop(const std::string& bin, const fs::path& data) const;
    std::string Restart(const std::string& bin, const Server& server) const;
    // Writes conf.d/cloudsketch.conf, conf.d/local.conf and pg_hba.conf; starts a stopped server, and
    // for a running one reloads or restarts as the changed parameters need, saying which in events.
    std::string ApplyConfig(StepContext& ctx, const std::string& bin, const Server& server,
                            const plan::ServerConfig& config);
    PgParams Superuser(int port, const Secrets& secrets, const std::string& db = "postgres") const;
    PgParams AppUser(int port, const Secrets& secrets) const;

    // [local_backup.cpp]
    StepResult BackupComponent(StepContext& ctx, nlohmann::json& component, const plan::Backups& policy, bool validate);
    std::string ValidateBackup(StepContext& ctx, const nlohmann::json& component, const fs::path& backup);
    void ApplyRetention(StepContext& ctx, const fs::path& backups, int retention_days);
    fs::path PlanDir(const std::string& plan_id) const { return fs::path(options_.root) / plan_id; }

    LocalTargetOptions options_;
    RunAs as_;
    std::string setup_error_;   // why this host cannot run the target (no such user), or ""
private:
    PortLocks ports_;  // reservations shared with every process on this host (flock per port)
    // Memory booked per plan (from Provision, and from stored state by Adopt), in this process: two gateways
    // on one host each keep their own budget.
    std::mutex memory_mutex_;
    std::map<std::string, std::int64_t> memory_;
};

// Finds the postgres component at `index` in the plan's components; nullptr when it is not one.
const plan::PostgresSpec* PostgresAt(const plan::Plan& plan, std::size_t index);
// The state entry for component `id`, created when `create`.
nlohmann::json* ComponentState(nlohmann::json& state, const std::string& id, bool create);

}  // namespace gw::deploy::local
