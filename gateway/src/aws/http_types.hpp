#pragma once
// The request and response shapes shared by the signer (sigv4.hpp) and the transport (http_client.hpp).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gw::aws {

struct HttpHeader {
    std::string name;   // as sent; comparisons are case-insensitive
    std::string value;
};

using QueryParams = std::vector<std::pair<std::string, std::string>>;  // decoded (key, value), wire order

struct HttpRequest {
    std::string method = "GET";
    std::string url_base;             // "https://host[:port]": where HttpClient sends it; the signer ignores it
    std::string path = "/";           // wire path, already percent-encoded where needed (see UriEncode)
    QueryParams query;                // decoded pairs; encoded with UriEncode on the wire
    std::vector<HttpHeader> headers;  // must contain Host before signing
    std::string body;

    // The first header with this name (case-insensitive), or nullptr.
    const std::string* FindHeader(std::string_view name) const;
    // Removes every header with this name (case-insensitive), then appends name: value.
    void SetHeader(std::string_view name, std::string_view value);
    // Removes every header with this name (case-insensitive).
    void RemoveHeader(std::string_view name);
    // path plus "?" and the encoded query when there is one: what goes on the request line.
    std::string Target() const;
};

struct HttpResponse {
    int status = 0;
    std::vector<HttpHeader> headers;  // names lower-cased
    std::string body;

    // The first header with this name (case-insensitive), or nullptr.
    const std::string* FindHeader(std::string_view name) const;
};

// ASCII case-insensitive equality, for header names.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
// ASCII lower-case copy.
std::string ToLower(std::string_view s);

}  // namespace gw::aws
