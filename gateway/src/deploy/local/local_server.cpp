// One PostgreSQL server on this host: ports, folders, initdb, TLS certificate, configuration files,
// pg_ctl start/stop/restart, and applying a changed configuration with a reload or a restart.
#include <signal.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <future>
#include <map>
#include <sstream>

#include "deploy/local/local_internal.hpp"
#include "plan/catalog.hpp"

namespace gw::deploy::local {
namespace {

std::string DerivedPassword(const Secrets& secrets, std::string_view purpose) {
    // BLAKE2b keyed by the purpose: stable for one plan's secret, unrelated between purposes.
    unsigned char out[24];
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(secrets.db_password.data()),
                       secrets.db_password.size(), reinterpret_cast<const unsigned char*>(purpose.data()),
                       purpose.size());
    char hex[sizeof out * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, out, sizeof out);
    sodium_memzero(out, sizeof out);
    return hex;
}

std::string ReadFile(const fs::path& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// "name = value" lines of a postgresql.conf file we wrote (comments and blank lines skipped).
std::map<std::string, std::string> ParseConf(const std::string& text) {
    std::map<std::string, std::string> out;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line[0] == '#') continue;
        const std::size_t eq = line.find(" = ");
        if (eq == std::string::npos) continue;
        out[line.substr(0, eq)] = line.substr(eq + 3);
    }
    return out;
}

// What the plan's VM would give PostgreSQL: plan::LocalVmSize (as drawn, or its instance type's from any
// catalogue; the editor previews the same), capped by what this host really has, since here the "VM" is the
// gateway's own machine.
plan::HostFacts HostFactsFor(const plan::Plan& plan, const plan::PostgresSpec& pg) {
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long page_size = sysconf(_SC_PAGE_SIZE);
    const std::int64_t host_kb = pages > 0 && page_size > 0 ? std::int64_t(pages) * page_size / 1024 : 4 << 20;
    const int host_cpus = static_cast<int>(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)));
    plan::HostFacts facts{host_kb, host_cpus, plan::DiskType::Ssd};
    const plan::Component* vm = plan.Find(pg.host);
    if (vm == nullptr || !vm->IsVm()) return facts;
    const plan::VmSpec& spec = std::get<plan::VmSpec>(vm->spec);
    facts.disk = spec.disk.type;
    if (const auto size = plan::LocalVmSize(spec)) {
        facts.memory_kb = std::min(host_kb, static_cast<std::int64_t>(size->memory_gib * 1024 * 1024));
        facts.vcpus = std::min(host_cpus, size->vcpus);
    }
    return facts;
}

}  // namespace

std::int64_t ServerMemoryBytes(const plan::Plan& plan, const plan::PostgresSpec& pg) {
    return HostFactsFor(plan, pg).memory_kb * 1024;
}

std::string SuperuserPassword(const Secrets& secrets) { return DerivedPassword(secrets, "cloudsketch-local-superuser"); }
std::string ReplicationPassword(const Secrets& secrets) { return DerivedPassword(secrets, "cloudsketch-local-replication"); }

const plan::PostgresSpec* PostgresAt(const plan::Plan& plan, std::size_t index) {
    if (index >= plan.components.size() || !plan.components[index].IsPostgres()) return nullptr;
    return &std::get<plan::PostgresSpec>(plan.components[index].spec);
}

nlohmann::json* ComponentState(nlohmann::json& state, const std::string& id, bool create) {
    if (!state.is_object()) {
        if (!create) return nullptr;
        state = nlohmann::json::object();
    }
    nlohmann::json& list = state["components"];
    if (!list.is_array()) list = nlohmann::json::array();
    for (nlohmann::json& c : list) {
        if (c.value("id", "") == id) return &c;
    }
    if (!create) return nullptr;
    list.push_back({{"id", id}, {"servers", nlohmann::json::array()}});
    return &list.back();
}

