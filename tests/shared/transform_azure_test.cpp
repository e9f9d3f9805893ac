// The Azure transformer: structure and security properties of the ARM template, the first-boot script
// it carries as custom data, refusals, and golden files (rewritten only by scripts/regen_golden).
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "plan/json.hpp"
#include "plan/transform.hpp"
#include "plan/validate.hpp"

namespace {

using nlohmann::json;

plan::PostgresSpec& Pg(plan::Plan& p) { return std::get<plan::PostgresSpec>(p.components[1].spec); }
plan::VmSpec& Vm(plan::Plan& p) { return std::get<plan::VmSpec>(p.components[0].spec); }

plan::Plan AzurePlan() {
    plan::Plan p = plan::DefaultPlan("orders");
    p.cloud = {"azure", "westeurope"};
    Vm(p).os = {"linux", "ubuntu", "24.04"};
    Vm(p).hardware.instance_type = "Standard_D2s_v5";
    return p;
}

json Render(const plan::Plan& p) {
    const plan::TransformResult r = plan::Transform(p, plan::Target::AzureArm);
    EXPECT_FALSE(plan::HasErrors(r.diagnostics)) << plan::FormatDiagnostics(r.diagnostics);
    if (r.documents.size() != 1) return json();
    return json::parse(r.documents[0].text);
}

// The resources of `type`, in template order.
std::vector<json> OfType(const json& t, const std::string& type) {
    std::vector<json> out;
    for (const json& r : t["resources"]) {
        if (r["type"] == type) out.push_back(r);
    }
    return out;
}

json Named(const json& t, const std::string& name) {
    for (const json& r : t["resources"]) {
        if (r["name"] == name) return r;
    }
    ADD_FAILURE() << "no resource " << name;
    return json();
}

std::string Decode(const std::string& b64) {
    static const std::string kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    unsigned value = 0;
    int bits = 0;
    for (char c : b64) {
        if (c == '=') break;
        value = (value << 6) | static_cast<unsigned>(kAlphabet.find(c));
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((value >> bits) & 0xff);
        }
    }
    return out;
}

std::string Script(const json& vm) { return Decode(vm["properties"]["osProfile"]["customData"].get<std::string>()); }

std::string ReadFile(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream s;
    s << file.rdbuf();
    return s.str();
}

TEST(TransformAzure, DefaultPlanRendersEveryPiece) {
    const plan::TransformResult r = plan::Transform(AzurePlan(), plan::Target::AzureArm);
    ASSERT_EQ(r.documents.size(), 1u) << plan::FormatDiagnostics(r.diagnostics);
    EXPECT_EQ(r.documents[0].filename, "orders.azure.json");
    const json t = json::parse(r.documents[0].text);
    EXPECT_EQ(t["$schema"], "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#");
    for (const char* p : {"location", "subnetId", "adminUsername", "adminSshPublicKey", "keyVaultName"}) {
        EXPECT_TRUE(t["parameters"].contains(p)) << p;
    }
    EXPECT_EQ(t["parameters"]["location"]["defaultValue"], "westeurope");
    const std::set<std::string> expected{"Microsoft.Network/applicationSecurityGroups",
                                         "Microsoft.Network/networkSecurityGroups",
                                         "Microsoft.Storage/storageAccounts",
                                         "Microsoft.Storage/storageAccounts/blobServices/containers",
                                         "Microsoft.Storage/storageAccounts/managementPolicies",
                                         "Microsoft.Network/networkInterfaces",
                                         "Microsoft.Compute/virtualMachines",
                                         "Microsoft.Authorization/roleAssignments"};
    std::set<std::string> types;
    for (const json& res : t["resources"]) {
        types.insert(res["type"].get<std::string>());
        EXPECT_TRUE(res.contains("apiVersion")) << res["type"];
    }
    EXPECT_EQ(types, expected);
    const json vm = Named(t, "cs-pg-1-primary");
    EXPECT_EQ(vm["properties"]["hardwareProfile"]["vmSize"], "Standard_D2s_v5");
    EXPECT_EQ(vm["properties"]["storageProfile"]["imageReference"]["publisher"], "Canonical");
    EXPECT_EQ(vm["properties"]["storageProfile"]["imageReference"]["offer"], "ubuntu-24_04-lts");
    EXPECT_EQ(vm["identity"]["type"], "SystemAssigned");
    EXPECT_EQ(vm["properties"]["osProfile"]["linuxConfiguration"]["disablePasswordAuthentication"], true);
    EXPECT_EQ(t["outputs"]["pg1Port"]["value"], 5432);
    EXPECT_TRUE(t["outputs"].contains("pg1Endpoint"));
}

