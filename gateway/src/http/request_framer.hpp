#pragma once
// The front's HTTP/1.1 request framer: pure code (no sockets, no clock) that turns the bytes a connection has
// received into whole requests, or refuses them, before any route, authentication or allocation in
// proportion to what the client claims. It owns everything RFC 9112 says about where a request ends:
// Content-Length, chunked transfer coding, Expect: 100-continue, and the limits on each part.
//
// What reaches httplib is a normalised head (request line + headers, CRLF line ends, one Content-Length that
// is the decoded body's size, no Transfer-Encoding or Expect, the client's Connection headers replaced by
// "Connection: close" when the connection ends after this request and "Connection: Keep-Alive" when an
// HTTP/1.0 one stays open) and the decoded body beside it, so httplib never frames, de-chunks or decompresses
// anything a client sent, nor decides differently whether the connection stays open.
//
// Refused outright (the connection is then closed): a head over the limit (431), a request line over the limit
// (414), a body over the limit however it is framed (413, as soon as the size is known: announced, or counted
// while de-chunking), a Content-Encoding other than identity (415: request bodies are never decompressed, so
// no small body can expand), Transfer-Encoding other than "chunked" (501), Transfer-Encoding together with
// Content-Length, conflicting Content-Lengths, a missing or repeated Host, obsolete line folding, bare CR or
// LF, control characters (400), an Expect other than 100-continue (417), a version other than HTTP/1.0 and
// HTTP/1.1 (505). A Range header longer than 128 bytes is dropped (served whole): httplib would run a regular
// expression over it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace gw::http {

struct FramerLimits {
    std::size_t max_request_line_bytes = 8 * 1024;  // method, target and version
    std::size_t max_head_bytes = 16 * 1024;         // request line + headers, line ends included
    std::size_t max_header_count = 100;
    std::size_t max_body_bytes = 1 << 20;           // after de-chunking
    std::size_t max_chunk_line_bytes = 1024;        // "1a2b;ext=..." per chunk
    std::size_t max_trailer_bytes = 4 * 1024;       // trailer fields after the last chunk (discarded)
};

// Why a request was refused before it reached a route: an HTTP status and the error envelope's code and
// sentence (docs/api.md "Errors").
struct FramingError {
    int status = 400;
    std::string code;     // e.g. "request.too_large"
    std::string message;  // what, and how to fix it
};

// One complete request.
struct FramedRequest {
    std::string head;        // normalised request line + headers + empty line, for httplib to parse
    std::string body;        // the decoded body (Content-Length or de-chunked)
    std::string method;      // as sent, e.g. "GET"
    std::string target;      // as sent, e.g. "/v1/plan/?limit=5"
    std::string authorization;  // the Authorization header's value, "" if none (the front's fairness key)
    bool close = false;         // the client asked to close after this one (Connection: close, or HTTP/1.0
                                // without keep-alive)
};

class RequestFramer {
public:
    enum class Status {
        NeedMore,  // keep reading; nothing is wrong yet
        Complete,  // TakeRequest() returns the request
        Error,     // error() says why; the caller answers it and closes the connection
    };
    // What the framer is waiting for, so the caller can apply the right deadline.
    enum class Phase {
        Idle,  // between requests, no byte of the next one received
        Head,  // part of a request line or headers received
        Body,  // the head is complete, the body is not
    };

    explicit RequestFramer(FramerLimits limits = {});

    // Appends bytes received on the connection (they may hold several pipelined requests).
    void Append(std::string_view bytes);
    // Parses as far as the appended bytes allow. Idempotent until more bytes are appended or the request is
    // taken. After Error the framer stays in Error.
    Status Advance();
    // True once per request whose head asked "Expect: 100-continue" and whose announced body is acceptable:
    // the caller must send "HTTP/1.1 100 Continue" before the client sends the body.
    bool TakeContinue();
    // The complete request; the framer then starts on the next one with any bytes already received after it.
    FramedRequest TakeRequest();

    const FramingError& error() const { return error_; }
    // The method and target of the request in progress, once its head was parsed ("" before), for logs.
    const std::string& method() const { return request_.method; }
    const std::string& target() const { return request_.target; }
    Phase phase() const;
    // Bytes held for the request in progress (raw bytes not yet consumed plus the decoded body so far): what
    // this connection costs in memory.
    std::size_t buffered_bytes() const { return buf_.size() + body_.size(); }
    // The body size the client announced with Content-Length (0 when none or chunked).
    std::size_t announced_body_bytes() const { return state_ == State::Body && !chunked_ ? content_length_ : 0; }

private:
    enum class State { Head, Body, ChunkSize, ChunkData, ChunkDataEnd, Trailers, Complete, Error };

    Status Fail(int status, std::string code, std::string message);
    Status ParseHead(std::size_t head_end);
    Status ParseChunks();

    FramerLimits limits_;
    State state_ = State::Head;
    std::string buf_;                  // raw bytes not yet consumed
    std::size_t scanned_ = 0;          // bytes of buf_ already searched for the end of the head
    std::size_t pos_ = 0;              // parse position in buf_ while reading a body
    std::string body_;                 // decoded body so far
    std::size_t content_length_ = 0;
    std::uint64_t chunk_left_ = 0;
    std::size_t trailer_bytes_ = 0;
    bool chunked_ = false;
    bool continue_pending_ = false;
    FramedRequest request_;            // head fields, filled when the head is parsed
    FramingError error_;
};

}  // namespace gw::http
