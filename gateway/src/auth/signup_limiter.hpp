#pragma once
// Sign-ups per client network per hour (docs/accounts.md): each one costs an Argon2id hash and a mail,
// so one network may start only a few. SignupLimiter is the seam; the in-memory one serves one gateway.
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "clock.hpp"

namespace gw {

class SignupLimiter {
public:
    virtual ~SignupLimiter() = default;
    // Counts one sign-up from `network` (NetworkOf the client address) and returns 0, or returns the
    // seconds until the network may sign up again (nothing counted).
    virtual int TryStart(const std::string& network, TimeMs now) = 0;
};

// Sliding hour per network. Thread-safe; at most `max_keys` networks are kept (stale ones are swept,
// then arbitrary ones evicted), so a flood of networks cannot grow it without bound.
class InMemorySignupLimiter final : public SignupLimiter {
public:
    InMemorySignupLimiter(int per_network_per_hour, std::size_t max_keys = 100000);
    int TryStart(const std::string& network, TimeMs now) override;

private:
    const std::size_t per_hour_;
    const std::size_t max_keys_;
    std::mutex mutex_;
    std::unordered_map<std::string, std::deque<TimeMs>> starts_;  // the last per_hour_ starts, oldest first
};

}  // namespace gw
