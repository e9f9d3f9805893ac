// Deployments (docs/deploy.md): deploy, destroy, backup, the deployment records, connection details and
// the password on request. Handlers check ownership (another user's plan or deployment is 404) and hand
// the work to the deploy engine; no SQL, no target code here.
#include "crypto.hpp"
#include "deploy/engine.hpp"
#include "http_util.hpp"
#include "plan/json.hpp"
#include "plan/validate.hpp"
#include "json_writer.hpp"
#include "routes.hpp"

namespace gw {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

ordered_json TimeOrNull(TimeMs ms) { return ms ? ordered_json(FormatTimestamp(ms)) : ordered_json(nullptr); }

ordered_json DeploymentJson(const Deployment& d, bool with_events) {
    ordered_json out;
    out["id"] = d.id;
    out["plan_id"] = d.plan_id;
    out["revision"] = d.revision;
    out["kind"] = d.kind;
    out["state"] = d.state;
    out["step"] = d.step.empty() ? ordered_json(nullptr) : ordered_json(d.step);
    out["progress"] = d.progress;
    ordered_json steps = ordered_json::array();
    for (const DeploymentStep& s : d.steps) {
        steps.push_back({{"name", s.name},
                         {"state", s.state},
                         {"started_at", TimeOrNull(s.started_at)},
                         {"finished_at", TimeOrNull(s.finished_at)},
                         {"runs", s.runs}});
    }
    out["steps"] = steps;
    if (with_events) {
        ordered_json events = ordered_json::array();
        for (const DeploymentEvent& e : d.events) {
            events.push_back({{"at", FormatTimestamp(e.at)}, {"level", e.level}, {"message", e.message}});
        }
        out["events"] = events;
    }
    out["error"] = d.error.empty() ? ordered_json(nullptr) : ordered_json(d.error);
    out["created_at"] = FormatTimestamp(d.created_at);
    out["finished_at"] = TimeOrNull(d.finished_at);
    return out;
}

void ReplyPlanNotFound(RouteContext& ctx) { ReplyError(ctx.res, 404, "not_found", "No plan with this id."); }

// An optional JSON object body: none (or only whitespace) means {}; `known` are the options the route
// takes, so a misspelt one is an error rather than silently ignored. false when the reply has been sent.
bool OptionalBody(RouteContext& ctx, json& out, std::initializer_list<const char*> known) {
    out = json::object();
    if (ctx.req.body.find_first_not_of(" \t\r\n") == std::string::npos) return true;
    if (!ReadJsonBody(ctx.req, ctx.res, out)) return false;
    if (!out.is_object()) {
        ReplyError(ctx.res, 422, "request.invalid", "The body must be a JSON object (or empty).",
                   {Detail("", "type.object_expected", "Send a JSON object, or no body.")});
        return false;
    }
    std::string names;
    for (const char* k : known) names += std::string(names.empty() ? "" : ", ") + k;
    for (const auto& [key, value] : out.items()) {
        bool ok = false;
        for (const char* k : known) ok = ok || key == k;
        if (ok) continue;
        const std::string message = "Unknown option \"" + key + "\"; " +
                                    (names.empty() ? std::string("this request takes none: send {} or no body.")
                                                   : "this request takes: " + names + ".");
        ReplyError(ctx.res, 422, "request.invalid", message, {Detail("/" + key, "option.unknown", message)});
        return false;
    }
    return true;
}

// body[key] as a boolean (default when absent); false when the reply (422) has been sent.
bool BoolOption(RouteContext& ctx, const json& body, const char* key, bool& value) {
    if (!body.contains(key)) return true;
    if (!body[key].is_boolean()) {
        const std::string message = std::string(key) + " must be true or false.";
        ReplyError(ctx.res, 422, "request.invalid", message,
                   {Detail(std::string("/") + key, "type.boolean_expected", message)});
        return false;
    }
    value = body[key].get<bool>();
    return true;
}

void ReplyJob(RouteContext& ctx, const deploy::JobRequest& job) {
    using Outcome = deploy::JobRequest::Outcome;
    switch (job.outcome) {
        case Outcome::Queued:
            ctx.res.set_header("Location", "/v1/deployments/" + job.deployment.id);
            ReplyJson(ctx.res, 202, {{"deployment", DeploymentJson(job.deployment, false)}});
            return;
        case Outcome::Busy:
            ReplyError(ctx.res, 409, "deployment_running", job.message);
            return;
        case Outcome::NotDeployed:
            ReplyError(ctx.res, 409, "not_deployed", job.message);
            return;
        case Outcome::NoTarget:
            ReplyError(ctx.res, 422, "deploy.target_unavailable", job.message,
                       {Detail("/cloud/provider", "cloud.provider_not_served", job.message)});
            return;
        case Outcome::NotFound:
            ReplyPlanNotFound(ctx);
            return;
        case Outcome::QuotaExceeded:
            ReplyQuotaExceeded(ctx, 409, job.quota, job.limit, job.in_use, job.message);
            return;
    }
}

deploy::JobLimits Limits(const RouteContext& ctx) {
    return {ctx.services.config.max_active_jobs_per_user, ctx.services.config.max_local_servers_per_user};
}

}  // namespace

