#pragma once
// The plan editor's panels, one file each (editor_*.cpp): palette, canvas, properties, problems and
// previews, laid out by DrawPlanView (editor_view.cpp). Views edit the plan only through
// editor::Document's commands, so every edit is undoable and re-validated at once.
#include <string>

#include "app_state.hpp"

namespace ui::editor {

// Why Deploy is disabled right now ("" when it may be pressed): unreadable plan, problems, unsaved
// changes, saved changes not yet synced to the server, a save or a job in flight. Shown beside the
// button; App re-checks it before deploying.
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

// The Deployment tab (editor_deploy.cpp): status and the monitor's checks, connection details with the
// password on request, Back up now, Destroy (confirmed), the newest job's steps and events. Probe ids:
// deploy/{status,status/light,status-text,facts,backup-status,host,port,database,user,sslmode,psql,uri,
// show-password,password,hide-password,backup,destroy,message,job,job-empty,events,step/<name>} (+ /copy
// on what can be copied), deploy/copy-status (what the last Copy did), confirm/{destroy,destroy-cancel,
// destroy-message}.
void DrawDeployment(AppState& state, Intents& intents);

// One line about a job: "Deploy of revision 3: install (40%)", "Destroy succeeded", "Deploy failed: ...".
std::string JobSummary(const Deployment& job);

// One preview (cs-json, templates, postgresql.conf, cost) with a download button.
// Probe ids: plan/json (cs-json text), editor/preview/<id>, editor/download.
void DrawPreview(EditorState& editor, Intents& intents);

}  // namespace ui::editor
