#pragma once
// Account rules, as pure functions: email normalisation and shape, password strength.
#include <optional>
#include <string>
#include <string_view>

namespace gw {

// Trims ASCII whitespace and lowercases ASCII letters ("  Ann@Example.COM " -> "ann@example.com").
std::string NormaliseEmail(std::string_view email);

// True for a plausible address: one "@", a non-empty local part, a dotted domain, no spaces or control
// characters, at most 254 bytes. Deliverability is not checked.
bool IsEmailShaped(std::string_view normalised_email);

// A broken password rule: a stable code for clients and a sentence for people.
struct PasswordProblem {
    std::string code;     // "password.too_short" | "password.too_long" | "password.one_class" | "password.is_email"
    std::string message;
};

// The first rule `password` breaks (docs/api.md): at least 10 characters, at most 1024 bytes, not only
// letters or only digits, not the email itself. nullopt when the password is acceptable.
std::optional<PasswordProblem> CheckPassword(std::string_view password, std::string_view normalised_email);

}  // namespace gw
