#include "editor/document.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "editor/viewport.hpp"
#include "plan/catalog.hpp"
#include "plan/json.hpp"

namespace ui::editor {
namespace {

constexpr double kPasteOffset = 40;

std::size_t IndexOf(const plan::Plan& plan, const std::string& id) {
    for (std::size_t i = 0; i < plan.components.size(); ++i) {
        if (plan.components[i].id == id) return i;
    }
    return plan.components.size();
}

std::set<std::string> Ids(const plan::Plan& plan) {
    std::set<std::string> ids;
    for (const plan::Component& c : plan.components) ids.insert(c.id);
    return ids;
}

}  // namespace

// Empty and without problems until Load(): validating an empty plan here would parse the instance
// catalogue while the app starts, before its first frame (bench/web_first_frame.mjs).
Document::Document() = default;

void Document::Load(plan::Plan plan) {
    plan_ = std::move(plan);
    undo_.clear();
    redo_.clear();
    merge_open_ = false;
    load_serial_ = next_serial_++;
    saved_serial_ = load_serial_;
    std::set<std::string> kept;
    for (const std::string& id : selection_) {
        if (plan_.Find(id)) kept.insert(id);
    }
    selection_ = std::move(kept);
    Changed();
}

void Document::MarkSaved(std::int64_t revision, std::uint64_t state) {
    plan_.revision = revision;
    ++version_;  // the revision is part of the plan's text (previews)
    saved_serial_ = state;
    if (state == CurrentSerial()) merge_open_ = false;
}

PlanHeader Document::Header() const { return {plan_.name, plan_.environment, plan_.cloud}; }

std::string Document::FreshId(ComponentKind kind, const std::set<std::string>& taken) const {
    const std::string prefix = kind == ComponentKind::Vm ? "vm-" : "pg-";
    for (int n = 1;; ++n) {
        std::string id = prefix + std::to_string(n);
        if (!taken.count(id)) return id;
    }
}

// ---- Commands ---------------------------------------------------------------------------------------------

std::string Document::AddComponent(ComponentKind kind, plan::Position at, std::string host) {
    const plan::Plan defaults = plan::DefaultPlan();
    plan::Component component = defaults.components[kind == ComponentKind::Vm ? 0 : 1];
    component.id = FreshId(kind, Ids(plan_));
    // Names follow ids ("vm-2" -> "VM 2") so a person can tell new nodes apart on the canvas.
    const std::string number = component.id.substr(3);
    component.name = (kind == ComponentKind::Vm ? "VM " : "PostgreSQL ") + number;
    component.position = Snap(at);
    if (auto* pg = std::get_if<plan::PostgresSpec>(&component.spec)) pg->host = std::move(host);
    Command command;
    command.label = kind == ComponentKind::Vm ? "Add VM" : "Add PostgreSQL";
    command.changes.push_back({component.id, plan_.components.size(), std::nullopt, component});
    const std::string id = component.id;
    Execute(std::move(command));
    selection_ = {id};
    return id;
}

void Document::Move(const std::vector<std::string>& ids, double dx, double dy) {
    Command command;
    for (const std::string& id : ids) {
        const std::size_t index = IndexOf(plan_, id);
        if (index == plan_.components.size()) continue;
        const plan::Component& before = plan_.components[index];
        plan::Component after = before;
        after.position = Snap({before.position.x + dx, before.position.y + dy});
        if (after.position.x == before.position.x && after.position.y == before.position.y) continue;
        command.changes.push_back({id, index, before, std::move(after)});
    }
    if (command.changes.empty()) return;
    command.label = command.changes.size() == 1 ? "Move " + command.changes[0].id
                                                : "Move " + std::to_string(command.changes.size()) + " components";
    Execute(std::move(command));
}

bool Document::LinkHost(const std::string& postgres_id, const std::string& vm_id) {
    const plan::Component* pg = plan_.Find(postgres_id);
    const plan::Component* vm = plan_.Find(vm_id);
    if (!pg || !vm || !pg->IsPostgres() || !vm->IsVm()) return false;
    plan::Component after = *pg;
    std::get<plan::PostgresSpec>(after.spec).host = vm_id;
    return SetComponent(after, "Host " + postgres_id + " on " + vm_id);
}

bool Document::SetComponent(const plan::Component& after, std::string label, std::string merge_key) {
    const std::size_t index = IndexOf(plan_, after.id);
    if (index == plan_.components.size()) return false;
    Command command;
    command.label = std::move(label);
    command.merge_key = std::move(merge_key);
    command.changes.push_back({after.id, index, plan_.components[index], after});
    Execute(std::move(command));
    return true;
}

void Document::SetHeader(const PlanHeader& after, std::string label, std::string merge_key) {
    if (after == Header()) return;
    Command command;
    command.label = std::move(label);
    command.merge_key = std::move(merge_key);
    command.header_before = Header();
    command.header_after = after;
    // A new cloud has its own instance types and images. In the same step, instead of turning into errors:
    // a VM named by a type the new cloud lacks keeps its size as vCPU + RAM (the new cloud picks its type),
    // and an OS the new cloud has no image of (Amazon Linux off AWS) becomes Ubuntu 24.04. A local plan
    // takes any catalogue's type as a size (plan::LocalVmSize) and needs no image, so it changes nothing.
    const std::string& to = after.cloud.provider;
    if (to != plan_.cloud.provider && to != "local" && !plan::Images(to).empty()) {
        for (std::size_t i = 0; i < plan_.components.size(); ++i) {
            const auto* vm = std::get_if<plan::VmSpec>(&plan_.components[i].spec);
            if (!vm) continue;
            plan::Component moved = plan_.components[i];
            plan::VmSpec& spec = std::get<plan::VmSpec>(moved.spec);
            const auto size = plan::LocalVmSize(*vm);  // a named type's size, looked up in every catalogue
            if (!vm->hardware.instance_type.empty() && !plan::FindInstance(to, vm->hardware.instance_type) && size) {
                spec.hardware = {"", size->vcpus, size->memory_gib};
            }
            const auto& images = plan::Images(to);
            const bool has_image = std::any_of(images.begin(), images.end(), [&](const plan::OsImage& image) {
                return image.distribution == vm->os.distribution && image.version == vm->os.version;
            });
            if (!has_image && vm->image_id.empty()) spec.os = {vm->os.family, "ubuntu", "24.04"};
            if (spec.hardware.instance_type == vm->hardware.instance_type && spec.os.distribution == vm->os.distribution &&
                spec.os.version == vm->os.version) {
                continue;
            }
            command.changes.push_back({moved.id, i, plan_.components[i], std::move(moved)});
        }
        if (!command.changes.empty()) command.merge_key.clear();  // a step of its own: merging pairs changes by index
    }
    Execute(std::move(command));
}

void Document::DeleteSelection() {
    Command command;
    // Highest index first, so each recorded index is still right when the removals are applied in order
    // (and undo re-inserts in the reverse order, lowest first).
    for (std::size_t i = plan_.components.size(); i-- > 0;) {
        const plan::Component& c = plan_.components[i];
        if (selection_.count(c.id)) command.changes.push_back({c.id, i, c, std::nullopt});
    }
    if (command.changes.empty()) return;
    command.label = command.changes.size() == 1 ? "Delete " + command.changes[0].id
                                                : "Delete " + std::to_string(command.changes.size()) + " components";
    Execute(std::move(command));
    selection_.clear();
}

void Document::CopySelection() {
    std::vector<plan::Component> copied;
    for (const plan::Component& c : plan_.components) {
        if (selection_.count(c.id)) copied.push_back(c);
    }
    if (!copied.empty()) clipboard_ = std::move(copied);
}

std::string Document::ClipboardText() const {
    if (clipboard_.empty()) return {};
    plan::Plan copied = plan_;
    copied.components = clipboard_;
    return plan::DumpPlan(copied);
}

bool Document::PasteText(std::string_view text) {
    // Cheap refusal first: most pasted text (a word, a path) is not JSON at all.
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || text[first] != '{') return false;
    plan::ParseOutcome outcome = plan::ParsePlan(text);
    if (!outcome.plan || outcome.plan->components.empty()) return false;
    clipboard_ = std::move(outcome.plan->components);
    Paste();
    return true;
}

