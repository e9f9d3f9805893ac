#pragma once
// cs-json <-> Plan. The only place nlohmann-json exceptions are caught: every function here
// reports bad input as diagnostics and never throws.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "plan/diagnostic.hpp"
#include "plan/plan.hpp"

namespace plan {

// What reading a document gives: the plan when its shape was readable (it may still carry
// diagnostics, e.g. an unknown field), and every structural problem found, not just the first.
struct ParseOutcome {
    std::optional<Plan> plan;
    Diagnostics diagnostics;
    bool short_body = false;  // the input was the short form; diagnostics point into it, not the full form
};

// Parses cs-json text. Malformed JSON gives one diagnostic "json.syntax" with the byte offset.
// Accepts the short body users already send ({"os", "hardware", "db"}) and normalises it.
ParseOutcome ParsePlan(std::string_view text);

// Same as ParsePlan, for an already-parsed JSON value.
ParseOutcome PlanFromJson(const nlohmann::json& document);

// True when `document` looks like the short body ({"os", "hardware", "db"} without "components").
bool IsShortBody(const nlohmann::json& document);

// The full cs-json form of `plan`, with keys in a fixed order (nlohmann::ordered_json).
nlohmann::ordered_json PlanToJson(const Plan& plan);

// PlanToJson(plan) as text, 2-space indented, ending in a newline. Byte-identical on every platform.
std::string DumpPlan(const Plan& plan);

}  // namespace plan
