#include "editor/problems.hpp"

#include <algorithm>
#include <charconv>

#include "plan/validate.hpp"

namespace ui::editor {
namespace {

bool FieldMatches(std::string_view actual, std::string_view wanted) {
    if (wanted.empty()) return true;
    if (actual.size() < wanted.size() || actual.compare(0, wanted.size(), wanted) != 0) return false;
    return actual.size() == wanted.size() || actual[wanted.size()] == '/';
}

}  // namespace

Problem Locate(const plan::Plan& plan, const plan::Diagnostic& diagnostic) {
    Problem problem{{}, {}, diagnostic};
    std::string_view path = diagnostic.path;
    if (!path.empty() && path.front() == '/') path.remove_prefix(1);
    constexpr std::string_view kComponents = "components/";
    if (path.compare(0, kComponents.size(), kComponents) == 0) {
        std::string_view rest = path.substr(kComponents.size());
        const std::size_t slash = rest.find('/');
        const std::string_view number = rest.substr(0, slash);
        std::size_t index = 0;
        const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), index);
        if (error == std::errc() && end == number.data() + number.size() && index < plan.components.size()) {
            problem.component = plan.components[index].id;
            problem.field = slash == std::string_view::npos ? std::string() : std::string(rest.substr(slash + 1));
            return problem;
        }
    }
    problem.field = std::string(path);
    return problem;
}

Problems Problems::Of(const plan::Plan& plan) {
    Problems problems;
    for (const plan::Diagnostic& diagnostic : plan::Validate(plan)) problems.all_.push_back(Locate(plan, diagnostic));
    return problems;
}

bool Problems::HasErrors() const { return ErrorCount() > 0; }

int Problems::ErrorCount() const {
    return static_cast<int>(std::count_if(all_.begin(), all_.end(), [](const Problem& p) {
        return p.diagnostic.severity == plan::Severity::Error;
    }));
}

std::vector<const Problem*> Problems::For(std::string_view component, std::string_view field) const {
    std::vector<const Problem*> found;
    for (const Problem& problem : all_) {
        if (problem.component == component && FieldMatches(problem.field, field)) found.push_back(&problem);
    }
    return found;
}

bool Problems::ComponentHasError(std::string_view component) const {
    return std::any_of(all_.begin(), all_.end(), [&](const Problem& p) {
        return p.component == component && p.diagnostic.severity == plan::Severity::Error;
    });
}

}  // namespace ui::editor
