// plan::tune against PGTune's own unit tests (le0pard/pgtune, src/features/configuration/__tests__/
// configurationSlice.test.js, newest stored revision), one TEST per PGTune `describe`, plus the
// output text; tune_inputs_test.cpp covers validation, parsing and the memory format. Where
// PGTune's newest rules changed an expectation of that test file, the case says so.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "plan/tune.hpp"
#include "tune_test_util.hpp"

namespace {

using namespace plan::tune;

using tune_test::Gb;
using tune_test::Input;
using tune_test::Mb;

// The printed value of `name`, or "<absent>".
std::string Value(const TuneInput& in, const std::string& name) {
    const TuneResult result = Tune(in);
    const Setting* s = FindSetting(result, name);
    return s ? s->value : "<absent>";
}

std::int64_t Kb(const TuneInput& in, const std::string& name) {
    const TuneResult result = Tune(in);
    const Setting* s = FindSetting(result, name);
    EXPECT_TRUE(s && s->kb) << name << " is not a memory setting here";
    return s && s->kb ? *s->kb : -1;
}

TEST(Tune, MaxConnectionsDefaultsPerWorkload) {
    const std::pair<DbType, const char*> cases[] = {
        {DbType::Web, "200"}, {DbType::Oltp, "300"}, {DbType::Dw, "40"}, {DbType::Desktop, "20"}, {DbType::Mixed, "100"}};
    for (auto [type, want] : cases) {
        EXPECT_EQ(Value(Input(18, OsType::Linux, type, Gb(8)), "max_connections"), want) << ToString(type);
    }
    TuneInput given = Input(18, OsType::Linux, DbType::Dw, Gb(8));
    given.connection_num = 250;
    EXPECT_EQ(Value(given, "max_connections"), "250");
}

TEST(Tune, DefaultStatisticsTarget) {
    EXPECT_EQ(Value(Input(18, OsType::Linux, DbType::Web, Gb(8)), "default_statistics_target"), "100");
    EXPECT_EQ(Value(Input(18, OsType::Linux, DbType::Oltp, Gb(8)), "default_statistics_target"), "100");
    EXPECT_EQ(Value(Input(18, OsType::Linux, DbType::Dw, Gb(8)), "default_statistics_target"), "500");
    EXPECT_EQ(Value(Input(18, OsType::Linux, DbType::Desktop, Gb(8)), "default_statistics_target"), "100");
    EXPECT_EQ(Value(Input(18, OsType::Linux, DbType::Mixed, Gb(8)), "default_statistics_target"), "100");
}

TEST(Tune, RandomPageCostByStorage) {
    // PGTune's test: hdd 4, ssd/san/nvme 1.1 (web workload, database size at PGTune's default).
    TuneInput in = Input(18, OsType::Linux, DbType::Web, Gb(8));
    const std::pair<StorageType, const char*> cases[] = {
        {StorageType::Hdd, "4"}, {StorageType::Ssd, "1.1"}, {StorageType::San, "1.1"}, {StorageType::Nvme, "1.1"}};
    for (auto [storage, want] : cases) {
        in.hd_type = storage;
        EXPECT_EQ(Value(in, "random_page_cost"), want) << ToString(storage);
    }
}

TEST(Tune, RandomPageCostByDatabaseSize) {
    // Newest revision: a database smaller than RAM gets 1.1 even on HDD; a data warehouse larger
    // than RAM keeps PostgreSQL's 4 even on flash.
    TuneInput in = Input(18, OsType::Linux, DbType::Dw, Gb(8));
    in.hd_type = StorageType::Hdd;
    in.db_size = DbSize::LessRam;
    EXPECT_EQ(Value(in, "random_page_cost"), "1.1");
    in.hd_type = StorageType::Nvme;
    in.db_size = DbSize::MidRam;
    EXPECT_EQ(Value(in, "random_page_cost"), "4");
    in.db_size = DbSize::GreaterRam;
    EXPECT_EQ(Value(in, "random_page_cost"), "4");
    in.db_type = DbType::Oltp;
    EXPECT_EQ(Value(in, "random_page_cost"), "1.1");
}

TEST(Tune, EffectiveIoConcurrency) {
    TuneInput in = Input(18, OsType::Linux, DbType::Web, Gb(8));
    const std::pair<StorageType, const char*> cases[] = {
        {StorageType::Hdd, "2"}, {StorageType::Ssd, "200"}, {StorageType::San, "300"}, {StorageType::Nvme, "1000"}};
    for (auto [storage, want] : cases) {
        in.hd_type = storage;
        EXPECT_EQ(Value(in, "effective_io_concurrency"), want) << ToString(storage);
    }
    in.os_type = OsType::Windows;
    in.hd_type = StorageType::Ssd;
    EXPECT_EQ(Value(in, "effective_io_concurrency"), "<absent>");
}

TEST(Tune, ParallelSettings) {
    TuneInput in = Input(14, OsType::Linux, DbType::Web, Gb(8));
    in.cpu_num = 1;  // "less 2 cpu provided": nothing
    EXPECT_EQ(Value(in, "max_worker_processes"), "<absent>");

    in = Input(13, OsType::Linux, DbType::Web, Gb(8));
    in.cpu_num = 12;
    EXPECT_EQ(Value(in, "max_worker_processes"), "12");
    EXPECT_EQ(Value(in, "max_parallel_workers_per_gather"), "4");
    EXPECT_EQ(Value(in, "max_parallel_workers"), "12");
    EXPECT_EQ(Value(in, "max_parallel_maintenance_workers"), "4");

    in.db_version = 10;  // no max_parallel_maintenance_workers before 11
    EXPECT_EQ(Value(in, "max_parallel_workers"), "12");
    EXPECT_EQ(Value(in, "max_parallel_maintenance_workers"), "<absent>");

    in.cpu_num = 31;
    EXPECT_EQ(Value(in, "max_worker_processes"), "31");
    EXPECT_EQ(Value(in, "max_parallel_workers_per_gather"), "4");
    EXPECT_EQ(Value(in, "max_parallel_workers"), "31");

    in = Input(12, OsType::Linux, DbType::Dw, Gb(8));  // data warehouses are not capped at 4
    in.cpu_num = 31;
    EXPECT_EQ(Value(in, "max_worker_processes"), "31");
    EXPECT_EQ(Value(in, "max_parallel_workers_per_gather"), "16");
    EXPECT_EQ(Value(in, "max_parallel_workers"), "31");
    EXPECT_EQ(Value(in, "max_parallel_maintenance_workers"), "4");
}

TEST(Tune, WalLevelOnlyForDesktop) {
    const TuneResult desktop = Tune(Input(18, OsType::Linux, DbType::Desktop, Gb(8)));
    ASSERT_GE(desktop.settings.size(), 2u);
    EXPECT_EQ(desktop.settings[desktop.settings.size() - 2].name, "wal_level");
    EXPECT_EQ(desktop.settings[desktop.settings.size() - 2].value, "minimal");
    EXPECT_EQ(desktop.settings.back().name, "max_wal_senders");
    EXPECT_EQ(desktop.settings.back().value, "0");
    EXPECT_EQ(Value(Input(18, OsType::Linux, DbType::Web, Gb(8)), "wal_level"), "<absent>");
}

TEST(Tune, MaintenanceWorkMem) {
    EXPECT_EQ(Kb(Input(17, OsType::Linux, DbType::Web, Gb(256)), "maintenance_work_mem"), 8388608);    // 8GB cap
    EXPECT_EQ(Kb(Input(17, OsType::Windows, DbType::Web, Gb(256)), "maintenance_work_mem"), 2096128);  // 2GB - 1MB
    EXPECT_EQ(Kb(Input(18, OsType::Windows, DbType::Web, Gb(256)), "maintenance_work_mem"), 8388608);
    EXPECT_EQ(Kb(Input(15, OsType::Linux, DbType::Web, Gb(16)), "maintenance_work_mem"), 1048576);    // 16GB / 16
    EXPECT_EQ(Value(Input(17, OsType::Windows, DbType::Web, Gb(256)), "maintenance_work_mem"), "2047MB");
}

TEST(Tune, HugePages) {
    EXPECT_EQ(Value(Input(15, OsType::Linux, DbType::Web, Gb(4)), "huge_pages"), "off");   // shared_buffers 1GB
    EXPECT_EQ(Value(Input(15, OsType::Linux, DbType::Web, Gb(16)), "huge_pages"), "try");  // shared_buffers 4GB
    EXPECT_EQ(Value(Input(15, OsType::Mac, DbType::Web, Gb(128)), "huge_pages"), "off");
    EXPECT_EQ(Value(Input(15, OsType::Linux, DbType::Web, Gb(8)), "huge_pages"), "try");   // exactly 2GB
}

TEST(Tune, WorkMem) {
    TuneInput in = Input(15, OsType::Linux, DbType::Web, Gb(4));
    in.connection_num = 9999;
    in.cpu_num = 4;
    EXPECT_EQ(Kb(in, "work_mem"), 4096);  // floored to 4MB
    EXPECT_EQ(Value(in, "work_mem"), "4MB");

    in = Input(17, OsType::Windows, DbType::Web, Gb(256));
    in.connection_num = 20;
    in.cpu_num = 4;
    EXPECT_EQ(Kb(in, "work_mem"), 2096128);  // Windows up to 17: at most 2GB - 1MB

    in.db_version = 18;
    EXPECT_EQ(Kb(in, "work_mem"), 2796202);  // PGTune's test comment: "Actually evaluates to 2796202"
}

TEST(Tune, WorkMemByDatabaseSize) {
    // 16GB web, 4 CPUs: (16777216 - 4194304) / ((200 + 4) * 3) = 20560.9 -> 20560kB.
    TuneInput in = Input(18, OsType::Linux, DbType::Web, Gb(16));
    in.cpu_num = 4;
    EXPECT_EQ(Kb(in, "work_mem"), 20560);
    in.db_size = DbSize::LessRam;
    EXPECT_EQ(Kb(in, "work_mem"), 26728);  // floor(20560 * 1.3)
    in.db_size = DbSize::GreaterRam;
    EXPECT_EQ(Kb(in, "work_mem"), 18504);  // floor(20560 * 0.9)
}

TEST(Tune, Jit) {
    EXPECT_EQ(Value(Input(12, OsType::Linux, DbType::Web, Gb(8)), "jit"), "off");
    EXPECT_EQ(Value(Input(15, OsType::Linux, DbType::Oltp, Gb(8)), "jit"), "off");
    EXPECT_EQ(Value(Input(15, OsType::Linux, DbType::Mixed, Gb(8)), "jit"), "off");
    EXPECT_EQ(Value(Input(15, OsType::Linux, DbType::Dw, Gb(8)), "jit"), "<absent>");
    EXPECT_EQ(Value(Input(15, OsType::Linux, DbType::Desktop, Gb(8)), "jit"), "<absent>");
    EXPECT_EQ(Value(Input(11, OsType::Linux, DbType::Web, Gb(8)), "jit"), "<absent>");
}

TEST(Tune, WalCompression) {
    EXPECT_EQ(Value(Input(10, OsType::Linux, DbType::Web, Gb(8)), "wal_compression"), "on");
    EXPECT_EQ(Value(Input(14, OsType::Linux, DbType::Web, Gb(8)), "wal_compression"), "on");
    EXPECT_EQ(Value(Input(15, OsType::Linux, DbType::Web, Gb(8)), "wal_compression"), "lz4");
    EXPECT_EQ(Value(Input(17, OsType::Linux, DbType::Web, Gb(8)), "wal_compression"), "lz4");
}

TEST(Tune, AutovacuumMaxWorkers) {
    TuneInput in = Input(18, OsType::Linux, DbType::Web, Gb(8));
    in.cpu_num = 32;
    EXPECT_EQ(Value(in, "autovacuum_max_workers"), "5");
    in.cpu_num = 16;
    EXPECT_EQ(Value(in, "autovacuum_max_workers"), "4");
    in.cpu_num = 8;
    EXPECT_EQ(Value(in, "autovacuum_max_workers"), "<absent>");  // PostgreSQL's default 3
}

TEST(Tune, AutovacuumWorkMem) {
    EXPECT_EQ(Value(Input(15, OsType::Linux, DbType::Web, Gb(4)), "autovacuum_work_mem"), "<absent>");
    EXPECT_EQ(Kb(Input(15, OsType::Linux, DbType::Web, Gb(256)), "autovacuum_work_mem"), 2097152);
    // Windows up to 17 already caps maintenance_work_mem below 2GB, so autovacuum inherits it.
    EXPECT_EQ(Value(Input(17, OsType::Windows, DbType::Web, Gb(256)), "autovacuum_work_mem"), "<absent>");
    EXPECT_EQ(Kb(Input(18, OsType::Windows, DbType::Web, Gb(256)), "autovacuum_work_mem"), 2097152);
}

// PGTune's test since 830d3bb (its issue #142) runs these on macOS, where io_method = worker.
TEST(Tune, IoWorkers) {
    TuneInput in = Input(17, OsType::Mac, DbType::Web, Gb(8));
    in.cpu_num = 32;
    EXPECT_EQ(Value(in, "io_workers"), "<absent>");
    in.db_version = 18;
    in.cpu_num.reset();
    EXPECT_EQ(Value(in, "io_workers"), "<absent>");
    in.cpu_num = 8;  // 8 / 4 = 2: PostgreSQL's default 3 stays
    EXPECT_EQ(Value(in, "io_workers"), "<absent>");
    in.cpu_num = 32;
    EXPECT_EQ(Value(in, "io_workers"), "8");
    in.cpu_num = 64;
    EXPECT_EQ(Value(in, "io_workers"), "16");
    in.cpu_num = 256;
    EXPECT_EQ(Value(in, "io_workers"), "32");
    in.os_type = OsType::Windows;
    EXPECT_EQ(Value(in, "io_workers"), "32");
}

// PGTune 830d3bb: PostgreSQL uses io workers only with io_method = worker, so with io_uring (Linux, 18)
// io_workers is left out however many CPUs there are.
TEST(Tune, IoWorkersAreLeftOutWithIoUring) {
    TuneInput in = Input(18, OsType::Linux, DbType::Web, Gb(64));
    in.cpu_num = 256;
    EXPECT_EQ(Value(in, "io_method"), "io_uring");
    EXPECT_EQ(Value(in, "io_workers"), "<absent>");
    in.cpu_num = 32;
    EXPECT_EQ(Value(in, "io_workers"), "<absent>");
}

TEST(Tune, IoMethod) {
    EXPECT_EQ(Value(Input(17, OsType::Linux, DbType::Web, Gb(8)), "io_method"), "<absent>");
    EXPECT_EQ(Value(Input(18, OsType::Linux, DbType::Web, Gb(8)), "io_method"), "io_uring");
    EXPECT_EQ(Value(Input(18, OsType::Windows, DbType::Web, Gb(8)), "io_method"), "worker");
    EXPECT_EQ(Value(Input(18, OsType::Mac, DbType::Web, Gb(8)), "io_method"), "worker");
}

using Lines = std::vector<std::string>;

TEST(Tune, WarningInfoMessages) {
    EXPECT_EQ(Tune(Input(14, OsType::Linux, DbType::Web, Gb(4))).warnings, Lines{});
    EXPECT_EQ(Tune(Input(14, OsType::Linux, DbType::Web, Mb(128))).warnings,
              (Lines{"WARNING", "this tool not being optimal", "for low memory systems"}));
    EXPECT_EQ(Tune(Input(14, OsType::Linux, DbType::Web, Gb(256))).warnings,
              (Lines{"WARNING", "this tool not being optimal", "for very high memory systems"}));
    EXPECT_EQ(Tune(Input(15, OsType::Linux, DbType::Web, Gb(4))).warnings,
              (Lines{"WARNING", "wal_compression = lz4 requires PostgreSQL", "to be compiled with --with-lz4"}));
    // An empty line between groups, as PGTune prints them (its own test says so since bf2870b).
    EXPECT_EQ(Tune(Input(18, OsType::Linux, DbType::Web, Gb(4))).warnings,
              (Lines{"WARNING", "wal_compression = lz4 requires PostgreSQL", "to be compiled with --with-lz4", "",
                     "io_method = io_uring requires PostgreSQL", "to be compiled with --with-liburing"}));
}

TEST(Tune, DataWarehouseCostWarningNamesTheDrive) {
    TuneInput in = Input(14, OsType::Linux, DbType::Dw, Gb(4));
    const std::pair<StorageType, const char*> drives[] = {
        {StorageType::Ssd, "SSDs"}, {StorageType::Nvme, "NVMe drives"}, {StorageType::San, "SAN storage"}};
    for (auto [storage, name] : drives) {
        in.hd_type = storage;
        EXPECT_EQ(Tune(in).warnings,
                  (Lines{"WARNING", std::string("Cost parameters for Data Warehouses on ") + name + " are left at defaults",
                         "to avoid catastrophic index scan selections",
                         "Monitor query planner behavior and adjust random_page_cost if necessary"}));
    }
    in.hd_type = StorageType::Hdd;
    EXPECT_TRUE(Tune(in).warnings.empty());
    in.hd_type = StorageType::Ssd;
    in.db_size = DbSize::LessRam;
    EXPECT_TRUE(Tune(in).warnings.empty());
}

TEST(Tune, SettingsComeInPgtuneOrder) {
    TuneInput in = Input(18, OsType::Linux, DbType::Desktop, Gb(512));
    in.cpu_num = 64;
    Lines names;
    for (const Setting& s : Tune(in).settings) names.push_back(s.name);
    EXPECT_EQ(names, (Lines{"max_connections", "shared_buffers", "effective_cache_size", "maintenance_work_mem",
                            "checkpoint_completion_target", "wal_buffers", "default_statistics_target",
                            "random_page_cost", "effective_io_concurrency", "work_mem", "huge_pages",
                            "wal_compression", "autovacuum_max_workers", "autovacuum_work_mem", "io_method",
                            "min_wal_size", "max_wal_size", "max_worker_processes",
                            "max_parallel_workers_per_gather", "max_parallel_workers",
                            "max_parallel_maintenance_workers", "wal_level", "max_wal_senders"}));
    // io_workers (only with io_method = worker, so not on Linux) comes right after io_method.
    in.os_type = OsType::Windows;
    names.clear();
    for (const Setting& s : Tune(in).settings) names.push_back(s.name);
    const auto at = std::find(names.begin(), names.end(), "io_method");
    ASSERT_LE(at + 3, names.end());
    EXPECT_EQ((Lines{at, at + 3}), (Lines{"io_method", "io_workers", "min_wal_size"}));
}

TEST(Tune, WalBuffers) {
    EXPECT_EQ(Value(Input(18, OsType::Linux, DbType::Web, Mb(1024)), "wal_buffers"), "7864kB");  // 3% of 256MB
    EXPECT_EQ(Value(Input(18, OsType::Linux, DbType::Web, Mb(1950)), "wal_buffers"), "16MB");  // 14.6MB rounds up
    EXPECT_EQ(Value(Input(18, OsType::Linux, DbType::Desktop, Mb(512)), "wal_buffers"), "983kB");
}

TEST(Tune, PostgresqlConfMatchesPgtuneText) {
    TuneInput in = Input(16, OsType::Linux, DbType::Web, Gb(8));
    in.cpu_num = 4;
    const std::string want =
        "# WARNING\n# wal_compression = lz4 requires PostgreSQL\n# to be compiled with --with-lz4\n\n"
        "# DB Version: 16\n# OS Type: linux\n# DB Type: web\n# Total Memory (RAM): 8 GB\n# CPUs num: 4\n"
        "# Data Storage: ssd\n\n"
        "max_connections = 200\nshared_buffers = 2GB\neffective_cache_size = 6GB\nmaintenance_work_mem = 512MB\n"
        "checkpoint_completion_target = 0.9\nwal_buffers = 16MB\ndefault_statistics_target = 100\n"
        "random_page_cost = 1.1\neffective_io_concurrency = 200\nwork_mem = 10280kB\nhuge_pages = try\njit = off\n"
        "wal_compression = lz4\nmin_wal_size = 1GB\nmax_wal_size = 4GB\nmax_worker_processes = 4\n"
        "max_parallel_workers_per_gather = 2\nmax_parallel_workers = 4\nmax_parallel_maintenance_workers = 2";
    EXPECT_EQ(RenderPostgresqlConf(in, Tune(in)), want);
}

TEST(Tune, AlterSystemMatchesPgtuneText) {
    TuneInput in = Input(14, OsType::Windows, DbType::Oltp, Mb(2048));
    in.connection_num = 50;
    const std::string text = RenderAlterSystem(in, Tune(in));
    EXPECT_EQ(text.substr(0, text.find("\n\n")),
              "-- DB Version: 14\n-- OS Type: windows\n-- DB Type: oltp\n-- Total Memory (RAM): 2048 MB\n"
              "-- Connections num: 50\n-- Data Storage: ssd");
    // One statement per line since PGTune c8d8bf5 (it was "ALTER SYSTEM SET\n name = ...").
    EXPECT_NE(text.find("\n\nALTER SYSTEM SET max_connections = '50';\nALTER SYSTEM SET shared_buffers = '512MB';"),
              std::string::npos);
    EXPECT_TRUE(text.ends_with("';\nALTER SYSTEM SET max_wal_size = '8GB';")) << text;
}

TEST(Tune, EmptyWarningLineKeepsTheCommentSpace) {
    const TuneInput in = Input(18, OsType::Linux, DbType::Web, Gb(4));
    const std::string text = RenderPostgresqlConf(in, Tune(in));
    EXPECT_NE(text.find("--with-lz4\n# \n# io_method"), std::string::npos);
}

}  // namespace
