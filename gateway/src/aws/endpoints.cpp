#include "aws/endpoints.hpp"

#include <algorithm>

#include "aws/http_types.hpp"

extern char** environ;

namespace gw::aws {
namespace {

const std::string* Get(const Env& env, std::string_view key) {
    const auto it = env.find(key);
    return it == env.end() || it->second.empty() ? nullptr : &it->second;
}

// Region and service names end up in a host name: only DNS label characters may pass.
bool IsLabel(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
}

std::string EnvSuffix(std::string_view service_id) {
    std::string out;
    for (const char c : service_id) {
        out += (c == ' ' || c == '-') ? '_' : (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
    return out;
}

}  // namespace

Env ProcessEnv() {
    Env env;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        const std::string_view entry(*e);
        const auto eq = entry.find('=');
        if (eq != std::string_view::npos) env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
    }
    return env;
}

Result<Endpoint> ParseEndpointUrl(std::string_view url) {
    Endpoint e;
    std::string_view rest = url;
    std::string_view scheme;
    if (rest.starts_with("https://")) {
        scheme = "https";
    } else if (rest.starts_with("http://")) {
        scheme = "http";
    } else {
        return MakeError(kErrInvalidArgument, "endpoint URL must start with http:// or https://: " + std::string(url));
    }
    rest.remove_prefix(scheme.size() + 3);
    const auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
    while (path.ends_with('/')) path.remove_suffix(1);
    if (authority.empty() || authority.find_first_of("@?# ") != std::string_view::npos ||
        path.find_first_of("?# ") != std::string_view::npos) {
        return MakeError(kErrInvalidArgument, "endpoint URL is not scheme://host[:port][/path]: " + std::string(url));
    }
    // Drop a port equal to the scheme default: the Host header (and so the signature) must not carry it.
    if ((scheme == "https" && authority.ends_with(":443")) || (scheme == "http" && authority.ends_with(":80"))) {
        authority.remove_suffix(scheme == "https" ? 4 : 3);
    }
    e.host = ToLower(authority);
    e.path = std::string(path);
    e.url_base = std::string(scheme) + "://" + e.host;
    return e;
}

Result<Endpoint> ResolveEndpoint(std::string_view service_id, std::string_view region, const Env& env) {
    if (!IsLabel(service_id)) return MakeError(kErrInvalidArgument, "bad service id: " + std::string(service_id));
    const std::string* ignore = Get(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
    if (ignore == nullptr || ToLower(*ignore) != "true") {
        const std::string* url = Get(env, "AWS_ENDPOINT_URL_" + EnvSuffix(service_id));
        if (url == nullptr) url = Get(env, "AWS_ENDPOINT_URL");
        if (url != nullptr) {
            auto e = ParseEndpointUrl(*url);
            if (e) e->overridden = true;
            return e;
        }
    }
    if (!IsLabel(region)) return MakeError(kErrInvalidArgument, "bad or missing region: '" + std::string(region) + "'");
    const std::string suffix = region.starts_with("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
    std::string host;
    if (service_id == "iam") {
        host = region.starts_with("cn-") ? "iam.cn-north-1.amazonaws.com.cn"
               : region.starts_with("us-gov-") ? "iam.us-gov.amazonaws.com" : "iam.amazonaws.com";
    } else {
        host = std::string(service_id) + "." + std::string(region) + "." + suffix;  // STS: the regional endpoint
    }
    return Endpoint{"https://" + host, host, "", false};
}

std::string RegionFromEnv(const Env& env) {
    if (const std::string* r = Get(env, "AWS_REGION")) return *r;
    if (const std::string* r = Get(env, "AWS_DEFAULT_REGION")) return *r;
    return "";
}

}  // namespace gw::aws

namespace gw::aws {

HttpRequest MakeRequest(const Endpoint& endpoint, std::string method, std::string_view path) {
    HttpRequest r;
    r.method = std::move(method);
    r.url_base = endpoint.url_base;
    r.path = endpoint.path + std::string(path.empty() ? "/" : path);
    r.headers.push_back({"Host", endpoint.host});
    return r;
}

}  // namespace gw::aws
