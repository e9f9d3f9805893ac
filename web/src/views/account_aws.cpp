// The user's AWS account: how CloudSketch reaches into it. Shows the ExternalId the gateway generated (read-only:
// the role's trust policy names it), the quick-create link that makes the deploy role in the AWS console, and
// the role ARN field with the API's answer. Everything comes from state.aws_account (GET/PUT /v1/account/aws,
// carried out by App); the view only edits its own input field.
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

// A value the user copies into AWS: selectable, never editable.
void CopyableField(const char* label, const std::string& value, std::string_view probe_id) {
    std::string copy = value;  // InputText wants a mutable string; ReadOnly keeps it unchanged
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText(label, &copy, ImGuiInputTextFlags_ReadOnly | ImGuiInputTextFlags_AutoSelectAll);
    Probe(probe_id, value);
}

void DrawSteps(const AwsAccountInfo& info, Intents& intents) {
    const float scale = Scale();
    SectionTitle("1. Create the deploy role in your AWS account");
    ColoredText(kColorMuted,
                "The role lets CloudSketch create CloudFormation stacks named cloudsketch-* in your account, with "
                "the least privilege it needs, and only together with your ExternalId below.");
    ImGui::TextUnformatted("Your ExternalId");
    CopyableField("##external-id", info.external_id, "aws/external-id");
    if (!info.gateway_principal.empty()) {
        ImGui::TextUnformatted("CloudSketch's AWS principal (the role trusts it)");
        CopyableField("##principal", info.gateway_principal, "aws/principal");
    }
    ImGui::Dummy(ImVec2(0, 4 * scale));
    if (!info.quick_create_url.empty()) {
        if (PrimaryButton("Open the quick-create link in AWS")) intents.push_back({Intent::Kind::OpenLink, info.quick_create_url});
        Probe("aws/quick-create", "Open the quick-create link in AWS");
        ColoredText(kColorMuted, "It opens the CloudFormation console in a new tab with everything filled in; "
                                 "tick the IAM acknowledgement and create the stack.");
        CopyableField("##quick-create-url", info.quick_create_url, "aws/quick-create-url");
    } else {
        ColoredText(kColorWarning, std::string(kIconWarning) + "  " + info.quick_create_unavailable,
                    "aws/quick-create-unavailable");
        ColoredText(kColorMuted, "The template is at " + info.template_path + " (with your sign-in).", "aws/template");
    }
}

}  // namespace

void DrawAwsAccount(AppState& state, Intents& intents) {
    BeginScreen("aws-account");
    if (TopBar(state.session.email, "aws")) intents.push_back({Intent::Kind::Logout, {}});
    AwsAccountViewState& view = state.aws_account;
    const float scale = Scale();
    const float width = std::min(820 * scale, ImGui::GetContentRegionAvail().x);
    ImGui::SetCursorPosX(CenteredX(width));
    ImGui::BeginChild("content", ImVec2(width, 0), false);

    const std::string back = std::string(kIconBack) + "  Your plans";
    if (Button(back.c_str())) intents.push_back({Intent::Kind::BackToDashboard, {}});
    Probe("aws/back", "Your plans");
    ImGui::PushFont(HeadingFont());
    ImGui::TextUnformatted("AWS account");
    ImGui::PopFont();
    ColoredText(kColorMuted, "Plans on AWS deploy into your own account through a role you create there.");
    ImGui::Dummy(ImVec2(0, 6 * scale));

    if (view.loading) ColoredText(kColorMuted, "Loading...", "aws/loading");
    if (view.info) {
        DrawSteps(*view.info, intents);
        ImGui::Dummy(ImVec2(0, 6 * scale));
        SectionTitle("2. Paste the role's ARN");
        ColoredText(view.info->role_arn.empty() ? kColorWarning : kColorSuccess,
                    view.info->role_arn.empty() ? "No role set: AWS plans deploy with the gateway's own AWS access."
                                                : "Deploying through " + view.info->role_arn,
                    "aws/role");
        ColoredText(kColorMuted, "From the stack's Outputs (RoleArn), e.g. arn:aws:iam::123456789012:role/cloudsketch-deployer.");
        // The field and its buttons on one line, so the answer below stays in view on a small window.
        const ImGuiStyle& style = ImGui::GetStyle();
        float buttons = ImGui::CalcTextSize("Save role").x + style.FramePadding.x * 2 + style.ItemSpacing.x;
        if (!view.info->role_arn.empty()) buttons += ImGui::CalcTextSize("Remove role").x + style.FramePadding.x * 2 + style.ItemSpacing.x;
        ImGui::SetNextItemWidth(std::max(120 * scale, ImGui::GetContentRegionAvail().x - buttons));
        bool save = ImGui::InputTextWithHint("##role-arn", "arn:aws:iam::<account id>:role/cloudsketch-deployer",
                                             &view.role_arn, ImGuiInputTextFlags_EnterReturnsTrue);
        Probe("aws/role-arn", view.role_arn);
        ImGui::SameLine();
        save |= PrimaryButton("Save role", !view.saving);
        Probe("aws/save", "Save role");
        if (!view.info->role_arn.empty()) {
            ImGui::SameLine();
            if (Button("Remove role", !view.saving)) {
                view.role_arn.clear();
                save = true;
            }
            Probe("aws/clear", "Remove role");
        }
        if (save && !view.saving) intents.push_back({Intent::Kind::SaveAwsRole, {}});
        // Right under the button that caused it.
        if (!view.error.empty()) ColoredText(kColorError, std::string(kIconWarning) + "  " + view.error, "aws/error");
        ColoredText(kColorSuccess, view.notice, "aws/notice");
    }
    if (!view.info && !view.error.empty()) {
        ColoredText(kColorError, std::string(kIconWarning) + "  " + view.error, "aws/error");
    }
    ImGui::EndChild();
    ImGui::End();
}

}  // namespace ui
