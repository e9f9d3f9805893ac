// Target: the gateway front's HTTP/1.1 request framer (gateway/src/http/request_framer.cpp), which reads every
// byte a client sends before any route, authentication or limit runs. Input: one byte that seeds how the rest is
// cut into pieces (as a network would deliver it), then the raw bytes of a connection (any number of pipelined
// requests). Small limits, so every limit's edge is in reach. Properties:
//  - the same bytes give the same requests whether they arrive whole or in pieces, and the same end
//    (waiting for more, or refused);
//  - a complete request has a method token, a visible-ASCII target, a body within the limit and a normalised
//    head: request line, headers without CR/LF/NUL, no Transfer-Encoding or Expect, and exactly one
//    Content-Length equal to the decoded body's size, then an empty line;
//  - a refusal has a 4xx/5xx status, a code and a message, and the framer stays refused;
//  - while waiting, the framer holds no more than its limits allow (what a client claims is never allocated).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "http/request_framer.hpp"

namespace {

using gw::http::FramedRequest;
using gw::http::FramerLimits;
using gw::http::RequestFramer;

constexpr FramerLimits kLimits{/*max_request_line_bytes=*/256, /*max_head_bytes=*/512, /*max_header_count=*/16,
                               /*max_body_bytes=*/1024, /*max_chunk_line_bytes=*/32, /*max_trailer_bytes=*/128};

struct Outcome {
    std::vector<FramedRequest> requests;
    RequestFramer::Status end = RequestFramer::Status::NeedMore;
};

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool StartsWithIgnoreCase(std::string_view line, std::string_view prefix) {
    if (line.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (Lower(line[i]) != Lower(prefix[i])) return false;
    }
    return true;
}

void CheckRequest(const FramedRequest& r) {
    FUZZ_CHECK(!r.method.empty());
    FUZZ_CHECK(!r.target.empty());
    for (unsigned char c : r.target) FUZZ_CHECK(c > 0x20 && c < 0x7f);
    FUZZ_CHECK(r.body.size() <= kLimits.max_body_bytes);
    FUZZ_CHECK(r.head.rfind(r.method + " " + r.target + " HTTP/1.", 0) == 0);
    FUZZ_CHECK(r.head.size() >= 4 && r.head.compare(r.head.size() - 4, 4, "\r\n\r\n") == 0);
    int lengths = 0;
    std::size_t at = 0;
    while (true) {
        const std::size_t end = r.head.find("\r\n", at);
        FUZZ_CHECK(end != std::string::npos);
        const std::string_view line(r.head.data() + at, end - at);
        at = end + 2;
        if (line.empty()) break;
        FUZZ_CHECK(line.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos);
        FUZZ_CHECK(!StartsWithIgnoreCase(line, "transfer-encoding:"));
        FUZZ_CHECK(!StartsWithIgnoreCase(line, "expect:"));
        if (StartsWithIgnoreCase(line, "content-length:")) {
            ++lengths;
            FUZZ_CHECK(line == "Content-Length: " + std::to_string(r.body.size()));
        }
    }
    FUZZ_CHECK(at == r.head.size());  // nothing after the empty line
    FUZZ_CHECK(lengths == 1);
}

// What the framer may hold while it waits: a head up to its limit, or a body up to its limit plus the framing
// bytes around the part being read.
void CheckHolding(const RequestFramer& f) {
    const std::size_t framing = kLimits.max_head_bytes + kLimits.max_chunk_line_bytes + kLimits.max_trailer_bytes;
    if (f.phase() == RequestFramer::Phase::Head) FUZZ_CHECK(f.buffered_bytes() <= kLimits.max_head_bytes);
    FUZZ_CHECK(f.buffered_bytes() <= kLimits.max_body_bytes + framing);
}

// Feeds `pieces` in turn; after each, takes every request that completed. `checked`: the pieces are small
// (at most 65 bytes), so the holding bound applies after each.
Outcome Run(const std::vector<std::string_view>& pieces, bool checked) {
    RequestFramer framer(kLimits);
    Outcome out;
    for (std::string_view piece : pieces) {
        framer.Append(piece);
        RequestFramer::Status s;
        while ((s = framer.Advance()) == RequestFramer::Status::Complete) {
            (void)framer.TakeContinue();
            out.requests.push_back(framer.TakeRequest());
            CheckRequest(out.requests.back());
        }
        out.end = s;
        if (s == RequestFramer::Status::Error) {
            const auto& e = framer.error();
            FUZZ_CHECK(e.status >= 400 && e.status <= 599);
            FUZZ_CHECK(!e.code.empty() && !e.message.empty());
            framer.Append("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            FUZZ_CHECK(framer.Advance() == RequestFramer::Status::Error);
            break;
        }
        if (checked) CheckHolding(framer);
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    std::uint32_t seed = data[0];
    const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);

    std::vector<std::string_view> pieces;
    for (std::size_t at = 0; at < bytes.size();) {
        seed = seed * 1103515245u + 12345u;
        std::size_t n = 1 + (seed >> 16) % 64;
        pieces.push_back(bytes.substr(at, n));
        at += n;
    }
    const Outcome piecewise = Run(pieces, /*checked=*/true);
    const Outcome whole = Run({bytes}, /*checked=*/false);

    FUZZ_CHECK(piecewise.requests.size() == whole.requests.size());
    for (std::size_t i = 0; i < whole.requests.size(); ++i) {
        const FramedRequest& a = piecewise.requests[i];
        const FramedRequest& b = whole.requests[i];
        FUZZ_CHECK(a.head == b.head);
        FUZZ_CHECK(a.body == b.body);
        FUZZ_CHECK(a.authorization == b.authorization);
        FUZZ_CHECK(a.close == b.close);
    }
    FUZZ_CHECK((piecewise.end == RequestFramer::Status::Error) == (whole.end == RequestFramer::Status::Error));
    return 0;
}
