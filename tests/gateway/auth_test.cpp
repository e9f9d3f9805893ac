// Accounts: signup, login, logout, /v1/me, password rules, rate limiting, token expiry, and what the log
// must never contain.
#include "gateway_fixture.hpp"

namespace gw::test {
namespace {

TEST_F(GatewayTest, SignupLoginMeLogout) {
    auto signup = PostJson("/v1/auth/signup", {{"email", "  Ann@Example.COM "}, {"password", "correct-horse-42"}});
    ASSERT_TRUE(signup);
    ASSERT_EQ(signup->status, 201) << signup->body;
    json body = Body(signup);
    const std::string token = body["token"];
    EXPECT_EQ(token.size(), 43u);  // 32 bytes, base64url without padding
    EXPECT_EQ(body["user"]["email"], "ann@example.com");  // trimmed and lowercased
    EXPECT_EQ(body["user"]["id"].get<std::string>().rfind("u_", 0), 0u);
    EXPECT_TRUE(body["expires_at"].is_string());
    EXPECT_FALSE(body["device_token"].get<std::string>().empty());  // rate_limiter.hpp: this device's key

    auto me = Get("/v1/me", token);
    ASSERT_TRUE(me);
    ASSERT_EQ(me->status, 200);
    EXPECT_EQ(Body(me)["email"], "ann@example.com");
    EXPECT_EQ(Body(me)["id"], body["user"]["id"]);
    EXPECT_TRUE(Body(me)["created_at"].is_string());
    // Where POST /v1/plan/ {} puts a new plan (the fixture's default provider): the web app's offline plans too.
    EXPECT_EQ(Body(me)["new_plan"]["cloud"], (nlohmann::json{{"provider", "aws"}, {"region", "us-east-1"}}));

    auto login = PostJson("/v1/auth/login", {{"email", "ANN@example.com"}, {"password", "correct-horse-42"}});
    ASSERT_TRUE(login);
    ASSERT_EQ(login->status, 200) << login->body;
    const std::string second = Body(login)["token"];
    EXPECT_NE(second, token);

    auto client = Client();
    auto logout = client.Post("/v1/auth/logout", Auth(token), "", "application/json");
    ASSERT_TRUE(logout);
    EXPECT_EQ(logout->status, 204);
    auto after = Get("/v1/me", token);
    ASSERT_TRUE(after);
    EXPECT_EQ(after->status, 401);
    EXPECT_EQ(Body(after)["error"]["code"], "auth.required");
    // Only the logged-out token died.
    EXPECT_EQ(Get("/v1/me", second)->status, 200);
}

TEST_F(GatewayTest, MeWithoutOrWithBadTokenIs401) {
    auto none = Get("/v1/me");
    ASSERT_TRUE(none);
    EXPECT_EQ(none->status, 401);
    EXPECT_EQ(Body(none)["error"]["code"], "auth.required");
    EXPECT_EQ(none->get_header_value("WWW-Authenticate").rfind("Bearer", 0), 0u);
    EXPECT_EQ(Get("/v1/me", "not-a-real-token")->status, 401);
}

TEST_F(GatewayTest, WeakPasswordsAreRefusedNamingTheRule) {
    struct Case {
        std::string password;
        std::string code;
    };
    for (const Case& c : {Case{"short1!", "password.too_short"}, Case{"onlyletterspassword", "password.one_class"},
                          Case{"12345678901234", "password.one_class"},
                          Case{"Bob.Smith@example.com", "password.is_email"}}) {
        auto r = PostJson("/v1/auth/signup", {{"email", "bob.smith@example.com"}, {"password", c.password}});
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 422) << c.password;
        json error = Body(r)["error"];
        EXPECT_EQ(error["code"], "auth.weak_password");
        EXPECT_EQ(error["details"][0]["path"], "/password");
        EXPECT_EQ(error["details"][0]["code"], c.code) << c.password;
    }
    // None of them created the account.
    EXPECT_EQ(PostJson("/v1/auth/login", {{"email", "bob.smith@example.com"}, {"password", "short1!"}})->status, 401);
}

TEST_F(GatewayTest, BadEmailAndMissingFieldsAre422) {
    auto bad = PostJson("/v1/auth/signup", {{"email", "not-an-email"}, {"password", "correct-horse-42"}});
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 422);
    EXPECT_EQ(Body(bad)["error"]["details"][0]["path"], "/email");
    auto missing = PostJson("/v1/auth/login", {{"email", 42}});
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 422);
    json details = Body(missing)["error"]["details"];
    ASSERT_EQ(details.size(), 2u);
    EXPECT_EQ(details[0]["path"], "/email");
    EXPECT_EQ(details[0]["code"], "type.string_expected");
    EXPECT_EQ(details[1]["path"], "/password");
}

