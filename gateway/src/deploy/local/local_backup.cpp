// Backups into <root>/<plan>/backups/<component>/<UTC time>/ (the folder stands for the cloud's bucket):
// pg_basebackup as compressed tars (base.tar.gz, and pg_wal.tar.gz with the WAL it needs) and PostgreSQL's
// backup_manifest, plus our manifest.json. The WAL is streamed (-X stream) through a temporary replication
// slot, so the server keeps every segment the backup needs: with -X fetch it is copied at the end, and a
// checkpoint during the backup could already have recycled it ("requested WAL segment ... has already been
// removed", seen in CI). Validation restores the newest into a scratch cluster on a free port, checks
// the manifest (pg_verifybackup) and queries it. Also the health check (Check) and Destroy.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "clock.hpp"
#include "deploy/local/local_internal.hpp"
#include "plan/cron.hpp"

namespace gw::deploy::local {
namespace {

// "20261124T031500Z": sortable and safe in a path.
std::string BackupName(TimeMs ms) {
    std::string t = FormatTimestamp(ms);  // 2026-11-24T03:15:00Z
    t.erase(std::remove(t.begin(), t.end(), '-'), t.end());
    t.erase(std::remove(t.begin(), t.end(), ':'), t.end());
    return t;
}

std::string At(const nlohmann::json& ms) { return ms.is_number() ? FormatTimestamp(ms.get<TimeMs>()) : std::string(); }

}  // namespace

StepResult LocalTarget::Backup(StepContext& ctx, bool validate) {
    if (!setup_error_.empty()) return StepResult::Failed(setup_error_);
    try {
        for (std::size_t i = 0; i < ctx.plan.components.size(); ++i) {
            const plan::PostgresSpec* pg = PostgresAt(ctx.plan, i);
            nlohmann::json* c = pg ? ComponentState(ctx.state, ctx.plan.components[i].id, false) : nullptr;
            if (c == nullptr) continue;
            const StepResult r = BackupComponent(ctx, *c, pg->backups, validate);
            ctx.save();
            if (r.kind != StepResult::Kind::Done) return r;
        }
    } catch (const std::exception& e) {
        return StepResult::Failed(std::string("backup failed: ") + e.what());
    }
    return StepResult::Done();
}

StepResult LocalTarget::BackupComponent(StepContext& ctx, nlohmann::json& c, const plan::Backups& policy, bool validate) {
    const std::string bin = c.value("bin", "");
    const std::vector<Server> servers = Servers(c);
    if (servers.empty()) return StepResult::Failed("nothing is deployed to back up");
    const Server& primary = servers.front();
    const fs::path folder = PlanDir(ctx.plan_id) / "backups" / c.value("id", "");
    nlohmann::json& record = c["backup"];
    if (!record.is_object()) record = nlohmann::json::object();
    const TimeMs now = ctx.clock();
    auto fail = [&](const std::string& reason) {
        record["last_at"] = now;
        record["last_ok"] = false;
        record["last_error"] = reason;
        ctx.event("error", "backup failed: " + reason);
        return StepResult::Failed("backup failed: " + reason);
    };
    if (std::string e = MakeDir(folder.parent_path()); !e.empty()) return fail(e);
    if (std::string e = MakeDir(folder); !e.empty()) return fail(e);
    std::string name = BackupName(now);
    for (int n = 2; fs::exists(folder / name); ++n) name = BackupName(now) + "-" + std::to_string(n);
    const fs::path partial = folder / (name + ".partial");
    std::error_code ec;
    fs::remove_all(partial, ec);
    const ProcessResult r = Run({bin + "/pg_basebackup", "-h", "127.0.0.1", "-p", std::to_string(primary.port), "-U",
                                 "postgres", "-D", partial.string(), "-Ft", "-z", "-X", "stream", "-c", "fast"},
                                as_, {"PGPASSWORD=" + SuperuserPassword(ctx.secrets), "PGSSLMODE=require", "PGCONNECT_TIMEOUT=10"});
    if (!r.ok()) {
        fs::remove_all(partial, ec);
        return fail(r.Describe("pg_basebackup"));
    }
    nlohmann::json manifest = {{"component", c.value("id", "")}, {"taken_at", FormatTimestamp(now)}, {"taken_at_ms", now},
                               {"postgres_version", c.value("version", "")}, {"format", "pg_basebackup tar, gzip, WAL included"},
                               {"files", nlohmann::json::array()}};
    for (const auto& entry : fs::directory_iterator(partial)) {
        manifest["files"].push_back({{"name", entry.path().filename().string()}, {"bytes", fs::file_size(entry.path())}});
    }
    if (std::string e = WriteFile(partial / "manifest.json", manifest.dump(2) + "\n"); !e.empty()) return fail(e);
    fs::rename(partial, folder / name, ec);
    if (ec) return fail("could not move the backup into place: " + ec.message());
    record["last_at"] = now;
    record["last_ok"] = true;
    record["last_error"] = "";
    record["last_name"] = name;
    ctx.event("info", "backup " + name + " taken into " + (folder / name).string());
    ApplyRetention(ctx, folder, policy.retention_days);
    if (!validate) return StepResult::Done();
    const std::string problem = ValidateBackup(ctx, c, folder / name);
    record["validation"] = {{"at", ctx.clock()}, {"ok", problem.empty()}, {"error", problem}, {"backup", name}};
    if (!problem.empty()) {
        ctx.event("error", "backup validation failed: " + problem);
        return StepResult::Failed("backup validation failed: " + problem);
    }
    ctx.event("info", "backup " + name + " validated: restored into a scratch server, which answered");
    return StepResult::Done();
}

void LocalTarget::ApplyRetention(StepContext& ctx, const fs::path& folder, int retention_days) {
    std::vector<std::pair<TimeMs, fs::path>> backups;
    for (const auto& entry : fs::directory_iterator(folder)) {
        std::ifstream in(entry.path() / "manifest.json");
        const nlohmann::json m = nlohmann::json::parse(in, nullptr, false);
        if (m.is_object() && m.contains("taken_at_ms")) backups.emplace_back(m["taken_at_ms"].get<TimeMs>(), entry.path());
    }
    std::sort(backups.begin(), backups.end());
    const TimeMs cutoff = ctx.clock() - TimeMs(retention_days) * 86400000;
    for (std::size_t i = 0; i + 1 < backups.size(); ++i) {  // the newest stays whatever its age
        if (backups[i].first >= cutoff) continue;
        std::error_code ec;
        fs::remove_all(backups[i].second, ec);
        ctx.event("info", "backup " + backups[i].second.filename().string() + " removed (older than " +
                              std::to_string(retention_days) + " days)");
    }
}

std::string LocalTarget::ValidateBackup(StepContext& ctx, const nlohmann::json& c, const fs::path& backup) {
    const std::string bin = c.value("bin", "");
    const fs::path scratch = PlanDir(ctx.plan_id) / "validate";
    const fs::path data = scratch / "data";
    const int port = ReservePort({});
    if (port == 0) return "no free port for the scratch server";
    Server server{"scratch server", "primary", port, data, scratch / "server.log"};
    auto finish = [&](std::string problem) {
        Run({bin + "/pg_ctl", "stop", "-D", data.string(), "-m", "immediate", "-w"}, as_);
        std::error_code ec;
        fs::remove_all(scratch, ec);
        ReleasePort(port);
        return problem;
    };
    std::error_code ec;
    if (fs::exists(data / "postmaster.pid")) Stop(bin, data);  // left behind by a crash mid-validation
    fs::remove_all(scratch, ec);
    if (std::string e = MakeDir(scratch); !e.empty()) return finish(e);
    if (std::string e = MakeDir(data); !e.empty()) return finish(e);
    const ProcessResult untar = Run({"/bin/tar", "-xzf", (backup / "base.tar.gz").string(), "-C", data.string()}, as_);
    if (!untar.ok()) return finish(untar.Describe("tar"));
    // The streamed WAL goes back where the server (and pg_verifybackup) look for it. Backups taken before
    // WAL was streamed carry it inside base.tar.gz and have no pg_wal.tar.gz.
    if (fs::exists(backup / "pg_wal.tar.gz")) {
        const ProcessResult wal = Run({"/bin/tar", "-xzf", (backup / "pg_wal.tar.gz").string(), "-C", (data / "pg_wal").string()}, as_);
        if (!wal.ok()) return finish(wal.Describe("tar (pg_wal)"));
    }
    const ProcessResult verify = Run({bin + "/pg_verifybackup", "-m", (backup / "backup_manifest").string(), data.string()}, as_);
    if (!verify.ok()) return finish(verify.Describe("pg_verifybackup"));
    // Its own port and socket, no archiving: it must not look like, or talk to, the real server.
    std::ofstream(data / "conf.d" / "local.conf", std::ios::app)
        << "# Scratch server restoring a backup for validation\nport = " << port
        << "\nunix_socket_directories = '" << data.string() << "'\narchive_mode = off\n";
    if (std::string e = Start(bin, server); !e.empty()) return finish(e);
    PgConnection db(Superuser(port, ctx.secrets));
    if (!db.ok()) return finish("the restored server refuses connections: " + db.error());
    const PgRows apps = db.Exec("SELECT count(*) FROM pg_database WHERE datname = $1", {kAppDatabase});
    if (apps.Value() != "1") return finish("the restored server has no database " + std::string(kAppDatabase) + " " + apps.error);
    PgConnection app_db(Superuser(port, ctx.secrets, kAppDatabase));
    const PgRows tables = app_db.Exec("SELECT count(*) FROM pg_class");
    if (!tables.ok) return finish("the restored database does not answer: " + tables.error);
    ctx.event("info", "scratch server on port " + std::to_string(port) + ": database " + kAppDatabase + " present, " +
                          tables.Value() + " relations in its catalog");
    return finish({});
}

Health LocalTarget::Check(StepContext& ctx) {
    Health h;
    h.ok = true;
    h.checks = nlohmann::json::object();
    if (!setup_error_.empty()) return {false, setup_error_, {}, std::nullopt};
    auto problem = [&](std::string reason) {
        if (h.ok) h.reason = std::move(reason);
        h.ok = false;
    };
    try {
        bool any = false;
        for (std::size_t i = 0; i < ctx.plan.components.size(); ++i) {
            const plan::PostgresSpec* pg = PostgresAt(ctx.plan, i);
            nlohmann::json* c = pg ? ComponentState(ctx.state, ctx.plan.components[i].id, false) : nullptr;
            if (c == nullptr) continue;
            any = true;
            const std::vector<Server> servers = Servers(*c);
            if (servers.empty()) continue;
            PgConnection app(AppUser(servers.front().port, ctx.secrets));
            const bool answers = app.ok() && app.Exec("SELECT 1").Value() == "1";
            h.checks["select1"] = answers;
            if (!answers) {
                const bool running = IsRunning(c->value("bin", ""), servers.front().data);
                problem(running ? "PostgreSQL runs on port " + std::to_string(servers.front().port) +
                                      " but the application role cannot query it: " + app.error()
                                : "server down: PostgreSQL is not running on port " + std::to_string(servers.front().port));
                continue;
            }
            if (servers.size() > 1) {
                PgConnection admin(Superuser(servers.front().port, ctx.secrets));
                nlohmann::json lags = nlohmann::json::array();
                for (std::size_t r = 1; r < servers.size(); ++r) {
                    const std::string slot = "replica_" + servers[r].name.substr(servers[r].name.find('-') + 1);
                    const PgRows lag = admin.Exec(
                        "SELECT s.active, COALESCE(pg_wal_lsn_diff(pg_current_wal_lsn(), st.replay_lsn), -1)::bigint "
                        "FROM pg_replication_slots s LEFT JOIN pg_stat_replication st ON st.pid = s.active_pid "
                        "WHERE s.slot_name = $1", {slot});
                    if (lag.Value() != "t") {
                        problem(servers[r].name + " is not streaming from the primary" +
                                (lag.ok ? "" : ": " + lag.error));
                        lags.push_back(nullptr);
                    } else {
                        lags.push_back(std::stoll(lag.Value(0, 1)));
                    }
                }
                h.checks["replication_lag_bytes"] = lags;
            }
            if (!pg->backups.enabled) continue;
            // Scheduled backups: the next time the plan's cron fires after the last backup (or the deployment).
            nlohmann::json& record = (*c)["backup"];
            if (!record.is_object()) record = nlohmann::json::object();
            const TimeMs since = record.value("last_at", ctx.state.value("deployed_at", ctx.clock()));
            if (const auto next = plan::NextCronTime(pg->backups.schedule, since / 1000)) {
                h.checks["next_backup_at"] = FormatTimestamp(*next * 1000);
                if (*next * 1000 <= ctx.clock()) {
                    // Not taken here: the engine runs it as a backup job (orange "Backing up.", then green or
                    // red), the same path as POST /backup. Backup() takes every component's at once.
                    DueBackup& due = h.backup_due ? *h.backup_due : h.backup_due.emplace(DueBackup{false, ""});
                    due.validate = due.validate || pg->backups.validate;
                    if (due.why.empty()) {
                        due.why = "the schedule (" + pg->backups.schedule + ") was due at " + FormatTimestamp(*next * 1000);
                    }
                }
            }
            if (record.contains("last_at")) {
                h.checks["last_backup_at"] = At(record["last_at"]);
                h.checks["last_backup_ok"] = record.value("last_ok", false);
                if (!record.value("last_ok", false)) problem("backup failed: " + record.value("last_error", ""));
            }
            if (record.contains("validation")) {
                const nlohmann::json& v = record["validation"];
                h.checks["last_validation"] = {{"at", At(v["at"])}, {"ok", v.value("ok", false)}, {"backup", v.value("backup", "")}};
                if (!v.value("ok", false)) problem("backup validation failed: " + v.value("error", ""));
            }
        }
        if (!any) problem("nothing is deployed");
    } catch (const std::exception& e) {
        problem(std::string("health check failed: ") + e.what());
    }
    return h;
}

StepResult LocalTarget::Destroy(StepContext& ctx, bool final_backup) {
    if (!setup_error_.empty()) return StepResult::Failed(setup_error_);
    try {
        bool backed_up = false;
        if (final_backup && ctx.state.is_object()) {
            for (std::size_t i = 0; i < ctx.plan.components.size(); ++i) {
                const plan::PostgresSpec* pg = PostgresAt(ctx.plan, i);
                nlohmann::json* c = pg ? ComponentState(ctx.state, ctx.plan.components[i].id, false) : nullptr;
                if (c == nullptr || Servers(*c).empty()) continue;
                if (!IsRunning(c->value("bin", ""), Servers(*c).front().data)) {
                    ctx.event("warning", c->value("id", "") + ": not running, so no final backup");
                    continue;
                }
                const StepResult r = BackupComponent(ctx, *c, pg->backups, false);
                ctx.save();
                if (r.kind != StepResult::Kind::Done) {
                    return StepResult::Failed("final " + r.error + "; destroy again without the final backup to skip it");
                }
                backed_up = true;
            }
        }
        // Stop every server found on disk under the plan's folder, not only those in state: a crash may
        // have started one before its port was recorded.
        const fs::path plan_dir = PlanDir(ctx.plan_id);
        std::error_code ec;
        if (fs::exists(plan_dir)) {
            for (const auto& component : fs::directory_iterator(plan_dir)) {
                if (!component.is_directory() || component.path().filename() == "backups") continue;
                for (const auto& server : fs::recursive_directory_iterator(component.path(), ec)) {
                    if (server.path().filename() != "postmaster.pid") continue;
                    const fs::path data = server.path().parent_path();
                    std::ifstream version_file(data / "PG_VERSION");
                    std::string version;
                    std::getline(version_file, version);
                    const std::string bin = options_.pg_lib_dir + "/" + version + "/bin";
                    if (std::string e = Stop(bin, data); !e.empty()) return StepResult::Failed(e);
                    ctx.event("info", "stopped the server in " + data.string());
                }
                fs::remove_all(component.path(), ec);
                if (ec) return StepResult::Failed("could not remove " + component.path().string() + ": " + ec.message());
            }
            const bool keep = backed_up;  // backups outlive the data only when a final one was taken
            if (!keep) fs::remove_all(plan_dir, ec);
            ctx.event("info", keep ? "data removed; backups kept in " + (plan_dir / "backups").string()
                                   : "data removed; no backups kept");
        }
        if (ctx.state.is_object() && ctx.state.contains("components")) {
            for (const auto& c : ctx.state["components"]) {
                for (const auto& s : c.value("servers", nlohmann::json::array())) ReleasePort(s.value("port", 0));
            }
        }
        ctx.state = nullptr;
        ctx.save();
        ReleaseMemory(ctx.plan_id);
    } catch (const std::exception& e) {
        return StepResult::Failed(std::string("destroy failed: ") + e.what());
    }
    return StepResult::Done();
}

}  // namespace gw::deploy::local