void Document::Paste() {
    if (clipboard_.empty()) return;
    std::set<std::string> taken = Ids(plan_);
    std::map<std::string, std::string> renamed;  // clipboard id -> pasted id
    std::vector<plan::Component> pasted;
    for (plan::Component c : clipboard_) {
        const ComponentKind kind = c.IsVm() ? ComponentKind::Vm : ComponentKind::Postgres;
        const std::string id = FreshId(kind, taken);
        taken.insert(id);
        renamed[c.id] = id;
        c.id = id;
        c.name += " (copy)";
        c.position = Snap({c.position.x + kPasteOffset, c.position.y + kPasteOffset});
        pasted.push_back(std::move(c));
    }
    Command command;
    command.label = pasted.size() == 1 ? "Paste " + pasted[0].id : "Paste " + std::to_string(pasted.size()) + " components";
    std::set<std::string> ids;
    for (plan::Component& c : pasted) {
        if (auto* pg = std::get_if<plan::PostgresSpec>(&c.spec)) {
            auto it = renamed.find(pg->host);
            pg->host = it != renamed.end() ? it->second : std::string();
        }
        ids.insert(c.id);
        command.changes.push_back({c.id, plan_.components.size() + command.changes.size(), std::nullopt, c});
    }
    Execute(std::move(command));
    selection_ = std::move(ids);
}

