#pragma once
// Outgoing mail (docs/accounts.md "Mail"): a Mailer sends one message; SmtpMailer (smtp_mailer.hpp)
// through an SMTP server, OutboxMailer (outbox_mailer.hpp) into a folder when the gateway has none.
// Messages are plain text, built by FormatMessage so both write the same bytes.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "clock.hpp"

namespace gw {

struct MailMessage {
    std::string to;       // one address, already checked by IsMailableAddress
    std::string subject;  // one line of ASCII
    std::string body;     // text; "\n" line ends (CRLF on the wire)
    std::string kind;     // what it is, for the log ("signup.verify", "signup.taken"); never its text
};

// Why a send failed; `retry` when trying again later may work (the server was down or busy).
struct MailError {
    std::string message;  // never holds a credential or the message's text
    bool retry = false;
};

class Mailer {
public:
    virtual ~Mailer() = default;
    // Delivers `message` (to the SMTP server, or into the outbox); nullopt on success.
    virtual std::optional<MailError> Send(const MailMessage& message) = 0;
    // "smtp" or "outbox": where this gateway's mail goes (the sign-up answer tells the app).
    virtual std::string_view kind() const = 0;
    // Makes a Send in progress (and any later one) give up at `deadline` (the gateway is stopping).
    virtual void GiveUpAt(std::chrono::steady_clock::time_point deadline) { (void)deadline; }
};

// True for an address that can go into a header and an SMTP envelope as it is: local@domain, ASCII
// letters, digits and the atext of RFC 5322 3.2.3 in the local part, letters, digits, "-" and "." in the
// domain. (IsEmailShaped accepts more: those can log in, but no mail could reach them.)
bool IsMailableAddress(std::string_view address);

// The envelope sender inside a From value: "CloudSketch <no-reply@example.com>" -> "no-reply@example.com".
std::string EnvelopeAddress(std::string_view from);

// True for a From value usable in a header: one line of printable ASCII whose EnvelopeAddress is mailable.
bool IsValidFrom(std::string_view from);

// The message as RFC 5322 text with CRLF line ends: Date, From, To, Subject, Message-ID, MIME headers for
// UTF-8 plain text, a blank line, then the body.
std::string FormatMessage(const MailMessage& message, std::string_view from, TimeMs now);

}  // namespace gw
