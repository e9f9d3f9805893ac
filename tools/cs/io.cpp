#include "io.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

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

}  // namespace cs
