#include "editor/canvas_labels.hpp"

#include <cstdio>

namespace ui::editor {

std::string NodeSummary(const plan::Plan& plan, const plan::Component& c) {
    if (const auto* vm = std::get_if<plan::VmSpec>(&c.spec)) {
        std::string size = vm->hardware.instance_type;
        if (size.empty()) {
            char text[48];
            std::snprintf(text, sizeof text, "%d vCPU, %g GiB", vm->hardware.vcpus, vm->hardware.memory_gib);
            size = text;
        }
        return size + " · " + std::to_string(vm->disk.size_gib) + " GiB";
    }
    const auto& pg = std::get<plan::PostgresSpec>(c.spec);
    std::string text = "PostgreSQL " + pg.version;
    text += pg.host.empty() ? " · no host" : (plan.Find(pg.host) ? " on " + pg.host : " · host missing");
    return text;
}

const std::vector<NodeLabel>& CanvasLabels::Of(const plan::Plan& plan, std::uint64_t plan_version,
                                               std::string_view vm_icon, std::string_view database_icon) {
    if (built_ && version_ == plan_version && labels_.size() == plan.components.size()) return labels_;
    labels_.clear();
    labels_.reserve(plan.components.size());
    for (const plan::Component& c : plan.components) {
        NodeLabel label;
        label.title = std::string(c.IsPostgres() ? database_icon : vm_icon) + "  " + c.name;
        label.detail = c.id + " · " + NodeSummary(plan, c);
        label.probe_id = "plan/component/" + c.id;
        labels_.push_back(std::move(label));
    }
    version_ = plan_version;
    built_ = true;
    return labels_;
}

}  // namespace ui::editor
