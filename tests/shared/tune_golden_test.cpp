// plan::tune against whole PGTune outputs: every case in tests/data/tune/cases.txt has NAME.input
// (the `cs tune` options, one "option: value" per line), NAME.conf (PGTune's postgresql.conf tab)
// and NAME.sql (its ALTER SYSTEM tab). tests/data/tune/README.md says where the expected texts come from.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "plan/tune.hpp"

namespace {

using namespace plan::tune;

std::string ReadData(const std::string& name) {
    std::ifstream file(std::string(CS_TEST_DATA) + "/tune/" + name, std::ios::binary);
    EXPECT_TRUE(file) << "missing test data tune/" << name;
    std::ostringstream s;
    s << file.rdbuf();
    return s.str();
}

std::vector<std::string> Lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) out.push_back(line);
    }
    return out;
}

// "option: value" lines -> TuneInput; fails the test on anything it does not understand.
TuneInput ParseCase(const std::string& name) {
    TuneInput in;
    for (const std::string& line : Lines(ReadData(name + ".input"))) {
        const auto colon = line.find(": ");
        EXPECT_NE(colon, std::string::npos) << name << ": " << line;
        if (colon == std::string::npos) continue;
        const std::string key = line.substr(0, colon);
        const std::string value = line.substr(colon + 2);
        bool ok = true;
        if (key == "version") {
            in.db_version = std::stoi(value);
        } else if (key == "os") {
            auto v = ParseOsType(value);
            ok = v.has_value();
            if (ok) in.os_type = *v;
        } else if (key == "type") {
            auto v = ParseDbType(value);
            ok = v.has_value();
            if (ok) in.db_type = *v;
        } else if (key == "memory") {
            auto v = ParseMemory(value);
            ok = v.has_value();
            if (ok) in.total_memory = *v;
        } else if (key == "cpus") {
            in.cpu_num = std::stoll(value);
        } else if (key == "connections") {
            in.connection_num = std::stoll(value);
        } else if (key == "storage") {
            auto v = ParseStorageType(value);
            ok = v.has_value();
            if (ok) in.hd_type = *v;
        } else if (key == "db-size") {
            auto v = ParseDbSize(value);
            ok = v.has_value();
            if (ok) in.db_size = *v;
        } else {
            ok = false;
        }
        EXPECT_TRUE(ok) << name << ": cannot read '" << line << "'";
    }
    return in;
}

TEST(TuneGolden, EveryCaseMatchesPgtuneTabs) {
    const std::vector<std::string> cases = Lines(ReadData("cases.txt"));
    ASSERT_GE(cases.size(), 30u);
    for (const std::string& name : cases) {
        SCOPED_TRACE(name);
        const TuneInput in = ParseCase(name);
        EXPECT_TRUE(ValidateTuneInput(in).empty()) << plan::FormatDiagnostics(ValidateTuneInput(in));
        const TuneResult result = Tune(in);
        EXPECT_EQ(RenderPostgresqlConf(in, result), ReadData(name + ".conf"));
        EXPECT_EQ(RenderAlterSystem(in, result), ReadData(name + ".sql"));
    }
}

// Each workload, storage, OS, database size and version 10..18 appears in at least one case, so a
// rule that only one of them triggers is held to a whole PGTune output somewhere.
TEST(TuneGolden, CasesCoverEveryInputValue) {
    std::vector<std::string> seen;
    for (const std::string& name : Lines(ReadData("cases.txt"))) {
        const TuneInput in = ParseCase(name);
        seen.push_back("os " + std::string(ToString(in.os_type)));
        seen.push_back("type " + std::string(ToString(in.db_type)));
        seen.push_back("storage " + std::string(ToString(in.hd_type)));
        seen.push_back("size " + std::string(ToString(in.db_size)));
        seen.push_back("version " + std::to_string(in.db_version));
    }
    auto has = [&seen](const std::string& s) { return std::find(seen.begin(), seen.end(), s) != seen.end(); };
    for (const char* v : {"os linux", "os windows", "os mac", "type web", "type oltp", "type dw", "type desktop",
                          "type mixed", "storage ssd", "storage hdd", "storage san", "storage nvme", "size less_ram",
                          "size mid_ram", "size greater_ram"}) {
        EXPECT_TRUE(has(v)) << v;
    }
    for (int version = 10; version <= 18; ++version) EXPECT_TRUE(has("version " + std::to_string(version))) << version;
}

}  // namespace
