#include "plan/diagnostic.hpp"

#include <algorithm>

namespace plan {

bool HasErrors(const Diagnostics& diagnostics) {
    return std::any_of(diagnostics.begin(), diagnostics.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

std::string FormatDiagnostics(const Diagnostics& diagnostics) {
    std::string out;
    for (const Diagnostic& d : diagnostics) {
        out += d.severity == Severity::Error ? "error   " : "warning ";
        out += d.path.empty() ? "(document)" : d.path;
        out += "  " + d.code + ": " + d.message + "\n";
    }
    return out;
}

std::string PointerToken(const std::string& key) {
    std::string out;
    out.reserve(key.size());
    for (char c : key) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace plan
