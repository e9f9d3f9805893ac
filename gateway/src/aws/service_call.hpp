#pragma once
// One signed call of an AWS API, for the two wire protocols the gateway uses:
//   query (CloudFormation, EC2, STS): form POST "Action=…&Version=…&…", XML answer
//   JSON 1.1 (SSM): POST "{…}" with X-Amz-Target: <prefix>.<Action>, JSON answer
// The endpoint comes from the Operation's service id (with AWS_ENDPOINT_URL[_<SERVICE>] overrides).
#include <string>

#include <nlohmann/json.hpp>

#include "aws/credentials.hpp"
#include "aws/endpoints.hpp"
#include "aws/http_client.hpp"
#include "aws/operations.hpp"
#include "aws/xml.hpp"

namespace gw::aws {

// What every call needs: a transport, credentials, the region and the environment (for endpoints).
struct CallContext {
    HttpClient* http = nullptr;
    Credentials credentials;
    std::string region;
    Env env;
    TimeSource now;
};

// Action=<op.name>&Version=<version>&params..., signed; the 2xx XML answer parsed.
Result<XmlDocument> CallQuery(const CallContext& ctx, const Operation& op, std::string_view version,
                              const QueryParams& params);

// POST body with X-Amz-Target: <target_prefix>.<op.name>, signed; the 2xx JSON answer ({} when empty).
// The request body is wiped after sending (PutParameter carries a password in it).
Result<nlohmann::json> CallJson(const CallContext& ctx, const Operation& op, std::string_view target_prefix,
                                const nlohmann::json& body);

}  // namespace gw::aws
