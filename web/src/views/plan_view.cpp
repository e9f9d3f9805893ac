// One plan, read-only for now (the canvas editor comes later): name with rename, revision, components,
// plan_core's diagnostics and the cs-json document as the gateway stores it.
#include <algorithm>
#include <string>

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include "theme.hpp"
#include "ui_probe.hpp"
#include "views/views.hpp"
#include "views/widgets.hpp"

namespace ui {
namespace {

std::string Summary(const plan::Component& component) {
    if (const auto* vm = std::get_if<plan::VmSpec>(&component.spec)) {
        std::string size = vm->hardware.instance_type;
        if (size.empty()) {
            size = std::to_string(vm->hardware.vcpus) + " vCPU, " +
                   std::to_string(static_cast<int>(vm->hardware.memory_gib)) + " GiB RAM";
        }
        return size + "  ·  " + std::to_string(vm->disk.size_gib) + " GiB " +
               (vm->disk.type == plan::DiskType::Ssd ? "SSD" : "HDD") + "  ·  " + vm->os.distribution + " " +
               vm->os.version;
    }
    const auto& db = std::get<plan::PostgresSpec>(component.spec);
    std::string text = "PostgreSQL " + db.version + " on " + (db.host.empty() ? "(no host)" : db.host) +
                       "  ·  port " + std::to_string(db.port);
    if (db.topology == plan::Topology::PrimaryReplicas) text += "  ·  " + std::to_string(db.replicas) + " replicas";
    text += db.backups.enabled ? "  ·  backups on" : "  ·  backups off";
    return text;
}

void DrawComponents(const plan::Plan& model) {
    if (model.components.empty()) {
        ColoredText(kColorMuted, "This plan has no components yet.");
        return;
    }
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                  ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_PadOuterX;
    if (!ImGui::BeginTable("components", 4, flags)) return;
    ImGui::TableSetupColumn("Kind", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("Id", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("Name", ImGuiTableColumnFlags_WidthStretch, 1.4f);
    ImGui::TableSetupColumn("Configuration", ImGuiTableColumnFlags_WidthStretch, 3.5f);
    ImGui::TableHeadersRow();
    for (const plan::Component& component : model.components) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        const std::string kind = std::string(component.IsVm() ? kIconServer : kIconDatabase) + "  " +
                                 (component.IsVm() ? "VM" : "PostgreSQL");
        ImGui::TextUnformatted(kind.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(component.id.c_str());
        Probe("plan/component/" + component.id, std::string(component.Kind()));
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(component.name.c_str());
        ImGui::TableNextColumn();
        const std::string summary = Summary(component);
        ImGui::TextWrapped("%s", summary.c_str());
    }
    ImGui::EndTable();
}

void DrawDiagnostics(const plan::Diagnostics& diagnostics) {
    if (diagnostics.empty()) {
        ColoredText(kColorSuccess, "No problems found: this plan passes every check.", "plan/diagnostics");
        return;
    }
    std::string all;
    for (const plan::Diagnostic& diagnostic : diagnostics) {
        const bool error = diagnostic.severity == plan::Severity::Error;
        const std::string line = std::string(kIconWarning) + "  " + (diagnostic.path.empty() ? "/" : diagnostic.path) +
                                 ": " + diagnostic.message;
        ColoredText(error ? kColorError : kColorWarning, line);
        all += diagnostic.code + "\n";
    }
    Probe("plan/diagnostics", all);
}

}  // namespace

void DrawPlanView(AppState& state, Intents& intents) {
    BeginScreen("plan");
    if (TopBar(state.session.email, "plan")) intents.push_back({Intent::Kind::Logout, {}});
    PlanViewState& view = state.plan;
    const float scale = Scale();
    const float width = std::min(1100 * scale, ImGui::GetContentRegionAvail().x);
    ImGui::SetCursorPosX(CenteredX(width));
    ImGui::BeginChild("content", ImVec2(width, 0), false);

    const std::string back = std::string(kIconBack) + "  All plans";
    if (ImGui::Button(back.c_str())) intents.push_back({Intent::Kind::BackToDashboard, {}});
    Probe("plan/back", "All plans");

    if (!view.resource) {
        if (view.loading) ColoredText(kColorMuted, "Loading the plan...", "plan/loading");
        ColoredText(kColorError, view.error, "plan/error");
        ImGui::EndChild();
        ImGui::End();
        return;
    }
    const PlanResource& resource = *view.resource;
    const std::string name = view.model ? view.model->name : resource.document.value("name", std::string("(unnamed)"));

    ImGui::PushFont(HeadingFont());
    ImGui::TextUnformatted(name.c_str());
    ImGui::PopFont();
    Probe("plan/title", name);

    StatusDot(resource.status, "plan/status");
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    std::string facts = "Revision " + std::to_string(resource.revision);
    if (view.model) facts += "  ·  " + std::string(plan::ToString(view.model->environment));
    facts += "  ·  updated " + FormatWhen(resource.updated_at, state.now_unix);
    if (!resource.status.reason.empty()) facts += "  ·  " + resource.status.reason;
    ImGui::PushStyleColor(ImGuiCol_Text, kColorMuted);
    ImGui::TextUnformatted(facts.c_str());
    ImGui::PopStyleColor();
    Probe("plan/revision", std::to_string(resource.revision));
    ImGui::Dummy(ImVec2(0, 2 * scale));

    bool rename = false;
    ImGui::SetNextItemWidth(std::min(340 * scale, width * 0.5f));
    rename |= ImGui::InputText("##name", &view.rename_to, ImGuiInputTextFlags_EnterReturnsTrue);
    Probe("plan/name-input", view.rename_to);
    ImGui::SameLine();
    const std::string rename_label = std::string(kIconPencil) + "  Rename";
    rename |= PrimaryButton(rename_label.c_str(), !view.saving);
    Probe("plan/rename", "Rename");
    if (rename && !view.saving) intents.push_back({Intent::Kind::RenamePlan, {}});
    ImGui::SameLine();
    const std::string delete_label = std::string(kIconTrash) + "  Delete";
    if (DangerButton(delete_label.c_str(), !view.saving)) view.confirm_delete = true;
    Probe("plan/delete", "Delete");
    ColoredText(kColorSuccess, view.notice, "plan/notice");
    ColoredText(kColorWarning, view.warning, "plan/warning");
    if (!view.error.empty()) ColoredText(kColorError, std::string(kIconWarning) + "  " + view.error, "plan/error");

    ImGui::Dummy(ImVec2(0, 6 * scale));
    SectionTitle("Components");
    if (view.model) {
        DrawComponents(*view.model);
    } else {
        ColoredText(kColorError, "This plan could not be read; see the problems below.");
    }

    ImGui::Dummy(ImVec2(0, 6 * scale));
    SectionTitle("Checks");
    DrawDiagnostics(view.diagnostics);

    ImGui::Dummy(ImVec2(0, 6 * scale));
    SectionTitle("cs-json");
    ColoredText(kColorMuted, "The cloud-agnostic document this plan is saved as. Editing comes with the canvas.");
    const float json_height = std::max(ImGui::GetContentRegionAvail().y - 8 * scale, 240 * scale);
    ImGui::InputTextMultiline("##cs-json", &view.cs_json, ImVec2(-1, json_height), ImGuiInputTextFlags_ReadOnly);
    Probe("plan/json", view.cs_json);

    switch (ConfirmDelete(view.confirm_delete, name)) {
        case Confirm::Yes: intents.push_back({Intent::Kind::DeletePlan, view.id}); [[fallthrough]];
        case Confirm::No: view.confirm_delete = false; break;
        case Confirm::Pending: break;
    }
    ImGui::EndChild();
    ImGui::End();
}

}  // namespace ui
