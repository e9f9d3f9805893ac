// Sign-up that does not reveal accounts (docs/accounts.md): the same answer for new and taken addresses,
// a mailed one-time link that creates the account, the first account of a mail-less gateway, the sign-up
// limit per network, and the store's side of it.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>

#include "gateway_fixture.hpp"

namespace gw::test {
namespace {

constexpr const char* kPassword = "correct-horse-42";

// A gateway whose first account already exists (the operator's), so every further sign-up is mailed.
class SignupTest : public GatewayTest {
protected:
    void SetUp() override {
        GatewayTest::SetUp();
        operator_token_ = SignUp("operator@example.com");
    }
    httplib::Result Signup(const std::string& email, const std::string& password = kPassword) {
        return PostJson("/v1/auth/signup", {{"email", email}, {"password", password}});
    }
    std::string operator_token_;
};

// The headers a client could tell two answers apart by (everything but the request id and the clock).
std::multimap<std::string, std::string> TellingHeaders(const httplib::Response& r) {
    std::multimap<std::string, std::string> headers;
    for (const auto& [name, value] : r.headers) {
        if (name != "X-Request-Id" && name != "Date") headers.emplace(name, value);
    }
    return headers;
}

double Median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

TEST_F(SignupTest, TakenAndNewEmailsGetIdenticalAnswersInSimilarTime) {
    SignUp("taken@example.com");
    std::vector<double> taken_ms;
    std::vector<double> new_ms;
    std::optional<httplib::Response> taken_answer;
    std::optional<httplib::Response> new_answer;
    // Interleaved, so load on the machine falls on both alike.
    for (int i = 0; i < 10; ++i) {
        for (const bool taken : {true, false}) {
            // The same address every time on each side: the answers must not even differ by email.
            const std::string email = taken ? "taken@example.com" : "fresh@example.com";
            const auto start = std::chrono::steady_clock::now();
            auto r = Signup(email, "another-pass-" + std::to_string(i));
            const double ms =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
            ASSERT_TRUE(r);
            (taken ? taken_ms : new_ms).push_back(ms);
            (taken ? taken_answer : new_answer) = *r;
        }
    }
    EXPECT_EQ(taken_answer->status, 202) << taken_answer->body;
    EXPECT_EQ(new_answer->status, taken_answer->status);
    EXPECT_EQ(TellingHeaders(*taken_answer), TellingHeaders(*new_answer));
    // Byte for byte, once the address is the same.
    std::string taken_body = taken_answer->body;
    for (auto at = taken_body.find("taken@"); at != std::string::npos; at = taken_body.find("taken@")) {
        taken_body.replace(at, 6, "fresh@");
    }
    EXPECT_EQ(taken_body, new_answer->body);
    const json answer = json::parse(new_answer->body);
    EXPECT_EQ(answer["status"], "check_email");
    EXPECT_EQ(answer["mail"], "outbox");
    const double taken_median = Median(taken_ms);
    const double new_median = Median(new_ms);
    std::printf("sign-up medians over 10 tries: taken %.1f ms, new %.1f ms\n", taken_median, new_median);
    EXPECT_LT(std::abs(taken_median - new_median), 0.25 * std::max(taken_median, new_median))
        << "median taken " << taken_median << " ms, new " << new_median << " ms";
}

TEST_F(SignupTest, TheMailedLinkCreatesTheAccountOnce) {
    const std::size_t before = OutboxMailsTo("ann@example.com").size();
    auto r = Signup(" Ann@Example.com ");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 202) << r->body;
    EXPECT_EQ(Body(r)["email"], "ann@example.com");
    // No account until the link is followed.
    EXPECT_EQ(PostJson("/v1/auth/login", {{"email", "ann@example.com"}, {"password", kPassword}})->status, 401);

    const std::string mail = WaitForOutboxMail("ann@example.com", before);
    ASSERT_FALSE(mail.empty());
    EXPECT_NE(mail.find("Subject: Finish creating your CloudSketch account\r\n"), std::string::npos) << mail;
    EXPECT_NE(mail.find("http://127.0.0.1:" + std::to_string(port_) + "/#verify/"), std::string::npos) << mail;
    const std::string token = SignupLinkToken(mail);
    ASSERT_EQ(token.size(), 43u);

    auto verified = PostJson("/v1/auth/verify", {{"token", token}});
    ASSERT_TRUE(verified);
    ASSERT_EQ(verified->status, 201) << verified->body;
    const json session = Body(verified);
    EXPECT_EQ(session["user"]["email"], "ann@example.com");
    EXPECT_EQ(Get("/v1/me", session["token"])->status, 200);
    EXPECT_EQ(PostJson("/v1/auth/login", {{"email", "ann@example.com"}, {"password", kPassword}})->status, 200);

    auto again = PostJson("/v1/auth/verify", {{"token", token}});
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 400);
    EXPECT_EQ(Body(again)["error"]["code"], "auth.link_invalid");
    EXPECT_NE(Body(again)["error"]["details"][0]["message"].get<std::string>().find("Sign up again"),
              std::string::npos);

