// The plan screen: the editor. Top: back, title, status, revision, rename/delete, undo/redo, Save and
// Deploy (with why it is disabled) and the deployment's progress. Below: palette | canvas over a tab
// strip (problems, previews) | properties or deployment (tabs). The sync indicator is in the top bar. Keyboard: Ctrl+S save, Ctrl+Z/Ctrl+Y (or Ctrl+Shift+Z)
// undo/redo, Ctrl+C/Ctrl+V copy/paste, Ctrl+A select all, Delete remove, Escape deselect.
#include <algorithm>
#include <cstdio>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include "platform/platform.hpp"
#include "theme.hpp"
#include "ui_probe.hpp"
#include "views/editor_views.hpp"
#include "views/views.hpp"
#include "views/widgets.hpp"

namespace ui {
namespace editor {

std::string DeployBlocker(const PlanViewState& view) {
    if (!view.resource || !view.readable) return "This plan could not be read.";
    const EditorState& editor = view.editor;
    if (const int errors = editor.doc.CurrentProblems().ErrorCount(); errors > 0) {
        return "Fix " + std::to_string(errors) + (errors == 1 ? " problem" : " problems") + " before deploying.";
    }
    if (view.saving) return "Saving...";
    if (editor.doc.Dirty()) return "Save your changes first (Ctrl+S).";
    // The gateway deploys the revision it has: saved changes still on this device must reach it first.
    if (view.sync_conflict) return "Choose which version to keep first.";
    if (view.unsynced > 0) {
        return "Waiting to sync " + std::to_string(view.unsynced) + (view.unsynced == 1 ? " change." : " changes.");
    }
    const DeployState& deploy = view.deploy;
    if (deploy.requesting || deploy.JobRunning() || view.resource->status.light == "orange") {
        if (deploy.job && deploy.JobRunning() && deploy.job->kind == "destroy") return "The plan is being destroyed.";
        if (deploy.job && deploy.JobRunning() && deploy.job->kind == "backup") return "A backup of this plan is running.";
        return "A deployment of this plan is running.";
    }
    return {};
}

}  // namespace editor

namespace {

using editor::EditorState;

// Letters: ImGui 1.86's GLFW backend indexes io.KeysDown by GLFW key code, which is the ASCII capital.
bool Pressed(char key) { return ImGui::IsKeyPressed(static_cast<int>(key), /*repeat=*/false); }

void Shortcuts(AppState& state, Intents& intents) {
    PlanViewState& view = state.plan;
    const ImGuiIO& io = ImGui::GetIO();
    editor::Document& doc = view.editor.doc;
    const bool ctrl = io.KeyCtrl || io.KeySuper;
    if (ctrl && Pressed('S')) intents.push_back({Intent::Kind::SavePlan, {}});
    if (io.WantTextInput || ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId)) return;  // keys belong to the field
    if (ctrl && ((Pressed('Z') && io.KeyShift) || Pressed('Y'))) {
        doc.Redo();
    } else if (ctrl && Pressed('Z')) {
        doc.Undo();
    }
    if (ctrl && Pressed('C') && !doc.Selection().empty()) {
        doc.CopySelection();
        // Also on the system clipboard (cs-json of the copied components), for another tab or program.
        view.editor.copy_ticket = platform::CopyText(doc.ClipboardText(), 0, 0, 0, 0);
    }
    if (ctrl && Pressed('V')) {
        // The system clipboard's components when it holds cs-json (copied here or in another tab). Other text
        // there is newer than anything copied here, so it pastes nothing, unless the last copy here never
        // reached the system clipboard (refused) or the browser sent no paste event: then the app's own.
        const int ticket = view.editor.copy_ticket;
        const bool own_copy_lost = ticket != 0 && platform::CopyStatus(ticket) != platform::CopyOutcome::Copied;
        if (state.pasted ? !doc.PasteText(*state.pasted) && own_copy_lost : true) doc.Paste();
    }
    if (ctrl && Pressed('A')) doc.SelectAll();
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Delete), false) ||
        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Backspace), false)) {
        doc.DeleteSelection();
    }
    // Escape closes the popup that was open, and only that (ImGui closed it already this frame).
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false) && !view.editor.popup_was_open) {
        doc.ClearSelection();
    }
}

