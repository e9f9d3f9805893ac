#include "http_util.hpp"

#include <algorithm>
#include <cctype>

#include "plan/json_text.hpp"

namespace gw {

namespace {

std::string Lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// Byte offset where nesting first exceeds `limit`, or npos. Strings are skipped so brackets in them do
// not count. Cheap insurance before handing untrusted text to a recursive consumer.
std::size_t DepthViolation(std::string_view text, int limit) {
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > limit) return i;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return std::string_view::npos;
}

}  // namespace

void ReplyJson(httplib::Response& res, int status, const nlohmann::ordered_json& body) {
    res.status = status;
    res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), kJsonType);
}

void ReplyJsonText(httplib::Response& res, int status, std::string json) {
    res.status = status;
    res.body = std::move(json);
    res.set_header("Content-Type", kJsonType);
}

nlohmann::json Detail(std::string_view path, std::string_view code, std::string_view message) {
    return {{"path", path}, {"code", code}, {"message", message}};
}

namespace {

nlohmann::ordered_json Envelope(std::string_view code, std::string_view message, std::string_view request_id,
                                const nlohmann::json& details) {
    nlohmann::ordered_json error;
    error["code"] = code;
    error["message"] = message;
    error["request_id"] = request_id;
    // A braced single Detail arrives as that object, not a one-element array (nlohmann's
    // initializer-list rule), so wrap it here rather than at every call site.
    error["details"] = details.is_array()    ? details
                       : details.is_object() ? nlohmann::json::array({details})
                                             : nlohmann::json::array();
    return {{"error", error}};
}

}  // namespace

void ReplyError(httplib::Response& res, int status, std::string_view code, std::string_view message,
                const nlohmann::json& details) {
    ReplyJson(res, status, Envelope(code, message, res.get_header_value(kRequestIdHeader), details));
}

std::string ErrorEnvelope(std::string_view code, std::string_view message, std::string_view request_id) {
    return Envelope(code, message, request_id, nlohmann::json::array())
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool ReadJsonBody(const httplib::Request& req, httplib::Response& res, nlohmann::json& out) {
    const std::string type = Lower(req.get_header_value("Content-Type"));
    const bool is_json = type == kJsonType || type.rfind(std::string(kJsonType) + ";", 0) == 0;
    if (!is_json) {
        ReplyError(res, 415, "request.unsupported_media_type",
                   "Send the body as JSON with the header Content-Type: application/json.");
        return false;
    }
    if (auto at = DepthViolation(req.body, kMaxJsonDepth); at != std::string_view::npos) {
        ReplyError(res, 400, "request.malformed_json",
                   "The body nests deeper than " + std::to_string(kMaxJsonDepth) + " levels (at byte " +
                       std::to_string(at) + ").");
        return false;
    }
    plan::JsonText read = plan::ReadJsonText(req.body);
    if (!read.error) {
        out = std::move(read.value);
        return true;
    }
    const plan::JsonTextError& e = *read.error;
    if (e.code == "json.number_too_large") {
        // Valid JSON grammar, but a value no part of the API can hold: name the field, as for any bad field.
        ReplyError(res, 422, "request.invalid",
                   "The body has a number too large to read" +
                       (e.pointer.empty() ? std::string() : " at " + e.pointer) + " (byte " +
                       std::to_string(e.offset) + "); send a smaller number.",
                   nlohmann::json::array({{{"path", e.pointer}, {"code", e.code}, {"message", e.message},
                                           {"offset", e.offset}}}));
        return false;
    }
    ReplyError(res, 400, "request.malformed_json",
               "The body is not valid JSON: error at byte " + std::to_string(e.offset) + ".",
               nlohmann::json::array({{{"path", e.pointer}, {"code", e.code}, {"message", e.message},
                                       {"offset", e.offset}}}));
    return false;
}

std::optional<std::string> BearerToken(const httplib::Request& req) {
    const std::string header = req.get_header_value("Authorization");
    if (header.size() <= 7 || Lower(header.substr(0, 7)) != "bearer ") return std::nullopt;
    std::string token = header.substr(7);
    while (!token.empty() && token.front() == ' ') token.erase(token.begin());
    while (!token.empty() && token.back() == ' ') token.pop_back();
    if (token.empty()) return std::nullopt;
    return token;
}

std::string ClientAddress(const httplib::Request& req, const std::vector<std::string>& trusted_proxies) {
    if (std::find(trusted_proxies.begin(), trusted_proxies.end(), req.remote_addr) == trusted_proxies.end()) {
        return req.remote_addr;
    }
    std::string forwarded = req.get_header_value("X-Forwarded-For");
    if (forwarded.empty()) return req.remote_addr;
    // The last hop is the one our trusted proxy added; earlier ones are whatever the client claimed.
    const auto comma = forwarded.rfind(',');
    std::string last = comma == std::string::npos ? forwarded : forwarded.substr(comma + 1);
    last.erase(0, last.find_first_not_of(' '));
    last.erase(last.find_last_not_of(' ') + 1);
    return last.empty() ? req.remote_addr : last;
}

bool IsAcceptableRequestId(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    return std::all_of(id.begin(), id.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '.' || c == '_' || c == '-';
    });
}

}  // namespace gw
