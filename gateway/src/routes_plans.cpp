// Plans: create, list, get, update at a revision, delete (docs/api.md "Plans"). Every body goes through
// plan::CheckPlan / plan::Validate; the gateway owns id, revision and timestamps. No SQL here.
#include <charconv>

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

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 200;

json DiagnosticsJson(const plan::Diagnostics& diagnostics, plan::Severity severity) {
    json out = json::array();
    for (const plan::Diagnostic& d : diagnostics) {
        if (d.severity == severity) out.push_back(Detail(d.path, d.code, d.message));
    }
    return out;
}

// A plan checked and ready to store, or nothing (the reply has been sent).
struct CheckedPlan {
    plan::Plan plan;
    plan::Diagnostics diagnostics;  // warnings only
};

std::optional<CheckedPlan> Reject(RouteContext& ctx, const plan::Diagnostics& diagnostics) {
    json details = DiagnosticsJson(diagnostics, plan::Severity::Error);
    ReplyError(ctx.res, 422, "plan.invalid",
               "The plan has " + std::to_string(details.size()) + (details.size() == 1 ? " problem." : " problems."),
               details);
    return std::nullopt;
}

// {} or {"name": "…"}: the default plan. Anything else: cs-json (full or short) through plan::CheckPlan.
std::optional<CheckedPlan> CheckBody(RouteContext& ctx, const json& document) {
    if (!document.is_object()) {
        ReplyError(ctx.res, 422, "request.invalid", "The plan must be a JSON object.",
                   {Detail("", "type.object_expected", "Send a cs-json object.")});
        return std::nullopt;
    }
    plan::ParseOutcome outcome;
    if (document.empty() || (document.size() == 1 && document.contains("name"))) {
        std::string name = "Untitled plan";
        if (document.contains("name")) {
            if (!document["name"].is_string()) {
                ReplyError(ctx.res, 422, "request.invalid", "name must be a string.",
                           {Detail("/name", "type.string_expected", "name must be a string.")});
                return std::nullopt;
            }
            name = document["name"].get<std::string>();
        }
        outcome.plan = DefaultPlanFor(ctx, name);
        outcome.diagnostics = plan::Validate(*outcome.plan);
    } else {
        outcome = plan::CheckPlanDocument(document);
    }
    if (!outcome.plan || plan::HasErrors(outcome.diagnostics)) return Reject(ctx, outcome.diagnostics);
    const int limit = ctx.services.config.max_components_per_plan;
    const int components = static_cast<int>(outcome.plan->components.size());
    if (components > limit) {
        ReplyQuotaExceeded(ctx, 422, "components_per_plan", limit, components,
                           "The plan has " + std::to_string(components) + " components; this gateway takes at most " +
                               std::to_string(limit) + " in one plan. Split it into several plans.",
                           "/components");
        return std::nullopt;
    }
    return CheckedPlan{std::move(*outcome.plan), std::move(outcome.diagnostics)};
}

ordered_json Resource(RouteContext& ctx, const PlanRecord& record, const json& warnings) {
    ordered_json body;
    body["id"] = record.id;
    body["revision"] = record.revision;
    body["created_at"] = FormatTimestamp(record.created_at);
    body["updated_at"] = FormatTimestamp(record.updated_at);
    body["status"] = PlanStatusJson(ctx.services.engine.Status(ctx.user_id, record.id));
    body["warnings"] = warnings;
    // ordered_json keeps the stored document's key order; string values come back byte for byte.
    body["plan"] = ordered_json::parse(record.document);
    return body;
}

// One item of the plan list (docs/api.md).
void WriteSummary(JsonWriter& out, const PlanRecord& record, const deploy::PlanStatus& status) {
    out.BeginObject();
    out.Key("id").String(record.id);
    out.Key("name").String(record.name);
    out.Key("environment").String(record.environment);
    out.Key("revision").Int(record.revision);
    out.Key("updated_at").String(FormatTimestamp(record.updated_at));
    out.Key("status");
    WritePlanStatus(out, status);
    out.EndObject();
}

// The stored fields of `checked` with the server-owned ones set into the cs-json itself.
PlanRecord Record(RouteContext& ctx, CheckedPlan& checked, const std::string& id, std::int64_t revision) {
    checked.plan.id = id;
    checked.plan.revision = revision;
    PlanRecord record;
    record.id = id;
    record.owner_id = ctx.user_id;
    record.name = checked.plan.name;
    record.environment = std::string(plan::ToString(checked.plan.environment));
    record.revision = revision;
    record.document = plan::DumpPlan(checked.plan);
    return record;
}

