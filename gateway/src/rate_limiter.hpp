#pragma once
// Log-in throttling (docs/accounts.md "Log-in: delays, never a lock-out"): progressive delays instead of a
// lock-out, keyed so that guessers elsewhere never keep the owner out. LoginThrottle is the seam; the
// in-memory LoginRateLimiter serves one gateway, a store-backed one can replace it for several.
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "clock.hpp"

namespace gw {

// One log-in attempt as the throttle sees it.
struct LoginAttempt {
    std::string email;         // normalised; the same for existing and unknown accounts
    std::string network;       // NetworkOf(client address): the IPv4 address or the IPv6 /64
    std::string device_token;  // what the app sent back from an earlier log-in to this account ("" = none)
};

class LoginThrottle {
public:
    virtual ~LoginThrottle() = default;
    // Seconds the attempt must wait before its password may be checked (answer 429 with Retry-After);
    // 0 when it may be checked now. Never depends on whether the account exists.
    virtual int RetryAfter(const LoginAttempt& attempt, TimeMs now) = 0;
    // Counts a wrong password (or unknown email) against the attempt's keys.
    virtual void RecordFailure(const LoginAttempt& attempt, TimeMs now) = 0;
    // A right password: clears the attempt's own key only (its device, or its email on its network),
    // remembers the network as one the account uses, and returns a device token for the app to send with
    // later log-ins to this account (the same token when the attempt's was valid).
    virtual std::string RecordSuccess(const LoginAttempt& attempt, TimeMs now) = 0;
};

struct LoginThrottleLimits {
    int free_failures_per_email_network = 5;  // failures of one email from one network before delays
    int free_failures_per_network = 20;       // failures from one network across emails before delays
    int forget_after_seconds = 900;           // a key with no failure for this long starts again at zero
    int max_delay_seconds = 60;               // the delays double from 1 s up to this
    // ASVS 2.2.1: at most this many failures per hour on one account from devices and networks it has
    // never logged in from; beyond it those wait (its own devices and networks do not).
    int untrusted_failures_per_account_per_hour = 100;
    int known_network_days = 30;    // a network the account logged in from stays trusted this long
    std::size_t max_keys = 100000;  // per table; stale keys are swept, then arbitrary ones evicted
};

// The in-memory LoginThrottle. Thread-safe; a restart forgets counts and device tokens (the app then
// simply gets a new token at its next log-in). Memory is bounded by max_keys per table.
class LoginRateLimiter final : public LoginThrottle {
public:
    explicit LoginRateLimiter(const LoginThrottleLimits& limits);
    // The settings the gateway has (config.hpp login_*); the other limits keep their defaults.
    LoginRateLimiter(int free_failures_per_email_network, int free_failures_per_network, int forget_after_seconds);

    int RetryAfter(const LoginAttempt& attempt, TimeMs now) override;
    void RecordFailure(const LoginAttempt& attempt, TimeMs now) override;
    std::string RecordSuccess(const LoginAttempt& attempt, TimeMs now) override;

    // Keys held in all tables (for tests of the memory bound).
    std::size_t KeyCount();

private:
    // Consecutive failures of one key; forgotten after forget_after_seconds without a new one.
    struct Streak {
        int failures = 0;
        TimeMs last = 0;
    };
    using Streaks = std::unordered_map<std::string, Streak>;

    int StreakWait(Streaks& table, const std::string& key, int free, TimeMs now);
    void AddFailure(Streaks& table, const std::string& key, TimeMs now);
    int AccountWait(const std::string& email, TimeMs now);
    bool KnownNetwork(const std::string& email, const std::string& network, TimeMs now);
    // The device id inside a token valid for `email`, or "".
    std::string DeviceId(const std::string& email, const std::string& token) const;
    std::string NewDeviceToken(const std::string& email) const;
    template <class Table, class Stale>
    void MakeRoom(Table& table, Stale stale);

    const LoginThrottleLimits limits_;
    unsigned char key_[32];  // signs device tokens; random per process
    std::mutex mutex_;
    Streaks by_pair_;  // email + "\n" + network
    Streaks by_network_;
    Streaks by_device_;  // device id (devices that logged in to the email before)
    std::unordered_map<std::string, std::deque<TimeMs>> untrusted_by_email_;  // the last failures in an hour
    std::unordered_map<std::string, TimeMs> known_;  // email + "\n" + network -> last successful log-in
};

}  // namespace gw
