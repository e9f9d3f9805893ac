// The problems list: plan_core's diagnostics for the plan as edited, errors first. Clicking one selects
// its component and puts the cursor in the field (the properties panel acts on EditorState::focus).
#include <string>

#include <imgui.h>

#include "theme.hpp"
#include "ui_probe.hpp"
#include "views/editor_views.hpp"
#include "views/widgets.hpp"

namespace ui::editor {

void DrawProblems(EditorState& editor) {
    const std::vector<Problem>& all = editor.doc.CurrentProblems().All();
    if (all.empty()) {
        ColoredText(kColorSuccess, "No problems found: this plan passes every check.", "plan/diagnostics");
        return;
    }
    std::string codes;
    int n = 0;
    for (int pass = 0; pass < 2; ++pass) {  // errors, then warnings
        for (const Problem& problem : all) {
            const bool error = problem.diagnostic.severity == plan::Severity::Error;
            if (error != (pass == 0)) continue;
            const std::string where = problem.component.empty() ? "plan" : problem.component;
            const std::string field = problem.field.empty() ? "" : " · " + problem.field;
            const std::string line = std::string(kIconWarning) + "  " + where + field + ": " + problem.diagnostic.message;
            ImGui::PushID(n);
            ImGui::PushStyleColor(ImGuiCol_Text, error ? kColorError : kColorWarning);
            if (ImGui::Selectable(line.c_str())) {
                if (!problem.component.empty()) {
                    editor.doc.Select(problem.component);
                } else {
                    editor.doc.ClearSelection();
                }
                editor.focus = FocusRequest{problem.component, problem.field};
            }
            ImGui::PopStyleColor();
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("Click to go to the field (%s)", problem.diagnostic.code.c_str());
            Probe("problems/" + std::to_string(n), problem.diagnostic.message);
            ImGui::PopID();
            codes += problem.diagnostic.code + "\n";
            ++n;
        }
    }
    // All codes in one probe, for tests that check which rules fired.
    ImGui::Dummy(ImVec2(1, 1));
    Probe("plan/diagnostics", codes);
}

}  // namespace ui::editor
