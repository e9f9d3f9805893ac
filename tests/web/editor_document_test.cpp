// The editor's commands: each edit changes the plan, re-validates, and undoes/redoes exactly; the dirty
// flag follows saves through undo; selection, clipboard and hit testing behave as on the canvas.
#include <gtest/gtest.h>

#include "editor/document.hpp"
#include "editor/viewport.hpp"
#include "plan/json.hpp"

namespace ui::editor {
namespace {

plan::VmSpec& Vm(Document& doc, const std::string& id) {
    return std::get<plan::VmSpec>(const_cast<plan::Plan&>(doc.Plan()).Find(id)->spec);
}
const plan::PostgresSpec& Pg(const Document& doc, const std::string& id) {
    return std::get<plan::PostgresSpec>(doc.Plan().Find(id)->spec);
}

class EditorDocument : public ::testing::Test {
protected:
    void SetUp() override { doc.Load(plan::DefaultPlan("Orders")); }
    std::string Dump() const { return plan::DumpPlan(doc.Plan()); }
    Document doc;
};

TEST_F(EditorDocument, LoadIsCleanWithoutHistory) {
    EXPECT_FALSE(doc.Dirty());
    EXPECT_FALSE(doc.CanUndo());
    EXPECT_FALSE(doc.HasErrors());
    EXPECT_EQ(doc.Plan().components.size(), 2u);
}

TEST_F(EditorDocument, AddComponentGetsFreshIdSnappedPositionAndSelection) {
    const std::string original = Dump();
    const std::string vm = doc.AddComponent(ComponentKind::Vm, {333, 71});
    EXPECT_EQ(vm, "vm-2");
    const plan::Component* added = doc.Plan().Find(vm);
    ASSERT_NE(added, nullptr);
    EXPECT_EQ(added->name, "VM 2");
    EXPECT_DOUBLE_EQ(added->position.x, 340);
    EXPECT_DOUBLE_EQ(added->position.y, 80);
    EXPECT_TRUE(doc.IsSelected(vm));
    EXPECT_TRUE(doc.Dirty());
    EXPECT_FALSE(doc.HasErrors());  // a fresh VM is deployable as it is

    const std::string pg = doc.AddComponent(ComponentKind::Postgres, {0, 0}, vm);
    EXPECT_EQ(pg, "pg-2");
    EXPECT_EQ(Pg(doc, pg).host, vm);
    EXPECT_FALSE(doc.HasErrors());

    EXPECT_TRUE(doc.Undo());
    EXPECT_TRUE(doc.Undo());
    EXPECT_EQ(Dump(), original);
    EXPECT_FALSE(doc.Dirty());  // back where it was loaded
    EXPECT_TRUE(doc.Redo());
    EXPECT_TRUE(doc.Redo());
    EXPECT_EQ(doc.Plan().components.size(), 4u);
    EXPECT_EQ(Pg(doc, "pg-2").host, "vm-2");
}

TEST_F(EditorDocument, PostgresWithoutHostIsAnErrorUntilLinked) {
    const std::string pg = doc.AddComponent(ComponentKind::Postgres, {600, 300});
    ASSERT_TRUE(doc.HasErrors());
    EXPECT_EQ(doc.CurrentProblems().For(pg, "host").size(), 1u);
    const std::string vm = doc.AddComponent(ComponentKind::Vm, {600, 100});
    EXPECT_FALSE(doc.LinkHost(vm, pg));  // wrong way round: refused, nothing recorded
    EXPECT_TRUE(doc.LinkHost(pg, vm));
    EXPECT_FALSE(doc.HasErrors());
    EXPECT_EQ(doc.UndoLabel(), "Host pg-2 on vm-2");
    doc.Undo();
    EXPECT_TRUE(doc.HasErrors());
}

TEST_F(EditorDocument, MoveSnapsAndSkipsNoOps) {
    doc.Move({"vm-1", "pg-1", "nope"}, 47, -3);
    EXPECT_DOUBLE_EQ(doc.Plan().Find("vm-1")->position.x, 160);
    EXPECT_DOUBLE_EQ(doc.Plan().Find("vm-1")->position.y, 120);
    EXPECT_DOUBLE_EQ(doc.Plan().Find("pg-1")->position.x, 460);
    EXPECT_EQ(doc.UndoLabel(), "Move 2 components");
    doc.Move({"vm-1"}, 4, 4);  // rounds back to the same grid point: not an edit
    EXPECT_EQ(doc.UndoLabel(), "Move 2 components");
    doc.Undo();
    EXPECT_DOUBLE_EQ(doc.Plan().Find("vm-1")->position.x, 120);
    EXPECT_FALSE(doc.CanUndo());
}

TEST_F(EditorDocument, SetFieldValidatesLiveAndTypingMergesIntoOneStep) {
    plan::Component vm = *doc.Plan().Find("vm-1");
    for (int size : {2, 20, 200}) {  // typing "200" one key at a time
        std::get<plan::VmSpec>(vm.spec).disk.size_gib = size;
        doc.SetComponent(vm, "Set disk size", "vm-1/disk/size_gib");
        EXPECT_EQ(doc.HasErrors(), size < 8) << size;
    }
    EXPECT_EQ(Vm(doc, "vm-1").disk.size_gib, 200);
    ASSERT_TRUE(doc.Undo());
    EXPECT_EQ(Vm(doc, "vm-1").disk.size_gib, 20);  // one step back to the loaded value
    EXPECT_FALSE(doc.CanUndo());
    EXPECT_FALSE(doc.Dirty());

    // After BreakMerge (the field lost focus) the same field starts a new step.
    std::get<plan::VmSpec>(vm.spec).disk.size_gib = 30;
    doc.SetComponent(vm, "Set disk size", "vm-1/disk/size_gib");
    doc.BreakMerge();
    std::get<plan::VmSpec>(vm.spec).disk.size_gib = 40;
    doc.SetComponent(vm, "Set disk size", "vm-1/disk/size_gib");
    doc.Undo();
    EXPECT_EQ(Vm(doc, "vm-1").disk.size_gib, 30);
}

TEST_F(EditorDocument, HeaderEditsUndo) {
    PlanHeader header{"Orders (prod)", plan::Environment::Production, {"aws", "eu-west-1"}};
    doc.SetHeader(header, "Plan settings");
    EXPECT_EQ(doc.Plan().name, "Orders (prod)");
    EXPECT_EQ(doc.Plan().cloud.region, "eu-west-1");
    doc.SetHeader(header, "Plan settings");  // unchanged: no step
    doc.Undo();
    EXPECT_EQ(doc.Plan().name, "Orders");
    EXPECT_EQ(doc.Plan().environment, plan::Environment::Development);
    EXPECT_FALSE(doc.CanUndo());
}

// Another cloud has other instance types: the VM keeps its size as vCPU + RAM, in the same undo step.
TEST_F(EditorDocument, SwitchingCloudKeepsEachVmsSize) {
    const std::string before = Dump();
    ASSERT_EQ(Vm(doc, "vm-1").hardware.instance_type, "t3.medium");
    doc.SetHeader({"Orders", plan::Environment::Development, {"gcp", "us-central1"}}, "Set plan cloud", "plan/cloud/provider");
    EXPECT_EQ(Vm(doc, "vm-1").hardware.instance_type, "");
    EXPECT_EQ(Vm(doc, "vm-1").hardware.vcpus, 2);
    EXPECT_EQ(Vm(doc, "vm-1").hardware.memory_gib, 4);
    EXPECT_EQ(Vm(doc, "vm-1").os.distribution, "ubuntu") << "no Amazon Linux image on GCP";
    EXPECT_EQ(Vm(doc, "vm-1").os.version, "24.04");
    EXPECT_FALSE(doc.HasErrors()) << "GCP picks its own type for 2 vCPU / 4 GiB";
    doc.SetHeader({"Orders", plan::Environment::Development, {"azure", "eastus"}}, "Set plan cloud", "plan/cloud/provider");
    EXPECT_FALSE(doc.HasErrors());
    doc.Undo();
    doc.Undo();
    EXPECT_EQ(Dump(), before) << "each switch undoes exactly";

    doc.SetHeader({"Orders", plan::Environment::Development, {"local", "local"}}, "Set plan cloud");
    EXPECT_EQ(Vm(doc, "vm-1").hardware.instance_type, "t3.medium") << "a local plan is sized like any catalogue type";
}

TEST_F(EditorDocument, DeleteRestoresOrderOnUndo) {
    doc.AddComponent(ComponentKind::Vm, {0, 400});  // vm-2 at index 2
    const std::string before = Dump();
    doc.Select("vm-1");
    doc.Select("vm-2", /*additive=*/true);
    doc.DeleteSelection();
    ASSERT_EQ(doc.Plan().components.size(), 1u);
    EXPECT_TRUE(doc.Selection().empty());
    // pg-1 lost its VM: validation says so on its host field.
    EXPECT_EQ(doc.CurrentProblems().For("pg-1", "host").size(), 1u);
    doc.Undo();
    EXPECT_EQ(Dump(), before);
    doc.Redo();
    EXPECT_EQ(doc.Plan().components.size(), 1u);
}

TEST_F(EditorDocument, CopyPasteGivesFreshIdsAndKeepsHostingInsideTheCopy) {
    doc.SelectAll();
    doc.CopySelection();
    doc.Paste();
    ASSERT_EQ(doc.Plan().components.size(), 4u);
    EXPECT_EQ(doc.Selection(), (std::set<std::string>{"pg-2", "vm-2"}));
    EXPECT_EQ(Pg(doc, "pg-2").host, "vm-2");
    EXPECT_DOUBLE_EQ(doc.Plan().Find("vm-2")->position.x, 160);
    EXPECT_FALSE(doc.HasErrors());

    // A database pasted without its VM must not share the original's host (one database per VM).
    doc.Select("pg-1");
    doc.CopySelection();
    doc.Paste();
    EXPECT_EQ(Pg(doc, "pg-3").host, "");
    EXPECT_TRUE(doc.HasErrors());
    doc.Undo();
    doc.Undo();
    EXPECT_EQ(doc.Plan().components.size(), 2u);
    EXPECT_FALSE(doc.Dirty());
}

// The system clipboard's form: the copied components as cs-json, pasted back (here or in another document,
// as from another tab) like the app's own clipboard; other text changes nothing.
TEST_F(EditorDocument, ClipboardTextPastesIntoAnotherDocument) {
    EXPECT_EQ(doc.ClipboardText(), "");
    doc.SelectAll();
    doc.CopySelection();
    const std::string text = doc.ClipboardText();
    ASSERT_NE(text.find("\"pg-1\""), std::string::npos) << text;

    Document other;
    other.Load(plan::DefaultPlan("Billing"));
    EXPECT_FALSE(other.PasteText("pg-1"));
    EXPECT_FALSE(other.PasteText("{\"not\": \"a plan\"}"));
    EXPECT_FALSE(other.PasteText("{ broken"));
    EXPECT_EQ(other.Plan().components.size(), 2u);
    EXPECT_FALSE(other.CanUndo());

    ASSERT_TRUE(other.PasteText(text));
    ASSERT_EQ(other.Plan().components.size(), 4u);
    EXPECT_EQ(other.Selection(), (std::set<std::string>{"pg-2", "vm-2"}));
    EXPECT_EQ(Pg(other, "pg-2").host, "vm-2");
    EXPECT_EQ(other.Plan().Find("vm-2")->name, doc.Plan().Find("vm-1")->name + " (copy)");
    EXPECT_EQ(other.Plan().name, "Billing");  // only components are pasted, never the header
    other.Undo();
    EXPECT_EQ(other.Plan().components.size(), 2u);
}

TEST_F(EditorDocument, DirtyFollowsSavesThroughUndo) {
    doc.Move({"vm-1"}, 100, 0);
    const auto before_save = doc.Version();
    doc.MarkSaved(2);
    EXPECT_GT(doc.Version(), before_save);  // previews show the new revision
    EXPECT_FALSE(doc.Dirty());
    EXPECT_EQ(doc.Plan().revision, 2);
    doc.Undo();
    EXPECT_TRUE(doc.Dirty());  // differs from what was saved
    doc.Redo();
    EXPECT_FALSE(doc.Dirty());
    // A field edit right after a save must not merge into the saved step.
    plan::Component vm = *doc.Plan().Find("vm-1");
    vm.name = "primary";
    doc.SetComponent(vm, "Rename", "vm-1/name");
    doc.MarkSaved(3);
    vm.name = "primary-db";
    doc.SetComponent(vm, "Rename", "vm-1/name");
    EXPECT_TRUE(doc.Dirty());
    doc.Undo();
    EXPECT_FALSE(doc.Dirty());
    EXPECT_EQ(doc.Plan().Find("vm-1")->name, "primary");
}

TEST_F(EditorDocument, NewEditClearsRedo) {
    doc.Move({"vm-1"}, 100, 0);
    doc.Undo();
    EXPECT_TRUE(doc.CanRedo());
    doc.Move({"pg-1"}, 0, 100);
    EXPECT_FALSE(doc.CanRedo());
}

TEST_F(EditorDocument, SelectionByClickShiftAndBox) {
    doc.Select("vm-1");
    doc.Select("pg-1", true);
    EXPECT_EQ(doc.Selection().size(), 2u);
    doc.Select("pg-1", true);  // shift-click again toggles off
    EXPECT_EQ(doc.Selection(), std::set<std::string>{"vm-1"});
    EXPECT_EQ(doc.SelectedComponent()->id, "vm-1");
    // Box around the VM's centre only (vm-1 at 120,120; pg-1 at 420,120; boxes 200 x 64).
    doc.SelectInRect({400, 100}, {100, 200});
    EXPECT_EQ(doc.Selection(), std::set<std::string>{"vm-1"});
    doc.SelectInRect({0, 0}, {1000, 1000});
    EXPECT_EQ(doc.Selection().size(), 2u);
    EXPECT_EQ(doc.SelectedComponent(), nullptr);
}

TEST_F(EditorDocument, HitTestFindsTheTopmostNodeAndSkipsTheDraggedOne) {
    EXPECT_EQ(doc.ComponentAt({130, 130}), "vm-1");
    EXPECT_EQ(doc.ComponentAt({120 + kNodeWidth + 1, 130}), "");
    doc.Move({"pg-1"}, -300, 0);  // pg-1 now on top of vm-1
    EXPECT_EQ(doc.ComponentAt({130, 130}), "pg-1");
    EXPECT_EQ(doc.ComponentAt({130, 130}, "pg-1"), "vm-1");
}

TEST_F(EditorDocument, VersionBumpsOnEveryChange) {
    const auto v0 = doc.Version();
    doc.Move({"vm-1"}, 100, 0);
    const auto v1 = doc.Version();
    EXPECT_GT(v1, v0);
    doc.Undo();
    EXPECT_GT(doc.Version(), v1);
}

}  // namespace
}  // namespace ui::editor

namespace ui::editor {
namespace {

TEST(EditorDocumentSave, EditsDuringASaveStayDirty) {
    Document doc;
    doc.Load(plan::DefaultPlan());
    plan::Component vm = *doc.Plan().Find("vm-1");
    vm.name = "a";
    doc.SetComponent(vm, "Rename", "vm-1/name");
    const auto sent = doc.StateId();  // Ctrl+S sends this state
    vm.name = "ab";                   // the user keeps typing while the PUT is in flight
    doc.SetComponent(vm, "Rename", "vm-1/name");
    doc.MarkSaved(2, sent);
    EXPECT_TRUE(doc.Dirty());
    EXPECT_EQ(doc.Plan().revision, 2);
    doc.MarkSaved(3, doc.StateId());
    EXPECT_FALSE(doc.Dirty());
}

}  // namespace
}  // namespace ui::editor
