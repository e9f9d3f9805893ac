#pragma once
// Internal: reads one JSON object field by field, recording a diagnostic (with its JSON pointer)
// for every wrong type, and, on Finish(), for every field it was never asked about.
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "plan/diagnostic.hpp"

namespace plan::detail {

using nlohmann::json;

// Name of a JSON value's type as a person would say it ("a string", "a number", ...).
std::string_view TypeName(const json& value);

// The allowed key closest to `key` by edit distance, or "" when none is close.
std::string ClosestKey(std::string_view key, const std::vector<std::string_view>& allowed);

class ObjectReader {
public:
    // `value` must outlive the reader. If it is not an object, one diagnostic is recorded and every
    // read leaves its destination untouched.
    ObjectReader(const json& value, std::string path, Diagnostics& out);

    bool IsObject() const { return object_ != nullptr; }
    const std::string& Path() const { return path_; }
    std::string PathOf(std::string_view key) const;

    // Each reader leaves `dst` unchanged when the key is absent (the in-class default stands) or has
    // the wrong type (and then records "type.mismatch"). They return true when they wrote `dst`.
    bool String(std::string_view key, std::string& dst);
    bool Int(std::string_view key, int& dst);
    bool Int64(std::string_view key, std::int64_t& dst);
    bool Number(std::string_view key, double& dst);
    bool Bool(std::string_view key, bool& dst);
    bool StringList(std::string_view key, std::vector<std::string>& dst);
    // A string field mapped through `parse` (an enum); unknown values give "value.unknown" listing `choices`.
    template <typename E, typename Parse>
    bool Enum(std::string_view key, E& dst, Parse parse, std::string_view choices);

    // The nested value at `key` if present (and marks the key as known), else nullptr.
    const json* Child(std::string_view key);
    // True when `key` is present (marks it known).
    bool Has(std::string_view key);

    // Records "field.unknown" for every key never read, suggesting the closest known one.
    void Finish();

    void Error(std::string path, std::string code, std::string message);

private:
    const json* Get(std::string_view key, json::value_t want, std::string_view want_name);
    const json* object_ = nullptr;
    std::string path_;
    Diagnostics& out_;
    std::vector<std::string_view> known_;
};

template <typename E, typename Parse>
bool ObjectReader::Enum(std::string_view key, E& dst, Parse parse, std::string_view choices) {
    std::string text;
    if (!String(key, text)) return false;
    if (auto value = parse(text)) {
        dst = *value;
        return true;
    }
    Error(PathOf(key), "value.unknown",
          "Unknown value \"" + text + "\" for " + std::string(key) + "; use one of: " + std::string(choices) + ".");
    return false;
}

}  // namespace plan::detail
