#pragma once
// JSON-lines logging: one object per line, to stderr by default. Callers pass only what is safe to keep:
// never a password, token, Authorization header or request body (the access log takes the path without
// its query string for the same reason).
#include <cstdint>
#include <functional>
#include <condition_variable>
#include <mutex>
#include <thread>
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

    // Writes to stderr from a thread of its own, in batches: a request never waits for the log's reader (a
    // stalled pipe froze every worker before), and one write(2) carries many lines. If the reader stops, at
    // most kMaxPendingBytes wait; further lines are dropped and counted in a "log.dropped" line.
    Log();
    // Calls `sink` synchronously with each line, under a lock (tests capture the log this way).
    explicit Log(Sink sink);
    // Writes what is pending, then stops the writer thread.
    ~Log();
    Log(const Log&) = delete;
    Log& operator=(const Log&) = delete;

    static constexpr std::size_t kMaxPendingBytes = 8u << 20;

    void Access(const AccessEntry& entry);
    // Something went wrong while serving `request_id` ("" outside a request); `detail` stays in the log.
    void Error(std::string_view event, std::string_view request_id, std::string_view detail);
    // Lifecycle events (start, stop, migrations) with extra fields.
    void Info(std::string_view event, const nlohmann::json& fields = nlohmann::json::object());

private:
    void Write(nlohmann::json& line);
    void Emit(const std::string& text);
    void WriterLoop();

    std::mutex mutex_;
    Sink sink_;  // empty: the stderr writer thread
    // The stderr writer: lines wait in pending_ (under mutex_) until the thread takes them.
    std::condition_variable wake_;
    std::string pending_;
    std::uint64_t dropped_ = 0;
    bool stopping_ = false;
    std::thread writer_;
};

}  // namespace gw
