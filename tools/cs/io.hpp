#pragma once
// File and stream helpers for cs commands (the tool does the I/O so plan_core never has to).
#include <optional>
#include <string>

namespace cs {

// Reads a whole file, or standard input for "-". Prints the reason to stderr and returns nullopt on failure.
std::optional<std::string> ReadInput(const std::string& path);

}  // namespace cs
