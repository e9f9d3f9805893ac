#pragma once
// Answers kept until the store changes. Every open dashboard polls the plan list every few seconds, and between
// two changes the answer is the same bytes: reading it again cost two queries and 20 summaries written out for
// each poll. Validity is exact, not timed: an entry is used only while Store::ChangeStamp() is the one it was
// filed under, and the stamp moves with every write (docs/http-front.md "The API under load").
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace gw {

class ResponseCache {
public:
    explicit ResponseCache(std::size_t max_entries = 4096) : max_entries_(max_entries) {}

    // The body filed under `key` at exactly `stamp`, if any.
    std::optional<std::string> Find(const std::string& key, std::uint64_t stamp) {
        std::lock_guard lock(mutex_);
        auto it = entries_.find(key);
        if (it == entries_.end() || it->second.stamp != stamp) return std::nullopt;
        return it->second.body;
    }

    // Files `body` under `key` at `stamp` (read before the body's data). Bounded: when full, entries of older
    // stamps go first, then any.
    void Put(const std::string& key, std::uint64_t stamp, std::string body) {
        std::lock_guard lock(mutex_);
        if (entries_.size() >= max_entries_ && entries_.find(key) == entries_.end()) {
            for (auto it = entries_.begin(); it != entries_.end();) {
                it = it->second.stamp != stamp ? entries_.erase(it) : std::next(it);
            }
            if (entries_.size() >= max_entries_) entries_.erase(entries_.begin());
        }
        entries_[key] = Entry{stamp, std::move(body)};
    }

private:
    struct Entry {
        std::uint64_t stamp = 0;
        std::string body;
    };
    const std::size_t max_entries_;
    std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
};

}  // namespace gw
