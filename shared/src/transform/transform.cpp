// Transform(): validate, resolve the catalogue (instance type, image), then hand each database to the
// target's emitter. Nothing is rendered while the plan has errors: a half-right template is worse
// than none.
#include "plan/transform.hpp"

#include <algorithm>
#include <set>

#include "emit_arm.hpp"
#include "emit_cloudformation.hpp"
#include "emit_terraform.hpp"
#include "plan/catalog.hpp"
#include "plan/validate.hpp"

namespace plan {
namespace {

// PostgreSQL majors packaged in Amazon Linux 2023's own repositories (postgresqlNN-server).
const std::set<std::string, std::less<>> kAmazonLinuxPostgres{"15", "16", "17"};

std::string Slug(std::string_view name) {
    std::string out;
    for (char c : name) {
        const unsigned char u = static_cast<unsigned char>(c);
        if (std::isalnum(u)) {
            out += static_cast<char>(std::tolower(u));
        } else if (!out.empty() && out.back() != '-') {
            out += '-';
        }
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out.empty() ? "plan" : out.substr(0, 60);
}

void CheckAwsSupport(const Plan& plan, Diagnostics& out) {
    for (std::size_t i = 0; i < plan.components.size(); ++i) {
        const auto* pg = std::get_if<PostgresSpec>(&plan.components[i].spec);
        if (pg == nullptr) continue;
        const Component* host = plan.Find(pg->host);
        if (host == nullptr || !host->IsVm()) continue;
        const VmSpec& vm = std::get<VmSpec>(host->spec);
        if (vm.os.distribution == "amazon-linux" && !kAmazonLinuxPostgres.count(pg->version)) {
            out.push_back({Severity::Error, "/components/" + std::to_string(i) + "/version",
                           "os.postgres_version_unpackaged",
                           "Amazon Linux 2023 packages PostgreSQL 15, 16 and 17 only; choose one of those, or run "
                           "PostgreSQL " + pg->version + " on Ubuntu or Debian (PostgreSQL's own repository)."});
        }
    }
}

// Key Vault and Secret Manager names: the SSM path flattened ("/a/b_c/d" -> "a-b-c-d").
std::string FlatSecretName(std::string path) {
    path.erase(0, 1);
    for (char& c : path) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '-';
    }
    return path;
}

// The checks every target shares: the plan's cloud is the target's, and it has a database to deploy.
// (Validate has already applied the catalogue's hardware rules.)
bool CheckTarget(const Plan& plan, std::string_view provider, std::string_view document, Diagnostics& out) {
    if (plan.cloud.provider != provider) {
        out.push_back({Severity::Error, "/cloud/provider", "transform.wrong_cloud",
                       "This plan targets " + plan.cloud.provider + "; set cloud.provider to " + std::string(provider) +
                           " for " + std::string(document) + "."});
        return false;
    }
    if (std::none_of(plan.components.begin(), plan.components.end(), [](const Component& c) { return c.IsPostgres(); })) {
        out.push_back({Severity::Error, "/components", "transform.nothing_to_deploy",
                       "The plan has no PostgreSQL; add one (on a VM) to render a template."});
        return false;
    }
    return true;
}

TransformResult EmitCloudFormation(const Plan& plan, TransformResult result) {
    // Refuse before any work a stack could not take.
    int resources = 0;
    for (const Component& c : plan.components) {
        if (const auto* pg = std::get_if<PostgresSpec>(&c.spec)) resources += detail::CountResources(*pg);
    }
    if (resources > detail::kMaxStackResources) {
        result.diagnostics.push_back(
            {Severity::Error, "/components", "transform.too_many_resources",
             "This plan needs " + std::to_string(resources) + " CloudFormation resources; one stack holds at most " +
                 std::to_string(detail::kMaxStackResources) +
                 ". Split it into several plans (a database with its VM needs 5 to 8, plus one per replica)."});
        return result;
    }
    std::vector<detail::CfnDatabase> databases;
    for (std::size_t i = 0; i < plan.components.size(); ++i) {
        const auto* pg = std::get_if<PostgresSpec>(&plan.components[i].spec);
        if (pg == nullptr) continue;
        const VmSpec& vm = std::get<VmSpec>(plan.Find(pg->host)->spec);
        const InstanceType* type = ResolveInstance(plan, vm);
        ImageResult image = type ? ImageForVm(plan.cloud.provider, vm, type->arch) : ImageResult{};
        if (type == nullptr || !image.image) {
            // CheckHardware reported why; keep going so every problem is listed at once.
            if (image.problem) result.diagnostics.push_back(*image.problem);
            continue;
        }
        databases.push_back(detail::PrepareDatabase(plan, i, *type, std::move(*image.image)));
        const Diagnostics& warnings = databases.back().config.warnings;
        result.diagnostics.insert(result.diagnostics.end(), warnings.begin(), warnings.end());
    }
    if (HasErrors(result.diagnostics)) return result;
    result.documents.push_back(
        {Slug(plan.name) + ".cloudformation.json", "application/json", detail::WriteCloudFormation(plan, databases)});
    return result;
}

}  // namespace

TransformResult Transform(const Plan& plan, Target target) {
    TransformResult result;
    result.diagnostics = Validate(plan);
    if (HasErrors(result.diagnostics)) return result;
    switch (target) {
        case Target::AwsCloudFormation:
            if (!CheckTarget(plan, "aws", "a CloudFormation template", result.diagnostics)) return result;
            CheckAwsSupport(plan, result.diagnostics);
            if (HasErrors(result.diagnostics)) return result;
            return EmitCloudFormation(plan, std::move(result));
        case Target::AzureArm:
            if (!CheckTarget(plan, "azure", "an ARM template", result.diagnostics)) return result;
            return detail::EmitArm(plan, Slug(plan.name), std::move(result));
        case Target::GcpTerraform:
            if (!CheckTarget(plan, "gcp", "a Terraform configuration", result.diagnostics)) return result;
            return detail::EmitTerraform(plan, Slug(plan.name), std::move(result));
    }
    return result;
}

std::string PasswordSecretName(const Plan& plan, const Component& component) {
    return FlatSecretName(PasswordParameterName(plan, component));
}

std::string ReplicationPasswordSecretName(const Plan& plan, const Component& component) {
    return FlatSecretName(ReplicationPasswordParameterName(plan, component));
}

}  // namespace plan
