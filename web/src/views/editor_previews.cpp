// One preview at a time (the tab chosen in editor_view.cpp), rebuilt by plan_core only when the plan or
// the tab changed, so a 500-component template is not re-rendered every frame.
#include <string>

#include <imgui.h>
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
    }
    Preview& preview = *editor.preview;
    const bool downloadable = !preview.filename.empty();
    const std::string label = downloadable ? "Download " + preview.filename : "Nothing to download";
    if (Button(label.c_str(), downloadable)) intents.push_back({Intent::Kind::Download, {}});
    Probe("editor/download", preview.filename);
    const std::string id = editor.preview_kind == PreviewKind::CsJson ? "plan/json"
                                                                      : "editor/preview/" + std::string(PreviewId(editor.preview_kind));
    ImGui::InputTextMultiline("##preview", &preview.text, ImVec2(-1, -1), ImGuiInputTextFlags_ReadOnly);
    Probe(id, preview.text);
}

}  // namespace ui::editor
