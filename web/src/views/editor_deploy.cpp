// The editor's Deployment tab: the plan's light with the monitor's last checks (backup, validation), how
// to connect (host, port, database, user, sslmode, a psql line and a URI to copy; the password only after
// "Show password"), "Back up now" and "Destroy" (confirmed), and the newest job with its steps and events.
// Everything comes from state.plan.deploy, which App keeps (app_deploy.cpp).
#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>

#include <imgui.h>

#include "platform/platform.hpp"
#include "theme.hpp"
#include "ui_probe.hpp"
#include "views/editor_views.hpp"
#include "views/widgets.hpp"

namespace ui::editor {
namespace {

// Local and cloud servers accept the application role only over TLS (hostssl rules, BuildServerConfig);
// the local target's certificate is self-signed, so "require" (encrypt) rather than "verify-full".
constexpr const char* kSslMode = "require";
constexpr const char* kIconEye = "\xef\x81\xae";  // fa-eye

std::string Percent(double fraction) { return std::to_string(static_cast<int>(fraction * 100 + 0.5)) + "%"; }

const char* KindVerb(const std::string& kind) {
    if (kind == "destroy") return "Destroy";
    if (kind == "backup") return "Backup";
    if (kind == "redeploy") return "Re-deploy";
    return "Deploy";
}

// "127.0.0.1" stays as is; anything with a colon (IPv6) needs brackets in a URI.
std::string UriHost(const std::string& host) { return host.find(':') != std::string::npos ? "[" + host + "]" : host; }

void Label(const char* text) {
    ImGui::AlignTextToFramePadding();
    ImGui::PushStyleColor(ImGuiCol_Text, kColorMuted);
    ImGui::TextUnformatted(text);
    ImGui::PopStyleColor();
}

// One label/value pair in the next two cells of the connection table.
void Cell(const char* label, const std::string& value, const std::string& probe_id) {
    ImGui::TableNextColumn();
    Label(label);
    ImGui::TableNextColumn();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(value.c_str());
    Probe(probe_id, value);
}

// A Copy button for `text`, shown in the item drawn just before it: copies from the click's frame (the
// browser's user-activation window) and remembers what was copied, for CopyOutcomeLine.
void CopyButton(DeployState& deploy, const char* label, const std::string& text, const std::string& what,
                const std::string& probe_id) {
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    ImGui::SameLine();
    if (ImGui::Button(label)) {
        deploy.copy_ticket = platform::CopyText(text, min.x, min.y, max.x - min.x, max.y - min.y);
        deploy.copy_what = what;
    }
    Probe(probe_id + "/copy", "Copy");
}

// Under the last line to copy, so that nothing above it moves (a refused copy leaves its text selected in
// a box over its field): "Copied the psql line.", or, when the browser refused every way to copy
// (platform::CopyText), how to copy by hand. Probe deploy/copy-status.
void CopyOutcomeLine(const DeployState& deploy, float indent) {
    if (deploy.copy_ticket == 0) return;
    const platform::CopyOutcome outcome = platform::CopyStatus(deploy.copy_ticket);
    if (outcome == platform::CopyOutcome::Pending) return;
    ImGui::Indent(indent);
    if (outcome == platform::CopyOutcome::Copied) {
        ColoredText(kColorMuted, "Copied the " + deploy.copy_what + ".", "deploy/copy-status");
    } else {
        ColoredText(kColorWarning,
                    std::string(kIconWarning) + "  This browser did not let the app copy the " + deploy.copy_what +
                        ". Select and copy with Ctrl+C (it is selected for you until you click elsewhere).",
                    "deploy/copy-status");
    }
    ImGui::Unindent(indent);
}

// Text to copy: a label, the text read-only (selectable, scrolls when long) and a Copy button, on one line.
void CopyLine(DeployState& deploy, const char* label, const std::string& text, const std::string& what,
              const std::string& probe_id, float label_w) {
    ImGui::PushID(probe_id.c_str());
    Label(label);
    ImGui::SameLine(label_w);
    const float copy_w = ImGui::CalcTextSize("Copy").x + ImGui::GetStyle().FramePadding.x * 2;
    ImGui::SetNextItemWidth(-(copy_w + ImGui::GetStyle().ItemSpacing.x));
    std::string shown = text;  // InputText wants a mutable buffer; ReadOnly keeps it as it is
    ImGui::InputText("##line", &shown[0], shown.size() + 1, ImGuiInputTextFlags_ReadOnly);
    Probe(probe_id, text);
    CopyButton(deploy, "Copy", text, what, probe_id);
    ImGui::PopID();
}

// ColoredText that keeps its line when there is nothing to say yet.
void ReservedLine(ImU32 color, const std::string& text, std::string_view probe_id) {
    if (text.empty()) {
        ImGui::NewLine();
        return;
    }
    ColoredText(color, text, probe_id);
}

// The light in words, with "Back up now" and "Destroy" at the right of the same line; the reason below.
void DrawStatus(const AppState& state, PlanViewState& view, Intents& intents) {
    const StatusLight& status = view.resource->status;
    DeployState& deploy = view.deploy;
    StatusDot(status, "deploy/status");
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    const bool destroying = deploy.JobRunning() && deploy.job->kind == "destroy";
    const char* word = status.light == "grey"     ? "Not deployed"
                       : status.light == "orange" ? (destroying ? "Destroying" : "Deploying")
                       : status.light == "green"  ? "Running"
                                                  : "Needs attention";
    ImGui::TextUnformatted(word);
    Probe("deploy/status-word", word);

    const bool deployed = status.light != "grey" || deploy.connection.has_value();
    const bool idle = !deploy.requesting && !deploy.JobRunning();
    const std::string backup_label = std::string(kIconRefresh) + "  Back up now";
    const std::string destroy = std::string(kIconTrash) + "  Destroy";
    const ImGuiStyle& style = ImGui::GetStyle();
    const float buttons = ImGui::CalcTextSize(backup_label.c_str()).x + ImGui::CalcTextSize(destroy.c_str()).x +
                          style.FramePadding.x * 4 + style.ItemSpacing.x;
    const float after_word = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + style.ItemSpacing.x;
    ImGui::SameLine(std::max(after_word, ImGui::GetWindowContentRegionMax().x - buttons));
    if (Button(backup_label.c_str(), deployed && idle)) intents.push_back({Intent::Kind::BackupPlan, {}});
    Probe("deploy/backup", deployed && idle ? "enabled" : "disabled");
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
        ImGui::SetTooltip("%s", "Takes a backup now and checks it by restoring it into a scratch server.");
    }
    ImGui::SameLine();
    if (DangerButton(destroy.c_str(), deployed && idle)) deploy.confirm_destroy = true;
    Probe("deploy/destroy", deployed && idle ? "enabled" : "disabled");

