#include "json_reader.hpp"

#include "edit_distance.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace plan::detail {

std::string_view TypeName(const json& value) {
    switch (value.type()) {
        case json::value_t::null: return "null";
        case json::value_t::object: return "an object";
        case json::value_t::array: return "an array";
        case json::value_t::string: return "a string";
        case json::value_t::boolean: return "true/false";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned: return "a whole number";
        case json::value_t::number_float: return "a number";
        default: return "an unsupported value";
    }
}

std::string ClosestKey(std::string_view key, const std::vector<std::string_view>& allowed) {
    std::string_view best;
    std::size_t best_distance = std::numeric_limits<std::size_t>::max();
    for (std::string_view candidate : allowed) {
        const std::size_t d = EditDistance(key, candidate);
        if (d < best_distance) {
            best_distance = d;
            best = candidate;
        }
    }
    // A suggestion further than a third of the word away is noise, not help.
    return best_distance <= std::max<std::size_t>(2, key.size() / 3) ? std::string(best) : std::string();
}

ObjectReader::ObjectReader(const json& value, std::string path, Diagnostics& out)
    : path_(std::move(path)), out_(out) {
    if (value.is_object()) {
        object_ = &value;
    } else {
        Error(path_, "type.mismatch", "Expected an object here; got " + std::string(TypeName(value)) + ".");
    }
}

std::string ObjectReader::PathOf(std::string_view key) const { return path_ + "/" + PointerToken(std::string(key)); }

void ObjectReader::Error(std::string path, std::string code, std::string message) {
    out_.push_back(Diagnostic{Severity::Error, std::move(path), std::move(code), std::move(message)});
}

bool ObjectReader::Has(std::string_view key) { return Child(key) != nullptr; }

const json* ObjectReader::Child(std::string_view key) {
    known_.push_back(key);
    if (object_ == nullptr) return nullptr;
    auto it = object_->find(key);
    return it == object_->end() ? nullptr : &*it;
}

const json* ObjectReader::Get(std::string_view key, json::value_t want, std::string_view want_name) {
    const json* value = Child(key);
    if (value == nullptr) return nullptr;
    const bool numeric_ok = want == json::value_t::number_float && value->is_number();
    const bool integer_ok = want == json::value_t::number_integer &&
                            (value->is_number_integer() ||
                             (value->is_number_float() && std::trunc(value->get<double>()) == value->get<double>()));
    if (value->type() == want || numeric_ok || integer_ok) return value;
    Error(PathOf(key), "type.mismatch",
          std::string(key) + " must be " + std::string(want_name) + "; got " + std::string(TypeName(*value)) + ".");
    return nullptr;
}

bool ObjectReader::String(std::string_view key, std::string& dst) {
    const json* v = Get(key, json::value_t::string, "a string");
    if (v == nullptr) return false;
    dst = v->get<std::string>();
    return true;
}

bool ObjectReader::Int64(std::string_view key, std::int64_t& dst) {
    const json* v = Get(key, json::value_t::number_integer, "a whole number");
    if (v == nullptr) return false;
    const double as_double = v->get<double>();
    if (as_double < -9.0e15 || as_double > 9.0e15) {
        Error(PathOf(key), "value.out_of_range", std::string(key) + " is far too large.");
        return false;
    }
    dst = v->is_number_float() ? static_cast<std::int64_t>(as_double) : v->get<std::int64_t>();
    return true;
}

bool ObjectReader::Int(std::string_view key, int& dst) {
    std::int64_t wide = 0;
    if (!Int64(key, wide)) return false;
    if (wide < std::numeric_limits<int>::min() || wide > std::numeric_limits<int>::max()) {
        Error(PathOf(key), "value.out_of_range", std::string(key) + " is far too large.");
        return false;
    }
    dst = static_cast<int>(wide);
    return true;
}

bool ObjectReader::Number(std::string_view key, double& dst) {
    const json* v = Get(key, json::value_t::number_float, "a number");
    if (v == nullptr) return false;
    dst = v->get<double>();
    return true;
}

bool ObjectReader::Bool(std::string_view key, bool& dst) {
    const json* v = Get(key, json::value_t::boolean, "true or false");
    if (v == nullptr) return false;
    dst = v->get<bool>();
    return true;
}

bool ObjectReader::StringList(std::string_view key, std::vector<std::string>& dst) {
    const json* v = Get(key, json::value_t::array, "a list of strings");
    if (v == nullptr) return false;
    std::vector<std::string> items;
    bool ok = true;
    for (std::size_t i = 0; i < v->size(); ++i) {
        const json& item = (*v)[i];
        if (item.is_string()) {
            items.push_back(item.get<std::string>());
        } else {
            ok = false;
            Error(PathOf(key) + "/" + std::to_string(i), "type.mismatch",
                  "Each entry of " + std::string(key) + " must be a string; got " + std::string(TypeName(item)) + ".");
        }
    }
    if (ok) dst = std::move(items);
    return ok;
}

void ObjectReader::Finish() {
    if (object_ == nullptr) return;
    for (const auto& [key, value] : object_->items()) {
        if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
        std::string message = "Unknown field \"" + key + "\"";
        const std::string hint = ClosestKey(key, known_);
        message += hint.empty() ? "; remove it." : "; did you mean \"" + hint + "\"?";
        Error(PathOf(key), "field.unknown", message);
    }
}

}  // namespace plan::detail
