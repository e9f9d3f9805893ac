#include "ui_probe.hpp"

#include <algorithm>
#include <memory>
#include <vector>

#include <imgui.h>
#include <nlohmann/json.hpp>

namespace ui {
namespace {

struct ProbedWidget {
    std::string id;
    std::string text;
    ImVec2 min;
    ImVec2 max;
};

std::vector<ProbedWidget> g_widgets;

}  // namespace

void ProbeBeginFrame() { g_widgets = {}; }  // the last frame's were handed over (ProbeFrameJson)

void ProbeRect(std::string_view id, std::string_view text, float min_x, float min_y, float max_x, float max_y) {
    // Clip to the window: half-hidden rows must report only the part a click can reach.
    ImVec2 min(min_x, min_y);
    ImVec2 max(max_x, max_y);
    const ImDrawList* draw_list = ImGui::GetWindowDrawList();
    const ImVec2 clip_min = draw_list->GetClipRectMin();
    const ImVec2 clip_max = draw_list->GetClipRectMax();
    min = ImVec2(std::max(min.x, clip_min.x), std::max(min.y, clip_min.y));
    max = ImVec2(std::min(max.x, clip_max.x), std::min(max.y, clip_max.y));
    if (max.x <= min.x || max.y <= min.y) return;
    g_widgets.push_back({std::string(id), std::string(text), min, max});
}

void Probe(std::string_view id, std::string_view text) {
    if (!ImGui::IsItemVisible()) return;
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    ProbeRect(id, text, min.x, min.y, max.x, max.y);
}

std::function<std::string()> ProbeFrameJson() {
    return [frame = std::make_shared<const std::vector<ProbedWidget>>(std::move(g_widgets))] {
        nlohmann::json widgets = nlohmann::json::array();
        for (const ProbedWidget& widget : *frame) {
            widgets.push_back({{"id", widget.id},
                               {"x", widget.min.x},
                               {"y", widget.min.y},
                               {"w", widget.max.x - widget.min.x},
                               {"h", widget.max.y - widget.min.y},
                               {"text", widget.text}});
        }
        return widgets.dump();
    };
}

}  // namespace ui
