#include "routes.hpp"

namespace gw {

namespace {

// Order matters only where patterns overlap; these do not ("/v1/plan/" never matches "{id}").
constexpr Route kRoutes[] = {
    {"POST", "/v1/auth/signup", "Sign up: mails a link that makes the account (202; 201: a mail-less gateway's first)",
     false, true, "201 202 400 413 415 422 429 503", HandleSignup},
    {"POST", "/v1/auth/verify", "Follow a sign-up link ({\"token\"}): creates the account and logs in", false, true,
     "201 400 409 413 415 422", HandleVerifySignup},
    {"POST", "/v1/auth/login", "Log in (progressive delays after failures: 429 with Retry-After)", false, true,
     "200 400 401 413 415 422 429 503", HandleLogin},
    {"POST", "/v1/auth/logout", "Revoke the bearer token", true, false, "204 401", HandleLogout},
    {"GET", "/v1/me", "The logged-in account", true, false, "200 401", HandleMe},
    {"POST", "/v1/plan/", "Create a plan (full cs-json, short body, or {} / {\"name\"} for the default plan)",
     true, true, "201 400 401 409 413 415 422", HandleCreatePlan},
    {"GET", "/v1/plan/", "List own plans, newest change first (limit, cursor, q)", true, false, "200 401 422",
     HandleListPlans},
    {"GET", "/v1/plan/{id}", "Get a plan", true, false, "200 401 404", HandleGetPlan},
    {"PUT", "/v1/plan/{id}", "Replace a plan at a known revision", true, true, "200 400 401 404 409 413 415 422",
     HandleUpdatePlan},
    {"DELETE", "/v1/plan/{id}", "Delete a plan (?revision=N: only at that revision; 409 while it is deployed)",
     true, false, "204 401 404 409 422", HandleDeletePlan},
    {"POST", "/v1/plan/{id}/deploy", "Deploy the plan's current revision (or re-deploy it)", true, false,
     "202 401 404 409 422", HandleDeploy},
    {"GET", "/v1/plan/{id}/deployments", "The plan's deployments, newest first", true, false, "200 401 404",
     HandleListDeployments},
    {"POST", "/v1/plan/{id}/destroy", "Destroy what the plan deployed ({\"final_backup\": true})", true, false,
     "202 400 401 404 409 415 422", HandleDestroy},
    {"POST", "/v1/plan/{id}/backup", "Take a backup now ({\"validate\": true})", true, false,
     "202 400 401 404 409 415 422", HandleBackup},
    {"GET", "/v1/plan/{id}/connection", "Where to connect (host, port, database, user)", true, false,
     "200 401 404", HandleConnection},
    {"POST", "/v1/plan/{id}/connection/password", "The database password, for the owner, on request", true, false,
     "200 401 404", HandleConnectionPassword},
    {"POST", "/v1/plan/{id}/drift", "AWS: detect drift of the plan's stack from its template (waits up to 20 s)",
     true, false, "200 202 401 404 409 502", HandleDrift},
    {"GET", "/v1/deployments/{id}", "One deployment: state, steps, progress, events, error", true, false,
     "200 401 404", HandleGetDeployment},
    {"GET", "/v1/account/aws", "Your AWS account link: ExternalId, role ARN, quick-create link", true, false,
     "200 401", HandleGetAwsAccount},
    {"PUT", "/v1/account/aws", "Set the deploy role ARN ({\"role_arn\": \"arn:aws:iam::…\"}, null clears)", true, true,
     "200 400 401 413 415 422", HandlePutAwsAccount},
    {"GET", "/v1/account/aws/role-template", "The CloudFormation template creating your deploy role", true, false,
     "200 401", HandleGetAwsRoleTemplate},
    {"GET", "/v1/openapi.json", "This document", false, false, "200", HandleOpenApi},
    {"GET", "/healthz", "Liveness: the process answers", false, false, "200", HandleHealthz},
    {"GET", "/readyz", "Readiness: the store answers a query", false, false, "200 503", HandleReadyz},
    {"GET", "/", "The web app (index.html); 503 when it has not been built", false, false, "200 304 503",
     HandleSiteIndex},
};

}  // namespace

std::span<const Route> RouteTable() { return kRoutes; }

namespace {

// One trailing slash is optional ("/v1/plan" is "/v1/plan/"), except for the root itself.
std::string_view WithoutTrailingSlash(std::string_view path) {
    return path.size() > 1 && path.back() == '/' ? path.substr(0, path.size() - 1) : path;
}

// Matches `path` against `path_template` segment by segment; fills `params` with the "{…}" segments.
bool MatchTemplate(std::string_view path_template, std::string_view path, std::vector<std::string>& params) {
    path_template = WithoutTrailingSlash(path_template);
    path = WithoutTrailingSlash(path);
    params.clear();
    while (true) {
        const std::size_t t_end = path_template.find('/');
        const std::size_t p_end = path.find('/');
        const std::string_view t_seg = path_template.substr(0, t_end);
        const std::string_view p_seg = path.substr(0, p_end);
        if (t_seg.size() >= 2 && t_seg.front() == '{' && t_seg.back() == '}') {
            if (p_seg.empty()) return false;
            params.emplace_back(p_seg);
        } else if (t_seg != p_seg) {
            return false;
        }
        if (t_end == std::string_view::npos || p_end == std::string_view::npos) {
            return t_end == std::string_view::npos && p_end == std::string_view::npos;
        }
        path_template.remove_prefix(t_end + 1);
        path.remove_prefix(p_end + 1);
    }
}

}  // namespace

RouteMatch FindRoute(std::string_view method, std::string_view path) {
    RouteMatch match;
    const std::string_view wanted = method == "HEAD" ? std::string_view("GET") : method;
    std::vector<std::string> params;
    for (const Route& route : RouteTable()) {
        if (!MatchTemplate(route.path, path, params)) continue;
        if (route.method == wanted && match.route == nullptr) {
            match.route = &route;
            match.params = params;
        }
        if (match.allowed.find(route.method) == std::string::npos) {
            if (!match.allowed.empty()) match.allowed += ", ";
            match.allowed += route.method;
        }
    }
    return match;
}

}  // namespace gw
