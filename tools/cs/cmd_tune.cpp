// cs tune: PGTune's recommendations for a machine, printed as PGTune's postgresql.conf tab (or its
// ALTER SYSTEM tab with --alter-system). All the rules live in plan_core (plan/tune.hpp).
#include <charconv>
#include <cstdio>
#include <string>
#include <string_view>

#include "commands.hpp"
#include "plan/tune.hpp"

namespace cs {
namespace {

constexpr const char* kTuneUsage =
    "usage: cs tune --memory SIZE [--version 10..18] [--os linux|windows|mac]\n"
    "               [--type web|oltp|dw|desktop|mixed] [--cpus N] [--connections N]\n"
    "               [--storage ssd|hdd|san|nvme] [--db-size less_ram|mid_ram|greater_ram] [--alter-system]\n"
    "  SIZE is an integer with MB, GB or TB (\"8GB\", \"512MB\", \"2TB\"); defaults are PGTune's: version 18, linux,\n"
    "  web, ssd, mid_ram, connections by workload. Exit 1 when PGTune would reject the input.\n";

int UsageError(const std::string& message) {
    std::fprintf(stderr, "cs tune: %s\n%s", message.c_str(), kTuneUsage);
    return 2;
}

std::optional<std::int64_t> ParseInteger(std::string_view text) {
    std::int64_t value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
    return value;
}

}  // namespace

int RunTune(const Args& args) {
    plan::tune::TuneInput input;
    bool have_memory = false;
    bool alter_system = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& flag = args[i];
        if (flag == "--help" || flag == "-h") {
            std::fputs(kTuneUsage, stdout);
            return 0;
        }
        if (flag == "--alter-system") {
            alter_system = true;
            continue;
        }
        if (i + 1 >= args.size()) return UsageError("missing value after " + flag);
        const std::string& value = args[++i];
        bool ok = true;
        if (flag == "--version") {
            auto v = ParseInteger(value);
            ok = v && *v > 0 && *v < 1000;
            if (ok) input.db_version = int(*v);
        } else if (flag == "--os") {
            auto v = plan::tune::ParseOsType(value);
            ok = v.has_value();
            if (ok) input.os_type = *v;
        } else if (flag == "--type") {
            auto v = plan::tune::ParseDbType(value);
            ok = v.has_value();
            if (ok) input.db_type = *v;
        } else if (flag == "--memory") {
            auto v = plan::tune::ParseMemory(value);
            ok = v.has_value();
            if (ok) input.total_memory = *v;
            have_memory = ok;
        } else if (flag == "--cpus") {
            input.cpu_num = ParseInteger(value);
            ok = input.cpu_num.has_value();
        } else if (flag == "--connections") {
            input.connection_num = ParseInteger(value);
            ok = input.connection_num.has_value();
        } else if (flag == "--storage") {
            auto v = plan::tune::ParseStorageType(value);
            ok = v.has_value();
            if (ok) input.hd_type = *v;
        } else if (flag == "--db-size") {
            auto v = plan::tune::ParseDbSize(value);
            ok = v.has_value();
            if (ok) input.db_size = *v;
        } else {
            return UsageError("unknown option " + flag);
        }
        if (!ok) return UsageError("bad value '" + value + "' for " + flag);
    }
    if (!have_memory) return UsageError("--memory is required");

    const plan::Diagnostics problems = plan::tune::ValidateTuneInput(input);
    if (!problems.empty()) {
        std::fputs(plan::FormatDiagnostics(problems).c_str(), stderr);
        return 1;
    }
    const plan::tune::TuneResult result = plan::tune::Tune(input);
    const std::string text = alter_system ? plan::tune::RenderAlterSystem(input, result)
                                          : plan::tune::RenderPostgresqlConf(input, result);
    std::printf("%s\n", text.c_str());
    return 0;
}

}  // namespace cs
