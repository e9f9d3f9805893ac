#include "log.hpp"

#include <cstdio>

#include "clock.hpp"
#include "json_writer.hpp"

namespace gw {

Log::Log()
    : sink_([](const std::string& line) {
          // One write per line (stderr is unbuffered: two calls were two system calls).
          std::string text;
          text.reserve(line.size() + 1);
          text.append(line).push_back('\n');
          std::fwrite(text.data(), 1, text.size(), stderr);
      }) {}

Log::Log(Sink sink) : sink_(std::move(sink)) {}

void Log::Write(nlohmann::json& line) {
    line["ts"] = FormatTimestamp(SystemNowMs());
    // Replace, not throw, on invalid UTF-8 (a path can carry any bytes): logging must never fail a request.
    std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::lock_guard lock(mutex_);
    sink_(text);
}

void Log::Access(const AccessEntry& e) {
    // Written directly (one line per request; json_writer.hpp says why). Client-supplied text (the path) may
    // hold any bytes: invalid UTF-8 is replaced, so logging never fails a request.
    JsonWriter line;
    line.BeginObject();
    line.Key("level").String("info");
    line.Key("event").String("access");
    line.Key("method").Utf8(e.method);
    line.Key("path").Utf8(e.path);
    line.Key("status").Int(e.status);
    line.Key("duration_ms").Number(e.duration_ms);
    line.Key("request_id").Utf8(e.request_id);
    line.Key("remote").Utf8(e.remote);
    if (!e.user_id.empty()) line.Key("user_id").String(e.user_id);
    if (!e.error_code.empty()) line.Key("error").String(e.error_code);
    line.Key("ts").String(FormatTimestamp(SystemNowMs()));
    line.EndObject();
    const std::string text = line.Take();
    std::lock_guard lock(mutex_);
    sink_(text);
}

void Log::Error(std::string_view event, std::string_view request_id, std::string_view detail) {
    nlohmann::json line = {{"level", "error"}, {"event", event}, {"detail", detail}};
    if (!request_id.empty()) line["request_id"] = request_id;
    Write(line);
}

void Log::Info(std::string_view event, const nlohmann::json& fields) {
    nlohmann::json line = fields.is_object() ? fields : nlohmann::json::object();
    line["level"] = "info";
    line["event"] = event;
    Write(line);
}

}  // namespace gw
