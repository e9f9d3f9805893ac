// SigV4 signer. Stage order and the quirks below follow AWS's reference description and aws-c-auth:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
#include "aws/sigv4.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cassert>
#include <map>

#include "aws/aws_time.hpp"
#include "aws/uri.hpp"

namespace gw::aws {
namespace {

using Digest = std::array<unsigned char, 32>;

// Intermediate keys of the derivation are secrets too: wiped when they go out of scope.
struct WipedDigest {
    Digest d;
    ~WipedDigest() { Wipe(d.data(), d.size()); }
};

// Headers that proxies and clients add or rewrite in flight; signing them would break the signature.
// Same list as the AWS SDKs (smithy signature-v4 ALWAYS_UNSIGNABLE_HEADERS), plus the proxy-/sec- prefixes.
bool IsUnsignable(std::string_view lower_name) {
    static constexpr std::string_view kNames[] = {
        "authorization", "cache-control", "connection", "expect",            "from",
        "keep-alive",    "max-forwards",  "pragma",     "referer",           "te",
        "trailer",       "transfer-encoding", "upgrade", "user-agent",       "x-amzn-trace-id"};
    if (std::find(std::begin(kNames), std::end(kNames), lower_name) != std::end(kNames)) return true;
    return lower_name.starts_with("proxy-") || lower_name.starts_with("sec-");
}

std::string Hex(const unsigned char* p, std::size_t n) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(n * 2, '0');
    for (std::size_t i = 0; i < n; ++i) {
        out[2 * i] = kHex[p[i] >> 4];
        out[2 * i + 1] = kHex[p[i] & 0xF];
    }
    return out;
}

// HMAC-SHA256 through OpenSSL's EVP_MAC. The MAC implementation is fetched once; fetching is the slow part.
Digest HmacSha256(const unsigned char* key, std::size_t key_len, std::string_view data) {
    static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    Digest out{};
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
    char digest_name[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
                                 OSSL_PARAM_construct_end()};
    std::size_t out_len = 0;
    const bool ok = ctx != nullptr && EVP_MAC_init(ctx, key, key_len, params) == 1 &&
                    EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1 &&
                    EVP_MAC_final(ctx, out.data(), &out_len, out.size()) == 1 && out_len == out.size();
    EVP_MAC_CTX_free(ctx);  // also cleanses the key schedule it held
    assert(ok && "OpenSSL HMAC-SHA256 failed");
    (void)ok;
    return out;
}

// RFC 7230 whitespace plus line breaks (obs-fold continuations arrive joined with them).
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

// Trims the value and turns each run of whitespace inside it into one space (the canonical header value).
std::string CanonicalHeaderValue(std::string_view v) {
    std::string out;
    bool pending_space = false;
    for (const char c : v) {
        if (IsSpace(c)) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out += ' ';
        pending_space = false;
        out += c;
    }
    return out;
}

// lower-case name -> values in request order; std::map gives the sorted order SigV4 wants.
std::map<std::string, std::vector<std::string>> SignableHeaders(const std::vector<HttpHeader>& headers) {
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& h : headers) {
        std::string name = ToLower(h.name);
        if (IsUnsignable(name)) continue;
        out[std::move(name)].push_back(CanonicalHeaderValue(h.value));
    }
    return out;
}

std::string SignedHeaderList(const std::map<std::string, std::vector<std::string>>& headers) {
    std::string out;
    for (const auto& [name, values] : headers) {
        if (!out.empty()) out += ';';
        out += name;
    }
    return out;
}

std::string CanonicalQuery(const QueryParams& query) {
    std::vector<std::pair<std::string, std::string>> encoded;
    encoded.reserve(query.size());
    for (const auto& [key, value] : query) {
        if (key == "X-Amz-Signature") continue;  // a presigned URL being re-signed must not sign its old signature
        encoded.emplace_back(UriEncode(key), UriEncode(value));
    }
    std::sort(encoded.begin(), encoded.end());  // by encoded key, then encoded value
    std::string out;
    for (const auto& [key, value] : encoded) {
        if (!out.empty()) out += '&';
        out += key + "=" + value;
    }
    return out;
}

// The request after signing's own additions, ready to canonicalise, plus those additions in output order.
struct Prepared {
    HttpRequest request;
    std::string payload_hash;
    std::vector<HttpHeader> header_additions;  // kHeaders, without Authorization
    QueryParams query_additions;               // kQuery, without X-Amz-Signature
};