std::vector<Server> LocalTarget::Servers(const nlohmann::json& component) const {
    std::vector<Server> out;
    const fs::path dir = component.value("dir", "");
    for (const nlohmann::json& s : component.value("servers", nlohmann::json::array())) {
        Server server;
        server.name = s.value("name", "");
        server.role = s.value("role", "primary");
        server.port = s.value("port", 0);
        server.data = dir / server.name;
        server.log = dir / (server.name + ".log");
        out.push_back(std::move(server));
    }
    return out;
}

plan::ServerConfig LocalTarget::ConfigFor(const plan::Plan& plan, std::size_t component_index,
                                          const std::string& version, int port) const {
    // The plan as it runs here: the installed version and this server's port; everything else as drawn.
    plan::Plan local = plan;
    auto& pg = std::get<plan::PostgresSpec>(local.components[component_index].spec);
    pg.version = version;
    pg.port = port;
    plan::ServerTarget target;
    target.listen_addresses = "127.0.0.1";
    target.replication_cidrs = {"127.0.0.1/32"};
    return plan::BuildServerConfig(local, component_index, HostFactsFor(plan, pg), target);
}

std::string LocalTarget::HbaText(const plan::ServerConfig& config) const {
    // One rule beyond the plan's: base backups (pg_basebackup) connect as the superuser over loopback TLS;
    // "all" in pg_hba.conf never matches replication connections.
    return plan::RenderHba(config) +
           "# Local target: the gateway's base backups\n"
           "hostssl replication     postgres        127.0.0.1/32            scram-sha-256\n";
}

int LocalTarget::ReservePort(const std::set<int>& also_taken, std::string* why) {
    return ports_.Reserve(also_taken, why);
}

void LocalTarget::ReleasePort(int port) { ports_.Release(port); }

namespace {

std::string GiB(std::int64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f GiB", static_cast<double>(bytes) / (1024.0 * 1024 * 1024));
    return text;
}

}  // namespace

std::string LocalTarget::ReserveMemory(const std::string& plan_id, std::int64_t bytes, int servers) {
    std::int64_t machine = options_.machine_memory_bytes;
    if (machine <= 0) {
        const long pages = sysconf(_SC_PHYS_PAGES);
        const long page_size = sysconf(_SC_PAGE_SIZE);
        machine = pages > 0 && page_size > 0 ? std::int64_t(pages) * page_size : std::int64_t{4} << 30;
    }
    const auto budget = static_cast<std::int64_t>(static_cast<double>(machine) * options_.memory_overcommit);
    std::lock_guard lock(memory_mutex_);
    std::int64_t others = 0;
    int plans = 0;
    for (const auto& [id, booked] : memory_) {
        if (id == plan_id) continue;
        others += booked;
        ++plans;
    }
    if (others + bytes > budget) {
        char factor[16];
        std::snprintf(factor, sizeof factor, "%g", options_.memory_overcommit);
        return "this machine has " + GiB(machine) + " of memory, and its local deployments may together run VMs of " +
               factor + "x that (" + GiB(budget) + "); " + std::to_string(plans) + " other deployment" +
               (plans == 1 ? " takes " : "s take ") + GiB(others) + " and this plan needs " + GiB(bytes) + " for its " +
               std::to_string(servers) + " server" + (servers == 1 ? "" : "s") +
               ": destroy a local deployment, or give this plan smaller VMs or fewer replicas";
    }
    memory_[plan_id] = bytes;
    return {};
}

void LocalTarget::ReleaseMemory(const std::string& plan_id) {
    std::lock_guard lock(memory_mutex_);
    memory_.erase(plan_id);
}