    std::string text;
    if (!status.reason.empty() && status.light != "green") text = status.reason;
    if (status.light == "orange" && !status.step.empty()) text = "Step " + status.step + ", " + Percent(status.progress) + " done";
    // The status, facts and backup lines always take their line, empty or not: the monitor fills them in
    // seconds after a deploy, and the buttons below must not move under a user's pointer when it does.
    ReservedLine(status.light == "red" ? kColorError : ImGui::GetColorU32(ImGuiCol_Text), text, "deploy/status-text");
    std::string facts;
    if (!status.last_deployed_at.empty() && status.light != "grey") {  // after a destroy it runs no more
        facts += "Deployed " + FormatWhen(status.last_deployed_at, state.now_unix);
    }
    if (!status.checked_at.empty()) {
        facts += (facts.empty() ? "Checked " : "  ·  checked ") + FormatWhen(status.checked_at, state.now_unix);
    }
    ReservedLine(kColorMuted, facts, "deploy/facts");

    // What the monitor saw last: backups and their validation (docs/deploy.md, Health.checks).
    static const nlohmann::json kNoChecks = nlohmann::json::object();
    const nlohmann::json& checks = status.checks.is_object() ? status.checks : kNoChecks;
    std::string backup;
    if (auto at = checks.find("last_backup_at"); at != checks.end() && at->is_string()) {
        const bool ok = checks.value("last_backup_ok", false);
        backup = "Last backup " + FormatWhen(*at, state.now_unix) + (ok ? " (ok)" : " (failed)");
    }
    if (auto v = checks.find("last_validation"); v != checks.end() && v->is_object()) {
        const std::string at = v->value("at", "");
        backup += std::string(backup.empty() ? "Backup" : "  ·  backup") + " validation " +
                  (v->value("ok", false) ? "passed " : "FAILED ") + FormatWhen(at, state.now_unix);
    }
    if (auto next = checks.find("next_backup_at"); next != checks.end() && next->is_string()) {
        backup += (backup.empty() ? "Next backup " : "  ·  next ") + next->get<std::string>();
    }
    if (backup.empty() && status.light != "grey" && status.checks.is_object()) backup = "No backup yet.";
    ReservedLine(kColorMuted, backup, "deploy/backup-status");
}

void DrawConnection(PlanViewState& view, Intents& intents) {
    DeployState& deploy = view.deploy;
    SectionTitle("Connect");
    if (!deploy.connection) {
        ColoredText(kColorMuted, view.resource->status.light == "grey"
                                     ? "How to connect appears here once the plan is deployed."
                                     : "Loading the connection details...",
                    "deploy/connection-empty");
        return;
    }
    const ConnectionDetails& c = *deploy.connection;
    const ConnectionEndpoint& primary = c.endpoints.front();
    const float label_w = ImGui::CalcTextSize("Password").x + ImGui::GetStyle().ItemSpacing.x * 2;
    if (ImGui::BeginTable("connection", 4, ImGuiTableFlags_SizingFixedFit)) {
        Cell("Host", primary.host, "deploy/host");
        Cell("Port", std::to_string(primary.port), "deploy/port");
        Cell("Database", c.database, "deploy/database");
        Cell("User", c.user, "deploy/user");
        Cell("SSL mode", kSslMode, "deploy/sslmode");
        for (std::size_t i = 1; i < c.endpoints.size(); ++i) {
            const ConnectionEndpoint& e = c.endpoints[i];
            Cell(e.role == "replica" ? "Replica" : e.role.c_str(), e.host + ":" + std::to_string(e.port),
                 "deploy/endpoint/" + std::to_string(i));
        }
        ImGui::EndTable();
    }
    // The password: only on a deliberate click, never stored, hidden again when this tab is left.
    Label("Password");
    ImGui::SameLine(label_w);
    if (deploy.password.empty()) {
        const std::string show = std::string(kIconEye) + "  Show password";
        if (Button(show.c_str(), !deploy.password_loading)) intents.push_back({Intent::Kind::ShowPassword, {}});
        Probe("deploy/show-password", "Show password");
    } else {
        const float buttons_w = ImGui::CalcTextSize("CopyHide").x + ImGui::GetStyle().FramePadding.x * 4 +
                                ImGui::GetStyle().ItemSpacing.x * 2;
        ImGui::SetNextItemWidth(-buttons_w);
        std::string shown = deploy.password.str();
        ImGui::InputText("##password", &shown[0], shown.size() + 1, ImGuiInputTextFlags_ReadOnly);
        for (char& ch : shown) ch = '\0';
        Probe("deploy/password", deploy.password.str());
        CopyButton(deploy, "Copy##password", deploy.password.str(), "password", "deploy/password");
        ImGui::SameLine();
        if (ImGui::Button("Hide")) deploy.password.Wipe();
        Probe("deploy/hide-password", "Hide");
    }
    // Ready to paste; psql asks for the password (or reads PGPASSWORD), so it is never in the line.
    const std::string port = std::to_string(primary.port);
    CopyLine(deploy, "psql", "psql \"host=" + primary.host + " port=" + port + " dbname=" + c.database + " user=" + c.user +
                         " sslmode=" + kSslMode + "\"",
             "psql line", "deploy/psql", label_w);
    CopyLine(deploy, "URI", "postgresql://" + c.user + "@" + UriHost(primary.host) + ":" + port + "/" + c.database +
                        "?sslmode=" + kSslMode,
             "URI", "deploy/uri", label_w);
    CopyOutcomeLine(deploy, label_w);
}

// The gateway's answer to a refused request, and the destroy confirmation.
void DrawActions(PlanViewState& view, Intents& intents) {
    DeployState& deploy = view.deploy;
    const std::string destroy = std::string(kIconTrash) + "  Destroy";
    constexpr const char* kPopup = "Destroy deployment?";
    if (deploy.confirm_destroy && !ImGui::IsPopupOpen(kPopup)) ImGui::OpenPopup(kPopup);
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    if (ImGui::BeginPopupModal(kPopup, nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoMove)) {
        const std::string message = "Destroy the running PostgreSQL of \"" + view.editor.doc.Plan().name +
                                    "\"?\nA final backup is taken first; then the servers are stopped and their "
                                    "data removed.\nThe plan itself stays and can be deployed again.";
        ImGui::TextUnformatted(message.c_str());
        Probe("confirm/destroy-message", message);
        ImGui::Dummy(ImVec2(0, 6 * Scale()));
        bool close = false;
        if (DangerButton(destroy.c_str())) {
            intents.push_back({Intent::Kind::DestroyPlan, {}});
            close = true;
        }
        Probe("confirm/destroy", "Destroy");
        ImGui::SameLine();
        if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) close = true;
        Probe("confirm/destroy-cancel", "Cancel");
        if (close) {
            deploy.confirm_destroy = false;
            ImGui::CloseCurrentPopup();
        }
        ImGui::EndPopup();
    }
}

