#include "rate_limiter.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>

namespace gw {

namespace {

constexpr TimeMs kHourMs = 3600 * 1000;
constexpr std::size_t kDeviceIdBytes = 16;
constexpr std::size_t kDeviceMacBytes = 16;

std::string PairKey(const std::string& email, const std::string& network) {
    return email + "\n" + network;
}

// Seconds from `now` until `at` (rounded up, at least 1), or 0 when `at` has passed.
int SecondsUntil(TimeMs at, TimeMs now) {
    if (at <= now) return 0;
    return static_cast<int>(std::max<TimeMs>(1, (at - now + 999) / 1000));
}

}  // namespace

LoginRateLimiter::LoginRateLimiter(const LoginThrottleLimits& limits) : limits_(limits) {
    randombytes_buf(key_, sizeof key_);
}

LoginRateLimiter::LoginRateLimiter(int free_failures_per_email_network, int free_failures_per_network,
                                   int forget_after_seconds)
    : LoginRateLimiter([&] {
          LoginThrottleLimits limits;
          limits.free_failures_per_email_network = free_failures_per_email_network;
          limits.free_failures_per_network = free_failures_per_network;
          limits.forget_after_seconds = forget_after_seconds;
          return limits;
      }()) {}

// OWASP's exponential lock-out, made a delay: after `free` failures the next attempt waits 1 s after the
// last failure, then 2, 4, ... up to max_delay_seconds, so a person who mistypes a few times barely
// notices and a guesser gets a handful of tries a minute.
int LoginRateLimiter::StreakWait(Streaks& table, const std::string& key, int free, TimeMs now) {
    auto it = table.find(key);
    if (it == table.end()) return 0;
    const Streak& streak = it->second;
    if (now - streak.last >= TimeMs{limits_.forget_after_seconds} * 1000) {
        table.erase(it);
        return 0;
    }
    if (streak.failures < free) return 0;
    const TimeMs delay_s =
        std::min<TimeMs>(limits_.max_delay_seconds, TimeMs{1} << std::min(streak.failures - free, 30));
    return SecondsUntil(streak.last + delay_s * 1000, now);
}

void LoginRateLimiter::AddFailure(Streaks& table, const std::string& key, TimeMs now) {
    const TimeMs forget_ms = TimeMs{limits_.forget_after_seconds} * 1000;
    if (!table.contains(key)) MakeRoom(table, [&](const Streak& s) { return now - s.last >= forget_ms; });
    Streak& streak = table[key];
    if (streak.failures > 0 && now - streak.last >= forget_ms) streak.failures = 0;
    ++streak.failures;
    streak.last = now;
}

int LoginRateLimiter::AccountWait(const std::string& email, TimeMs now) {
    auto it = untrusted_by_email_.find(email);
    if (it == untrusted_by_email_.end()) return 0;
    auto& failures = it->second;
    while (!failures.empty() && failures.front() + kHourMs <= now) failures.pop_front();
    if (failures.empty()) {
        untrusted_by_email_.erase(it);
        return 0;
    }
    const auto limit = static_cast<std::size_t>(limits_.untrusted_failures_per_account_per_hour);
    if (failures.size() < limit) return 0;
    // The next failure may come when the oldest of the last `limit` leaves the hour.
    return SecondsUntil(failures[failures.size() - limit] + kHourMs, now);
}

bool LoginRateLimiter::KnownNetwork(const std::string& email, const std::string& network, TimeMs now) {
    auto it = known_.find(PairKey(email, network));
    return it != known_.end() && now - it->second < TimeMs{limits_.known_network_days} * 24 * kHourMs;
}

int LoginRateLimiter::RetryAfter(const LoginAttempt& attempt, TimeMs now) {
    std::lock_guard lock(mutex_);
    const std::string device = DeviceId(attempt.email, attempt.device_token);
    if (!device.empty()) {
        // A device that logged in to this account before answers only for its own failures (OWASP's
        // "device cookie"): no guesser elsewhere, not even on the same network, can slow it down.
        return StreakWait(by_device_, device, limits_.free_failures_per_email_network, now);
    }
    int wait = std::max(
        StreakWait(by_pair_, PairKey(attempt.email, attempt.network), limits_.free_failures_per_email_network, now),
        StreakWait(by_network_, attempt.network, limits_.free_failures_per_network, now));
    if (!KnownNetwork(attempt.email, attempt.network, now)) wait = std::max(wait, AccountWait(attempt.email, now));
    return wait;
}

void LoginRateLimiter::RecordFailure(const LoginAttempt& attempt, TimeMs now) {
    std::lock_guard lock(mutex_);
    const std::string device = DeviceId(attempt.email, attempt.device_token);
    if (!device.empty()) {
        AddFailure(by_device_, device, now);
        return;
    }
    AddFailure(by_pair_, PairKey(attempt.email, attempt.network), now);
    AddFailure(by_network_, attempt.network, now);
    if (!untrusted_by_email_.contains(attempt.email)) {
        MakeRoom(untrusted_by_email_, [&](const std::deque<TimeMs>& failures) {
            return failures.empty() || failures.back() + kHourMs <= now;
        });
    }
    auto& failures = untrusted_by_email_[attempt.email];
    failures.push_back(now);
    // Only the last `limit` failures decide the wait: older ones need not be kept.
    const auto limit = static_cast<std::size_t>(limits_.untrusted_failures_per_account_per_hour);
    while (failures.size() > limit) failures.pop_front();
}

std::string LoginRateLimiter::RecordSuccess(const LoginAttempt& attempt, TimeMs now) {
    std::lock_guard lock(mutex_);
    const std::string device = DeviceId(attempt.email, attempt.device_token);
    if (!device.empty()) {
        by_device_.erase(device);
    } else {
        by_pair_.erase(PairKey(attempt.email, attempt.network));
    }
    const std::string pair = PairKey(attempt.email, attempt.network);
    if (!known_.contains(pair)) {
        const TimeMs keep_ms = TimeMs{limits_.known_network_days} * 24 * kHourMs;
        MakeRoom(known_, [&](TimeMs last) { return now - last >= keep_ms; });
    }
    known_[pair] = now;
    return device.empty() ? NewDeviceToken(attempt.email) : attempt.device_token;
}

std::size_t LoginRateLimiter::KeyCount() {
    std::lock_guard lock(mutex_);
    return by_pair_.size() + by_network_.size() + by_device_.size() + untrusted_by_email_.size() + known_.size();
}

// Keeps `table` under max_keys before a new key goes in: drops stale entries, and when a flood of fresh
// keys fills it anyway, evicts arbitrary ones down to three quarters, so the sweep's cost is spread over
// many inserts. Evicting forgets a count, which only ever favours the client it belonged to.
template <class Table, class Stale>
void LoginRateLimiter::MakeRoom(Table& table, Stale stale) {
    if (table.size() < limits_.max_keys) return;
    std::erase_if(table, [&](const auto& entry) { return stale(entry.second); });
    const std::size_t target = limits_.max_keys - limits_.max_keys / 4;
    for (auto it = table.begin(); table.size() > target && it != table.end();) it = table.erase(it);
}

// A device token is id || HMAC(key, email || 0 || id), base64url: it names one device of one account,
// and is worthless for any other account (a guesser's own token does not help it elsewhere).
std::string LoginRateLimiter::NewDeviceToken(const std::string& email) const {
    std::array<unsigned char, kDeviceIdBytes + crypto_auth_hmacsha256_BYTES> raw{};
    randombytes_buf(raw.data(), kDeviceIdBytes);
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, key_, sizeof key_);
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(email.data()), email.size() + 1);
    crypto_auth_hmacsha256_update(&state, raw.data(), kDeviceIdBytes);
    crypto_auth_hmacsha256_final(&state, raw.data() + kDeviceIdBytes);
    const std::size_t size = kDeviceIdBytes + kDeviceMacBytes;
    const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
    std::string text(sodium_base64_ENCODED_LEN(size, variant), '\0');
    sodium_bin2base64(text.data(), text.size(), raw.data(), size, variant);
    text.resize(text.find('\0'));
    return text;
}

std::string LoginRateLimiter::DeviceId(const std::string& email, const std::string& token) const {
    if (token.empty() || token.size() > 64) return "";
    std::array<unsigned char, kDeviceIdBytes + kDeviceMacBytes> raw{};
    std::size_t size = 0;
    if (sodium_base642bin(raw.data(), raw.size(), token.data(), token.size(), nullptr, &size, nullptr,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        size != raw.size()) {
        return "";
    }
    std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, key_, sizeof key_);
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(email.data()), email.size() + 1);
    crypto_auth_hmacsha256_update(&state, raw.data(), kDeviceIdBytes);
    crypto_auth_hmacsha256_final(&state, mac.data());
    if (sodium_memcmp(mac.data(), raw.data() + kDeviceIdBytes, kDeviceMacBytes) != 0) return "";
    return std::string(reinterpret_cast<const char*>(raw.data()), kDeviceIdBytes);
}

}  // namespace gw