Result<Prepared> Prepare(const HttpRequest& in, const Credentials& credentials, const SigningConfig& config) {
    if (config.region.empty() || config.service.empty()) {
        return MakeError(kErrInvalidArgument, "SigV4: region and service are required");
    }
    if (in.FindHeader("host") == nullptr) return MakeError(kErrInvalidArgument, "SigV4: the request has no Host header");
    if (config.type == SignatureType::kQuery &&
        (config.expires.count() < 1 || config.expires > kMaxPresignExpiry)) {
        return MakeError(kErrInvalidArgument, "SigV4: presign expiry must be between 1 second and 7 days");
    }

    Prepared p{in, {}, {}, {}};
    HttpRequest& r = p.request;
    r.RemoveHeader("authorization");
    if (config.unsigned_payload) {
        p.payload_hash = kUnsignedPayload;
    } else if (const std::string* given = r.FindHeader("x-amz-content-sha256")) {
        p.payload_hash = *given;  // the caller chose (e.g. STREAMING-... or a precomputed hash)
    } else {
        p.payload_hash = Sha256Hex(r.body);
    }

    const std::string amz_date = FormatAmzDate(config.time);
    const std::string_view token = credentials.session_token.View();
    if (config.type == SignatureType::kHeaders) {
        r.RemoveHeader("x-amz-date");
        if (!token.empty()) {
            r.RemoveHeader("x-amz-security-token");
            p.header_additions.push_back({"X-Amz-Security-Token", std::string(token)});
        }
        p.header_additions.push_back({"X-Amz-Date", amz_date});
        if (config.add_content_sha256_header && r.FindHeader("x-amz-content-sha256") == nullptr) {
            p.header_additions.push_back({"x-amz-content-sha256", p.payload_hash});
        }
        for (const auto& h : p.header_additions) {
            if (config.omit_session_token && h.name == "X-Amz-Security-Token") continue;  // added after signing
            r.headers.push_back(h);
        }
    } else {
        const std::string credential = credentials.access_key_id + "/" + CredentialScope(config);
        p.query_additions = {{"X-Amz-Algorithm", std::string(kSigV4Algorithm)},
                             {"X-Amz-Credential", credential},
                             {"X-Amz-Date", amz_date},
                             {"X-Amz-SignedHeaders", SignedHeaderList(SignableHeaders(r.headers))},
                             {"X-Amz-Expires", std::to_string(config.expires.count())}};
        if (!token.empty()) p.query_additions.emplace_back("X-Amz-Security-Token", std::string(token));
        for (const auto& q : p.query_additions) {
            if (config.omit_session_token && q.first == "X-Amz-Security-Token") continue;
            r.query.push_back(q);
        }
    }
    return p;
}

CanonicalRequest Canonicalise(const Prepared& p, const SigningConfig& config) {
    const HttpRequest& r = p.request;
    const auto headers = SignableHeaders(r.headers);
    CanonicalRequest out;
    out.signed_headers = SignedHeaderList(headers);
    out.payload_hash = p.payload_hash;
    std::string& t = out.text;
    t = r.method + "\n" + CanonicalPath(r.path, config.normalize_path, config.double_encode_path) + "\n" +
        CanonicalQuery(r.query) + "\n";
    for (const auto& [name, values] : headers) {
        t += name + ":";
        for (std::size_t i = 0; i < values.size(); ++i) t += (i ? "," : "") + values[i];
        t += "\n";
    }
    t += "\n" + out.signed_headers + "\n" + out.payload_hash;
    return out;
}

}  // namespace

SigningConfig DefaultSigningConfig(std::string_view service, std::string_view region,
                                   std::chrono::system_clock::time_point time) {
    SigningConfig c;
    c.service = service;
    c.region = region;
    c.time = time;
    if (service == "s3") {
        c.normalize_path = false;
        c.double_encode_path = false;
        c.add_content_sha256_header = true;
    }
    return c;
}

std::string Sha256Hex(std::string_view data) {
    Digest d{};
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), d.data(), &len, EVP_sha256(), nullptr);
    return Hex(d.data(), d.size());
}

std::string CanonicalPath(std::string_view path, bool normalize, bool double_encode) {
    std::string out;
    if (normalize) {
        // RFC 3986 remove_dot_segments, and empty segments collapse too (as every AWS SDK does).
        std::vector<std::string_view> segments;
        std::string_view rest = path;
        while (!rest.empty()) {
            const std::size_t slash = rest.find('/');
            const std::string_view seg = rest.substr(0, slash);
            if (seg == "..") {
                if (!segments.empty()) segments.pop_back();
            } else if (!seg.empty() && seg != ".") {
                segments.push_back(seg);
            }
            if (slash == std::string_view::npos) break;
            rest.remove_prefix(slash + 1);
        }
        out = "/";
        for (std::size_t i = 0; i < segments.size(); ++i) out += (i ? "/" : "") + std::string(segments[i]);
        if (!segments.empty() && path.ends_with('/')) out += '/';
    } else {
        out = path;
    }
    if (out.empty()) out = "/";
    // The wire path is already encoded once; every service but S3 expects it encoded again ("double").
    return double_encode ? UriEncode(out, /*keep_slash=*/true) : out;
}

