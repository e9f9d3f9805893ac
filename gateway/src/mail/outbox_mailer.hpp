#pragma once
// Mail for a gateway without an SMTP server: each message is one .eml file in a folder the operator reads
// (<data_dir>/mail/outbox/). Folder 0700, files 0600: a sign-up link is a credential.
#include <cstdint>
#include <filesystem>
#include <functional>

#include "mail/mailer.hpp"

namespace gw {

class OutboxMailer final : public Mailer {
public:
    // Creates `folder` (0700) when missing. `clock` dates the messages and names the files.
    OutboxMailer(std::filesystem::path folder, std::string from, Clock clock);

    // Writes "<UTC time>-<count>-<random>.eml" (mode 0600) through a temporary name and a rename, so a reader never
    // sees half a message.
    std::optional<MailError> Send(const MailMessage& message) override;
    std::string_view kind() const override { return "outbox"; }

private:
    std::filesystem::path folder_;
    std::string from_;
    Clock clock_;
    std::uint64_t sent_ = 0;  // Send is called from one thread (the mail queue's)
};

}  // namespace gw
