#include "aws/secret.hpp"

#include <openssl/crypto.h>

#include "aws/aws_time.hpp"

namespace gw::aws {

void Wipe(void* p, std::size_t n) {
    if (p != nullptr && n > 0) OPENSSL_cleanse(p, n);
}

void SecretString::Clear() {
    // Wipe the whole capacity: a shorter value assigned earlier may have left bytes past size().
    Wipe(s_.data(), s_.capacity());
    s_.clear();
}

SecretString& SecretString::operator=(const SecretString& other) {
    if (this != &other) {
        Clear();
        s_ = other.s_;
    }
    return *this;
}

SecretString& SecretString::operator=(SecretString&& other) noexcept {
    if (this != &other) {
        Clear();
        s_ = std::move(other.s_);
        other.Clear();
    }
    return *this;
}

std::string Credentials::Redacted() const {
    std::string out;
    // The key id is not a secret, but only its ends are needed to tell keys apart in a log.
    if (access_key_id.size() > 8) {
        out = access_key_id.substr(0, 4) + "…" + access_key_id.substr(access_key_id.size() - 4);
    } else {
        out = access_key_id.empty() ? "<no key>" : "****";
    }
    out += session_token.empty() ? " (long-term" : " (temporary";
    if (expiration) out += ", expires " + FormatIso8601(*expiration);
    if (!source.empty()) out += ", from " + source;
    out += ")";
    return out;
}

}  // namespace gw::aws
