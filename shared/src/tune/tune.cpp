// PGTune's rules, one function per parameter, in the order PGTune prints them. Each mirrors one
// selector of le0pard/pgtune's src/features/configuration/configurationSlice.js (newest stored
// revision); docs/tuning.md has the formulas with worked examples.
//
// Arithmetic: PGTune runs in JavaScript, where every number is an IEEE-754 double. All memory
// values here stay below 2^53 kB, so integer kB arithmetic gives the same results as JS's doubles
// wherever PGTune divides by 4, 8, 16 or 100 and floors. Only work_mem divides by a non-power of two
// and scales by 1.3 / 0.9, so that one formula is computed in double, step for step as PGTune does.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>

#include "plan/tune.hpp"

namespace plan::tune {
namespace {

constexpr std::int64_t kKbPerMb = 1024;
constexpr std::int64_t kKbPerGb = 1024 * 1024;

// JavaScript truthiness of PGTune's optional numeric inputs: 0 and "absent" both mean "not given".
std::optional<std::int64_t> Given(const std::optional<std::int64_t>& value) {
    if (value && *value != 0) return value;
    return std::nullopt;
}

// Windows builds up to PostgreSQL 17 reject memory settings of 2GB or more.
bool HasWindowsMemoryLimit(const TuneInput& in) { return in.os_type == OsType::Windows && in.db_version <= 17; }
constexpr std::int64_t kWindowsLimitKb = 2 * kKbPerGb - 1 * kKbPerMb;  // 2047MB

std::int64_t MaxConnections(const TuneInput& in) {
    if (auto given = Given(in.connection_num)) return *given;
    switch (in.db_type) {
        case DbType::Web: return 200;
        case DbType::Oltp: return 300;
        case DbType::Dw: return 40;
        case DbType::Desktop: return 20;
        case DbType::Mixed: return 100;
    }
    return 100;
}

std::int64_t SharedBuffersKb(const TuneInput& in, std::int64_t total_kb) {
    // PGTune also caps Windows at 512MB for versions below 10; every version it offers is >= 10.
    std::int64_t value = in.db_type == DbType::Desktop ? total_kb / 16 : total_kb / 4;
    if (in.db_version < 10 && in.os_type == OsType::Windows && value > 512 * kKbPerMb) value = 512 * kKbPerMb;
    return value;
}

std::string HugePages(const TuneInput& in, std::int64_t shared_buffers_kb) {
    if (in.os_type == OsType::Mac) return "off";  // PostgreSQL has no huge pages on macOS
    return shared_buffers_kb >= 2 * kKbPerGb ? "try" : "off";
}

std::int64_t EffectiveCacheSizeKb(const TuneInput& in, std::int64_t total_kb) {
    return in.db_type == DbType::Desktop ? total_kb / 4 : total_kb * 3 / 4;
}

std::int64_t MaintenanceWorkMemKb(const TuneInput& in, std::int64_t total_kb) {
    std::int64_t value = in.db_type == DbType::Dw ? total_kb / 8 : total_kb / 16;
    const std::int64_t limit = HasWindowsMemoryLimit(in) ? 2 * kKbPerGb : 8 * kKbPerGb;
    if (value >= limit) value = HasWindowsMemoryLimit(in) ? limit - kKbPerMb : limit;
    return value;
}

std::int64_t MinWalSizeKb(DbType type) {
    switch (type) {
        case DbType::Web: return 1024 * kKbPerMb;
        case DbType::Oltp: return 2048 * kKbPerMb;
        case DbType::Dw: return 4096 * kKbPerMb;
        case DbType::Desktop: return 100 * kKbPerMb;
        case DbType::Mixed: return 1024 * kKbPerMb;
    }
    return 1024 * kKbPerMb;
}

std::int64_t MaxWalSizeKb(DbType type) {
    switch (type) {
        case DbType::Web: return 4096 * kKbPerMb;
        case DbType::Oltp: return 8192 * kKbPerMb;
        case DbType::Dw: return 16384 * kKbPerMb;
        case DbType::Desktop: return 2048 * kKbPerMb;
        case DbType::Mixed: return 4096 * kKbPerMb;
    }
    return 4096 * kKbPerMb;
}

// PostgreSQL's own auto-tuning (9.1+): 3% of shared_buffers, at most 16MB, rounded up to 16MB when
// above 14MB, at least 32kB.
std::int64_t WalBuffersKb(std::int64_t shared_buffers_kb) {
    std::int64_t value = 3 * shared_buffers_kb / 100;
    const std::int64_t max = 16 * kKbPerMb;
    if (value > max) value = max;
    if (value > 14 * kKbPerMb && value < max) value = max;
    if (value < 32) value = 32;
    return value;
}

int DefaultStatisticsTarget(DbType type) { return type == DbType::Dw ? 500 : 100; }

// A database that fits in RAM is read from the page cache, so the disk type stops mattering; a data
// warehouse larger than RAM keeps PostgreSQL's default 4 so the planner does not favour index scans.
double RandomPageCost(const TuneInput& in) {
    if (in.db_size == DbSize::LessRam) return 1.1;
    if (in.hd_type == StorageType::Hdd) return 4;
    if (in.db_type == DbType::Dw) return 4;
    return 1.1;
}

std::optional<int> EffectiveIoConcurrency(const TuneInput& in) {
    if (in.os_type != OsType::Linux) return std::nullopt;  // only Linux has posix_fadvise prefetching
    switch (in.hd_type) {
        case StorageType::Hdd: return 2;
        case StorageType::Ssd: return 200;
        case StorageType::San: return 300;
        case StorageType::Nvme: return 1000;
    }
    return std::nullopt;
}

struct Parallel {
    std::int64_t max_worker_processes = 0;
    std::int64_t max_parallel_workers_per_gather = 0;
    std::optional<std::int64_t> max_parallel_workers;              // PostgreSQL >= 10
    std::optional<std::int64_t> max_parallel_maintenance_workers;  // PostgreSQL >= 11
};

std::int64_t CeilHalf(std::int64_t n) { return n / 2 + n % 2; }

std::optional<Parallel> ParallelSettings(const TuneInput& in) {
    const auto cpus = Given(in.cpu_num);
    if (!cpus || *cpus < 4) return std::nullopt;
    Parallel p;
    p.max_worker_processes = *cpus;
    p.max_parallel_workers_per_gather = CeilHalf(*cpus);
    // PGTune: no clear evidence that more than 4 workers per gather help anything but analytics.
    if (in.db_type != DbType::Dw && p.max_parallel_workers_per_gather > 4) p.max_parallel_workers_per_gather = 4;
    if (in.db_version >= 10) p.max_parallel_workers = *cpus;
    if (in.db_version >= 11) p.max_parallel_maintenance_workers = std::min<std::int64_t>(CeilHalf(*cpus), 4);
    return p;
}

// (RAM - shared_buffers) / ((max_connections + max_worker_processes) * 3): each connection may use
// work_mem several times per query, and the rest is headroom against the OOM killer.
std::int64_t WorkMemKb(const TuneInput& in, std::int64_t total_kb, std::int64_t shared_buffers_kb,
                       std::int64_t max_connections, const std::optional<Parallel>& parallel) {
    // PostgreSQL's default max_worker_processes (8) when PGTune does not set it.
    const std::int64_t workers = parallel && parallel->max_worker_processes > 0 ? parallel->max_worker_processes : 8;
    const double value = double(total_kb - shared_buffers_kb) / double((max_connections + workers) * 3);
    double result = 0;
    switch (in.db_type) {
        case DbType::Web:
        case DbType::Oltp: result = std::floor(value); break;
        case DbType::Dw:
        case DbType::Mixed: result = std::floor(value / 2); break;
        case DbType::Desktop: result = std::floor(value / 6); break;
    }
    if (in.db_size == DbSize::LessRam) {
        result = std::floor(result * 1.3);  // the page cache has room to spare: bigger sorts/hashes
    } else if (in.db_size == DbSize::GreaterRam) {
        result = std::floor(result * 0.9);  // the page cache is under pressure: keep a wider margin
    }
    auto kb = std::int64_t(result);
    if (kb < 4 * kKbPerMb) kb = 4 * kKbPerMb;  // below 4MB even simple sorts spill to disk
    if (HasWindowsMemoryLimit(in) && kb > kWindowsLimitKb) kb = kWindowsLimitKb;
    return kb;
}

// JIT mostly costs planning time and CPU spikes on short queries; left at the default for
// analytical (dw) and desktop use.
std::optional<std::string> Jit(const TuneInput& in) {
    const bool short_queries = in.db_type == DbType::Web || in.db_type == DbType::Oltp || in.db_type == DbType::Mixed;
    if (in.db_version >= 12 && short_queries) return "off";
    return std::nullopt;
}

std::optional<std::string> WalCompression(const TuneInput& in) {
    if (in.db_version >= 15) return "lz4";  // PostgreSQL 15 added lz4, much cheaper than pglz
    if (in.db_version >= 10) return "on";
    return std::nullopt;
}

std::optional<int> AutovacuumMaxWorkers(const TuneInput& in) {
    const auto cpus = Given(in.cpu_num);
    if (!cpus) return std::nullopt;
    if (*cpus >= 32) return 5;
    if (*cpus >= 16) return 4;
    return std::nullopt;  // PostgreSQL's default 3
}

// maintenance_work_mem may reach 8GB; 3-5 autovacuum workers each taking that much risks OOM, so
// autovacuum gets at most 2GB per worker.
std::optional<std::int64_t> AutovacuumWorkMemKb(const TuneInput& in, std::int64_t maintenance_work_mem_kb) {
    std::optional<std::int64_t> value;
    if (maintenance_work_mem_kb >= 2 * kKbPerGb) value = 2 * kKbPerGb;
    if (value && HasWindowsMemoryLimit(in) && *value > kWindowsLimitKb) value = kWindowsLimitKb;
    return value;
}

// PostgreSQL 18's asynchronous I/O: io_uring on Linux (needs --with-liburing), worker elsewhere.
std::optional<std::string> IoMethod(const TuneInput& in) {
    if (in.db_version < 18) return std::nullopt;
    return in.os_type == OsType::Linux ? "io_uring" : "worker";
}

// About a quarter of the CPUs, at most PostgreSQL's maximum 32; set only when above the default 3. Only
// io_method = worker uses io workers, so with io_uring the setting would be noise (PGTune 830d3bb, its #142).
std::optional<std::int64_t> IoWorkers(const TuneInput& in, const std::optional<std::string>& io_method) {
    const auto cpus = Given(in.cpu_num);
    if (in.db_version < 18 || !cpus || io_method == "io_uring") return std::nullopt;
    const std::int64_t value = std::min<std::int64_t>(32, std::max<std::int64_t>(3, *cpus / 4));
    if (value > 3) return value;
    return std::nullopt;
}

std::vector<std::string> Warnings(const TuneInput& in, std::int64_t total_kb, const std::optional<std::string>& wal_compression,
                                  const std::optional<std::string>& io_method) {
    std::vector<std::string> lines;
    auto group = [&lines](std::initializer_list<std::string> group_lines) {
        if (!lines.empty()) lines.emplace_back();  // PGTune separates groups with an empty comment line
        lines.insert(lines.end(), group_lines);
    };
    if (total_kb < 256 * kKbPerMb) {
        group({"this tool not being optimal", "for low memory systems"});
    } else if (total_kb > 100 * kKbPerGb) {
        group({"this tool not being optimal", "for very high memory systems"});
    }
    if (wal_compression == "lz4") group({"wal_compression = lz4 requires PostgreSQL", "to be compiled with --with-lz4"});
    if (io_method == "io_uring") {
        group({"io_method = io_uring requires PostgreSQL", "to be compiled with --with-liburing"});
    }
    if (in.db_type == DbType::Dw && in.hd_type != StorageType::Hdd && in.db_size != DbSize::LessRam) {
        std::string drive = in.hd_type == StorageType::Ssd ? "SSDs" : in.hd_type == StorageType::Nvme ? "NVMe drives" : "SAN storage";
        group({"Cost parameters for Data Warehouses on " + drive + " are left at defaults",
               "to avoid catastrophic index scan selections",
               "Monitor query planner behavior and adjust random_page_cost if necessary"});
    }
    if (!lines.empty()) lines.insert(lines.begin(), "WARNING");
    return lines;
}

void AddKb(std::vector<Setting>& out, const char* name, std::int64_t kb) { out.push_back({name, FormatKb(kb), kb, std::nullopt}); }

void AddNumber(std::vector<Setting>& out, const char* name, double number, std::string text) {
    out.push_back({name, std::move(text), std::nullopt, number});
}

void AddCount(std::vector<Setting>& out, const char* name, std::int64_t count) {
    AddNumber(out, name, double(count), std::to_string(count));
}

void AddText(std::vector<Setting>& out, const char* name, std::string text) {
    out.push_back({name, std::move(text), std::nullopt, std::nullopt});
}

}  // namespace

TuneResult Tune(const TuneInput& in) {
    const std::int64_t total_kb = MemoryKb(in.total_memory);
    const std::int64_t max_connections = MaxConnections(in);
    const std::int64_t shared_buffers = SharedBuffersKb(in, total_kb);
    const std::int64_t maintenance_work_mem = MaintenanceWorkMemKb(in, total_kb);
    const auto parallel = ParallelSettings(in);
    const auto wal_compression = WalCompression(in);
    const auto io_method = IoMethod(in);

    TuneResult result;
    auto& out = result.settings;
    AddCount(out, "max_connections", max_connections);
    AddKb(out, "shared_buffers", shared_buffers);
    AddKb(out, "effective_cache_size", EffectiveCacheSizeKb(in, total_kb));
    AddKb(out, "maintenance_work_mem", maintenance_work_mem);
    AddNumber(out, "checkpoint_completion_target", 0.9, "0.9");  // PostgreSQL 14's default (commit bbcc4eb2)
    AddKb(out, "wal_buffers", WalBuffersKb(shared_buffers));
    AddCount(out, "default_statistics_target", DefaultStatisticsTarget(in.db_type));
    const double random_page_cost = RandomPageCost(in);
    AddNumber(out, "random_page_cost", random_page_cost, random_page_cost == 4 ? "4" : "1.1");
    if (auto eio = EffectiveIoConcurrency(in)) AddCount(out, "effective_io_concurrency", *eio);
    AddKb(out, "work_mem", WorkMemKb(in, total_kb, shared_buffers, max_connections, parallel));
    AddText(out, "huge_pages", HugePages(in, shared_buffers));
    if (auto jit = Jit(in)) AddText(out, "jit", *jit);
    if (wal_compression) AddText(out, "wal_compression", *wal_compression);
    if (auto workers = AutovacuumMaxWorkers(in)) AddCount(out, "autovacuum_max_workers", *workers);
    if (auto kb = AutovacuumWorkMemKb(in, maintenance_work_mem)) AddKb(out, "autovacuum_work_mem", *kb);
    if (io_method) AddText(out, "io_method", *io_method);
    if (auto workers = IoWorkers(in, io_method)) AddCount(out, "io_workers", *workers);
    AddKb(out, "min_wal_size", MinWalSizeKb(in.db_type));
    AddKb(out, "max_wal_size", MaxWalSizeKb(in.db_type));
    if (parallel) {
        AddCount(out, "max_worker_processes", parallel->max_worker_processes);
        AddCount(out, "max_parallel_workers_per_gather", parallel->max_parallel_workers_per_gather);
        if (parallel->max_parallel_workers) AddCount(out, "max_parallel_workers", *parallel->max_parallel_workers);
        if (parallel->max_parallel_maintenance_workers) {
            AddCount(out, "max_parallel_maintenance_workers", *parallel->max_parallel_maintenance_workers);
        }
    }
    if (in.db_type == DbType::Desktop) {
        AddText(out, "wal_level", "minimal");
        AddCount(out, "max_wal_senders", 0);  // required to be 0 with wal_level = minimal
    }
    result.warnings = Warnings(in, total_kb, wal_compression, io_method);
    return result;
}

const Setting* FindSetting(const TuneResult& result, std::string_view name) {
    for (const Setting& s : result.settings) {
        if (s.name == name) return &s;
    }
    return nullptr;
}

}  // namespace plan::tune
