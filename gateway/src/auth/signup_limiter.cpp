#include "auth/signup_limiter.hpp"

#include <algorithm>

namespace gw {

namespace {
constexpr TimeMs kHourMs = 3600 * 1000;
}

InMemorySignupLimiter::InMemorySignupLimiter(int per_network_per_hour, std::size_t max_keys)
    : per_hour_(static_cast<std::size_t>(std::max(1, per_network_per_hour))),
      max_keys_(std::max<std::size_t>(4, max_keys)) {}

int InMemorySignupLimiter::TryStart(const std::string& network, TimeMs now) {
    std::lock_guard lock(mutex_);
    auto it = starts_.find(network);
    if (it == starts_.end()) {
        if (starts_.size() >= max_keys_) {
            std::erase_if(starts_, [&](const auto& entry) { return entry.second.back() + kHourMs <= now; });
            for (auto e = starts_.begin(); starts_.size() > max_keys_ - max_keys_ / 4 && e != starts_.end();) {
                e = starts_.erase(e);
            }
        }
        it = starts_.emplace(network, std::deque<TimeMs>{}).first;
    }
    auto& starts = it->second;
    while (!starts.empty() && starts.front() + kHourMs <= now) starts.pop_front();
    if (starts.size() >= per_hour_) {
        return static_cast<int>(std::max<TimeMs>(1, (starts.front() + kHourMs - now + 999) / 1000));
    }
    starts.push_back(now);
    return 0;
}

}  // namespace gw
