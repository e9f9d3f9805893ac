// The palette: one tile per component kind, with its Font Awesome icon. Dragging a tile carries an
// ImGui drag-and-drop payload that the canvas accepts; a plain click adds the component in view.
#include <imgui.h>

#include "editor/viewport.hpp"
#include "theme.hpp"
#include "ui_probe.hpp"
#include "views/editor_canvas_payload.hpp"
#include "views/editor_views.hpp"
#include "views/widgets.hpp"

namespace ui::editor {
namespace {

void Tile(EditorState& editor, ComponentKind kind, const char* icon, const char* label, const char* probe_id) {
    const float scale = Scale();
    const ImVec2 size(ImGui::GetContentRegionAvail().x, 64 * scale);
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::PushID(probe_id);
    const bool clicked = ImGui::Button("##tile", size);
    const bool hovered = ImGui::IsItemHovered();
    Probe(probe_id, label);
    if (ImGui::BeginDragDropSource(ImGuiDragDropFlags_None)) {
        const int payload = static_cast<int>(kind);
        ImGui::SetDragDropPayload(kComponentPayload, &payload, sizeof payload);
        ImGui::Text("%s  %s", icon, label);
        ImGui::EndDragDropSource();
    }
    ImGui::PopID();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    ImGui::PushFont(HeadingFont());
    const ImVec2 icon_size = ImGui::CalcTextSize(icon);
    draw->AddText(ImVec2(at.x + (size.x - icon_size.x) * 0.5f, at.y + 6 * scale), kColorAccent, icon);
    ImGui::PopFont();
    const ImVec2 text_size = ImGui::CalcTextSize(label);
    draw->AddText(ImVec2(at.x + (size.x - text_size.x) * 0.5f, at.y + size.y - text_size.y - 6 * scale),
                  ImGui::GetColorU32(ImGuiCol_Text), label);
    if (hovered && !ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
        ImGui::SetTooltip("Drag onto the canvas%s, or click to add", kind == ComponentKind::Postgres ? " (onto a VM to host it there)" : "");
    }
    if (clicked) {
        // A click adds at the centre of what the canvas shows, so the new node is in view.
        const Point centre = editor.viewport.ToCanvas({editor.canvas_size.x * 0.5, editor.canvas_size.y * 0.5}, scale);
        editor.doc.AddComponent(kind, {centre.x - kNodeWidth / 2, centre.y - kNodeHeight / 2});
    }
    ImGui::Dummy(ImVec2(0, 6 * scale));
}

}  // namespace

void DrawPalette(EditorState& editor) {
    SectionTitle("Palette");
    Tile(editor, ComponentKind::Postgres, kIconDatabase, "PostgreSQL", "palette/postgres");
    Tile(editor, ComponentKind::Vm, kIconServer, "VM", "palette/vm");
}

}  // namespace ui::editor