TEST(TransformAzure, SecurityGroupOpensOnlyThePlansRangesAndDeniesTheRest) {
    plan::Plan p = AzurePlan();
    Pg(p).allowed_cidrs = {"10.1.0.0/16", "2001:db8::/32"};
    Pg(p).port = 6543;
    const json t = Render(p);
    const json rules = Named(t, "cs-pg-1-nsg")["properties"]["securityRules"];
    ASSERT_EQ(rules.size(), 3u);
    EXPECT_EQ(rules[0]["properties"]["sourceAddressPrefix"], "10.1.0.0/16");
    EXPECT_EQ(rules[1]["properties"]["sourceAddressPrefix"], "2001:db8::/32");
    for (int i = 0; i < 2; ++i) {
        EXPECT_EQ(rules[i]["properties"]["access"], "Allow");
        EXPECT_EQ(rules[i]["properties"]["destinationPortRange"], "6543");
        EXPECT_EQ(rules[i]["properties"]["direction"], "Inbound");
    }
    EXPECT_EQ(rules[2]["properties"]["access"], "Deny");
    EXPECT_EQ(rules[2]["properties"]["sourceAddressPrefix"], "*");
    EXPECT_GT(rules[2]["properties"]["priority"].get<int>(), rules[1]["properties"]["priority"].get<int>());
    // Private: no public address anywhere.
    EXPECT_TRUE(OfType(t, "Microsoft.Network/publicIPAddresses").empty());
    EXPECT_FALSE(Named(t, "cs-pg-1-primary-nic")["properties"]["ipConfigurations"][0]["properties"].contains("publicIPAddress"));
}

TEST(TransformAzure, PublicMeansReachableFromAnywhereAndAPublicAddress) {
    plan::Plan p = AzurePlan();
    Pg(p).publicly_accessible = true;
    Pg(p).allowed_cidrs = {};
    const json t = Render(p);
    const json rules = Named(t, "cs-pg-1-nsg")["properties"]["securityRules"];
    EXPECT_EQ(rules[0]["properties"]["sourceAddressPrefix"], "*");
    EXPECT_EQ(rules[0]["properties"]["access"], "Allow");
    EXPECT_EQ(OfType(t, "Microsoft.Network/publicIPAddresses").size(), 1u);
    EXPECT_TRUE(Named(t, "cs-pg-1-primary-nic")["properties"]["ipConfigurations"][0]["properties"].contains("publicIPAddress"));
    EXPECT_NE(t["outputs"]["pg1Endpoint"]["value"].get<std::string>().find("publicIPAddresses"), std::string::npos);
}

TEST(TransformAzure, DisksAreManagedSizedAndTypedAsPlanned) {
    plan::Plan p = AzurePlan();
    Vm(p).disk.size_gib = 300;
    json vm = Named(Render(p), "cs-pg-1-primary");
    const json data = vm["properties"]["storageProfile"]["dataDisks"];
    ASSERT_EQ(data.size(), 1u);
    EXPECT_EQ(data[0]["diskSizeGB"], 300);
    EXPECT_EQ(data[0]["managedDisk"]["storageAccountType"], "Premium_LRS");
    EXPECT_EQ(vm["properties"]["storageProfile"]["osDisk"]["managedDisk"]["storageAccountType"], "Premium_LRS");
    EXPECT_TRUE(vm["properties"]["securityProfile"].contains("encryptionAtHost"));
    Vm(p).disk.type = plan::DiskType::Hdd;
    vm = Named(Render(p), "cs-pg-1-primary");
    EXPECT_EQ(vm["properties"]["storageProfile"]["dataDisks"][0]["managedDisk"]["storageAccountType"], "Standard_LRS");
}

