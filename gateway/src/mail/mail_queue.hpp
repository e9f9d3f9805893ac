#pragma once
// Sends mail on its own thread, so a request never waits for a mail server (and its latency cannot tell
// one sign-up answer from another). Bounded: when full, new messages are dropped and logged.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "log.hpp"
#include "mail/mailer.hpp"

namespace gw {

class MailQueue {
public:
    // Starts the sending thread. Temporary failures are tried again (after 2 s and 10 s) before the message
    // is given up (logged).
    MailQueue(std::unique_ptr<Mailer> mailer, Log& log, std::size_t capacity = 1000);
    // Sends what is queued for up to 5 s more, then stops; what is left is logged as dropped.
    ~MailQueue();
    MailQueue(const MailQueue&) = delete;
    MailQueue& operator=(const MailQueue&) = delete;

    // Queues `message`; false when the queue is full (the message is dropped and logged).
    bool Enqueue(MailMessage message);
    // "smtp" or "outbox".
    std::string_view kind() const { return mailer_->kind(); }
    // Messages queued or being sent (for tests).
    std::size_t pending();

private:
    void Run();

    std::unique_ptr<Mailer> mailer_;
    Log& log_;
    const std::size_t capacity_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<MailMessage> queue_;
    std::size_t sending_ = 0;
    bool stopping_ = false;
    std::chrono::steady_clock::time_point stop_deadline_{};
    std::thread thread_;  // last: started when everything above exists
};

}  // namespace gw
