#pragma once
// Everything the editor screen keeps between frames besides the document: camera, what the mouse is
// doing, the picker's search text, which field to focus and the preview cache.
// Plain data (no ImGui), held in AppState so views stay functions of state.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "editor/canvas_labels.hpp"
#include "editor/document.hpp"
#include "editor/previews.hpp"
#include "editor/viewport.hpp"

namespace ui::editor {

// What a left/middle mouse drag on the canvas is doing.
enum class DragMode { None, MoveNodes, BoxSelect, Pan };

struct CanvasDrag {
    DragMode mode = DragMode::None;
    std::vector<std::string> ids;  // MoveNodes: the nodes being moved
    std::string grabbed;           // MoveNodes: the node under the mouse when the drag started
    Point start_canvas;            // where the drag started, in canvas units
    Point delta;                   // MoveNodes: current offset in canvas units (committed on release)
    bool additive = false;         // BoxSelect with shift held
};

// A request to put the cursor in one properties field (set by the problems list).
struct FocusRequest {
    std::string component;  // "" = plan level
    std::string field;      // e.g. "disk/size_gib"
};

struct EditorState {
    Document doc;
    Viewport viewport;
    Point canvas_size;                     // the canvas's size in display pixels, last frame
    CanvasDrag drag;
    CanvasLabels labels;                   // what each node says, for the plan's current version
    std::optional<FocusRequest> focus;
    std::string picker_search;
    PreviewKind preview_kind = PreviewKind::CsJson;
    std::optional<Preview> preview;        // cached for (preview_kind, preview_version)
    std::uint64_t preview_version = 0;
    // The preview text's extent in pixels (its longest line, all its lines) at `preview_font_size`, measured
    // once per preview so the reading pane scrolls to the end of the longest line without a per-frame scan.
    float preview_text_w = 0;
    float preview_text_h = 0;
    float preview_font_size = 0;           // 0: not measured yet
    bool conflict = false;                 // the last save hit a revision conflict: offer both ways out
    // A popup (picker, list, confirmation) was open when the last frame ended. ImGui closes a popup on
    // Escape before the views run, so without this the same press would also clear the selection.
    bool popup_was_open = false;
    // The platform::CopyText ticket of the last Ctrl+C on the canvas (0: none yet). When that copy did not
    // reach the system clipboard, Ctrl+V falls back to the app's own clipboard.
    int copy_ticket = 0;
};

}  // namespace ui::editor
