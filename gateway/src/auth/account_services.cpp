#include "auth/account_services.hpp"

#include <cstdlib>
#include <filesystem>

#include "mail/outbox_mailer.hpp"
#include "mail/smtp_mailer.hpp"

namespace gw {

std::unique_ptr<Mailer> MakeMailer(const Config& config, Clock clock) {
    if (config.smtp_url.empty()) {
        return std::make_unique<OutboxMailer>(std::filesystem::path(config.data_dir) / "mail" / "outbox",
                                              config.mail_from, std::move(clock));
    }
    SmtpSettings settings;
    settings.url = config.smtp_url;
    settings.from = config.mail_from;
    // From the environment only, never from the config file or flags (which end up in shells' history and
    // in `ps`); the gateway's children get an allowlisted environment without them.
    if (const char* user = std::getenv("CS_SMTP_USERNAME")) settings.username = user;
    if (const char* password = std::getenv("CS_SMTP_PASSWORD")) settings.password = password;
    return std::make_unique<SmtpMailer>(std::move(settings), std::move(clock));
}

AccountServices::AccountServices(const Config& config, Log& log, Clock clock)
    : hash_gate(config.password_hash_concurrency, config.password_hash_queue,
                std::chrono::milliseconds(config.password_hash_wait_ms)),
      signup_limiter(std::make_unique<InMemorySignupLimiter>(config.signups_per_network_per_hour)),
      mail(MakeMailer(config, std::move(clock)), log) {}

}  // namespace gw
