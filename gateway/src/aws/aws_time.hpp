#pragma once
// Timestamp formats AWS uses: the SigV4 "basic" forms (20150830T123600Z, 20150830) and ISO 8601 as found
// in STS/IMDS responses ("2011-07-15T23:28:33.359Z", "2026-11-24T05:00:00Z").
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace gw::aws {

// "20150830T123600Z" (X-Amz-Date) for a time, truncated to the second.
std::string FormatAmzDate(std::chrono::system_clock::time_point t);
// "20150830" (credential scope date).
std::string FormatAmzShortDate(std::chrono::system_clock::time_point t);
// "2015-08-30T12:36:00Z".
std::string FormatIso8601(std::chrono::system_clock::time_point t);
// Parses "YYYY-MM-DDTHH:MM:SS[.fff]Z" (UTC only; a "+00:00" suffix is accepted too). nullopt on anything else,
// and for a time system_clock cannot hold (libstdc++: before 1678 or after 2262).
std::optional<std::chrono::system_clock::time_point> ParseIso8601(std::string_view text);

}  // namespace gw::aws
