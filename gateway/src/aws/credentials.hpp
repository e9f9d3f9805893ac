#pragma once
// Where the gateway's AWS credentials come from: the standard chain of the AWS SDKs, in this order
//   1. environment   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
//   2. shared files  ~/.aws/credentials and ~/.aws/config (AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE,
//                    AWS_PROFILE; "[name]" in credentials, "[profile name]" / "[default]" in config)
//   3. EC2 instance metadata, IMDSv2 only (AWS_EC2_METADATA_SERVICE_ENDPOINT, AWS_EC2_METADATA_DISABLED)
// wrapped in a cache that refreshes temporary credentials a few minutes before they expire.
// https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aws/endpoints.hpp"
#include "aws/result.hpp"
#include "aws/secret.hpp"

namespace gw::aws {

using TimeSource = std::function<SysTime()>;  // the wall clock, injectable for tests

class CredentialsProvider {
public:
    virtual ~CredentialsProvider() = default;
    // Credentials; CredentialsNotFound when this source has none (a chain then asks the next one); any
    // other error when the source exists but is unusable (the chain stops: misconfiguration must show).
    virtual Result<Credentials> Get() = 0;
};

// 1. From AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN. A key id without a secret is an error.
class EnvironmentCredentialsProvider final : public CredentialsProvider {
public:
    explicit EnvironmentCredentialsProvider(Env env) : env_(std::move(env)) {}
    Result<Credentials> Get() override;

private:
    Env env_;
};

// INI sections of an AWS shared file: section name -> key -> value. Comments (#, ;) and blank lines ignored.
using IniSections = std::map<std::string, std::map<std::string, std::string>>;
IniSections ParseIni(std::string_view text);

// The settings of profile `name` merged from both shared files (the credentials file wins), or nullopt
// when neither file has it. Paths come from AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE or ~/.aws.
std::optional<std::map<std::string, std::string>> LoadProfile(const Env& env, const std::string& name);

// 2. Static keys of the profile AWS_PROFILE (default "default"). An explicitly named profile that does
// not exist, or a profile with half a key pair, is an error rather than "not found".
class ProfileCredentialsProvider final : public CredentialsProvider {
public:
    explicit ProfileCredentialsProvider(Env env) : env_(std::move(env)) {}
    Result<Credentials> Get() override;

private:
    Env env_;
};

struct ImdsOptions {
    std::chrono::milliseconds timeout{1000};  // per request; AWS_METADATA_SERVICE_TIMEOUT (seconds) overrides
    int attempts = 1;                          // AWS_METADATA_SERVICE_NUM_ATTEMPTS overrides
    std::chrono::seconds token_ttl{21600};
};

// 3. The instance role's credentials from IMDSv2: PUT /latest/api/token, then GET the role name and its
// credentials with the token header. No IMDSv1 fallback. Not reachable / disabled -> CredentialsNotFound.
class ImdsCredentialsProvider final : public CredentialsProvider {
public:
    explicit ImdsCredentialsProvider(Env env, ImdsOptions options = {});
    Result<Credentials> Get() override;

private:
    Env env_;
    ImdsOptions options_;
};

// Asks each provider in turn and returns the first credentials (see CredentialsProvider::Get for errors).
class ChainCredentialsProvider final : public CredentialsProvider {
public:
    explicit ChainCredentialsProvider(std::vector<std::unique_ptr<CredentialsProvider>> providers)
        : providers_(std::move(providers)) {}
    Result<Credentials> Get() override;

private:
    std::vector<std::unique_ptr<CredentialsProvider>> providers_;
};

// Keeps the last credentials and asks `inner` again only when they expire within `refresh_before`.
// If that refresh fails while the old credentials are still valid, the old ones are returned. Thread-safe.
class CachingCredentialsProvider final : public CredentialsProvider {
public:
    CachingCredentialsProvider(std::unique_ptr<CredentialsProvider> inner, TimeSource now,
                               std::chrono::seconds refresh_before = std::chrono::minutes(5))
        : inner_(std::move(inner)), now_(std::move(now)), refresh_before_(refresh_before) {}
    Result<Credentials> Get() override;

private:
    std::unique_ptr<CredentialsProvider> inner_;
    TimeSource now_;
    std::chrono::seconds refresh_before_;
    std::mutex mu_;
    std::optional<Credentials> cached_;
};

// environment -> shared files -> IMDS, cached. `env` is usually ProcessEnv().
std::unique_ptr<CredentialsProvider> MakeDefaultCredentialsChain(const Env& env, TimeSource now);

// The real wall clock.
SysTime SystemNow();

}  // namespace gw::aws