void WritePlanStatus(JsonWriter& out, const deploy::PlanStatus& s) {
    out.BeginObject();
    out.Key("light").String(s.light);
    out.Key("reason").String(s.reason);
    if (s.light == "orange") {
        out.Key("step");
        s.step.empty() ? out.Null() : out.String(s.step);
        out.Key("progress").Number(s.progress);
    }
    if (!s.deployment_id.empty()) out.Key("deployment_id").String(s.deployment_id);
    if (s.last_deployed_at) out.Key("last_deployed_at").String(FormatTimestamp(s.last_deployed_at));
    if (s.checked_at) {
        out.Key("checked_at").String(FormatTimestamp(s.checked_at));
        out.Key("checks").Raw(s.checks.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
    out.EndObject();
}

ordered_json PlanStatusJson(const deploy::PlanStatus& s) {
    JsonWriter out;
    WritePlanStatus(out, s);
    return ordered_json::parse(out.text());
}

void HandleDeploy(RouteContext& ctx) {
    json body;
    if (!OptionalBody(ctx, body, {})) return;
    const auto record = ctx.services.store.GetPlan(ctx.user_id, ctx.Param(1));
    if (!record) return ReplyPlanNotFound(ctx);
    // Rules evolve: the stored revision is checked again now, and an invalid plan is never deployed.
    const plan::ParseOutcome outcome = plan::CheckPlan(record->document);
    if (!outcome.plan || plan::HasErrors(outcome.diagnostics)) {
        json details = json::array();
        for (const plan::Diagnostic& d : outcome.diagnostics) {
            if (d.severity == plan::Severity::Error) details.push_back(Detail(d.path, d.code, d.message));
        }
        ReplyError(ctx.res, 422, "plan.invalid",
                   "The plan has " + std::to_string(details.size()) +
                       (details.size() == 1 ? " problem" : " problems") + "; fix it before deploying.",
                   details);
        return;
    }
    ReplyJob(ctx, ctx.services.engine.Deploy(*record, *outcome.plan, Limits(ctx)));
}

void HandleListDeployments(RouteContext& ctx) {
    const std::string plan_id = ctx.Param(1);
    if (!ctx.services.store.GetPlan(ctx.user_id, plan_id)) return ReplyPlanNotFound(ctx);
    ordered_json items = ordered_json::array();
    for (const Deployment& d : ctx.services.engine.List(ctx.user_id, plan_id)) items.push_back(DeploymentJson(d, false));
    ReplyJson(ctx.res, 200, {{"items", items}});
}

void HandleGetDeployment(RouteContext& ctx) {
    const auto d = ctx.services.engine.Get(ctx.user_id, ctx.Param(1));
    if (!d) return ReplyError(ctx.res, 404, "not_found", "No deployment with this id.");
    ReplyJson(ctx.res, 200, {{"deployment", DeploymentJson(*d, true)}});
}

void HandleDestroy(RouteContext& ctx) {
    json body;
    if (!OptionalBody(ctx, body, {"final_backup"})) return;
    bool final_backup = true;
    if (!BoolOption(ctx, body, "final_backup", final_backup)) return;
    const auto record = ctx.services.store.GetPlan(ctx.user_id, ctx.Param(1));
    if (!record) return ReplyPlanNotFound(ctx);
    ReplyJob(ctx, ctx.services.engine.Destroy(*record, final_backup, Limits(ctx)));
}

void HandleBackup(RouteContext& ctx) {
    json body;
    if (!OptionalBody(ctx, body, {"validate"})) return;
    bool validate = true;
    if (!BoolOption(ctx, body, "validate", validate)) return;
    const auto record = ctx.services.store.GetPlan(ctx.user_id, ctx.Param(1));
    if (!record) return ReplyPlanNotFound(ctx);
    ReplyJob(ctx, ctx.services.engine.Backup(*record, validate, Limits(ctx)));
}

void HandleConnection(RouteContext& ctx) {
    const std::string plan_id = ctx.Param(1);
    if (!ctx.services.store.GetPlan(ctx.user_id, plan_id)) return ReplyPlanNotFound(ctx);
    const auto info = ctx.services.engine.Connection(ctx.user_id, plan_id);
    if (!info) return ReplyError(ctx.res, 404, "not_found", "The plan is not deployed; deploy it first.");
    ordered_json endpoints = ordered_json::array();
    for (const deploy::Endpoint& e : info->endpoints) {
        endpoints.push_back({{"role", e.role}, {"host", e.host}, {"port", e.port}});
    }
    ReplyJson(ctx.res, 200, {{"endpoints", endpoints}, {"database", info->database}, {"user", info->user}});
}

void HandleConnectionPassword(RouteContext& ctx) {
    const std::string plan_id = ctx.Param(1);
    if (!ctx.services.store.GetPlan(ctx.user_id, plan_id)) return ReplyPlanNotFound(ctx);
    auto password = ctx.services.engine.Password(ctx.user_id, plan_id);
    if (!password) return ReplyError(ctx.res, 404, "not_found", "The plan is not deployed; deploy it first.");
    // POST, not GET: the password is handed out only on a deliberate request, and /v1 answers no-store.
    ordered_json body = {{"password", *password}};
    Wipe(*password);
    ReplyJson(ctx.res, 200, body);
    // The serialized body lives on in res.body until httplib sends it; this copy is wiped.
    Wipe(body["password"].get_ref<std::string&>());
}

}  // namespace gw
