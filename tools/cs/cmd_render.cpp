#include <cstdio>

#include "commands.hpp"
#include "io.hpp"
#include "plan/transform.hpp"
#include "plan/validate.hpp"

namespace cs {

int RunRender(const Args& args) {
    // cs render [--target aws|azure|gcp] FILE|-   (aws when --target is absent)
    plan::Target target = plan::Target::AwsCloudFormation;
    std::vector<std::string> files;
    bool usage_error = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--target" && i + 1 < args.size()) {
            const std::string& name = args[++i];
            if (name == "aws") {
                target = plan::Target::AwsCloudFormation;
            } else if (name == "azure") {
                target = plan::Target::AzureArm;
            } else if (name == "gcp") {
                target = plan::Target::GcpTerraform;
            } else {
                usage_error = true;
            }
        } else if (args[i] == "--target") {
            usage_error = true;
        } else {
            files.push_back(args[i]);
        }
    }
    if (usage_error || files.size() != 1) {
        std::fprintf(stderr,
                     "usage: cs render [--target aws|azure|gcp] FILE|-\n"
                     "  prints the AWS CloudFormation template (default), the Azure ARM template or the\n"
                     "  Google Cloud Terraform JSON configuration for the plan\n");
        return 2;
    }
    int exit_code = 0;
    const auto loaded = LoadValidPlan(files[0], exit_code);
    if (!loaded) return exit_code;
    const plan::TransformResult result = plan::Transform(*loaded, target);
    std::fputs(plan::FormatDiagnostics(result.diagnostics).c_str(), stderr);
    if (result.documents.empty()) return 1;
    for (const plan::Document& d : result.documents) std::fputs(d.text.c_str(), stdout);
    return 0;
}

}  // namespace cs
