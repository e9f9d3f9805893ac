// The credential chain: environment, shared files (temp files), IMDSv2 (FakeImdsForTest), caching.
#include "aws/credentials.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "aws/aws_time.hpp"
#include "fake_imds.hpp"

namespace gw::aws::test {
namespace {

namespace fs = std::filesystem;

// A temp folder for shared files; an environment that can never reach a real IMDS.
class CredentialsTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("cs-aws-creds-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_);
        env_ = {{"HOME", dir_.string()}, {"AWS_EC2_METADATA_DISABLED", "true"}};
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string Write(const std::string& name, const std::string& text) {
        const fs::path p = dir_ / name;
        fs::create_directories(p.parent_path());
        std::ofstream(p) << text;
        return p.string();
    }
    fs::path dir_;
    Env env_;
};

TEST_F(CredentialsTest, EnvironmentProvider) {
    EXPECT_EQ(EnvironmentCredentialsProvider(env_).Get().error().code, kErrCredentialsNotFound);
    env_["AWS_ACCESS_KEY_ID"] = "AKIDENVEXAMPLE";
    EXPECT_EQ(EnvironmentCredentialsProvider(env_).Get().error().code, kErrInvalidArgument);  // half a pair
    env_["AWS_SECRET_ACCESS_KEY"] = "env-secret";
    env_["AWS_SESSION_TOKEN"] = "env-token";
    const auto c = EnvironmentCredentialsProvider(env_).Get();
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->access_key_id, "AKIDENVEXAMPLE");
    EXPECT_EQ(c->secret_access_key.View(), "env-secret");
    EXPECT_EQ(c->session_token.View(), "env-token");
}

TEST_F(CredentialsTest, ProfilesFromBothFilesWithCredentialsWinning) {
    Write(".aws/config",
          "[default]\nregion = eu-west-1\n\n[profile dev]\naws_access_key_id = AKIDCONFIGDEV\n"
          "aws_secret_access_key = config-secret ; inline comment\n");
    Write(".aws/credentials",
          "# comment\n[default]\naws_access_key_id=AKIDDEFAULT\naws_secret_access_key=default-secret\n"
          "[dev]\naws_secret_access_key = creds-secret\n");
    auto c = ProfileCredentialsProvider(env_).Get();
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_EQ(c->access_key_id, "AKIDDEFAULT");
    EXPECT_EQ(c->secret_access_key.View(), "default-secret");
    EXPECT_EQ(c->source, "profile:default");

    env_["AWS_PROFILE"] = "dev";
    c = ProfileCredentialsProvider(env_).Get();
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_EQ(c->access_key_id, "AKIDCONFIGDEV");            // from [profile dev] in config
    EXPECT_EQ(c->secret_access_key.View(), "creds-secret");  // [dev] in credentials overrides

    env_["AWS_PROFILE"] = "missing";
    EXPECT_EQ(ProfileCredentialsProvider(env_).Get().error().code, kErrInvalidArgument);
}

TEST_F(CredentialsTest, FileLocationsFromEnvironment) {
    env_["AWS_SHARED_CREDENTIALS_FILE"] = Write("elsewhere/creds", "[ci]\naws_access_key_id=AKIDCI\naws_secret_access_key=s\n");
    env_["AWS_CONFIG_FILE"] = Write("elsewhere/config", "[profile ci]\naws_session_token = ci-token\n");
    env_["AWS_PROFILE"] = "ci";
    const auto c = ProfileCredentialsProvider(env_).Get();
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_EQ(c->access_key_id, "AKIDCI");
    EXPECT_EQ(c->session_token.View(), "ci-token");
}

TEST_F(CredentialsTest, NoFilesIsNotFound) {
    EXPECT_EQ(ProfileCredentialsProvider(env_).Get().error().code, kErrCredentialsNotFound);
}

TEST_F(CredentialsTest, ImdsV2WithTokenOnEveryGet) {
    FakeImdsForTest imds;
    ASSERT_TRUE(imds.Start());
    env_.erase("AWS_EC2_METADATA_DISABLED");
    env_["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds.url();
    const auto c = ImdsCredentialsProvider(env_).Get();
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_EQ(c->access_key_id, "ASIAIMDSEXAMPLE12345");
    EXPECT_EQ(c->secret_access_key.View(), "imds-secret");
    EXPECT_EQ(c->session_token.View(), "imds-token");
    ASSERT_TRUE(c->expiration.has_value());
    EXPECT_EQ(FormatIso8601(*c->expiration), "2030-01-01T00:00:00Z");
    EXPECT_EQ(c->source, "imds:cloudsketch-gateway");
    EXPECT_EQ(imds.token_requests.load(), 1);
    EXPECT_EQ(imds.unauthorised_gets.load(), 0);
}

TEST_F(CredentialsTest, ImdsDisabledOrUnreachableIsNotFound) {
    EXPECT_EQ(ImdsCredentialsProvider(env_).Get().error().code, kErrCredentialsNotFound);  // disabled
    LocalServer closed;
    ASSERT_TRUE(closed.Start());
    env_.erase("AWS_EC2_METADATA_DISABLED");
    env_["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = closed.url();
    closed.Stop();
    EXPECT_EQ(ImdsCredentialsProvider(env_).Get().error().code, kErrCredentialsNotFound);
}

TEST_F(CredentialsTest, ChainOrderIsEnvironmentThenFilesThenImds) {
    FakeImdsForTest imds;
    ASSERT_TRUE(imds.Start());
    env_.erase("AWS_EC2_METADATA_DISABLED");
    env_["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds.url();
    auto chain_key = [&] {
        auto c = MakeDefaultCredentialsChain(env_, SystemNow)->Get();
        return c.ok() ? c->access_key_id : "error:" + c.error().code;
    };
    EXPECT_EQ(chain_key(), "ASIAIMDSEXAMPLE12345");
    Write(".aws/credentials", "[default]\naws_access_key_id=AKIDFILE\naws_secret_access_key=s\n");
    EXPECT_EQ(chain_key(), "AKIDFILE");
    env_["AWS_ACCESS_KEY_ID"] = "AKIDENV";
    env_["AWS_SECRET_ACCESS_KEY"] = "s";
    EXPECT_EQ(chain_key(), "AKIDENV");

    Env nothing{{"HOME", dir_.string() + "/none"}, {"AWS_EC2_METADATA_DISABLED", "true"}};
    const auto none = MakeDefaultCredentialsChain(nothing, SystemNow)->Get();
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.error().code, kErrCredentialsNotFound);
}

// Counts calls and hands out credentials expiring at a set time.
class CountingProvider : public CredentialsProvider {
public:
    int calls = 0;
    bool fail = false;
    SysTime expires;
    Result<Credentials> Get() override {
        ++calls;
        if (fail) return MakeError(kErrNetwork, "down");
        Credentials c;
        c.access_key_id = "ASIA" + std::to_string(calls);
        c.secret_access_key = SecretString("s");
        c.session_token = SecretString("t");
        c.expiration = expires;
        return c;
    }
};

TEST(CachingCredentialsTest, RefreshesFiveMinutesBeforeExpiration) {
    using namespace std::chrono;
    SysTime now = sys_days{year{2026} / 11 / 24};
    auto inner = std::make_unique<CountingProvider>();
    CountingProvider* counting = inner.get();
    counting->expires = now + hours(1);
    CachingCredentialsProvider cache(std::move(inner), [&] { return now; });

    EXPECT_EQ(cache.Get()->access_key_id, "ASIA1");
    now += minutes(54);
    EXPECT_EQ(cache.Get()->access_key_id, "ASIA1");  // 6 minutes left: still cached
    EXPECT_EQ(counting->calls, 1);
    now += minutes(2);                               // 4 minutes left: refresh
    counting->expires = now + hours(1);
    EXPECT_EQ(cache.Get()->access_key_id, "ASIA2");
    EXPECT_EQ(counting->calls, 2);

    // A failed refresh inside the margin keeps the still-valid credentials; after expiry it is an error.
    now += minutes(57);
    counting->fail = true;
    EXPECT_EQ(cache.Get()->access_key_id, "ASIA2");
    now += minutes(4);
    EXPECT_FALSE(cache.Get().ok());
}

TEST(CredentialsRedactionTest, RedactedNeverShowsSecrets) {
    Credentials c;
    c.access_key_id = "AKIAIOSFODNN7EXAMPLE";
    c.secret_access_key = SecretString("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    c.session_token = SecretString("FwoGZXIvYXdzEXAMPLETOKEN");
    c.expiration = ParseIso8601("2026-11-24T05:00:00Z");
    c.source = "imds:role";
    const std::string text = c.Redacted();
    EXPECT_EQ(text, "AKIA…MPLE (temporary, expires 2026-11-24T05:00:00Z, from imds:role)");
    EXPECT_EQ(text.find("wJalr"), std::string::npos);
    EXPECT_EQ(text.find("FwoG"), std::string::npos);
}

TEST(SecretStringTest, ClearEmptiesAndMovesLeaveNothingBehind) {
    SecretString a("top-secret");
    SecretString b(std::move(a));
    EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): the moved-from state is part of the contract
    EXPECT_EQ(b.View(), "top-secret");
    b.Clear();
    EXPECT_TRUE(b.empty());
}

}  // namespace
}  // namespace gw::aws::test
