// Known answers and contracts of the signer beyond the vector suite.
#include "aws/sigv4.hpp"

#include <gtest/gtest.h>

#include "aws/aws_time.hpp"
#include "aws/uri.hpp"

namespace gw::aws::test {
namespace {

std::string HexOf(const std::array<unsigned char, 32>& b) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (const unsigned char c : b) out += {kHex[c >> 4], kHex[c & 0xF]};
    return out;
}

TEST(SigV4Test, DerivedSigningKeyMatchesAwsDocumentationExample) {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html (IAM example)
    SigningConfig config = DefaultSigningConfig("iam", "us-east-1", *ParseIso8601("2015-08-30T12:36:00Z"));
    const SigningKey key = SigningKey::Derive("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", config);
    EXPECT_EQ(HexOf(key.Bytes()), "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
}

TEST(SigV4Test, RefusesRequestsItCannotSign) {
    Credentials c;
    c.access_key_id = "AKID";
    c.secret_access_key = SecretString("s");
    SigningConfig config = DefaultSigningConfig("sts", "us-east-1", SysTime{});
    HttpRequest no_host;
    EXPECT_EQ(Sign(no_host, c, config).error().code, kErrInvalidArgument);
    HttpRequest r;
    r.headers = {{"Host", "sts.amazonaws.com"}};
    config.type = SignatureType::kQuery;
    config.expires = std::chrono::hours(24 * 8);
    EXPECT_EQ(Sign(r, c, config).error().code, kErrInvalidArgument);
    config.region.clear();
    config.type = SignatureType::kHeaders;
    EXPECT_EQ(Sign(r, c, config).error().code, kErrInvalidArgument);
}

TEST(SigV4Test, UnsignedPayloadAndS3Defaults) {
    Credentials c;
    c.access_key_id = "AKID";
    c.secret_access_key = SecretString("s");
    HttpRequest r;
    r.method = "PUT";
    r.path = "/bucket/a%20b/../c";
    r.headers = {{"Host", "s3.eu-west-1.amazonaws.com"}};
    r.body = "data";
    SigningConfig config = DefaultSigningConfig("s3", "eu-west-1", SysTime{});
    config.unsigned_payload = true;
    const auto s = Sign(r, c, config);
    ASSERT_TRUE(s.ok());
    // S3: the path is signed as sent (no normalisation, no second encoding) and the hash header is signed.
    EXPECT_NE(s->canonical.text.find("\n/bucket/a%20b/../c\n"), std::string::npos) << s->canonical.text;
    EXPECT_EQ(s->canonical.payload_hash, "UNSIGNED-PAYLOAD");
    EXPECT_EQ(s->canonical.signed_headers, "host;x-amz-content-sha256;x-amz-date");
}

TEST(SigV4Test, ApplySignatureReplacesAStaleSignature) {
    Credentials c;
    c.access_key_id = "AKID";
    c.secret_access_key = SecretString("s");
    HttpRequest r;
    r.headers = {{"Host", "sts.amazonaws.com"}, {"authorization", "old"}, {"X-Amz-Date", "19700101T000000Z"}};
    const auto signed_request = SignRequest(r, c, DefaultSigningConfig("sts", "us-east-1", SysTime{}));
    ASSERT_TRUE(signed_request.ok());
    int authorization_headers = 0;
    for (const auto& h : signed_request->headers) authorization_headers += EqualsIgnoreCase(h.name, "authorization");
    EXPECT_EQ(authorization_headers, 1);
    EXPECT_EQ(*signed_request->FindHeader("x-amz-date"), "19700101T000000Z");  // SysTime{} is the epoch
    EXPECT_TRUE(signed_request->FindHeader("authorization")->starts_with("AWS4-HMAC-SHA256 Credential=AKID/19700101/"));
}

TEST(SigV4Test, ParsesAuthorizationHeader) {
    const auto p = ParseAuthorizationHeader(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    EXPECT_EQ(p.access_key_id, "AKIDEXAMPLE");
    EXPECT_EQ(p.date, "20150830");
    EXPECT_EQ(p.region, "us-east-1");
    EXPECT_EQ(p.service, "service");
    EXPECT_EQ(p.signed_headers, "host;x-amz-date");
    EXPECT_EQ(p.signature, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    EXPECT_TRUE(ParseAuthorizationHeader("Basic abc").access_key_id.empty());
}

TEST(UriTest, EncodeDecodeRoundTrip) {
    EXPECT_EQ(UriEncode("a b/ü~*"), "a%20b%2F%C3%BC~%2A");
    EXPECT_EQ(UriEncode("a b/c", true), "a%20b/c");
    EXPECT_EQ(UriDecode("a%20b%2fc%zz+"), "a b/c%zz+");
    const QueryParams q = {{"k", "v w"}, {"empty", ""}, {"ü", "&="}};
    EXPECT_EQ(ParseQueryString(BuildQueryString(q)), q);
}

TEST(AwsTimeTest, ParsesAndFormats) {
    const auto t = ParseIso8601("2011-07-15T23:28:33.359Z");
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(FormatIso8601(*t), "2011-07-15T23:28:33Z");
    EXPECT_EQ(FormatAmzDate(*t), "20110715T232833Z");
    EXPECT_FALSE(ParseIso8601("2011-13-15T23:28:33Z").has_value());
    EXPECT_FALSE(ParseIso8601("2011-07-15 23:28:33").has_value());
}

// system_clock counts nanoseconds in 64 bits (years 1678-2262); converting a time outside overflowed (undefined
// behaviour; an endpoint answering <Expiration>1013-...</Expiration> gave a wrong time). Found by fuzz_aws_xml.
TEST(AwsTimeTest, TimesTheClockCannotHoldAreRefused) {
    EXPECT_FALSE(ParseIso8601("1013-11-24T04:59:00Z").has_value());
    EXPECT_FALSE(ParseIso8601("9999-12-31T23:59:59.999Z").has_value());
    EXPECT_FALSE(ParseIso8601("0000-01-01T00:00:00Z").has_value());
    EXPECT_FALSE(ParseIso8601("2262-04-11T23:47:17Z").has_value());
    EXPECT_FALSE(ParseIso8601("1677-09-21T00:12:43Z").has_value());
    // The edges of the clock still read, to the second.
    const auto last = ParseIso8601("2262-04-11T23:47:16Z");
    ASSERT_TRUE(last.has_value());
    EXPECT_EQ(FormatIso8601(*last), "2262-04-11T23:47:16Z");
    const auto first = ParseIso8601("1677-09-21T00:12:44Z");
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(FormatIso8601(*first), "1677-09-21T00:12:44Z");
    EXPECT_EQ(ParseIso8601("1970-01-01T00:00:00Z")->time_since_epoch().count(), 0);
}

}  // namespace
}  // namespace gw::aws::test
