// ReadJsonText: nlohmann's own DOM builder driven through a SAX wrapper that remembers where it is.
// json::parse(text, nullptr, false) would not throw either, but it only says "discarded": not where, and
// not that the text was JSON with a number beyond a double (nlohmann reports that as out_of_range 406, which
// callers catching parse_error let escape: issue 12, item 11). The wrapper keeps the JSON pointer of the value
// being read, so the error can name the field as well as the byte.
#include "plan/json_text.hpp"

#include <string>
#include <vector>

#include "plan/diagnostic.hpp"

namespace plan {
namespace {

using nlohmann::json;

// nlohmann's error ids (https://json.nlohmann.me/home/exceptions/): 406 is "number overflow parsing".
constexpr int kNumberOverflow = 406;

class LocatingSax {
public:
    explicit LocatingSax(json& root) : dom_(root, /*allow_exceptions=*/false) {}

    bool null() { return Scalar(), dom_.null(); }
    bool boolean(bool v) { return Scalar(), dom_.boolean(v); }
    bool number_integer(json::number_integer_t v) { return Scalar(), dom_.number_integer(v); }
    bool number_unsigned(json::number_unsigned_t v) { return Scalar(), dom_.number_unsigned(v); }
    bool number_float(json::number_float_t v, const json::string_t& s) { return Scalar(), dom_.number_float(v, s); }
    bool string(json::string_t& v) { return Scalar(), dom_.string(v); }
    bool binary(json::binary_t& v) { return Scalar(), dom_.binary(v); }
    bool start_object(std::size_t n) {
        Open(false);
        return dom_.start_object(n);
    }
    bool key(json::string_t& k) {
        frames_.back().key = k;
        return dom_.key(k);
    }
    bool end_object() {
        Close();
        return dom_.end_object();
    }
    bool start_array(std::size_t n) {
        Open(true);
        return dom_.start_array(n);
    }
    bool end_array() {
        Close();
        return dom_.end_array();
    }

    bool parse_error(std::size_t position, const std::string& last_token, const nlohmann::detail::exception& ex) {
        JsonTextError error;
        error.pointer = Pointer();
        if (ex.id == kNumberOverflow) {
            // `position` counts the bytes read, up to the number's end; its first byte is what a person looks for.
            error.code = "json.number_too_large";
            error.offset = position >= last_token.size() ? position - last_token.size() : 0;
            error.message = "The number " + Shorten(last_token) + Where(error) +
                            " is too large to read (a number's magnitude must be below about 1.8e308); write a "
                            "smaller number there.";
        } else {
            // nlohmann counts bytes read (1-based), so the offending byte's 0-based offset is one less.
            error.code = "json.syntax";
            error.offset = position > 0 ? position - 1 : 0;
            error.message = "The text is not valid JSON (error" + Where(error) +
                            "); check for a missing comma, quote or bracket there.";
        }
        error_ = std::move(error);
        // Forwarded so the DOM builder marks itself failed; it does not throw when built without exceptions.
        dom_.parse_error(position, last_token, ex);
        return false;
    }

    std::optional<JsonTextError>& Error() { return error_; }

private:
    struct Frame {
        bool array;
        std::size_t index;               // arrays: the index of the value being read (or to be read next)
        std::optional<std::string> key;  // objects: the key whose value is being read; empty between members
    };

    // A scalar value was read whole: an array moves to its next index, an object's key is done.
    void Scalar() {
        if (frames_.empty()) return;
        if (frames_.back().array) {
            ++frames_.back().index;
        } else {
            frames_.back().key.reset();
        }
    }
    void Open(bool array) { frames_.push_back({array, 0, std::nullopt}); }
    // The container just closed was its parent's value being read: that value is now whole.
    void Close() {
        frames_.pop_back();
        Scalar();
    }

    // Pointer of the value being read when the error came: down to the innermost object with a pending key
    // or array; an object between members points at itself.
    std::string Pointer() const {
        std::string out;
        for (const Frame& f : frames_) {
            if (f.array) {
                out += "/" + std::to_string(f.index);
            } else if (f.key) {
                out += "/" + PointerToken(*f.key);
            } else {
                break;
            }
        }
        return out;
    }

    static std::string Where(const JsonTextError& e) {
        std::string at = " at byte " + std::to_string(e.offset + 1);
        if (!e.pointer.empty()) at += " (" + Shorten(e.pointer) + ")";
        return at;
    }

    // Keeps messages one readable line however long the token or pointer (the bytes are the user's own).
    static std::string Shorten(const std::string& text) {
        constexpr std::size_t kMax = 80;
        return text.size() <= kMax ? text : text.substr(0, kMax) + "…";
    }

    nlohmann::detail::json_sax_dom_parser<json> dom_;
    std::vector<Frame> frames_;
    std::optional<JsonTextError> error_;
};

}  // namespace

JsonText ReadJsonText(std::string_view text) {
    JsonText out;
    LocatingSax sax(out.value);
    const bool ok = json::sax_parse(text.begin(), text.end(), &sax);
    if (!ok || sax.Error()) {
        out.value = nullptr;
        out.error = std::move(sax.Error());
        if (!out.error) out.error = JsonTextError{"json.syntax", 0, "", "The text is not valid JSON."};
    }
    return out;
}

}  // namespace plan
