// AWS's own SigV4 vectors (aws-c-auth's v4 suite): every stage of every folder, in both signature forms.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

#include "aws/aws_time.hpp"
#include "aws/sigv4.hpp"
#include "aws/uri.hpp"
#include "request_parser.hpp"
#include "test_util.hpp"

namespace gw::aws::test {
namespace {

namespace fs = std::filesystem;

const fs::path kVectorDir = CS_SIGV4_VECTORS;

std::vector<std::string> VectorFolders() {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(kVectorDir, ec)) {
        if (entry.is_directory() && fs::exists(entry.path() / "request.txt")) out.push_back(entry.path().filename());
    }
    std::sort(out.begin(), out.end());
    // A missing folder must fail, not silently run zero cases: a placeholder case reports it.
    if (out.empty()) out.push_back("MISSING_VECTOR_FOLDER");
    return out;
}

TEST(SigV4Vectors, FolderIsPresentAndComplete) {
    ASSERT_TRUE(fs::is_directory(kVectorDir)) << "SigV4 vectors not found at " << kVectorDir
                                              << " (the team folder shared/ must sit beside the checkout)";
    EXPECT_GE(VectorFolders().size(), 38u);
}

struct Vector {
    ParsedRequest parsed;
    Credentials credentials;
    SigningConfig config;
    std::string dir;
};

Vector LoadVector(const std::string& name, SignatureType type) {
    Vector v;
    v.dir = (kVectorDir / name).string() + "/";
    const std::string request_text = ReadFile(v.dir + "request.txt");
    EXPECT_TRUE(ParseHttpRequest(request_text, v.parsed)) << "cannot parse " << v.dir << "request.txt";
    const auto ctx = nlohmann::json::parse(ReadFile(v.dir + "context.json"), nullptr, false);
    EXPECT_FALSE(ctx.is_discarded()) << v.dir << "context.json";
    if (ctx.is_discarded()) return v;

    v.credentials.access_key_id = ctx["credentials"]["access_key_id"].get<std::string>();
    v.credentials.secret_access_key = SecretString(ctx["credentials"]["secret_access_key"].get<std::string>());
    if (ctx["credentials"].contains("token")) {
        v.credentials.session_token = SecretString(ctx["credentials"]["token"].get<std::string>());
    }
    const auto time = ParseIso8601(ctx["timestamp"].get<std::string>());
    EXPECT_TRUE(time.has_value());
    v.config = DefaultSigningConfig(ctx["service"].get<std::string>(), ctx["region"].get<std::string>(),
                                    time.value_or(SysTime{}));
    v.config.type = type;
    v.config.normalize_path = ctx["normalize"].get<bool>();
    v.config.add_content_sha256_header = ctx.value("sign_body", false);
    v.config.omit_session_token = ctx.value("omit_session_token", false);
    v.config.expires = std::chrono::seconds(ctx.value("expiration_in_seconds", 3600));
    return v;
}

class SigV4VectorTest : public ::testing::TestWithParam<std::tuple<std::string, SignatureType>> {};

TEST_P(SigV4VectorTest, EveryStageMatches) {
    const auto& [name, type] = GetParam();
    ASSERT_NE(name, "MISSING_VECTOR_FOLDER") << "no SigV4 vector folders under " << kVectorDir;
    const Vector v = LoadVector(name, type);
    const std::string prefix = v.dir + (type == SignatureType::kHeaders ? "header-" : "query-");

    // Stage 1: canonical request, on its own.
    const auto canonical = BuildCanonicalRequest(v.parsed.request, v.credentials, v.config);
    ASSERT_TRUE(canonical.ok()) << canonical.error().message;
    EXPECT_EQ(canonical->text, ReadFile(prefix + "canonical-request.txt"));

    // Stage 2: string to sign, from the expected canonical request (so a stage-1 bug cannot mask this one).
    const std::string expected_sts = ReadFile(prefix + "string-to-sign.txt");
    EXPECT_EQ(BuildStringToSign(ReadFile(prefix + "canonical-request.txt"), v.config), expected_sts);

    // Stages 3+4: derived key and signature, from the expected string to sign.
    const SigningKey key = SigningKey::Derive(v.credentials.secret_access_key.View(), v.config);
    EXPECT_EQ(ComputeSignature(key, expected_sts), ReadFile(prefix + "signature.txt"));

    // All stages together, then the signed request written back the way the vectors print it.
    const auto signed_request = Sign(v.parsed.request, v.credentials, v.config);
    ASSERT_TRUE(signed_request.ok());
    EXPECT_EQ(signed_request->canonical.text, canonical->text);
    EXPECT_EQ(signed_request->string_to_sign, expected_sts);
    EXPECT_EQ(signed_request->signature, ReadFile(prefix + "signature.txt"));

    std::vector<std::string> lines = v.parsed.header_lines;
    std::string target = v.parsed.raw_target;
    if (type == SignatureType::kHeaders) {
        for (const auto& h : signed_request->added_headers) lines.push_back(h.name + ":" + h.value);
    } else {
        target += (target.find('?') == std::string::npos ? "?" : "&") + BuildQueryString(signed_request->added_query);
    }
    EXPECT_EQ(WriteHttpRequest(v.parsed.request.method, target, lines, v.parsed.request.body),
              ReadFile(prefix + "signed-request.txt"));
}

INSTANTIATE_TEST_SUITE_P(Aws, SigV4VectorTest,
                         ::testing::Combine(::testing::ValuesIn(VectorFolders()),
                                            ::testing::Values(SignatureType::kHeaders, SignatureType::kQuery)),
                         [](const auto& info) {
                             std::string n = std::get<0>(info.param);
                             std::replace(n.begin(), n.end(), '-', '_');
                             return n + (std::get<1>(info.param) == SignatureType::kHeaders ? "_header" : "_query");
                         });

}  // namespace
}  // namespace gw::aws::test
