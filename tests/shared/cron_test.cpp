// NextCronTime against dates worked out by hand (timegm only turns them into epoch seconds).
#include <ctime>

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "plan/cron.hpp"

namespace {

std::int64_t Utc(int y, int mo, int d, int h, int mi, int s = 0) {
    std::tm t{};
    t.tm_year = y - 1900;
    t.tm_mon = mo - 1;
    t.tm_mday = d;
    t.tm_hour = h;
    t.tm_min = mi;
    t.tm_sec = s;
    return static_cast<std::int64_t>(timegm(&t));
}

TEST(NextCronTime, DailyAtThreeIsLaterTodayOrTomorrow) {
    EXPECT_EQ(plan::NextCronTime("0 3 * * *", Utc(2026, 11, 24, 2, 20)), Utc(2026, 11, 24, 3, 0));
    EXPECT_EQ(plan::NextCronTime("0 3 * * *", Utc(2026, 11, 24, 3, 0)), Utc(2026, 11, 25, 3, 0));  // strictly after
    EXPECT_EQ(plan::NextCronTime("0 3 * * *", Utc(2026, 12, 31, 23, 59, 59)), Utc(2027, 1, 1, 3, 0));
}

TEST(NextCronTime, EveryMinuteAndSteps) {
    EXPECT_EQ(plan::NextCronTime("* * * * *", Utc(2026, 1, 1, 0, 0, 30)), Utc(2026, 1, 1, 0, 1));
    EXPECT_EQ(plan::NextCronTime("*/15 * * * *", Utc(2026, 1, 1, 10, 46)), Utc(2026, 1, 1, 11, 0));
    EXPECT_EQ(plan::NextCronTime("5/20 * * * *", Utc(2026, 1, 1, 10, 26)), Utc(2026, 1, 1, 10, 45));
    EXPECT_EQ(plan::NextCronTime("0 9-17/4 * * *", Utc(2026, 1, 1, 13, 1)), Utc(2026, 1, 1, 17, 0));
    EXPECT_EQ(plan::NextCronTime("10,40 1 * * *", Utc(2026, 1, 1, 1, 10)), Utc(2026, 1, 1, 1, 40));
}

TEST(NextCronTime, WeekdaysAndMonthDays) {
    // 2026-11-24 is a Tuesday; Sunday is 0 and 7.
    EXPECT_EQ(plan::NextCronTime("30 2 * * 0", Utc(2026, 11, 24, 0, 0)), Utc(2026, 11, 29, 2, 30));
    EXPECT_EQ(plan::NextCronTime("30 2 * * 7", Utc(2026, 11, 24, 0, 0)), Utc(2026, 11, 29, 2, 30));
    EXPECT_EQ(plan::NextCronTime("0 0 * * 1-5", Utc(2026, 11, 27, 12, 0)), Utc(2026, 11, 30, 0, 0));  // Fri -> Mon
    EXPECT_EQ(plan::NextCronTime("0 0 1 * *", Utc(2026, 11, 24, 0, 0)), Utc(2026, 12, 1, 0, 0));
    // Both restricted: either matches (the 13th, or any Friday).
    EXPECT_EQ(plan::NextCronTime("0 0 13 * 5", Utc(2026, 11, 24, 0, 0)), Utc(2026, 11, 27, 0, 0));
    EXPECT_EQ(plan::NextCronTime("0 0 31 * *", Utc(2026, 11, 24, 0, 0)), Utc(2026, 12, 31, 0, 0));
}

TEST(NextCronTime, LeapDayAndImpossibleAndInvalid) {
    EXPECT_EQ(plan::NextCronTime("0 12 29 2 *", Utc(2026, 3, 1, 0, 0)), Utc(2028, 2, 29, 12, 0));
    EXPECT_EQ(plan::NextCronTime("0 0 31 2 *", Utc(2026, 1, 1, 0, 0)), std::nullopt);
    EXPECT_EQ(plan::NextCronTime("0 3 * *", 0), std::nullopt);
    EXPECT_EQ(plan::NextCronTime("61 3 * * *", 0), std::nullopt);
}

// Found by fuzz/fuzz_cron.cpp (reproducer in fuzz/regressions/cron/): near INT64_MAX seconds the next firing
// minute times 60 overflowed (undefined behaviour; natively a wrapped, negative "next" time).
TEST(NextCronTime, EndsOfTheInt64ClockDoNotOverflow) {
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    EXPECT_EQ(plan::NextCronTime("6 1-5 * 01 6,2,0-6,7", kMax), std::nullopt);
    EXPECT_EQ(plan::NextCronTime("* * * * *", kMax - 7), std::nullopt);  // the next minute, 775860, is past kMax
    EXPECT_EQ(plan::NextCronTime("* * * * *", kMax - 60), kMax - 7);       // the last whole minute int64 holds
    const auto near_min = plan::NextCronTime("* * * * *", std::numeric_limits<std::int64_t>::min());
    ASSERT_TRUE(near_min.has_value());
    EXPECT_GT(*near_min, std::numeric_limits<std::int64_t>::min());
    EXPECT_EQ(*near_min % 60, 0);
}

}  // namespace
