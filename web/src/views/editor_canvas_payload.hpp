#pragma once
// The drag-and-drop payload type shared by the palette (source) and the canvas (target): an int
// holding an editor::ComponentKind.
namespace ui::editor {
inline constexpr const char* kComponentPayload = "CS_COMPONENT";
}  // namespace ui::editor
