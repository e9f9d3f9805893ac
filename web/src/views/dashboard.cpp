// The list of the user's plans: create, open, delete. Everything it shows comes from
// state.dashboard, filled by App from GET /v1/plan/.
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

void DrawCreateRow(DashboardState& dashboard, Intents& intents) {
    const float scale = Scale();
    bool create = false;
    ImGui::SetNextItemWidth(std::min(340 * scale, ImGui::GetContentRegionAvail().x * 0.5f));
    create |= ImGui::InputTextWithHint("##new-plan-name", "Name of the new plan", &dashboard.new_plan_name,
                                       ImGuiInputTextFlags_EnterReturnsTrue);
    Probe("dashboard/new-plan-name", dashboard.new_plan_name);
    ImGui::SameLine();
    const std::string label = std::string(kIconPlus) + "  New plan";
    create |= PrimaryButton(label.c_str(), !dashboard.creating);
    Probe("dashboard/new-plan", "New plan");
    if (create && !dashboard.creating) intents.push_back({Intent::Kind::CreatePlan, {}});
    ImGui::SameLine();
    const std::string refresh = std::string(kIconRefresh) + "  Refresh";
    if (Button(refresh.c_str(), !dashboard.loading)) intents.push_back({Intent::Kind::RefreshPlans, {}});
    Probe("dashboard/refresh", "Refresh");
}

void DrawEmpty() {
    const float scale = Scale();
    ImGui::Dummy(ImVec2(0, 24 * scale));
    ImGui::PushFont(HeadingFont());
    ImGui::PushStyleColor(ImGuiCol_Text, kColorMuted);
    ImGui::TextUnformatted(kIconDatabase);
    ImGui::PopStyleColor();
    ImGui::PopFont();
    const char* title = "No plans yet";
    ImGui::TextUnformatted(title);
    Probe("dashboard/empty", title);
    ColoredText(kColorMuted,
                "Give your first plan a name above and press New plan. It starts as one virtual machine running "
                "PostgreSQL with backups on, ready to refine and deploy.");
}

void DrawTable(const AppState& state, DashboardState& dashboard, Intents& intents) {
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                  ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_PadOuterX |
                                  ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("plans", 6, flags)) return;
    ImGui::TableSetupColumn("##status", ImGuiTableColumnFlags_WidthFixed, ImGui::GetTextLineHeight());
    ImGui::TableSetupColumn("Name", ImGuiTableColumnFlags_WidthStretch, 3.0f);
    ImGui::TableSetupColumn("Environment", ImGuiTableColumnFlags_WidthStretch, 1.3f);
    ImGui::TableSetupColumn("Revision", ImGuiTableColumnFlags_WidthStretch, 0.8f);
    ImGui::TableSetupColumn("Last updated", ImGuiTableColumnFlags_WidthStretch, 1.4f);
    ImGui::TableSetupColumn("##actions", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableHeadersRow();
    for (const PlanSummary& plan : dashboard.plans) {
        const std::string probe = "dashboard/plan/" + plan.name;
        ImGui::PushID(plan.id.c_str());
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        StatusDot(plan.status, probe + "/status");
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        if (ImGui::Selectable(plan.name.c_str(), false, ImGuiSelectableFlags_AllowItemOverlap)) {
            intents.push_back({Intent::Kind::OpenPlan, plan.id});
        }
        Probe(probe, plan.name);
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(plan.environment.c_str());
        Probe(probe + "/environment", plan.environment);
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        ImGui::Text("%lld", static_cast<long long>(plan.revision));
        Probe(probe + "/revision", std::to_string(plan.revision));
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        const std::string when = FormatWhen(plan.updated_at, state.now_unix);
        ImGui::TextUnformatted(when.c_str());
        if (ImGui::IsItemHovered() && !plan.updated_at.empty()) ImGui::SetTooltip("%s", plan.updated_at.c_str());
        ImGui::TableNextColumn();
        if (ImGui::Button("Open")) intents.push_back({Intent::Kind::OpenPlan, plan.id});
        Probe(probe + "/open", "Open");
        ImGui::SameLine();
        if (ImGui::Button(kIconTrash)) {
            dashboard.confirm_delete_id = plan.id;
            dashboard.confirm_delete_name = plan.name;
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Delete this plan");
        Probe(probe + "/delete", "Delete");
        ImGui::PopID();
    }
    ImGui::EndTable();
}

}  // namespace

void DrawDashboard(AppState& state, Intents& intents) {
    BeginScreen("dashboard");
    if (TopBar(state.session.email, "dashboard")) intents.push_back({Intent::Kind::Logout, {}});
    DashboardState& dashboard = state.dashboard;
    const float scale = Scale();
    const float width = std::min(1100 * scale, ImGui::GetContentRegionAvail().x);
    ImGui::SetCursorPosX(CenteredX(width));
    ImGui::BeginChild("content", ImVec2(width, 0), false);

    ImGui::PushFont(HeadingFont());
    ImGui::TextUnformatted("Your plans");
    ImGui::PopFont();
    Probe("dashboard/title", "Your plans");
    ColoredText(kColorMuted, "Each plan describes one PostgreSQL deployment. Open one to see its components and "
                             "its cs-json document.");
    ImGui::Dummy(ImVec2(0, 4 * scale));
    DrawCreateRow(dashboard, intents);
    ColoredText(kColorSuccess, dashboard.notice, "dashboard/notice");
    if (!dashboard.error.empty()) {
        ColoredText(kColorError, std::string(kIconWarning) + "  " + dashboard.error, "dashboard/error");
    }
    ImGui::Dummy(ImVec2(0, 4 * scale));

    if (!dashboard.loaded) {
        if (dashboard.loading) ColoredText(kColorMuted, "Loading your plans...", "dashboard/loading");
    } else if (dashboard.plans.empty()) {
        DrawEmpty();
    } else {
        DrawTable(state, dashboard, intents);
    }

    switch (ConfirmDelete(!dashboard.confirm_delete_id.empty(), dashboard.confirm_delete_name)) {
        case Confirm::Yes: intents.push_back({Intent::Kind::DeletePlan, dashboard.confirm_delete_id}); [[fallthrough]];
        case Confirm::No: dashboard.confirm_delete_id.clear(); break;
        case Confirm::Pending: break;
    }
    ImGui::EndChild();
    ImGui::End();
}

}  // namespace ui
