#include "aws/credentials.hpp"

namespace gw::aws {
namespace {

const std::string* NonEmpty(const Env& env, std::string_view key) {
    const auto it = env.find(key);
    return it == env.end() || it->second.empty() ? nullptr : &it->second;
}

}  // namespace

SysTime SystemNow() { return std::chrono::system_clock::now(); }

Result<Credentials> EnvironmentCredentialsProvider::Get() {
    const std::string* id = NonEmpty(env_, "AWS_ACCESS_KEY_ID");
    const std::string* secret = NonEmpty(env_, "AWS_SECRET_ACCESS_KEY");
    if (id == nullptr && secret == nullptr) {
        return MakeError(kErrCredentialsNotFound, "environment: AWS_ACCESS_KEY_ID is not set");
    }
    if (id == nullptr || secret == nullptr) {
        return MakeError(kErrInvalidArgument,
                         "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together");
    }
    Credentials c;
    c.access_key_id = *id;
    c.secret_access_key = SecretString(*secret);
    if (const std::string* token = NonEmpty(env_, "AWS_SESSION_TOKEN")) c.session_token = SecretString(*token);
    c.source = "environment";
    return c;
}

Result<Credentials> ChainCredentialsProvider::Get() {
    std::string tried;
    for (const auto& provider : providers_) {
        auto c = provider->Get();
        if (c.ok() || c.error().code != kErrCredentialsNotFound) return c;
        tried += (tried.empty() ? "" : "; ") + c.error().message;
    }
    return MakeError(kErrCredentialsNotFound, "no AWS credentials found (" + tried + ")");
}

Result<Credentials> CachingCredentialsProvider::Get() {
    std::lock_guard lock(mu_);
    const SysTime now = now_();
    if (cached_ && (!cached_->expiration || now < *cached_->expiration - refresh_before_)) return *cached_;
    auto fresh = inner_->Get();
    if (fresh) {
        cached_ = *fresh;
        return fresh;
    }
    // A refresh that fails early (inside the margin) must not take down calls the old credentials still cover.
    if (cached_ && cached_->expiration && now < *cached_->expiration) return *cached_;
    cached_.reset();
    return fresh;
}

std::unique_ptr<CredentialsProvider> MakeDefaultCredentialsChain(const Env& env, TimeSource now) {
    std::vector<std::unique_ptr<CredentialsProvider>> providers;
    providers.push_back(std::make_unique<EnvironmentCredentialsProvider>(env));
    providers.push_back(std::make_unique<ProfileCredentialsProvider>(env));
    providers.push_back(std::make_unique<ImdsCredentialsProvider>(env));
    return std::make_unique<CachingCredentialsProvider>(std::make_unique<ChainCredentialsProvider>(std::move(providers)),
                                                        std::move(now));
}

}  // namespace gw::aws
