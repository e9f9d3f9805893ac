#include "deploy/aws/stack_progress.hpp"

#include <algorithm>
#include <cctype>

namespace gw::deploy::awsdeploy {
namespace {

bool Contains(std::string_view text, std::string_view part) {
    auto it = std::search(text.begin(), text.end(), part.begin(), part.end(),
                          [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) ==
                                                      std::tolower(static_cast<unsigned char>(b)); });
    return it != text.end();
}

}  // namespace

std::string DescribeEvent(const aws::cfn::StackEvent& e) {
    std::string line = e.logical_id + " (" + e.resource_type + "): " + e.status;
    if (!e.reason.empty()) line += " - " + e.reason;
    return line;
}

std::string_view EventLevel(const aws::cfn::StackEvent& e) {
    if (aws::cfn::IsFailedResourceStatus(e.status)) return "error";
    if (e.status.find("ROLLBACK") != std::string::npos) return "warning";
    return "info";
}

bool IsRootFailure(const aws::cfn::StackEvent& e) {
    if (!aws::cfn::IsFailedResourceStatus(e.status)) return false;
    if (e.resource_type == "AWS::CloudFormation::Stack") return false;  // the stack fails because a resource did
    return !Contains(e.reason, "cancelled") && !Contains(e.reason, "canceled");
}

std::string PlainReason(std::string_view reason) {
    // "API: ec2:RunInstances You are not authorized to perform this operation. ..."
    if (Contains(reason, "not authorized")) {
        const auto api = reason.find("API: ");
        if (api != std::string_view::npos) {
            auto rest = reason.substr(api + 5);
            return "not authorized to perform " + std::string(rest.substr(0, rest.find(' ')));
        }
        return std::string(reason);
    }
    if (Contains(reason, "resource signal") || Contains(reason, "timed out waiting")) {
        return "timed out waiting for PostgreSQL to signal (the first-boot script did not report in time; its log is "
               "/var/log/cloudsketch-bootstrap.log on the instance): " + std::string(reason);
    }
    if (Contains(reason, "Unsupported") || Contains(reason, "InsufficientInstanceCapacity") ||
        Contains(reason, "not supported in your requested Availability Zone")) {
        return "instance type not available in this zone: " + std::string(reason);
    }
    return std::string(reason);
}

StackOutcome Classify(std::string_view s) {
    if (s == "UPDATE_ROLLBACK_COMPLETE") return StackOutcome::UpdateRolledBack;
    if (aws::cfn::IsInProgress(s)) return StackOutcome::InProgress;
    if (s == "CREATE_COMPLETE" || s == "UPDATE_COMPLETE" || s == "IMPORT_COMPLETE") return StackOutcome::Succeeded;
    if (s == "ROLLBACK_COMPLETE" || s == "ROLLBACK_FAILED" || s == "CREATE_FAILED") return StackOutcome::CreateRolledBack;
    return StackOutcome::Broken;  // UPDATE_ROLLBACK_FAILED, DELETE_*, REVIEW_IN_PROGRESS, ...
}

}  // namespace gw::deploy::awsdeploy
