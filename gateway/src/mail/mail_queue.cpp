#include "mail/mail_queue.hpp"

namespace gw {

namespace {

constexpr std::chrono::seconds kRetryDelays[] = {std::chrono::seconds(2), std::chrono::seconds(10)};
constexpr std::chrono::seconds kDrainOnStop{5};

// The log names the message's kind and the recipient's domain only: addresses are personal data and
// the text holds a credential (the link).
std::string DomainOf(const std::string& address) {
    const auto at = address.rfind('@');
    return at == std::string::npos ? "" : address.substr(at + 1);
}

}  // namespace

MailQueue::MailQueue(std::unique_ptr<Mailer> mailer, Log& log, std::size_t capacity)
    : mailer_(std::move(mailer)), log_(log), capacity_(capacity), thread_([this] { Run(); }) {}

MailQueue::~MailQueue() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        stop_deadline_ = std::chrono::steady_clock::now() + kDrainOnStop;
    }
    mailer_->GiveUpAt(stop_deadline_);  // a mail server that hangs does not hold the gateway's stop
    wake_.notify_all();
    thread_.join();
}

bool MailQueue::Enqueue(MailMessage message) {
    {
        std::lock_guard lock(mutex_);
        if (queue_.size() < capacity_ && !stopping_) {
            queue_.push_back(std::move(message));
            wake_.notify_one();
            return true;
        }
    }
    log_.Info("mail.dropped", {{"kind", message.kind}, {"to_domain", DomainOf(message.to)}, {"reason", "queue full"}});
    return false;
}

std::size_t MailQueue::pending() {
    std::lock_guard lock(mutex_);
    return queue_.size() + sending_;
}

void MailQueue::Run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, nothing left
        if (stopping_ && std::chrono::steady_clock::now() >= stop_deadline_) {
            log_.Info("mail.dropped", {{"count", queue_.size()}, {"reason", "gateway stopping"}});
            queue_.clear();
            return;
        }
        MailMessage message = std::move(queue_.front());
        queue_.pop_front();
        ++sending_;
        lock.unlock();
        std::optional<MailError> error = mailer_->Send(message);
        for (std::size_t attempt = 0; error && error->retry && attempt < std::size(kRetryDelays); ++attempt) {
            lock.lock();
            const bool stopped = wake_.wait_for(lock, kRetryDelays[attempt], [this] { return stopping_; });
            lock.unlock();
            if (stopped) break;
            error = mailer_->Send(message);
        }
        if (error) {
            log_.Error("mail.failed", "",
                       message.kind + " to a @" + DomainOf(message.to) + " address: " + error->message);
        } else {
            log_.Info("mail.sent",
                      {{"kind", message.kind}, {"via", mailer_->kind()}, {"to_domain", DomainOf(message.to)}});
        }
        lock.lock();
        --sending_;
    }
}

}  // namespace gw
