// One preview at a time (the tab chosen in editor_view.cpp), rebuilt by plan_core only when the plan or
// the tab changed, so a 500-component template is not re-rendered every frame.
#include <algorithm>
#include <cstdio>
#include <string>

#include <imgui.h>
#include <imgui_internal.h>  // the pane's scrollbar rectangle, for the test probe
#include <misc/cpp/imgui_stdlib.h>

#include "theme.hpp"
#include "ui_probe.hpp"
#include "views/editor_views.hpp"
#include "views/widgets.hpp"

namespace ui::editor {

void DrawPreview(EditorState& editor, Intents& intents) {
    if (!editor.preview || editor.preview_version != editor.doc.Version()) {
        editor.preview = BuildPreview(editor.doc.Plan(), editor.preview_kind);
        editor.preview_version = editor.doc.Version();
        editor.preview_font_size = 0;
    }
    Preview& preview = *editor.preview;
    const bool downloadable = !preview.filename.empty();
    const std::string label = downloadable ? "Download " + preview.filename : "Nothing to download";
    if (Button(label.c_str(), downloadable)) intents.push_back({Intent::Kind::Download, {}});
    Probe("editor/download", preview.filename);
    const std::string id = editor.preview_kind == PreviewKind::CsJson ? "plan/json"
                                                                      : "editor/preview/" + std::string(PreviewId(editor.preview_kind));
    if (editor.preview_font_size != ImGui::GetFontSize()) {
        const ImVec2 extent = ImGui::CalcTextSize(preview.text.c_str(), preview.text.c_str() + preview.text.size());
        editor.preview_text_w = extent.x;
        editor.preview_text_h = extent.y;
        editor.preview_font_size = ImGui::GetFontSize();
    }
    // A reading pane: the read-only field is as big as its text (so it never scrolls or cuts anything
    // itself) inside a child that scrolls both ways, with a horizontal scrollbar for the long lines
    // (postgresql.conf's reasons). The field stays a text field, so the text can be selected and copied.
    const ImGuiStyle& style = ImGui::GetStyle();
    const float pad = style.FramePadding.x * 2 + style.ScrollbarSize;
    ImGui::BeginChild("preview-pane", ImVec2(-1, -1), false, ImGuiWindowFlags_HorizontalScrollbar);
    const ImVec2 room = ImGui::GetContentRegionAvail();
    const ImVec2 size(std::max(room.x, editor.preview_text_w + pad),
                      std::max(room.y, editor.preview_text_h + style.FramePadding.y * 2 + ImGui::GetFontSize()));
    ImGui::InputTextMultiline("##preview", &preview.text, size, ImGuiInputTextFlags_ReadOnly);
    Probe(id, preview.text);
    char facts[160];
    std::snprintf(facts, sizeof facts,
                  "{\"scroll_x\":%.0f,\"scroll_max_x\":%.0f,\"scroll_y\":%.0f,\"scroll_max_y\":%.0f,"
                  "\"line_h\":%.1f,\"text_w\":%.0f}",
                  ImGui::GetScrollX(), ImGui::GetScrollMaxX(), ImGui::GetScrollY(), ImGui::GetScrollMaxY(),
                  ImGui::GetFontSize(), editor.preview_text_w);
    ImGuiWindow* pane = ImGui::GetCurrentWindow();
    const bool hscroll = pane->ScrollbarX;
    const ImRect bar = hscroll ? ImGui::GetWindowScrollbarRect(pane, ImGuiAxis_X) : ImRect();
    ImGui::EndChild();
    // The pane as the reader sees it (its scroll state for tests), and its horizontal scrollbar.
    Probe("editor/preview-pane", facts);
    if (hscroll) ProbeRect("editor/preview-hscroll", "scrollbar", bar.Min.x, bar.Min.y, bar.Max.x, bar.Max.y);
}

}  // namespace ui::editor
