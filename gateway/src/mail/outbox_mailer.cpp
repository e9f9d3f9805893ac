#include "mail/outbox_mailer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "crypto.hpp"

namespace gw {

OutboxMailer::OutboxMailer(std::filesystem::path folder, std::string from, Clock clock)
    : folder_(std::move(folder)), from_(std::move(from)), clock_(std::move(clock)) {}

std::optional<MailError> OutboxMailer::Send(const MailMessage& message) {
    std::error_code ec;
    std::filesystem::create_directories(folder_, ec);
    if (ec) return MailError{"cannot create the outbox " + folder_.string() + ": " + ec.message(), true};
    // Links in these files are credentials: only the gateway's user may read the folder (also when it
    // existed before with wider rights).
    ::chmod(folder_.parent_path().c_str(), 0700);
    ::chmod(folder_.c_str(), 0700);

    const TimeMs now = clock_();
    const std::string text = FormatMessage(message, from_, now);
    char stamp[32];
    const std::time_t seconds = static_cast<std::time_t>(now / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &utc);
    // Milliseconds, then this process's count (two mails in one millisecond keep their order), then a random
    // part: names sort by when they were written and never collide.
    char sequence[16];
    std::snprintf(sequence, sizeof sequence, "%06llu", static_cast<unsigned long long>(++sent_ % 1000000));
    const std::string name = std::string(stamp) + "." + std::to_string(1000 + now % 1000).substr(1) + "Z-" +
                             sequence + "-" + NewRequestId() + ".eml";
    const std::filesystem::path final_path = folder_ / name;
    const std::filesystem::path temp_path = folder_ / ("." + name + ".tmp");

    const int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return MailError{"cannot write " + temp_path.string() + ": " + std::strerror(errno), true};
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const std::string why = std::strerror(errno);
            ::close(fd);
            ::unlink(temp_path.c_str());
            return MailError{"cannot write " + temp_path.string() + ": " + why, true};
        }
        written += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0 || ::rename(temp_path.c_str(), final_path.c_str()) != 0) {
        const std::string why = std::strerror(errno);
        ::unlink(temp_path.c_str());
        return MailError{"cannot write " + final_path.string() + ": " + why, true};
    }
    return std::nullopt;
}

}  // namespace gw
