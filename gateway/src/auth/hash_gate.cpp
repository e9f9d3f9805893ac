#include "auth/hash_gate.hpp"

namespace gw {

PasswordHashGate::PasswordHashGate(int concurrency, int queue, std::chrono::milliseconds max_wait)
    : concurrency_(concurrency < 1 ? 1 : concurrency), queue_(queue < 0 ? 0 : queue), max_wait_(max_wait) {}

std::optional<PasswordHashGate::Permit> PasswordHashGate::Enter() {
    std::unique_lock lock(mutex_);
    if (running_ < concurrency_ && waiting_ == 0) {
        ++running_;
        return Permit(this);
    }
    if (waiting_ >= queue_) return std::nullopt;
    ++waiting_;
    const bool got = freed_.wait_for(lock, max_wait_, [this] { return running_ < concurrency_; });
    --waiting_;
    if (!got) return std::nullopt;
    ++running_;
    return Permit(this);
}

void PasswordHashGate::Leave() {
    {
        std::lock_guard lock(mutex_);
        --running_;
    }
    freed_.notify_one();
}

int PasswordHashGate::running() {
    std::lock_guard lock(mutex_);
    return running_;
}

int PasswordHashGate::waiting() {
    std::lock_guard lock(mutex_);
    return waiting_;
}

}  // namespace gw
