#include "aws_tag.hpp"

#include <cstdint>
#include <string_view>

namespace plan::detail {
namespace {

// Code points of blocks where every assigned code point is a letter (\p{L}), so IAM's pattern accepts them.
bool IsKeptLetter(std::uint32_t cp) {
    return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||  // Latin-1 letters, Latin Extended-A/B
           (cp >= 0x391 && cp <= 0x3A1) || (cp >= 0x3A3 && cp <= 0x3CE) ||  // Greek
           (cp >= 0x400 && cp <= 0x481) || (cp >= 0x48A && cp <= 0x4FF) ||  // Cyrillic
           (cp >= 0x3041 && cp <= 0x3096) || (cp >= 0x30A1 && cp <= 0x30FA) ||  // Hiragana, Katakana
           (cp >= 0x4E00 && cp <= 0x9FFF) ||  // CJK unified ideographs
           (cp >= 0xAC00 && cp <= 0xD7A3);    // Hangul syllables
}

bool IsKeptAscii(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("_.:/=+-@").find(c) != std::string_view::npos;
}

// Decodes one UTF-8 sequence at text[i]; returns its length (0: invalid) and sets `cp`.
std::size_t DecodeUtf8(std::string_view text, std::size_t i, std::uint32_t& cp) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char b0 = byte(i);
    std::size_t n = b0 >= 0xF0 && b0 <= 0xF4 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC2 && b0 <= 0xDF ? 2 : 0;
    if (b0 >= 0xF5) n = 0;
    if (n == 0 || i + n > text.size()) return 0;
    cp = b0 & (0x7F >> n);
    for (std::size_t k = 1; k < n; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    return cp < (n == 3 ? 0x800u : n == 4 ? 0x10000u : 0x80u) ? 0 : n;  // overlong forms are invalid
}

}  // namespace

std::string RestrictedTagValue(std::string_view text) {
    constexpr std::size_t kMaxCharacters = 256;
    std::string out;
    std::size_t characters = 0;
    bool pending_space = false;
    for (std::size_t i = 0; i < text.size() && characters < kMaxCharacters;) {
        const char c = text[i];
        std::string_view kept;
        if (static_cast<unsigned char>(c) < 0x80) {
            if (c == ' ' || c == '\t') pending_space = true;
            else if (IsKeptAscii(c)) kept = text.substr(i, 1);
            i += 1;
        } else {
            std::uint32_t cp = 0;
            const std::size_t n = DecodeUtf8(text, i, cp);
            if (n != 0 && IsKeptLetter(cp)) kept = text.substr(i, n);
            i += n == 0 ? 1 : n;
        }
        if (kept.empty()) continue;
        if (pending_space && !out.empty() && characters + 1 < kMaxCharacters) {
            out += ' ';
            ++characters;
        }
        pending_space = false;
        out += kept;
        ++characters;
    }
    return out;
}

}  // namespace plan::detail
