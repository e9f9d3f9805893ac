// cs: the command-line face of shared/ (plan_core). Dispatches to one function per subcommand.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"

namespace {

struct Command {
    std::string_view name;
    int (*run)(const cs::Args&);
    std::string_view summary;
};

constexpr Command kCommands[] = {
    {"validate", cs::RunValidate, "check a cs-json plan and list every problem (exit 1 if any error)"},
    {"normalize", cs::RunNormalize, "print the full canonical cs-json form of a plan (short bodies too)"},
    {"render", cs::RunRender, "print the plan's deployable document (--target aws|azure|gcp; default aws)"},
    {"tune", cs::RunTune, "PGTune's PostgreSQL settings for a machine (cs tune --help)"},
    {"catalog", cs::RunCatalog, "instance types and prices of a cloud region (cs catalog --help)"},
    {"cost", cs::RunCost, "monthly cost estimate of a cs-json plan, with its assumptions"},
};

int Usage(FILE* out) {
    std::fprintf(out, "usage: cs <command> [arguments]   (FILE may be - for standard input)\n\ncommands:\n");
    for (const Command& c : kCommands) {
        std::fprintf(out, "  %-10s %.*s\n", std::string(c.name).c_str(), int(c.summary.size()), c.summary.data());
    }
    return out == stdout ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) return Usage(stderr);
    const std::string_view name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") return Usage(stdout);
    const cs::Args args(argv + 2, argv + argc);
    for (const Command& c : kCommands) {
        if (c.name == name) return c.run(args);
    }
    std::fprintf(stderr, "cs: unknown command '%s'\n\n", argv[1]);
    return Usage(stderr);
}
