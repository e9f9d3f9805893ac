#include "aws/sts.hpp"

#include <algorithm>
#include <cctype>

#include "aws/aws_time.hpp"
#include "aws/signed_send.hpp"
#include "aws/uri.hpp"
#include "aws/xml.hpp"

namespace gw::aws {

std::optional<AwsError> ValidateAssumeRoleParams(const AssumeRoleParams& p) {
    auto bad = [](const std::string& what) { return MakeError(kErrInvalidArgument, "AssumeRole: " + what); };
    if (!p.role_arn.starts_with("arn:") || p.role_arn.size() < 20 || p.role_arn.size() > 2048) {
        return bad("RoleArn must be a role ARN (arn:aws:iam::<account>:role/<name>)");
    }
    const std::string& s = p.role_session_name;
    const bool name_ok = s.size() >= 2 && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("+=,.@_-").find(c) != std::string_view::npos;
    });
    if (!name_ok) return bad("RoleSessionName must be 2-64 characters of [A-Za-z0-9+=,.@_-]");
    if (p.external_id && (p.external_id->size() < 2 || p.external_id->size() > 1224)) {
        return bad("ExternalId must be 2-1224 characters");
    }
    if (p.duration_seconds && (*p.duration_seconds < 900 || *p.duration_seconds > 43200)) {
        return bad("DurationSeconds must be 900-43200");
    }
    return std::nullopt;
}

std::string AssumeRoleBody(const AssumeRoleParams& p) {
    QueryParams form = {{"Action", "AssumeRole"},
                        {"Version", "2011-06-15"},
                        {"RoleArn", p.role_arn},
                        {"RoleSessionName", p.role_session_name}};
    if (p.external_id) form.emplace_back("ExternalId", *p.external_id);
    if (p.duration_seconds) form.emplace_back("DurationSeconds", std::to_string(*p.duration_seconds));
    return BuildQueryString(form);
}

Result<Credentials> ParseAssumeRoleResponse(std::string_view xml) {
    auto doc = XmlDocument::Parse(xml);
    if (!doc) return doc.error();
    auto field = [&](std::string_view name) {
        return doc->FindText({"AssumeRoleResult", "Credentials", name}).value_or("");
    };
    Credentials c;
    c.access_key_id = field("AccessKeyId");
    c.secret_access_key = SecretString(field("SecretAccessKey"));
    c.session_token = SecretString(field("SessionToken"));
    c.expiration = ParseIso8601(field("Expiration"));
    if (c.access_key_id.empty() || c.secret_access_key.empty() || c.session_token.empty() || !c.expiration) {
        return MakeError(kErrMalformedResponse, "AssumeRole: the response has no complete <Credentials>");
    }
    return c;
}

Result<Credentials> AssumeRole(HttpClient& http, const Endpoint& sts, const std::string& region,
                               const Credentials& source, const AssumeRoleParams& params, const TimeSource& now) {
    if (auto invalid = ValidateAssumeRoleParams(params)) return *invalid;
    HttpRequest request = MakeRequest(sts, "POST", "/");
    request.headers.push_back({"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"});
    request.body = AssumeRoleBody(params);
    auto response = SendSigned(http, request, source, "sts", region, now);
    if (!response) return response.error();
    auto credentials = ParseAssumeRoleResponse(response->body);
    Wipe(response->body.data(), response->body.size());
    if (credentials) credentials->source = "assume-role:" + params.role_arn;
    return credentials;
}

Result<Credentials> AssumeRoleCredentialsProvider::Get() {
    auto source = source_->Get();
    if (!source) return source.error();
    return AssumeRole(http_, sts_, region_, *source, params_, now_);
}

}  // namespace gw::aws
