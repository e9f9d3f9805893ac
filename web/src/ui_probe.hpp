#pragma once
// Test probe: ImGui draws on a canvas, so browser tests cannot query the DOM for widgets. Each frame
// the views name the widgets they drew ("login/submit", "dashboard/plan/<name>"); tests read the
// rectangles through window.csUi to know WHERE to click, then use the real mouse and keyboard.
#include <functional>
#include <string>
#include <string_view>

namespace ui {

// Forgets the previous frame's widgets. Called by App::Frame before drawing.
void ProbeBeginFrame();

// Records the last submitted ImGui item under `id`, with `text` (a label or message shown to the user)
// for assertions. Items scrolled out of view are not recorded: a test cannot click them.
void Probe(std::string_view id, std::string_view text = {});

// Records a rectangle drawn without an ImGui item (a node on the editor's canvas), in display units,
// clipped to the current window's clip rectangle like Probe.
void ProbeRect(std::string_view id, std::string_view text, float min_x, float min_y, float max_x, float max_y);

// Hands over this frame's widgets: the function returns them as a JSON array of
// {"id","x","y","w","h","text"}, in ImGui display units (canvas pixels, origin at the canvas's top-left).
// It is called only when a test reads them: serializing every frame cost as much as drawing the canvas.
std::function<std::string()> ProbeFrameJson();

}  // namespace ui