TEST_F(GatewayTest, WrongPasswordAndUnknownEmailAreTheSame401) {
    SignUp("carol@example.com");
    auto wrong = PostJson("/v1/auth/login", {{"email", "carol@example.com"}, {"password", "wrong-password-1"}});
    auto unknown = PostJson("/v1/auth/login", {{"email", "nobody@example.com"}, {"password", "wrong-password-1"}});
    ASSERT_TRUE(wrong);
    ASSERT_TRUE(unknown);
    EXPECT_EQ(wrong->status, 401);
    EXPECT_EQ(unknown->status, 401);
    EXPECT_EQ(Body(wrong)["error"]["code"], "auth.invalid_credentials");
    EXPECT_EQ(Body(wrong)["error"]["message"], Body(unknown)["error"]["message"]);
}

class RateLimitTest : public GatewayTest {
protected:
    void Configure(Config& config) override {
        config.login_failures_per_email = 3;
        config.login_failures_per_ip = 5;
        config.login_window_seconds = 60;
    }
};

TEST_F(RateLimitTest, FailedLoginsPerEmailGet429WithRetryAfter) {
    SignUp("dave@example.com");
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(PostJson("/v1/auth/login", {{"email", "dave@example.com"}, {"password", "guess-number-" + std::to_string(i)}})
                      ->status,
                  401);
    }
    // Now even the right password waits: the limiter answers before checking it.
    auto limited = PostJson("/v1/auth/login", {{"email", "dave@example.com"}, {"password", "correct-horse-42"}});
    ASSERT_TRUE(limited);
    EXPECT_EQ(limited->status, 429);
    EXPECT_EQ(Body(limited)["error"]["code"], "auth.rate_limited");
    const int retry_after = std::stoi(limited->get_header_value("Retry-After"));
    EXPECT_GT(retry_after, 0);
    EXPECT_LE(retry_after, 60);
    // When the window has passed, the right password works again.
    AdvanceClock(61 * 1000);
    EXPECT_EQ(PostJson("/v1/auth/login", {{"email", "dave@example.com"}, {"password", "correct-horse-42"}})->status, 200);
}

TEST_F(RateLimitTest, FailedLoginsPerAddressGet429AcrossEmails) {
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(PostJson("/v1/auth/login",
                           {{"email", "user" + std::to_string(i) + "@example.com"}, {"password", "guess-number-1"}})
                      ->status,
                  401);
    }
    auto limited = PostJson("/v1/auth/login", {{"email", "fresh@example.com"}, {"password", "guess-number-1"}});
    ASSERT_TRUE(limited);
    EXPECT_EQ(limited->status, 429);
    EXPECT_FALSE(limited->get_header_value("Retry-After").empty());
}

TEST_F(GatewayTest, TokensExpire) {
    const std::string token = SignUp("erin@example.com");
    EXPECT_EQ(Get("/v1/me", token)->status, 200);
    AdvanceClock(config_.token_lifetime_seconds * 1000 + 1000);
    EXPECT_EQ(Get("/v1/me", token)->status, 401);
}

TEST_F(GatewayTest, LogNeverHoldsPasswordsTokensOrBodies) {
    const std::string password = "Sekr3t-Passw0rd-xyz";
    auto signup = PostJson("/v1/auth/signup", {{"email", "frank@example.com"}, {"password", password}});
    ASSERT_TRUE(signup);
    const std::string token = Body(signup)["token"];
    PostJson("/v1/auth/login", {{"email", "frank@example.com"}, {"password", "Wr0ng-Passw0rd-abc"}});
    PostJson("/v1/plan/", {{"name", "log-probe-plan-name"}}, token);
    Get("/v1/me?token=" + token, token);
    // The access line is written just after the response, so give the last one a moment.
    auto lines = LogLines();
    for (int i = 0; i < 1000 && std::count_if(lines.begin(), lines.end(), [](const std::string& l) {
                                   return l.find("\"event\":\"access\"") != std::string::npos;
                               }) < 4; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        lines = LogLines();
    }
    int access_lines = 0;
    for (const std::string& line : lines) {
        EXPECT_EQ(line.find(password), std::string::npos) << line;
        EXPECT_EQ(line.find("Wr0ng-Passw0rd-abc"), std::string::npos) << line;
        EXPECT_EQ(line.find(token), std::string::npos) << line;
        EXPECT_EQ(line.find("log-probe-plan-name"), std::string::npos) << line;
        EXPECT_EQ(line.find("Bearer"), std::string::npos) << line;
        json entry = json::parse(line, nullptr, false);
        ASSERT_TRUE(entry.is_object()) << "not a JSON line: " << line;
        if (entry["event"] == "access") {
            ++access_lines;
            EXPECT_TRUE(entry.contains("request_id"));
            EXPECT_TRUE(entry.contains("duration_ms"));
        }
    }
    EXPECT_EQ(access_lines, 4);
    // Authenticated requests carry the user id.
    bool saw_user = false;
    for (const std::string& line : lines) saw_user |= line.find("\"user_id\":\"u_") != std::string::npos;
    EXPECT_TRUE(saw_user);
}

}  // namespace
}  // namespace gw::test
