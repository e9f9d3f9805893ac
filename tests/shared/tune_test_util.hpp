#pragma once
// Builders shared by the plan::tune tests.
#include <cstdint>

#include "plan/tune.hpp"

namespace tune_test {

// PGTune's four required form inputs; everything else at PGTune's defaults.
inline plan::tune::TuneInput Input(int version, plan::tune::OsType os, plan::tune::DbType type,
                                   plan::tune::Memory memory) {
    plan::tune::TuneInput in;
    in.db_version = version;
    in.os_type = os;
    in.db_type = type;
    in.total_memory = memory;
    return in;
}

constexpr plan::tune::Memory Gb(std::int64_t n) { return plan::tune::Memory{n, plan::tune::MemoryUnit::GB}; }
constexpr plan::tune::Memory Mb(std::int64_t n) { return plan::tune::Memory{n, plan::tune::MemoryUnit::MB}; }

}  // namespace tune_test
