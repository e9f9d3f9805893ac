// The list of the user's plans: create, open, delete, search and sort. Everything it shows comes from
// state.dashboard: the plans on this device merged with GET /v1/plan/ (every page) by App.
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

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
    ImGui::SameLine();
    if (Button("AWS account", true)) intents.push_back({Intent::Kind::OpenAwsAccount, {}});
    Probe("dashboard/aws-account", "AWS account");
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

// Sorting by status lists what needs attention first: red, then orange (deploying), green, grey.
int StatusRank(const std::string& light) {
    if (light == "red") return 0;
    if (light == "orange") return 1;
    if (light == "green") return 2;
    return 3;
}

std::string Lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// The rows to show: those whose name contains the search text (any case), in the chosen order.
std::vector<const PlanRow*> Visible(const DashboardState& dashboard) {
    const std::string needle = Lower(dashboard.search);
    std::vector<const PlanRow*> rows;
    for (const PlanRow& row : dashboard.plans) {
        if (needle.empty() || Lower(row.summary.name).find(needle) != std::string::npos) rows.push_back(&row);
    }
    auto by_name = [](const PlanRow* a, const PlanRow* b) {
        const std::string la = Lower(a->summary.name), lb = Lower(b->summary.name);
        return la != lb ? la < lb : a->key < b->key;
    };
    switch (dashboard.sort) {
        case PlanSort::Name: std::sort(rows.begin(), rows.end(), by_name); break;
        case PlanSort::LastChange:
            // RFC 3339 UTC strings of the same shape compare as times.
            std::sort(rows.begin(), rows.end(), [&](const PlanRow* a, const PlanRow* b) {
                return a->summary.updated_at != b->summary.updated_at ? a->summary.updated_at > b->summary.updated_at
                                                                      : by_name(a, b);
            });
            break;
        case PlanSort::Status:
            std::sort(rows.begin(), rows.end(), [&](const PlanRow* a, const PlanRow* b) {
                const int ra = StatusRank(a->summary.status.light), rb = StatusRank(b->summary.status.light);
                return ra != rb ? ra < rb : by_name(a, b);
            });
            break;
    }
    return rows;
}

void DrawFilterRow(DashboardState& dashboard) {
    const float scale = Scale();
    ImGui::SetNextItemWidth(std::min(300 * scale, ImGui::GetContentRegionAvail().x * 0.4f));
    ImGui::InputTextWithHint("##search", "Search plans by name", &dashboard.search);
    Probe("dashboard/search", dashboard.search);
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ColoredText(kColorMuted, "Sort by");
    struct Choice { PlanSort sort; const char* label; const char* probe; };
    for (const Choice& choice : {Choice{PlanSort::LastChange, "Last change", "dashboard/sort/changed"},
                                 Choice{PlanSort::Name, "Name", "dashboard/sort/name"},
                                 Choice{PlanSort::Status, "Status", "dashboard/sort/status"}}) {
        ImGui::SameLine();
        const bool active = dashboard.sort == choice.sort;
        if (active) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetColorU32(ImGuiCol_ButtonActive));
        if (ImGui::Button(choice.label)) dashboard.sort = choice.sort;
        if (active) ImGui::PopStyleColor();
        Probe(choice.probe, active ? std::string(choice.label) + " (active)" : choice.label);
    }
}

// "not synced", "conflict" or "only on this device" beside the name; nothing when in step with the server.
void DrawSyncBadge(const PlanRow& row, const std::string& probe) {
    std::string badge;
    ImU32 color = kColorWarning;
    if (row.conflict) {
        badge = "conflict: open to choose";
        color = kColorError;
    } else if (row.local_only) {
        badge = "only on this device";
    } else if (row.pending > 0) {
        badge = "not synced";
    }
    if (badge.empty()) return;
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, color);
    ImGui::TextUnformatted(badge.c_str());
    ImGui::PopStyleColor();
    Probe(probe + "/sync", badge);
}

void DrawTable(const AppState& state, DashboardState& dashboard, Intents& intents) {
    const std::vector<const PlanRow*> rows = Visible(dashboard);
    if (rows.empty()) {
        ColoredText(kColorMuted, "No plan matches \"" + dashboard.search + "\".", "dashboard/no-match");
        return;
    }
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                  ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_PadOuterX |
                                  ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("plans", 7, flags)) return;
    ImGui::TableSetupColumn("##status", ImGuiTableColumnFlags_WidthFixed, ImGui::GetTextLineHeight());
    ImGui::TableSetupColumn("Name", ImGuiTableColumnFlags_WidthStretch, 3.0f);
    ImGui::TableSetupColumn("Environment", ImGuiTableColumnFlags_WidthStretch, 1.2f);
    ImGui::TableSetupColumn("Revision", ImGuiTableColumnFlags_WidthStretch, 0.8f);
    ImGui::TableSetupColumn("Last change", ImGuiTableColumnFlags_WidthStretch, 1.3f);
    ImGui::TableSetupColumn("Last deployed", ImGuiTableColumnFlags_WidthStretch, 1.3f);
    ImGui::TableSetupColumn("##actions", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableHeadersRow();
    for (const PlanRow* row : rows) {
        const PlanSummary& plan = row->summary;
        const std::string probe = "dashboard/plan/" + plan.name;
        ImGui::PushID(row->key.c_str());
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        StatusDot(plan.status, probe + "/status");
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        const ImVec2 name_size = ImGui::CalcTextSize(plan.name.c_str());
        if (ImGui::Selectable(plan.name.c_str(), false, ImGuiSelectableFlags_AllowItemOverlap, ImVec2(name_size.x, 0))) {
            intents.push_back({Intent::Kind::OpenPlan, row->key});
        }
        Probe(probe, plan.name);
        DrawSyncBadge(*row, probe);
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(plan.environment.c_str());
        Probe(probe + "/environment", plan.environment);
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        const std::string revision = row->local_only ? "new" : std::to_string(plan.revision);
        ImGui::TextUnformatted(revision.c_str());
        Probe(probe + "/revision", revision);
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        const std::string when = FormatWhen(plan.updated_at, state.now_unix);
        ImGui::TextUnformatted(when.c_str());
        if (ImGui::IsItemHovered() && !plan.updated_at.empty()) ImGui::SetTooltip("%s", plan.updated_at.c_str());
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        const std::string deployed =
            plan.status.last_deployed_at.empty() ? "never" : FormatWhen(plan.status.last_deployed_at, state.now_unix);
        ColoredText(plan.status.last_deployed_at.empty() ? kColorMuted : ImGui::GetColorU32(ImGuiCol_Text), deployed,
                    probe + "/deployed");
        ImGui::TableNextColumn();
        if (ImGui::Button("Open")) intents.push_back({Intent::Kind::OpenPlan, row->key});
        Probe(probe + "/open", "Open");
        ImGui::SameLine();
        if (ImGui::Button(kIconTrash)) {
            dashboard.confirm_delete_id = row->key;
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
    if (TopBar(state.session.email, "dashboard", [&state] { DrawSyncIndicator(state); })) {
        intents.push_back({Intent::Kind::Logout, {}});
    }
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
        DrawFilterRow(dashboard);
        ImGui::Dummy(ImVec2(0, 2 * scale));
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