void ReplyNotFound(RouteContext& ctx) {
    ReplyError(ctx.res, 404, "not_found", "No plan with this id.");
}

}  // namespace

plan::Plan DefaultPlanFor(const RouteContext& ctx, std::string name) {
    plan::Plan plan = plan::DefaultPlan(std::move(name));
    if (ctx.services.config.default_provider == "local") plan.cloud = {"local", "local"};
    return plan;
}

void ReplyQuotaExceeded(RouteContext& ctx, int status, std::string_view quota, int limit, int in_use,
                        std::string_view message, std::string_view path) {
    json detail = Detail(path, "quota." + std::string(quota), message);
    detail["limit"] = limit;
    detail["in_use"] = in_use;
    ReplyError(ctx.res, status, "quota.exceeded", message, json::array({detail}));
}

void HandleCreatePlan(RouteContext& ctx) {
    auto checked = CheckBody(ctx, ctx.body);
    if (!checked) return;
    PlanRecord record = Record(ctx, *checked, RandomId("p_"), 1);
    record.created_at = record.updated_at = ctx.services.clock();
    const int limit = ctx.services.config.max_plans_per_user;
    const InsertPlanResult inserted = ctx.services.store.InsertPlan(record, limit);
    if (!inserted.inserted) {
        ReplyQuotaExceeded(ctx, 409, "plans_per_user", limit, inserted.plans,
                           "You have " + std::to_string(inserted.plans) + " plans, the most this gateway keeps for one "
                               "user (" + std::to_string(limit) + "); delete plans you no longer need, then create it.");
        return;
    }
    ReplyJson(ctx.res, 201, Resource(ctx, record, DiagnosticsJson(checked->diagnostics, plan::Severity::Warning)));
    ctx.res.set_header("Location", "/v1/plan/" + record.id);
}

void HandleListPlans(RouteContext& ctx) {
    PlanListQuery query;
    query.owner_id = ctx.user_id;
    query.limit = kDefaultPageSize;
    if (ctx.req.has_param("limit")) {
        const std::string text = ctx.req.get_param_value("limit");
        int limit = 0;
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
        if (ec != std::errc() || ptr != text.data() + text.size() || limit < 1 || limit > kMaxPageSize) {
            ReplyError(ctx.res, 422, "request.invalid", "limit must be a whole number from 1 to 200.",
                       {Detail("", "query.limit_invalid", "limit must be a whole number from 1 to 200.")});
            return;
        }
        query.limit = limit;
    }
    query.cursor = ctx.req.get_param_value("cursor");
    query.name_contains = ctx.req.get_param_value("q");
    // The same question at the same store stamp has the same answer (response_cache.hpp); the stamp is read
    // before the data.
    const std::optional<std::uint64_t> stamp = ctx.services.store.ChangeStamp();
    std::string key = query.owner_id;
    key.append(1, '\0').append(std::to_string(query.limit)).append(1, '\0').append(query.cursor);
    key.append(1, '\0').append(query.name_contains);
    if (stamp) {
        if (auto body = ctx.services.plan_lists.Find(key, *stamp)) {
            ReplyJsonText(ctx.res, 200, std::move(*body));
            return;
        }
    }
    PlanPage page = ctx.services.store.ListPlans(query);
    if (page.bad_cursor) {
        ReplyError(ctx.res, 422, "request.invalid", "cursor is not one this server gave out; start without it.",
                   {Detail("", "query.cursor_invalid", "Use next_cursor from a previous page.")});
        return;
    }
    std::vector<std::string> ids;
    for (const PlanRecord& record : page.items) ids.push_back(record.id);
    const auto statuses = ctx.services.engine.Statuses(ctx.user_id, ids);  // one query for the page
    // The list every dashboard polls is written straight to text (json_writer.hpp says why).
    JsonWriter out;
    out.BeginObject().Key("items").BeginArray();
    for (const PlanRecord& record : page.items) WriteSummary(out, record, statuses.at(record.id));
    out.EndArray().Key("next_cursor");
    page.next_cursor ? out.String(*page.next_cursor) : out.Null();
    out.EndObject();
    if (stamp) ctx.services.plan_lists.Put(key, *stamp, out.text());
    ReplyJsonText(ctx.res, 200, out.Take());
}

void HandleGetPlan(RouteContext& ctx) {
    const auto record = ctx.services.store.GetPlan(ctx.user_id, ctx.Param(1));
    if (!record) return ReplyNotFound(ctx);
    // Rules evolve, so warnings are computed now rather than remembered from the last save.
    const plan::ParseOutcome outcome = plan::CheckPlan(record->document);
    ReplyJson(ctx.res, 200, Resource(ctx, *record, DiagnosticsJson(outcome.diagnostics, plan::Severity::Warning)));
}

