#include "client_network.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstring>

namespace gw {

std::string NetworkOf(std::string_view address) {
    std::string text(address);
    // A zone ("fe80::1%eth0") does not change the network.
    if (const auto percent = text.find('%'); percent != std::string::npos) text.resize(percent);
    if (text.size() > 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
    in_addr v4{};
    if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
        char out[INET_ADDRSTRLEN] = {};
        inet_ntop(AF_INET, &v4, out, sizeof out);
        return out;
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) return std::string(address);
    static constexpr std::array<unsigned char, 12> kMapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(v6.s6_addr, kMapped.data(), kMapped.size()) == 0) {
        std::memcpy(&v4, v6.s6_addr + 12, 4);
        char out[INET_ADDRSTRLEN] = {};
        inet_ntop(AF_INET, &v4, out, sizeof out);
        return out;
    }
    std::memset(v6.s6_addr + 8, 0, 8);
    char out[INET6_ADDRSTRLEN] = {};
    inet_ntop(AF_INET6, &v6, out, sizeof out);
    return std::string(out) + "/64";
}

}  // namespace gw
