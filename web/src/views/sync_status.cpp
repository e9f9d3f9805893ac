// The dashboard's and the plan screen's status bar: the online/offline indicator with the number of
// saves not yet on the server; and the dialog that shows both versions of a plan changed elsewhere.
#include <algorithm>
#include <string>

#include <imgui.h>

#include "theme.hpp"
#include "ui_probe.hpp"
#include "views/views.hpp"
#include "views/widgets.hpp"

namespace ui {
namespace {

std::string Plural(int count, const char* one, const char* many) {
    return std::to_string(count) + " " + (count == 1 ? one : many);
}

}  // namespace

std::string SyncIndicatorText(const SyncState& sync) {
    std::string text = sync.online ? "Online" : "Offline";
    if (sync.conflicts > 0) text += "  ·  " + Plural(sync.conflicts, "conflict to resolve", "conflicts to resolve");
    if (sync.pending > 0) {
        text += "  ·  " + Plural(sync.pending, "unsynced change", "unsynced changes");
    } else if (sync.online && sync.conflicts == 0) {
        text += "  ·  all changes synced";
    }
    if (sync.online && sync.syncing) text += "  ·  syncing...";
    return text;
}

void DrawSyncIndicator(const AppState& state) {
    // Drawn inside the top bar (TopBar's status slot), so it has a place of its own and never covers a
    // panel, a preview's last line or a button.
    const float scale = Scale();
    const SyncState& sync = state.sync;
    const ImU32 dot = !sync.online ? kColorMuted : sync.conflicts > 0 ? kColorError
                      : sync.pending > 0 ? kColorWarning : kColorSuccess;
    ImGui::AlignTextToFramePadding();
    const float radius = 5 * scale;
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float line = ImGui::GetFrameHeight();
    ImGui::Dummy(ImVec2(radius * 2, line));
    ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(at.x + radius, at.y + line * 0.5f), radius, dot);
    const bool dot_hovered = ImGui::IsItemHovered();
    ImGui::SameLine();
    const std::string text = SyncIndicatorText(sync);
    ImGui::PushStyleColor(ImGuiCol_Text, kColorMuted);
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopStyleColor();
    Probe("sync/indicator", text);
    if (dot_hovered || ImGui::IsItemHovered()) {
        ImGui::SetTooltip("%s", sync.online ? "Saves go to this device first, then to CloudSketch."
                                            : "You can keep working: saves stay on this device and are sent "
                                              "when the connection is back.");
    }
}

