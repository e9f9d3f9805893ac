// EC2 instance metadata credentials, IMDSv2 only (session token required, as on instances that set
// HttpTokens=required). https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html
#include <nlohmann/json.hpp>

#include "aws/aws_time.hpp"
#include "aws/credentials.hpp"
#include "aws/http_client.hpp"

namespace gw::aws {
namespace {

constexpr const char* kDefaultImdsEndpoint = "http://169.254.169.254";
constexpr const char* kCredentialsPath = "/latest/meta-data/iam/security-credentials/";

std::string EnvValue(const Env& env, std::string_view key) {
    const auto it = env.find(key);
    return it == env.end() ? std::string() : it->second;
}

AwsError NotFound(const std::string& why) { return MakeError(kErrCredentialsNotFound, "instance metadata: " + why); }

}  // namespace

ImdsCredentialsProvider::ImdsCredentialsProvider(Env env, ImdsOptions options)
    : env_(std::move(env)), options_(options) {
    // Parsed once here, not per call: these only tune timeouts.
    if (const std::string t = EnvValue(env_, "AWS_METADATA_SERVICE_TIMEOUT"); !t.empty()) {
        const int seconds = std::atoi(t.c_str());
        if (seconds > 0) options_.timeout = std::chrono::seconds(seconds);
    }
    if (const std::string n = EnvValue(env_, "AWS_METADATA_SERVICE_NUM_ATTEMPTS"); !n.empty()) {
        const int attempts = std::atoi(n.c_str());
        if (attempts > 0) options_.attempts = attempts;
    }
}

Result<Credentials> ImdsCredentialsProvider::Get() {
    if (ToLower(EnvValue(env_, "AWS_EC2_METADATA_DISABLED")) == "true") return NotFound("disabled by AWS_EC2_METADATA_DISABLED");
    std::string url = EnvValue(env_, "AWS_EC2_METADATA_SERVICE_ENDPOINT");
    if (url.empty()) url = kDefaultImdsEndpoint;
    auto endpoint = ParseEndpointUrl(url);
    if (!endpoint) return endpoint.error();

    HttpClientOptions http_options;
    http_options.connect_timeout = options_.timeout;
    http_options.total_timeout = options_.timeout;
    http_options.retry.max_attempts = options_.attempts;
    HttpClient http(http_options);

    HttpRequest token_request = MakeRequest(*endpoint, "PUT", "/latest/api/token");
    token_request.headers.push_back({"X-aws-ec2-metadata-token-ttl-seconds", std::to_string(options_.token_ttl.count())});
    auto token = http.Send(token_request);
    if (!token) {
        // Off EC2 nothing answers; on EC2 a 403 means IMDS is disabled for this instance.
        return NotFound("no IMDSv2 token from " + endpoint->url_base + " (" + token.error().code + ")");
    }
    const SecretString session(token->body);  // the IMDS token grants metadata access: treat it as a secret
    Wipe(token->body.data(), token->body.size());

    auto get = [&](const std::string& path) {
        HttpRequest r = MakeRequest(*endpoint, "GET", path);
        r.headers.push_back({"X-aws-ec2-metadata-token", std::string(session.View())});
        return http.Send(r);
    };
    auto roles = get(kCredentialsPath);
    if (!roles) return NotFound("no instance role (" + roles.error().code + ")");
    const std::string role = roles->body.substr(0, roles->body.find_first_of("\r\n"));
    if (role.empty() || role.find('/') != std::string::npos) return NotFound("no instance role attached");

    auto document = get(kCredentialsPath + role);
    if (!document) return document.error();
    auto j = nlohmann::json::parse(document->body, nullptr, /*allow_exceptions=*/false);
    Wipe(document->body.data(), document->body.size());
    auto field = [&](const char* key) {
        return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
    };
    if (field("Code") != "Success") {
        return MakeError(kErrMalformedResponse, "instance metadata: credentials for role " + role + " not available (Code=" +
                                                    field("Code") + ")");
    }
    Credentials c;
    c.access_key_id = field("AccessKeyId");
    c.secret_access_key = SecretString(field("SecretAccessKey"));
    c.session_token = SecretString(field("Token"));
    c.expiration = ParseIso8601(field("Expiration"));
    c.source = "imds:" + role;
    for (const char* secret : {"SecretAccessKey", "Token"}) {
        if (j.contains(secret) && j[secret].is_string()) {
            auto& s = j[secret].get_ref<std::string&>();
            Wipe(s.data(), s.size());
        }
    }
    if (c.access_key_id.empty() || c.secret_access_key.empty() || c.session_token.empty() || !c.expiration) {
        return MakeError(kErrMalformedResponse, "instance metadata: incomplete credentials document for role " + role);
    }
    return c;
}

}  // namespace gw::aws
