// Transform(): validate, resolve the catalogue (instance type, image), then hand each database to the
// target's emitter. Nothing is rendered while the plan has errors: a half-right template is worse
// than none.
#include "plan/transform.hpp"

#include <algorithm>
#include <set>

#include "emit_cloudformation.hpp"
#include "plan/catalog.hpp"
#include "plan/validate.hpp"

namespace plan {
namespace {

using nlohmann::ordered_json;

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

TransformResult EmitCloudFormation(const Plan& plan, TransformResult result) {
    ordered_json parameters;
    parameters["VpcId"] = {{"Type", "AWS::EC2::VPC::Id"}, {"Description", "VPC the database servers run in"}};
    parameters["SubnetId"] = {{"Type", "AWS::EC2::Subnet::Id"},
                              {"Description", "Subnet of that VPC for the servers (public only if the plan says so)"}};
    ordered_json resources;
    ordered_json outputs;
    for (std::size_t i = 0; i < plan.components.size(); ++i) {
        const auto* pg = std::get_if<PostgresSpec>(&plan.components[i].spec);
        if (pg == nullptr) continue;
        const VmSpec& vm = std::get<VmSpec>(plan.Find(pg->host)->spec);
        const InstanceType* type = ResolveInstance(plan, vm);
        const ImageResult image = type ? ImageForVm(plan.cloud.provider, vm, type->arch) : ImageResult{};
        if (type == nullptr || !image.image) {
            // CheckHardware reported why; keep going so every problem is listed at once.
            if (image.problem) result.diagnostics.push_back(*image.problem);
            continue;
        }
        detail::EmitDatabase(plan, i, *type, *image.image, parameters, resources, outputs, result.diagnostics);
    }
    if (HasErrors(result.diagnostics)) return result;

    ordered_json tpl;
    tpl["AWSTemplateFormatVersion"] = "2010-09-09";
    tpl["Description"] = "CloudSketch plan \"" + plan.name + "\" (" + std::string(ToString(plan.environment)) +
                         "): PostgreSQL on EC2, tuned, secured and backed up.";
    tpl["Metadata"] = {{"CloudSketch", {{"plan", plan.id.empty() ? "unsaved" : plan.id},
                                        {"revision", plan.revision},
                                        {"schema_version", plan.schema_version}}}};
    tpl["Parameters"] = parameters;
    tpl["Resources"] = resources;
    tpl["Outputs"] = outputs;
    result.documents.push_back({Slug(plan.name) + ".cloudformation.json", "application/json",
                                tpl.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"});
    return result;
}

}  // namespace

TransformResult Transform(const Plan& plan, Target target) {
    TransformResult result;
    result.diagnostics = Validate(plan);
    if (HasErrors(result.diagnostics)) return result;
    switch (target) {
        case Target::AwsCloudFormation:
            if (plan.cloud.provider != "aws") {
                result.diagnostics.push_back({Severity::Error, "/cloud/provider", "transform.wrong_cloud",
                                              "This plan targets " + plan.cloud.provider +
                                                  "; set cloud.provider to aws for a CloudFormation template."});
                return result;
            }
            if (std::none_of(plan.components.begin(), plan.components.end(),
                             [](const Component& c) { return c.IsPostgres(); })) {
                result.diagnostics.push_back({Severity::Error, "/components", "transform.nothing_to_deploy",
                                              "The plan has no PostgreSQL; add one (on a VM) to render a template."});
                return result;
            }
            CheckAwsSupport(plan, result.diagnostics);
            if (HasErrors(result.diagnostics)) return result;
            return EmitCloudFormation(plan, std::move(result));
    }
    return result;
}

}  // namespace plan
