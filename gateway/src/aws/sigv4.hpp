#pragma once
// AWS Signature Version 4, as a pure pipeline of inspectable stages (the aws-c-auth shape):
//
//   BuildCanonicalRequest -> BuildStringToSign -> SigningKey::Derive -> ComputeSignature -> Sign
//
// No clock, no I/O: the time and the credentials are arguments, so every stage can be checked against
// AWS's published test vectors. Spec: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html
#include <array>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "aws/http_types.hpp"
#include "aws/result.hpp"
#include "aws/secret.hpp"

namespace gw::aws {

inline constexpr std::string_view kSigV4Algorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::chrono::seconds kMaxPresignExpiry{7 * 24 * 3600};  // AWS rejects longer presigned URLs

enum class SignatureType {
    kHeaders,  // Authorization header (what API calls use)
    kQuery,    // presigned URL: X-Amz-* query parameters, no Authorization header
};

struct SigningConfig {
    std::string region;                            // "us-east-1"
    std::string service;                           // signing name: "sts", "cloudformation", "s3", ...
    std::chrono::system_clock::time_point time;    // signing time; truncated to the second
    SignatureType type = SignatureType::kHeaders;
    bool normalize_path = true;                    // remove "." / ".." / empty segments (S3: false)
    bool double_encode_path = true;                // UriEncode the (already encoded) path again (S3: false)
    bool add_content_sha256_header = false;        // add and sign x-amz-content-sha256 (S3 needs it)
    bool unsigned_payload = false;                 // payload hash "UNSIGNED-PAYLOAD" instead of SHA-256(body)
    bool omit_session_token = false;               // add the token after signing, unsigned (some services want this)
    std::chrono::seconds expires{3600};            // kQuery only: X-Amz-Expires, 1 s .. 7 days
};

// The usual settings for a service: S3 neither normalises nor double-encodes its path and signs
// x-amz-content-sha256; every other service does the opposite.
SigningConfig DefaultSigningConfig(std::string_view service, std::string_view region,
                                   std::chrono::system_clock::time_point time);

// Stage 1 result. text is the canonical request itself (method, path, query, headers, signed headers, hash).
struct CanonicalRequest {
    std::string text;
    std::string signed_headers;  // "host;x-amz-date"
    std::string payload_hash;    // hex SHA-256 of the body, or UNSIGNED-PAYLOAD, or the caller's x-amz-content-sha256
};

// Stage 1: the canonical request of `request` as it will be signed, i.e. including what signing adds
// (X-Amz-Date and friends as headers for kHeaders, X-Amz-* parameters for kQuery).
// Fails (InvalidArgument) without a Host header, with an empty region/service, or a bad expiry.
Result<CanonicalRequest> BuildCanonicalRequest(const HttpRequest& request, const Credentials& credentials,
                                               const SigningConfig& config);

// "20150830/us-east-1/iam/aws4_request".
std::string CredentialScope(const SigningConfig& config);

// Stage 2: "AWS4-HMAC-SHA256\n<amz date>\n<scope>\n<hex sha256(canonical request)>".
std::string BuildStringToSign(std::string_view canonical_request, const SigningConfig& config);

// Stage 3: the derived key HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request").
// Not copyable; its bytes are wiped when it is destroyed.
class SigningKey {
public:
    static SigningKey Derive(std::string_view secret_access_key, const SigningConfig& config);
    SigningKey(const SigningKey&) = delete;
    SigningKey& operator=(const SigningKey&) = delete;
    ~SigningKey();
    const std::array<unsigned char, 32>& Bytes() const { return bytes_; }

private:
    explicit SigningKey(const std::array<unsigned char, 32>& bytes) : bytes_(bytes) {}
    std::array<unsigned char, 32> bytes_{};
};

// Stage 4: hex HMAC-SHA256(key, string_to_sign).
std::string ComputeSignature(const SigningKey& key, std::string_view string_to_sign);

// Everything signing produced, stage by stage, plus what to add to the request.
struct SignedRequest {
    CanonicalRequest canonical;
    std::string string_to_sign;
    std::string signature;
    // kHeaders: appended in this order: X-Amz-Security-Token, X-Amz-Date, x-amz-content-sha256, Authorization.
    std::vector<HttpHeader> added_headers;
    // kQuery: appended in this order: X-Amz-Algorithm, -Credential, -Date, -SignedHeaders, -Expires,
    // -Security-Token, -Signature.
    QueryParams added_query;
};

// All stages at once. The request is not modified; see ApplySignature.
Result<SignedRequest> Sign(const HttpRequest& request, const Credentials& credentials, const SigningConfig& config);

// Adds the signature to the request: replaces any Authorization / X-Amz-Date / token headers it had
// and appends `signed_request.added_headers`, or appends `added_query` to its query.
void ApplySignature(HttpRequest& request, const SignedRequest& signed_request);

// Sign + ApplySignature.
Result<HttpRequest> SignRequest(HttpRequest request, const Credentials& credentials, const SigningConfig& config);

// Hex SHA-256 of data (lower case).
std::string Sha256Hex(std::string_view data);

// The canonical URI (stage 1, line 2) of a wire path under the given flags.
std::string CanonicalPath(std::string_view wire_path, bool normalize, bool double_encode);

// The parts of an "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=..." header; for servers
// and test doubles that verify a signature. Empty fields when the header does not parse.
struct AuthorizationParts {
    std::string access_key_id, date, region, service, signed_headers, signature;
};
AuthorizationParts ParseAuthorizationHeader(std::string_view value);

}  // namespace gw::aws
