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
    // Calendar arithmetic (std::chrono's civil-date conversion) instead of gmtime_r + strftime, which took a
    // lock and the locale per call: 20 timestamps per plan-list page.
    using namespace std::chrono;
    const sys_seconds time{seconds{ms >= 0 ? ms / 1000 : (ms - 999) / 1000}};
    const sys_days day = floor<days>(time);
    const year_month_day date{day};
    const hh_mm_ss clock{time - day};
    // Digits by hand: snprintf cost more than the rest of the list route's formatting.
    std::string text = "0000-00-00T00:00:00Z";
    const auto put = [&text](std::size_t at, int width, long value) {
        for (int k = width - 1; k >= 0; --k, value /= 10) text[at + static_cast<std::size_t>(k)] = char('0' + value % 10);
    };
    put(5, 2, static_cast<long>(static_cast<unsigned>(date.month())));
    put(8, 2, static_cast<long>(static_cast<unsigned>(date.day())));
    put(11, 2, clock.hours().count());
    put(14, 2, clock.minutes().count());
    put(17, 2, static_cast<long>(clock.seconds().count()));
    const int y = static_cast<int>(date.year());
    if (y < 0 || y > 9999) return std::to_string(y) + text.substr(4);  // outside RFC 3339's years, as strftime
    put(0, 4, y);
    return text;
}

}  // namespace gw
