// The preview tabs: the same bytes plan_core gives the gateway, or a message that says what to change.
#include <gtest/gtest.h>

#include "editor/previews.hpp"
#include "plan/json.hpp"
#include "plan/transform.hpp"

namespace ui::editor {
namespace {

TEST(EditorPreviews, CsJsonIsTheCanonicalDocument) {
    const plan::Plan p = plan::DefaultPlan("Orders DB");
    const Preview preview = BuildPreview(p, PreviewKind::CsJson);
    EXPECT_EQ(preview.text, plan::DumpPlan(p));
    EXPECT_EQ(preview.filename, "orders-db.cs.json");
}

TEST(EditorPreviews, AwsTemplateIsTheTransformersOutput) {
    const plan::Plan p = plan::DefaultPlan("Orders DB");
    const Preview preview = BuildPreview(p, PreviewKind::Aws);
    const plan::TransformResult expected = plan::Transform(p, plan::Target::AwsCloudFormation);
    ASSERT_FALSE(expected.documents.empty());
    EXPECT_EQ(preview.text, expected.documents[0].text);
    EXPECT_EQ(preview.filename, expected.documents[0].filename);
}

TEST(EditorPreviews, OtherCloudsSayWhatToChange) {
    const Preview azure = BuildPreview(plan::DefaultPlan(), PreviewKind::Azure);
    EXPECT_TRUE(azure.filename.empty());
    EXPECT_NE(azure.text.find("Set the plan's cloud to \"azure\""), std::string::npos) << azure.text;
}

TEST(EditorPreviews, InvalidPlanListsTheProblemsInsteadOfATemplate) {
    plan::Plan p = plan::DefaultPlan();
    std::get<plan::VmSpec>(p.components[0].spec).disk.size_gib = 2;
    const Preview preview = BuildPreview(p, PreviewKind::Aws);
    EXPECT_TRUE(preview.filename.empty());
    EXPECT_NE(preview.text.find("/components/0/disk/size_gib"), std::string::npos) << preview.text;
}

TEST(EditorPreviews, PostgresConfHasReasonsAndFollowsTheHost) {
    plan::Plan p = plan::DefaultPlan();
    const Preview small = BuildPreview(p, PreviewKind::PostgresConf);
    EXPECT_NE(small.text.find("shared_buffers = 1GB"), std::string::npos) << small.text;  // t3.medium: 4 GiB
    EXPECT_NE(small.text.find("# "), std::string::npos);  // every value is preceded by its reason
    auto& hw = std::get<plan::VmSpec>(p.components[0].spec).hardware;
    hw = {"", 4, 16};
    const Preview big = BuildPreview(p, PreviewKind::PostgresConf);
    EXPECT_NE(big.text.find("shared_buffers = 4GB"), std::string::npos) << big.text;
    std::get<plan::PostgresSpec>(p.components[1].spec).host.clear();
    EXPECT_NE(BuildPreview(p, PreviewKind::PostgresConf).text.find("Not tuned yet"), std::string::npos);
}

// A local plan runs on the gateway's machine: tuned for the size its VM asks (here a t3.medium's), as the
// local target does, and no cloud template or cost.
TEST(EditorPreviews, LocalPlanIsTunedForItsVmAndCostsNothing) {
    plan::Plan p = plan::DefaultPlan();
    p.cloud = {"local", "local"};
    const Preview conf = BuildPreview(p, PreviewKind::PostgresConf);
    EXPECT_NE(conf.text.find("# Runs on the gateway's own machine: tuned for 2 vCPU, 4 GiB"), std::string::npos) << conf.text;
    EXPECT_NE(conf.text.find("shared_buffers = 1GB"), std::string::npos) << conf.text;
    std::get<plan::VmSpec>(p.components[0].spec).hardware = {"", 4, 16};
    EXPECT_NE(BuildPreview(p, PreviewKind::PostgresConf).text.find("shared_buffers = 4GB"), std::string::npos);
    const Preview aws = BuildPreview(p, PreviewKind::Aws);
    EXPECT_TRUE(aws.filename.empty());
    EXPECT_NE(aws.text.find("gateway's own machine"), std::string::npos) << aws.text;
    const Preview cost = BuildPreview(p, PreviewKind::Cost);
    EXPECT_NE(cost.text.find("no cloud cost"), std::string::npos) << cost.text;
}

TEST(EditorPreviews, CostHasATotal) {
    const Preview cost = BuildPreview(plan::DefaultPlan(), PreviewKind::Cost);
    EXPECT_NE(cost.text.find("t3.medium"), std::string::npos) << cost.text;
    EXPECT_NE(cost.text.find("USD"), std::string::npos) << cost.text;
}

}  // namespace
}  // namespace ui::editor
