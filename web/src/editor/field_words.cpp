#include "editor/field_words.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>

namespace ui::editor {
namespace {

using nlohmann::json;

// In the order the properties panel shows them (views/editor_properties.cpp), which is the order the
// conflict dialog lists differences in.
struct Entry {
    std::string_view field, section, label, unit;
};

constexpr Entry kComponentFields[] = {
    {"name", "", "Name", ""},
    {"os/distribution", "Operating system", "Distribution", ""},
    {"os/version", "Operating system", "Version", ""},
    {"os/family", "Operating system", "Family", ""},
    {"image_id", "", "Image id", ""},
    {"hardware/instance_type", "", "Instance type", ""},
    {"hardware/vcpus", "", "vCPUs", ""},
    {"hardware/memory_gib", "", "RAM", "GiB"},
    {"disk/type", "", "Disk type", ""},
    {"disk/size_gib", "", "Disk size", "GiB"},
    {"host", "", "Runs on VM", ""},
    {"version", "", "PostgreSQL", ""},
    {"max_connections", "", "Max connections", ""},
    {"workload", "", "Workload", ""},
    {"backups/enabled", "Backups", "Enabled", ""},
    {"backups/schedule", "Backups", "Schedule (cron)", ""},
    {"backups/retention_days", "Backups", "Keep", "days"},
    {"backups/validate", "Backups", "Validate restores", ""},
    {"topology/mode", "", "Topology", ""},
    {"topology/replicas", "", "Replicas", ""},
    {"network/port", "", "Port", ""},
    {"network/allowed_cidrs", "", "Allowed ranges", ""},
    {"network/public", "", "Public", ""},
    {"position", "", "Position on the canvas", ""},
    {"kind", "", "Kind", ""},
};

constexpr Entry kPlanFields[] = {
    {"name", "", "Plan name", ""},
    {"environment", "", "Environment", ""},
    {"cloud/provider", "", "Cloud", ""},
    {"cloud/region", "", "Region", ""},
};

// Where a field sits in its table (unknown fields after every known one).
template <std::size_t N>
std::size_t OrderIn(const Entry (&table)[N], std::string_view field) {
    for (std::size_t i = 0; i < N; ++i) {
        if (table[i].field == field) return i;
    }
    return N;
}

std::string FormatNumber(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", value);
    return text;
}

// Leaves of `value` under `prefix` ("disk/size_gib" -> 250). Objects are walked; arrays, and objects the
// panel edits as one field (a position), are leaves.
void Leaves(const json& value, const std::string& prefix, std::map<std::string, json>& out) {
    if (value.is_object() && prefix != "position") {
        for (const auto& [key, child] : value.items()) Leaves(child, prefix.empty() ? key : prefix + "/" + key, out);
        return;
    }
    if (!prefix.empty()) out[prefix] = value;
}

std::string KindWords(const json& component) {
    const std::string kind = component.is_object() ? component.value("kind", "") : "";
    if (kind == "vm") return "VM";
    if (kind == "postgres") return "PostgreSQL";
    return kind.empty() ? "Component" : kind;
}

// VM "orders primary" (or its id when it has no name).
std::string ComponentWords(const json& component) {
    std::string name = component.is_object() ? component.value("name", "") : "";
    if (name.empty() && component.is_object()) name = component.value("id", "");
    return KindWords(component) + " \"" + name + "\"";
}

struct Line {
    std::size_t order;
    std::string text;
};

// The differing leaves of two objects (the plan's own fields, or one component's), in the panel's order.
template <std::size_t N>
void CompareLeaves(const json& mine, const json& theirs, const Entry (&table)[N], bool plan_level,
                   const std::set<std::string>& skip, const std::string& server_note, const std::string& where,
                   std::vector<Line>& out) {
    std::map<std::string, json> a, b;
    Leaves(mine, "", a);
    Leaves(theirs, "", b);
    std::set<std::string> fields;
    for (const auto& [field, value] : a) fields.insert(field);
    for (const auto& [field, value] : b) fields.insert(field);
    std::vector<Line> lines;
    for (const std::string& field : fields) {
        if (skip.count(field.substr(0, field.find('/'))) != 0) continue;
        const json none;
        const json& ours = a.count(field) ? a.at(field) : none;
        const json& other = b.count(field) ? b.at(field) : none;
        // 250 and 250.0 are the same size: numbers compare by value.
        if (ours == other || (ours.is_number() && other.is_number() && ours.get<double>() == other.get<double>())) {
            continue;
        }
        const FieldWords words = WordsFor(field, plan_level);
        std::string label = words.label;
        if (!words.section.empty()) label = words.section + " · " + label;
        std::string text = label + ": " + ValueInWords(ours, words.unit) + " (this device) / " +
                           ValueInWords(other, words.unit) + " (server" + server_note + ")";
        if (!where.empty()) text += " · " + where;
        lines.push_back({OrderIn(table, field), std::move(text)});
    }
    std::stable_sort(lines.begin(), lines.end(), [](const Line& x, const Line& y) { return x.order < y.order; });
    out.insert(out.end(), lines.begin(), lines.end());
}

json ComponentsOf(const json& plan) {
    auto it = plan.is_object() ? plan.find("components") : plan.end();
    return it != plan.end() && it->is_array() ? *it : json::array();
}

const json* FindComponent(const json& components, const std::string& id) {
    for (const json& c : components) {
        if (c.is_object() && c.value("id", "") == id) return &c;
    }
    return nullptr;
}

}  // namespace

FieldWords WordsFor(std::string_view field, bool plan_level) {
    auto words = [](const Entry& e) {
        return FieldWords{std::string(e.section), std::string(e.label), std::string(e.unit)};
    };
    if (plan_level) {
        for (const Entry& e : kPlanFields) {
            if (e.field == field) return words(e);
        }
    } else {
        for (const Entry& e : kComponentFields) {
            if (e.field == field) return words(e);
        }
    }
    // Not a field the panel shows: its last segment in words.
    const std::size_t slash = field.rfind('/');
    std::string label(slash == std::string_view::npos ? field : field.substr(slash + 1));
    std::replace(label.begin(), label.end(), '_', ' ');
    if (!label.empty()) label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
    return {"", label, ""};
}

std::string PanelLabel(std::string_view field, bool plan_level) {
    const FieldWords words = WordsFor(field, plan_level);
    return words.unit.empty() ? words.label : words.label + " (" + words.unit + ")";
}

std::string ValueInWords(const json& value, std::string_view unit) {
    std::string text;
    if (value.is_null()) return "(none)";
    if (value.is_boolean()) return value.get<bool>() ? "yes" : "no";
    if (value.is_string()) {
        text = value.get<std::string>();
        if (text.empty()) return "(none)";
    } else if (value.is_number()) {
        text = value.is_number_integer() ? std::to_string(value.get<std::int64_t>()) : FormatNumber(value.get<double>());
    } else if (value.is_array()) {
        for (const json& item : value) text += (text.empty() ? "" : ", ") + ValueInWords(item, "");
        if (text.empty()) return "(none)";
    } else if (value.is_object()) {
        for (const auto& [key, item] : value.items()) text += (text.empty() ? "" : ", ") + ValueInWords(item, "");
    }
    if (!unit.empty()) text += " " + std::string(unit);
    return text;
}

std::vector<std::string> DescribeDifferences(const json& mine, const json& theirs, const std::string& server_note,
                                             std::size_t limit) {
    std::vector<Line> lines;
    CompareLeaves(mine, theirs, kPlanFields, /*plan_level=*/true, {"id", "revision", "components"}, server_note, "",
                  lines);
    const json ours = ComponentsOf(mine);
    const json other = ComponentsOf(theirs);
    for (const json& component : ours) {
        const std::string id = component.is_object() ? component.value("id", "") : "";
        const json* match = FindComponent(other, id);
        if (match == nullptr) {
            lines.push_back({0, ComponentWords(component) + ": only on this device"});
            continue;
        }
        CompareLeaves(component, *match, kComponentFields, /*plan_level=*/false, {"id"}, server_note,
                      ComponentWords(component), lines);
    }
    for (const json& component : other) {
        const std::string id = component.is_object() ? component.value("id", "") : "";
        if (FindComponent(ours, id) == nullptr) lines.push_back({0, ComponentWords(component) + ": only on the server"});
    }
    std::vector<std::string> out;
    for (const Line& line : lines) {
        if (out.size() + 1 == limit && lines.size() > limit) {
            out.push_back("and " + std::to_string(lines.size() - out.size()) + " more differences");
            break;
        }
        out.push_back(line.text);
    }
    return out;
}

}  // namespace ui::editor
