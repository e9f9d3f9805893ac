#pragma once
// Writes JSON text straight into a string, for the responses the gateway serves most (the plan list that every
// dashboard polls). Building an nlohmann::ordered_json of 20 plan summaries and dumping it cost about 60% of
// the instructions of an authenticated GET /v1/plan/ (callgrind): one allocation per key and value, a linear
// key search per insert, and a UTF-8 decoder run over every output byte. Strings written here come from our
// own store, which holds only text that arrived as valid JSON, so escaping is enough.
#include <array>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gw {

class JsonWriter {
public:
    JsonWriter() { out_.reserve(512); }

    // Starts an object/array, as a value (in an array or after Key) or at the top.
    JsonWriter& BeginObject() { return Open('{'); }
    JsonWriter& EndObject() { return Close('}'); }
    JsonWriter& BeginArray() { return Open('['); }
    JsonWriter& EndArray() { return Close(']'); }
    // A member name inside an object; the next call writes its value.
    JsonWriter& Key(std::string_view key) {
        Separate();
        Quoted(key);
        out_ += ':';
        after_key_ = true;
        return *this;
    }
    JsonWriter& String(std::string_view value) {
        Separate();
        Quoted(value);
        return *this;
    }
    // Text from outside (a request path): invalid UTF-8 sequences are written as U+FFFD.
    JsonWriter& Utf8(std::string_view value) {
        Separate();
        std::string clean;
        std::size_t i = 0;
        while (i < value.size()) {
            const std::size_t n = ValidSequence(value, i);
            if (n == 0) {
                clean += "\xEF\xBF\xBD";
                ++i;
            } else {
                clean.append(value.data() + i, n);
                i += n;
            }
        }
        Quoted(clean);
        return *this;
    }
    JsonWriter& Int(std::int64_t value) {
        Separate();
        char digits[24];
        const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
        out_.append(digits, end);
        return *this;
    }
    // A finite double as JSON writes it (shortest round-trip form); non-finite values become null.
    JsonWriter& Number(double value) {
        Separate();
        if (value != value || value - value != 0) {
            out_ += "null";
            return *this;
        }
        char digits[32];
        const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
        out_.append(digits, end);
        return *this;
    }
    JsonWriter& Bool(bool value) {
        Separate();
        out_ += value ? "true" : "false";
        return *this;
    }
    JsonWriter& Null() {
        Separate();
        out_ += "null";
        return *this;
    }
    // Already-serialised JSON text, written as one value.
    JsonWriter& Raw(std::string_view json) {
        Separate();
        out_.append(json);
        return *this;
    }

    const std::string& text() const { return out_; }
    std::string Take() { return std::move(out_); }

private:
    JsonWriter& Open(char bracket) {
        Separate();
        out_ += bracket;
        first_.push_back(true);
        return *this;
    }
    JsonWriter& Close(char bracket) {
        out_ += bracket;
        first_.pop_back();
        return *this;
    }
    // A comma before every member/element but the first; none right after a key.
    void Separate() {
        if (after_key_) {
            after_key_ = false;
            return;
        }
        if (first_.empty()) return;
        if (first_.back()) {
            first_.back() = false;
        } else {
            out_ += ',';
        }
    }
    void Quoted(std::string_view text) {
        out_.reserve(out_.size() + text.size() + 2);
        static constexpr char kHex[] = "0123456789abcdef";
        out_ += '"';
        static constexpr auto kEscape = [] {
            std::array<bool, 256> table{};
            for (int c = 0; c < 0x20; ++c) table[static_cast<std::size_t>(c)] = true;
            table['"'] = table['\\'] = true;
            return table;
        }();
        std::size_t plain = 0;  // runs of bytes that need no escape are appended at once
        for (std::size_t i = 0; i < text.size(); ++i) {
            const auto c = static_cast<unsigned char>(text[i]);
            if (!kEscape[c]) continue;
            out_.append(text.data() + plain, i - plain);
            plain = i + 1;
            switch (c) {
                case '"': out_ += "\\\""; break;
                case '\\': out_ += "\\\\"; break;
                case '\n': out_ += "\\n"; break;
                case '\r': out_ += "\\r"; break;
                case '\t': out_ += "\\t"; break;
                case '\b': out_ += "\\b"; break;
                case '\f': out_ += "\\f"; break;
                default:
                    out_ += "\\u00";
                    out_ += kHex[c >> 4];
                    out_ += kHex[c & 0xf];
            }
        }
        out_.append(text.data() + plain, text.size() - plain);
        out_ += '"';
    }

    // Length of the valid UTF-8 sequence at `i` (RFC 3629: no overlongs, surrogates or code points past
    // U+10FFFF), or 0.
    static std::size_t ValidSequence(std::string_view s, std::size_t i) {
        const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
        const unsigned char c = b(i);
        if (c < 0x80) return 1;
        std::size_t n = 0;
        unsigned char lo = 0x80, hi = 0xbf;  // the second byte's range
        if (c >= 0xc2 && c <= 0xdf) {
            n = 2;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 3;
            if (c == 0xe0) lo = 0xa0;
            if (c == 0xed) hi = 0x9f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 4;
            if (c == 0xf0) lo = 0x90;
            if (c == 0xf4) hi = 0x8f;
        } else {
            return 0;
        }
        if (i + n > s.size() || b(i + 1) < lo || b(i + 1) > hi) return 0;
        for (std::size_t k = 2; k < n; ++k) {
            if (b(i + k) < 0x80 || b(i + k) > 0xbf) return 0;
        }
        return n;
    }

    std::string out_;
    std::vector<bool> first_;  // per open container: nothing written in it yet
    bool after_key_ = false;
};

}  // namespace gw