const char* StepIcon(const std::string& state) {
    if (state == "done") return "\xef\x80\x8c";     // fa-check
    if (state == "failed") return "\xef\x80\x8d";   // fa-times
    if (state == "running") return "\xef\x84\x90";  // fa-spinner
    return "\xc2\xb7";                             // middle dot: not started
}

void DrawEvents(const Deployment& job, bool running) {
    if (job.events.empty()) return;
    std::string all;
    for (const DeploymentEvent& event : job.events) all += event.message + "\n";
    ImGui::Dummy(ImVec2(0, 2 * Scale()));
    ImGui::PushStyleColor(ImGuiCol_Text, kColorMuted);
    ImGui::TextUnformatted("Events of the latest job (UTC)");
    ImGui::PopStyleColor();
    Probe("deploy/events", all);
    ImGui::BeginChild("events", ImVec2(0, std::max(ImGui::GetContentRegionAvail().y, 120 * Scale())), true);
    for (const DeploymentEvent& event : job.events) {
        const std::string time = event.at.size() >= 19 ? event.at.substr(11, 8) : event.at;  // HH:MM:SS
        const ImU32 color = event.level == "error" ? kColorError : event.level == "warning" ? kColorWarning
                                                                                              : ImGui::GetColorU32(ImGuiCol_Text);
        ColoredText(color, time + "  " + event.message);
    }
    if (running && ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 4) ImGui::SetScrollHereY(1.0f);  // follow the newest
    ImGui::EndChild();
}

