#include "shape.hpp"

namespace plan::detail {
namespace {

bool Lower(char c) { return c >= 'a' && c <= 'z'; }
bool Digit(char c) { return c >= '0' && c <= '9'; }
bool LowerOrDigit(char c) { return Lower(c) || Digit(c); }
bool Hex(char c) { return Digit(c) || (c >= 'a' && c <= 'f'); }

template <typename Pred>
bool All(std::string_view s, Pred pred) {
    for (char c : s) {
        if (!pred(c)) return false;
    }
    return true;
}

// Splits at the first `sep`: returns the head and leaves the rest in `s` (empty when there is none).
std::string_view Take(std::string_view& s, char sep) {
    const auto at = s.find(sep);
    const std::string_view head = s.substr(0, at);
    s = at == std::string_view::npos ? std::string_view() : s.substr(at + 1);
    return head;
}

}  // namespace

bool IsAwsRegionName(std::string_view s) {
    // <2-letter area>[-gov|-iso*]-<direction>-<digit>
    std::string_view area = Take(s, '-');
    if (area.size() != 2 || !All(area, Lower) || s.empty()) return false;
    std::string_view word = Take(s, '-');
    if (word == "gov" || word.substr(0, 3) == "iso") word = Take(s, '-');
    return !word.empty() && All(word, Lower) && s.size() == 1 && Digit(s[0]);
}

bool IsAzureRegionName(std::string_view s) { return !s.empty() && Lower(s[0]) && All(s, LowerOrDigit); }

bool IsGcpRegionName(std::string_view s) {
    const std::string_view area = Take(s, '-');
    if (area.empty() || !All(area, Lower) || s.empty()) return false;
    std::size_t letters = 0;
    while (letters < s.size() && Lower(s[letters])) ++letters;
    return letters > 0 && letters < s.size() && All(s.substr(letters), Digit);
}

bool IsAwsInstanceTypeName(std::string_view s) {
    const std::string_view family = Take(s, '.');
    return !family.empty() && Lower(family[0]) && All(family, [](char c) { return LowerOrDigit(c) || c == '-'; }) &&
           !s.empty() && All(s, LowerOrDigit);
}

bool IsAzureInstanceTypeName(std::string_view s) {
    constexpr std::string_view kPrefix = "Standard_";
    if (s.substr(0, kPrefix.size()) != kPrefix || s.size() == kPrefix.size()) return false;
    return All(s.substr(kPrefix.size()), [](char c) { return LowerOrDigit(c) || (c >= 'A' && c <= 'Z') || c == '_'; });
}

bool IsGcpInstanceTypeName(std::string_view s) {
    const std::string_view family = Take(s, '-');
    return !family.empty() && Lower(family[0]) && All(family, LowerOrDigit) && !s.empty() &&
           All(s, [](char c) { return LowerOrDigit(c) || c == '-'; });
}

bool IsAmiId(std::string_view s) {
    constexpr std::string_view kPrefix = "ami-";
    if (s.substr(0, kPrefix.size()) != kPrefix) return false;
    const std::string_view digits = s.substr(kPrefix.size());
    return (digits.size() == 8 || digits.size() == 17) && All(digits, Hex);
}

bool IsComponentIdShape(std::string_view s) {
    return !s.empty() && s.size() <= 40 && Lower(s[0]) && All(s, [](char c) { return LowerOrDigit(c) || c == '-'; });
}

}  // namespace plan::detail
