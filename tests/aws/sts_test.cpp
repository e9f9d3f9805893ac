// AssumeRole against FakeStsForTest, a local STS test double that verifies each request's SigV4 signature
// by rebuilding the canonical request from what it received, checks the required parameters and answers
// real-shaped XML.
#include "aws/sts.hpp"

#include <gtest/gtest.h>

#include <atomic>

#include "aws/aws_time.hpp"
#include "aws/sigv4.hpp"
#include "aws/uri.hpp"
#include "local_server.hpp"

namespace gw::aws::test {
namespace {

constexpr const char* kSourceKeyId = "AKIDSOURCEEXAMPLE";
constexpr const char* kSourceSecret = "source/Secret+Key/EXAMPLE";

class FakeStsForTest {
public:
    std::atomic<int> requests{0}, bad_signatures{0};
    int throttle_first = 0;  // answer this many requests with a Throttling error first
    QueryParams last_form;

    bool Start() {
        server_.server().Post("/", [this](const httplib::Request& req, httplib::Response& res) { Handle(req, res); });
        return server_.Start();
    }
    Endpoint endpoint() const { return ParseEndpointUrl(server_.url()).value(); }

private:
    void Handle(const httplib::Request& req, httplib::Response& res) {
        const int n = ++requests;
        if (!SignatureValid(req)) {
            ++bad_signatures;
            Error(res, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match");
            return;
        }
        if (n <= throttle_first) {
            Error(res, 400, "Throttling", "Rate exceeded");
            return;
        }
        last_form = ParseQueryString(req.body);
        auto get = [&](const std::string& k) {
            for (const auto& [key, value] : last_form) if (key == k) return value;
            return std::string();
        };
        for (const char* required : {"Action", "Version", "RoleArn", "RoleSessionName"}) {
            if (get(required).empty()) {
                Error(res, 400, "MissingParameter", std::string("missing ") + required);
                return;
            }
        }
        if (get("Action") != "AssumeRole" || get("Version") != "2011-06-15") {
            Error(res, 400, "InvalidAction", "unexpected action/version");
            return;
        }
        res.set_content(
            "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
            "  <AssumeRoleResult>\n    <SourceIdentity>none</SourceIdentity>\n"
            "    <AssumedRoleUser>\n      <Arn>arn:aws:sts::123456789012:assumed-role/deployer/" + get("RoleSessionName") +
            "</Arn>\n      <AssumedRoleId>ARO123EXAMPLE123:" + get("RoleSessionName") + "</AssumedRoleId>\n"
            "    </AssumedRoleUser>\n    <Credentials>\n      <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>\n"
            "      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>\n"
            "      <SessionToken>IQoJb3JpZ2luX2VjEOJ//////////wEaCXVzLWVhc3QtMSJHMEUCIDEXAMPLE=</SessionToken>\n"
            "      <Expiration>2026-11-24T01:00:00.123Z</Expiration>\n    </Credentials>\n"
            "    <PackedPolicySize>6</PackedPolicySize>\n  </AssumeRoleResult>\n"
            "  <ResponseMetadata>\n    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>\n"
            "  </ResponseMetadata>\n</AssumeRoleResponse>\n",
            "text/xml");
    }

    // Rebuilds the request from the wire with only the headers named in SignedHeaders, runs the signer's
    // stages with the known secret, and compares signatures, as STS does.
    static bool SignatureValid(const httplib::Request& req) {
        const AuthorizationParts auth = ParseAuthorizationHeader(req.get_header_value("Authorization"));
        if (auth.access_key_id != kSourceKeyId || auth.service != "sts" || auth.region != "eu-west-1") return false;
        const auto time = ParseAmzDate(req.get_header_value("X-Amz-Date"));
        if (!time || FormatAmzShortDate(*time) != auth.date) return false;

        HttpRequest wire;
        wire.method = req.method;
        wire.path = req.path;
        wire.body = req.body;
        std::string names = auth.signed_headers + ";";
        for (std::size_t start = 0, semi; (semi = names.find(';', start)) != std::string::npos; start = semi + 1) {
            const std::string name = names.substr(start, semi - start);
            if (!req.has_header(name)) return false;
            wire.headers.push_back({name, req.get_header_value(name)});
        }
        for (const char* required : {";host;", ";x-amz-date;"}) {
            if ((";" + auth.signed_headers + ";").find(required) == std::string::npos) return false;
        }
        SigningConfig config = DefaultSigningConfig("sts", "eu-west-1", *time);
        // The received X-Amz-Date (and a source session token) are among the headers; the signer replaces the
        // date with the same value from `config`, and keeps the token header as received.
        Credentials creds;
        creds.access_key_id = kSourceKeyId;
        creds.secret_access_key = SecretString(kSourceSecret);
        const auto canonical = BuildCanonicalRequest(wire, creds, config);
        if (!canonical || canonical->signed_headers != auth.signed_headers) return false;
        const SigningKey key = SigningKey::Derive(kSourceSecret, config);
        return ComputeSignature(key, BuildStringToSign(canonical->text, config)) == auth.signature;
    }

    static std::optional<SysTime> ParseAmzDate(const std::string& d) {  // 20261123T234000Z
        if (d.size() != 16) return std::nullopt;
        return ParseIso8601(d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2) + "T" + d.substr(9, 2) + ":" +
                            d.substr(11, 2) + ":" + d.substr(13, 2) + "Z");
    }

    static void Error(httplib::Response& res, int status, const std::string& code, const std::string& message) {
        res.status = status;
        res.set_content("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
                        "<Code>" + code + "</Code><Message>" + message + "</Message></Error>"
                        "<RequestId>err-req-id</RequestId></ErrorResponse>", "text/xml");
    }

