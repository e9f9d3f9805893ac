#pragma once
// Small helpers shared by the gw_aws tests.
#include <fstream>
#include <sstream>
#include <string>

namespace gw::aws::test {

// The whole file, or "" if it cannot be read (callers assert on what they expect inside).
inline std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace gw::aws::test
