#pragma once
// Lenient readers for JSON from the gateway or the browser's store: a member that is missing or of
// another type reads as empty/0. The gateway may add fields and old stored records may lack new ones;
// either should degrade what is shown, not fail the call.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace ui {

inline std::string Str(const nlohmann::json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

inline std::int64_t Int(const nlohmann::json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

inline double Num(const nlohmann::json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_number() ? it->get<double>() : 0.0;
}

}  // namespace ui
