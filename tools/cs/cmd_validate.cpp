#include <cstdio>

#include "commands.hpp"
#include "io.hpp"
#include "plan/validate.hpp"

namespace cs {

int RunValidate(const Args& args) {
    if (args.size() != 1) {
        std::fprintf(stderr, "usage: cs validate FILE|-\n");
        return 2;
    }
    const auto text = ReadInput(args[0]);
    if (!text) return 2;
    const plan::ParseOutcome outcome = plan::CheckPlan(*text);
    std::fputs(plan::FormatDiagnostics(outcome.diagnostics).c_str(), stdout);
    const bool ok = !plan::HasErrors(outcome.diagnostics);
    std::printf("%s: %s\n", args[0].c_str(), ok ? "valid" : "invalid");
    return ok ? 0 : 1;
}

int RunNormalize(const Args& args) {
    if (args.size() != 1) {
        std::fprintf(stderr, "usage: cs normalize FILE|-\n");
        return 2;
    }
    int exit_code = 0;
    const auto loaded = LoadValidPlan(args[0], exit_code);
    if (!loaded) return exit_code;
    std::fputs(plan::DumpPlan(*loaded).c_str(), stdout);
    return 0;
}

}  // namespace cs
