#include "views/widgets.hpp"

#include <algorithm>
#include <cstdio>

#include "theme.hpp"
#include "ui_probe.hpp"

namespace ui {
namespace {

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's days_from_civil).
long long DaysFromCivil(int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<long long>(era) * 146097 + static_cast<long long>(doe) - 719468;
}

}  // namespace

void BeginScreen(const char* name) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->WorkPos);
    ImGui::SetNextWindowSize(viewport->WorkSize);
    ImGui::Begin(name, nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus);
}

bool PrimaryButton(const char* label, bool enabled, ImVec2 size) {
    ImGui::PushStyleColor(ImGuiCol_Button, kColorAccent);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, IM_COL32(29, 78, 216, 255));
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, IM_COL32(30, 64, 175, 255));
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 255, 255, 255));
    ImGui::PushStyleColor(ImGuiCol_Border, kColorAccent);
    const bool clicked = Button(label, enabled, size);
    ImGui::PopStyleColor(5);
    return clicked;
}

bool DangerButton(const char* label, bool enabled, ImVec2 size) {
    ImGui::PushStyleColor(ImGuiCol_Button, IM_COL32(220, 38, 38, 255));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, IM_COL32(185, 28, 28, 255));
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, IM_COL32(153, 27, 27, 255));
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 255, 255, 255));
    ImGui::PushStyleColor(ImGuiCol_Border, IM_COL32(220, 38, 38, 255));
    const bool clicked = Button(label, enabled, size);
    ImGui::PopStyleColor(5);
    return clicked;
}

Confirm ConfirmDelete(bool open, const std::string& name) {
    constexpr const char* kPopup = "Delete plan?";
    if (open && !ImGui::IsPopupOpen(kPopup)) ImGui::OpenPopup(kPopup);
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->GetCenter(), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    Confirm answer = Confirm::Pending;
    if (ImGui::BeginPopupModal(kPopup, nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoMove)) {
        const std::string message = "Delete \"" + name + "\"? This cannot be undone.";
        ImGui::TextUnformatted(message.c_str());
        Probe("confirm/message", message);
        ImGui::Dummy(ImVec2(0, 6 * Scale()));
        const std::string yes = std::string(kIconTrash) + "  Delete";
        if (DangerButton(yes.c_str())) answer = Confirm::Yes;
        Probe("confirm/delete", "Delete");
        ImGui::SameLine();
        if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) answer = Confirm::No;
        Probe("confirm/cancel", "Cancel");
        if (answer != Confirm::Pending || !open) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
    return answer;
}

bool Button(const char* label, bool enabled, ImVec2 size) {
    ImGui::BeginDisabled(!enabled);
    const bool clicked = ImGui::Button(label, size);
    ImGui::EndDisabled();
    return clicked && enabled;
}

void ColoredText(ImU32 color, const std::string& text, std::string_view probe_id) {
    if (text.empty()) return;
    ImGui::PushStyleColor(ImGuiCol_Text, color);
    ImGui::TextWrapped("%s", text.c_str());  // wraps at an enclosing PushTextWrapPos, else the window edge
    ImGui::PopStyleColor();
    if (!probe_id.empty()) Probe(probe_id, text);
}

void SectionTitle(const char* text) {
    ImGui::PushStyleColor(ImGuiCol_Text, kColorAccent);
    ImGui::TextUnformatted(text);
    ImGui::PopStyleColor();
    ImGui::Separator();
}

