#include "rate_limiter.hpp"

#include <algorithm>

namespace gw {

namespace {
constexpr std::size_t kSweepThreshold = 10000;  // keys kept before stale ones are dropped
}

LoginRateLimiter::LoginRateLimiter(int failures_per_email, int failures_per_ip, int window_seconds)
    : per_email_(failures_per_email), per_ip_(failures_per_ip), window_ms_(TimeMs{window_seconds} * 1000) {}

void LoginRateLimiter::Prune(Failures& failures, TimeMs now) const {
    while (!failures.empty() && failures.front() + window_ms_ <= now) failures.pop_front();
}

int LoginRateLimiter::Wait(std::unordered_map<std::string, Failures>& map, const std::string& key, int limit,
                           TimeMs now) {
    auto it = map.find(key);
    if (it == map.end()) return 0;
    Prune(it->second, now);
    if (static_cast<int>(it->second.size()) < limit) return 0;
    // The attempt becomes possible when the oldest failure that keeps us at the limit leaves the window.
    const TimeMs free_at = it->second[it->second.size() - static_cast<std::size_t>(limit)] + window_ms_;
    return static_cast<int>(std::max<TimeMs>(1, (free_at - now + 999) / 1000));
}

int LoginRateLimiter::RetryAfter(const std::string& email, const std::string& ip, TimeMs now) {
    std::lock_guard lock(mutex_);
    return std::max(Wait(by_email_, email, per_email_, now), Wait(by_ip_, ip, per_ip_, now));
}

void LoginRateLimiter::RecordFailure(const std::string& email, const std::string& ip, TimeMs now) {
    std::lock_guard lock(mutex_);
    SweepIfLarge(now);
    by_email_[email].push_back(now);
    by_ip_[ip].push_back(now);
}

void LoginRateLimiter::RecordSuccess(const std::string& email) {
    std::lock_guard lock(mutex_);
    by_email_.erase(email);
}

void LoginRateLimiter::SweepIfLarge(TimeMs now) {
    for (auto* map : {&by_email_, &by_ip_}) {
        if (map->size() < kSweepThreshold) continue;
        for (auto it = map->begin(); it != map->end();) {
            Prune(it->second, now);
            it = it->second.empty() ? map->erase(it) : std::next(it);
        }
    }
}

}  // namespace gw
