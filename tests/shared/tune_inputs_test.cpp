// plan::tune inputs and formatting: PGTune's form limits (configurationForm/validation.js), the
// names PGTune uses for its form values, memory parsing and PGTune's memory format (formatValue).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plan/tune.hpp"
#include "tune_test_util.hpp"

namespace {

using namespace plan::tune;
using Lines = std::vector<std::string>;

using tune_test::Gb;
using tune_test::Input;
using tune_test::Mb;

TEST(TuneInputs, FormatKbUsesTheLargestExactUnit) {
    EXPECT_EQ(FormatKb(1048576), "1GB");
    EXPECT_EQ(FormatKb(3 * 1048576), "3GB");
    EXPECT_EQ(FormatKb(1536 * 1024), "1536MB");
    EXPECT_EQ(FormatKb(2096128), "2047MB");
    EXPECT_EQ(FormatKb(10280), "10280kB");
    EXPECT_EQ(FormatKb(32), "32kB");
}

TEST(TuneInputs, ValidationUsesPgtuneFormLimits) {
    TuneInput ok = Input(16, OsType::Linux, DbType::Web, Mb(512));
    ok.cpu_num = 1;
    ok.connection_num = 20;
    EXPECT_TRUE(ValidateTuneInput(ok).empty());

    auto codes = [](const TuneInput& in) {
        Lines out;
        for (const plan::Diagnostic& d : ValidateTuneInput(in)) out.push_back(d.path + " " + d.code);
        return out;
    };
    TuneInput in = ok;
    in.db_version = 9;
    EXPECT_EQ(codes(in), Lines{"/db_version tune.db_version_unsupported"});
    in.db_version = 19;
    EXPECT_EQ(codes(in), Lines{"/db_version tune.db_version_unsupported"});
    in = ok;
    in.total_memory = Mb(511);
    EXPECT_EQ(codes(in), Lines{"/total_memory tune.memory_too_small"});
    in.total_memory = Gb(0);
    EXPECT_EQ(codes(in), Lines{"/total_memory tune.memory_too_small"});
    in.total_memory = Gb(1000000);
    EXPECT_EQ(codes(in), Lines{"/total_memory tune.memory_too_large"});
    // PGTune's form takes TB since eddc554 (1 to 999999, like GB); kB is still not a unit it offers.
    in.total_memory = Memory{1, MemoryUnit::TB};
    EXPECT_EQ(codes(in), Lines{});
    in.total_memory = Memory{999999, MemoryUnit::TB};
    EXPECT_EQ(codes(in), Lines{});
    in.total_memory = Memory{0, MemoryUnit::TB};
    EXPECT_EQ(codes(in), Lines{"/total_memory tune.memory_too_small"});
    in.total_memory = Memory{1000000, MemoryUnit::TB};
    EXPECT_EQ(codes(in), Lines{"/total_memory tune.memory_too_large"});
    in.total_memory = Memory{4096, MemoryUnit::KB};
    EXPECT_EQ(codes(in), Lines{"/total_memory/unit tune.memory_unit_unsupported"});
    in = ok;
    in.cpu_num = 0;
    in.connection_num = 19;
    EXPECT_EQ(codes(in), (Lines{"/cpu_num tune.cpu_num_out_of_range", "/connection_num tune.connection_num_out_of_range"}));
    in.cpu_num = 1000000;
    in.connection_num = 1000000;
    EXPECT_EQ(codes(in).size(), 2u);
}

TEST(TuneInputs, ParseMemory) {
    auto text = [](std::string_view s) {
        auto m = ParseMemory(s);
        return m ? std::to_string(m->amount) + std::string(ToString(m->unit)) : std::string("none");
    };
    EXPECT_EQ(text("8GB"), "8GB");
    EXPECT_EQ(text("8 gb"), "8GB");
    EXPECT_EQ(text("512MB"), "512MB");
    EXPECT_EQ(text("16"), "16GB");
    EXPECT_EQ(text("1TB"), "1TB");
    EXPECT_EQ(text("2048kB"), "2048KB");
    EXPECT_EQ(text("8.5GB"), "none");
    EXPECT_EQ(text("-1GB"), "none");
    EXPECT_EQ(text("GB"), "none");
    EXPECT_EQ(text("8XB"), "none");
    EXPECT_EQ(MemoryKb(Memory{8, MemoryUnit::GB}), 8388608);
    EXPECT_EQ(MemoryKb(Memory{512, MemoryUnit::MB}), 524288);
    EXPECT_EQ(MemoryKb(Memory{999999, MemoryUnit::TB}), 999999LL << 30);
    // 12 digits of TB would overflow int64 (undefined behaviour); MemoryKb saturates instead.
    EXPECT_EQ(MemoryKb(*ParseMemory("999999999999TB")), kMaxMemoryKb);
    EXPECT_EQ(MemoryKb(Memory{-999999999999, MemoryUnit::TB}), -kMaxMemoryKb);
}

TEST(TuneInputs, NamesRoundTrip) {
    for (DbType t : {DbType::Web, DbType::Oltp, DbType::Dw, DbType::Desktop, DbType::Mixed}) EXPECT_EQ(ParseDbType(ToString(t)), t);
    for (OsType o : {OsType::Linux, OsType::Windows, OsType::Mac}) EXPECT_EQ(ParseOsType(ToString(o)), o);
    for (StorageType s : {StorageType::Ssd, StorageType::Hdd, StorageType::San, StorageType::Nvme}) {
        EXPECT_EQ(ParseStorageType(ToString(s)), s);
    }
    for (DbSize d : {DbSize::LessRam, DbSize::MidRam, DbSize::GreaterRam}) EXPECT_EQ(ParseDbSize(ToString(d)), d);
    EXPECT_FALSE(ParseDbType("WEB").has_value());
    EXPECT_FALSE(ParseStorageType("ssd ").has_value());
}

}  // namespace
