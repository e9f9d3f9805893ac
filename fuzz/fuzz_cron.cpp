// Target: the cron parser (shared/src/cron.cpp NextCronTime, shared/src/network.cpp IsValidCron), which reads
// the plan's backup schedule in the browser, the gateway and the scheduler. Input: 8 bytes of "after"
// (int64, little-endian, seconds since the epoch; any value) followed by the schedule text. Properties:
//  - NextCronTime answers only for schedules IsValidCron accepts;
//  - the answer is a whole minute strictly after "after", at most about 5 years later, and asking again
//    from just before it gives it again.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "fuzz_check.hpp"
#include "plan/cron.hpp"
#include "plan/validate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 8) return 0;
    std::uint64_t bits = 0;
    for (int i = 7; i >= 0; --i) bits = (bits << 8) | data[i];
    std::int64_t after = 0;
    std::memcpy(&after, &bits, sizeof after);
    const std::string_view schedule(reinterpret_cast<const char*>(data + 8), size - 8);

    const bool valid = plan::IsValidCron(schedule);
    const auto next = plan::NextCronTime(schedule, after);
    if (!next) return 0;
    FUZZ_CHECK(valid);
    FUZZ_CHECK(*next > after);
    FUZZ_CHECK(*next % 60 == 0);
    constexpr std::int64_t kFiveYears = 366LL * 5 * 86400;
    FUZZ_CHECK(static_cast<std::uint64_t>(*next) - static_cast<std::uint64_t>(after) <= kFiveYears + 86400);
    FUZZ_CHECK(plan::NextCronTime(schedule, *next - 1) == next);
    return 0;
}
