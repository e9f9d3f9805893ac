// /v1/openapi.json, generated from the route table so the document lists exactly what is served.
#include <sstream>
#include <string_view>

#include "routes.hpp"

namespace gw {

namespace {

using nlohmann::ordered_json;

std::string Lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return out;
}

std::string_view Describe(int status) {
    switch (status) {
        case 200: return "OK";
        case 201: return "Created";
        case 204: return "No content";
        case 304: return "Not modified (ETag matched)";
        case 400: return "Malformed JSON (request.malformed_json)";
        case 401: return "Missing, expired or revoked token, or wrong credentials";
        case 404: return "Not found (also: another user's plan)";
        case 202: return "Accepted (a job queued, or a sign-up whose link was mailed: auth status check_email)";
        case 409: return "Conflict (plan.revision_conflict, deployment_running, quota.exceeded, auth.email_taken)";
        case 413: return "Body too large (request.too_large)";
        case 415: return "Body without Content-Type: application/json";
        case 422: return "Readable but invalid; details list each problem with a JSON pointer";
        case 429: return "Too many failed log-ins or sign-ups from this network; see Retry-After";
        case 503: return "Not ready, or busy checking other passwords (auth.busy); see Retry-After";
        default: return "See docs/api.md";
    }
}

// Query parameters, which the route table does not carry (its paths are patterns); docs/api.md has the prose.
struct QueryParameter {
    std::string_view method, path, name, type, description;
};
constexpr QueryParameter kQueryParameters[] = {
    {"GET", "/v1/plan/", "limit", "integer", "Plans per page, 1-200 (default 50); out of range: 422 request.invalid"},
    {"GET", "/v1/plan/", "cursor", "string", "The next_cursor of the previous page (opaque); unreadable: 422"},
    {"GET", "/v1/plan/", "q", "string", "Only plans whose name contains this (any case)"},
    {"DELETE", "/v1/plan/{id}", "revision", "integer",
     "Delete only while the plan is at this revision (else 409 plan.revision_conflict); without it, any revision"},
};

}  // namespace

ordered_json OpenApiDocument() {
    ordered_json doc;
    doc["openapi"] = "3.0.3";
    doc["info"] = {{"title", "CloudSketch gateway"}, {"version", "1"},
                   {"description", "Generated from the gateway's route table; prose contract in docs/api.md."}};
    ordered_json paths = ordered_json::object();
    for (const Route& route : RouteTable()) {
        ordered_json op;
        op["summary"] = route.summary;
        op["operationId"] = Lower(route.method) + std::string(route.path);
        ordered_json parameters = ordered_json::array();
        for (std::size_t at = route.path.find('{'); at != std::string_view::npos; at = route.path.find('{', at + 1)) {
            const auto end = route.path.find('}', at);
            parameters.push_back({{"name", route.path.substr(at + 1, end - at - 1)},
                                  {"in", "path"},
                                  {"required", true},
                                  {"schema", {{"type", "string"}}}});
        }
        for (const QueryParameter& query : kQueryParameters) {
            if (query.method != route.method || query.path != route.path) continue;
            parameters.push_back({{"name", query.name},
                                  {"in", "query"},
                                  {"required", false},
                                  {"description", query.description},
                                  {"schema", {{"type", query.type}}}});
        }
        if (!parameters.empty()) op["parameters"] = parameters;
        if (route.auth) op["security"] = ordered_json::array({{{"bearer", ordered_json::array()}}});
        if (route.json_body) {
            op["requestBody"] = {{"required", true},
                                 {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
        }
        ordered_json responses = ordered_json::object();
        std::istringstream codes{std::string(route.responses)};
        for (int status = 0; codes >> status;) {
            responses[std::to_string(status)] = {{"description", Describe(status)}};
        }
        op["responses"] = responses;
        paths[std::string(route.path)][Lower(route.method)] = op;
    }
    doc["paths"] = paths;
    doc["components"] = {
        {"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}}};
    return doc;
}

}  // namespace gw