std::vector<std::string> LocalTarget::Adopt(const std::string& plan_id, const nlohmann::json& state) {
    // A port lock lives as long as the process that took it, but a deployment's port is its own for as
    // long as the store says so. A server still running keeps its port bound (the bind probe skips it);
    // a stopped one holds nothing, so without this its port could go to another plan, which would then
    // either fail to start or keep this plan's server from starting again.
    std::vector<std::string> problems;
    if (state.is_object() && state.value("memory_bytes", std::int64_t{0}) > 0) {
        std::lock_guard lock(memory_mutex_);
        memory_[plan_id] = state.value("memory_bytes", std::int64_t{0});
    }
    if (!state.is_object() || !state.contains("components") || !state["components"].is_array()) return problems;
    for (const nlohmann::json& c : state["components"]) {
        for (const char* list : {"servers", "removed"}) {
            for (const nlohmann::json& s : c.value(list, nlohmann::json::array())) {
                const int port = s.value("port", 0);
                if (port == 0) continue;
                if (std::string e = ports_.Acquire(port); !e.empty()) {
                    problems.push_back(plan_id + " " + c.value("id", "") + "/" + s.value("name", "") + ": " + e);
                }
            }
        }
    }
    return problems;
}

std::string LocalTarget::MakeDir(const fs::path& dir) const {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return "could not create " + dir.string() + ": " + ec.message();
    ::chmod(dir.c_str(), 0700);
    if (as_.change && ::chown(dir.c_str(), as_.uid, as_.gid) != 0) return "could not give " + dir.string() + " to " + as_.name;
    return {};
}

std::string LocalTarget::WriteFile(const fs::path& file, const std::string& text) const {
    const fs::path temp = file.string() + ".tmp";
    {
        std::ofstream out(temp, std::ios::trunc);
        out << text;
        if (!out) return "could not write " + temp.string();
    }
    ::chmod(temp.c_str(), 0600);
    if (as_.change && ::chown(temp.c_str(), as_.uid, as_.gid) != 0) return "could not give " + file.string() + " to " + as_.name;
    std::error_code ec;
    fs::rename(temp, file, ec);  // atomic: a kill -9 leaves the old file or the new one, never half of one
    return ec ? "could not write " + file.string() + ": " + ec.message() : std::string();
}

std::string LocalTarget::Initdb(const std::string& bin, const Server& server, const Secrets& secrets) const {
    // initdb into a side folder renamed into place when complete, so that a crash mid-way leaves no
    // half-made cluster that a re-run would mistake for a finished one. The folder is new for every
    // attempt: initdb runs in its own session, so after a kill -9 of the gateway the old attempt's
    // initdb may still be running, and must not share (or lose) a folder with this one. Earlier
    // attempts' folders are removed first; an orphan initdb then fails on its own and changes nothing.
    const std::string attempt = ".initdb-" + std::to_string(::getpid()) + "-" +
                                std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    const fs::path fresh = server.data.string() + attempt;
    const fs::path pwfile = fresh.string() + ".pw";
    const fs::path key = fresh.string() + ".key";
    const fs::path crt = fresh.string() + ".crt";
    std::error_code ec;
    const std::string stale_prefix = server.data.filename().string() + ".initdb";
    for (const fs::directory_entry& entry : fs::directory_iterator(server.data.parent_path(), ec)) {
        if (entry.path().filename().string().rfind(stale_prefix, 0) == 0) fs::remove_all(entry.path(), ec);
    }
    if (std::string e = WriteFile(pwfile, SuperuserPassword(secrets) + "\n"); !e.empty()) return e;
    // The certificate does not depend on the cluster: openssl runs while initdb does (one process each;
    // initdb keeps one core busy for over a second, so this takes the certificate off the deploy time).
    std::future<std::string> certificate =
        std::async(std::launch::async, [this, &key, &crt] { return MakeCertificate(key, crt); });
    const ProcessResult r = Run({bin + "/initdb", "-D", fresh.string(), "-U", "postgres", "--pwfile=" + pwfile.string(),
                                 "--auth-local=peer", "--auth-host=scram-sha-256", "--data-checksums", "-E", "UTF8",
                                 "--locale=C.UTF-8"},
                                as_);
    fs::remove(pwfile, ec);
    const std::string certificate_error = certificate.get();
    if (!r.ok()) return r.Describe("initdb");
    if (!certificate_error.empty()) return certificate_error;
    std::ofstream(fresh / "postgresql.conf", std::ios::app) << "\n# CloudSketch's settings\ninclude_dir = 'conf.d'\n";
    if (std::string e = MakeDir(fresh / "conf.d"); !e.empty()) return e;
    fs::rename(key, fresh / "server.key", ec);
    if (!ec) fs::rename(crt, fresh / "server.crt", ec);
    if (ec) return "could not move the TLS certificate into the new cluster: " + ec.message();
    fs::rename(fresh, server.data, ec);
    return ec ? "could not move the new cluster into place: " + ec.message() : std::string();
}

