#pragma once
// Mail through an SMTP server, with libcurl. smtp://host[:port] must upgrade with STARTTLS (refused
// without it) unless the host is this machine (a local relay: plain on loopback, nothing to protect on the
// wire); smtps://host[:port] is TLS from the start. Certificates are verified against the system's CAs.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "mail/mailer.hpp"

namespace gw {

struct SmtpSettings {
    std::string url;       // smtp://host:587 or smtps://host:465
    std::string from;      // header From; its address is the envelope sender
    std::string username;  // "" = no AUTH; from CS_SMTP_USERNAME
    std::string password;  // from CS_SMTP_PASSWORD; never logged, wiped on destruction
    long timeout_seconds = 30;
};

class SmtpMailer final : public Mailer {
public:
    SmtpMailer(SmtpSettings settings, Clock clock);
    ~SmtpMailer() override;

    std::optional<MailError> Send(const MailMessage& message) override;
    std::string_view kind() const override { return "smtp"; }
    void GiveUpAt(std::chrono::steady_clock::time_point deadline) override;

private:
    SmtpSettings settings_;
    Clock clock_;
    std::atomic<std::int64_t> give_up_at_{INT64_MAX};  // steady_clock ticks; checked while a transfer runs
};

// True when smtp_url names this machine (localhost, 127.0.0.0/8, ::1): the only place STARTTLS may be
// skipped.
bool IsLoopbackSmtpUrl(std::string_view url);

// "" when `url` is smtp://host[:port] or smtps://host[:port] (no path, user or query); else why not.
std::string CheckSmtpUrl(std::string_view url);

}  // namespace gw
