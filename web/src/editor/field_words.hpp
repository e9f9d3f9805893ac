#pragma once
// The words people see for a plan's fields: the properties panel's labels and units, kept in one table so
// the conflict dialog describes a difference in exactly the words of the field the user edits
// ("Disk size: 250 GiB (this device) / 350 GiB (server, changed at 14:02)"). Pure: no ImGui, no clock.
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace ui::editor {

// One field as the properties panel shows it.
struct FieldWords {
    std::string section;  // the panel's heading the field sits under when its label alone is vague
    std::string label;    // the panel's label without the unit: "Disk size"
    std::string unit;     // "GiB", "days"; "" for none
};

// The words for a component's field (`plan_level` false) or a plan-level one ("name", "cloud/region").
// `field` is the JSON pointer below the component (or the plan) without the leading slash, as Problems
// locates fields: "disk/size_gib".
// A field not in the table gets words made from its last path segment ("max_wal_size" -> "Max wal size").
FieldWords WordsFor(std::string_view field, bool plan_level);

// The panel's label: the label with its unit in brackets, "Disk size (GiB)".
std::string PanelLabel(std::string_view field, bool plan_level = false);

// A JSON value in the field's words: 250 with unit GiB -> "250 GiB", true -> "yes", "" -> "(none)",
// ["a","b"] -> "a, b", {"x":120,"y":80} -> "120, 80". A missing value (null) -> "(none)".
std::string ValueInWords(const nlohmann::json& value, std::string_view unit);

// Every field where two versions of a cs-json plan differ, one line each, plan-level fields first, then
// components in the order of `mine` (matched by id, not by position), then components only the server has:
//   "Disk size: 250 GiB (this device) / 350 GiB (server<server_note>) · VM "vm-1""
// `server_note` follows "server" inside the brackets, e.g. ", changed at 14:02 on 4 Dec" ("" for none).
// A component only one side has is one line ("VM "vm-3": only on this device"). id and revision are
// bookkeeping and never differences. At most `limit` lines; a last line says how many more there are.
std::vector<std::string> DescribeDifferences(const nlohmann::json& mine, const nlohmann::json& theirs,
                                             const std::string& server_note, std::size_t limit = 12);

}  // namespace ui::editor
