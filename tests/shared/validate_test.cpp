// Semantic rules: each test breaks one thing in a valid plan and expects exactly that rule, at that path.
#include <gtest/gtest.h>

#include "plan/validate.hpp"

namespace {

using plan::Diagnostics;
using plan::PostgresSpec;
using plan::VmSpec;

VmSpec& Vm(plan::Plan& p) { return std::get<VmSpec>(p.components[0].spec); }
PostgresSpec& Pg(plan::Plan& p) { return std::get<PostgresSpec>(p.components[1].spec); }

// The only Error-severity diagnostics, as "path code" strings.
std::vector<std::string> Errors(const plan::Plan& p) {
    std::vector<std::string> out;
    for (const auto& d : plan::Validate(p)) {
        if (d.severity == plan::Severity::Error) out.push_back(d.path + " " + d.code);
    }
    return out;
}

using Strings = std::vector<std::string>;

TEST(Validate, DefaultPlanIsValidWithoutWarnings) {
    EXPECT_TRUE(plan::Validate(plan::DefaultPlan()).empty());
}

TEST(Validate, DiskSizeOutOfRange) {
    plan::Plan p = plan::DefaultPlan();
    Vm(p).disk.size_gib = 2;
    EXPECT_EQ(Errors(p), Strings{"/components/0/disk/size_gib disk.size_out_of_range"});
    Vm(p).disk.size_gib = 20000;
    EXPECT_EQ(Errors(p), Strings{"/components/0/disk/size_gib disk.size_out_of_range"});
    Vm(p).disk.size_gib = 200;
    EXPECT_TRUE(Errors(p).empty());
}

TEST(Validate, PostgresNeedsAnExistingVmAsHost) {
    plan::Plan p = plan::DefaultPlan();
    Pg(p).host = "";
    EXPECT_EQ(Errors(p), Strings{"/components/1/host postgres.host_required"});
    Pg(p).host = "vm-9";
    EXPECT_EQ(Errors(p), Strings{"/components/1/host postgres.host_missing"});
    Pg(p).host = "pg-1";
    EXPECT_EQ(Errors(p), Strings{"/components/1/host postgres.host_not_vm"});
}

TEST(Validate, OneDatabasePerVm) {
    plan::Plan p = plan::DefaultPlan();
    plan::Component second = p.components[1];
    second.id = "pg-2";
    p.components.push_back(second);
    EXPECT_EQ(Errors(p), Strings{"/components/2/host postgres.host_taken"});
}

TEST(Validate, UnsupportedPostgresVersion) {
    plan::Plan p = plan::DefaultPlan();
    for (const char* good : {"14", "15", "16", "17", "18"}) {
        Pg(p).version = good;
        EXPECT_TRUE(Errors(p).empty()) << good;
    }
    for (const char* bad : {"9.6", "13", "19", "", "16.1"}) {
        Pg(p).version = bad;
        EXPECT_EQ(Errors(p), Strings{"/components/1/version postgres.version_unsupported"}) << bad;
    }
}

TEST(Validate, HardwareBySizeOrTypeButNotBoth) {
    plan::Plan p = plan::DefaultPlan();
    Vm(p).hardware = {"", 4, 16};
    EXPECT_TRUE(Errors(p).empty());
    Vm(p).hardware = {"t3.large", 4, 16};
    EXPECT_EQ(Errors(p), Strings{"/components/0/hardware hardware.ambiguous"});
    Vm(p).hardware = {"", 0, 0};
    EXPECT_EQ(Errors(p), Strings{"/components/0/hardware hardware.size_required"});
    Vm(p).hardware = {"", 500, 0.25};
    EXPECT_EQ(Errors(p), (Strings{"/components/0/hardware/vcpus hardware.vcpus_out_of_range",
                                  "/components/0/hardware/memory_gib hardware.memory_out_of_range"}));
    Vm(p).hardware = {"not a type", 0, 0};
    EXPECT_EQ(Errors(p), Strings{"/components/0/hardware/instance_type hardware.instance_type_invalid"});
}

TEST(Validate, OperatingSystems) {
    plan::Plan p = plan::DefaultPlan();
    Vm(p).os = {"linux", "ubuntu", "24.04"};
    EXPECT_TRUE(Errors(p).empty());
    Vm(p).os = {"linux", "ubuntu", "18.04"};
    EXPECT_EQ(Errors(p), Strings{"/components/0/os/version os.version_unsupported"});
    Vm(p).os = {"linux", "gentoo", "1"};
    EXPECT_EQ(Errors(p), Strings{"/components/0/os/distribution os.distribution_unsupported"});
    Vm(p).os = {"windows", "server", "2022"};
    EXPECT_EQ(Errors(p), Strings{"/components/0/os/family os.family_unsupported"});
}

TEST(Validate, ImageIdShape) {
    plan::Plan p = plan::DefaultPlan();
    Vm(p).image_id = "ami-0abcdef1234567890";
    EXPECT_TRUE(Errors(p).empty());
    Vm(p).image_id = "ami-0abc...";
    EXPECT_EQ(Errors(p), Strings{"/components/0/image_id vm.image_id_invalid"});
}

TEST(Validate, NetworkRanges) {
    plan::Plan p = plan::DefaultPlan();
    Pg(p).allowed_cidrs = {"10.0.0.0/8", "203.0.113.7/32", "2001:db8::/32", "fd00::/8"};
    EXPECT_TRUE(Errors(p).empty());
    Pg(p).allowed_cidrs = {"10.0.0.5/16", "300.1.1.1/32", "10.0.0.0", "2001:db8::1/32", "1.2.3.4/33"};
    EXPECT_EQ(Errors(p), (Strings{"/components/1/network/allowed_cidrs/0 network.cidr_invalid",
                                  "/components/1/network/allowed_cidrs/1 network.cidr_invalid",
                                  "/components/1/network/allowed_cidrs/2 network.cidr_invalid",
                                  "/components/1/network/allowed_cidrs/3 network.cidr_invalid",
                                  "/components/1/network/allowed_cidrs/4 network.cidr_invalid"}));
    Pg(p).allowed_cidrs = {"0.0.0.0/0"};
    EXPECT_EQ(Errors(p), Strings{"/components/1/network/allowed_cidrs/0 network.open_to_world"});
    Pg(p).publicly_accessible = true;
    EXPECT_TRUE(Errors(p).empty());
}

TEST(Validate, PortRange) {
    plan::Plan p = plan::DefaultPlan();
    Pg(p).port = 80;
    EXPECT_EQ(Errors(p), Strings{"/components/1/network/port network.port_out_of_range"});
    Pg(p).port = 6432;
    EXPECT_TRUE(Errors(p).empty());
}

TEST(Validate, Backups) {
    plan::Plan p = plan::DefaultPlan();
    for (const char* good : {"0 3 * * *", "*/15 * * * *", "0 1-5/2 * * 1,3,5", "30 2 1 1-12 0"}) {
        Pg(p).backups.schedule = good;
        EXPECT_TRUE(Errors(p).empty()) << good;
    }
    for (const char* bad : {"daily", "0 24 * * *", "* * * *", "0 3 0 * *", "*/0 * * * *", "5-1 * * * *"}) {
        Pg(p).backups.schedule = bad;
        EXPECT_EQ(Errors(p), Strings{"/components/1/backups/schedule backups.schedule_invalid"}) << bad;
    }
    Pg(p).backups.schedule = "0 3 * * *";
    Pg(p).backups.retention_days = 0;
    EXPECT_EQ(Errors(p), Strings{"/components/1/backups/retention_days backups.retention_out_of_range"});
}

TEST(Validate, ProductionRequiresBackups) {
    plan::Plan p = plan::DefaultPlan();
    Pg(p).backups.enabled = false;
    EXPECT_TRUE(Errors(p).empty());
    p.environment = plan::Environment::Production;
    EXPECT_EQ(Errors(p), Strings{"/components/1/backups/enabled backups.required_in_production"});
}

TEST(Validate, ReplicasNeedTheReplicaTopology) {
    plan::Plan p = plan::DefaultPlan();
    Pg(p).replicas = 2;
    EXPECT_EQ(Errors(p), Strings{"/components/1/topology/replicas topology.replicas_need_mode"});
    Pg(p).topology = plan::Topology::PrimaryReplicas;
    EXPECT_TRUE(Errors(p).empty());
    Pg(p).replicas = 0;
    EXPECT_EQ(Errors(p), Strings{"/components/1/topology/replicas topology.replicas_out_of_range"});
}

TEST(Validate, ComponentIdsAreUniqueAndWellFormed) {
    plan::Plan p = plan::DefaultPlan();
    p.components[1].id = "vm-1";
    // The duplicate id also makes the host reference ambiguous; the id rule is what must be reported.
    const auto errors = Errors(p);
    ASSERT_FALSE(errors.empty());
    EXPECT_EQ(errors[0], "/components/1/id component.id_duplicate");
    p = plan::DefaultPlan();
    p.components[0].id = "VM One";
    Pg(p).host = "VM One";
    EXPECT_EQ(Errors(p), Strings{"/components/0/id component.id_invalid"});
}

TEST(Validate, PlanNameAndCloud) {
    plan::Plan p = plan::DefaultPlan("  ");
    EXPECT_EQ(Errors(p), Strings{"/name plan.name_required"});
    p.name = std::string(101, 'x');
    EXPECT_EQ(Errors(p), Strings{"/name plan.name_too_long"});
    p.name = "ok";
    p.cloud.provider = "oracle";
    EXPECT_EQ(Errors(p), Strings{"/cloud/provider cloud.provider_unsupported"});
    p.cloud = {"aws", "mars-north-1x"};
    EXPECT_EQ(Errors(p), Strings{"/cloud/region cloud.region_invalid"});
    p.cloud = {"gcp", "europe-west1"};
    Vm(p).hardware.instance_type = "e2-standard-2";
    EXPECT_EQ(Errors(p), Strings{"/components/0/os os.image_unavailable"});  // Amazon Linux is AWS-only
    Vm(p).os = {"linux", "debian", "12"};
    EXPECT_TRUE(Errors(p).empty());
}

TEST(Validate, CatalogueRulesRunOnceTheShapeIsRight) {
    plan::Plan p = plan::DefaultPlan();
    Vm(p).hardware.instance_type = "t3.mediun";
    const auto errors = plan::Validate(p);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].code, "hardware.instance_type_unknown");
    EXPECT_NE(errors[0].message.find("t3.medium"), std::string::npos) << errors[0].message;
    Vm(p).disk.size_gib = 1;  // a shape error: the catalogue is not consulted, so one problem, not two
    EXPECT_EQ(Errors(p), Strings{"/components/0/disk/size_gib disk.size_out_of_range"});
}

TEST(Validate, WarningsDoNotBlock) {
    plan::Plan p = plan::DefaultPlan();
    p.components.pop_back();  // a VM with nothing on it, and no database
    const Diagnostics all = plan::Validate(p);
    EXPECT_FALSE(plan::HasErrors(all));
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].code, "vm.unused");
    EXPECT_EQ(all[1].code, "plan.no_database");
}

}  // namespace
