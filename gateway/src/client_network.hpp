#pragma once
// Which network a client is on, for rate limits: one person usually holds one IPv4 address but a whole
// IPv6 /64 (RFC 4291's interface identifiers are theirs to pick), so keying IPv6 by full address would
// give every client 2^64 fresh keys.
#include <string>
#include <string_view>

namespace gw {

// "203.0.113.7" for an IPv4 address (also when written IPv4-mapped, "::ffff:203.0.113.7"),
// "2001:db8:1:2::/64" for any IPv6 address in that /64; any other text is returned as it is.
std::string NetworkOf(std::string_view address);

}  // namespace gw