TEST(TransformAzure, BackupStorageIsPrivateHttpsOnlyAndExpiresWithRetention) {
    plan::Plan p = AzurePlan();
    Pg(p).backups.retention_days = 14;
    const json t = Render(p);
    const json account = OfType(t, "Microsoft.Storage/storageAccounts").at(0)["properties"];
    EXPECT_EQ(account["supportsHttpsTrafficOnly"], true);
    EXPECT_EQ(account["minimumTlsVersion"], "TLS1_2");
    EXPECT_EQ(account["allowBlobPublicAccess"], false);
    EXPECT_EQ(account["allowSharedKeyAccess"], false);
    EXPECT_EQ(OfType(t, "Microsoft.Storage/storageAccounts/blobServices/containers").at(0)["properties"]["publicAccess"], "None");
    const json rules = OfType(t, "Microsoft.Storage/storageAccounts/managementPolicies").at(0)["properties"]["policy"]["rules"];
    ASSERT_EQ(rules.size(), 2u);
    EXPECT_EQ(rules[0]["definition"]["actions"]["baseBlob"]["delete"]["daysAfterModificationGreaterThan"], 14);
    EXPECT_EQ(rules[1]["definition"]["actions"]["baseBlob"]["delete"]["daysAfterModificationGreaterThan"], 15);
    EXPECT_EQ(rules[0]["definition"]["filters"]["prefixMatch"][0], "backups/cloudsketch-unsaved-development/pg-1/base/");

    Pg(p).backups.enabled = false;
    EXPECT_TRUE(OfType(Render(p), "Microsoft.Storage/storageAccounts/managementPolicies").empty());
}

TEST(TransformAzure, IdentityMayUseOnlyItsContainerAndItsSecrets) {
    plan::Plan p = AzurePlan();
    p.id = "p_abc";
    const json t = Render(p);
    const std::vector<json> roles = OfType(t, "Microsoft.Authorization/roleAssignments");
    ASSERT_EQ(roles.size(), 2u);
    EXPECT_NE(roles[0]["scope"].get<std::string>().find("/containers/backups"), std::string::npos);
    EXPECT_NE(roles[0]["properties"]["roleDefinitionId"].get<std::string>().find("ba92f5b4-2d11-453d-a403-e96b0029c9fe"),
              std::string::npos);  // Storage Blob Data Contributor
    EXPECT_NE(roles[1]["scope"].get<std::string>().find("cloudsketch-p-abc-development-pg-1-app-password"), std::string::npos);
    EXPECT_NE(roles[1]["properties"]["roleDefinitionId"].get<std::string>().find("4633458b-17de-408a-b874-0445c86b69e6"),
              std::string::npos);  // Key Vault Secrets User
    for (const json& role : roles) EXPECT_EQ(role["properties"]["principalType"], "ServicePrincipal");
}

