#pragma once
// The editor's document: the plan being edited, the selection, the clipboard and the undo/redo history.
// No ImGui and no network (STYLE.md rule 6): views call these commands, so every edit is undoable and
// re-validated with plan_core's rules at once. Unit-tested natively (tests/web/editor_*_test.cpp).
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "editor/problems.hpp"
#include "plan/plan.hpp"

namespace ui::editor {

enum class ComponentKind { Vm, Postgres };

// One component's change inside a command: added (no `before`), removed (no `after`) or modified.
// `index` is where it sits in plan.components (before removal / after insertion).
struct ComponentChange {
    std::string id;
    std::size_t index = 0;
    std::optional<plan::Component> before;
    std::optional<plan::Component> after;
};

// The plan-level fields edited from the properties panel.
struct PlanHeader {
    std::string name;
    plan::Environment environment = plan::Environment::Development;
    plan::Cloud cloud;
    bool operator==(const PlanHeader& other) const {
        return name == other.name && environment == other.environment && cloud.provider == other.cloud.provider &&
               cloud.region == other.cloud.region;
    }
};

// One undoable edit. Applying it moves every change from `before` to `after`; undoing, back.
struct Command {
    std::string label;                     // shown in the Undo/Redo tooltips: "Move 2 components"
    std::vector<ComponentChange> changes;  // in application order
    std::optional<PlanHeader> header_before;
    std::optional<PlanHeader> header_after;
    std::string merge_key;                 // consecutive edits with the same non-empty key become one step
    std::uint64_t serial = 0;              // identifies the document state this command leads to
};

class Document {
public:
    Document();

    // Starts editing `plan` (as loaded or just saved): clears history, selection and the dirty flag.
    void Load(plan::Plan plan);
    const plan::Plan& Plan() const { return plan_; }

    // ---- Commands (each one undoable; each re-validates) ----------------------------------------------
    // Adds a new component of `kind` at `at` (snapped to the grid), with a fresh id ("vm-2", "pg-3")
    // and the defaults of plan::DefaultPlan. A postgres gets `host` when given. Selects it; returns its id.
    std::string AddComponent(ComponentKind kind, plan::Position at, std::string host = {});
    // Moves components by (dx, dy) canvas units; each final position is snapped to the grid.
    // Ids not in the plan are ignored; nothing moves -> no command.
    void Move(const std::vector<std::string>& ids, double dx, double dy);
    // Hosts postgres `postgres_id` on VM `vm_id` (both must exist and be of those kinds); false otherwise.
    bool LinkHost(const std::string& postgres_id, const std::string& vm_id);
    // Replaces component `after.id` with `after`. Consecutive calls with the same non-empty `merge_key`
    // (e.g. typing into one field) become a single undo step.
    bool SetComponent(const plan::Component& after, std::string label, std::string merge_key = {});
    // Sets the plan's name, environment and cloud (merge_key as for SetComponent).
    void SetHeader(const PlanHeader& after, std::string label, std::string merge_key = {});
    // Deletes the selected components. A VM's databases keep their host id, so validation points at them.
    void DeleteSelection();
    // Copies the selected components to the clipboard (nothing happens with an empty selection).
    void CopySelection();
    // Pastes the clipboard 40 units down-right with fresh ids; a pasted database hosted on a pasted VM
    // follows its copy, otherwise its host is cleared (one database per VM). Selects the pasted ones.
    void Paste();
    bool ClipboardEmpty() const { return clipboard_.empty(); }
    // The clipboard as text for the system clipboard: a cs-json plan (this plan's header) holding only the
    // copied components, so another tab or program can paste it back. Empty when the clipboard is.
    std::string ClipboardText() const;
    // Pastes the components of cs-json `text` (ClipboardText's, or any plan's) as Paste does, and keeps them
    // as the clipboard. False, changing nothing, when the text is not a readable plan with components.
    bool PasteText(std::string_view text);

    bool CanUndo() const { return !undo_.empty(); }
    bool CanRedo() const { return !redo_.empty(); }
    std::string UndoLabel() const { return undo_.empty() ? std::string() : undo_.back().label; }
    std::string RedoLabel() const { return redo_.empty() ? std::string() : redo_.back().label; }
    bool Undo();
    bool Redo();
    // Ends the current merge run: the next edit starts a new undo step even with the same key
    // (called when a text field loses focus).
    void BreakMerge() { merge_open_ = false; }

    // ---- Dirty flag ----------------------------------------------------------------------------------------
    // True when the plan differs from the last Load()/MarkSaved() state (undoing back to it clears it).
    bool Dirty() const { return CurrentSerial() != saved_serial_; }
    // The current state was saved as `revision` (the plan's revision field follows).
    void MarkSaved(std::int64_t revision) { MarkSaved(revision, StateId()); }
    // The state `state` (StateId() when the save was sent; edits may have followed) was saved as `revision`.
    void MarkSaved(std::int64_t revision, std::uint64_t state);
    // Identifies the current state of the plan: equal ids mean equal plans along the history.
    std::uint64_t StateId() const { return CurrentSerial(); }
    // Bumps on every change of the plan (edit, undo, redo, load): caches of derived text key on it.
    std::uint64_t Version() const { return version_; }

    // ---- Selection -------------------------------------------------------------------------------------------
    const std::set<std::string>& Selection() const { return selection_; }
    bool IsSelected(const std::string& id) const { return selection_.count(id) > 0; }
    // Selects `id` alone, or toggles it in the selection when `additive` (shift-click).
    void Select(const std::string& id, bool additive = false);
    // Selects every component whose box centre lies in the rectangle (any corner order); adds when `additive`.
    void SelectInRect(plan::Position a, plan::Position b, bool additive = false);
    void SelectAll();
    void ClearSelection() { selection_.clear(); }
    // The topmost component whose box (kNodeWidth x kNodeHeight) contains `point`; "" for none.
    // `except` is skipped (the node being dragged is never its own drop target).
    std::string ComponentAt(plan::Position point, const std::string& except = {}) const;
    // The single selected component, or nullptr when none or several are selected.
    const plan::Component* SelectedComponent() const;

    // ---- Validation ------------------------------------------------------------------------------------------
    const Problems& CurrentProblems() const { return problems_; }
    bool HasErrors() const { return problems_.HasErrors(); }

private:
    void Execute(Command command);
    void Apply(const Command& command, bool forward);
    void Changed();
    std::uint64_t CurrentSerial() const { return undo_.empty() ? load_serial_ : undo_.back().serial; }
    std::string FreshId(ComponentKind kind, const std::set<std::string>& taken) const;
    PlanHeader Header() const;

    plan::Plan plan_;
    std::vector<Command> undo_;
    std::vector<Command> redo_;
    bool merge_open_ = false;
    std::uint64_t next_serial_ = 1;
    std::uint64_t load_serial_ = 0;
    std::uint64_t saved_serial_ = 0;
    std::uint64_t version_ = 0;
    std::set<std::string> selection_;
    std::vector<plan::Component> clipboard_;
    Problems problems_;
};

}  // namespace ui::editor
