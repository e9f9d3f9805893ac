#include "aws/http_types.hpp"

#include <algorithm>

#include "aws/uri.hpp"

namespace gw::aws {
namespace {

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

const std::string* Find(const std::vector<HttpHeader>& headers, std::string_view name) {
    for (const auto& h : headers) {
        if (EqualsIgnoreCase(h.name, name)) return &h.value;
    }
    return nullptr;
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return LowerAscii(x) == LowerAscii(y); });
}

std::string ToLower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = LowerAscii(c);
    return out;
}

const std::string* HttpRequest::FindHeader(std::string_view name) const { return Find(headers, name); }
const std::string* HttpResponse::FindHeader(std::string_view name) const { return Find(headers, name); }

void HttpRequest::RemoveHeader(std::string_view name) {
    std::erase_if(headers, [&](const HttpHeader& h) { return EqualsIgnoreCase(h.name, name); });
}

void HttpRequest::SetHeader(std::string_view name, std::string_view value) {
    RemoveHeader(name);
    headers.push_back({std::string(name), std::string(value)});
}

std::string HttpRequest::Target() const {
    if (query.empty()) return path;
    return path + "?" + BuildQueryString(query);
}

}  // namespace gw::aws
