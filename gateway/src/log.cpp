#include "log.hpp"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>

#include "clock.hpp"
#include "json_writer.hpp"

namespace gw {

Log::Log() : writer_([this] { WriterLoop(); }) {}

Log::Log(Sink sink) : sink_(std::move(sink)) {}

Log::~Log() {
    if (!writer_.joinable()) return;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    writer_.join();
}

void Log::Emit(const std::string& text) {
    std::lock_guard lock(mutex_);
    if (sink_) {
        sink_(text);
        return;
    }
    if (pending_.size() + text.size() + 1 > kMaxPendingBytes) {
        ++dropped_;
        return;
    }
    const bool was_empty = pending_.empty();
    pending_.append(text).push_back('\n');
    if (was_empty) wake_.notify_one();  // under load the buffer is rarely empty: few wake-ups
}

void Log::WriterLoop() {
    std::string batch;
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [this] { return !pending_.empty() || dropped_ > 0 || stopping_; });
        if (!stopping_) {
            // Let a batch gather: one write for the lines of a few milliseconds.
            lock.unlock();
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
            lock.lock();
        }
        batch.swap(pending_);
        if (dropped_ > 0 && batch.size() < kMaxPendingBytes / 2) {
            batch += "{\"event\":\"log.dropped\",\"level\":\"error\",\"lines\":" + std::to_string(dropped_) +
                     ",\"ts\":\"" + FormatTimestamp(SystemNowMs()) + "\"}\n";
            dropped_ = 0;
        }
        const bool stop = stopping_;
        lock.unlock();
        for (std::size_t at = 0; at < batch.size();) {
            const ssize_t n = ::write(2, batch.data() + at, batch.size() - at);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;  // stderr is gone: nothing to be done about it here
            at += static_cast<std::size_t>(n);
        }
        batch.clear();
        lock.lock();
        if (stop && pending_.empty()) return;
    }
}

void Log::Write(nlohmann::json& line) {
    line["ts"] = FormatTimestamp(SystemNowMs());
    // Replace, not throw, on invalid UTF-8 (a path can carry any bytes): logging must never fail a request.
    Emit(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
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
    Emit(line.Take());
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
