#include "aws/service_call.hpp"

#include "aws/signed_send.hpp"
#include "aws/uri.hpp"

namespace gw::aws {
namespace {

// Signs and sends `request` for `op`; the body (which may carry a secret) is wiped once sent, and a
// failure names the operation.
Result<HttpResponse> Send(const CallContext& ctx, const Operation& op, HttpRequest& request) {
    auto response = SendSigned(*ctx.http, request, ctx.credentials, std::string(op.service_id), ctx.region, ctx.now);
    Wipe(request.body.data(), request.body.size());
    if (!response) {
        AwsError e = response.error();
        e.message = std::string(op.name) + ": " + e.message;
        return e;
    }
    return response;
}

}  // namespace

Result<XmlDocument> CallQuery(const CallContext& ctx, const Operation& op, std::string_view version,
                              const QueryParams& params) {
    auto endpoint = ResolveEndpoint(op.service_id, ctx.region, ctx.env);
    if (!endpoint) return endpoint.error();
    HttpRequest request = MakeRequest(*endpoint, "POST", "/");
    request.headers.push_back({"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"});
    QueryParams form = {{"Action", std::string(op.name)}, {"Version", std::string(version)}};
    form.insert(form.end(), params.begin(), params.end());
    request.body = BuildQueryString(form);
    auto response = Send(ctx, op, request);
    if (!response) return response.error();
    return XmlDocument::Parse(response->body);
}

Result<nlohmann::json> CallJson(const CallContext& ctx, const Operation& op, std::string_view target_prefix,
                                const nlohmann::json& body) {
    auto endpoint = ResolveEndpoint(op.service_id, ctx.region, ctx.env);
    if (!endpoint) return endpoint.error();
    HttpRequest request = MakeRequest(*endpoint, "POST", "/");
    request.headers.push_back({"Content-Type", "application/x-amz-json-1.1"});
    request.headers.push_back({"X-Amz-Target", std::string(target_prefix) + "." + std::string(op.name)});
    request.body = body.dump();
    auto response = Send(ctx, op, request);
    if (!response) return response.error();
    if (response->body.empty()) return nlohmann::json::object();
    auto parsed = nlohmann::json::parse(response->body, nullptr, false);
    if (parsed.is_discarded()) return MakeError(kErrMalformedResponse, std::string(op.name) + ": response is not JSON");
    return parsed;
}

}  // namespace gw::aws