std::string LocalTarget::MakeCertificate(const fs::path& key, const fs::path& crt) const {
    if (fs::exists(crt) && fs::exists(key)) return {};
    // A self-signed certificate, as the cloud bootstraps make: encryption at once; a P-256 key because
    // it takes milliseconds where RSA 3072 takes a second (deploy time counts).
    const ProcessResult r = Run({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                                 "ec_paramgen_curve:prime256v1", "-nodes", "-days", "3650", "-subj", "/CN=localhost",
                                 "-keyout", key.string(), "-out", crt.string()},
                                as_);
    if (!r.ok()) return r.Describe("openssl");
    ::chmod(key.c_str(), 0600);
    return {};
}

bool LocalTarget::IsRunning(const std::string& bin, const fs::path& data) const {
    (void)bin;
    // What `pg_ctl status` decides (the pid file's first line names a live process), without starting a
    // program for it: this is asked before every start and on every failed health check.
    std::ifstream in(data / "postmaster.pid");
    long pid = 0;
    if (!(in >> pid) || pid <= 0) return false;
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

std::string LocalTarget::Start(const std::string& bin, const Server& server) const {
    if (IsRunning(bin, server.data)) return {};
    std::error_code ec;
    const std::uintmax_t log_before = fs::exists(server.log) ? fs::file_size(server.log, ec) : 0;
    const ProcessResult r =
        Run({bin + "/pg_ctl", "start", "-D", server.data.string(), "-l", server.log.string(), "-w", "-t", "60"}, as_);
    if (r.ok()) return {};
    // pg_ctl only says "could not start server"; the reason (port in use, bad setting) is in the log.
    // The log's first "could not ..." (the cause, e.g. the port in use) and its last FATAL (the effect).
    std::string cause;
    std::string fatal;
    std::istringstream log(ReadFile(server.log).substr(std::min<std::uintmax_t>(log_before, fs::file_size(server.log, ec))));
    for (std::string line; std::getline(log, line);) {
        const std::size_t at = line.find(":  ");
        const std::string message = at == std::string::npos ? line : line.substr(at + 3);
        if (line.find("FATAL:") != std::string::npos) {
            fatal = message;
        } else if (cause.empty() && (line.find("could not") != std::string::npos || line.find("ERROR:") != std::string::npos)) {
            cause = message;
        }
    }
    const std::string reason = cause.empty() ? fatal : fatal.empty() ? cause : cause + " (" + fatal + ")";
    return server.name + " did not start on port " + std::to_string(server.port) + ": " +
           (reason.empty() ? r.Describe("pg_ctl start") : reason);
}

std::string LocalTarget::Stop(const std::string& bin, const fs::path& data) const {
    if (!fs::exists(data / "postmaster.pid")) return {};
    ProcessResult r = Run({bin + "/pg_ctl", "stop", "-D", data.string(), "-m", "fast", "-w", "-t", "30"}, as_);
    if (!r.ok()) r = Run({bin + "/pg_ctl", "stop", "-D", data.string(), "-m", "immediate", "-w", "-t", "30"}, as_);
    if (!r.ok() && IsRunning(bin, data)) return r.Describe("pg_ctl stop");
    return {};
}

std::string LocalTarget::Restart(const std::string& bin, const Server& server) const {
    const ProcessResult r = Run({bin + "/pg_ctl", "restart", "-D", server.data.string(), "-l", server.log.string(),
                                 "-m", "fast", "-w", "-t", "60"},
                                as_);
    return r.ok() ? std::string() : Start(bin, server);  // Start explains from the log why it is down
}

PgParams LocalTarget::Superuser(int port, const Secrets& secrets, const std::string& db) const {
    PgParams p;
    p.port = port;
    p.dbname = db;
    p.user = "postgres";
    p.password = SuperuserPassword(secrets);
    return p;
}

PgParams LocalTarget::AppUser(int port, const Secrets& secrets) const {
    PgParams p;
    p.port = port;
    p.dbname = kAppDatabase;
    p.user = kAppUser;
    p.password = secrets.db_password;
    return p;
}

std::string LocalTarget::ApplyConfig(StepContext& ctx, const std::string& bin, const Server& server,
                                     const plan::ServerConfig& config) {
    const fs::path conf_file = server.data / "conf.d" / "cloudsketch.conf";
    const std::map<std::string, std::string> before = ParseConf(ReadFile(conf_file));
    const std::string hba_before = ReadFile(server.data / "pg_hba.conf");
    const std::string conf_text = plan::RenderServerConf(config);
    const std::string hba_text = HbaText(config);
    const std::string local_text =
        "# Local target: the server's unix socket lives in its data folder (not /var/run/postgresql)\n"
        "unix_socket_directories = '" + server.data.string() + "'\n";
    if (std::string e = MakeDir(server.data / "conf.d"); !e.empty()) return e;
    if (std::string e = WriteFile(conf_file, conf_text); !e.empty()) return e;
    if (std::string e = WriteFile(server.data / "conf.d" / "local.conf", local_text); !e.empty()) return e;
    if (std::string e = WriteFile(server.data / "pg_hba.conf", hba_text); !e.empty()) return e;

    if (!IsRunning(bin, server.data)) {
        if (std::string e = Start(bin, server); !e.empty()) return e;
        ctx.event("info", server.name + " started on 127.0.0.1:" + std::to_string(server.port));
        return {};
    }
    // Running: compare what was written before with what is written now.
    std::vector<std::string> reloads;
    std::vector<std::string> restarts;
    std::map<std::string, std::string> after;
    for (const plan::ConfigSetting& s : config.settings) after[s.name] = s.value;
    for (const plan::ConfigSetting& s : config.settings) {
        const auto old = before.find(s.name);
        const std::string old_value = old == before.end() ? "(default)" : old->second;
        if (old != before.end() && old->second == s.value) continue;
        (s.needs_restart ? restarts : reloads).push_back(s.name + " " + old_value + " -> " + s.value);
    }
    for (const auto& [name, value] : before) {
        if (!after.count(name)) reloads.push_back(name + " " + value + " -> (default)");
    }
    const bool hba_changed = hba_before != hba_text;
    if (restarts.empty() && reloads.empty() && !hba_changed) {
        ctx.event("info", server.name + ": configuration unchanged");
        return {};
    }
    // Ask the server too: a parameter our table calls reloadable may still be pending a restart.
    if (restarts.empty()) {
        const ProcessResult r = Run({bin + "/pg_ctl", "reload", "-D", server.data.string()}, as_);
        if (!r.ok()) return r.Describe("pg_ctl reload");
        PgConnection db(Superuser(server.port, ctx.secrets));
        for (int i = 0; i < 20; ++i) {  // the postmaster applies a reload asynchronously
            const PgRows pending = db.Exec("SELECT string_agg(name, ', ') FROM pg_settings WHERE pending_restart");
            if (pending.ok && pending.Value().empty()) break;
            if (pending.ok && i == 19) restarts.push_back(pending.Value() + " (the server says: pending restart)");
            usleep(100 * 1000);
        }
    }
    auto join = [](const std::vector<std::string>& items) {
        std::string out;
        for (const std::string& s : items) out += (out.empty() ? "" : "; ") + s;
        return out;
    };
    if (!reloads.empty()) ctx.event("info", server.name + ": reload applies " + join(reloads));
    if (hba_changed) ctx.event("info", server.name + ": pg_hba.conf changed (reload)");
    if (!restarts.empty()) {
        ctx.event("info", server.name + ": restart needed for " + join(restarts));
        if (std::string e = Restart(bin, server); !e.empty()) return e;
        ctx.event("info", server.name + " restarted");
    }
    return {};
}

}  // namespace gw::deploy::local
