// Diagnostics located for the editor: by component id and field, for the canvas, properties and problems list.
#include <gtest/gtest.h>

#include "editor/problems.hpp"

namespace ui::editor {
namespace {

TEST(EditorProblems, DefaultPlanHasNone) {
    EXPECT_TRUE(Problems::Of(plan::DefaultPlan()).All().empty());
}

TEST(EditorProblems, LocatesAComponentField) {
    plan::Plan p = plan::DefaultPlan();
    std::get<plan::VmSpec>(p.components[0].spec).disk.size_gib = 3;
    const Problems problems = Problems::Of(p);
    ASSERT_EQ(problems.All().size(), 1u);
    const Problem& problem = problems.All()[0];
    EXPECT_EQ(problem.component, "vm-1");
    EXPECT_EQ(problem.field, "disk/size_gib");
    EXPECT_EQ(problem.diagnostic.code, "disk.size_out_of_range");
    EXPECT_NE(problem.diagnostic.message.find("between 8 and"), std::string::npos) << problem.diagnostic.message;
    EXPECT_TRUE(problems.HasErrors());
    EXPECT_TRUE(problems.ComponentHasError("vm-1"));
    EXPECT_FALSE(problems.ComponentHasError("pg-1"));
    EXPECT_EQ(problems.For("vm-1", "disk").size(), 1u);       // a parent field sees its children's problems
    EXPECT_EQ(problems.For("vm-1", "disk/size_gib").size(), 1u);
    EXPECT_TRUE(problems.For("vm-1", "disk/type").empty());
    EXPECT_TRUE(problems.For("vm-1", "dis").empty());         // not a prefix match on names
}

TEST(EditorProblems, PlanLevelAndUnknownPaths) {
    plan::Plan p = plan::DefaultPlan();
    p.name.clear();
    const Problems problems = Problems::Of(p);
    ASSERT_FALSE(problems.All().empty());
    EXPECT_EQ(problems.All()[0].component, "");
    EXPECT_EQ(problems.All()[0].field, "name");
    // A pointer past the end of the component list stays plan-level rather than guessing a component.
    const Problem odd = Locate(p, {plan::Severity::Error, "/components/9/disk", "x", "y"});
    EXPECT_EQ(odd.component, "");
    EXPECT_EQ(odd.field, "components/9/disk");
}

}  // namespace
}  // namespace ui::editor
