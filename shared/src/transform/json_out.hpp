#pragma once
// Internal: a streaming JSON writer for the emitters, a thin layer over RapidJSON's PrettyWriter.
// Why not nlohmann trees like the rest of shared/: a CloudFormation template is written once, in a
// fixed order, and never read back. Building it as an ordered_json tree cost ~3/4 of Transform's time
// (every node allocated, objects deep-copied when their vectors grow, then a byte-at-a-time escaper);
// streaming writes each byte once. The output is the same text nlohmann's dump(2) gives: two-space
// indent, `"key": value`, `[]`/`{}` when empty.
//
// Usage mirrors the document's shape:
//     out.Object("Properties", [&] {
//         out.Field("VpcId", Ref("VpcId"));
//         out.Array("Tags", [&] { for (...) out.Object([&] { ... }); });
//     });
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

namespace plan::detail {

class JsonOut {
public:
    // `capacity` is a guess of the output size: the buffer grows by copying, which for a template of a
    // megabyte cost more than writing it.
    explicit JsonOut(std::size_t capacity = 64 * 1024) : buffer_(nullptr, capacity), writer_(buffer_) {
        writer_.SetIndent(' ', 2);
    }

    // Scalars: in an object they need a key (Field), in an array they stand alone (Value).
    void Value(std::string_view text) { writer_.String(text.data(), static_cast<rapidjson::SizeType>(text.size())); }
    void Value(const char* text) { Value(std::string_view(text)); }
    void Value(const std::string& text) { Value(std::string_view(text)); }
    void Value(bool flag) { writer_.Bool(flag); }
    void Value(int number) { writer_.Int(number); }
    void Value(std::int64_t number) { writer_.Int64(number); }
    // A value written by a function (an intrinsic such as Ref, an object, an array).
    template <class Fn, class = decltype(std::declval<Fn&>()(std::declval<JsonOut&>()))>
    void Value(Fn&& write) { write(*this); }

    void Key(std::string_view key) { writer_.Key(key.data(), static_cast<rapidjson::SizeType>(key.size())); }
    template <class V>
    void Field(std::string_view key, V&& value) {
        Key(key);
        Value(std::forward<V>(value));
    }

    template <class Body>
    void Object(Body&& body) {
        writer_.StartObject();
        body();
        writer_.EndObject();
    }
    template <class Body>
    void Object(std::string_view key, Body&& body) {
        Key(key);
        Object(std::forward<Body>(body));
    }
    template <class Body>
    void Array(Body&& body) {
        writer_.StartArray();
        body();
        writer_.EndArray();
    }
    template <class Body>
    void Array(std::string_view key, Body&& body) {
        Key(key);
        Array(std::forward<Body>(body));
    }

    // The finished document with a trailing newline. Call once, after the outermost value.
    std::string Take() {
        std::string text;
        text.reserve(buffer_.GetSize() + 1);
        text.append(buffer_.GetString(), buffer_.GetSize());
        text += '\n';
        return text;
    }

private:
    rapidjson::StringBuffer buffer_;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> writer_;
};

}  // namespace plan::detail