void StatusDot(const StatusLight& status, std::string_view probe_id) {
    ImU32 color = IM_COL32(156, 163, 175, 255);  // grey: never deployed
    if (status.light == "green") color = IM_COL32(22, 163, 74, 255);
    if (status.light == "orange") color = IM_COL32(234, 138, 12, 255);
    if (status.light == "red") color = IM_COL32(220, 38, 38, 255);
    // As tall as a button, so it lines up with AlignTextToFramePadding() text beside it.
    const float width = ImGui::GetTextLineHeight();
    const float height = ImGui::GetFrameHeight();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(width, height));
    ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(at.x + width * 0.5f, at.y + height * 0.5f), width * 0.32f, color);
    // An older gateway (or a plan listed before the deploy engine) sends no reason: say what the colour means.
    std::string tip = status.reason;
    if (status.light == "orange" && !status.step.empty()) {
        // The step and how far the whole job is, as the engine reports them while it works.
        tip = std::string(status.step == "destroy" ? "Destroying" : "Deploying") + ": " + status.step + ", " +
              std::to_string(static_cast<int>(status.progress * 100 + 0.5)) + "%";
    }
    if (tip.empty()) {
        tip = status.light == "green"    ? "Running"
              : status.light == "orange" ? "Deploying"
              : status.light == "red"    ? "Needs attention"
                                         : "Not deployed yet";
    }
    Probe(probe_id, tip);
    Probe(std::string(probe_id) + "/light", status.light);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip.c_str());
}

void Brand() {
    ImGui::PushFont(HeadingFont());
    ImGui::PushStyleColor(ImGuiCol_Text, kColorAccent);
    ImGui::TextUnformatted(kIconCloud);
    ImGui::PopStyleColor();
    ImGui::SameLine();
    ImGui::TextUnformatted("CloudSketch");
    ImGui::PopFont();
}

bool TopBar(const std::string& email, std::string_view screen_probe_prefix, const std::function<void()>& status) {
    const float scale = Scale();
    Brand();
    if (status) {
        ImGui::SameLine(0, 32 * scale);
        status();
    }

    const float left_end = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + 16 * scale;  // brand or status
    const char* logout_label = "Log out";
    const ImGuiStyle& style = ImGui::GetStyle();
    const float logout_width = ImGui::CalcTextSize(logout_label).x + style.FramePadding.x * 2;
    const float right = ImGui::GetWindowContentRegionMax().x;
    // In a narrow window the email gives way to its icon (the email on hover) rather than draw over the status.
    std::string who = std::string(kIconUser) + "  " + email;
    if (right - logout_width - 16 * scale - ImGui::CalcTextSize(who.c_str()).x < left_end) who = kIconUser;
    const float who_width = ImGui::CalcTextSize(who.c_str()).x;
    ImGui::SameLine(std::max(left_end, right - logout_width - who_width - 16 * scale));
    ImGui::AlignTextToFramePadding();
    ImGui::PushStyleColor(ImGuiCol_Text, kColorMuted);
    ImGui::TextUnformatted(who.c_str());
    ImGui::PopStyleColor();
    if (who.size() < email.size() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", email.c_str());
    Probe(std::string(screen_probe_prefix) + "/user", email);
    ImGui::SameLine(right - logout_width);
    const bool logout = ImGui::Button(logout_label);
    Probe(std::string(screen_probe_prefix) + "/logout", logout_label);
    ImGui::Separator();
    ImGui::Dummy(ImVec2(0, 4 * scale));
    return logout;
}

std::string FormatWhen(const std::string& rfc3339, double now_unix) {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (std::sscanf(rfc3339.c_str(), "%d-%d-%dT%d:%d:%d", &year, &month, &day, &hour, &minute, &second) != 6) {
        return rfc3339;  // unknown format: show it as sent rather than guess
    }
    const double when = static_cast<double>(DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day))) *
                            86400.0 + hour * 3600.0 + minute * 60.0 + second;
    const double ago = now_unix - when;
    char text[64];
    if (ago < 60) return "just now";  // also absorbs small clock differences with the server
    if (ago < 3600) {
        std::snprintf(text, sizeof text, "%d min ago", static_cast<int>(ago / 60));
    } else if (ago < 86400) {
        std::snprintf(text, sizeof text, "%d h ago", static_cast<int>(ago / 3600));
    } else {
        std::snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d UTC", year, month, day, hour, minute);
    }
    return text;
}

float CenteredX(float width) {
    const float available = ImGui::GetContentRegionAvail().x;
    return ImGui::GetCursorPosX() + (available > width ? (available - width) * 0.5f : 0.0f);
}

}  // namespace ui