void Toolbar(AppState& state, Intents& intents) {
    PlanViewState& view = state.plan;
    editor::EditorState& ed = view.editor;
    const float scale = Scale();
    const PlanResource& resource = *view.resource;
    const std::string name = view.readable ? ed.doc.Plan().name : resource.document.value("name", std::string("(unnamed)"));

    ImGui::SameLine();
    ImGui::PushFont(HeadingFont());
    ImGui::TextUnformatted(name.c_str());
    ImGui::PopFont();
    Probe("plan/title", name);
    ImGui::SameLine();
    StatusDot(resource.status, "plan/status");
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    std::string facts = "Revision " + std::to_string(resource.revision);
    if (view.readable) facts += "  ·  " + std::string(plan::ToString(ed.doc.Plan().environment));
    facts += "  ·  updated " + FormatWhen(resource.updated_at, state.now_unix);
    ImGui::PushStyleColor(ImGuiCol_Text, kColorMuted);
    ImGui::TextUnformatted(facts.c_str());
    ImGui::PopStyleColor();
    Probe("plan/revision", std::to_string(resource.revision));
    if (view.readable && ed.doc.Dirty()) {
        ImGui::SameLine();
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(kColorWarning), "unsaved changes");
        Probe("editor/dirty", "unsaved changes");
    }

    // Right side: undo, redo, save, deploy.
    std::string undo = std::string("\xef\x83\xa2") + "  Undo";  // fa-undo
    std::string redo = std::string("\xef\x80\x9e") + "  Redo";  // fa-repeat
    const std::string save = std::string("\xef\x83\x87") + "  Save";  // fa-floppy-o
    const std::string deploy = std::string("\xef\x84\xb5") + "  Deploy";  // fa-rocket
    const ImGuiStyle& style = ImGui::GetStyle();
    auto width_of = [&style](std::initializer_list<const std::string*> labels) {
        float width = 0;
        for (const std::string* label : labels) {
            width += ImGui::CalcTextSize(label->c_str(), nullptr, true).x + style.FramePadding.x * 2 + style.ItemSpacing.x;
        }
        return width;
    };
    // Right-aligned after the facts. Where they do not fit (a 1024 px window), Undo and Redo show only their
    // icons (the tooltip names them), so the toolbar keeps one line; in a window narrower still, the buttons
    // take a line of their own (never drawn over the facts).
    const float facts_end = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + style.ItemSpacing.x;
    float buttons_x = ImGui::GetWindowContentRegionMax().x - width_of({&undo, &redo, &save, &deploy});
    if (buttons_x < facts_end) {
        undo = std::string("\xef\x83\xa2") + "##undo";
        redo = std::string("\xef\x80\x9e") + "##redo";
        buttons_x = ImGui::GetWindowContentRegionMax().x - width_of({&undo, &redo, &save, &deploy});
    }
    if (buttons_x >= facts_end) {
        ImGui::SameLine(buttons_x);
    } else {
        ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), buttons_x));
    }
    if (!view.readable) {
        ImGui::NewLine();
        return;
    }
    if (Button(undo.c_str(), ed.doc.CanUndo())) ed.doc.Undo();
    if (ImGui::IsItemHovered() && ed.doc.CanUndo()) ImGui::SetTooltip("Undo %s (Ctrl+Z)", ed.doc.UndoLabel().c_str());
    Probe("editor/undo", ed.doc.UndoLabel());
    ImGui::SameLine();
    if (Button(redo.c_str(), ed.doc.CanRedo())) ed.doc.Redo();
    if (ImGui::IsItemHovered() && ed.doc.CanRedo()) ImGui::SetTooltip("Redo %s (Ctrl+Y)", ed.doc.RedoLabel().c_str());
    Probe("editor/redo", ed.doc.RedoLabel());
    ImGui::SameLine();
    const bool can_save = !view.saving && (ed.doc.Dirty() || ed.conflict) && !ed.doc.HasErrors();
    if (Button(save.c_str(), can_save)) intents.push_back({Intent::Kind::SavePlan, {}});
    Probe("editor/save", can_save ? "enabled" : "disabled");
    ImGui::SameLine();
    const std::string blocker = editor::DeployBlocker(view);
    if (PrimaryButton(deploy.c_str(), blocker.empty())) intents.push_back({Intent::Kind::DeployPlan, {}});
    Probe("editor/deploy", blocker.empty() ? "enabled" : "disabled");
    (void)scale;
}

