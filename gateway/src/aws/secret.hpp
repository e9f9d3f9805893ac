#pragma once
// Values that must never reach a log: SecretString and Credentials. Neither has operator<<; logs use
// Credentials::Redacted(). Buffers that held a secret are wiped (OPENSSL_cleanse) when they are freed
// or overwritten, so a core dump or a reused allocation does not leak them.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace gw::aws {

// Overwrites n bytes at p with zeros in a way the optimiser may not remove.
void Wipe(void* p, std::size_t n);

// A string that wipes its buffer on destruction and on reassignment. Read it with View().
class SecretString {
public:
    SecretString() = default;
    explicit SecretString(std::string_view text) : s_(text) {}
    SecretString(const SecretString& other) : s_(other.s_) {}
    SecretString(SecretString&& other) noexcept : s_(std::move(other.s_)) { other.Clear(); }
    SecretString& operator=(const SecretString& other);
    SecretString& operator=(SecretString&& other) noexcept;
    ~SecretString() { Clear(); }

    std::string_view View() const { return s_; }  // the secret itself: pass to the signer, never to a logger
    bool empty() const { return s_.empty(); }
    void Clear();  // wipes and empties

private:
    std::string s_;
};

using SysTime = std::chrono::system_clock::time_point;

// AWS credentials. Long-term credentials have no expiration; temporary ones carry a session token and
// an expiration time.
struct Credentials {
    std::string access_key_id;
    SecretString secret_access_key;
    SecretString session_token;          // empty for long-term keys
    std::optional<SysTime> expiration;   // set for temporary credentials
    std::string source;                  // which provider produced them ("environment", "profile:dev", ...)

    // "AKIA…MPLE (temporary, expires 2026-11-24T05:00:00Z, from imds)": never the secret or the token.
    std::string Redacted() const;
};

}  // namespace gw::aws
