// JsonWriter against nlohmann's reading of what it wrote, and FormatTimestamp against gmtime + strftime.
#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>

#include <nlohmann/json.hpp>

#include "clock.hpp"
#include "json_writer.hpp"

namespace gw {
namespace {

TEST(JsonWriterTest, WritesWhatAJsonReaderReadsBack) {
    JsonWriter out;
    const std::string tricky = std::string("quote \" backslash \\ nl \n tab \t nul ") + '\0' + " \x1f \xc3\xa9 \xe2\x82\xac";
    out.BeginObject();
    out.Key("s").String(tricky);
    out.Key("i").Int(-9007199254740993);
    out.Key("d").Number(0.1);
    out.Key("inf").Number(1.0 / 0.0);
    out.Key("b").Bool(true);
    out.Key("n").Null();
    out.Key("a").BeginArray().Int(1).BeginObject().EndObject().BeginArray().EndArray().String("x").EndArray();
    out.Key("raw").Raw(R"({"k":[1,2]})");
    out.EndObject();
    const nlohmann::json back = nlohmann::json::parse(out.text());
    JsonWriter bad;
    bad.BeginArray().Utf8("ok \xc3\xa9 \xff \xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xe2\x82").EndArray();
    EXPECT_EQ(nlohmann::json::parse(bad.text())[0].get<std::string>(),
              "ok \xc3\xa9 \xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd "
              "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd");
    EXPECT_EQ(back["s"].get<std::string>(), tricky);
    EXPECT_EQ(back["i"].get<std::int64_t>(), -9007199254740993);
    EXPECT_EQ(back["d"].get<double>(), 0.1);
    EXPECT_TRUE(back["inf"].is_null());
    EXPECT_EQ(back["a"], nlohmann::json::parse(R"([1,{},[],"x"])"));
    EXPECT_EQ(back["raw"]["k"][1], 2);
}

TEST(FormatTimestampTest, MatchesStrftimeAcrossTheCalendar) {
    for (TimeMs ms = 0; ms < 4102444800000LL; ms += 1410934744LL) {  // 1970..2100, odd steps
        const std::time_t seconds = ms / 1000;
        std::tm utc{};
        gmtime_r(&seconds, &utc);
        char expected[32];
        std::strftime(expected, sizeof expected, "%Y-%m-%dT%H:%M:%SZ", &utc);
        ASSERT_EQ(FormatTimestamp(ms), expected) << ms;
    }
    EXPECT_EQ(FormatTimestamp(951782400000), "2000-02-29T00:00:00Z");
}

}  // namespace
}  // namespace gw
