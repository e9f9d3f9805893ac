#include "request_framer.hpp"

#include <algorithm>

namespace gw::http {

namespace {

constexpr std::string_view kCrlf = "\r\n";
constexpr std::size_t kMaxRangeBytes = 128;  // "bytes=0-99,200-299" and the like; longer ones are dropped

// RFC 9110 section 5.6.2: token characters (method and field names).
bool IsTchar(unsigned char c) {
    if (c >= '0' && c <= '9') return true;
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool IsToken(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return IsTchar(c); });
}

// Field values: visible characters, obs-text, space and tab (RFC 9110 section 5.5); never CR, LF or NUL.
bool IsFieldValue(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); });
}

std::string_view Trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return AsciiLower(x) == AsciiLower(y); });
}

// Calls `each` with every trimmed, non-empty element of a comma-separated field value.
template <typename F>
void ForEachListItem(std::string_view value, F each) {
    while (!value.empty()) {
        const auto comma = value.find(',');
        const std::string_view item = Trim(value.substr(0, comma));
        if (!item.empty()) each(item);
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
    }
}

// A decimal Content-Length of at most 18 digits (no sign, no spaces): fits any size we could accept and cannot
// overflow. Anything else is not a length.
bool ParseLength(std::string_view s, std::size_t& out) {
    if (s.empty() || s.size() > 18) return false;
    std::size_t v = 0;
    for (const char c : s) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + static_cast<std::size_t>(c - '0');
    }
    out = v;
    return true;
}

int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string Limit(std::size_t bytes) { return std::to_string(bytes) + " bytes"; }

}  // namespace

RequestFramer::RequestFramer(FramerLimits limits) : limits_(limits) {}

void RequestFramer::Append(std::string_view bytes) {
    if (state_ == State::Error) return;
    buf_.append(bytes.data(), bytes.size());
}

RequestFramer::Phase RequestFramer::phase() const {
    if (state_ == State::Head) return buf_.empty() ? Phase::Idle : Phase::Head;
    return Phase::Body;
}

RequestFramer::Status RequestFramer::Fail(int status, std::string code, std::string message) {
    state_ = State::Error;
    error_ = FramingError{status, std::move(code), std::move(message)};
    buf_.clear();
    buf_.shrink_to_fit();
    body_.clear();
    body_.shrink_to_fit();
    return Status::Error;
}

bool RequestFramer::TakeContinue() {
    const bool pending = continue_pending_;
    continue_pending_ = false;
    return pending;
}

RequestFramer::Status RequestFramer::Advance() {
    switch (state_) {
        case State::Error:
            return Status::Error;
        case State::Complete:
            return Status::Complete;
        case State::Head: {
            // RFC 9112 section 2.2: empty lines before a request line are ignored (some clients send a CRLF
            // after a POST body).
            std::size_t skip = 0;
            while (buf_.compare(skip, 2, kCrlf) == 0) skip += 2;
            if (skip > 0) {
                buf_.erase(0, skip);
                scanned_ = scanned_ > skip ? scanned_ - skip : 0;
            }
            // Search only the new bytes (and the three before them), so a head sent one byte at a time costs
            // linear, not quadratic, work.
            const std::size_t from = scanned_ >= 3 ? scanned_ - 3 : 0;
            const std::size_t head_end = buf_.find("\r\n\r\n", from);
            if (head_end == std::string::npos) {
                scanned_ = buf_.size();
                // A CR at the very end may be the first half of the line's CRLF: it is not part of the line.
                // (The buffer is empty between requests: nothing to look at then.)
                const std::size_t line_end = buf_.find(kCrlf);
                const bool cr_waits = !buf_.empty() && buf_.back() == '\r';
                const std::size_t line_bytes =
                    line_end != std::string::npos ? line_end : buf_.size() - (cr_waits ? 1 : 0);
                if (line_bytes > limits_.max_request_line_bytes) {
                    return Fail(414, "request.uri_too_long",
                                "The request line is longer than " + Limit(limits_.max_request_line_bytes) +
                                    "; shorten the URL.");
                }
                if (buf_.size() > limits_.max_head_bytes) {
                    return Fail(431, "request.headers_too_large",
                                "The request headers are larger than " + Limit(limits_.max_head_bytes) +
                                    "; send fewer or shorter headers.");
                }
                return Status::NeedMore;
            }
            return ParseHead(head_end);
        }
        case State::Body: {
            if (buf_.size() < content_length_) return Status::NeedMore;
            body_.assign(buf_, 0, content_length_);
            buf_.erase(0, content_length_);
            state_ = State::Complete;
            return Status::Complete;
        }
        case State::ChunkSize:
        case State::ChunkData:
        case State::ChunkDataEnd:
        case State::Trailers:
            return ParseChunks();
    }
    return Status::NeedMore;
}

