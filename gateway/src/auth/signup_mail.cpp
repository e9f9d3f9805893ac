#include "auth/signup_mail.hpp"

namespace gw {

MailMessage VerifyMail(const std::string& to, const std::string& link) {
    MailMessage m;
    m.to = to;
    m.kind = "signup.verify";
    m.subject = "Finish creating your CloudSketch account";
    m.body =
        "Hello,\n"
        "\n"
        "Someone, we hope you, asked to create a CloudSketch account for " +
        to +
        ".\n"
        "To finish, open this link within 24 hours:\n"
        "\n" +
        link +
        "\n"
        "\n"
        "The link works once. If it has expired, sign up again to get a new one.\n"
        "If it was not you, ignore this mail: no account is made without the link.\n"
        "\n"
        "CloudSketch\n";
    return m;
}

MailMessage TakenMail(const std::string& to, const std::string& login_url) {
    MailMessage m;
    m.to = to;
    m.kind = "signup.taken";
    m.subject = "Someone tried to create a CloudSketch account with your address";
    m.body =
        "Hello,\n"
        "\n"
        "Someone, perhaps you, tried to create a CloudSketch account for " +
        to +
        ".\n"
        "This address already has an account, so nothing was created and nothing changed.\n"
        "\n"
        "If it was you, log in instead:\n"
        "\n" +
        login_url +
        "\n"
        "\n"
        "If it was not you, you can ignore this mail: your account and its password are as they were.\n"
        "\n"
        "CloudSketch\n";
    return m;
}

}  // namespace gw
