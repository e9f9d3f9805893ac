#pragma once
// Look of the app: fonts (DejaVu Sans with Font Awesome 4 icons merged in, from app.data), colours
// and sizes. Everything scales with the device pixel ratio so text stays sharp on high-DPI screens.
#include <imgui.h>

namespace ui {

// Loads the fonts and sets the style for `scale` (the device pixel ratio; 1 on a standard screen).
// Call before the first frame and again when the ratio changes (browser zoom, moving screens);
// the renderer's font texture must be rebuilt afterwards.
void ApplyTheme(float scale);

// The scale ApplyTheme last used: multiply layout sizes in CSS pixels by it.
float Scale();

// Large font for titles; the default font is the body text (17 CSS px).
ImFont* HeadingFont();

// Colours used by more than one view.
inline constexpr ImU32 kColorError = IM_COL32(200, 40, 40, 255);
inline constexpr ImU32 kColorMuted = IM_COL32(110, 116, 128, 255);
inline constexpr ImU32 kColorAccent = IM_COL32(37, 99, 235, 255);
inline constexpr ImU32 kColorSuccess = IM_COL32(22, 128, 61, 255);
inline constexpr ImU32 kColorWarning = IM_COL32(180, 83, 9, 255);

// Font Awesome 4.7 glyphs (UTF-8), merged into the body font.
inline constexpr const char* kIconPlus = "\xef\x81\xa7";
inline constexpr const char* kIconTrash = "\xef\x87\xb8";
inline constexpr const char* kIconPencil = "\xef\x81\x80";
inline constexpr const char* kIconSignOut = "\xef\x82\x8b";
inline constexpr const char* kIconRefresh = "\xef\x80\xa1";
inline constexpr const char* kIconDatabase = "\xef\x87\x80";
inline constexpr const char* kIconServer = "\xef\x88\xb3";
inline constexpr const char* kIconBack = "\xef\x81\xa0";
inline constexpr const char* kIconCloud = "\xef\x83\x82";
inline constexpr const char* kIconWarning = "\xef\x81\xb1";
inline constexpr const char* kIconUser = "\xef\x80\x87";

}  // namespace ui
