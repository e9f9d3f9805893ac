#pragma once
// plan_core's diagnostics, located for the editor: which component (by id, stable across deletes)
// and which field of it (the JSON pointer below the component, e.g. "disk/size_gib"), so the canvas
// can mark a node, the properties panel a field, and the problems list select both.
#include <string>
#include <string_view>
#include <vector>

#include "plan/diagnostic.hpp"
#include "plan/plan.hpp"

namespace ui::editor {

struct Problem {
    std::string component;   // component id; "" for plan-level problems
    std::string field;       // pointer below the component (or the plan) without the leading '/': "disk/size_gib",
                             // "cloud/region", "" for the component or the plan as a whole
    plan::Diagnostic diagnostic;
};

class Problems {
public:
    // Runs plan::Validate on `plan` and locates every diagnostic.
    static Problems Of(const plan::Plan& plan);

    const std::vector<Problem>& All() const { return all_; }
    bool HasErrors() const;
    int ErrorCount() const;
    // Problems of `component` ("" = plan level) whose field is `field` or lies below it
    // ("hardware" matches "hardware/vcpus"); `field` "" matches every field of the component.
    std::vector<const Problem*> For(std::string_view component, std::string_view field = {}) const;
    // True when `component` has any error (the canvas draws it red).
    bool ComponentHasError(std::string_view component) const;

private:
    std::vector<Problem> all_;
};

// Where `diagnostic` points in `plan`: "/components/3/disk/size_gib" -> {id of component 3, "disk/size_gib"}.
Problem Locate(const plan::Plan& plan, const plan::Diagnostic& diagnostic);

}  // namespace ui::editor
