#pragma once
// The two mails of sign-up (docs/accounts.md), in the product's words.
#include <string>

#include "mail/mailer.hpp"

namespace gw {

// How long a sign-up link works.
inline constexpr TimeMs kSignupLinkLifetimeMs = TimeMs{24} * 3600 * 1000;

// To a new address: the link that creates the account, `<public_url>/#verify/<token>`.
MailMessage VerifyMail(const std::string& to, const std::string& link);

// To the owner of an address that already has an account: someone tried to sign up with it; nothing
// changed; `login_url` to log in.
MailMessage TakenMail(const std::string& to, const std::string& login_url);

}  // namespace gw
