#pragma once
// File and stream helpers for cs commands (the tool does the I/O so plan_core never has to).
#include <optional>
#include <string>

#include "plan/plan.hpp"

namespace cs {

// Reads a whole file, or standard input for "-". Prints the reason to stderr and returns nullopt on failure.
std::optional<std::string> ReadInput(const std::string& path);

// Reads and checks the plan in `path` (cs-json or the short body). Its problems go to stderr. The plan when
// it has no errors; otherwise nullopt, with `exit_code` set to 2 (unreadable) or 1 (invalid).
std::optional<plan::Plan> LoadValidPlan(const std::string& path, int& exit_code);

}  // namespace cs
