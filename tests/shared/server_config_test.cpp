// The plan-aware layer over PGTune: what the plan adds or overrides, and the memory guardrail.
#include <gtest/gtest.h>

#include <set>

#include "plan/server_config.hpp"

namespace {

using plan::BuildServerConfig;
using plan::HostFacts;

constexpr std::int64_t kGiB = 1024 * 1024;  // in kB

plan::PostgresSpec& Pg(plan::Plan& p) { return std::get<plan::PostgresSpec>(p.components[1].spec); }

std::string Value(const plan::ServerConfig& c, const char* name) {
    const plan::ConfigSetting* s = plan::FindConfigSetting(c, name);
    return s ? s->value : "<absent>";
}

TEST(ServerConfig, StartsFromPgtuneForTheHost) {
    plan::Plan p = plan::DefaultPlan();
    Pg(p).version = "16";
    const auto config = BuildServerConfig(p, 1, HostFacts{16 * kGiB, 4, plan::DiskType::Ssd});
    EXPECT_EQ(config.tune_input.db_version, 16);
    EXPECT_EQ(config.tune_input.total_memory.amount, 16);
    EXPECT_EQ(config.tune_input.total_memory.unit, plan::tune::MemoryUnit::GB);
    EXPECT_EQ(Value(config, "shared_buffers"), "4GB");
    EXPECT_EQ(Value(config, "effective_cache_size"), "12GB");
    EXPECT_EQ(Value(config, "random_page_cost"), "1.1");
    EXPECT_EQ(Value(config, "max_connections"), "100");
    EXPECT_TRUE(config.warnings.empty());
}

TEST(ServerConfig, PlanSettingsAreAddedWithReasons) {
    plan::Plan p = plan::DefaultPlan();
    Pg(p).port = 6543;
    const auto config = BuildServerConfig(p, 1, HostFacts{8 * kGiB, 2, plan::DiskType::Hdd});
    EXPECT_EQ(Value(config, "port"), "6543");
    EXPECT_EQ(Value(config, "listen_addresses"), "'*'");
    EXPECT_EQ(Value(config, "password_encryption"), "'scram-sha-256'");
    EXPECT_EQ(Value(config, "ssl"), "on");
    EXPECT_EQ(Value(config, "random_page_cost"), "4");  // HDD
    EXPECT_EQ(Value(config, "archive_mode"), "<absent>");  // this target archives nothing
    for (const auto& s : config.settings) EXPECT_FALSE(s.reason.empty()) << s.name;
    EXPECT_TRUE(plan::FindConfigSetting(config, "port")->needs_restart);
    EXPECT_FALSE(plan::FindConfigSetting(config, "work_mem")->needs_restart);
}

TEST(ServerConfig, ReplicasAndArchivingOverrideDesktopMinimalWal) {
    plan::Plan p = plan::DefaultPlan();
    Pg(p).workload = plan::Workload::Desktop;
    const HostFacts host{4 * kGiB, 2, plan::DiskType::Ssd};
    Pg(p).backups.enabled = false;
    EXPECT_EQ(Value(BuildServerConfig(p, 1, host), "wal_level"), "minimal");  // PGTune's desktop profile
    EXPECT_EQ(Value(BuildServerConfig(p, 1, host), "max_wal_senders"), "0");
    Pg(p).backups.enabled = true;

    plan::ServerTarget target;
    target.archive_command = "cs-archive %p %f";
    target.replication_cidrs = {"10.0.1.0/24"};
    const auto archiving = BuildServerConfig(p, 1, host, target);
    EXPECT_EQ(Value(archiving, "wal_level"), "replica");
    EXPECT_EQ(Value(archiving, "archive_mode"), "on");
    EXPECT_EQ(Value(archiving, "archive_command"), "'cs-archive %p %f'");
    EXPECT_EQ(Value(archiving, "max_wal_senders"), "2");

    Pg(p).topology = plan::Topology::PrimaryReplicas;
    Pg(p).replicas = 2;
    const auto replicated = BuildServerConfig(p, 1, host, target);
    EXPECT_EQ(Value(replicated, "max_wal_senders"), "4");
    EXPECT_EQ(Value(replicated, "max_replication_slots"), "4");
    EXPECT_EQ(Value(replicated, "hot_standby"), "on");
    bool has_replication_rule = false;
    for (const auto& rule : replicated.hba_rules) {
        has_replication_rule |= rule.find("replication") != std::string::npos && rule.find("10.0.1.0/24") != std::string::npos;
    }
    EXPECT_TRUE(has_replication_rule);
    // Names stay unique even though wal_level and max_wal_senders were overridden.
    std::set<std::string> names;
    for (const auto& s : replicated.settings) EXPECT_TRUE(names.insert(s.name).second) << s.name;
}

TEST(ServerConfig, BackupsWithoutArchivingStillGetReplicaWalAndTwoSenders) {
    // A target that takes base backups without archiving WAL (the local target, GCP's timer) still needs
    // replica-level WAL: pg_basebackup refuses a server with wal_level = minimal, which PGTune's desktop
    // profile sets (with max_wal_senders = 0, so not even one sender for the backup's WAL stream).
    plan::Plan p = plan::DefaultPlan();
    Pg(p).workload = plan::Workload::Desktop;
    ASSERT_TRUE(Pg(p).backups.enabled);
    const HostFacts host{4 * kGiB, 2, plan::DiskType::Ssd};
    const auto config = BuildServerConfig(p, 1, host);  // no archive_command
    EXPECT_EQ(Value(config, "wal_level"), "replica");
    EXPECT_EQ(plan::FindConfigSetting(config, "wal_level")->reason, "base backups (pg_basebackup) need replica-level WAL");
    EXPECT_EQ(Value(config, "max_wal_senders"), "2");
    EXPECT_EQ(Value(config, "archive_mode"), "<absent>");
    // Other workloads keep PostgreSQL's defaults (replica, 10 senders): nothing is added for them.
    Pg(p).workload = plan::Workload::Web;
    const auto web = BuildServerConfig(p, 1, host);
    EXPECT_EQ(Value(web, "wal_level"), "<absent>");
    EXPECT_EQ(Value(web, "max_wal_senders"), "<absent>");
}

TEST(ServerConfig, BackupsMayUseTheSuperusersLocalReplicationConnection) {
    // The backup timer runs pg_basebackup as postgres over the socket; "all" never matches replication.
    plan::Plan p = plan::DefaultPlan();
    const std::string rule = "local   replication     postgres                                peer";
    std::string hba = plan::RenderHba(BuildServerConfig(p, 1, HostFacts{4 * kGiB, 2, plan::DiskType::Ssd}));
    EXPECT_NE(hba.find(rule), std::string::npos) << hba;
    Pg(p).backups.enabled = false;
    hba = plan::RenderHba(BuildServerConfig(p, 1, HostFacts{4 * kGiB, 2, plan::DiskType::Ssd}));
    EXPECT_EQ(hba.find("replication     postgres"), std::string::npos) << hba;
}

TEST(ServerConfig, ClientsOnlyFromAllowedRangesOverTls) {
    plan::Plan p = plan::DefaultPlan();
    Pg(p).allowed_cidrs = {"192.168.10.0/24", "2001:db8::/48"};
    const auto config = BuildServerConfig(p, 1, HostFacts{4 * kGiB, 2, plan::DiskType::Ssd});
    const std::string hba = plan::RenderHba(config);
    EXPECT_NE(hba.find("hostssl all             all             192.168.10.0/24         scram-sha-256"), std::string::npos) << hba;
    EXPECT_NE(hba.find("2001:db8::/48"), std::string::npos);
    EXPECT_EQ(hba.find("0.0.0.0/0"), std::string::npos);
    EXPECT_EQ(hba.find(" trust"), std::string::npos);
    EXPECT_EQ(hba.find(" md5"), std::string::npos);
}

TEST(ServerConfig, MemoryGuardrailSaysWhatToChange) {
    plan::Plan p = plan::DefaultPlan();
    Pg(p).max_connections = 5000;
    const auto config = BuildServerConfig(p, 1, HostFacts{1 * kGiB, 1, plan::DiskType::Ssd});
    ASSERT_EQ(config.warnings.size(), 1u);
    EXPECT_EQ(config.warnings[0].code, "memory.overcommitted");
    EXPECT_EQ(config.warnings[0].path, "/components/1/max_connections");
    EXPECT_NE(config.warnings[0].message.find("lower max_connections to"), std::string::npos) << config.warnings[0].message;
}

TEST(ServerConfig, RenderedConfHasEverySettingOnce) {
    const auto config = BuildServerConfig(plan::DefaultPlan(), 1, HostFacts{8 * kGiB, 2, plan::DiskType::Ssd});
    const std::string conf = plan::RenderServerConf(config);
    for (const auto& s : config.settings) {
        const std::string line = "\n" + s.name + " = " + s.value + "\n";
        const auto first = conf.find(line);
        EXPECT_NE(first, std::string::npos) << s.name;
        EXPECT_EQ(conf.find(line, first + 1), std::string::npos) << s.name;
    }
}

}  // namespace