TEST(TransformAzure, CustomDataIsTheBootstrapWithAzureTools) {
    plan::Plan p = AzurePlan();
    p.id = "p_abc";
    const json t = Render(p);
    const std::string script = Script(Named(t, "cs-pg-1-primary"));
    EXPECT_EQ(script.rfind("#!/bin/bash\n", 0), 0u);
    EXPECT_NE(script.find("az login --identity"), std::string::npos);
    EXPECT_NE(script.find("az keyvault secret show"), std::string::npos);
    EXPECT_NE(script.find("secret 'cloudsketch-p-abc-development-pg-1-app-password'"), std::string::npos);
    EXPECT_NE(script.find("/dev/disk/azure/scsi1/lun0"), std::string::npos);
    EXPECT_NE(script.find("cloudsketch-store put - \"bootstrap/$SIGNAL_RESOURCE.json\""), std::string::npos);
    EXPECT_NE(script.find("archive_mode = on"), std::string::npos);
    for (const char* aws : {"cfn-signal", "CFN_SIGNAL", "aws s3", "ssm get-parameter", "{{"}) {
        EXPECT_EQ(script.find(aws), std::string::npos) << aws;
    }
    EXPECT_EQ(t.dump().find("PASSWORD '"), std::string::npos);
}

TEST(TransformAzure, ReplicasStreamFromThePrimary) {
    plan::Plan p = AzurePlan();
    Pg(p).topology = plan::Topology::PrimaryReplicas;
    Pg(p).replicas = 2;
    const json t = Render(p);
    const json replica = Named(t, "cs-pg-1-replica-2");
    EXPECT_NE(replica["tags"]["cloudsketch-primary"].get<std::string>().find("cs-pg-1-primary-nic"), std::string::npos);
    const std::string script = Script(replica);
    EXPECT_NE(script.find("-h \"$(cs_tag cloudsketch-primary)\""), std::string::npos);
    EXPECT_NE(script.find("-S replica_2"), std::string::npos);
    const json rules = Named(t, "cs-pg-1-nsg")["properties"]["securityRules"];
    EXPECT_EQ(rules[1]["name"], "replication");
    EXPECT_TRUE(rules[1]["properties"].contains("sourceApplicationSecurityGroups"));
    EXPECT_TRUE(t["outputs"].contains("pg1ReplicaEndpoints"));
}

TEST(TransformAzure, RefusesOtherCloudsAndUnavailableImages) {
    plan::Plan p = plan::DefaultPlan();  // aws
    auto r = plan::Transform(p, plan::Target::AzureArm);
    EXPECT_TRUE(r.documents.empty());
    ASSERT_FALSE(r.diagnostics.empty());
    EXPECT_EQ(r.diagnostics.back().code, "transform.wrong_cloud");

    p = AzurePlan();
    Vm(p).os = {"linux", "amazon-linux", "2023"};  // no Amazon Linux on Azure
    r = plan::Transform(p, plan::Target::AzureArm);
    EXPECT_TRUE(r.documents.empty());
    EXPECT_TRUE(plan::HasErrors(r.diagnostics));

    r = plan::Transform(AzurePlan(), plan::Target::AwsCloudFormation);
    EXPECT_TRUE(r.documents.empty());
    EXPECT_EQ(r.diagnostics.back().code, "transform.wrong_cloud");
}

TEST(TransformAzure, SamePlanSameBytes) {
    const plan::Plan p = AzurePlan();
    EXPECT_EQ(plan::Transform(p, plan::Target::AzureArm).documents.at(0).text,
              plan::Transform(p, plan::Target::AzureArm).documents.at(0).text);
}

TEST(TransformAzure, GoldenTemplates) {
    // scripts/regen_golden rewrites these after a deliberate change; review the diff before committing.
    for (const char* name : {"azure_orders"}) {
        const std::string plan_text = ReadFile(std::string(CS_TEST_DATA) + "/plans/" + name + ".json");
        const auto parsed = plan::CheckPlan(plan_text);
        ASSERT_TRUE(parsed.plan.has_value()) << name;
        const auto r = plan::Transform(*parsed.plan, plan::Target::AzureArm);
        ASSERT_EQ(r.documents.size(), 1u) << name << "\n" << plan::FormatDiagnostics(r.diagnostics);
        const std::string golden = ReadFile(std::string(CS_TEST_DATA) + "/golden/" + name + ".azure.json");
        EXPECT_EQ(r.documents[0].text, golden) << name << ": run scripts/regen_golden and review the diff";
    }
}

}  // namespace