    LocalServer server_;
};

class StsTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(sts_.Start());
        source_.access_key_id = kSourceKeyId;
        source_.secret_access_key = SecretString(kSourceSecret);
        options_.sleep = [](std::chrono::milliseconds) {};
        params_.role_arn = "arn:aws:iam::123456789012:role/cloudsketch-deployer";
        params_.role_session_name = "cloudsketch-user-42";
        params_.external_id = "cs-user-42-f00d";
        params_.duration_seconds = 1800;
    }
    FakeStsForTest sts_;
    Credentials source_;
    HttpClientOptions options_;
    AssumeRoleParams params_;
};

TEST_F(StsTest, AssumeRoleSendsASignedFormAndParsesTheCredentials) {
    HttpClient http(options_);
    const auto c = AssumeRole(http, sts_.endpoint(), "eu-west-1", source_, params_, SystemNow);
    ASSERT_TRUE(c.ok()) << c.error().code << ": " << c.error().message;
    EXPECT_EQ(sts_.bad_signatures.load(), 0);
    EXPECT_EQ(c->access_key_id, "ASIAIOSFODNN7EXAMPLE");
    EXPECT_EQ(c->secret_access_key.View(), "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY");
    EXPECT_EQ(c->session_token.View(), "IQoJb3JpZ2luX2VjEOJ//////////wEaCXVzLWVhc3QtMSJHMEUCIDEXAMPLE=");
    ASSERT_TRUE(c->expiration.has_value());
    EXPECT_EQ(FormatIso8601(*c->expiration), "2026-11-24T01:00:00Z");
    EXPECT_EQ(c->source, "assume-role:arn:aws:iam::123456789012:role/cloudsketch-deployer");
    const QueryParams expected = {{"Action", "AssumeRole"},
                                  {"Version", "2011-06-15"},
                                  {"RoleArn", "arn:aws:iam::123456789012:role/cloudsketch-deployer"},
                                  {"RoleSessionName", "cloudsketch-user-42"},
                                  {"ExternalId", "cs-user-42-f00d"},
                                  {"DurationSeconds", "1800"}};
    EXPECT_EQ(sts_.last_form, expected);
}

TEST_F(StsTest, TheDoubleRejectsAWrongSecret) {
    source_.secret_access_key = SecretString("not-the-secret");
    HttpClient http(options_);
    const auto c = AssumeRole(http, sts_.endpoint(), "eu-west-1", source_, params_, SystemNow);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error().code, "SignatureDoesNotMatch");
    EXPECT_EQ(c.error().http_status, 403);
    EXPECT_EQ(c.error().request_id, "err-req-id");
    EXPECT_EQ(sts_.requests.load(), 1);  // not retryable
}

TEST_F(StsTest, SessionTokenOfTheSourceIsSentAndSigned) {
    source_.session_token = SecretString("source-session-token");
    HttpClient http(options_);
    const auto c = AssumeRole(http, sts_.endpoint(), "eu-west-1", source_, params_, SystemNow);
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_EQ(sts_.bad_signatures.load(), 0);
}

TEST_F(StsTest, ThrottlingIsRetriedAndEachAttemptIsSignedAgain) {
    sts_.throttle_first = 2;
    int clock_reads = 0;
    const SysTime start = SystemNow();
    const TimeSource now = [&] { return start + std::chrono::seconds(++clock_reads); };
    HttpClient http(options_);
    const auto c = AssumeRole(http, sts_.endpoint(), "eu-west-1", source_, params_, now);
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_EQ(sts_.requests.load(), 3);
    EXPECT_EQ(clock_reads, 3);
    EXPECT_EQ(sts_.bad_signatures.load(), 0);
}

TEST_F(StsTest, InvalidParametersFailBeforeAnyRequest) {
    HttpClient http(options_);
    params_.role_session_name = "has space";
    EXPECT_EQ(AssumeRole(http, sts_.endpoint(), "eu-west-1", source_, params_, SystemNow).error().code, kErrInvalidArgument);
    params_.role_session_name = "ok-name";
    params_.duration_seconds = 60;
    EXPECT_EQ(AssumeRole(http, sts_.endpoint(), "eu-west-1", source_, params_, SystemNow).error().code, kErrInvalidArgument);
    EXPECT_EQ(sts_.requests.load(), 0);
}

TEST_F(StsTest, ProviderAssumesWithSourceCredentials) {
    class Fixed : public CredentialsProvider {
    public:
        explicit Fixed(Credentials c) : c_(std::move(c)) {}
        Result<Credentials> Get() override { return c_; }
        Credentials c_;
    };
    CachingCredentialsProvider provider(
        std::make_unique<AssumeRoleCredentialsProvider>(std::make_shared<Fixed>(source_), sts_.endpoint(), "eu-west-1",
                                                        params_, SystemNow, options_),
        [] { return *ParseIso8601("2026-11-24T00:00:00Z"); });
    ASSERT_TRUE(provider.Get().ok());
    ASSERT_TRUE(provider.Get().ok());
    EXPECT_EQ(sts_.requests.load(), 1);  // cached until 5 minutes before 01:00
}

TEST(StsParseTest, IncompleteResponseIsAnError) {
    EXPECT_EQ(ParseAssumeRoleResponse("<AssumeRoleResponse><AssumeRoleResult/></AssumeRoleResponse>").error().code,
              kErrMalformedResponse);
    EXPECT_EQ(ParseAssumeRoleResponse("not xml").error().code, kErrMalformedResponse);
}

}  // namespace
}  // namespace gw::aws::test
