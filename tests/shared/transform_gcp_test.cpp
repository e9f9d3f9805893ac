// The Google Cloud transformer: structure and security properties of the Terraform JSON configuration,
// the first-boot script it carries as the startup script, refusals, and golden files (rewritten only by
// scripts/regen_golden).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "plan/transform.hpp"
#include "plan/validate.hpp"

namespace {

using nlohmann::json;

plan::PostgresSpec& Pg(plan::Plan& p) { return std::get<plan::PostgresSpec>(p.components[1].spec); }
plan::VmSpec& Vm(plan::Plan& p) { return std::get<plan::VmSpec>(p.components[0].spec); }

plan::Plan GcpPlan() {
    plan::Plan p = plan::DefaultPlan("analytics");
    p.cloud = {"gcp", "europe-west1"};
    Vm(p).os = {"linux", "debian", "12"};
    Vm(p).hardware.instance_type = "e2-standard-2";
    return p;
}

json Render(const plan::Plan& p) {
    const plan::TransformResult r = plan::Transform(p, plan::Target::GcpTerraform);
    EXPECT_FALSE(plan::HasErrors(r.diagnostics)) << plan::FormatDiagnostics(r.diagnostics);
    if (r.documents.size() != 1) return json();
    return json::parse(r.documents[0].text);
}

std::string ReadFile(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream s;
    s << file.rdbuf();
    return s.str();
}

TEST(TransformGcp, DefaultPlanRendersEveryPiece) {
    const plan::TransformResult r = plan::Transform(GcpPlan(), plan::Target::GcpTerraform);
    ASSERT_EQ(r.documents.size(), 1u) << plan::FormatDiagnostics(r.diagnostics);
    EXPECT_EQ(r.documents[0].filename, "analytics.gcp.tf.json");
    const json t = json::parse(r.documents[0].text);
    EXPECT_EQ(t["terraform"]["required_providers"]["google"]["source"], "hashicorp/google");
    for (const char* v : {"project", "region", "zone", "network", "subnetwork", "pg_1_password_secret"}) {
        EXPECT_TRUE(t["variable"].contains(v)) << v;
    }
    EXPECT_EQ(t["variable"]["region"]["default"], "europe-west1");
    const json& res = t["resource"];
    for (const char* type : {"google_service_account", "google_compute_firewall", "google_storage_bucket",
                             "google_storage_bucket_iam_member", "google_secret_manager_secret_iam_member",
                             "google_compute_disk", "google_compute_instance"}) {
        EXPECT_TRUE(res.contains(type)) << type;
    }
    const json vm = res["google_compute_instance"]["pg_1_primary"];
    EXPECT_EQ(vm["machine_type"], "e2-standard-2");
    EXPECT_EQ(vm["boot_disk"][0]["initialize_params"][0]["image"], "projects/debian-cloud/global/images/family/debian-12");
    EXPECT_EQ(vm["attached_disk"][0]["device_name"], "data");
    EXPECT_EQ(vm["service_account"][0]["email"], "${google_service_account.pg_1.email}");
    EXPECT_EQ(vm["shielded_instance_config"][0]["enable_secure_boot"], true);
    EXPECT_EQ(vm["metadata"]["enable-guest-attributes"], "TRUE");
    EXPECT_EQ(t["output"]["pg_1_port"]["value"], 5432);
}

TEST(TransformGcp, FirewallOpensOnlyThePlansRanges) {
    plan::Plan p = GcpPlan();
    Pg(p).allowed_cidrs = {"10.1.0.0/16", "2001:db8::/32"};
    Pg(p).port = 6543;
    const json fw = Render(p)["resource"]["google_compute_firewall"];
    ASSERT_EQ(fw.size(), 2u);
    EXPECT_EQ(fw["pg_1_postgres_v4"]["source_ranges"], json::array({"10.1.0.0/16"}));
    EXPECT_EQ(fw["pg_1_postgres_v6"]["source_ranges"], json::array({"2001:db8::/32"}));
    for (const auto& [name, rule] : fw.items()) {
        EXPECT_EQ(rule["direction"], "INGRESS") << name;
        EXPECT_EQ(rule["allow"], json::parse(R"([{"protocol": "tcp", "ports": ["6543"]}])")) << name;
        EXPECT_EQ(rule["target_service_accounts"][0], "${google_service_account.pg_1.email}") << name;
    }
    EXPECT_FALSE(Render(p)["resource"]["google_compute_instance"]["pg_1_primary"]["network_interface"][0].contains("access_config"));
}

TEST(TransformGcp, PublicMeansReachableFromAnywhereAndAnExternalAddress) {
    plan::Plan p = GcpPlan();
    Pg(p).publicly_accessible = true;
    Pg(p).allowed_cidrs = {};
    const json t = Render(p);
    EXPECT_EQ(t["resource"]["google_compute_firewall"]["pg_1_postgres_v4"]["source_ranges"][0], "0.0.0.0/0");
    EXPECT_TRUE(t["resource"]["google_compute_instance"]["pg_1_primary"]["network_interface"][0].contains("access_config"));
    EXPECT_NE(t["output"]["pg_1_endpoint"]["value"].get<std::string>().find("nat_ip"), std::string::npos);
}

TEST(TransformGcp, DisksAreSizedAndTypedAsPlanned) {
    plan::Plan p = GcpPlan();
    Vm(p).disk.size_gib = 500;
    json disk = Render(p)["resource"]["google_compute_disk"]["pg_1_primary_data"];
    EXPECT_EQ(disk["size"], 500);
    EXPECT_EQ(disk["type"], "pd-ssd");
    Vm(p).disk.type = plan::DiskType::Hdd;
    disk = Render(p)["resource"]["google_compute_disk"]["pg_1_primary_data"];
    EXPECT_EQ(disk["type"], "pd-standard");
}

TEST(TransformGcp, BackupBucketIsPrivateAndExpiresWithRetention) {
    plan::Plan p = GcpPlan();
    Pg(p).backups.retention_days = 10;
    const json t = Render(p);
    const json bucket = t["resource"]["google_storage_bucket"]["pg_1_backups"];
    EXPECT_EQ(bucket["uniform_bucket_level_access"], true);
    EXPECT_EQ(bucket["public_access_prevention"], "enforced");
    EXPECT_EQ(bucket["versioning"][0]["enabled"], false);
    EXPECT_EQ(bucket["lifecycle_rule"][0]["condition"][0]["age"], 10);
    EXPECT_EQ(bucket["lifecycle_rule"][1]["condition"][0]["age"], 11);
    EXPECT_EQ(bucket["lifecycle_rule"][0]["action"][0]["type"], "Delete");
    EXPECT_EQ(t["resource"]["google_storage_bucket_iam_member"]["pg_1_backups"]["member"],
              "serviceAccount:${google_service_account.pg_1.email}");

    Pg(p).backups.enabled = false;
    const json without = Render(p);
    EXPECT_FALSE(without["resource"].contains("google_storage_bucket"));
    const std::string script = without["resource"]["google_compute_instance"]["pg_1_primary"]["metadata"]["startup-script"];
    EXPECT_EQ(script.find("archive_mode"), std::string::npos);
}

TEST(TransformGcp, StartupScriptIsTheBootstrapWithGoogleTools) {
    plan::Plan p = GcpPlan();
    p.id = "p_abc";
    const json t = Render(p);
    const std::string script = t["resource"]["google_compute_instance"]["pg_1_primary"]["metadata"]["startup-script"];
    EXPECT_EQ(script.rfind("#!/bin/bash\n", 0), 0u);
    EXPECT_NE(script.find("gcloud secrets versions access latest"), std::string::npos);
    EXPECT_NE(script.find("secret 'cloudsketch-p-abc-development-pg-1-app-password'"), std::string::npos);
    EXPECT_NE(script.find("guest-attributes/cloudsketch/bootstrap"), std::string::npos);
    EXPECT_NE(script.find("/dev/disk/by-id/google-data"), std::string::npos);
    EXPECT_NE(script.find("BUCKET_NAME='${google_storage_bucket.pg_1_backups.name}'"), std::string::npos);
    EXPECT_NE(script.find("[ -f /var/lib/cloudsketch-bootstrap.done ] && exit 0"), std::string::npos);
    for (const char* aws : {"cfn-signal", "CFN_SIGNAL", "aws s3", "ssm get-parameter", "{{"}) {
        EXPECT_EQ(script.find(aws), std::string::npos) << aws;
    }
    // Every "${" is a Terraform reference or an escaped "$${" for bash.
    for (std::size_t at = script.find("${"); at != std::string::npos; at = script.find("${", at + 2)) {
        const bool escaped = at > 0 && script[at - 1] == '$';
        const bool reference = script.compare(at, 9, "${google_") == 0 || script.compare(at, 6, "${var.") == 0;
        EXPECT_TRUE(escaped || reference) << script.substr(at, 40);
    }
    EXPECT_EQ(t.dump().find("PASSWORD '"), std::string::npos);
}

TEST(TransformGcp, ReplicasStreamFromThePrimary) {
    plan::Plan p = GcpPlan();
    Pg(p).topology = plan::Topology::PrimaryReplicas;
    Pg(p).replicas = 2;
    const json t = Render(p);
    const json replica = t["resource"]["google_compute_instance"]["pg_1_replica_2"];
    const std::string script = replica["metadata"]["startup-script"];
    EXPECT_NE(script.find("-h '${google_compute_instance.pg_1_primary.network_interface[0].network_ip}'"), std::string::npos);
    EXPECT_NE(script.find("-S replica_2"), std::string::npos);
    EXPECT_TRUE(t["resource"]["google_compute_firewall"].contains("pg_1_replication"));
    EXPECT_TRUE(t["resource"]["google_secret_manager_secret_iam_member"].contains("pg_1_replication"));
    EXPECT_TRUE(t["resource"]["google_compute_disk"].contains("pg_1_replica_2_data"));
}

TEST(TransformGcp, RefusesOtherClouds) {
    auto r = plan::Transform(plan::DefaultPlan(), plan::Target::GcpTerraform);
    EXPECT_TRUE(r.documents.empty());
    ASSERT_FALSE(r.diagnostics.empty());
    EXPECT_EQ(r.diagnostics.back().code, "transform.wrong_cloud");
    r = plan::Transform(GcpPlan(), plan::Target::AzureArm);
    EXPECT_TRUE(r.documents.empty());
    EXPECT_EQ(r.diagnostics.back().code, "transform.wrong_cloud");
}

TEST(TransformGcp, SamePlanSameBytes) {
    const plan::Plan p = GcpPlan();
    EXPECT_EQ(plan::Transform(p, plan::Target::GcpTerraform).documents.at(0).text,
              plan::Transform(p, plan::Target::GcpTerraform).documents.at(0).text);
}

TEST(TransformGcp, GoldenConfigurations) {
    // scripts/regen_golden rewrites these after a deliberate change; review the diff before committing.
    for (const char* name : {"gcp_analytics"}) {
        const std::string plan_text = ReadFile(std::string(CS_TEST_DATA) + "/plans/" + name + ".json");
        const auto parsed = plan::CheckPlan(plan_text);
        ASSERT_TRUE(parsed.plan.has_value()) << name;
        const auto r = plan::Transform(*parsed.plan, plan::Target::GcpTerraform);
        ASSERT_EQ(r.documents.size(), 1u) << name << "\n" << plan::FormatDiagnostics(r.diagnostics);
        const std::string golden = ReadFile(std::string(CS_TEST_DATA) + "/golden/" + name + ".gcp.tf.json");
        EXPECT_EQ(r.documents[0].text, golden) << name << ": run scripts/regen_golden and review the diff";
    }
}

}  // namespace