void StatusLines(PlanViewState& view, Intents& intents) {
    editor::EditorState& ed = view.editor;
    const float scale = Scale();
    bool rename = false;
    ImGui::SetNextItemWidth(260 * scale);
    rename |= ImGui::InputText("##name", &view.rename_to, ImGuiInputTextFlags_EnterReturnsTrue);
    Probe("plan/name-input", view.rename_to);
    ImGui::SameLine();
    const std::string rename_label = std::string(kIconPencil) + "  Rename";
    rename |= Button(rename_label.c_str(), !view.saving && view.readable);
    Probe("plan/rename", "Rename");
    if (rename && !view.saving) intents.push_back({Intent::Kind::RenamePlan, {}});
    ImGui::SameLine();
    const std::string delete_label = std::string(kIconTrash) + "  Delete";
    if (DangerButton(delete_label.c_str(), !view.saving)) view.confirm_delete = true;
    Probe("plan/delete", "Delete");
    const float after_buttons = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + 16 * scale;

    // Right: the running job's progress, the gateway's refusal, why Deploy is disabled, or the last job.
    const std::string blocker = editor::DeployBlocker(view);
    const DeployState& deploy = view.deploy;
    std::string deploy_text;
    std::string deploy_probe = "editor/deploy-reason";
    ImU32 deploy_color = kColorMuted;
    if (deploy.JobRunning() || (deploy.job && blocker.empty() && deploy.message.empty())) {
        deploy_text = editor::JobSummary(*deploy.job);
        deploy_probe = "editor/deployment";
        deploy_color = deploy.job->state == "failed" ? kColorError
                       : deploy.job->state == "succeeded" ? kColorSuccess : kColorWarning;
    } else if (!deploy.message.empty()) {
        deploy_text = deploy.message;
        deploy_color = kColorWarning;
    } else if (!blocker.empty() && view.readable) {
        deploy_text = "Deploy: " + blocker;
    }
    if (!deploy_text.empty()) {
        const float w = ImGui::CalcTextSize(deploy_text.c_str()).x;
        const float right = ImGui::GetWindowContentRegionMax().x - w;
        // Right-aligned beside the buttons when it fits; a long reason from the gateway gets its own line.
        if (right >= after_buttons) {
            ImGui::SameLine(right);
            ImGui::AlignTextToFramePadding();
        }
        ImGui::PushStyleColor(ImGuiCol_Text, deploy_color);
        ImGui::TextWrapped("%s", deploy_text.c_str());
        ImGui::PopStyleColor();
        Probe(deploy_probe, deploy_text);
        if (deploy.JobRunning()) {
            ImGui::ProgressBar(static_cast<float>(deploy.job->progress), ImVec2(-1, 4 * scale), "");
        }
    }

    ColoredText(kColorSuccess, view.notice, "plan/notice");
    ColoredText(kColorWarning, view.warning, "plan/warning");
    if (ed.conflict) {
        if (PrimaryButton("Keep mine", !view.saving)) intents.push_back({Intent::Kind::KeepMine, {}});
        Probe("editor/keep-mine", "Keep mine");
        ImGui::SameLine();
        if (Button("Load theirs", !view.saving)) intents.push_back({Intent::Kind::LoadTheirs, {}});
        Probe("editor/load-theirs", "Load theirs");
    }
    if (!view.error.empty()) ColoredText(kColorError, std::string(kIconWarning) + "  " + view.error, "plan/error");
}

// The bar between the canvas and the pane below: dragging it moves the split (share of `total` height).
// Returns true while it is being dragged.
bool Splitter(float& share, ImVec2 size, float total) {
    ImGui::InvisibleButton("##splitter", size);
    const bool active = ImGui::IsItemActive();
    if (active && total > 0) share = std::clamp(share - ImGui::GetIO().MouseDelta.y / total, 0.1f, 0.9f);
    if (active || ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeNS);
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    const float mid_y = (min.y + max.y) * 0.5f;
    const float grip = 24 * Scale();
    const float mid_x = (min.x + max.x) * 0.5f;
    const ImU32 color = active || ImGui::IsItemHovered() ? kColorAccent : kColorMuted;
    ImGui::GetWindowDrawList()->AddLine(ImVec2(mid_x - grip, mid_y), ImVec2(mid_x + grip, mid_y), color, 2 * Scale());
    Probe("editor/splitter", std::to_string(static_cast<int>(share * 100 + 0.5f)) + "%");
    return active;
}