// The newest job: its summary and steps (events = false), or its events in a scrolling box (events = true).
void DrawJob(const AppState& state, const DeployState& deploy, bool events) {
    if (events) {
        if (deploy.job) DrawEvents(*deploy.job, deploy.JobRunning());
        return;
    }
    SectionTitle("Latest job");
    if (!deploy.job) {
        ColoredText(kColorMuted, "No deployment yet. Press Deploy to run this plan.", "deploy/job-empty");
        return;
    }
    const Deployment& job = *deploy.job;
    std::string head = JobSummary(job);
    if (!job.created_at.empty()) head += "  ·  started " + FormatWhen(job.created_at, state.now_unix);
    ColoredText(job.state == "failed" ? kColorError : job.state == "succeeded" ? kColorSuccess : kColorWarning, head,
                "deploy/job");
    if (deploy.JobRunning()) ImGui::ProgressBar(static_cast<float>(job.progress), ImVec2(-1, 4 * Scale()), "");
    // The steps in a row (they wrap when the panel is narrow): done, running, failed or not started yet.
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    for (std::size_t i = 0; i < job.steps.size(); ++i) {
        const DeploymentStep& step = job.steps[i];
        std::string chip = std::string(StepIcon(step.state)) + " " + step.name;
        if (step.runs > 1) chip += " (" + std::to_string(step.runs) + " runs)";
        if (i > 0) {
            ImGui::SameLine(0, 12 * Scale());
            if (ImGui::GetCursorScreenPos().x + ImGui::CalcTextSize(chip.c_str()).x > right) ImGui::NewLine();
        }
        const ImU32 color = step.state == "done" ? kColorSuccess : step.state == "failed" ? kColorError
                            : step.state == "running" ? kColorWarning : kColorMuted;
        ImGui::PushStyleColor(ImGuiCol_Text, color);
        ImGui::TextUnformatted(chip.c_str());
        ImGui::PopStyleColor();
        Probe("deploy/step/" + step.name, step.state);
    }
}

}  // namespace

std::string JobSummary(const Deployment& job) {
    const std::string verb = KindVerb(job.kind);
    const std::string revision = job.revision > 0 && (job.kind == "deploy" || job.kind == "redeploy")
                                     ? " of revision " + std::to_string(job.revision) : "";
    if (job.state == "queued") return verb + revision + ": queued";
    if (job.state == "running") {
        return verb + revision + ": " + (job.step.empty() ? std::string("starting") : job.step) + " (" +
               Percent(job.progress) + ")";
    }
    if (job.state == "failed") return verb + revision + " failed" + (job.error.empty() ? "" : ": " + job.error);
    if (job.state == "succeeded") return verb + revision + " succeeded";
    return verb + revision + ": " + job.state;
}

void DrawDeployment(AppState& state, Intents& intents) {
    PlanViewState& view = state.plan;
    if (!view.resource) return;
    // Tighter than the forms: the whole panel should fit a laptop screen without scrolling.
    const float scale = Scale();
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ImGui::GetStyle().ItemSpacing.x, 5 * scale));
    ImGui::PushStyleVar(ImGuiStyleVar_CellPadding, ImVec2(6 * scale, 1 * scale));
    DrawStatus(state, view, intents);
    ColoredText(kColorWarning, view.deploy.message, "deploy/message");
    DrawActions(view, intents);
    DrawJob(state, view.deploy, /*events=*/false);
    DrawConnection(view, intents);
    DrawJob(state, view.deploy, /*events=*/true);
    ImGui::PopStyleVar(2);
}

}  // namespace ui::editor