RequestFramer::Status RequestFramer::ParseHead(std::size_t head_end) {
    const std::size_t head_bytes = head_end + 4;
    if (head_bytes > limits_.max_head_bytes) {
        return Fail(431, "request.headers_too_large",
                    "The request headers are larger than " + Limit(limits_.max_head_bytes) +
                        "; send fewer or shorter headers.");
    }
    const std::string_view head(buf_.data(), head_end + 2);  // every line ends with CRLF
    // Lines are split on CRLF only; a CR or LF anywhere else is refused, so nothing downstream can read the
    // lines differently from us (request smuggling).
    std::size_t at = 0;
    auto next_line = [&](std::string_view& line) {
        const std::size_t end = head.find(kCrlf, at);
        line = head.substr(at, end - at);
        at = end + 2;
        return line.find_first_of("\r\n") == std::string_view::npos;
    };

    std::string_view line;
    if (!next_line(line)) return Fail(400, "request.malformed", "The request line holds a bare CR or LF.");
    if (line.size() > limits_.max_request_line_bytes) {
        return Fail(414, "request.uri_too_long",
                    "The request line is longer than " + Limit(limits_.max_request_line_bytes) + "; shorten the URL.");
    }
    const std::size_t sp1 = line.find(' ');
    const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
        return Fail(400, "request.malformed", "The request line must be METHOD SP TARGET SP HTTP/1.1.");
    }
    const std::string_view method = line.substr(0, sp1);
    const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    const std::string_view version = line.substr(sp2 + 1);
    if (!IsToken(method)) return Fail(400, "request.malformed", "The request method is not a token.");
    if (target.empty() ||
        !std::all_of(target.begin(), target.end(), [](unsigned char c) { return c > 0x20 && c < 0x7f; })) {
        return Fail(400, "request.malformed", "The request target must be visible ASCII without spaces.");
    }
    const bool http11 = version == "HTTP/1.1";
    if (!http11 && version != "HTTP/1.0") {
        if (version.size() == 8 && version.substr(0, 5) == "HTTP/") {
            return Fail(505, "request.http_version", "Only HTTP/1.1 and HTTP/1.0 are served here.");
        }
        return Fail(400, "request.malformed", "The request line must end with HTTP/1.1.");
    }

    request_ = FramedRequest{};
    request_.method = std::string(method);
    request_.target = std::string(target);
    request_.close = !http11;
    std::string kept;  // header lines passed on to httplib
    kept.reserve(head.size());
    std::size_t count = 0;
    int hosts = 0;
    bool has_length = false;
    bool has_transfer_encoding = false;
    bool transfer_encoding_ok = true;
    std::size_t te_items = 0;
    bool expect_continue = false;
    std::size_t length = 0;
    while (at < head.size()) {
        if (!next_line(line)) return Fail(400, "request.malformed", "A header line holds a bare CR or LF.");
        if (++count > limits_.max_header_count) {
            return Fail(431, "request.headers_too_large",
                        "The request has more than " + std::to_string(limits_.max_header_count) + " headers.");
        }
        if (line.front() == ' ' || line.front() == '\t') {
            return Fail(400, "request.malformed", "Folded header lines (obs-fold) are not accepted.");
        }
        const std::size_t colon = line.find(':');
        const std::string_view name = colon == std::string_view::npos ? line : line.substr(0, colon);
        if (colon == std::string_view::npos || !IsToken(name)) {
            return Fail(400, "request.malformed", "A header line is not \"Name: value\".");
        }
        const std::string_view value = Trim(line.substr(colon + 1));
        if (!IsFieldValue(value)) {
            return Fail(400, "request.malformed",
                        "The header " + std::string(name) + " holds a control character.");
        }
        if (EqualsIgnoreCase(name, "content-length")) {
            bool ok = true;
            ForEachListItem(value, [&](std::string_view item) {
                std::size_t v = 0;
                if (!ParseLength(item, v) || (has_length && v != length)) ok = false;
                length = v;
                has_length = true;
            });
            if (!ok || !has_length) {
                return Fail(400, "request.malformed", "Content-Length must be one decimal number.");
            }
            continue;
        }
        if (EqualsIgnoreCase(name, "transfer-encoding")) {
            has_transfer_encoding = true;
            ForEachListItem(value, [&](std::string_view item) {
                ++te_items;
                if (!EqualsIgnoreCase(item, "chunked")) transfer_encoding_ok = false;
            });
            continue;
        }
        if (EqualsIgnoreCase(name, "expect")) {
            if (!EqualsIgnoreCase(value, "100-continue")) {
                return Fail(417, "request.expectation_failed", "Only \"Expect: 100-continue\" is understood.");
            }
            expect_continue = true;
            continue;
        }
        if (EqualsIgnoreCase(name, "content-encoding")) {
            bool identity = true;
            ForEachListItem(value, [&](std::string_view item) {
                if (!EqualsIgnoreCase(item, "identity")) identity = false;
            });
            if (!identity) {
                return Fail(415, "request.encoding_unsupported",
                            "Request bodies are not decompressed here; send the body without Content-Encoding.");
            }
        } else if (EqualsIgnoreCase(name, "range") && value.size() > kMaxRangeBytes) {
            continue;  // httplib parses Range with std::regex; a server may ignore Range (RFC 9110 section 14.2)
        } else if (EqualsIgnoreCase(name, "host")) {
            ++hosts;
        } else if (EqualsIgnoreCase(name, "authorization")) {
            request_.authorization = std::string(value);
        } else if (EqualsIgnoreCase(name, "connection")) {
            ForEachListItem(value, [&](std::string_view item) {
                if (EqualsIgnoreCase(item, "close")) request_.close = true;
                if (!http11 && EqualsIgnoreCase(item, "keep-alive")) request_.close = false;
            });
            continue;  // replaced by the one line below
        }
        kept.append(name.data(), name.size()).append(": ").append(value.data(), value.size()).append(kCrlf);
    }
    // httplib decides for itself whether to close after answering, from the first Connection header compared
    // byte for byte ("close"; HTTP/1.0 stays open only on "Keep-Alive"). Told only our decision, in its
    // spelling, it cannot close a connection whose answer promised to keep it open (HTTP/1.0 with
    // "Connection: keep-alive" lost its pipelined requests that way: found by fuzz_gateway_requests).
    if (request_.close) {
        kept.append("Connection: close").append(kCrlf);
    } else if (!http11) {
        kept.append("Connection: Keep-Alive").append(kCrlf);
    }
    if (hosts > 1 || (http11 && hosts == 0)) {
        return Fail(400, "request.malformed", "An HTTP/1.1 request needs exactly one Host header.");
    }
    if (has_transfer_encoding) {
        if (has_length) {
            return Fail(400, "request.malformed", "Send either Content-Length or Transfer-Encoding, not both.");
        }
        if (!http11) return Fail(400, "request.malformed", "Transfer-Encoding needs HTTP/1.1.");
        if (!transfer_encoding_ok || te_items != 1) {
            return Fail(501, "request.transfer_encoding_unsupported",
                        "Only \"Transfer-Encoding: chunked\" is understood; send the body with Content-Length.");
        }
    }
    if (has_length && length > limits_.max_body_bytes) {
        return Fail(413, "request.too_large",
                    "The body is larger than the limit of " + std::to_string(limits_.max_body_bytes) + " bytes.");
    }

    request_.head.reserve(sp2 + 12 + kept.size() + 32);
    request_.head.append(method).append(" ").append(target).append(" ").append(version).append(kCrlf);
    request_.head.append(kept);
    buf_.erase(0, head_bytes);
    scanned_ = 0;
    pos_ = 0;
    body_.clear();
    chunked_ = has_transfer_encoding;
    if (chunked_) {
        state_ = State::ChunkSize;
        continue_pending_ = expect_continue;
        return ParseChunks();
    }
    content_length_ = has_length ? length : 0;
    if (content_length_ == 0) {
        state_ = State::Complete;
        return Status::Complete;
    }
    state_ = State::Body;
    continue_pending_ = expect_continue;
    return Advance();
}

