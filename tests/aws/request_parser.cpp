#include "request_parser.hpp"

#include "aws/uri.hpp"

namespace gw::aws::test {

bool ParseHttpRequest(std::string_view text, ParsedRequest& out) {
    std::vector<std::string_view> lines;
    std::string_view body;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        if (line.ends_with('\r')) line.remove_suffix(1);
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        if (line.empty() && !lines.empty()) {  // end of headers
            body = text;
            break;
        }
        lines.push_back(line);
    }
    if (lines.empty()) return false;

    const std::string_view request_line = lines[0];
    const std::size_t first = request_line.find(' '), last = request_line.rfind(' ');
    if (first == std::string_view::npos || last <= first || !request_line.substr(last + 1).starts_with("HTTP/")) {
        return false;
    }
    out.request.method = std::string(request_line.substr(0, first));
    out.raw_target = std::string(request_line.substr(first + 1, last - first - 1));
    const std::size_t q = out.raw_target.find('?');
    out.request.path = out.raw_target.substr(0, q);
    out.request.query = q == std::string::npos ? QueryParams{} : ParseQueryString(out.raw_target.substr(q + 1));

    for (std::size_t i = 1; i < lines.size(); ++i) {
        const std::string_view line = lines[i];
        out.header_lines.emplace_back(line);
        if ((line.front() == ' ' || line.front() == '\t') && !out.request.headers.empty()) {
            // obs-fold (RFC 7230 3.2.4): a continuation of the previous value; the signer folds the whitespace.
            out.request.headers.back().value += "\n" + std::string(line);
            continue;
        }
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) return false;
        out.request.headers.push_back({std::string(line.substr(0, colon)), std::string(line.substr(colon + 1))});
    }
    out.request.body = std::string(body);
    return true;
}

std::string WriteHttpRequest(const std::string& method, const std::string& target,
                             const std::vector<std::string>& header_lines, const std::string& body) {
    std::string out = method + " " + target + " HTTP/1.1\n";
    for (const auto& line : header_lines) out += line + "\n";
    return out + "\n" + body;
}

}  // namespace gw::aws::test
