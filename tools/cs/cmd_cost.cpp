// cs cost: the monthly cost estimate of a cs-json plan (plan/cost.hpp) as a table, or as JSON with --json.
#include <cstdio>

#include "commands.hpp"
#include "io.hpp"
#include "plan/cost.hpp"
#include "plan/validate.hpp"

namespace cs {

int RunCost(const Args& args) {
    bool as_json = false;
    std::string path;
    for (const std::string& a : args) {
        if (a == "--json") {
            as_json = true;
        } else if (path.empty()) {
            path = a;
        } else {
            path.clear();
            break;
        }
    }
    if (path.empty()) {
        std::fprintf(stderr, "usage: cs cost [--json] FILE|-\n");
        return 2;
    }
    const auto text = ReadInput(path);
    if (!text) return 2;
    const plan::ParseOutcome outcome = plan::CheckPlan(*text);
    if (!outcome.plan || plan::HasErrors(outcome.diagnostics)) {
        std::fputs(plan::FormatDiagnostics(outcome.diagnostics).c_str(), stderr);
        std::fprintf(stderr, "%s: fix these problems to get a cost estimate\n", path.c_str());
        return 1;
    }
    const plan::CostEstimate estimate = plan::EstimateMonthlyCost(*outcome.plan);
    if (as_json) {
        std::printf("%s\n", plan::CostEstimateToJson(estimate).dump(2).c_str());
    } else {
        std::fputs(plan::FormatCostEstimate(estimate).c_str(), stdout);
    }
    return 0;
}

}  // namespace cs
