#pragma once
// What each node on the canvas says: its title, the detail line under it and its probe id. Worked out
// once per change of the plan rather than every frame: building these strings in the frame loop was
// most of the canvas's CPU time (each std::string temporary there also sends the calls around it
// through Emscripten's JavaScript exception trampolines). No ImGui: unit-tested natively.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "plan/plan.hpp"

namespace ui::editor {

struct NodeLabel {
    std::string title;     // "<icon>  orders-db"
    std::string detail;    // "vm-1 · t3.medium · 20 GiB", "pg-1 · PostgreSQL 16 on vm-1"
    std::string probe_id;  // "plan/component/vm-1"
    // The detail is drawn on two lines, split before its last part so that each part is read whole at
    // 100% ("pg-1 · PostgreSQL 16" / "on vm-1", "vm-1 · t3.medium" / "20 GiB"): line one is
    // detail[0, line1_end), line two detail[line2_begin, end); line1_end == detail.size() for one line.
    std::size_t line1_end = 0;
    std::size_t line2_begin = 0;
    std::string subtitle_probe_ids[2];  // "plan/component/vm-1/subtitle/0" and ".../1"
};

// The detail line of `component` in `plan`: a VM's size and disk, a database's version and host
// ("· no host" when it has none, "· host missing" when its host is not in the plan). In a "local" plan a
// VM is the gateway's own machine: "this machine · 2 vCPU, 4 GiB" (plan::LocalVmSize), no type or disk.
std::string NodeSummary(const plan::Plan& plan, const plan::Component& component);

class CanvasLabels {
public:
    // The labels of `plan`'s components, in plan order; rebuilt only when `plan_version` (the
    // document's Version()) differs from the last call. The icons are the font's glyphs for a VM and a
    // database (theme.hpp), passed in to keep this file free of ImGui.
    const std::vector<NodeLabel>& Of(const plan::Plan& plan, std::uint64_t plan_version, std::string_view vm_icon,
                                     std::string_view database_icon);

private:
    std::vector<NodeLabel> labels_;
    std::uint64_t version_ = 0;
    bool built_ = false;
};

}  // namespace ui::editor
