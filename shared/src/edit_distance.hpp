#pragma once
// Internal: Levenshtein distance, for "did you mean" suggestions (unknown fields, unknown instance types).
#include <cstddef>
#include <string_view>

namespace plan::detail {

// Single-character insertions, deletions and substitutions turning `a` into `b`.
std::size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace plan::detail