RequestFramer::Status RequestFramer::ParseChunks() {
    // Consumed bytes are dropped at the end of each pass, so the raw buffer never holds more than one pass's
    // worth of already-decoded data.
    struct Compact {
        RequestFramer& f;
        ~Compact() {
            if (f.state_ != State::Error && f.pos_ > 0) {
                f.buf_.erase(0, f.pos_);
                f.pos_ = 0;
            }
        }
    } compact{*this};
    const std::string too_large =
        "The body is larger than the limit of " + std::to_string(limits_.max_body_bytes) + " bytes.";
    while (true) {
        switch (state_) {
            case State::ChunkSize: {
                const std::size_t end = buf_.find(kCrlf, pos_);
                if (end == std::string::npos) {
                    // As for the request line: a CR at the very end may be the first half of the CRLF.
                    const bool cr_waits = buf_.size() > pos_ && buf_.back() == '\r';
                    if (buf_.size() - pos_ - (cr_waits ? 1 : 0) > limits_.max_chunk_line_bytes) {
                        return Fail(400, "request.malformed", "A chunk-size line is too long.");
                    }
                    return Status::NeedMore;
                }
                const std::string_view size_line(buf_.data() + pos_, end - pos_);
                if (size_line.size() > limits_.max_chunk_line_bytes ||
                    size_line.find_first_of("\r\n") != std::string_view::npos) {
                    return Fail(400, "request.malformed", "A chunk-size line is malformed.");
                }
                std::uint64_t size = 0;
                std::size_t digits = 0;
                while (digits < size_line.size() && HexValue(size_line[digits]) >= 0) {
                    if (digits == 15) return Fail(413, "request.too_large", too_large);
                    size = size * 16 + static_cast<std::uint64_t>(HexValue(size_line[digits]));
                    ++digits;
                }
                const std::string_view rest = Trim(size_line.substr(digits));
                if (digits == 0 || (!rest.empty() && rest.front() != ';') || !IsFieldValue(rest)) {
                    return Fail(400, "request.malformed", "A chunk size must be hexadecimal.");
                }
                if (size > limits_.max_body_bytes - body_.size()) return Fail(413, "request.too_large", too_large);
                pos_ = end + 2;
                chunk_left_ = size;
                trailer_bytes_ = 0;
                state_ = size == 0 ? State::Trailers : State::ChunkData;
                break;
            }
            case State::ChunkData: {
                const std::size_t n = std::min<std::uint64_t>(chunk_left_, buf_.size() - pos_);
                body_.append(buf_, pos_, n);
                pos_ += n;
                chunk_left_ -= n;
                if (chunk_left_ > 0) return Status::NeedMore;
                state_ = State::ChunkDataEnd;
                break;
            }
            case State::ChunkDataEnd: {
                if (buf_.size() - pos_ < 2) return Status::NeedMore;
                if (buf_.compare(pos_, 2, kCrlf) != 0) {
                    return Fail(400, "request.malformed", "A chunk's data must end with CRLF.");
                }
                pos_ += 2;
                state_ = State::ChunkSize;
                break;
            }
            case State::Trailers: {
                const std::size_t end = buf_.find(kCrlf, pos_);
                const std::size_t line_bytes = (end == std::string::npos ? buf_.size() : end + 2) - pos_;
                if (trailer_bytes_ + line_bytes > limits_.max_trailer_bytes) {
                    return Fail(431, "request.headers_too_large", "The trailer fields are too large.");
                }
                if (end == std::string::npos) return Status::NeedMore;
                trailer_bytes_ += line_bytes;
                const bool last = end == pos_;
                pos_ = end + 2;
                if (last) {  // trailer fields are read and dropped: nothing here uses them
                    state_ = State::Complete;
                    return Status::Complete;
                }
                break;
            }
            default:
                return Advance();
        }
    }
}

FramedRequest RequestFramer::TakeRequest() {
    FramedRequest out = std::move(request_);
    out.head.append("Content-Length: ").append(std::to_string(body_.size())).append(kCrlf).append(kCrlf);
    out.body = std::move(body_);
    body_.clear();
    request_ = FramedRequest{};
    state_ = State::Head;
    scanned_ = 0;
    pos_ = 0;
    content_length_ = 0;
    chunked_ = false;
    continue_pending_ = false;
    return out;
}

}  // namespace gw::http
