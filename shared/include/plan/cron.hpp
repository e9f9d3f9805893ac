#pragma once
// Five-field cron schedules (minute hour day-of-month month day-of-week, UTC), as the plan's backup
// schedule and /etc/cron.d use them. Pure: time goes in as an argument.
#include <cstdint>
#include <optional>
#include <string_view>

namespace plan {

// The first whole minute strictly after `after_unix_seconds` (seconds since the Unix epoch, UTC) at which
// `schedule` fires, in seconds since the epoch; nullopt when the schedule is not valid (IsValidCron), never
// fires (e.g. "0 0 31 2 *"), or would next fire beyond what int64 seconds hold (an `after` near INT64_MAX). Follows Vixie cron: when both day-of-month and day-of-week are
// restricted (neither starts with "*"), a day matches if either does; day-of-week 0 and 7 are Sunday.
std::optional<std::int64_t> NextCronTime(std::string_view schedule, std::int64_t after_unix_seconds);

}  // namespace plan
