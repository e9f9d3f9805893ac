// Log-in: progressive delays instead of a lock-out, keyed by (email, network) and network, never keeping the
// owner out (docs/accounts.md); the network of an address; the Argon2id cap.
#include <future>

#include "auth/hash_gate.hpp"
#include "client_network.hpp"
#include "gateway_fixture.hpp"
#include "rate_limiter.hpp"

namespace gw::test {
namespace {

constexpr const char* kOwnerPassword = "owners-pass-123";

// Behind a trusted proxy, so each request can say which client network it comes from.
class LoginThrottleTest : public GatewayTest {
protected:
    void Configure(Config& config) override { config.trusted_proxies = {"127.0.0.1"}; }
    void SetUp() override {
        GatewayTest::SetUp();
        SignUp("owner@example.com", kOwnerPassword);
    }
    httplib::Result LoginFrom(const std::string& address, const std::string& email, const std::string& password,
                              const std::string& device_token = "") {
        json body{{"email", email}, {"password", password}};
        if (!device_token.empty()) body["device_token"] = device_token;
        auto client = Client();
        return client.Post("/v1/auth/login", {{"X-Forwarded-For", address}}, body.dump(), "application/json");
    }
    int RetryAfter(const httplib::Result& r) {
        return r && r->has_header("Retry-After") ? std::stoi(r->get_header_value("Retry-After")) : -1;
    }
};

TEST_F(LoginThrottleTest, FailuresDelayTheNextAttemptProgressivelyNeverForGood) {
    const std::string guesser = "203.0.113.9";
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(LoginFrom(guesser, "owner@example.com", "guess-" + std::to_string(i))->status, 401);
    // Each further attempt waits 1, 2, 4, 8 ... seconds after the last failure.
    for (int expected : {1, 2, 4, 8, 16, 32, 60, 60}) {
        auto waiting = LoginFrom(guesser, "owner@example.com", "next-guess-1");
        ASSERT_TRUE(waiting);
        EXPECT_EQ(waiting->status, 429);
        EXPECT_EQ(Body(waiting)["error"]["code"], "auth.rate_limited");
        EXPECT_EQ(RetryAfter(waiting), expected);
        AdvanceClock(expected * 1000);
        EXPECT_EQ(LoginFrom(guesser, "owner@example.com", "next-guess-2")->status, 401);
    }
    // Never a lock-out: once the wait is over, the right password works.
    AdvanceClock(60 * 1000);
    EXPECT_EQ(LoginFrom(guesser, "owner@example.com", kOwnerPassword)->status, 200);
}

TEST_F(LoginThrottleTest, ExistingAndUnknownEmailsAreDelayedAlike) {
    std::vector<std::pair<int, int>> existing;
    std::vector<std::pair<int, int>> unknown;
    for (int i = 0; i < 8; ++i) {
        auto a = LoginFrom("203.0.113.10", "owner@example.com", "guess-" + std::to_string(i));
        auto b = LoginFrom("203.0.113.11", "nobody@example.com", "guess-" + std::to_string(i));
        existing.emplace_back(a->status, RetryAfter(a));
        unknown.emplace_back(b->status, RetryAfter(b));
    }
    EXPECT_EQ(existing, unknown);
    // Five free failures, then the first delay of one second (not a lock-out of the whole window).
    EXPECT_EQ(existing[4], std::make_pair(401, -1));
    EXPECT_EQ(existing.back(), std::make_pair(429, 1));
}

TEST_F(LoginThrottleTest, GuessersOnOtherNetworksNeverDelayTheOwner) {
    // The owner logs in from home once: that network is now one the account uses.
    auto home = LoginFrom("198.51.100.20", "owner@example.com", kOwnerPassword);
    ASSERT_EQ(home->status, 200);
    const std::string device = Body(home)["device_token"];
    ASSERT_FALSE(device.empty());
    // A distributed guesser: many networks, a few guesses each (IPv4 and IPv6).
    for (int n = 0; n < 12; ++n) {
        const std::string network =
            n % 2 ? "203.0.113." + std::to_string(100 + n) : "2001:db8:" + std::to_string(n) + "::1";
        for (int i = 0; i < 6; ++i) LoginFrom(network, "owner@example.com", "guess-" + std::to_string(i));
        EXPECT_EQ(LoginFrom(network, "owner@example.com", "guess-9")->status, 429) << network;
    }
    EXPECT_EQ(LoginFrom("198.51.100.20", "owner@example.com", kOwnerPassword)->status, 200);
    // From a new network too, as long as the account is not flooded (ASVS: 100 failures an hour).
    EXPECT_EQ(LoginFrom("192.0.2.77", "owner@example.com", kOwnerPassword)->status, 200);
    // With its device token, even from a guesser's own network.
    EXPECT_EQ(LoginFrom("203.0.113.101", "owner@example.com", kOwnerPassword, device)->status, 200);
}

TEST_F(LoginThrottleTest, IPv6IsKeyedByItsSlash64) {
    for (int i = 1; i <= 5; ++i) {
        EXPECT_EQ(LoginFrom("2001:db8:1:2::" + std::to_string(i), "owner@example.com", "guess-1")->status, 401);
    }
    // Any other address of that /64 is the same client...
    EXPECT_EQ(LoginFrom("2001:db8:1:2:abcd:ef01:2345:6789", "owner@example.com", "guess-2")->status, 429);
    // ... the next /64 is not.
    EXPECT_EQ(LoginFrom("2001:db8:1:3::1", "owner@example.com", kOwnerPassword)->status, 200);
}

TEST_F(LoginThrottleTest, ASuccessClearsItsOwnKeyOnly) {
    for (int i = 0; i < 4; ++i) LoginFrom("198.51.100.30", "owner@example.com", "typo-" + std::to_string(i));
    for (int i = 0; i < 5; ++i) LoginFrom("203.0.113.30", "owner@example.com", "guess-" + std::to_string(i));
    ASSERT_EQ(LoginFrom("198.51.100.30", "owner@example.com", kOwnerPassword)->status, 200);
    // The owner's four typos are forgotten: five more failures are free again.
    for (int i = 0; i < 5; ++i) EXPECT_EQ(LoginFrom("198.51.100.30", "owner@example.com", "typo-again")->status, 401);
    // The guesser's network still waits.
    EXPECT_EQ(LoginFrom("203.0.113.30", "owner@example.com", "guess-9")->status, 429);
}

TEST_F(LoginThrottleTest, ANetworkFailingOnManyEmailsIsSlowedToo) {
    for (int i = 0; i < 20; ++i) {
        EXPECT_EQ(LoginFrom("203.0.113.40", "user" + std::to_string(i) + "@example.com", "spray-1")->status, 401);
    }
    auto slowed = LoginFrom("203.0.113.40", "fresh@example.com", "spray-1");
    EXPECT_EQ(slowed->status, 429);
    EXPECT_EQ(RetryAfter(slowed), 1);
    EXPECT_EQ(LoginFrom("203.0.113.41", "owner@example.com", kOwnerPassword)->status, 200);
}

// ---- LoginRateLimiter on its own: the limits the gateway does not expose ----

TEST(LoginRateLimiterTest, AnAccountFloodedFromEverywhereWaitsOnlyForStrangers) {
    LoginThrottleLimits limits;
    limits.untrusted_failures_per_account_per_hour = 10;
    LoginRateLimiter limiter(limits);
    TimeMs now = 1'000'000'000;
    const std::string device = limiter.RecordSuccess({"own@example.com", "198.51.100.1", ""}, now);
    for (int n = 0; n < 10; ++n) limiter.RecordFailure({"own@example.com", "203.0.113." + std::to_string(n), ""}, now);
    // A network the account never used: the hour's budget of strangers' failures is spent.
    EXPECT_EQ(limiter.RetryAfter({"own@example.com", "192.0.2.1", ""}, now + 1000), 3599);
    // Its own network and its own device are not strangers.
    EXPECT_EQ(limiter.RetryAfter({"own@example.com", "198.51.100.1", ""}, now + 1000), 0);
    EXPECT_EQ(limiter.RetryAfter({"own@example.com", "192.0.2.1", device}, now + 1000), 0);
    // A device token is bound to its account.
    EXPECT_EQ(limiter.RetryAfter({"other@example.com", "203.0.113.0", device}, now + 1000),
              limiter.RetryAfter({"other@example.com", "203.0.113.0", ""}, now + 1000));
    EXPECT_GT(limiter.RetryAfter({"own@example.com", "192.0.2.1", device + "x"}, now + 1000), 0);
    EXPECT_EQ(limiter.RetryAfter({"own@example.com", "192.0.2.1", ""}, now + 3600 * 1000), 0);
}

TEST(LoginRateLimiterTest, MemoryStaysBoundedUnderAFloodOfKeys) {
    LoginThrottleLimits limits;
    limits.max_keys = 1000;
    LoginRateLimiter limiter(limits);
    for (int i = 0; i < 20000; ++i) {
        limiter.RecordFailure({"u" + std::to_string(i) + "@example.com",
                               "10.0." + std::to_string(i % 250) + "." + std::to_string(i / 250), ""},
                              1000 + i);
    }
    EXPECT_LE(limiter.KeyCount(), 3 * limits.max_keys);
}

TEST(NetworkOfTest, IPv4IsItselfIPv6IsItsSlash64) {
    EXPECT_EQ(NetworkOf("203.0.113.7"), "203.0.113.7");
    EXPECT_EQ(NetworkOf("::ffff:203.0.113.7"), "203.0.113.7");
    EXPECT_EQ(NetworkOf("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
    EXPECT_EQ(NetworkOf("2001:DB8:1:2::ffff"), "2001:db8:1:2::/64");
    EXPECT_EQ(NetworkOf("[2001:db8:1:2::1]"), "2001:db8:1:2::/64");
    EXPECT_EQ(NetworkOf("fe80::1%eth0"), "fe80::/64");
    EXPECT_NE(NetworkOf("2001:db8:1:3::1"), NetworkOf("2001:db8:1:2::1"));
    EXPECT_EQ(NetworkOf("not an address"), "not an address");
}

TEST(PasswordHashGateTest, AtMostTheCapRunAndTheLineIsBounded) {
    PasswordHashGate gate(2, 1, std::chrono::milliseconds(200));
    auto a = gate.Enter();
    auto b = gate.Enter();
    ASSERT_TRUE(a && b);
    EXPECT_EQ(gate.running(), 2);
    // One may wait; it gets the slot a leaves.
    auto waiter = std::async(std::launch::async, [&] { return gate.Enter().has_value(); });
    while (gate.waiting() == 0) std::this_thread::yield();
    EXPECT_FALSE(gate.Enter().has_value());  // the line is full: refused at once
    a.reset();
    EXPECT_TRUE(waiter.get());
    EXPECT_EQ(gate.running(), 1);  // the waiter's permit died with its lambda
    // A wait that runs out is refused.
    auto c = gate.Enter();
    ASSERT_TRUE(c);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(gate.Enter().has_value());
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(190));
}

}  // namespace
}  // namespace gw::test
