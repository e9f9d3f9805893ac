#pragma once
// STS AssumeRole: temporary credentials for a role, as a signed POST of the query protocol
// (Action=AssumeRole&Version=2011-06-15&...). https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
#include <optional>
#include <string>

#include "aws/credentials.hpp"
#include "aws/endpoints.hpp"
#include "aws/http_client.hpp"

namespace gw::aws {

struct AssumeRoleParams {
    std::string role_arn;                     // arn:aws:iam::123456789012:role/cloudsketch-deployer
    std::string role_session_name;            // 2-64 of [A-Za-z0-9+=,.@_-]; shows in CloudTrail
    std::optional<std::string> external_id;   // 2-1224 chars; the per-user secret-ish id the role's trust policy checks
    std::optional<int> duration_seconds;      // 900..43200; STS defaults to 3600
};

// Checks the parameters the way STS would, before spending a request on them.
std::optional<AwsError> ValidateAssumeRoleParams(const AssumeRoleParams& params);

// The form body: Action, Version, RoleArn, RoleSessionName[, ExternalId][, DurationSeconds], URL-encoded.
std::string AssumeRoleBody(const AssumeRoleParams& params);

// Reads <AssumeRoleResponse><AssumeRoleResult><Credentials>{AccessKeyId,SecretAccessKey,SessionToken,Expiration}.
Result<Credentials> ParseAssumeRoleResponse(std::string_view xml);

// Calls AssumeRole on `sts` with `source` credentials, signing each attempt at now(). The result's source
// is "assume-role:<role arn>".
Result<Credentials> AssumeRole(HttpClient& http, const Endpoint& sts, const std::string& region,
                               const Credentials& source, const AssumeRoleParams& params, const TimeSource& now);

// A provider that assumes a role with credentials from another provider; wrap it in CachingCredentialsProvider
// so the role is assumed again only shortly before the temporary credentials expire.
class AssumeRoleCredentialsProvider final : public CredentialsProvider {
public:
    AssumeRoleCredentialsProvider(std::shared_ptr<CredentialsProvider> source, Endpoint sts, std::string region,
                                  AssumeRoleParams params, TimeSource now, HttpClientOptions http_options = {})
        : source_(std::move(source)), sts_(std::move(sts)), region_(std::move(region)), params_(std::move(params)),
          now_(std::move(now)), http_(std::move(http_options)) {}
    Result<Credentials> Get() override;

private:
    std::shared_ptr<CredentialsProvider> source_;
    Endpoint sts_;
    std::string region_;
    AssumeRoleParams params_;
    TimeSource now_;
    HttpClient http_;
};

}  // namespace gw::aws
