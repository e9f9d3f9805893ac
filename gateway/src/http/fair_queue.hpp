#pragma once
// A work queue that takes turns between keys (clients) instead of serving first-come first-served, and caps
// how many items of one key are in flight at once. With FIFO, a client that queues 500 requests makes the
// next client wait for all 500; here that client's one request is the next but one.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>

namespace gw::http {

template <typename T>
class FairQueue {
public:
    // `per_key_limit`: items of one key handed out and not yet Done() (at least 1).
    explicit FairQueue(int per_key_limit = 1) : limit_(per_key_limit < 1 ? 1 : per_key_limit) {}

    void SetLimit(int per_key_limit) {
        std::lock_guard lock(mutex_);
        limit_ = per_key_limit < 1 ? 1 : per_key_limit;
    }

    // Adds an item for `key` and wakes one waiting Pop().
    void Push(std::uint64_t key, T item) {
        {
            std::lock_guard lock(mutex_);
            Entry& entry = keys_[key];
            entry.waiting.push_back(std::move(item));
            ++size_;
            MaybeRotate(key, entry);
        }
        cv_.notify_one();
    }

    // Blocks until an item may be handed out (its key is under the limit), then returns it with its key;
    // nullopt once Close() was called and nothing eligible is left.
    std::optional<std::pair<std::uint64_t, T>> Pop() {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return !rotation_.empty() || closed_; });
        if (rotation_.empty()) return std::nullopt;
        const std::uint64_t key = rotation_.front();
        rotation_.pop_front();
        Entry& entry = keys_[key];
        entry.in_rotation = false;
        T item = std::move(entry.waiting.front());
        entry.waiting.pop_front();
        --size_;
        ++entry.running;
        MaybeRotate(key, entry);
        return std::make_pair(key, std::move(item));
    }

    // The item of `key` handed out by Pop() is finished.
    void Done(std::uint64_t key) {
        bool wake = false;
        {
            std::lock_guard lock(mutex_);
            auto it = keys_.find(key);
            if (it == keys_.end()) return;
            Entry& entry = it->second;
            if (entry.running > 0) --entry.running;
            wake = MaybeRotate(key, entry);
            if (entry.waiting.empty() && entry.running == 0) keys_.erase(it);
        }
        if (wake) cv_.notify_one();
    }

    // Wakes every Pop(); they return what is still eligible, then nullopt.
    void Close() {
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
        }
        cv_.notify_all();
    }

    // Items waiting (not handed out).
    std::size_t size() const {
        std::lock_guard lock(mutex_);
        return size_;
    }

private:
    struct Entry {
        std::deque<T> waiting;
        int running = 0;
        bool in_rotation = false;
    };

    // Puts `key` in the rotation if it has waiting items and room to run one; true if it did.
    bool MaybeRotate(std::uint64_t key, Entry& entry) {
        if (entry.in_rotation || entry.waiting.empty() || entry.running >= limit_) return false;
        entry.in_rotation = true;
        rotation_.push_back(key);
        return true;
    }

    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::unordered_map<std::uint64_t, Entry> keys_;
    std::deque<std::uint64_t> rotation_;  // keys with an eligible item, in turn order
    std::size_t size_ = 0;
    int limit_;
    bool closed_ = false;
};

}  // namespace gw::http
