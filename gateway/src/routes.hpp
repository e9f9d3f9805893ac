#pragma once
// The route table: ONE list from which the server registers its handlers and /v1/openapi.json lists its
// paths, so the two cannot drift. Handlers are free functions over a RouteContext; none touches SQL.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "auth/account_services.hpp"
#include "clock.hpp"
#include "config.hpp"
#include "log.hpp"
#include "plan/plan.hpp"
#include "rate_limiter.hpp"
#include "response_cache.hpp"
#include "store.hpp"

namespace gw {

class StaticSite;
namespace deploy {
class Engine;
struct PlanStatus;
}  // namespace deploy

// What handlers may use; owned by the Gateway, shared by all requests.
struct Services {
    const Config& config;
    Store& store;
    Log& log;
    LoginThrottle& limiter;  // log-in delays (rate_limiter.hpp)
    StaticSite& site;
    Clock clock;
    deploy::Engine& engine;
    // Sign-up's mail queue, Argon2id cap and limit, built from the members above when the Gateway
    // initialises the rest (so the server need not name them).
    AccountServices accounts{config, log, clock};
    // Plan-list answers kept until the store changes (response_cache.hpp). The braces make it direct
    // initialisation: clang refuses to copy-initialise the omitted member through the explicit constructor.
    ResponseCache plan_lists{};
};

// One request as a handler sees it. The server fills user_id/token_digest (routes with auth) and body
// (routes with a JSON body) before the handler runs, and has already answered when they were missing.
struct RouteContext {
    const httplib::Request& req;
    httplib::Response& res;
    Services& services;
    std::string user_id;
    std::string token_digest;
    nlohmann::json body;
    std::vector<std::string> params;  // the path's "{…}" segments, in order

    // The n-th "{…}" path parameter (1-based).
    std::string Param(int n) const { return params.at(static_cast<std::size_t>(n - 1)); }
};

using RouteHandler = void (*)(RouteContext&);

struct Route {
    std::string_view method;     // "GET", "POST", "PUT" or "DELETE"
    std::string_view path;       // OpenAPI template; "/v1/plan/{id}" also answers "/v1/plan/{id}/"
    std::string_view summary;    // one line for the OpenAPI document
    bool auth;                   // needs "Authorization: Bearer <token>"
    bool json_body;              // reads a JSON object body
    std::string_view responses;  // space-separated status codes it can answer, e.g. "201 400 422"
    RouteHandler handler;
};

// Every API route, in registration order.
std::span<const Route> RouteTable();

// What a method and path resolve to in the route table.
struct RouteMatch {
    const Route* route = nullptr;     // the route for this method, or null
    std::vector<std::string> params;  // the route's "{…}" segments, in order
    std::string allowed;              // every method the path has ("GET, PUT"), for a 405's Allow header
};

// Resolves a request by path segments (no regular expression ever runs on a client's path). HEAD resolves
// like GET; "{name}" matches one non-empty segment; one trailing slash is optional ("/v1/plan" is
// "/v1/plan/", "/v1/plan/{id}/" is "/v1/plan/{id}").
RouteMatch FindRoute(std::string_view method, std::string_view path);

// The OpenAPI 3.0 document built from RouteTable().
nlohmann::ordered_json OpenApiDocument();

// The plan POST /v1/plan/ {} or {"name"} makes: plan::DefaultPlan on the configured default provider.
// GET /v1/me tells its cloud, so the web app starts a plan made offline on the same one (routes_plans.cpp).
plan::Plan DefaultPlanFor(const RouteContext& ctx, std::string name);

// Handlers (routes_auth.cpp, routes_plans.cpp, routes_health.cpp, routes_deploy.cpp).
void HandleSignup(RouteContext& ctx);
void HandleVerifySignup(RouteContext& ctx);
void HandleLogin(RouteContext& ctx);
void HandleLogout(RouteContext& ctx);
void HandleMe(RouteContext& ctx);
void HandleCreatePlan(RouteContext& ctx);
void HandleListPlans(RouteContext& ctx);
void HandleGetPlan(RouteContext& ctx);
void HandleUpdatePlan(RouteContext& ctx);
void HandleDeletePlan(RouteContext& ctx);
void HandleHealthz(RouteContext& ctx);
void HandleReadyz(RouteContext& ctx);
void HandleOpenApi(RouteContext& ctx);
void HandleSiteIndex(RouteContext& ctx);
// routes_deploy.cpp
void HandleDeploy(RouteContext& ctx);
void HandleListDeployments(RouteContext& ctx);
void HandleGetDeployment(RouteContext& ctx);
void HandleDestroy(RouteContext& ctx);
void HandleBackup(RouteContext& ctx);
void HandleConnection(RouteContext& ctx);
void HandleConnectionPassword(RouteContext& ctx);
// routes_account.cpp
void HandleGetAwsAccount(RouteContext& ctx);
void HandlePutAwsAccount(RouteContext& ctx);
void HandleGetAwsRoleTemplate(RouteContext& ctx);
// routes_aws.cpp
void HandleDrift(RouteContext& ctx);

// The fair-use refusal (docs/api.md "Quotas"): the error envelope with code "quota.exceeded", `message`
// (what, the limit and the use, how to fix it) and one detail {path, code "quota.<quota>", message, limit,
// in_use}. 409 for a limit on what the user has (plans, jobs, servers: it clears when they have less),
// 422 for a limit on the request itself (components in the plan sent).
void ReplyQuotaExceeded(RouteContext& ctx, int status, std::string_view quota, int limit, int in_use,
                        std::string_view message, std::string_view path = "");

// A plan's "status" object (docs/deploy.md), shared by the plan routes: written once (WritePlanStatus), and
// as a JSON value for the routes that build their answer with nlohmann.
class JsonWriter;
void WritePlanStatus(JsonWriter& out, const deploy::PlanStatus& status);
nlohmann::ordered_json PlanStatusJson(const deploy::PlanStatus& status);

}  // namespace gw
