#pragma once
// Time as the gateway sees it: milliseconds since the Unix epoch (UTC), read through a Clock so tests
// can move time forward (token expiry, rate-limit windows) without sleeping.
#include <chrono>
#include <cstdint>
#include <ctime>
#include <functional>
#include <string>

namespace gw {

using TimeMs = std::int64_t;
using Clock = std::function<TimeMs()>;

// The real wall clock.
inline TimeMs SystemNowMs() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// RFC 3339 UTC with second precision, e.g. "2026-11-23T23:40:00Z" (the API's timestamp format).
inline std::string FormatTimestamp(TimeMs ms) {
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

}  // namespace gw
