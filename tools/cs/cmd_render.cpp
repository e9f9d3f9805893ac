#include <cstdio>

#include "commands.hpp"
#include "io.hpp"
#include "plan/server_config.hpp"
#include "plan/transform.hpp"
#include "plan/validate.hpp"

namespace cs {

int RunRender(const Args& args) {
    if (args.size() != 1) {
        std::fprintf(stderr, "usage: cs render FILE|-   (prints the AWS CloudFormation template)\n");
        return 2;
    }
    const auto text = ReadInput(args[0]);
    if (!text) return 2;
    const plan::ParseOutcome outcome = plan::CheckPlan(*text);
    if (!outcome.plan || plan::HasErrors(outcome.diagnostics)) {
        std::fputs(plan::FormatDiagnostics(outcome.diagnostics).c_str(), stderr);
        return 1;
    }
    const plan::TransformResult result = plan::Transform(*outcome.plan, plan::Target::AwsCloudFormation);
    std::fputs(plan::FormatDiagnostics(result.diagnostics).c_str(), stderr);
    if (result.documents.empty()) return 1;
    for (const plan::Document& d : result.documents) std::fputs(d.text.c_str(), stdout);
    return 0;
}

}  // namespace cs
