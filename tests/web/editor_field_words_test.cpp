// The words the conflict dialog uses for a difference between two versions of a plan: the properties
// panel's labels and units, components matched by id, one line per differing field.
#include <gtest/gtest.h>

#include "editor/field_words.hpp"
#include "plan/json.hpp"

namespace ui::editor {
namespace {

using nlohmann::json;

json DefaultPlanJson() { return json::parse(plan::DumpPlan(plan::DefaultPlan("Inventory"))); }

json& Component(json& plan, const std::string& id) {
    for (json& c : plan["components"]) {
        if (c["id"] == id) return c;
    }
    throw std::runtime_error("no component " + id);
}

TEST(FieldWords, PanelLabelsCarryTheirUnit) {
    EXPECT_EQ(PanelLabel("disk/size_gib"), "Disk size (GiB)");
    EXPECT_EQ(PanelLabel("hardware/memory_gib"), "RAM (GiB)");
    EXPECT_EQ(PanelLabel("backups/retention_days"), "Keep (days)");
    EXPECT_EQ(PanelLabel("name", /*plan_level=*/true), "Plan name");
    EXPECT_EQ(WordsFor("cloud/region", true).label, "Region");
    EXPECT_EQ(WordsFor("some_new/max_wal_size", false).label, "Max wal size");  // unknown: its own words
}

TEST(FieldWords, ValuesInWords) {
    EXPECT_EQ(ValueInWords(250, "GiB"), "250 GiB");
    EXPECT_EQ(ValueInWords(15.5, "GiB"), "15.5 GiB");
    EXPECT_EQ(ValueInWords(true, ""), "yes");
    EXPECT_EQ(ValueInWords("", ""), "(none)");
    EXPECT_EQ(ValueInWords(json(), ""), "(none)");
    EXPECT_EQ(ValueInWords(json::array({"10.0.0.0/16", "192.168.1.0/24"}), ""), "10.0.0.0/16, 192.168.1.0/24");
    EXPECT_EQ(ValueInWords(json{{"x", 120}, {"y", 80}}, ""), "120, 80");
}

TEST(FieldWords, DiskSizeDifferenceInTheProductsWords) {
    json mine = DefaultPlanJson();
    json theirs = mine;
    Component(mine, "vm-1")["disk"]["size_gib"] = 250;
    Component(theirs, "vm-1")["disk"]["size_gib"] = 350;
    theirs["revision"] = 7;  // bookkeeping, never a difference
    const auto lines = DescribeDifferences(mine, theirs, ", changed at 14:02 on 4 Dec");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].rfind("Disk size: 250 GiB (this device) / 350 GiB (server, changed at 14:02 on 4 Dec) · VM \"", 0),
              0u)
        << lines[0];
}

TEST(FieldWords, PlanFieldsFirstThenComponentsInPanelOrder) {
    json mine = DefaultPlanJson();
    json theirs = mine;
    mine["name"] = "Inventory (mine)";
    Component(mine, "vm-1")["disk"]["size_gib"] = 100;
    Component(mine, "vm-1")["hardware"] = {{"vcpus", 8}, {"memory_gib", 32}};
    Component(theirs, "vm-1")["position"] = {{"x", 400}, {"y", 80}};
    const auto lines = DescribeDifferences(mine, theirs, "");
    ASSERT_GE(lines.size(), 4u);
    EXPECT_EQ(lines[0], "Plan name: Inventory (mine) (this device) / Inventory (server)");
    // Panel order: size (instance type, vCPUs, RAM), then disk, then the position.
    std::size_t vcpus = lines.size(), disk = lines.size(), position = lines.size();
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].rfind("vCPUs: 8 (this device)", 0) == 0) vcpus = i;
        if (lines[i].rfind("Disk size: 100 GiB (this device)", 0) == 0) disk = i;
        if (lines[i].rfind("Position on the canvas: ", 0) == 0) position = i;
    }
    EXPECT_LT(vcpus, disk);
    EXPECT_LT(disk, position);
    EXPECT_LT(position, lines.size());
}

TEST(FieldWords, ComponentsMatchByIdNotPosition) {
    json mine = DefaultPlanJson();
    json theirs = mine;
    // Theirs has the same components in another order plus one more: only that one differs.
    std::reverse(theirs["components"].begin(), theirs["components"].end());
    json extra = Component(theirs, "vm-1");
    extra["id"] = "vm-9";
    extra["name"] = "reporting";
    theirs["components"].push_back(extra);
    const auto lines = DescribeDifferences(mine, theirs, "");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0], "VM \"reporting\": only on the server");
}

TEST(FieldWords, SectionNamesVagueLabelsAndTheListIsCapped) {
    json mine = DefaultPlanJson();
    json theirs = mine;
    for (json& c : mine["components"]) {
        if (c["kind"] == "postgres") c["backups"]["retention_days"] = 30;
    }
    auto lines = DescribeDifferences(mine, theirs, "");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].rfind("Backups · Keep: 30 days (this device) / ", 0), 0u) << lines[0];

    for (int i = 0; i < 20; ++i) {
        json c = mine["components"][0];
        c["id"] = "vm-x" + std::to_string(i);
        mine["components"].push_back(c);
    }
    lines = DescribeDifferences(mine, theirs, "", 5);
    ASSERT_EQ(lines.size(), 5u);
    EXPECT_EQ(lines.back(), "and 17 more differences");
}

}  // namespace
}  // namespace ui::editor
