// Plan-aware PostgreSQL configuration on top of PGTune. PGTune answers "how big"; this file answers
// "what does this plan need": its port and networks, TLS, SCRAM passwords, streaming replicas and WAL
// archiving for backups, and checks that the memory PGTune hands out can fit in the VM.
#include "plan/server_config.hpp"

#include <algorithm>
#include <set>

namespace plan {
namespace {

// Parameters whose context is "postmaster" in pg_settings: a change needs a restart.
const std::set<std::string, std::less<>> kRestartParameters{
    "max_connections", "shared_buffers", "huge_pages", "wal_buffers", "max_worker_processes",
    "io_method",       "io_workers",     "wal_level",  "max_wal_senders", "max_replication_slots",
    "hot_standby",     "archive_mode",   "listen_addresses", "port",  "autovacuum_max_workers"};

// Why PGTune picked each value, in a person's words. Keys are PGTune's parameter names.
std::string PgtuneReason(std::string_view name) {
    static const std::vector<std::pair<std::string_view, std::string_view>> kReasons{
        {"max_connections", "the plan's connection limit (PGTune's default for the workload when not set)"},
        {"shared_buffers", "PGTune: a quarter of RAM (a sixteenth for desktop) for PostgreSQL's own cache"},
        {"effective_cache_size", "PGTune: the memory the OS page cache will likely give PostgreSQL (3/4 of RAM)"},
        {"maintenance_work_mem", "PGTune: memory for VACUUM and index builds (RAM/16, RAM/8 for dw; capped)"},
        {"checkpoint_completion_target", "PGTune: spread checkpoint writes over 90% of the interval"},
        {"wal_buffers", "PGTune: 3% of shared_buffers, capped at 16MB (one WAL segment)"},
        {"default_statistics_target", "PGTune: planner statistics detail for the workload"},
        {"random_page_cost", "PGTune: cost of a random read for the storage type (SSD reads are cheap)"},
        {"effective_io_concurrency", "PGTune: concurrent I/O requests the storage handles well"},
        {"work_mem", "PGTune: memory per sort or hash, so that all connections together fit in RAM"},
        {"huge_pages", "PGTune: use huge pages when shared_buffers is large enough to benefit"},
        {"jit", "PGTune: JIT compilation pays off only for long analytical queries"},
        {"wal_compression", "PGTune: compress full-page images in WAL to cut write volume"},
        {"autovacuum_max_workers", "PGTune: autovacuum workers for the CPU count"},
        {"autovacuum_work_mem", "PGTune: memory per autovacuum worker"},
        {"io_method", "PGTune: asynchronous I/O method (PostgreSQL 18)"},
        {"io_workers", "PGTune: I/O worker processes for the CPU count"},
        {"min_wal_size", "PGTune: WAL kept for reuse, sized for the workload"},
        {"max_wal_size", "PGTune: WAL between checkpoints, sized for the workload"},
        {"max_worker_processes", "PGTune: background workers, one per CPU"},
        {"max_parallel_workers_per_gather", "PGTune: parallel workers per query, half the CPUs (capped at 4)"},
        {"max_parallel_workers", "PGTune: parallel workers in total, one per CPU"},
        {"max_parallel_maintenance_workers", "PGTune: parallel workers for index builds"},
        {"wal_level", "PGTune: minimal WAL for a desktop database nobody replicates"},
        {"max_wal_senders", "PGTune: no WAL senders with minimal WAL"},
    };
    for (const auto& [key, reason] : kReasons) {
        if (key == name) return std::string(reason);
    }
    return "PGTune's recommendation";
}

tune::DbType ToDbType(Workload w) {
    switch (w) {
        case Workload::Web: return tune::DbType::Web;
        case Workload::Oltp: return tune::DbType::Oltp;
        case Workload::Dw: return tune::DbType::Dw;
        case Workload::Desktop: return tune::DbType::Desktop;
        case Workload::Mixed: return tune::DbType::Mixed;
    }
    return tune::DbType::Web;
}

// PGTune's form takes whole MB or GB; keep GB when it is exact so the header reads as a person typed it.
tune::Memory ToPgtuneMemory(std::int64_t memory_kb) {
    constexpr std::int64_t kKbPerGb = 1024 * 1024;
    if (memory_kb % kKbPerGb == 0) return {memory_kb / kKbPerGb, tune::MemoryUnit::GB};
    return {memory_kb / 1024, tune::MemoryUnit::MB};
}

std::string Quoted(std::string_view text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') out += '\'';  // postgresql.conf doubles a quote inside a quoted string
        out += c;
    }
    return out + "'";
}

void Set(ServerConfig& config, std::string name, std::string value, std::string reason) {
    const bool restart = kRestartParameters.count(name) > 0;
    for (ConfigSetting& s : config.settings) {
        if (s.name == name) {
            s.value = std::move(value);
            s.reason = std::move(reason);
            return;
        }
    }
    config.settings.push_back({std::move(name), std::move(value), std::move(reason), restart});
}

// One pg_hba.conf line in aligned columns, as PostgreSQL's sample file lays them out.
std::string HbaRule(std::string_view type, std::string_view database, std::string_view user,
                    std::string_view address, std::string_view method) {
    std::string line;
    for (auto [field, width] : {std::pair{type, 8}, {database, 16}, {user, 16}, {address, 24}}) {
        line += field;
        line += std::string(field.size() < std::size_t(width) ? width - field.size() : 1, ' ');
    }
    return line + std::string(method);
}

std::string GiB(std::int64_t kb) {
    // One decimal, computed in integers so both builds print the same digits.
    const std::int64_t tenths = (kb * 10 + 512 * 1024) / (1024 * 1024);
    return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " GiB";
}

void CheckMemoryFits(ServerConfig& config, const std::string& path, const HostFacts& host) {
    const ConfigSetting* shared = FindConfigSetting(config, "shared_buffers");
    const ConfigSetting* work = FindConfigSetting(config, "work_mem");
    if (shared == nullptr || work == nullptr) return;
    const auto kb_of = [](const ConfigSetting& s) {
        const auto parsed = tune::ParseMemory(s.value);
        return parsed ? tune::MemoryKb(*parsed) : 0;
    };
    const std::int64_t shared_kb = kb_of(*shared);
    const std::int64_t work_kb = kb_of(*work);
    const std::int64_t connections = config.tune_input.connection_num.value_or(100);
    const std::int64_t needed_kb = shared_kb + connections * work_kb;
    if (needed_kb <= host.memory_kb) return;
    const std::int64_t fitting = work_kb > 0 ? std::max<std::int64_t>(0, (host.memory_kb - shared_kb) / work_kb) : 0;
    config.warnings.push_back(
        {Severity::Warning, path + "/max_connections", "memory.overcommitted",
         "shared_buffers (" + shared->value + ") plus " + std::to_string(connections) + " connections x work_mem (" +
             work->value + ") needs " + GiB(needed_kb) + " but the VM has " + GiB(host.memory_kb) +
             "; lower max_connections to " + std::to_string(fitting) + " or less, or choose a VM with at least " +
             GiB(needed_kb) + " of RAM."});
}

}  // namespace

