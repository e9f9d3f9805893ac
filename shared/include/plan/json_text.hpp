#pragma once
// JSON text -> nlohmann::json without ever throwing. Every place that reads JSON from outside the
// process (a plan, a request body, a stored document, a cloud's response) goes through ReadJsonText, so
// malformed text and numbers too large for a double become one error value that names where it broke.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace plan {

// Why and where JSON text could not be read.
struct JsonTextError {
    std::string code;      // "json.syntax" (not JSON) or "json.number_too_large" (a number beyond a double's range)
    std::size_t offset = 0;  // 0-based byte offset of the offending byte (the first byte of a too-large number)
    std::string pointer;   // JSON pointer (RFC 6901) of the value being read when it broke; "" for the document
    std::string message;   // one sentence for a person: what, where (pointer and byte, counted from 1), how to fix
};

// The parsed value, or the first problem in the text (then `value` is null).
struct JsonText {
    nlohmann::json value;
    std::optional<JsonTextError> error;
};

// Parses one JSON document (RFC 8259; nothing but whitespace after it). Never throws, except
// std::bad_alloc. A number whose magnitude exceeds a double (1e999) is "json.number_too_large".
JsonText ReadJsonText(std::string_view text);

}  // namespace plan
