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
    int exit_code = 0;
    const auto loaded = LoadValidPlan(path, exit_code);
    if (!loaded) {
        if (exit_code == 1) std::fprintf(stderr, "%s: fix these problems to get a cost estimate\n", path.c_str());
        return exit_code;
    }
    const plan::CostEstimate estimate = plan::EstimateMonthlyCost(*loaded);
    if (as_json) {
        std::printf("%s\n", plan::CostEstimateToJson(estimate).dump(2).c_str());
    } else {
        std::fputs(plan::FormatCostEstimate(estimate).c_str(), stdout);
    }
    return 0;
}

}  // namespace cs
