#pragma once
// The HTTP edge shared by every route: the one error envelope, JSON replies, request bodies, bearer
// tokens, client addresses. Maps values to HTTP in one place so every route answers the same way.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace gw {

inline constexpr const char* kJsonType = "application/json";
inline constexpr const char* kRequestIdHeader = "X-Request-Id";
inline constexpr int kMaxJsonDepth = 64;  // deeper bodies are refused before parsing

// Sets status, Content-Type: application/json and the body.
void ReplyJson(httplib::Response& res, int status, const nlohmann::ordered_json& body);

// Sets status, Content-Type: application/json and a body that is already JSON text.
void ReplyJsonText(httplib::Response& res, int status, std::string json);

// The error envelope of docs/api.md: {"error": {code, message, request_id, details}}. The request id is
// the one the server put on the response (X-Request-Id).
void ReplyError(httplib::Response& res, int status, std::string_view code, std::string_view message,
                const nlohmann::json& details = nlohmann::json::array());

// The error envelope's JSON text, for answers written outside httplib (the connection front's own refusals).
std::string ErrorEnvelope(std::string_view code, std::string_view message, std::string_view request_id);

// One `details` item: {path (JSON pointer), code, message}.
nlohmann::json Detail(std::string_view path, std::string_view code, std::string_view message);

// Parses a JSON request body into `out`. On failure it has already replied: 415 when Content-Type is not
// application/json, 400 (with the byte offset) when the text is not JSON or nests deeper than
// kMaxJsonDepth. Returns whether `out` was set.
bool ReadJsonBody(const httplib::Request& req, httplib::Response& res, nlohmann::json& out);

// The token of "Authorization: Bearer <token>", if present.
std::optional<std::string> BearerToken(const httplib::Request& req);

// The client's address: the connection's peer, or the last X-Forwarded-For hop when the peer is one of
// `trusted_proxies` (anyone else could forge the header).
std::string ClientAddress(const httplib::Request& req, const std::vector<std::string>& trusted_proxies);

// True for a client-supplied request id we are willing to echo: 1..64 of [A-Za-z0-9._-].
bool IsAcceptableRequestId(std::string_view id);

}  // namespace gw