Result<CanonicalRequest> BuildCanonicalRequest(const HttpRequest& request, const Credentials& credentials,
                                               const SigningConfig& config) {
    auto prepared = Prepare(request, credentials, config);
    if (!prepared) return prepared.error();
    return Canonicalise(*prepared, config);
}

std::string CredentialScope(const SigningConfig& config) {
    return FormatAmzShortDate(config.time) + "/" + config.region + "/" + config.service + "/aws4_request";
}

std::string BuildStringToSign(std::string_view canonical_request, const SigningConfig& config) {
    return std::string(kSigV4Algorithm) + "\n" + FormatAmzDate(config.time) + "\n" + CredentialScope(config) + "\n" +
           Sha256Hex(canonical_request);
}

SigningKey SigningKey::Derive(std::string_view secret_access_key, const SigningConfig& config) {
    SecretString seed(std::string("AWS4").append(secret_access_key));  // wiped when it goes out of scope
    WipedDigest k{HmacSha256(reinterpret_cast<const unsigned char*>(seed.View().data()), seed.View().size(),
                             FormatAmzShortDate(config.time))};
    for (const std::string_view part : {std::string_view(config.region), std::string_view(config.service),
                                        std::string_view("aws4_request")}) {
        const WipedDigest next{HmacSha256(k.d.data(), k.d.size(), part)};
        k.d = next.d;
    }
    return SigningKey(k.d);
}

SigningKey::~SigningKey() { Wipe(bytes_.data(), bytes_.size()); }

std::string ComputeSignature(const SigningKey& key, std::string_view string_to_sign) {
    const Digest d = HmacSha256(key.Bytes().data(), key.Bytes().size(), string_to_sign);
    return Hex(d.data(), d.size());
}

Result<SignedRequest> Sign(const HttpRequest& request, const Credentials& credentials, const SigningConfig& config) {
    auto prepared = Prepare(request, credentials, config);
    if (!prepared) return prepared.error();
    SignedRequest out;
    out.canonical = Canonicalise(*prepared, config);
    out.string_to_sign = BuildStringToSign(out.canonical.text, config);
    {
        const SigningKey key = SigningKey::Derive(credentials.secret_access_key.View(), config);
        out.signature = ComputeSignature(key, out.string_to_sign);
    }
    if (config.type == SignatureType::kHeaders) {
        out.added_headers = std::move(prepared->header_additions);
        out.added_headers.push_back(
            {"Authorization", std::string(kSigV4Algorithm) + " Credential=" + credentials.access_key_id + "/" +
                                  CredentialScope(config) + ", SignedHeaders=" + out.canonical.signed_headers +
                                  ", Signature=" + out.signature});
    } else {
        out.added_query = std::move(prepared->query_additions);
        out.added_query.emplace_back("X-Amz-Signature", out.signature);
    }
    return out;
}

void ApplySignature(HttpRequest& request, const SignedRequest& signed_request) {
    request.RemoveHeader("authorization");
    for (const auto& h : signed_request.added_headers) request.SetHeader(h.name, h.value);
    for (const auto& q : signed_request.added_query) request.query.push_back(q);
}

Result<HttpRequest> SignRequest(HttpRequest request, const Credentials& credentials, const SigningConfig& config) {
    auto signed_request = Sign(request, credentials, config);
    if (!signed_request) return signed_request.error();
    ApplySignature(request, *signed_request);
    return request;
}

AuthorizationParts ParseAuthorizationHeader(std::string_view v) {
    AuthorizationParts out;
    if (!v.starts_with(kSigV4Algorithm)) return out;
    v.remove_prefix(kSigV4Algorithm.size());
    auto field = [&](std::string_view name) -> std::string {
        const std::size_t at = v.find(name);
        if (at == std::string_view::npos) return {};
        const std::size_t start = at + name.size();
        const std::size_t end = v.find(',', start);
        return std::string(v.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    };
    const std::string credential = field("Credential=");
    out.signed_headers = field("SignedHeaders=");
    out.signature = field("Signature=");
    // Credential=AKID/20150830/us-east-1/service/aws4_request
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t slash; (slash = credential.find('/', start)) != std::string::npos; start = slash + 1) {
        parts.push_back(credential.substr(start, slash - start));
    }
    parts.push_back(credential.substr(start));
    if (parts.size() == 5 && parts[4] == "aws4_request") {
        out.access_key_id = parts[0];
        out.date = parts[1];
        out.region = parts[2];
        out.service = parts[3];
    }
    return out;
}

}  // namespace gw::aws