    // The outbox holds credentials: only the gateway's user may read it.
    for (const auto& entry : std::filesystem::directory_iterator(Outbox())) {
        EXPECT_EQ(entry.status().permissions() & std::filesystem::perms::all,
                  std::filesystem::perms::owner_read | std::filesystem::perms::owner_write)
            << entry.path();
    }
    EXPECT_EQ(std::filesystem::status(Outbox()).permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_all);
}

TEST_F(SignupTest, ATakenEmailMailsItsOwnerAtMostHourlyAndChangesNothing) {
    SignUp("bob@example.com", "bobs-own-pass-1");
    const std::size_t before = OutboxMailsTo("bob@example.com").size();
    ASSERT_EQ(Signup("bob@example.com", "attackers-pass-1")->status, 202);
    const std::string notice = WaitForOutboxMail("bob@example.com", before);
    ASSERT_FALSE(notice.empty());
    EXPECT_NE(notice.find("Subject: Someone tried to create a CloudSketch account with your address"),
              std::string::npos);
    EXPECT_EQ(notice.find("#verify/"), std::string::npos) << "no link that could change the account";
    // A second try within the hour: the same answer, no second mail.
    ASSERT_EQ(Signup("bob@example.com", "attackers-pass-2")->status, 202);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(OutboxMailsTo("bob@example.com").size(), before + 1);
    // An hour later the owner hears again.
    AdvanceClock(3601 * 1000);
    ASSERT_EQ(Signup("bob@example.com", "attackers-pass-3")->status, 202);
    EXPECT_FALSE(WaitForOutboxMail("bob@example.com", before + 1).empty());
    // The account is as it was.
    EXPECT_EQ(PostJson("/v1/auth/login", {{"email", "bob@example.com"}, {"password", "bobs-own-pass-1"}})->status, 200);
    EXPECT_EQ(PostJson("/v1/auth/login", {{"email", "bob@example.com"}, {"password", "attackers-pass-1"}})->status,
              401);
}

TEST_F(SignupTest, ANewerSignupReplacesTheOlderLink) {
    ASSERT_EQ(Signup("cy@example.com", "first-choice-1")->status, 202);
    const std::string first = SignupLinkToken(WaitForOutboxMail("cy@example.com", 0));
    ASSERT_EQ(Signup("cy@example.com", "second-choice-2")->status, 202);
    const std::string second = SignupLinkToken(WaitForOutboxMail("cy@example.com", 1));
    ASSERT_FALSE(first.empty());
    ASSERT_NE(first, second);
    EXPECT_EQ(PostJson("/v1/auth/verify", {{"token", first}})->status, 400);
    EXPECT_EQ(PostJson("/v1/auth/verify", {{"token", second}})->status, 201);
    EXPECT_EQ(PostJson("/v1/auth/login", {{"email", "cy@example.com"}, {"password", "second-choice-2"}})->status, 200);
}

TEST_F(SignupTest, LinksExpireAfter24Hours) {
    ASSERT_EQ(Signup("dee@example.com")->status, 202);
    const std::string token = SignupLinkToken(WaitForOutboxMail("dee@example.com", 0));
    AdvanceClock(24 * 3600 * 1000 + 1000);
    auto late = PostJson("/v1/auth/verify", {{"token", token}});
    ASSERT_TRUE(late);
    EXPECT_EQ(late->status, 400);
    EXPECT_EQ(Body(late)["error"]["code"], "auth.link_invalid");
    EXPECT_EQ(PostJson("/v1/auth/login", {{"email", "dee@example.com"}, {"password", kPassword}})->status, 401);
}

TEST_F(SignupTest, VerifyNeedsAToken) {
    for (const json& body : {json::object(), json{{"token", 42}}, json{{"token", ""}}}) {
        auto r = PostJson("/v1/auth/verify", body);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 422) << body;
        EXPECT_EQ(Body(r)["error"]["details"][0]["path"], "/token");
    }
    auto unknown = PostJson("/v1/auth/verify", {{"token", "not-a-token-we-issued"}});
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->status, 400);
}

TEST_F(SignupTest, AddressesNoMailCanReachAreRefused) {
    auto r = Signup("ann<x>@example.com");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 422);
    EXPECT_EQ(Body(r)["error"]["details"][0]["code"], "email.not_mailable");
}

TEST_F(SignupTest, LinksAndTokensNeverReachTheLog) {
    ASSERT_EQ(Signup("eve@example.com")->status, 202);
    const std::string token = SignupLinkToken(WaitForOutboxMail("eve@example.com", 0));
    ASSERT_FALSE(token.empty());
    auto verified = PostJson("/v1/auth/verify", {{"token", token}});
    ASSERT_EQ(verified->status, 201);
    const std::string device = Body(verified)["device_token"];
    for (const std::string& line : LogLines()) {
        EXPECT_EQ(line.find(token), std::string::npos) << line;
        EXPECT_EQ(line.find(device), std::string::npos) << line;
        EXPECT_EQ(line.find("eve@example.com"), std::string::npos) << line;  // the mail log names the domain only
    }
}

