#pragma once
// Percent-encoding as SigV4 defines it (RFC 3986 unreserved characters A-Z a-z 0-9 - _ . ~ are kept,
// every other byte becomes %XX with upper-case hex). See
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gw::aws {

// Encodes every byte except the unreserved set; with keep_slash, '/' is kept too (for paths).
std::string UriEncode(std::string_view raw, bool keep_slash = false);
// Decodes %XX sequences ('+' stays '+'); a malformed % sequence is kept literally.
std::string UriDecode(std::string_view encoded);
// Splits "a=1&b=&c" into decoded (key, value) pairs in order: {"a","1"},{"b",""},{"c",""}.
std::vector<std::pair<std::string, std::string>> ParseQueryString(std::string_view query);
// The inverse for the wire: "k=v&k2=v2", keys and values UriEncode'd, in the given order.
std::string BuildQueryString(const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace gw::aws
