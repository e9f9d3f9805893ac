#pragma once
// Test-side HTTP/1.1 request parser for the SigV4 vectors' request.txt files. It keeps the raw lines so a
// signed request can be written back byte for byte the way the vectors print it.
#include <string>
#include <string_view>
#include <vector>

#include "aws/http_types.hpp"

namespace gw::aws::test {

struct ParsedRequest {
    HttpRequest request;                    // path raw, query decoded, headers (continuations joined)
    std::string raw_target;                 // the request line's target as written ("/example space/?a=b")
    std::vector<std::string> header_lines;  // as written, continuation lines included
};

// Parses "METHOD TARGET HTTP/1.1\nName:value\n...\n\nbody". The target may contain spaces (the vectors
// use raw spaces and UTF-8), so the method is the first word and the version the last.
bool ParseHttpRequest(std::string_view text, ParsedRequest& out);

// Writes a request back in the vectors' format: request line, header lines, then "\n\n" and the body.
std::string WriteHttpRequest(const std::string& method, const std::string& target,
                             const std::vector<std::string>& header_lines, const std::string& body);

}  // namespace gw::aws::test
