// Log-in and sign-up: one card, two modes. Enter in the password field submits, like any web form.
#include <algorithm>
#include <string>

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include "theme.hpp"
#include "ui_probe.hpp"
#include "views/views.hpp"
#include "views/widgets.hpp"

namespace ui {
namespace {

// Draws `draw` over a white rounded card, sized to what `draw` drew. The card goes on a lower draw
// channel so it can be sized after the content is known.
template <class Draw>
void Card(float width, Draw draw) {
    const float scale = Scale();
    const float pad = 28 * scale;
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    draw_list->ChannelsSplit(2);
    draw_list->ChannelsSetCurrent(1);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::SetCursorScreenPos(ImVec2(origin.x + pad, origin.y + pad));
    ImGui::BeginGroup();
    ImGui::PushItemWidth(width - 2 * pad);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width - 2 * pad);
    draw(width - 2 * pad);
    ImGui::PopTextWrapPos();
    ImGui::PopItemWidth();
    ImGui::EndGroup();
    const ImVec2 end(origin.x + width, ImGui::GetItemRectMax().y + pad);
    draw_list->ChannelsSetCurrent(0);
    draw_list->AddRectFilled(origin, end, IM_COL32(255, 255, 255, 255), 12 * scale);
    draw_list->AddRect(origin, end, IM_COL32(218, 223, 230, 255), 12 * scale);
    draw_list->ChannelsMerge();
    ImGui::SetCursorScreenPos(ImVec2(origin.x, end.y));
    ImGui::Dummy(ImVec2(width, 0));
}

}  // namespace

void DrawStarting(const AppState& state) {
    BeginScreen("starting");
    const std::string text = state.auth.verifying ? std::string("Finishing your sign-up...")
                                                  : "Signing you in as " + state.session.email + "...";
    const ImVec2 size = ImGui::CalcTextSize(text.c_str());
    ImGui::SetCursorPos(ImVec2((ImGui::GetWindowWidth() - size.x) * 0.5f, ImGui::GetWindowHeight() * 0.4f));
    ImGui::TextUnformatted(text.c_str());
    Probe("starting/message", text);
    ImGui::End();
}

void DrawAuth(AppState& state, Intents& intents) {
    BeginScreen("auth");
    AuthForm& form = state.auth;
    const bool signup = state.screen == Screen::Signup;
    const std::string p = signup ? "signup" : "login";
    const float scale = Scale();
    const float width = std::min(460 * scale, ImGui::GetContentRegionAvail().x);

    ImGui::SetCursorPosY(std::max(ImGui::GetWindowHeight() * 0.10f, 16 * scale));
    ImGui::SetCursorPosX(CenteredX(width));
    Card(width, [&](float inner) {
        Brand();
        const char* title = signup ? "Create your account" : "Sign in to your account";
        ImGui::TextUnformatted(title);
        Probe(p + "/title", title);
        ColoredText(kColorMuted, signup ? "Free to start. Plan a PostgreSQL deployment, then deploy it in one click."
                                        : "Welcome back. Your plans are waiting.");
        ImGui::Dummy(ImVec2(0, 6 * scale));

        bool submit = false;
        ImGui::TextUnformatted("Email");
        if (form.focus_email) {
            ImGui::SetKeyboardFocusHere();
            form.focus_email = false;
        }
        ImGui::InputTextWithHint("##email", "you@example.com", &form.email);
        Probe(p + "/email", form.email);

        ImGui::TextUnformatted("Password");
        submit |= ImGui::InputText("##password", &form.password,
                                   ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue);
        Probe(p + "/password");
        if (signup) {
            ColoredText(kColorMuted, "At least 10 characters, not only letters or only digits, and not your email.",
                        p + "/password-rule");
        }

        if (!form.error.empty()) {
            ImGui::Dummy(ImVec2(0, 2 * scale));
            ColoredText(kColorError, std::string(kIconWarning) + "  " + form.error, p + "/error");
        }
        ColoredText(kColorSuccess, form.notice, p + "/notice");
        ImGui::Dummy(ImVec2(0, 4 * scale));

        const char* label = form.busy ? (signup ? "Creating your account..." : "Signing in...")
                                      : (signup ? "Create account" : "Sign in");
        submit |= PrimaryButton(label, !form.busy, ImVec2(inner, 0));
        Probe(p + "/submit", label);
        if (submit && !form.busy) intents.push_back({Intent::Kind::SubmitAuth, {}});

        ImGui::Dummy(ImVec2(0, 2 * scale));
        ImGui::AlignTextToFramePadding();
        ImGui::PushStyleColor(ImGuiCol_Text, kColorMuted);
        ImGui::TextUnformatted(signup ? "Already have an account?" : "New to CloudSketch?");
        ImGui::PopStyleColor();
        ImGui::SameLine();
        ImGui::PushStyleColor(ImGuiCol_Button, IM_COL32(0, 0, 0, 0));
        ImGui::PushStyleColor(ImGuiCol_Border, IM_COL32(0, 0, 0, 0));
        ImGui::PushStyleColor(ImGuiCol_Text, kColorAccent);
        const char* other = signup ? "Sign in" : "Create an account";
        if (ImGui::Button(other) && !form.busy) intents.push_back({Intent::Kind::SwitchAuthMode, {}});
        Probe(p + "/switch", other);
        ImGui::PopStyleColor(3);
    });
    ImGui::End();
}

void DrawCheckEmail(const AppState& state, Intents& intents) {
    BeginScreen("check-email");
    const AuthForm& form = state.auth;
    const float scale = Scale();
    const float width = std::min(460 * scale, ImGui::GetContentRegionAvail().x);

    ImGui::SetCursorPosY(std::max(ImGui::GetWindowHeight() * 0.10f, 16 * scale));
    ImGui::SetCursorPosX(CenteredX(width));
    Card(width, [&](float inner) {
        Brand();
        const char* title = form.sent_to_outbox ? "Your link is in the gateway's outbox" : "Check your email";
        ImGui::TextUnformatted(title);
        Probe("check-email/title", title);
        ImGui::Dummy(ImVec2(0, 6 * scale));
        // The gateway's own words: the same for a new address and one that has an account already.
        ImGui::TextWrapped("%s", form.sent_message.c_str());
        Probe("check-email/message", form.sent_message);
        ImGui::Dummy(ImVec2(0, 4 * scale));
        const char* hint =
            form.sent_to_outbox
                ? "Ask the person who runs this gateway for the link; it works once, in this browser or another."
                : "No message? Look in your spam folder, or sign up again in a few minutes to get a new link.";
        ColoredText(kColorMuted, hint, "check-email/hint");
        ImGui::Dummy(ImVec2(0, 6 * scale));
        if (PrimaryButton("Back to sign in", true, ImVec2(inner, 0))) {
            intents.push_back({Intent::Kind::BackToLogin, {}});
        }
        Probe("check-email/back", "Back to sign in");
    });
    ImGui::End();
}

}  // namespace ui
