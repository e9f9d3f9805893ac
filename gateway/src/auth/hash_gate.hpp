#pragma once
// A cap on Argon2id hashes running at once. Each costs 64 MiB (crypto.hpp HashPassword), so a flood of
// sign-ups or log-ins could otherwise take cap x 64 MiB of memory for any cap the HTTP workers allow.
// Beyond the cap a request waits briefly in a bounded line, then is told to come back (503).
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>

namespace gw {

class PasswordHashGate {
public:
    // `concurrency` hashes at once (>= 1), at most `queue` requests waiting (>= 0), each for `max_wait`.
    PasswordHashGate(int concurrency, int queue, std::chrono::milliseconds max_wait);

    // Holds one of the slots; gives it back when destroyed.
    class Permit {
      public:
        explicit Permit(PasswordHashGate* gate) : gate_(gate) {}
        Permit(Permit&& other) noexcept : gate_(other.gate_) { other.gate_ = nullptr; }
        Permit(const Permit&) = delete;
        Permit& operator=(const Permit&) = delete;
        Permit& operator=(Permit&&) = delete;
        ~Permit() {
            if (gate_) gate_->Leave();
        }

      private:
        PasswordHashGate* gate_;
    };

    // A slot now, or after waiting in line up to max_wait; nullopt when the line is full or the wait ran
    // out (answer 503 with Retry-After).
    std::optional<Permit> Enter();

    int running();  // slots held now
    int waiting();  // requests in line now

private:
    void Leave();

    const int concurrency_;
    const int queue_;
    const std::chrono::milliseconds max_wait_;
    std::mutex mutex_;
    std::condition_variable freed_;
    int running_ = 0;
    int waiting_ = 0;
};

}  // namespace gw
