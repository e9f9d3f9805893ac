#include "editor/canvas_labels.hpp"

#include <cstdio>

#include "plan/catalog.hpp"

namespace ui::editor {

std::string NodeSummary(const plan::Plan& plan, const plan::Component& c) {
    if (const auto* vm = std::get_if<plan::VmSpec>(&c.spec)) {
        if (plan.cloud.provider == "local") {
            // The gateway's own machine: its name is what the user needs, then what PostgreSQL may use of it.
            const auto size = plan::LocalVmSize(*vm);
            if (!size) return "this machine · size unknown";
            char text[64];
            std::snprintf(text, sizeof text, "this machine · %d vCPU, %g GiB", size->vcpus, size->memory_gib);
            return text;
        }
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

namespace {

// Before the last " · " part, or before " on <host>", whichever comes later; the " · " itself is not drawn.
void SplitDetail(NodeLabel& label) {
    const std::string& d = label.detail;
    const std::size_t dot = d.rfind(" · ");
    const std::size_t on = d.rfind(" on ");
    label.line1_end = label.line2_begin = d.size();
    if (on != std::string::npos && (dot == std::string::npos || on > dot)) {
        label.line1_end = on;
        label.line2_begin = on + 1;  // "on vm-1"
    } else if (dot != std::string::npos && dot > d.find(" · ")) {  // never between the id and the rest
        label.line1_end = dot;
        label.line2_begin = dot + std::string(" · ").size();
    }
}

}  // namespace

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
        SplitDetail(label);
        label.subtitle_probe_ids[0] = label.probe_id + "/subtitle/0";
        label.subtitle_probe_ids[1] = label.probe_id + "/subtitle/1";
        labels_.push_back(std::move(label));
    }
    version_ = plan_version;
    built_ = true;
    return labels_;
}

}  // namespace ui::editor
