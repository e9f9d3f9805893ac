#pragma once
// Test probe: ImGui draws on a canvas, so browser tests cannot query the DOM for widgets. Each frame
// the views name the widgets they drew ("login/submit", "dashboard/plan/<name>"); tests read the
// rectangles through window.csUi to know WHERE to click, then use the real mouse and keyboard.
#include <string>
#include <string_view>

namespace ui {

// Forgets the previous frame's widgets. Called by App::Frame before drawing.
void ProbeBeginFrame();

// Records the last submitted ImGui item under `id`, with `text` (a label or message shown to the user)
// for assertions. Items scrolled out of view are not recorded: a test cannot click them.
void Probe(std::string_view id, std::string_view text = {});

// This frame's widgets as a JSON array of {"id","x","y","w","h","text"}, in ImGui display units
// (canvas pixels, origin at the canvas's top-left).
std::string ProbeFrameJson();

}  // namespace ui
