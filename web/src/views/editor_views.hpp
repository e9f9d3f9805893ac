#pragma once
// The plan editor's panels, one file each (editor_*.cpp): palette, canvas, properties, problems and
// previews, laid out by DrawPlanView (editor_view.cpp). Views edit the plan only through
// editor::Document's commands, so every edit is undoable and re-validated at once.
#include <string>

#include "app_state.hpp"

namespace ui::editor {

// Why Deploy is disabled right now ("" when it may be pressed): unreadable plan, problems, unsaved
// changes, a save or a deployment in flight. Shown beside the button; App re-checks it before deploying.
std::string DeployBlocker(const PlanViewState& view);

// Palette: PostgreSQL and VM, dragged onto the canvas (or clicked to add at the view's centre).
// Probe ids: palette/postgres, palette/vm.
void DrawPalette(EditorState& editor);

// Canvas: grid, links (database -> its VM), nodes; drag, drop, box select, pan, zoom.
// Probe ids: editor/canvas, plan/component/<id> (text = kind), editor/zoom.
void DrawCanvas(EditorState& editor);

// Properties of the single selected component, else of the plan. Probe ids: props/<field> (fields as
// JSON pointers below the component or the plan: props/disk/size_gib, props/plan/name),
// props/<field>/error, props/<field>/option/<value> (combo entries), picker/search, picker/type/<name>.
void DrawProperties(EditorState& editor);

// The problems list; clicking one selects its component and focuses its field.
// Probe ids: plan/diagnostics (all codes), problems/<n> (text = message).
void DrawProblems(EditorState& editor);

// One preview (cs-json, templates, postgresql.conf, cost) with a download button.
// Probe ids: plan/json (cs-json text), editor/preview/<id>, editor/download.
void DrawPreview(EditorState& editor, Intents& intents);

}  // namespace ui::editor
