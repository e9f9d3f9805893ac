#pragma once
// What sign-up and log-in need beyond the store (docs/accounts.md): the outgoing mail queue, the cap on
// Argon2id hashes and the sign-up limit per network. Built from the Config; one per gateway.
#include <memory>

#include "auth/hash_gate.hpp"
#include "auth/signup_limiter.hpp"
#include "clock.hpp"
#include "config.hpp"
#include "log.hpp"
#include "mail/mail_queue.hpp"

namespace gw {

struct AccountServices {
    // Mail goes through config.smtp_url (credentials read here from CS_SMTP_USERNAME / CS_SMTP_PASSWORD)
    // or, without one, into <data_dir>/mail/outbox/.
    AccountServices(const Config& config, Log& log, Clock clock);

    PasswordHashGate hash_gate;
    std::unique_ptr<SignupLimiter> signup_limiter;
    MailQueue mail;
};

// The Mailer the config asks for (see AccountServices).
std::unique_ptr<Mailer> MakeMailer(const Config& config, Clock clock);

}  // namespace gw