void DrawConflict(const AppState& state, Intents& intents) {
    constexpr const char* kPopup = "Changed elsewhere";
    const bool open = state.sync.conflict.has_value();
    if (!open) {
        // Resolved: an open modal that is no longer drawn would still block every other window.
        if (ImGui::IsPopupOpen(kPopup) && ImGui::BeginPopupModal(kPopup)) {
            ImGui::CloseCurrentPopup();
            ImGui::EndPopup();
        }
        return;
    }
    if (!ImGui::IsPopupOpen(kPopup)) ImGui::OpenPopup(kPopup);
    const ConflictView& conflict = *state.sync.conflict;
    // The two documents are for those who want them: folded until asked for, per conflict. (UI-only state,
    // like a tree node's; a new conflict starts folded again.)
    static std::string json_for_key;
    static bool show_json = false;
    if (json_for_key != conflict.key) {
        json_for_key = conflict.key;
        show_json = false;
    }
    const float scale = Scale();
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->GetCenter(), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    // Folded, the dialog is as tall as what it says (0 = fit to the content); unfolded, the documents get room.
    ImGui::SetNextWindowSize(ImVec2(std::min(viewport->WorkSize.x * 0.9f, 1000 * scale),
                                    show_json ? std::min(viewport->WorkSize.y * 0.85f, 640 * scale) : 0.0f),
                             ImGuiCond_Always);
    if (!ImGui::BeginPopupModal(kPopup, nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize)) return;
    const std::string message =
        conflict.mine_deleted
            ? "You deleted \"" + conflict.mine_name + "\", but it was changed elsewhere since this device last saw it "
              "(now revision " + std::to_string(conflict.theirs_revision) + "). Nothing has been deleted: delete "
              "their version anyway, or keep it."
        : conflict.deleted
            ? "\"" + conflict.mine_name + "\" was deleted elsewhere while you edited it on this device."
            : "\"" + conflict.mine_name + "\" was changed elsewhere (now revision " +
                  std::to_string(conflict.theirs_revision) +
                  ") while you edited it on this device. Nothing has been overwritten: choose the version to keep.";
    ColoredText(kColorWarning, std::string(kIconWarning) + "  " + message, "conflict/message");

    // What differs first, one line per field in the properties panel's words, so the choice can be made
    // without reading two documents.
    if (!conflict.lines.empty()) {
        ImGui::Dummy(ImVec2(0, 2 * scale));
        SectionTitle("What differs");
        std::string all;
        for (size_t i = 0; i < conflict.lines.size(); ++i) {
            ImGui::Bullet();
            ImGui::PushTextWrapPos(0);
            ImGui::TextUnformatted(conflict.lines[i].c_str());
            ImGui::PopTextWrapPos();
            Probe("conflict/difference/" + std::to_string(i), conflict.lines[i]);
            all += (i ? "\n" : "") + conflict.lines[i];
        }
        Probe("conflict/differences", all);
    }
    ImGui::Dummy(ImVec2(0, 4 * scale));
    const char* keep_mine = conflict.mine_deleted ? "Delete anyway"
                            : conflict.deleted    ? "Keep mine (save as a new plan)"
                                                  : "Keep mine (this device)";
    if (PrimaryButton(keep_mine)) {
        intents.push_back({Intent::Kind::KeepMine, conflict.key});
    }
    Probe("conflict/keep-mine", "Keep mine");
    Probe("editor/keep-mine", "Keep mine");  // the editor's name for the same choice
    ImGui::SameLine();
    if (ImGui::Button(conflict.mine_deleted ? "Keep theirs"
                      : conflict.deleted    ? "Discard mine"
                                            : "Take theirs (server)")) {
        intents.push_back({Intent::Kind::LoadTheirs, conflict.key});
    }
    Probe("conflict/take-theirs", "Take theirs");
    Probe("editor/load-theirs", "Take theirs");
    ImGui::Dummy(ImVec2(0, 4 * scale));

    // Each side titled by where it is, with the plan's name; the documents below, folded.
    const std::string theirs_title =
        conflict.deleted ? std::string("Server: deleted")
                         : "Server (revision " + std::to_string(conflict.theirs_revision) +
                               (conflict.theirs_when.empty() ? "" : ", changed at " + conflict.theirs_when) + ")";
    if (ImGui::BeginTable("sides", 2, ImGuiTableFlags_BordersInnerV)) {
        ImGui::TableNextColumn();
        SectionTitle(conflict.mine_deleted ? "This device: deleted" : "This device");
        ImGui::TextUnformatted(conflict.mine_deleted ? "(deleted)" : conflict.mine_name.c_str());
        Probe("conflict/mine", conflict.mine_deleted ? "(deleted)" : conflict.mine_name);
        ImGui::TableNextColumn();
        SectionTitle(theirs_title.c_str());
        Probe("conflict/theirs-title", theirs_title);
        ImGui::TextUnformatted(conflict.deleted ? "(deleted)" : conflict.theirs_name.c_str());
        Probe("conflict/theirs", conflict.deleted ? "(deleted)" : conflict.theirs_name);
        ImGui::EndTable();
    }
    if (!conflict.mine_deleted && !conflict.deleted) {
        ImGui::SetNextItemOpen(show_json, ImGuiCond_Always);
        show_json = ImGui::CollapsingHeader("Both versions as cs-json");
        Probe("conflict/show-json", show_json ? "open" : "closed");
        if (show_json) {
            if (!conflict.differences.empty()) {
                std::string where = "JSON pointers: ";
                for (size_t i = 0; i < conflict.differences.size(); ++i) {
                    where += (i ? ", " : "") + conflict.differences[i];
                }
                ColoredText(kColorMuted, where, "conflict/pointers");
            }
            if (ImGui::BeginTable("versions", 2, ImGuiTableFlags_BordersInnerV)) {
                const float height = ImGui::GetContentRegionAvail().y - ImGui::GetStyle().ItemSpacing.y * 2;
                ImGui::TableNextColumn();
                ImGui::BeginChild("mine", ImVec2(0, height), true, ImGuiWindowFlags_HorizontalScrollbar);
                ImGui::TextUnformatted(conflict.mine_json.c_str());
                ImGui::EndChild();
                ImGui::TableNextColumn();
                ImGui::BeginChild("theirs", ImVec2(0, height), true, ImGuiWindowFlags_HorizontalScrollbar);
                ImGui::TextUnformatted(conflict.theirs_json.c_str());
                ImGui::EndChild();
                ImGui::EndTable();
            }
        }
    }
    ImGui::EndPopup();
}

}  // namespace ui