// ---- History ----------------------------------------------------------------------------------------------

void Document::Execute(Command command) {
    Apply(command, /*forward=*/true);
    redo_.clear();
    command.serial = next_serial_++;
    if (merge_open_ && !command.merge_key.empty() && !undo_.empty() && undo_.back().merge_key == command.merge_key &&
        undo_.back().serial != saved_serial_) {
        // Same field typed into again: keep the first `before`, take the newest `after`.
        Command& top = undo_.back();
        for (std::size_t i = 0; i < top.changes.size() && i < command.changes.size(); ++i) {
            top.changes[i].after = std::move(command.changes[i].after);
        }
        if (command.header_after) top.header_after = std::move(command.header_after);
        top.serial = command.serial;
    } else {
        undo_.push_back(std::move(command));
    }
    merge_open_ = !undo_.back().merge_key.empty();
    Changed();
}

void Document::Apply(const Command& command, bool forward) {
    if (forward) {
        for (const ComponentChange& change : command.changes) {
            const std::size_t index = IndexOf(plan_, change.id);
            if (change.before && !change.after) {
                if (index < plan_.components.size()) plan_.components.erase(plan_.components.begin() + index);
                selection_.erase(change.id);
            } else if (!change.before && change.after) {
                const std::size_t at = std::min(change.index, plan_.components.size());
                plan_.components.insert(plan_.components.begin() + at, *change.after);
            } else if (change.after && index < plan_.components.size()) {
                plan_.components[index] = *change.after;
            }
        }
        if (command.header_after) {
            plan_.name = command.header_after->name;
            plan_.environment = command.header_after->environment;
            plan_.cloud = command.header_after->cloud;
        }
        return;
    }
    for (auto it = command.changes.rbegin(); it != command.changes.rend(); ++it) {
        const ComponentChange& change = *it;
        const std::size_t index = IndexOf(plan_, change.id);
        if (change.after && !change.before) {
            if (index < plan_.components.size()) plan_.components.erase(plan_.components.begin() + index);
            selection_.erase(change.id);
        } else if (!change.after && change.before) {
            const std::size_t at = std::min(change.index, plan_.components.size());
            plan_.components.insert(plan_.components.begin() + at, *change.before);
        } else if (change.before && index < plan_.components.size()) {
            plan_.components[index] = *change.before;
        }
    }
    if (command.header_before) {
        plan_.name = command.header_before->name;
        plan_.environment = command.header_before->environment;
        plan_.cloud = command.header_before->cloud;
    }
}

bool Document::Undo() {
    if (undo_.empty()) return false;
    Command command = std::move(undo_.back());
    undo_.pop_back();
    Apply(command, /*forward=*/false);
    redo_.push_back(std::move(command));
    merge_open_ = false;
    Changed();
    return true;
}

bool Document::Redo() {
    if (redo_.empty()) return false;
    Command command = std::move(redo_.back());
    redo_.pop_back();
    Apply(command, /*forward=*/true);
    undo_.push_back(std::move(command));
    merge_open_ = false;
    Changed();
    return true;
}

void Document::Changed() {
    ++version_;
    problems_ = Problems::Of(plan_);
}

// ---- Selection --------------------------------------------------------------------------------------------

void Document::Select(const std::string& id, bool additive) {
    if (!plan_.Find(id)) return;
    if (!additive) {
        selection_ = {id};
    } else if (!selection_.erase(id)) {
        selection_.insert(id);
    }
}

void Document::SelectInRect(plan::Position a, plan::Position b, bool additive) {
    if (!additive) selection_.clear();
    const double x0 = std::min(a.x, b.x), x1 = std::max(a.x, b.x);
    const double y0 = std::min(a.y, b.y), y1 = std::max(a.y, b.y);
    for (const plan::Component& c : plan_.components) {
        const double cx = c.position.x + kNodeWidth / 2, cy = c.position.y + kNodeHeight / 2;
        if (cx >= x0 && cx <= x1 && cy >= y0 && cy <= y1) selection_.insert(c.id);
    }
}

std::string Document::ComponentAt(plan::Position point, const std::string& except) const {
    for (auto it = plan_.components.rbegin(); it != plan_.components.rend(); ++it) {
        if (it->id == except) continue;
        if (point.x >= it->position.x && point.x <= it->position.x + kNodeWidth && point.y >= it->position.y &&
            point.y <= it->position.y + kNodeHeight) {
            return it->id;
        }
    }
    return {};
}

void Document::SelectAll() {
    for (const plan::Component& c : plan_.components) selection_.insert(c.id);
}

const plan::Component* Document::SelectedComponent() const {
    if (selection_.size() != 1) return nullptr;
    return plan_.Find(*selection_.begin());
}

}  // namespace ui::editor
