#include "log.hpp"

#include <cstdio>

#include "clock.hpp"

namespace gw {

Log::Log()
    : sink_([](const std::string& line) {
          std::fputs(line.c_str(), stderr);
          std::fputc('\n', stderr);
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
    nlohmann::json line = {{"level", "info"},       {"event", "access"},   {"method", e.method},
                           {"path", e.path},        {"status", e.status},  {"duration_ms", e.duration_ms},
                           {"request_id", e.request_id}, {"remote", e.remote}};
    if (!e.user_id.empty()) line["user_id"] = e.user_id;
    if (!e.error_code.empty()) line["error"] = e.error_code;
    Write(line);
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
