// Cross-check against an independent signer: crosscheck.mjs signs a few hundred generated requests with
// @smithy/signature-v4 (AWS SDK for JavaScript v3); here gw::aws signs the same requests and every
// Authorization header (or presigned X-Amz-Signature) must be identical.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>

#include "aws/sigv4.hpp"

namespace gw::aws::test {
namespace {

constexpr int kCases = 400;

// Runs node and returns its stdout; the exit status goes to `status`.
std::string RunNode(const std::string& command, int& status) {
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) {
        status = -1;
        return out;
    }
    char buf[65536];
    for (std::size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
    status = pclose(pipe);
    return out;
}

TEST(SigV4CrossCheck, MatchesSmithySignerOnGeneratedRequests) {
    int status = 0;
    const std::string script = std::string(CS_AWS_TEST_DIR) + "/crosscheck.mjs";
    const std::string output = RunNode(std::string(CS_NODE) + " '" + script + "' " + std::to_string(kCases), status);
    ASSERT_EQ(status, 0) << "node " << script << " failed (is tests/node_modules installed? run scripts/deps)";
    const auto cases = nlohmann::json::parse(output, nullptr, false);
    ASSERT_TRUE(cases.is_array()) << "crosscheck.mjs printed no JSON array";
    ASSERT_EQ(cases.size(), static_cast<std::size_t>(kCases));

    int presigned = 0, s3 = 0, with_token = 0, mismatches = 0;
    for (const auto& c : cases) {
        HttpRequest request;
        request.method = c["method"];
        request.path = c["path"];
        for (const auto& q : c["query"]) request.query.emplace_back(q[0], q[1]);
        for (const auto& h : c["headers"]) request.headers.push_back({h[0], h[1]});
        if (!c["body"].is_null()) request.body = c["body"];

        Credentials credentials;
        credentials.access_key_id = c["access_key_id"];
        credentials.secret_access_key = SecretString(c["secret_access_key"].get<std::string>());
        if (!c["session_token"].is_null()) {
            credentials.session_token = SecretString(c["session_token"].get<std::string>());
            ++with_token;
        }
        const auto time = std::chrono::system_clock::time_point(std::chrono::seconds(c["time"].get<long long>()));
        SigningConfig config = DefaultSigningConfig(c["service"].get<std::string>(), c["region"].get<std::string>(), time);
        s3 += config.service == "s3";
        const bool presign = c["presign"];
        if (presign) {
            ++presigned;
            config.type = SignatureType::kQuery;
            config.add_content_sha256_header = false;  // presigned URLs carry no headers of their own
            config.expires = std::chrono::seconds(c["expires"].get<long long>());
        }

        const auto signed_request = Sign(request, credentials, config);
        ASSERT_TRUE(signed_request.ok()) << "case " << c["n"] << ": " << signed_request.error().message;
        if (presign) {
            const std::string expected = c["expected_signature"];
            if (signed_request->signature != expected) {
                ++mismatches;
                ADD_FAILURE() << "case " << c["n"] << " (presigned " << config.service << " " << request.method << " "
                              << request.path << "): signature differs\ncanonical request:\n"
                              << signed_request->canonical.text;
            }
            EXPECT_EQ(signed_request->canonical.signed_headers, c["expected_signed_headers"].get<std::string>());
        } else {
            const std::string expected = c["expected_authorization"];
            const std::string& actual = signed_request->added_headers.back().value;
            if (actual != expected) {
                ++mismatches;
                ADD_FAILURE() << "case " << c["n"] << " (" << config.service << " " << request.method << " "
                              << request.path << "):\n  ours:   " << actual << "\n  smithy: " << expected
                              << "\ncanonical request:\n" << signed_request->canonical.text;
            }
        }
        if (mismatches > 5) break;  // enough to diagnose; don't flood the log
    }
    // The generator must actually have exercised each family of cases.
    EXPECT_GT(presigned, 40);
    EXPECT_GT(s3, 40);
    EXPECT_GT(with_token, 80);
    EXPECT_EQ(mismatches, 0);
}

}  // namespace
}  // namespace gw::aws::test