// ---- The first account of a gateway without mail ----

TEST_F(GatewayTest, OnlyTheVeryFirstAccountIsMadeWithoutALink) {
    // Two racing for the first account: exactly one gets it.
    auto first = std::async(std::launch::async, [this] {
        return PostJson("/v1/auth/signup", {{"email", "op1@example.com"}, {"password", kPassword}})->status;
    });
    auto second = std::async(std::launch::async, [this] {
        return PostJson("/v1/auth/signup", {{"email", "op2@example.com"}, {"password", kPassword}})->status;
    });
    std::vector<int> statuses{first.get(), second.get()};
    std::sort(statuses.begin(), statuses.end());
    EXPECT_EQ(statuses, (std::vector<int>{201, 202}));
    EXPECT_EQ(PostJson("/v1/auth/signup", {{"email", "op3@example.com"}, {"password", kPassword}})->status, 202);
}

class SmtpSignupTest : public GatewayTest {
protected:
    void Configure(Config& config) override {
        config.smtp_url = "smtp://127.0.0.1:9";  // nothing listens: the mail fails, the answer does not wait for it
    }
};

TEST_F(SmtpSignupTest, WithAMailServerEvenTheFirstAccountIsVerified) {
    auto r = PostJson("/v1/auth/signup", {{"email", "first@example.com"}, {"password", kPassword}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 202) << r->body;
    EXPECT_EQ(Body(r)["mail"], "smtp");
    EXPECT_FALSE(std::filesystem::exists(Outbox()));
}

// ---- The sign-up limit per network ----

class SignupLimitTest : public GatewayTest {
protected:
    void Configure(Config& config) override {
        config.signups_per_network_per_hour = 3;
        config.trusted_proxies = {"127.0.0.1"};
    }
    httplib::Result SignupFrom(const std::string& address, const std::string& email) {
        auto client = Client();
        return client.Post("/v1/auth/signup", {{"X-Forwarded-For", address}},
                           json{{"email", email}, {"password", kPassword}}.dump(), "application/json");
    }
};

TEST_F(SignupLimitTest, ANetworkGetsAFewSignupsAnHour) {
    for (int i = 0; i < 3; ++i) {
        const int status =
            SignupFrom("2001:db8:7:7::" + std::to_string(i + 1), "n" + std::to_string(i) + "@example.com")->status;
        EXPECT_TRUE(status == 201 || status == 202) << status;
    }
    // Another address of the same IPv6 /64 is the same network.
    auto limited = SignupFrom("2001:db8:7:7:ffff::1", "n9@example.com");
    ASSERT_TRUE(limited);
    EXPECT_EQ(limited->status, 429);
    EXPECT_EQ(Body(limited)["error"]["code"], "auth.rate_limited");
    const int retry_after = std::stoi(limited->get_header_value("Retry-After"));
    EXPECT_GT(retry_after, 3500);
    EXPECT_LE(retry_after, 3600);
    EXPECT_NE(Body(limited)["error"]["message"].get<std::string>().find("minutes"), std::string::npos);
    // Other networks are not held back, and an hour later this one may again.
    EXPECT_EQ(SignupFrom("2001:db8:7:8::1", "other@example.com")->status, 202);
    EXPECT_EQ(SignupFrom("198.51.100.4", "v4@example.com")->status, 202);
    AdvanceClock(3600 * 1000);
    EXPECT_EQ(SignupFrom("2001:db8:7:7::1", "n9@example.com")->status, 202);
}

// ---- The store ----

TEST_F(GatewayTest, AFollowedLinkWhoseAddressWasTakenMeanwhileMakesNoSecondAccount) {
    auto store = OpenSqliteStore(data_.path() / "store-test.db");
    const TimeMs now = 1'000'000;
    store->signups().SavePendingSignup({"zed@example.com", "hash-1", "digest-1", now, now + 1000});
    ASSERT_TRUE(store->CreateUser({"u_zed", "zed@example.com", "hash-0", now}));
    const CompletedSignup done = store->signups().CompleteSignup("digest-1", "u_new", now + 1);
    EXPECT_EQ(done.status, CompletedSignup::Status::EmailTaken);
    EXPECT_EQ(store->FindUserByEmail("zed@example.com")->id, "u_zed");
    // Used up either way.
    EXPECT_EQ(store->signups().CompleteSignup("digest-1", "u_new", now + 1).status, CompletedSignup::Status::Invalid);
    // Saving a sign-up drops the expired ones.
    store->signups().SavePendingSignup({"old@example.com", "h", "digest-old", now, now + 10});
    store->signups().SavePendingSignup({"new@example.com", "h", "digest-new", now + 20, now + 1000});
    EXPECT_EQ(store->signups().CompleteSignup("digest-old", "u_x", now).status, CompletedSignup::Status::Invalid);
}

}  // namespace
}  // namespace gw::test
