#pragma once
// Endpoint resolution as the AWS SDKs do it, over an environment passed in as a map (pure and testable):
//   AWS_ENDPOINT_URL_<SERVICE>  >  AWS_ENDPOINT_URL  >  https://<service>.<region>.amazonaws.com
// (AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true skips both overrides.)
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
#include <map>
#include <string>
#include <string_view>

#include "aws/http_types.hpp"
#include "aws/result.hpp"

namespace gw::aws {

using Env = std::map<std::string, std::string, std::less<>>;

// A snapshot of the process environment; the only function here that reads global state.
Env ProcessEnv();

struct Endpoint {
    std::string url_base;  // "scheme://host[:port]", without the path: "https://sts.eu-west-1.amazonaws.com"
    std::string host;      // the Host header value: host[:port] (port only when not the scheme's default)
    std::string path;      // base path of an override ("" or "/prefix"), prepended to request paths
    bool overridden = false;
};

// Resolves the endpoint of service_id ("cloudformation", "sts", "ssm", "s3", "ec2", "iam", ...) in region.
// The per-service variable is AWS_ENDPOINT_URL_ + the id upper-cased with spaces and dashes as '_'.
// IAM is global (iam.amazonaws.com; iam.cn-north-1... in China). STS uses its regional endpoint.
// Fails (InvalidArgument) for an unusable override URL or a region/service that is not [a-z0-9-].
Result<Endpoint> ResolveEndpoint(std::string_view service_id, std::string_view region, const Env& env);

// Parses "scheme://host[:port][/path]" (http or https only) into an Endpoint.
Result<Endpoint> ParseEndpointUrl(std::string_view url);

// A request to endpoint: url_base set, path = endpoint.path + path, and the Host header the signer needs.
HttpRequest MakeRequest(const Endpoint& endpoint, std::string method, std::string_view path);

// The region from AWS_REGION, then AWS_DEFAULT_REGION; "" when neither is set.
std::string RegionFromEnv(const Env& env);

}  // namespace gw::aws
