#include "mail/smtp_mailer.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>
#include <mutex>

#include "crypto.hpp"

namespace gw {

namespace {

// The host of smtp[s]://host[:port][/], brackets removed from an IPv6 literal; "" when malformed.
std::string HostOf(std::string_view url) {
    const auto scheme = url.find("://");
    if (scheme == std::string_view::npos) return "";
    std::string_view rest = url.substr(scheme + 3);
    if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
    if (rest.starts_with("[")) {
        const auto close = rest.find(']');
        if (close == std::string_view::npos) return "";
        return std::string(rest.substr(1, close - 1));
    }
    return std::string(rest.substr(0, rest.find(':')));
}

struct Upload {
    const std::string& text;
    std::size_t offset = 0;
};

std::size_t ReadBody(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* upload = static_cast<Upload*>(user);
    const std::size_t n = std::min(size * count, upload->text.size() - upload->offset);
    std::memcpy(buffer, upload->text.data() + upload->offset, n);
    upload->offset += n;
    return n;
}

// libcurl's progress callback: a non-zero return aborts the transfer (the gateway is stopping).
int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    const auto* give_up_at = static_cast<const std::atomic<std::int64_t>*>(user);
    return std::chrono::steady_clock::now().time_since_epoch().count() >= give_up_at->load() ? 1 : 0;
}

struct CurlDeleter {
    void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

}  // namespace

bool IsLoopbackSmtpUrl(std::string_view url) {
    std::string host = HostOf(url);
    for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (host == "localhost") return true;
    // By address, so "127.1" style names of other hosts cannot pass ("127.example.com" is not loopback).
    in_addr v4{};
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    if (inet_pton(AF_INET6, host.c_str(), &v6) != 1) return false;
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
}

std::string CheckSmtpUrl(std::string_view url) {
    if (!url.starts_with("smtp://") && !url.starts_with("smtps://")) {
        return "smtp_url must start with smtp:// (STARTTLS) or smtps:// (TLS); got \"" + std::string(url) + "\".";
    }
    const std::string_view rest = url.substr(url.find("://") + 3);
    for (unsigned char c : rest) {
        if (c <= ' ' || c > '~' || c == '@' || c == '?' || c == '#') {
            return "smtp_url must be smtp[s]://host[:port] with no user, path or query (credentials come from "
                   "CS_SMTP_USERNAME and CS_SMTP_PASSWORD).";
        }
    }
    const auto slash = rest.find('/');
    if (slash != std::string_view::npos && slash + 1 != rest.size()) {
        return "smtp_url must be smtp[s]://host[:port] with no path.";
    }
    if (HostOf(url).empty()) return "smtp_url names no host.";
    return "";
}

SmtpMailer::SmtpMailer(SmtpSettings settings, Clock clock) : settings_(std::move(settings)), clock_(std::move(clock)) {
    static std::once_flag global_init;
    std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

SmtpMailer::~SmtpMailer() {
    Wipe(settings_.password);
    Wipe(settings_.username);
}

void SmtpMailer::GiveUpAt(std::chrono::steady_clock::time_point deadline) {
    give_up_at_.store(deadline.time_since_epoch().count());
}

std::optional<MailError> SmtpMailer::Send(const MailMessage& message) {
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) return MailError{"libcurl could not start a transfer", true};
    const std::string text = FormatMessage(message, settings_.from, clock_());
    Upload upload{text};
    const std::string sender = "<" + EnvelopeAddress(settings_.from) + ">";
    const std::string recipient = "<" + message.to + ">";
    std::unique_ptr<curl_slist, SlistDeleter> recipients(curl_slist_append(nullptr, recipient.c_str()));
    char error[CURL_ERROR_SIZE] = {};

    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, settings_.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    // smtps:// is TLS from the first byte; smtp:// must be upgraded with STARTTLS, except to this machine.
    curl_easy_setopt(
        c, CURLOPT_USE_SSL,
        static_cast<long>(IsLoopbackSmtpUrl(settings_.url) && settings_.url.starts_with("smtp://") ? CURLUSESSL_NONE
                                                                                                   : CURLUSESSL_ALL));
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!settings_.username.empty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, settings_.username.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, settings_.password.c_str());
    }
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, sender.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadBody);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(text.size()));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, settings_.timeout_seconds);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, OnProgress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &give_up_at_);

    const CURLcode code = curl_easy_perform(c);
    if (code == CURLE_OK) return std::nullopt;
    long response = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response);
    // libcurl's messages name the server and the SMTP reply, never the credentials.
    std::string why = std::string(curl_easy_strerror(code)) + (error[0] ? std::string(": ") + error : "");
    if (response > 0) why += " (SMTP " + std::to_string(response) + ")";
    // 4xx replies and network trouble are temporary (RFC 5321 4.2.1); 5xx, TLS and login failures are not.
    const bool retry = (response >= 400 && response < 500) || code == CURLE_COULDNT_CONNECT ||
                       code == CURLE_OPERATION_TIMEDOUT || code == CURLE_COULDNT_RESOLVE_HOST ||
                       code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING;
    return MailError{why, retry};
}

}  // namespace gw
