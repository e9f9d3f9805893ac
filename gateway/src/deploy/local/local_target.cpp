// The local target's deployment steps. Each looks at the world (folders, PG_VERSION, postmaster.pid,
// the catalogs) and at `state` before acting, so a step re-run after a kill -9 finishes the job
// instead of doing it twice: ports are remembered before anything uses them, clusters are made in a
// side folder and renamed into place, roles and slots are created only when missing.
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "deploy/local/local_internal.hpp"

namespace gw::deploy::local {
namespace {

// Installed major versions under `lib_dir` (each with bin/initdb), newest first.
std::vector<std::string> InstalledVersions(const std::string& lib_dir) {
    std::vector<int> majors;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(lib_dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
        if (fs::exists(entry.path() / "bin" / "initdb") && fs::exists(entry.path() / "bin" / "pg_ctl")) {
            majors.push_back(std::stoi(name));
        }
    }
    std::sort(majors.rbegin(), majors.rend());
    std::vector<std::string> out;
    for (int m : majors) out.push_back(std::to_string(m));
    return out;
}

std::string ReadVersionFile(const fs::path& data) {
    std::ifstream in(data / "PG_VERSION");
    std::string v;
    std::getline(in, v);
    return v;
}

int DesiredReplicas(const plan::PostgresSpec& pg) {
    return pg.topology == plan::Topology::PrimaryReplicas ? std::max(0, pg.replicas) : 0;
}

}  // namespace

LocalTarget::LocalTarget(LocalTargetOptions options)
    : options_(std::move(options)), ports_(options_.port_lock_dir, options_.port_first, options_.port_last) {
    if (geteuid() == 0) {
        // initdb refuses to run as root, and a database server should not have root's powers anyway.
        const passwd* pw = getpwnam(options_.run_as_user.c_str());
        if (pw == nullptr) {
            setup_error_ = "the gateway runs as root and PostgreSQL must run as an unprivileged user, but there is no user '" +
                           options_.run_as_user + "' (installing Debian's postgresql package creates it: scripts/deps)";
        } else {
            as_ = {true, pw->pw_uid, pw->pw_gid, options_.run_as_user, pw->pw_dir};
        }
    } else {
        const passwd* pw = getpwuid(geteuid());
        as_.name = pw != nullptr ? pw->pw_name : "the gateway's user";
    }
}

int LocalTarget::HostServers(const plan::Plan& plan) const {
    int servers = 0;
    for (std::size_t i = 0; i < plan.components.size(); ++i) {
        if (const plan::PostgresSpec* pg = PostgresAt(plan, i)) servers += 1 + DesiredReplicas(*pg);
    }
    return servers;
}

StepResult LocalTarget::RunStep(Step step, StepContext& ctx) {
    if (!setup_error_.empty()) return StepResult::Failed(setup_error_);
    try {
        switch (step) {
            case Step::Render: return Render(ctx);
            case Step::Provision: return Provision(ctx);
            case Step::Install: return Install(ctx);
            case Step::Configure: return Configure(ctx);
            case Step::Verify: return Verify(ctx);
            case Step::Monitor: {
                const Health h = Check(ctx);
                if (!h.ok) return StepResult::Failed(h.reason);
                ctx.event("info", "PostgreSQL answers; monitoring every few seconds from now on");
                return StepResult::Done();
            }
        }
    } catch (const std::exception& e) {  // filesystem errors and the like: a failed step, never a crash
        return StepResult::Failed(std::string(ToString(step)) + " failed: " + e.what());
    }
    return StepResult::Failed("unknown step");
}

// [Render] the version that will run, and the configuration for it (warnings become events).
StepResult LocalTarget::Render(StepContext& ctx) {
    const std::vector<std::string> installed = InstalledVersions(options_.pg_lib_dir);
    if (installed.empty()) {
        return StepResult::Failed("no PostgreSQL is installed on this host (looked in " + options_.pg_lib_dir +
                                  "/<version>/bin); install Debian's postgresql package (scripts/deps does)");
    }
    for (std::size_t i = 0; i < ctx.plan.components.size(); ++i) {
        const plan::PostgresSpec* pg = PostgresAt(ctx.plan, i);
        if (pg == nullptr) continue;
        const std::string& id = ctx.plan.components[i].id;
        nlohmann::json& c = *ComponentState(ctx.state, id, true);
        std::string version = pg->version;
        if (std::find(installed.begin(), installed.end(), version) == installed.end()) {
            version = installed.front();
            ctx.event("warning", id + ": PostgreSQL " + pg->version + " is not installed on this host; running " + version +
                                     ", the newest installed (install postgresql-" + pg->version + " to use the plan's)");
        }
        const std::string running = ReadVersionFile(fs::path(c.value("dir", "")) / "primary");
        if (!running.empty() && running != version) {
            return StepResult::Failed(id + " already runs PostgreSQL " + running + "; the local target does not upgrade "
                                      "major versions in place: destroy the deployment and deploy again");
        }
        c["version"] = version;
        c["bin"] = options_.pg_lib_dir + "/" + version + "/bin";
        c["dir"] = (PlanDir(ctx.plan_id) / id).string();
        const plan::ServerConfig config = ConfigFor(ctx.plan, i, version, pg->port);
        for (const plan::Diagnostic& w : config.warnings) ctx.event("warning", id + ": " + w.message);
        ctx.event("info", id + ": PostgreSQL " + version + " with " + std::to_string(config.settings.size()) +
                              " tuned settings (shared_buffers " + plan::FindConfigSetting(config, "shared_buffers")->value +
                              ", max_connections " + plan::FindConfigSetting(config, "max_connections")->value + ")");
    }
    return StepResult::Done();
}

// [Provision] folders and a free loopback port per server, remembered before anything uses them.
StepResult LocalTarget::Provision(StepContext& ctx) {
    if (std::string e = MakeDir(options_.root); !e.empty()) return StepResult::Failed(e);
    // The server user must be able to walk down to its folders: traverse (not read) on the root and on
    // the gateway's data folder above it when the gateway owns it.
    ::chmod(options_.root.c_str(), 0711);
    const fs::path parent = fs::absolute(options_.root).parent_path();
    struct stat st{};
    if (as_.change && ::stat(parent.c_str(), &st) == 0 && st.st_uid == geteuid() && !(st.st_mode & S_IXOTH)) {
        ::chmod(parent.c_str(), (st.st_mode & 07777) | S_IXOTH);
    }
    if (std::string e = MakeDir(PlanDir(ctx.plan_id)); !e.empty()) return StepResult::Failed(e);
    ::chmod(PlanDir(ctx.plan_id).c_str(), 0711);
    if (as_.change) {
        const ProcessResult probe = Run({"/usr/bin/test", "-w", PlanDir(ctx.plan_id).string()}, as_);
        if (!probe.ok()) {
            return StepResult::Failed("user " + as_.name + " cannot reach " + PlanDir(ctx.plan_id).string() +
                                      "; make the folders above it traversable (chmod o+x) or choose another data folder");
        }
    }
    // The machine's memory first (LocalTargetOptions): a plan that does not fit fails here, before it
    // takes a port or starts anything, instead of pushing the machine into swap or the OOM killer.
    std::int64_t memory = 0;
    const int server_count = HostServers(ctx.plan);
    for (std::size_t i = 0; i < ctx.plan.components.size(); ++i) {
        if (const plan::PostgresSpec* pg = PostgresAt(ctx.plan, i)) {
            memory += (1 + DesiredReplicas(*pg)) * ServerMemoryBytes(ctx.plan, *pg);
        }
    }
    if (std::string e = ReserveMemory(ctx.plan_id, memory, server_count); !e.empty()) return StepResult::Failed(e);
    if (!ctx.state.is_object()) ctx.state = nlohmann::json::object();
    ctx.state["memory_bytes"] = memory;
    // Ports taken by this run and not yet remembered in state go back if the step fails part-way.
    std::vector<int> fresh_ports;
    struct GiveBack {
        LocalTarget* target;
        std::vector<int>& ports;
        ~GiveBack() {
            for (int port : ports) target->ReleasePort(port);
        }
    } give_back{this, fresh_ports};
    for (std::size_t i = 0; i < ctx.plan.components.size(); ++i) {
        const plan::PostgresSpec* pg = PostgresAt(ctx.plan, i);
        if (pg == nullptr) continue;
        nlohmann::json& c = *ComponentState(ctx.state, ctx.plan.components[i].id, true);
        if (std::string e = MakeDir(c.value("dir", "")); !e.empty()) return StepResult::Failed(e);
        std::set<int> taken;
        for (const auto& s : c["servers"]) taken.insert(s.value("port", 0));
        nlohmann::json servers = nlohmann::json::array();
        nlohmann::json& removed = c["removed"];
        if (!removed.is_array()) removed = nlohmann::json::array();
        const int want = DesiredReplicas(*pg);
        for (int r = 0; r <= want; ++r) {
            const std::string name = r == 0 ? "primary" : "replica-" + std::to_string(r);
            nlohmann::json server;
            for (const auto& s : c["servers"]) {
                if (s.value("name", "") == name) server = s;
            }
            if (server.is_null()) {
                std::string why;
                const int port = ReservePort(taken, &why);
                if (port == 0) {
                    return StepResult::Failed("no free port between " + std::to_string(options_.port_first) + " and " +
                                              std::to_string(options_.port_last) + " on 127.0.0.1" +
                                              (why.empty() ? ": local deployments on this machine hold them all; "
                                                             "destroy one to free its ports"
                                                           : " (" + why + ")"));
                }
                taken.insert(port);
                fresh_ports.push_back(port);
                server = {{"name", name}, {"role", r == 0 ? "primary" : "replica"}, {"port", port}};
                ctx.event("info", ctx.plan.components[i].id + "/" + name + ": port " + std::to_string(port));
            }
            servers.push_back(server);
        }
        for (const auto& s : c["servers"]) {
            const bool kept = std::any_of(servers.begin(), servers.end(),
                                          [&](const auto& k) { return k["name"] == s["name"]; });
            if (!kept) removed.push_back(s);
        }
        c["servers"] = servers;
        ctx.save();  // the ports are ours before any server binds them
        fresh_ports.clear();  // remembered now: destroy gives them back
    }
    return StepResult::Done();
}

// [Install] initdb for each primary (SCRAM, data checksums) and its TLS certificate.
StepResult LocalTarget::Install(StepContext& ctx) {
    for (std::size_t i = 0; i < ctx.plan.components.size(); ++i) {
        if (PostgresAt(ctx.plan, i) == nullptr) continue;
        if (ctx.should_stop()) return StepResult::Interrupted();
        const nlohmann::json& c = *ComponentState(ctx.state, ctx.plan.components[i].id, true);
        const std::string bin = c.value("bin", "");
        const Server primary = Servers(c).front();
        if (fs::exists(primary.data / "PG_VERSION")) {
            ctx.event("info", primary.name + ": reusing the cluster in " + primary.data.string());
        } else {
            if (std::string e = Initdb(bin, primary, ctx.secrets); !e.empty()) return StepResult::Failed(e);
            ctx.event("info", primary.name + ": new cluster (SCRAM passwords, data checksums) in " + primary.data.string());
        }
        // A cluster made before certificates came with initdb (or whose files were removed) gets one now.
        if (std::string e = MakeCertificate(primary.data / "server.key", primary.data / "server.crt"); !e.empty()) {
            return StepResult::Failed(e);
        }
    }
    return StepResult::Done();
}

// [Configure] the tuned configuration, the application role and database, replicas, removals.
StepResult LocalTarget::Configure(StepContext& ctx) {
    for (std::size_t i = 0; i < ctx.plan.components.size(); ++i) {
        const plan::PostgresSpec* pg = PostgresAt(ctx.plan, i);
        if (pg == nullptr) continue;
        nlohmann::json& c = *ComponentState(ctx.state, ctx.plan.components[i].id, true);
        const std::string bin = c.value("bin", "");
        const std::string version = c.value("version", "");
        const std::vector<Server> servers = Servers(c);
        const Server& primary = servers.front();

        if (std::string e = ApplyConfig(ctx, bin, primary, ConfigFor(ctx.plan, i, version, primary.port)); !e.empty()) {
            return StepResult::Failed(e);
        }
        ctx.progress(0.3);
        if (std::string e = WaitForConnection(Superuser(primary.port, ctx.secrets), 30000); !e.empty()) {
            return StepResult::Failed("the primary does not accept connections: " + e);
        }
        PgConnection admin(Superuser(primary.port, ctx.secrets));
        // The password goes over as a SCRAM verifier computed here: the plain text never reaches the server.
        auto set_role = [&](const std::string& role, const std::string& password, const std::string& attributes) {
            const std::optional<std::string> verifier = admin.ScramVerifier(password, role);
            if (!verifier) return "could not compute a SCRAM verifier: " + admin.error();
            const PgRows exists = admin.Exec("SELECT 1 FROM pg_roles WHERE rolname = $1", {role});
            const std::string verb = exists.rows.empty() ? "CREATE" : "ALTER";
            const PgRows r = admin.Exec(verb + " ROLE " + admin.Identifier(role) + " " + attributes + " PASSWORD " +
                                        admin.Literal(*verifier));
            return r.ok ? std::string() : "could not set up role " + role + ": " + r.error;
        };
        if (std::string e = set_role(kAppUser, ctx.secrets.db_password, "LOGIN"); !e.empty()) return StepResult::Failed(e);
        if (admin.Exec("SELECT 1 FROM pg_database WHERE datname = $1", {kAppDatabase}).rows.empty()) {
            const PgRows r = admin.Exec(std::string("CREATE DATABASE ") + kAppDatabase + " OWNER " + kAppUser);
            if (!r.ok) return StepResult::Failed("could not create database " + std::string(kAppDatabase) + ": " + r.error);
            ctx.event("info", std::string("database ") + kAppDatabase + " owned by role " + kAppUser + " created");
        }
        if (servers.size() > 1) {
            if (std::string e = set_role(kReplicationUser, ReplicationPassword(ctx.secrets), "LOGIN REPLICATION"); !e.empty()) {
                return StepResult::Failed(e);
            }
        }
        ctx.progress(0.5);

        // Replicas: a copy of the primary streaming from it through its own slot.
        for (std::size_t r = 1; r < servers.size(); ++r) {
            if (ctx.should_stop()) return StepResult::Interrupted();
            const Server& replica = servers[r];
            const std::string slot = "replica_" + replica.name.substr(replica.name.find('-') + 1);
            const PgRows slot_made = admin.Exec(
                "SELECT pg_create_physical_replication_slot($1) WHERE NOT EXISTS "
                "(SELECT 1 FROM pg_replication_slots WHERE slot_name = $1)", {slot});
            if (!slot_made.ok) return StepResult::Failed("could not create slot " + slot + ": " + slot_made.error);
            if (!fs::exists(replica.data / "PG_VERSION")) {
                const fs::path fresh = replica.data.string() + ".copy";
                std::error_code ec;
                fs::remove_all(fresh, ec);
                const ProcessResult copy = Run(
                    {bin + "/pg_basebackup", "-h", "127.0.0.1", "-p", std::to_string(primary.port), "-U", kReplicationUser,
                     "-D", fresh.string(), "-R", "-X", "stream", "-S", slot, "-c", "fast"},
                    as_, {"PGPASSWORD=" + ReplicationPassword(ctx.secrets), "PGSSLMODE=require", "PGCONNECT_TIMEOUT=10"});
                if (!copy.ok()) return StepResult::Failed(replica.name + ": " + copy.Describe("pg_basebackup"));
                fs::remove(fresh / "postmaster.pid", ec);
                fs::rename(fresh, replica.data, ec);
                if (ec) return StepResult::Failed("could not move the replica into place: " + ec.message());
                ctx.event("info", replica.name + ": copied from the primary (slot " + slot + ")");
            }
            if (std::string e = ApplyConfig(ctx, bin, replica, ConfigFor(ctx.plan, i, version, replica.port)); !e.empty()) {
                return StepResult::Failed(e);
            }
            ctx.progress(0.5 + 0.4 * double(r) / double(servers.size()));
        }

        // Replicas the plan no longer has: stop, drop the data and the slot.
        nlohmann::json& removed = c["removed"];
        while (removed.is_array() && !removed.empty()) {
            const std::string name = removed.front().value("name", "");
            const fs::path data = fs::path(c.value("dir", "")) / name;
            if (std::string e = Stop(bin, data); !e.empty()) return StepResult::Failed(name + ": " + e);
            std::error_code ec;
            fs::remove_all(data, ec);
            fs::remove(fs::path(c.value("dir", "")) / (name + ".log"), ec);
            const std::string slot = "replica_" + name.substr(name.find('-') + 1);
            admin.Exec("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1", {slot});
            ReleasePort(removed.front().value("port", 0));
            ctx.event("info", name + ": removed (server stopped, data and slot " + slot + " dropped)");
            removed.erase(removed.begin());
            ctx.save();
        }
    }
    if (!ctx.state.contains("deployed_at")) ctx.state["deployed_at"] = ctx.clock();
    return StepResult::Done();
}

// [Verify] the application role logs in over TCP with its password and the tuned settings are live;
// a row written on the primary is read back from every replica.
StepResult LocalTarget::Verify(StepContext& ctx) {
    static const char* kShown[] = {"shared_buffers", "work_mem", "max_connections", "effective_cache_size",
                                   "maintenance_work_mem"};
    for (std::size_t i = 0; i < ctx.plan.components.size(); ++i) {
        if (PostgresAt(ctx.plan, i) == nullptr) continue;
        const nlohmann::json& c = *ComponentState(ctx.state, ctx.plan.components[i].id, true);
        const std::vector<Server> servers = Servers(c);
        const plan::ServerConfig config = ConfigFor(ctx.plan, i, c.value("version", ""), servers.front().port);
        PgConnection app(AppUser(servers.front().port, ctx.secrets));
        if (!app.ok()) return StepResult::Failed("the application role cannot log in: " + app.error());
        if (app.Exec("SELECT 1").Value() != "1") return StepResult::Failed("SELECT 1 did not answer 1");
        std::string shown;
        for (const char* name : kShown) {
            const plan::ConfigSetting* want = plan::FindConfigSetting(config, name);
            if (want == nullptr) continue;
            const PgRows live = app.Exec(
                "SELECT current_setting($1), CASE WHEN $2 ~ '^[0-9]+(kB|MB|GB|TB)$' "
                "THEN pg_size_bytes(current_setting($1)) = pg_size_bytes($2) ELSE current_setting($1) = $2 END",
                {name, want->value});
            if (!live.ok) return StepResult::Failed("SHOW " + std::string(name) + " failed: " + live.error);
            if (live.Value(0, 1) != "t") {
                return StepResult::Failed(std::string(name) + " is " + live.Value() + " on the server but the plan's "
                                          "configuration says " + want->value);
            }
            shown += std::string(shown.empty() ? "" : ", ") + name + " = " + live.Value();
        }
        ctx.event("info", "live settings match the plan: " + shown);

        if (servers.size() > 1) {
            PgConnection admin(Superuser(servers.front().port, ctx.secrets));
            const std::string token = ctx.deployment_id + "@" + std::to_string(ctx.clock());
            PgRows w = admin.Exec("CREATE TABLE IF NOT EXISTS cloudsketch_replication_check (token text PRIMARY KEY, "
                                  "written_at timestamptz NOT NULL DEFAULT now())");
            if (w.ok) w = admin.Exec("INSERT INTO cloudsketch_replication_check (token) VALUES ($1)", {token});
            if (!w.ok) return StepResult::Failed("could not write the replication check row: " + w.error);
            for (std::size_t r = 1; r < servers.size(); ++r) {
                bool seen = false;
                std::string error;
                for (int attempt = 0; attempt < 150 && !seen; ++attempt) {
                    PgConnection replica(Superuser(servers[r].port, ctx.secrets));
                    const PgRows read = replica.Exec(
                        "SELECT count(*) FROM cloudsketch_replication_check WHERE token = $1", {token});
                    seen = read.ok && read.Value() == "1";
                    error = replica.ok() ? read.error : replica.error();
                    if (!seen) usleep(200 * 1000);
                }
                if (!seen) {
                    return StepResult::Failed(servers[r].name + " did not receive a row written on the primary within 30 s" +
                                              (error.empty() ? "" : ": " + error));
                }
                ctx.event("info", servers[r].name + ": replicates (a row written on the primary was read back)");
            }
        }
    }
    return StepResult::Done();
}

ConnectionInfo LocalTarget::Connection(const nlohmann::json& state) const {
    ConnectionInfo info;
    if (!state.is_object() || !state.contains("components") || state["components"].empty()) return info;
    for (const Server& s : Servers(state["components"][0])) info.endpoints.push_back({s.role, "127.0.0.1", s.port});
    info.database = kAppDatabase;
    info.user = kAppUser;
    return info;
}

}  // namespace gw::deploy::local

namespace gw::deploy {
std::unique_ptr<Target> MakeLocalTarget(LocalTargetOptions options) {
    return std::make_unique<local::LocalTarget>(std::move(options));
}
}  // namespace gw::deploy
