#pragma once
// Small drawing helpers shared by the views. Pure ImGui; no state of their own.
#include <functional>
#include <string>
#include <string_view>

#include <imgui.h>

#include "gateway_client.hpp"

namespace ui {

// Begins the full-window, undecorated ImGui window every screen draws into. Always pair with ImGui::End().
void BeginScreen(const char* name);

// A filled, accent-coloured button for the main action of a screen; `enabled` false greys it out.
bool PrimaryButton(const char* label, bool enabled = true, ImVec2 size = ImVec2(0, 0));

// A red button for destructive actions.
bool DangerButton(const char* label, bool enabled = true, ImVec2 size = ImVec2(0, 0));

// A button that is drawn disabled and never reports a click when `enabled` is false.
bool Button(const char* label, bool enabled = true, ImVec2 size = ImVec2(0, 0));

// Wrapped text in a colour; `probe_id` (if any) registers it for tests with the text itself.
void ColoredText(ImU32 color, const std::string& text, std::string_view probe_id = {});

// A section heading: accent-coloured text over a thin rule.
void SectionTitle(const char* text);

// A filled circle for a plan's status ("grey", "orange", "green", "red"); hovering shows `reason` (while
// orange: the step and progress). Probes `probe_id` (text: the tooltip) and `probe_id`/light (the colour).
void StatusDot(const StatusLight& status, std::string_view probe_id);

// The cloud icon and "CloudSketch" in the heading font, as the top bar and the sign-in card show them.
void Brand();

// The top bar: product name on the left (then `status`, if given, drawn on the same line), the signed-in
// email and a log-out button on the right. Returns true when log out was clicked.
bool TopBar(const std::string& email, std::string_view screen_probe_prefix, const std::function<void()>& status = {});

enum class Confirm { Pending, Yes, No };

// A centred modal asking to delete the plan `name`, opened while `open` is true. Returns Yes/No on the
// frame the user answers (Escape means No). Probe ids: confirm/delete, confirm/cancel, confirm/message.
Confirm ConfirmDelete(bool open, const std::string& name);

// "just now", "5 min ago", "3 h ago", or the date for older times; `rfc3339` like "2026-11-23T23:40:00Z".
std::string FormatWhen(const std::string& rfc3339, double now_unix);

// Centres a block of `width` pixels in the current window: returns the x offset to SetCursorPosX.
float CenteredX(float width);

}  // namespace ui
