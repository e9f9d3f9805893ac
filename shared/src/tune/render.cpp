// PGTune's two output tabs, character for character (configurationView/index.jsx: formatValue,
// hardwareConfiguration, postgresqlConfig, generateConfig).
#include <string>

#include "plan/tune.hpp"

namespace plan::tune {
namespace {

// Lines are joined with "\n" and the text has no trailing newline, as PGTune's join('\n').
void AppendLine(std::string& out, std::string_view line) {
    if (!out.empty()) out += '\n';
    out += line;
}

// PGTune prints the memory amount and unit as typed ("8 GB"), skips CPUs and connections when not
// given, and never prints the database-size input.
std::string InputComments(const TuneInput& in, std::string_view comment) {
    std::string out;
    auto line = [&](std::string_view label, const std::string& value) {
        std::string text(comment);
        text += ' ';
        text += label;
        text += ": ";
        text += value;
        AppendLine(out, text);
    };
    line("DB Version", std::to_string(in.db_version));
    line("OS Type", std::string(ToString(in.os_type)));
    line("DB Type", std::string(ToString(in.db_type)));
    line("Total Memory (RAM)", std::to_string(in.total_memory.amount) + " " + std::string(ToString(in.total_memory.unit)));
    if (in.cpu_num && *in.cpu_num != 0) line("CPUs num", std::to_string(*in.cpu_num));
    if (in.connection_num && *in.connection_num != 0) line("Connections num", std::to_string(*in.connection_num));
    line("Data Storage", std::string(ToString(in.hd_type)));
    return out;
}

std::string Render(const TuneInput& in, const TuneResult& result, bool alter_system) {
    const std::string_view comment = alter_system ? "--" : "#";
    std::string out;
    if (!result.warnings.empty()) {
        // An empty warning still gets "# " (with the space): PGTune maps every item to `# ${item}`.
        for (const std::string& w : result.warnings) AppendLine(out, std::string(comment) + " " + w);
        out += '\n';  // blank line after the warnings
    }
    out += (out.empty() ? "" : "\n") + InputComments(in, comment);
    out += "\n";  // blank line before the settings
    for (const Setting& s : result.settings) {
        out += '\n';
        if (alter_system) {
            out += "ALTER SYSTEM SET " + s.name + " = '" + s.value + "';";
        } else {
            out += s.name + " = " + s.value;
        }
    }
    return out;
}

}  // namespace

std::string FormatKb(std::int64_t kb) {
    constexpr std::int64_t kKbPerMb = 1024;
    constexpr std::int64_t kKbPerGb = 1024 * 1024;
    if (kb % kKbPerGb == 0) return std::to_string(kb / kKbPerGb) + "GB";
    if (kb % kKbPerMb == 0) return std::to_string(kb / kKbPerMb) + "MB";
    return std::to_string(kb) + "kB";
}

std::string RenderPostgresqlConf(const TuneInput& input, const TuneResult& result) { return Render(input, result, false); }

std::string RenderAlterSystem(const TuneInput& input, const TuneResult& result) { return Render(input, result, true); }

}  // namespace plan::tune
