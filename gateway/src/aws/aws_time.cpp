#include "aws/aws_time.hpp"

#include <cstdio>

namespace gw::aws {
namespace {

using namespace std::chrono;

enum class Form { kBasic, kShort, kIso };

std::string Format(system_clock::time_point t, Form form) {
    const auto day_point = floor<days>(t);
    const year_month_day ymd{day_point};
    const hh_mm_ss hms{floor<seconds>(t - day_point)};
    char buf[32];
    const int y = static_cast<int>(ymd.year());
    const unsigned mo = static_cast<unsigned>(ymd.month()), d = static_cast<unsigned>(ymd.day());
    const long h = hms.hours().count(), mi = hms.minutes().count(), s = hms.seconds().count();
    if (form == Form::kBasic) {
        std::snprintf(buf, sizeof buf, "%04d%02u%02uT%02ld%02ld%02ldZ", y, mo, d, h, mi, s);
    } else if (form == Form::kShort) {
        std::snprintf(buf, sizeof buf, "%04d%02u%02u", y, mo, d);
    } else {
        std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", y, mo, d, h, mi, s);
    }
    return buf;
}

bool Digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

}  // namespace

std::string FormatAmzDate(system_clock::time_point t) { return Format(t, Form::kBasic); }
std::string FormatAmzShortDate(system_clock::time_point t) { return Format(t, Form::kShort); }
std::string FormatIso8601(system_clock::time_point t) { return Format(t, Form::kIso); }

std::optional<system_clock::time_point> ParseIso8601(std::string_view s) {
    int y, mo, d, h, mi, sec;
    if (!Digits(s, 0, 4, y) || s.size() < 20 || s[4] != '-' || !Digits(s, 5, 2, mo) || s[7] != '-' ||
        !Digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't') || !Digits(s, 11, 2, h) || s[13] != ':' ||
        !Digits(s, 14, 2, mi) || s[16] != ':' || !Digits(s, 17, 2, sec)) {
        return std::nullopt;
    }
    std::size_t pos = 19;
    milliseconds frac{0};
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        int scale = 100, ms = 0;
        const std::size_t start = pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            ms += (s[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
        if (pos == start) return std::nullopt;
        frac = milliseconds{ms};
    }
    const std::string_view zone = s.substr(pos);
    if (zone != "Z" && zone != "z" && zone != "+00:00") return std::nullopt;
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
    // Four digits reach years 0000-9999, but system_clock counts nanoseconds in 64 bits here (years 1678-2262):
    // converting a time outside that would overflow (undefined behaviour; fuzz/regressions/aws_xml), so it is
    // not a time this process can hold.
    const sys_time<milliseconds> t = sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec} + frac;
    const auto limit = floor<milliseconds>(system_clock::duration::max());
    if (t.time_since_epoch() > limit || t.time_since_epoch() < -limit) return std::nullopt;
    return time_point_cast<system_clock::duration>(t);
}

}  // namespace gw::aws
