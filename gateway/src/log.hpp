#pragma once
// JSON-lines logging: one object per line, to stderr by default. Callers pass only what is safe to keep:
// never a password, token, Authorization header or request body (the access log takes the path without
// its query string for the same reason).
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace gw {

// One finished request.
struct AccessEntry {
    std::string method;
    std::string path;        // without the query string
    int status = 0;
    double duration_ms = 0;
    std::string request_id;
    std::string user_id;     // "" when the request was not authenticated
    std::string remote;      // client address
    std::string error_code;  // set when the connection front refused the request itself (e.g. "request.too_large")
};

class Log {
public:
    using Sink = std::function<void(const std::string& line)>;  // receives one line without "\n"

    // Writes to stderr.
    Log();
    explicit Log(Sink sink);

    void Access(const AccessEntry& entry);
    // Something went wrong while serving `request_id` ("" outside a request); `detail` stays in the log.
    void Error(std::string_view event, std::string_view request_id, std::string_view detail);
    // Lifecycle events (start, stop, migrations) with extra fields.
    void Info(std::string_view event, const nlohmann::json& fields = nlohmann::json::object());

private:
    void Write(nlohmann::json& line);
    std::mutex mutex_;
    Sink sink_;
};

}  // namespace gw
