// CIDR and cron syntax checks. Hand-written because shared/ must stay free of I/O and system calls
// (inet_pton is not available the same way in every target) and the grammars are small.
#include <array>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "plan/validate.hpp"

namespace plan {
namespace {

std::vector<std::string_view> Split(std::string_view text, char sep) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = text.find(sep, start);
        parts.push_back(text.substr(start, end - start));
        if (end == std::string_view::npos) return parts;
        start = end + 1;
    }
}

bool ParseUnsigned(std::string_view text, int base, unsigned max, unsigned& out) {
    if (text.empty() || text.size() > 5) return false;
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (ec != std::errc() || ptr != text.data() + text.size() || value > max) return false;
    out = value;
    return true;
}

// Fills 4 bytes; rejects leading zeros ("010") since some tools read them as octal.
bool ParseIpv4(std::string_view text, std::array<std::uint8_t, 16>& bytes) {
    const auto parts = Split(text, '.');
    if (parts.size() != 4) return false;
    for (std::size_t i = 0; i < 4; ++i) {
        unsigned v = 0;
        if (parts[i].size() > 1 && parts[i][0] == '0') return false;
        if (!ParseUnsigned(parts[i], 10, 255, v)) return false;
        bytes[i] = static_cast<std::uint8_t>(v);
    }
    return true;
}

// Fills 16 bytes; accepts one "::" and lowercase/uppercase hex groups (no embedded IPv4 form).
bool ParseIpv6(std::string_view text, std::array<std::uint8_t, 16>& bytes) {
    const std::size_t gap = text.find("::");
    if (gap != std::string_view::npos && text.find("::", gap + 1) != std::string_view::npos) return false;
    auto parse_groups = [](std::string_view part, std::vector<unsigned>& groups) {
        if (part.empty()) return true;
        for (std::string_view g : Split(part, ':')) {
            unsigned v = 0;
            if (g.size() > 4 || !ParseUnsigned(g, 16, 0xffff, v)) return false;
            groups.push_back(v);
        }
        return true;
    };
    std::vector<unsigned> head;
    std::vector<unsigned> tail;
    if (gap == std::string_view::npos) {
        if (!parse_groups(text, head) || head.size() != 8) return false;
    } else {
        if (!parse_groups(text.substr(0, gap), head) || !parse_groups(text.substr(gap + 2), tail)) return false;
        if (head.size() + tail.size() > 7) return false;
    }
    std::vector<unsigned> groups = head;
    groups.resize(8 - tail.size(), 0);
    groups.insert(groups.end(), tail.begin(), tail.end());
    for (std::size_t i = 0; i < 8; ++i) {
        bytes[2 * i] = static_cast<std::uint8_t>(groups[i] >> 8);
        bytes[2 * i + 1] = static_cast<std::uint8_t>(groups[i] & 0xff);
    }
    return true;
}

// Cron field: "*", "*/n", "a", "a-b", "a-b/n", comma lists of those, within [lo, hi].
bool IsValidCronField(std::string_view field, unsigned lo, unsigned hi) {
    if (field.empty()) return false;
    for (std::string_view item : Split(field, ',')) {
        std::string_view range = item;
        if (const std::size_t slash = item.find('/'); slash != std::string_view::npos) {
            unsigned step = 0;
            if (!ParseUnsigned(item.substr(slash + 1), 10, hi, step) || step == 0) return false;
            range = item.substr(0, slash);
        }
        if (range == "*") continue;
        const std::size_t dash = range.find('-');
        unsigned a = 0;
        unsigned b = 0;
        if (dash == std::string_view::npos) {
            if (!ParseUnsigned(range, 10, hi, a) || a < lo) return false;
        } else {
            if (!ParseUnsigned(range.substr(0, dash), 10, hi, a) || !ParseUnsigned(range.substr(dash + 1), 10, hi, b))
                return false;
            if (a < lo || b < a) return false;
        }
    }
    return true;
}

}  // namespace

bool IsValidCidr(std::string_view cidr) {
    const std::size_t slash = cidr.find('/');
    if (slash == std::string_view::npos) return false;
    std::array<std::uint8_t, 16> bytes{};
    const std::string_view address = cidr.substr(0, slash);
    const bool v6 = address.find(':') != std::string_view::npos;
    if (!(v6 ? ParseIpv6(address, bytes) : ParseIpv4(address, bytes))) return false;
    unsigned prefix = 0;
    const std::string_view prefix_text = cidr.substr(slash + 1);
    if (prefix_text.size() > 1 && prefix_text[0] == '0') return false;
    if (!ParseUnsigned(prefix_text, 10, v6 ? 128 : 32, prefix)) return false;
    // Host bits must be zero: clouds reject "10.0.0.5/16" as malformed.
    const unsigned total_bits = v6 ? 128 : 32;
    for (unsigned bit = prefix; bit < total_bits; ++bit) {
        if (bytes[bit / 8] & (0x80u >> (bit % 8))) return false;
    }
    return true;
}

bool IsValidCron(std::string_view schedule) {
    std::vector<std::string_view> fields;
    for (std::string_view f : Split(schedule, ' ')) {
        if (!f.empty()) fields.push_back(f);
    }
    if (fields.size() != 5) return false;
    static constexpr unsigned kLimits[5][2] = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}};
    for (std::size_t i = 0; i < 5; ++i) {
        if (!IsValidCronField(fields[i], kLimits[i][0], kLimits[i][1])) return false;
    }
    return true;
}

}  // namespace plan
