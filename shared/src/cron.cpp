// NextCronTime: expand each field into a bit set, then walk forward day by day (at most ~4 years, which
// covers every leap-day schedule), and inside the first matching day hour by hour and minute by minute.
// Civil dates come from Howard Hinnant's civil_from_days (public domain algorithms),
// so no time zone or libc call is involved and wasm answers like native code.
#include "plan/cron.hpp"

#include <bitset>
#include <limits>
#include <string>
#include <vector>

#include "plan/validate.hpp"

namespace plan {
namespace {

struct Fields {
    std::bitset<60> minutes;
    std::bitset<24> hours;
    std::bitset<32> days;      // 1..31
    std::bitset<13> months;    // 1..12
    std::bitset<7> weekdays;   // 0 = Sunday
    bool days_restricted = false;
    bool weekdays_restricted = false;
};

std::vector<std::string_view> SplitOn(std::string_view text, char sep) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = text.find(sep, start);
        out.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos) return out;
        start = end + 1;
    }
}

unsigned ToUnsigned(std::string_view text) { return static_cast<unsigned>(std::stoul(std::string(text))); }

// Sets the values of one already validated field within [lo, hi].
template <std::size_t N>
void Expand(std::string_view field, unsigned lo, unsigned hi, std::bitset<N>& bits) {
    for (std::string_view item : SplitOn(field, ',')) {
        unsigned step = 1;
        std::string_view range = item;
        if (const std::size_t slash = item.find('/'); slash != std::string_view::npos) {
            step = ToUnsigned(item.substr(slash + 1));
            range = item.substr(0, slash);
        }
        unsigned a = lo;
        unsigned b = hi;
        if (range != "*") {
            const std::size_t dash = range.find('-');
            a = ToUnsigned(range.substr(0, dash));
            // "5/15" means 5, 20, 35, 50 (from a to the end), as in Vixie cron.
            b = dash != std::string_view::npos ? ToUnsigned(range.substr(dash + 1)) : (step > 1 ? hi : a);
        }
        for (unsigned v = a; v <= b && v <= hi; v += step) bits.set(v % N);
    }
}

void CivilFromDays(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
}

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

std::optional<std::int64_t> NextCronTime(std::string_view schedule, std::int64_t after_unix_seconds) {
    if (!IsValidCron(schedule)) return std::nullopt;
    std::vector<std::string_view> f;
    for (std::string_view part : SplitOn(schedule, ' ')) {
        if (!part.empty()) f.push_back(part);
    }
    Fields c;
    Expand(f[0], 0, 59, c.minutes);
    Expand(f[1], 0, 23, c.hours);
    Expand(f[2], 1, 31, c.days);
    Expand(f[3], 1, 12, c.months);
    Expand(f[4], 0, 7, c.weekdays);  // 7 lands on bit 0 (Sunday) through the modulo
    c.days_restricted = f[2][0] != '*';
    c.weekdays_restricted = f[4][0] != '*';

    const std::int64_t start_minute = FloorDiv(after_unix_seconds, 60) + 1;
    std::int64_t day = FloorDiv(start_minute, 1440);
    int first_minute_of_day = static_cast<int>(start_minute - day * 1440);
    for (int i = 0; i < 366 * 5; ++i, ++day, first_minute_of_day = 0) {
        std::int64_t y = 0;
        unsigned m = 0;
        unsigned d = 0;
        CivilFromDays(day, y, m, d);
        if (!c.months.test(m)) continue;
        const unsigned weekday = static_cast<unsigned>(((day % 7) + 11) % 7);  // 1970-01-01 was a Thursday (4)
        const bool dom = c.days.test(d);
        const bool dow = c.weekdays.test(weekday);
        const bool day_ok = (c.days_restricted && c.weekdays_restricted) ? (dom || dow)
                            : c.days_restricted                          ? dom
                            : c.weekdays_restricted                      ? dow
                                                                         : true;
        if (!day_ok) continue;
        for (int minute_of_day = first_minute_of_day; minute_of_day < 1440; ++minute_of_day) {
            if (c.hours.test(static_cast<std::size_t>(minute_of_day / 60)) &&
                c.minutes.test(static_cast<std::size_t>(minute_of_day % 60))) {
                const std::int64_t minute = day * 1440 + minute_of_day;
                // Within a few years of INT64_MAX seconds the answer has no int64 to live in (multiplying would
                // overflow, undefined behaviour: found by fuzz/fuzz_cron.cpp).
                if (minute > std::numeric_limits<std::int64_t>::max() / 60) return std::nullopt;
                return minute * 60;
            }
        }
    }
    return std::nullopt;
}

}  // namespace plan
