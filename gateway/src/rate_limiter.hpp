#pragma once
// Failed log-ins counted in a sliding window, per email and per client address. Thread-safe; in memory
// (a restart forgets, which is acceptable for slowing down guessing).
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "clock.hpp"

namespace gw {

class LoginRateLimiter {
public:
    LoginRateLimiter(int failures_per_email, int failures_per_ip, int window_seconds);

    // Seconds until another attempt for (email, ip) is allowed; 0 when allowed now.
    int RetryAfter(const std::string& email, const std::string& ip, TimeMs now);
    void RecordFailure(const std::string& email, const std::string& ip, TimeMs now);
    // A successful log-in clears the email's failures (not the address's: one address may guess many).
    void RecordSuccess(const std::string& email);

private:
    using Failures = std::deque<TimeMs>;
    void Prune(Failures& failures, TimeMs now) const;
    int Wait(std::unordered_map<std::string, Failures>& map, const std::string& key, int limit, TimeMs now);
    void SweepIfLarge(TimeMs now);

    const int per_email_;
    const int per_ip_;
    const TimeMs window_ms_;
    std::mutex mutex_;
    std::unordered_map<std::string, Failures> by_email_;
    std::unordered_map<std::string, Failures> by_ip_;
};

}  // namespace gw