void BottomTabs(EditorState& ed, Intents& intents) {
    // Scroll, not shrink: at 1024 px the seven tabs do not fit, and shrunk labels read "Proble…".
    if (!ImGui::BeginTabBar("bottom", ImGuiTabBarFlags_FittingPolicyScroll)) return;
    const int errors = ed.doc.CurrentProblems().ErrorCount();
    const std::size_t total = ed.doc.CurrentProblems().All().size();
    char problems[64];
    std::snprintf(problems, sizeof problems, "Problems (%zu)###problems", total);
    if (errors > 0) ImGui::PushStyleColor(ImGuiCol_Text, kColorError);
    const bool problems_open = ImGui::BeginTabItem(problems);
    if (errors > 0) ImGui::PopStyleColor();
    Probe("editor/tab/problems", problems);
    if (problems_open) {
        ImGui::BeginChild("problems-list");
        editor::DrawProblems(ed);
        ImGui::EndChild();
        ImGui::EndTabItem();
    }
    for (editor::PreviewKind kind : editor::kPreviewKinds) {
        static const char* kTitles[] = {"cs-json", "AWS", "Azure", "GCP", "postgresql.conf", "Cost / month"};
        const char* title = kTitles[static_cast<int>(kind)];
        const bool open = ImGui::BeginTabItem(title);
        Probe("editor/tab/" + std::string(editor::PreviewId(kind)), title);
        if (!open) continue;
        if (ed.preview_kind != kind) {
            ed.preview_kind = kind;
            ed.preview.reset();
        }
        editor::DrawPreview(ed, intents);
        ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
}

// The right column: the selection's properties, or the plan's deployment. A job started from here brings
// Deployment to the front; selecting something on the canvas brings Properties back.
void RightTabs(AppState& state, Intents& intents) {
    PlanViewState& view = state.plan;
    EditorState& ed = view.editor;
    if (!ImGui::BeginTabBar("right")) return;
    const std::set<std::string>& selection = ed.doc.Selection();
    const bool selected_now = selection != view.last_selection && !selection.empty();
    view.last_selection = selection;
    const ImGuiTabItemFlags props_flags = selected_now && !view.deploy.show_tab ? ImGuiTabItemFlags_SetSelected : 0;
    const ImGuiTabItemFlags deploy_flags = view.deploy.show_tab ? ImGuiTabItemFlags_SetSelected : 0;
    view.deploy.show_tab = false;
    const bool props_open = ImGui::BeginTabItem("Properties", nullptr, props_flags);
    Probe("editor/tab/properties", "Properties");
    if (props_open) {
        ImGui::BeginChild("properties-scroll");
        editor::DrawProperties(ed);
        ImGui::EndChild();
        ImGui::EndTabItem();
    }
    const bool deploy_open = ImGui::BeginTabItem("Deployment", nullptr, deploy_flags);
    Probe("editor/tab/deployment", "Deployment");
    if (deploy_open) {
        ImGui::BeginChild("deployment-scroll");
        editor::DrawDeployment(state, intents);
        ImGui::EndChild();
        ImGui::EndTabItem();
    } else {
        view.deploy.password.Wipe();  // hidden again as soon as the panel is left
    }
    ImGui::EndTabBar();
}

// Leaving with unsaved edits ("All plans", Back/Forward, signing out): asks, never throws them away.
// Escape is "Keep editing". A save that fails (a problem to fix) keeps the user here with the reason.
void LeaveDialog(const PlanViewState& view, const std::string& name, Intents& intents) {
    constexpr const char* kPopup = "Unsaved changes";
    if (view.leave && !ImGui::IsPopupOpen(kPopup)) ImGui::OpenPopup(kPopup);
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->GetCenter(), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    if (!ImGui::BeginPopupModal(kPopup, nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoMove)) return;
    if (!view.leave) {  // answered (or the plan went away): close
        ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
        return;
    }
    const bool sign_out = view.leave->to == LeaveRequest::To::Logout;
    const std::string message = "You have unsaved changes to \"" + name + "\".";
    ImGui::TextUnformatted(message.c_str());
    Probe("leave/message", message);
    ColoredText(kColorMuted, sign_out ? "Save them before signing out?" : "Save them before leaving this plan?");
    ImGui::Dummy(ImVec2(0, 6 * Scale()));
    std::optional<Intent::Kind> answer;
    const std::string save = std::string("\xef\x83\x87") + "  Save";  // fa-floppy-o
    if (PrimaryButton(save.c_str())) answer = Intent::Kind::LeaveSave;
    Probe("leave/save", "Save");
    ImGui::SameLine();
    if (DangerButton("Discard")) answer = Intent::Kind::LeaveDiscard;
    Probe("leave/discard", "Discard");
    ImGui::SameLine();
    if (ImGui::Button("Keep editing") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) {
        answer = Intent::Kind::LeaveCancel;
    }
    Probe("leave/keep-editing", "Keep editing");
    if (answer) {
        intents.push_back({*answer, {}});
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

void DrawUnreadable(PlanViewState& view) {
    SectionTitle("This plan could not be read");
    for (const plan::Diagnostic& diagnostic : view.diagnostics) {
        ColoredText(kColorError, std::string(kIconWarning) + "  " + (diagnostic.path.empty() ? "/" : diagnostic.path) +
                                     ": " + diagnostic.message);
    }
    std::string codes;
    for (const plan::Diagnostic& diagnostic : view.diagnostics) codes += diagnostic.code + "\n";
    Probe("plan/diagnostics", codes);
    ImGui::InputTextMultiline("##raw", &view.raw_json, ImVec2(-1, -1), ImGuiInputTextFlags_ReadOnly);
    Probe("plan/json", view.raw_json);
}

}  // namespace

void DrawPlanView(AppState& state, Intents& intents) {
    BeginScreen("plan");
    if (TopBar(state.session.email, "plan", [&state] { DrawSyncIndicator(state); })) {
        intents.push_back({Intent::Kind::Logout, {}});
    }
    PlanViewState& view = state.plan;
    const float scale = Scale();

    const std::string back = std::string(kIconBack) + "  All plans";
    if (ImGui::Button(back.c_str())) intents.push_back({Intent::Kind::BackToDashboard, {}});
    Probe("plan/back", "All plans");
    if (!view.resource) {
        if (view.loading) ColoredText(kColorMuted, "Loading the plan...", "plan/loading");
        ColoredText(kColorError, view.error, "plan/error");
        ImGui::End();
        return;
    }
    Toolbar(state, intents);
    StatusLines(view, intents);
    const std::string name = view.readable ? view.editor.doc.Plan().name : view.rename_to;

    if (!view.readable) {
        DrawUnreadable(view);
    } else {
        EditorState& ed = view.editor;
        Shortcuts(state, intents);
        const ImVec2 avail = ImGui::GetContentRegionAvail();
        const float palette_w = 130 * scale;
        const float props_w = std::min(420 * scale, avail.x * 0.34f);
        const float spacing = ImGui::GetStyle().ItemSpacing.x;
        const float centre_w = std::max(avail.x - palette_w - props_w - spacing * 2, 100.0f);
        // Canvas over the problems/preview pane, split where the user dragged the splitter (half by default,
        // so a preview shows a page of text); each keeps a usable minimum in a short window.
        const float splitter_h = 8 * scale;
        const float min_bottom = std::min(140 * scale, avail.y * 0.5f);
        const float max_bottom = std::max(min_bottom, avail.y - splitter_h - 120 * scale);
        // Until the user drags the splitter, a short window (1024x700) gives the canvas the larger part:
        // half of ~450 px left the canvas too short to arrange more than a couple of nodes.
        float share = state.preview_share > 0 ? state.preview_share : avail.y < 560 * scale ? 0.45f : 0.5f;
        const float bottom_h = std::clamp(avail.y * share, min_bottom, max_bottom);

        ImGui::BeginChild("palette", ImVec2(palette_w, avail.y), false);
        editor::DrawPalette(ed);
        ImGui::EndChild();
        ImGui::SameLine();
        ImGui::BeginGroup();
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));  // the grid reaches the border
        ImGui::BeginChild("canvas", ImVec2(centre_w, avail.y - bottom_h - splitter_h), true,
                          ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoMove);
        editor::DrawCanvas(ed);
        // No item spacing around the splitter (it is the gap); pushed here so the canvas inside keeps its own.
        ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(spacing, 0));
        ImGui::EndChild();
        if (Splitter(share, ImVec2(centre_w, splitter_h), avail.y)) state.preview_share = share;
        ImGui::PopStyleVar(2);
        ImGui::BeginChild("bottom", ImVec2(centre_w, bottom_h), false);
        BottomTabs(ed, intents);
        ImGui::EndChild();
        ImGui::EndGroup();
        ImGui::SameLine();
        // Less padding than the forms elsewhere: this column is narrow and holds the most fields.
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(12 * scale, 8 * scale));
        ImGui::BeginChild("properties", ImVec2(props_w, avail.y), true);
        ImGui::PopStyleVar();
        RightTabs(state, intents);
        ImGui::EndChild();
    }

    switch (ConfirmDelete(view.confirm_delete, name)) {
        case Confirm::Yes: intents.push_back({Intent::Kind::DeletePlan, view.id}); [[fallthrough]];
        case Confirm::No: view.confirm_delete = false; break;
        case Confirm::Pending: break;
    }
    LeaveDialog(view, name, intents);
    // The conflict dialog (drawn after this screen) stays in ImGui's popup stack between frames, so it counts.
    view.editor.popup_was_open = ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId);
    ImGui::End();
}

}  // namespace ui
