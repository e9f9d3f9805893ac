#include "accounts.hpp"

#include <algorithm>
#include <cctype>

namespace gw {

std::string NormaliseEmail(std::string_view email) {
    auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
    while (!email.empty() && is_space(email.front())) email.remove_prefix(1);
    while (!email.empty() && is_space(email.back())) email.remove_suffix(1);
    std::string out(email);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

bool IsEmailShaped(std::string_view e) {
    if (e.empty() || e.size() > 254) return false;
    for (unsigned char c : e) {
        if (c <= ' ' || c == 0x7f) return false;
    }
    const auto at = e.find('@');
    if (at == std::string_view::npos || at == 0 || e.find('@', at + 1) != std::string_view::npos) return false;
    const std::string_view domain = e.substr(at + 1);
    const auto dot = domain.find('.');
    return dot != std::string_view::npos && dot != 0 && domain.back() != '.' && domain.find("..") == std::string_view::npos;
}

std::optional<PasswordProblem> CheckPassword(std::string_view password, std::string_view normalised_email) {
    // Characters, not bytes: count every byte that does not continue a UTF-8 sequence.
    const auto characters = std::count_if(password.begin(), password.end(),
                                          [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
    if (characters < 10) {
        return PasswordProblem{"password.too_short", "The password must be at least 10 characters long."};
    }
    if (password.size() > 1024) {
        return PasswordProblem{"password.too_long", "The password must be at most 1024 bytes long."};
    }
    const bool all_letters = std::all_of(password.begin(), password.end(),
                                         [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
    const bool all_digits = std::all_of(password.begin(), password.end(),
                                        [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
    if (all_letters || all_digits) {
        return PasswordProblem{"password.one_class",
                               "The password must mix character kinds: not only letters, not only digits."};
    }
    if (NormaliseEmail(password) == normalised_email) {
        return PasswordProblem{"password.is_email", "The password must not be the email address."};
    }
    return std::nullopt;
}

}  // namespace gw