const ConfigSetting* FindConfigSetting(const ServerConfig& config, std::string_view name) {
    for (const ConfigSetting& s : config.settings) {
        if (s.name == name) return &s;
    }
    return nullptr;
}

ServerConfig BuildServerConfig(const Plan& plan, std::size_t component_index, const HostFacts& host,
                               const ServerTarget& target) {
    const Component& component = plan.components.at(component_index);
    const PostgresSpec& pg = std::get<PostgresSpec>(component.spec);
    const std::string path = "/components/" + std::to_string(component_index);

    ServerConfig config;
    tune::TuneInput& in = config.tune_input;
    in.db_version = std::stoi(pg.version);
    in.os_type = tune::OsType::Linux;
    in.db_type = ToDbType(pg.workload);
    in.total_memory = ToPgtuneMemory(host.memory_kb);
    if (host.vcpus > 0) in.cpu_num = host.vcpus;
    in.connection_num = pg.max_connections;
    in.hd_type = host.disk == DiskType::Ssd ? tune::StorageType::Ssd : tune::StorageType::Hdd;

    for (const tune::Setting& s : tune::Tune(in).settings) {
        Set(config, s.name, s.value, PgtuneReason(s.name));
    }

    Set(config, "listen_addresses", Quoted(target.listen_addresses),
        target.listen_addresses == "*" ? "accept connections on the VM's interfaces; the firewall admits only the "
                                         "plan's allowed ranges"
                                       : "listen only where this target's clients are");
    Set(config, "port", std::to_string(pg.port), "the plan's port");
    Set(config, "password_encryption", Quoted("scram-sha-256"), "store passwords as SCRAM verifiers, never MD5");
    Set(config, "ssl", "on", "encrypt client connections (TLS)");
    Set(config, "ssl_cert_file", Quoted(target.ssl_cert_file), "the server's TLS certificate");
    Set(config, "ssl_key_file", Quoted(target.ssl_key_file), "the server's TLS private key");
    Set(config, "ssl_min_protocol_version", Quoted("TLSv1.2"), "refuse outdated TLS versions");

    const bool replicas = pg.topology == Topology::PrimaryReplicas && pg.replicas > 0;
    const bool backups = pg.backups.enabled;
    const bool archiving = backups && !target.archive_command.empty();
    if (replicas || archiving) {
        // PGTune's desktop profile turns WAL down to minimal, which can neither replicate nor archive.
        Set(config, "wal_level", "replica",
            replicas ? "streaming replicas need replica-level WAL" : "WAL archiving for backups needs replica-level WAL");
    } else if (backups && FindConfigSetting(config, "wal_level") &&
               FindConfigSetting(config, "wal_level")->value == "minimal") {
        // pg_basebackup refuses a server with minimal WAL, and every backup (the local target's, GCP's timer)
        // is a base backup, whether or not the target also archives WAL. Other workloads keep the default.
        Set(config, "wal_level", "replica", "base backups (pg_basebackup) need replica-level WAL");
    }
    if (replicas) {
        const std::string senders = std::to_string(pg.replicas + 2);
        Set(config, "max_wal_senders", senders,
            "one WAL sender per replica, plus two spare for base backups and a reconnecting replica");
        Set(config, "max_replication_slots", senders, "one slot per replica so the primary keeps the WAL it needs");
        Set(config, "hot_standby", "on", "replicas answer read-only queries");
        Set(config, "hot_standby_feedback", "on", "replicas tell the primary which rows their queries still read");
    } else if (backups && FindConfigSetting(config, "max_wal_senders") &&
               std::stoi(FindConfigSetting(config, "max_wal_senders")->value) < 2) {
        // A base backup streams its WAL through a second connection beside the one copying files.
        Set(config, "max_wal_senders", "2", "base backups stream WAL through a sender");
    }
    if (archiving) {
        Set(config, "archive_mode", "on", "backups keep every WAL segment so a restore can reach any point in time");
        Set(config, "archive_command", Quoted(target.archive_command), "copies each finished WAL segment to the backup store");
        Set(config, "archive_timeout", "300", "archive at least every 5 minutes, so a quiet database loses at most 5 minutes");
    }

    // First match wins: the local superuser by peer, everyone else by SCRAM, remote clients over TLS only.
    config.hba_rules = {
        HbaRule("local", "all", "postgres", "", "peer"),
        HbaRule("local", "all", "all", "", "scram-sha-256"),
        HbaRule("host", "all", "all", "127.0.0.1/32", "scram-sha-256"),
        HbaRule("host", "all", "all", "::1/128", "scram-sha-256"),
    };
    if (pg.backups.enabled) {
        // The backup timer runs pg_basebackup as postgres over the socket, and "all" never matches a
        // replication connection: without this rule every scheduled base backup is refused.
        config.hba_rules.insert(config.hba_rules.begin() + 1, HbaRule("local", "replication", "postgres", "", "peer"));
    }
    if (replicas) {
        for (const std::string& cidr : target.replication_cidrs) {
            config.hba_rules.push_back(HbaRule("hostssl", "replication", "replicator", cidr, "scram-sha-256"));
        }
    }
    std::vector<std::string> client_ranges = pg.allowed_cidrs;
    if (pg.publicly_accessible && client_ranges.empty()) client_ranges = {"0.0.0.0/0", "::/0"};
    for (const std::string& cidr : client_ranges) {
        config.hba_rules.push_back(HbaRule("hostssl", "all", "all", cidr, "scram-sha-256"));
    }

    CheckMemoryFits(config, path, host);
    return config;
}

std::string RenderServerConf(const ServerConfig& config) {
    std::string out = "# Written by CloudSketch. PGTune's values for the host, then the plan's own settings.\n";
    for (const ConfigSetting& s : config.settings) {
        out += "\n# " + s.reason + (s.needs_restart ? " (restart to change)" : "") + "\n";
        out += s.name + " = " + s.value + "\n";
    }
    return out;
}

std::string RenderHba(const ServerConfig& config) {
    std::string out = "# Written by CloudSketch. TYPE  DATABASE  USER  ADDRESS  METHOD; first match wins.\n";
    for (const std::string& rule : config.hba_rules) out += rule + "\n";
    return out;
}

}  // namespace plan
