#include "io.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "plan/validate.hpp"

namespace cs {

std::optional<std::string> ReadInput(const std::string& path) {
    std::ostringstream buffer;
    if (path == "-") {
        buffer << std::cin.rdbuf();
        return buffer.str();
    }
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        std::fprintf(stderr, "cs: cannot read %s: %s\n", path.c_str(), std::strerror(errno));
        return std::nullopt;
    }
    buffer << file.rdbuf();
    return buffer.str();
}

std::optional<plan::Plan> LoadValidPlan(const std::string& path, int& exit_code) {
    const auto text = ReadInput(path);
    if (!text) {
        exit_code = 2;
        return std::nullopt;
    }
    plan::ParseOutcome outcome = plan::CheckPlan(*text);
    if (!outcome.plan || plan::HasErrors(outcome.diagnostics)) {
        std::fputs(plan::FormatDiagnostics(outcome.diagnostics).c_str(), stderr);
        exit_code = 1;
        return std::nullopt;
    }
    return std::move(outcome.plan);
}

}  // namespace cs
