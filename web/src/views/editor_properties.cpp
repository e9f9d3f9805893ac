// The properties panel: every field of the selected component (or of the plan when none or several
// are selected). Widgets edit a copy; a change becomes one Document command whose merge key is the
// field, so typing "200" is one undo step. Each field is marked and explained when plan_core's rules
// find a problem there, and the problems list can put the cursor in it (EditorState::focus). Labels with a
// unit come from editor/field_words.hpp, which the conflict dialog describes differences with.
// [SECTION] field helpers  [SECTION] instance type picker  [SECTION] vm  [SECTION] postgres  [SECTION] plan
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string>
#include <vector>

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include "editor/field_words.hpp"
#include "plan/catalog.hpp"
#include "plan/cost.hpp"
#include "theme.hpp"
#include "ui_probe.hpp"
#include "views/editor_views.hpp"
#include "views/widgets.hpp"

namespace ui::editor {
namespace {

// ---- [SECTION] field helpers ----------------------------------------------------------------------------

// One properties form: which component ("" = the plan) and what changed this frame.
struct Form {
    EditorState& editor;
    std::string component;
    std::string changed_field;  // set by the widget that changed
    std::string label;          // undo label of that change
    float label_width = 0;  // 0: labels sit above their fields (a narrow panel)
};

std::string ProbeId(const Form& form, const std::string& field) {
    return "props/" + (form.component.empty() ? "plan/" + field : field);
}

// Label on the left (above the field in a narrow panel); red frame when the field has an error; focus when
// the problems list asked for it.
void BeginField(Form& form, const std::string& field, const char* label) {
    ImGui::PushID(field.c_str());
    if (form.label_width > 0) {
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(label);
        ImGui::SameLine(form.label_width);
    } else {
        ImGui::TextUnformatted(label);
    }
    ImGui::SetNextItemWidth(-1);
    const bool error = !form.editor.doc.CurrentProblems().For(form.component, field).empty();
    if (error) {
        ImGui::PushStyleColor(ImGuiCol_Border, kColorError);
        ImGui::PushStyleColor(ImGuiCol_FrameBg, IM_COL32(254, 242, 242, 255));
    }
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, error ? 1.5f * Scale() : ImGui::GetStyle().FrameBorderSize);
    if (form.editor.focus && form.editor.focus->component == form.component && form.editor.focus->field == field) {
        ImGui::SetKeyboardFocusHere();
        ImGui::SetScrollHereY(0.3f);
        form.editor.focus.reset();
    }
}

// Closes BeginField: records the change, probes the widget, shows the field's problems under it.
void EndField(Form& form, const std::string& field, bool changed, const std::string& value_text, bool probe = true) {
    const bool error = !form.editor.doc.CurrentProblems().For(form.component, field).empty();
    ImGui::PopStyleVar();
    if (error) ImGui::PopStyleColor(2);
    if (probe) {
        if (ImGui::IsItemDeactivatedAfterEdit()) form.editor.doc.BreakMerge();
        Probe(ProbeId(form, field), value_text);
    }
    if (changed && form.changed_field.empty()) form.changed_field = field;
    std::string messages;
    for (const Problem* problem : form.editor.doc.CurrentProblems().For(form.component, field)) {
        if (!messages.empty()) messages += "\n";
        messages += problem->diagnostic.message;
    }
    if (!messages.empty()) {
        // Indent(0) would indent by the style's default: only indent under a label column.
        if (form.label_width > 0) ImGui::Indent(form.label_width);
        const ImU32 color = error ? kColorError : kColorWarning;
        ColoredText(color, std::string(kIconWarning) + "  " + messages, ProbeId(form, field) + "/error");
        if (form.label_width > 0) ImGui::Unindent(form.label_width);
    }
    ImGui::PopID();
}

bool TextField(Form& form, const std::string& field, const char* label, std::string& value, const char* hint = "") {
    BeginField(form, field, label);
    const bool changed = ImGui::InputTextWithHint("##v", hint, &value);
    EndField(form, field, changed, value);
    return changed;
}

bool IntField(Form& form, const std::string& field, const char* label, int& value) {
    BeginField(form, field, label);
    const bool changed = ImGui::InputInt("##v", &value, 0, 0);
    EndField(form, field, changed, std::to_string(value));
    return changed;
}

bool NumberField(Form& form, const std::string& field, const char* label, double& value, const char* format) {
    BeginField(form, field, label);
    const bool changed = ImGui::InputDouble("##v", &value, 0, 0, format);
    char text[32];
    std::snprintf(text, sizeof text, "%g", value);
    EndField(form, field, changed, text);
    return changed;
}

bool CheckField(Form& form, const std::string& field, const char* label, bool& value) {
    BeginField(form, field, label);
    const bool changed = ImGui::Checkbox("##v", &value);
    EndField(form, field, changed, value ? "true" : "false");
    return changed;
}

// A combo over `options` (the strings cs-json uses); each entry is probed as <field>/option/<value>.
bool ComboField(Form& form, const std::string& field, const char* label, std::string& value,
                const std::vector<std::string>& options) {
    BeginField(form, field, label);
    bool changed = false;
    // An empty value (no host yet) needs a visible name in the list.
    auto shown = [](const std::string& option) { return option.empty() ? std::string("(none)") : option; };
    // Whether the value fits beside the arrow (ImGui cuts it, without an ellipsis): probed as <field>/fit,
    // {"text_w","room_w"} in display pixels, so a test can tell a whole value from a cut one.
    const float frame_h = ImGui::GetFrameHeight();
    const float room_w = ImGui::CalcItemWidth() - frame_h - ImGui::GetStyle().FramePadding.x * 2;
    const float text_w = ImGui::CalcTextSize(shown(value).c_str()).x;
    const ImVec2 at = ImGui::GetCursorScreenPos();
    if (ImGui::BeginCombo("##v", shown(value).c_str())) {
        for (const std::string& option : options) {
            if (ImGui::Selectable(shown(option).c_str(), option == value)) {
                changed = option != value;
                value = option;
            }
            Probe(ProbeId(form, field) + "/option/" + option, option);
        }
        ImGui::EndCombo();
    }
    char fit[64];
    std::snprintf(fit, sizeof fit, "{\"text_w\":%.1f,\"room_w\":%.1f}", text_w, room_w);
    ProbeRect(ProbeId(form, field) + "/fit", fit, at.x, at.y, at.x + room_w, at.y + frame_h);
    EndField(form, field, changed, value);
    return changed;
}

template <class Enum, std::size_t N>
bool EnumField(Form& form, const std::string& field, const char* label, Enum& value, const Enum (&all)[N]) {
    std::vector<std::string> options;
    for (Enum e : all) options.emplace_back(plan::ToString(e));
    std::string text(plan::ToString(value));
    if (!ComboField(form, field, label, text, options)) return false;
    for (Enum e : all) {
        if (plan::ToString(e) == text) value = e;
    }
    return true;
}

std::string Lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

std::string PriceText(const plan::InstanceType& type, const std::string& region) {
    const auto price = plan::HourlyPrice(type, region);
    return price ? "$" + plan::FormatPrice(*price) + "/h" : "no price";
}

std::string TypeText(const plan::InstanceType& type, const std::string& region) {
    char text[160];
    std::snprintf(text, sizeof text, "%s  ·  %d vCPU  ·  %g GiB  ·  %s", type.name.c_str(), type.vcpus, type.memory_gib,
                  PriceText(type, region).c_str());
    return text;
}

// ---- [SECTION] instance type picker ---------------------------------------------------------------------

// vCPU, RAM and price of `type` as three columns, each as wide as its text, on a line of their own under
// the field (the whole panel's width, not just the value column's), so a number is never cut or wrapped
// in the middle. Probed as <probe_id> (the whole line, as TypeText) and <probe_id>/price.
void TypeFacts(const plan::InstanceType& type, const std::string& region, const std::string& probe_id) {
    if (ImGui::BeginTable(probe_id.c_str(), 3, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_NoHostExtendX)) {
        char cpu[32], ram[32];
        std::snprintf(cpu, sizeof cpu, "%d vCPU", type.vcpus);
        std::snprintf(ram, sizeof ram, "%g GiB", type.memory_gib);
        const std::string price = PriceText(type, region);
        ImGui::PushStyleColor(ImGuiCol_Text, kColorMuted);
        for (const std::string& cell : {std::string(cpu), std::string(ram), price}) {
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(cell.c_str());
        }
        ImGui::PopStyleColor();
        Probe(probe_id + "/price", price);
        ImGui::EndTable();
        Probe(probe_id, TypeText(type, region));
    }
}

// A button showing the type; it opens a searchable list of the types offered in the plan's region.
bool InstanceTypePicker(Form& form, const plan::Plan& plan, std::string& instance_type) {
    const std::string field = "hardware/instance_type";
    BeginField(form, field, "Instance type");
    const plan::InstanceType* current = plan::FindInstance(plan.cloud.provider, instance_type);
    const std::string shown = current ? instance_type : instance_type + "  (not in the catalogue)";
    if (ImGui::Button(shown.c_str(), ImVec2(-1, 0))) {
        form.editor.picker_search.clear();
        ImGui::OpenPopup("instance-picker");
    }
    Probe(ProbeId(form, field), instance_type);
    bool changed = false;
    const float scale = Scale();
    ImGui::SetNextWindowSize(ImVec2(520 * scale, 420 * scale));
    if (ImGui::BeginPopup("instance-picker")) {
        // One Escape closes it, also while the search field has the keyboard (which would otherwise take
        // the first press for itself); the type stays as it was.
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) ImGui::CloseCurrentPopup();
        ImGui::TextUnformatted(("Instance types offered in " + plan.cloud.region).c_str());
        if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
        ImGui::SetNextItemWidth(-1);
        ImGui::InputTextWithHint("##search", "Search: name, family, \"16 gib\", \"4 vcpu\"", &form.editor.picker_search);
        Probe("picker/search", form.editor.picker_search);
        const std::string needle = Lower(form.editor.picker_search);
        const ImGuiTableFlags flags =
            ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_PadOuterX;
        if (ImGui::BeginTable("types", 4, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) {
            ImGui::TableSetupScrollFreeze(0, 1);
            ImGui::TableSetupColumn("Type", ImGuiTableColumnFlags_WidthStretch);
            ImGui::TableSetupColumn("vCPU", ImGuiTableColumnFlags_WidthFixed);
            ImGui::TableSetupColumn("RAM", ImGuiTableColumnFlags_WidthFixed);
            ImGui::TableSetupColumn("Price", ImGuiTableColumnFlags_WidthFixed);
            ImGui::TableHeadersRow();
            for (const plan::InstanceType& type : plan::Instances(plan.cloud.provider)) {
                if (!plan::OfferedIn(type, plan.cloud.region)) continue;
                char ram[32], cpu[32];
                std::snprintf(ram, sizeof ram, "%g GiB", type.memory_gib);
                std::snprintf(cpu, sizeof cpu, "%d vCPU", type.vcpus);
                const std::string haystack = Lower(type.name + " " + type.family + " " + ram + " " + cpu);
                if (!needle.empty() && haystack.find(needle) == std::string::npos) continue;
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                if (ImGui::Selectable(type.name.c_str(), type.name == instance_type, ImGuiSelectableFlags_SpanAllColumns)) {
                    changed = type.name != instance_type;
                    instance_type = type.name;
                    ImGui::CloseCurrentPopup();
                }
                Probe("picker/type/" + type.name, TypeText(type, plan.cloud.region));
                ImGui::TableNextColumn();
                ImGui::Text("%d", type.vcpus);
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(ram);
                ImGui::TableNextColumn();
                const std::string price = PriceText(type, plan.cloud.region);
                ImGui::TextUnformatted(price.c_str());
                Probe("picker/price/" + type.name, price);
            }
            ImGui::EndTable();
        }
        ImGui::EndPopup();
    }
    EndField(form, field, changed, instance_type, /*probe=*/false);  // the button was probed above
    if (current) TypeFacts(*current, plan.cloud.region, ProbeId(form, "hardware/type-facts"));
    return changed;
}

// ---- [SECTION] vm ---------------------------------------------------------------------------------------

const std::vector<std::string>& OsVersions(const std::string& distribution) {
    static const std::vector<std::string> amazon{"2023"}, ubuntu{"22.04", "24.04"}, debian{"12"}, none{};
    if (distribution == "amazon-linux") return amazon;
    if (distribution == "ubuntu") return ubuntu;
    if (distribution == "debian") return debian;
    return none;
}

bool HasProblemsUnder(const Form& form, const std::string& prefix) {
    for (const Problem& problem : form.editor.doc.CurrentProblems().All()) {
        if (problem.component == form.component && problem.field.rfind(prefix, 0) == 0) return true;
    }
    return false;
}

// A local plan's VM is the gateway's own machine: no instance types, prices or images, only how much of the
// machine PostgreSQL may use (plan::LocalVmSize; the local target caps it at what the machine has). A VM
// named by type (every new local plan's t3.medium) shows that type's size; changing a number turns it into
// vCPU + RAM of its own, in the same undo step.
void LocalSizeFields(Form& form, plan::VmSpec& vm) {
    const auto size = plan::LocalVmSize(vm);
    if (!vm.hardware.instance_type.empty() && !size) {
        // A type no catalogue knows: keep it editable so its message (and the way out) is shown.
        TextField(form, "hardware/instance_type", "Sized like", vm.hardware.instance_type, "t3.medium");
    }
    int vcpus = size ? size->vcpus : vm.hardware.vcpus;
    double memory_gib = size ? size->memory_gib : vm.hardware.memory_gib;
    const bool changed = IntField(form, "hardware/vcpus", "vCPUs", vcpus);
    if (NumberField(form, "hardware/memory_gib", PanelLabel("hardware/memory_gib").c_str(), memory_gib, "%g") || changed) {
        vm.hardware = {"", vcpus, memory_gib};
        form.label = "Set size";
    }
    if (size && size->like) {
        ColoredText(kColorMuted, "Sized like " + size->like->name + "; change a number to set your own.",
                    ProbeId(form, "hardware/like"));
    }
}

void VmFields(Form& form, const plan::Plan& plan, plan::Component& c, plan::VmSpec& vm) {
    if (plan.cloud.provider == "local") {
        ColoredText(kColorMuted,
                    "This machine: a local plan runs PostgreSQL on the gateway's own machine. Nothing is created or "
                    "billed; PostgreSQL is tuned for the size below (at most what the machine has).",
                    ProbeId(form, "local"));
        // The OS and image are the machine's own; shown only if the plan carries a problem there.
        if (HasProblemsUnder(form, "os") || HasProblemsUnder(form, "image_id")) {
            SectionTitle("Operating system");
            ComboField(form, "os/distribution", "Distribution", vm.os.distribution, {"amazon-linux", "ubuntu", "debian"});
            ComboField(form, "os/version", "Version", vm.os.version, OsVersions(vm.os.distribution));
            TextField(form, "image_id", "Image id", vm.image_id);
        }
        SectionTitle("What PostgreSQL may use");
        LocalSizeFields(form, vm);
        for (const Problem* problem : form.editor.doc.CurrentProblems().For(form.component, "hardware")) {
            if (problem->field == "hardware") ColoredText(kColorError, problem->diagnostic.message, ProbeId(form, "hardware/error"));
        }
        std::string disk_type(plan::ToString(vm.disk.type));
        if (ComboField(form, "disk/type", "Disk type", disk_type, {"ssd", "hdd"})) vm.disk.type = *plan::ParseDiskType(disk_type);
        IntField(form, "disk/size_gib", PanelLabel("disk/size_gib").c_str(), vm.disk.size_gib);
        return;
    }
    SectionTitle("Operating system");
    if (ComboField(form, "os/distribution", "Distribution", vm.os.distribution, {"amazon-linux", "ubuntu", "debian"})) {
        const auto& versions = OsVersions(vm.os.distribution);
        if (std::find(versions.begin(), versions.end(), vm.os.version) == versions.end() && !versions.empty()) {
            vm.os.version = versions.back();  // the newest release of the new distribution
        }
        form.label = "Set OS";
    }
    if (ComboField(form, "os/version", "Version", vm.os.version, OsVersions(vm.os.distribution))) form.label = "Set OS version";
    TextField(form, "image_id", "Image id", vm.image_id, "optional, e.g. ami-0abc...");

    SectionTitle("Size");
    bool by_type = !vm.hardware.instance_type.empty();
    if (ImGui::RadioButton("Instance type", by_type) && !by_type) {
        const plan::InstanceType* picked = plan::ResolveInstance(plan, vm);
        vm.hardware = {picked ? picked->name : "t3.medium", 0, 0};
        form.changed_field = "hardware";
        form.label = "Size by instance type";
    }
    Probe(ProbeId(form, "hardware/by-type"), "Instance type");
    ImGui::SameLine();
    if (ImGui::RadioButton("vCPU + RAM", !by_type) && by_type) {
        const plan::InstanceType* type = plan::ResolveInstance(plan, vm);
        vm.hardware = {"", type ? type->vcpus : 2, type ? type->memory_gib : 4};
        form.changed_field = "hardware";
        form.label = "Size by vCPU + RAM";
    }
    Probe(ProbeId(form, "hardware/by-size"), "vCPU + RAM");
    by_type = !vm.hardware.instance_type.empty();
    if (by_type) {
        if (InstanceTypePicker(form, plan, vm.hardware.instance_type)) form.label = "Set instance type";
    } else {
        IntField(form, "hardware/vcpus", "vCPUs", vm.hardware.vcpus);
        NumberField(form, "hardware/memory_gib", PanelLabel("hardware/memory_gib").c_str(), vm.hardware.memory_gib, "%g");
        if (const plan::InstanceType* picked = plan::ResolveInstance(plan, vm)) {
            ImGui::AlignTextToFramePadding();
            ColoredText(kColorMuted, "Runs on " + picked->name + ":");
            ImGui::SameLine();
            TypeFacts(*picked, plan.cloud.region, ProbeId(form, "hardware/picked"));
        }
    }
    // Problems about the size as a whole ("give a type or vCPU + RAM") sit on "hardware" itself.
    for (const Problem* problem : form.editor.doc.CurrentProblems().For(form.component, "hardware")) {
        if (problem->field == "hardware") ColoredText(kColorError, problem->diagnostic.message, ProbeId(form, "hardware/error"));
    }
    std::string disk_type(plan::ToString(vm.disk.type));
    if (ComboField(form, "disk/type", "Disk type", disk_type, {"ssd", "hdd"})) {
        vm.disk.type = *plan::ParseDiskType(disk_type);
    }
    IntField(form, "disk/size_gib", PanelLabel("disk/size_gib").c_str(), vm.disk.size_gib);
    (void)c;
}

// ---- [SECTION] postgres ---------------------------------------------------------------------------------

std::string JoinCidrs(const std::vector<std::string>& cidrs) {
    std::string text;
    for (const std::string& cidr : cidrs) text += (text.empty() ? "" : ", ") + cidr;
    return text;
}

std::vector<std::string> SplitCidrs(const std::string& text) {
    std::vector<std::string> out;
    std::string current;
    for (char c : text + ",") {
        if (c == ',' || c == ' ' || c == '\n' || c == '\t') {
            if (!current.empty()) out.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    return out;
}

void PostgresFields(Form& form, const plan::Plan& plan, plan::PostgresSpec& pg) {
    SectionTitle("Database");
    std::vector<std::string> hosts{""};
    for (const plan::Component& other : plan.components) {
        if (other.IsVm()) hosts.push_back(other.id);
    }
    if (ComboField(form, "host", "Runs on VM", pg.host, hosts)) form.label = "Set host";
    std::vector<std::string> versions(std::begin(plan::kPostgresVersions), std::end(plan::kPostgresVersions));
    if (ComboField(form, "version", "PostgreSQL", pg.version, versions)) form.label = "Set PostgreSQL version";
    IntField(form, "max_connections", "Max connections", pg.max_connections);
    EnumField(form, "workload", "Workload", pg.workload,
              {plan::Workload::Web, plan::Workload::Oltp, plan::Workload::Dw, plan::Workload::Desktop, plan::Workload::Mixed});

    SectionTitle("Backups");
    CheckField(form, "backups/enabled", "Enabled", pg.backups.enabled);
    TextField(form, "backups/schedule", "Schedule (cron)", pg.backups.schedule, "0 3 * * *");
    IntField(form, "backups/retention_days", PanelLabel("backups/retention_days").c_str(), pg.backups.retention_days);
    CheckField(form, "backups/validate", "Validate restores", pg.backups.validate);

    SectionTitle("Replicas");
    EnumField(form, "topology/mode", "Topology", pg.topology, {plan::Topology::Single, plan::Topology::PrimaryReplicas});
    IntField(form, "topology/replicas", "Replicas", pg.replicas);

    SectionTitle("Network");
    IntField(form, "network/port", "Port", pg.port);
    std::string cidrs = JoinCidrs(pg.allowed_cidrs);
    if (TextField(form, "network/allowed_cidrs", "Allowed ranges", cidrs, "10.0.0.0/16, 192.168.1.0/24")) {
        pg.allowed_cidrs = SplitCidrs(cidrs);
    }
    CheckField(form, "network/public", "Public", pg.publicly_accessible);
}

// ---- [SECTION] plan -------------------------------------------------------------------------------------

void PlanFields(EditorState& editor, float label_width) {
    Document& doc = editor.doc;
    Form form{editor, "", {}, {}, label_width};
    PlanHeader header{doc.Plan().name, doc.Plan().environment, doc.Plan().cloud};
    SectionTitle("Plan");
    TextField(form, "name", "Name", header.name);
    EnumField(form, "environment", "Environment", header.environment,
              {plan::Environment::Development, plan::Environment::Staging, plan::Environment::Production,
               plan::Environment::Feature});
    if (ComboField(form, "cloud/provider", "Cloud", header.cloud.provider, {"aws", "azure", "gcp", "local"})) {
        const auto& regions = plan::InstancePriceSheet(header.cloud.provider).regions;
        header.cloud.region = regions.empty() ? "local" : regions.front();
    }
    const auto& regions = plan::InstancePriceSheet(header.cloud.provider).regions;
    if (header.cloud.provider == "local" && header.cloud.region == "local") {
        ColoredText(kColorMuted, "Local: deployed on the gateway's own machine, with no region and no cloud cost.",
                    "props/plan/local");
    } else if (regions.empty()) {
        TextField(form, "cloud/region", "Region", header.cloud.region);
    } else {
        ComboField(form, "cloud/region", "Region", header.cloud.region, regions);
    }
    if (!form.changed_field.empty()) doc.SetHeader(header, "Set plan " + form.changed_field, "plan/" + form.changed_field);
}

}  // namespace

void DrawProperties(EditorState& editor) {
    // Labels beside the fields while the values keep room for the longest of them ("amazon-linux",
    // "ap-southeast-2" with the combo's arrow); in a narrower panel (1024 px windows) labels go above.
    const float label_width =
        ImGui::GetContentRegionAvail().x - 160 * Scale() >= 210 * Scale() ? 160 * Scale() : 0.0f;
    Document& doc = editor.doc;
    // The problems list may ask for a field of a component that is not selected yet.
    if (editor.focus && !editor.focus->component.empty() && !doc.IsSelected(editor.focus->component)) {
        doc.Select(editor.focus->component);
    }
    const plan::Component* selected = doc.SelectedComponent();
    if (!selected) {
        PlanFields(editor, label_width);
        ImGui::Dummy(ImVec2(0, 8 * Scale()));
        const std::size_t count = doc.Selection().size();
        ColoredText(kColorMuted, count > 1 ? std::to_string(count) + " components selected: Delete removes them, Ctrl+C copies."
                                           : "Select a component on the canvas to edit it.",
                    "props/selection");
        return;
    }
    plan::Component edit = *selected;
    Form form{editor, edit.id, {}, {}, label_width};
    SectionTitle(edit.IsVm() ? "VM" : "PostgreSQL");
    ColoredText(kColorMuted, "id " + edit.id, "props/id");
    TextField(form, "name", "Name", edit.name);
    if (auto* vm = std::get_if<plan::VmSpec>(&edit.spec)) VmFields(form, doc.Plan(), edit, *vm);
    if (auto* pg = std::get_if<plan::PostgresSpec>(&edit.spec)) PostgresFields(form, doc.Plan(), *pg);
    if (!form.changed_field.empty()) {
        const std::string label = form.label.empty() ? "Set " + form.changed_field : form.label;
        doc.SetComponent(edit, label, edit.id + "/" + form.changed_field);
    }
}

}  // namespace ui::editor
