#include "mail/mailer.hpp"

#include <sodium.h>

#include <array>
#include <cctype>
#include <cstdio>
#include <ctime>

namespace gw {

namespace {

bool IsAtext(unsigned char c) {
    return std::isalnum(c) ||
           std::string_view("!#$%&'*+-/=?^_`{|}~").find(static_cast<char>(c)) != std::string_view::npos;
}

// Lines of `text` with CRLF ends (a lone "\r" or "\n" becomes CRLF too, so no bare CR or LF reaches SMTP).
std::string Crlf(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 32);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r') {
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
            out += "\r\n";
        } else if (text[i] == '\n') {
            out += "\r\n";
        } else {
            out += text[i];
        }
    }
    if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
    return out;
}

}  // namespace

bool IsMailableAddress(std::string_view a) {
    if (a.empty() || a.size() > 254) return false;
    const auto at = a.find('@');
    if (at == std::string_view::npos || at == 0 || at > 64 || a.find('@', at + 1) != std::string_view::npos) {
        return false;
    }
    const std::string_view local = a.substr(0, at);
    const std::string_view domain = a.substr(at + 1);
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) return false;
    for (unsigned char c : local) {
        if (!IsAtext(c) && c != '.') return false;
    }
    if (domain.empty() || domain.front() == '.' || domain.back() == '.' || domain.find('.') == std::string_view::npos ||
        domain.find("..") != std::string_view::npos) {
        return false;
    }
    for (unsigned char c : domain) {
        if (!std::isalnum(c) && c != '-' && c != '.') return false;
    }
    return true;
}

std::string EnvelopeAddress(std::string_view from) {
    const auto open = from.rfind('<');
    const auto close = from.rfind('>');
    if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
        return std::string(from.substr(open + 1, close - open - 1));
    }
    return std::string(from);
}

bool IsValidFrom(std::string_view from) {
    if (from.empty() || from.size() > 320) return false;
    for (unsigned char c : from) {
        if (c < 0x20 || c > 0x7e) return false;
    }
    return IsMailableAddress(EnvelopeAddress(from));
}

std::string FormatMessage(const MailMessage& message, std::string_view from, TimeMs now) {
    const std::time_t seconds = static_cast<std::time_t>(now / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    // RFC 5322 3.3 date-time; names spelled out because strftime's %a/%b follow the locale.
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char date[64];
    std::snprintf(date, sizeof date, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[utc.tm_wday], utc.tm_mday,
                  kMonths[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
    std::array<unsigned char, 12> id{};
    randombytes_buf(id.data(), id.size());
    std::string id_hex(id.size() * 2 + 1, '\0');
    sodium_bin2hex(id_hex.data(), id_hex.size(), id.data(), id.size());
    id_hex.pop_back();
    const std::string sender = EnvelopeAddress(from);
    const std::string domain = sender.substr(sender.find('@') + 1);

    std::string text;
    text += "Date: " + std::string(date) + "\r\n";
    text += "From: " + std::string(from) + "\r\n";
    text += "To: <" + message.to + ">\r\n";
    text += "Subject: " + message.subject + "\r\n";
    text += "Message-ID: <" + id_hex + "@" + domain + ">\r\n";
    text += "MIME-Version: 1.0\r\n";
    text += "Content-Type: text/plain; charset=utf-8\r\n";
    text += "Content-Transfer-Encoding: 8bit\r\n";
    text += "\r\n";
    text += Crlf(message.body);
    return text;
}

}  // namespace gw
