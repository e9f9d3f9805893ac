#include "theme.hpp"

namespace ui {
namespace {

constexpr float kBodyPx = 17.0f;     // CSS pixels; readable without zoom on laptops and phones
constexpr float kHeadingPx = 28.0f;
constexpr const char* kTextFont = "/fonts/DejaVuSans.ttf";          // preloaded into app.data
constexpr const char* kIconFont = "/fonts/fontawesome-webfont.ttf";

float g_scale = 1.0f;
ImFont* g_heading = nullptr;

void LoadFonts(float scale) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    static const ImWchar kIconRanges[] = {0xf000, 0xf2e0, 0};
    ImFontConfig icons;
    icons.MergeMode = true;
    icons.GlyphMinAdvanceX = kBodyPx * scale;  // icons line up in buttons
    icons.PixelSnapH = true;
    // Horizontal oversampling: 2 for body text (sub-pixel glyph positions stay smooth; ImGui's later
    // default), 1 for the heading and icons, which are large or pixel-snapped. ImGui 1.86's default of 3
    // made a 512x1024 RGBA atlas (2 MB uploaded before the first frame); this one is 512x256 and looks the
    // same at 1x and 2x (bench/web_first_frame.mjs: "first frame: GL objects made" about halves).
    icons.OversampleH = 1;
    ImFontConfig text;
    text.OversampleH = 2;
    ImFontConfig heading;
    heading.OversampleH = 1;
    heading.PixelSnapH = true;

    ImFont* body = io.Fonts->AddFontFromFileTTF(kTextFont, kBodyPx * scale, &text);
    if (body == nullptr) {
        // The data file failed to load: the default font is tiny but keeps the app usable.
        ImFontConfig fallback;
        fallback.SizePixels = 13.0f * scale;
        io.Fonts->AddFontDefault(&fallback);
        g_heading = nullptr;
        return;
    }
    io.Fonts->AddFontFromFileTTF(kIconFont, kBodyPx * scale * 0.9f, &icons, kIconRanges);
    g_heading = io.Fonts->AddFontFromFileTTF(kTextFont, kHeadingPx * scale, &heading);
    io.Fonts->AddFontFromFileTTF(kIconFont, kHeadingPx * scale * 0.9f, &icons, kIconRanges);
}

void SetStyle(float scale) {
    ImGuiStyle style;
    ImGui::StyleColorsLight(&style);
    style.WindowPadding = ImVec2(24, 20);
    style.FramePadding = ImVec2(10, 7);
    style.ItemSpacing = ImVec2(10, 10);
    style.ItemInnerSpacing = ImVec2(8, 6);
    style.CellPadding = ImVec2(10, 8);
    style.FrameRounding = 6;
    style.WindowRounding = 0;
    style.ChildRounding = 8;
    style.PopupRounding = 8;
    style.GrabRounding = 6;
    style.ScrollbarSize = 14;
    style.WindowBorderSize = 0;
    style.FrameBorderSize = 1;
    style.PopupBorderSize = 1;

    ImVec4* c = style.Colors;
    c[ImGuiCol_WindowBg] = ImVec4(0.965f, 0.972f, 0.984f, 1.0f);
    c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);  // content panes sit on the page; cards draw their own
    c[ImGuiCol_TableRowBg] = ImVec4(1, 1, 1, 1);
    c[ImGuiCol_PopupBg] = ImVec4(1, 1, 1, 1);
    c[ImGuiCol_Text] = ImVec4(0.10f, 0.13f, 0.18f, 1.0f);
    c[ImGuiCol_Border] = ImVec4(0.82f, 0.85f, 0.89f, 1.0f);
    c[ImGuiCol_FrameBg] = ImVec4(1, 1, 1, 1);
    c[ImGuiCol_FrameBgHovered] = ImVec4(0.94f, 0.96f, 1.0f, 1.0f);
    c[ImGuiCol_FrameBgActive] = ImVec4(0.90f, 0.94f, 1.0f, 1.0f);
    // Plain buttons are quiet; the one main action per screen uses PrimaryButton (views/widgets.hpp).
    c[ImGuiCol_Button] = ImVec4(0.93f, 0.945f, 0.965f, 1.0f);
    c[ImGuiCol_ButtonHovered] = ImVec4(0.87f, 0.90f, 0.95f, 1.0f);
    c[ImGuiCol_ButtonActive] = ImVec4(0.80f, 0.85f, 0.92f, 1.0f);
    c[ImGuiCol_Header] = ImVec4(0.86f, 0.91f, 1.0f, 1.0f);
    c[ImGuiCol_HeaderHovered] = ImVec4(0.90f, 0.93f, 1.0f, 1.0f);
    c[ImGuiCol_HeaderActive] = ImVec4(0.80f, 0.87f, 1.0f, 1.0f);
    c[ImGuiCol_TableHeaderBg] = ImVec4(0.93f, 0.945f, 0.965f, 1.0f);
    c[ImGuiCol_TableRowBgAlt] = ImVec4(0.975f, 0.98f, 0.99f, 1.0f);
    c[ImGuiCol_ModalWindowDimBg] = ImVec4(0.1f, 0.12f, 0.16f, 0.45f);
    style.ScaleAllSizes(scale);
    ImGui::GetStyle() = style;
}

}  // namespace

void ApplyTheme(float scale) {
    g_scale = scale;
    LoadFonts(scale);
    SetStyle(scale);
}

float Scale() { return g_scale; }

ImFont* HeadingFont() { return g_heading != nullptr ? g_heading : ImGui::GetFont(); }

}  // namespace ui
