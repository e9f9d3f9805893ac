// Target: the transformer for every cloud (AWS CloudFormation, Azure ARM, GCP Terraform JSON), fed with every
// input that reads as a plan (valid or not: Transform validates first, and the editor's preview calls it
// on whatever the user has typed so far). The plan is rendered for its own cloud and, moved to each other
// cloud (provider, and a region that cloud's catalogue has when the plan's is not), for those too, so one
// corpus reaches all three emitters. Properties:
//  - an error-free result has documents, each a single valid JSON text ending in a newline;
//  - a result with errors has no documents (a half-right template is worse than none);
//  - diagnostics are well formed (code, message, JSON pointer).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "plan/catalog.hpp"
#include "plan/json.hpp"
#include "plan/json_text.hpp"
#include "plan/transform.hpp"

namespace {

struct Cloud {
    plan::Target target;
    const char* provider;
};
constexpr Cloud kClouds[] = {{plan::Target::AwsCloudFormation, "aws"},
                             {plan::Target::AzureArm, "azure"},
                             {plan::Target::GcpTerraform, "gcp"}};

void Render(const plan::Plan& p, plan::Target target) {
    const plan::TransformResult result = plan::Transform(p, target);
    for (const plan::Diagnostic& d : result.diagnostics) {
        FUZZ_CHECK(!d.code.empty());
        FUZZ_CHECK(!d.message.empty());
        FUZZ_CHECK(d.path.empty() || d.path[0] == '/');
    }
    if (plan::HasErrors(result.diagnostics)) {
        FUZZ_CHECK(result.documents.empty());
        return;
    }
    FUZZ_CHECK(!result.documents.empty());
    for (const plan::Document& doc : result.documents) {
        FUZZ_CHECK(!doc.filename.empty());
        FUZZ_CHECK(!doc.text.empty() && doc.text.back() == '\n');
        const plan::JsonText read = plan::ReadJsonText(doc.text);
        if (read.error) std::fprintf(stderr, "%s: %s\n", doc.filename.c_str(), read.error->message.c_str());
        FUZZ_CHECK(!read.error);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const plan::ParseOutcome parsed = plan::ParsePlan(text);
    if (!parsed.plan) return 0;
    for (const Cloud& cloud : kClouds) {
        plan::Plan p = *parsed.plan;
        if (p.cloud.provider != cloud.provider) {
            p.cloud.provider = cloud.provider;
            const auto& regions = plan::InstancePriceSheet(cloud.provider).regions;
            if (!regions.empty() && std::find(regions.begin(), regions.end(), p.cloud.region) == regions.end()) {
                p.cloud.region = regions.front();
            }
        }
        Render(p, cloud.target);
    }
    return 0;
}
