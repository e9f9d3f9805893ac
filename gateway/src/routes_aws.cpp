// AWS-only plan routes: drift detection on request (docs/aws.md). Ownership first (another user's plan is
// 404), then the plan must be deployed on AWS; the detection runs as the plan's owner.
#include "aws_account.hpp"
#include "http_util.hpp"
#include "routes.hpp"

namespace gw {

deploy::AwsTargetOptions GatewayAwsOptions(Store& store) {
    auto options = deploy::AwsTargetOptionsFromEnv(aws::ProcessEnv());
    options.user_role = [&store](std::string_view owner) -> std::optional<deploy::AwsUserRole> {
        auto link = store.cloud_accounts().GetAwsLink(std::string(owner));
        if (!link || link->role_arn.empty()) return std::nullopt;
        return deploy::AwsUserRole{link->role_arn, link->external_id};
    };
    return options;
}

void HandleDrift(RouteContext& ctx) {
    const std::string plan_id = ctx.Param(1);
    if (!ctx.services.store.GetPlan(ctx.user_id, plan_id)) {
        return ReplyError(ctx.res, 404, "not_found", "No plan with this id.");
    }
    const auto target = ctx.services.store.deployments().GetPlanTarget(plan_id);
    if (!target || !target->deployed || target->owner_id != ctx.user_id) {
        return ReplyError(ctx.res, 409, "not_deployed", "The plan is not deployed; deploy it first.");
    }
    if (target->provider != "aws") {
        return ReplyError(ctx.res, 409, "drift.unsupported",
                          "Drift detection compares a CloudFormation stack with its template; this plan is deployed on " +
                              target->provider + ", which has no stack.");
    }
    const auto state = nlohmann::json::parse(target->state, nullptr, false);
    // Up to 20 s here; a longer detection answers 202 and a later POST starts a fresh one.
    auto report = deploy::DetectDrift(GatewayAwsOptions(ctx.services.store), ctx.user_id, state, 20000);
    if (!report) {
        const auto& e = report.error();
        return ReplyError(ctx.res, 502, "aws.error",
                          "AWS refused drift detection: " + e.code + ": " + e.message +
                              (e.request_id.empty() ? "" : " (request id " + e.request_id + ")"));
    }
    nlohmann::ordered_json body;
    body["detection_id"] = report->detection_id;
    body["detection_status"] = report->detection_status;
    body["drift_status"] = report->drift_status.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(report->drift_status);
    body["drifted_resources"] = report->drifted_resources;
    if (!report->reason.empty()) body["reason"] = report->reason;
    ReplyJson(ctx.res, report->detection_status == "DETECTION_IN_PROGRESS" ? 202 : 200, body);
}

}  // namespace gw