void HandleUpdatePlan(RouteContext& ctx) {
    const json& body = ctx.body;
    json details = json::array();
    if (!body.is_object()) {
        details.push_back(Detail("", "type.object_expected", "Send {\"revision\": N, \"plan\": {…}}."));
    } else {
        if (!body.contains("revision")) {
            details.push_back(Detail("/revision", "field.required", "revision is required."));
        } else if (!body["revision"].is_number_integer() || body["revision"].get<std::int64_t>() < 1 ||
                   body["revision"].get<std::int64_t>() == INT64_MAX) {
            details.push_back(Detail("/revision", "type.integer_expected", "revision must be a positive integer."));
        }
        if (!body.contains("plan")) {
            details.push_back(Detail("/plan", "field.required", "plan is required."));
        } else if (!body["plan"].is_object()) {
            details.push_back(Detail("/plan", "type.object_expected", "plan must be a cs-json object."));
        }
    }
    if (!details.empty()) {
        ReplyError(ctx.res, 422, "request.invalid", "The request has " + std::to_string(details.size()) +
                                                        (details.size() == 1 ? " problem." : " problems."),
                   details);
        return;
    }
    const std::string id = ctx.Param(1);
    const std::int64_t expected = body["revision"].get<std::int64_t>();
    const auto current = ctx.services.store.GetPlan(ctx.user_id, id);
    if (!current) return ReplyNotFound(ctx);
    auto checked = CheckBody(ctx, body["plan"]);
    if (!checked) return;
    PlanRecord next = Record(ctx, *checked, id, expected + 1);
    next.created_at = current->created_at;
    next.updated_at = ctx.services.clock();
    const UpdateResult result = ctx.services.store.UpdatePlan(next, expected);
    if (result.status == UpdateResult::Status::NotFound) return ReplyNotFound(ctx);
    if (result.status == UpdateResult::Status::Conflict) {
        const std::string message = "The plan is at revision " + std::to_string(result.current_revision) +
                                    ", not " + std::to_string(expected) + "; reload it and apply your change again.";
        json detail = Detail("/revision", "plan.revision_conflict", message);
        detail["current_revision"] = result.current_revision;
        ReplyError(ctx.res, 409, "plan.revision_conflict", message, json::array({detail}));
        return;
    }
    ReplyJson(ctx.res, 200, Resource(ctx, next, DiagnosticsJson(checked->diagnostics, plan::Severity::Warning)));
}

// DELETE takes the revision the client last read as ?revision=N, like PUT's body field: a plan changed
// after that read is not deleted (409 plan.revision_conflict, with the current revision), so the client can
// show what changed and ask. Without ?revision it deletes whatever is stored (kept for scripts and API
// clients that have no revision to give; docs/api.md). Either way a deployed plan stays (destroy first).
void HandleDeletePlan(RouteContext& ctx) {
    const std::string id = ctx.Param(1);
    std::int64_t expected = 0;
    if (ctx.req.has_param("revision")) {
        const std::string text = ctx.req.get_param_value("revision");
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), expected);
        if (ec != std::errc() || ptr != text.data() + text.size() || expected < 1) {
            const std::string message = "revision must be a positive whole number (the plan's revision as you last "
                                        "read it), or left out to delete any revision.";
            ReplyError(ctx.res, 422, "request.invalid", message,
                       {Detail("", "query.revision_invalid", message)});
            return;
        }
    }
    if (!ctx.services.store.DeletePlan(ctx.user_id, id, expected)) {
        const auto current = ctx.services.store.GetPlan(ctx.user_id, id);
        if (!current) return ReplyNotFound(ctx);
        if (expected > 0 && current->revision != expected) {
            const std::string message = "The plan is at revision " + std::to_string(current->revision) + ", not " +
                                        std::to_string(expected) + ": it changed after you read it, so it was not "
                                        "deleted. Read it again and delete that revision if you still want to.";
            json detail = Detail("/revision", "plan.revision_conflict", message);
            detail["current_revision"] = current->revision;
            ReplyError(ctx.res, 409, "plan.revision_conflict", message, json::array({detail}));
            return;
        }
        ReplyError(ctx.res, 409, "plan.deployed",
                   "The plan is deployed (or deploying); destroy it first with POST /v1/plan/" + id +
                       "/destroy, then delete it.");
        return;
    }
    ctx.res.status = 204;
}

}  // namespace gw
