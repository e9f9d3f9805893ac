// What the canvas writes on each node, and that it is worked out again only when the plan changes.
#include <gtest/gtest.h>

#include "editor/canvas_labels.hpp"
#include "editor/document.hpp"

namespace ui::editor {
namespace {

TEST(EditorCanvasLabels, SayWhatEachNodeIs) {
    Document doc;
    doc.Load(plan::DefaultPlan("Orders"));
    CanvasLabels labels;
    const std::vector<NodeLabel>& shown = labels.Of(doc.Plan(), doc.Version(), "[vm]", "[db]");
    ASSERT_EQ(shown.size(), 2u);
    const plan::Component& vm = doc.Plan().components[0];
    const plan::Component& pg = doc.Plan().components[1];
    EXPECT_EQ(shown[0].title, "[vm]  " + vm.name);
    EXPECT_EQ(shown[0].probe_id, "plan/component/" + vm.id);
    EXPECT_EQ(shown[0].detail.rfind(vm.id + " · ", 0), 0u) << shown[0].detail;
    EXPECT_NE(shown[0].detail.find(" GiB"), std::string::npos) << shown[0].detail;
    EXPECT_EQ(shown[1].title, "[db]  " + pg.name);
    EXPECT_NE(shown[1].detail.find("PostgreSQL " + std::get<plan::PostgresSpec>(pg.spec).version + " on " + vm.id),
              std::string::npos) << shown[1].detail;
}

TEST(EditorCanvasLabels, FollowEditsUndoAndHostChanges) {
    Document doc;
    doc.Load(plan::DefaultPlan("Orders"));
    CanvasLabels labels;
    const std::string vm_id = doc.Plan().components[0].id;
    EXPECT_NE(labels.Of(doc.Plan(), doc.Version(), "", "")[1].detail.find(" on " + vm_id), std::string::npos);

    plan::Component renamed = doc.Plan().components[0];
    renamed.name = "db-host";
    doc.SetComponent(renamed, "Rename");
    EXPECT_EQ(labels.Of(doc.Plan(), doc.Version(), "", "")[0].title, "  db-host");
    doc.Undo();
    EXPECT_EQ(labels.Of(doc.Plan(), doc.Version(), "", "")[0].title, "  " + doc.Plan().components[0].name);

    doc.SelectAll();
    doc.DeleteSelection();
    EXPECT_TRUE(labels.Of(doc.Plan(), doc.Version(), "", "").empty());
}

// A local plan's VM is the gateway's machine: named so, with the size PostgreSQL is tuned for, on two lines.
TEST(EditorCanvasLabels, ALocalVmIsThisMachine) {
    plan::Plan local = plan::DefaultPlan("Here");
    local.cloud = {"local", "local"};  // the default plan's VM is a t3.medium: sized like one (2 vCPU, 4 GiB)
    Document doc;
    doc.Load(local);
    CanvasLabels labels;
    const NodeLabel& vm = labels.Of(doc.Plan(), doc.Version(), "", "")[0];
    EXPECT_EQ(vm.detail, "vm-1 · this machine · 2 vCPU, 4 GiB");
    EXPECT_EQ(vm.detail.substr(0, vm.line1_end), "vm-1 · this machine");
    EXPECT_EQ(vm.detail.substr(vm.line2_begin), "2 vCPU, 4 GiB");

    plan::Component sized = doc.Plan().components[0];
    std::get<plan::VmSpec>(sized.spec).hardware = {"", 8, 32};
    doc.SetComponent(sized, "Size");
    EXPECT_EQ(labels.Of(doc.Plan(), doc.Version(), "", "")[0].detail, "vm-1 · this machine · 8 vCPU, 32 GiB");
}

// Two lines, split before the last part: every version, size and host name is read whole.
TEST(EditorCanvasLabels, SplitTheDetailBeforeItsLastPart) {
    Document doc;
    doc.Load(plan::DefaultPlan("Orders"));
    CanvasLabels labels;
    const std::vector<NodeLabel>& shown = labels.Of(doc.Plan(), doc.Version(), "", "");
    auto line = [](const NodeLabel& l, int i) {
        return i == 0 ? l.detail.substr(0, l.line1_end) : l.detail.substr(l.line2_begin);
    };
    const std::string version = std::get<plan::PostgresSpec>(doc.Plan().components[1].spec).version;
    EXPECT_EQ(line(shown[1], 0), "pg-1 · PostgreSQL " + version);
    EXPECT_EQ(line(shown[1], 1), "on vm-1");
    EXPECT_EQ(line(shown[0], 1), std::to_string(std::get<plan::VmSpec>(doc.Plan().components[0].spec).disk.size_gib) + " GiB");
    EXPECT_EQ(shown[1].subtitle_probe_ids[1], "plan/component/pg-1/subtitle/1");
}

TEST(EditorCanvasLabels, NameAMissingHost) {
    plan::Plan plan = plan::DefaultPlan("Orders");
    auto& pg = std::get<plan::PostgresSpec>(plan.components[1].spec);
    pg.host = "vm-gone";
    EXPECT_NE(NodeSummary(plan, plan.components[1]).find("host missing"), std::string::npos);
    pg.host.clear();
    EXPECT_NE(NodeSummary(plan, plan.components[1]).find("no host"), std::string::npos);
}

}  // namespace
}  // namespace ui::editor
