// Gateway::HandleRaw: the whole request path for raw bytes without sockets (the entry the request fuzzer uses).
#include "gateway_fixture.hpp"

namespace gw::test {
namespace {

class HandleRawTest : public GatewayTest {};

TEST_F(HandleRawTest, AnswersPipelinedRequestsAndFramingErrorsLikeTheSocketPath) {
    const std::string two = gateway_->HandleRaw(
        "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(two.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << two;
    EXPECT_NE(two.find("HTTP/1.1 401 Unauthorized\r\n"), std::string::npos) << two;
    EXPECT_NE(two.find("\"auth.required\""), std::string::npos);

    const std::string chunked = gateway_->HandleRaw(
        "POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        "2\r\n{}\r\n0\r\n\r\n");
    EXPECT_NE(chunked.find("HTTP/1.1 422"), std::string::npos) << chunked;  // the de-chunked body reached the route

    const std::string refused = gateway_->HandleRaw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n");
    EXPECT_EQ(refused.rfind("HTTP/1.1 413", 0), 0u) << refused;
    EXPECT_NE(refused.find("\"request.too_large\""), std::string::npos);
}

// Found by fuzz_gateway_requests: httplib closed an HTTP/1.0 connection whose client asked "keep-alive" in any
// spelling but its own "Keep-Alive", after an answer that promised to keep it open, so the pipelined second
// request was never answered. The front's decision (case-insensitive, any Connection header) now holds.
TEST_F(HandleRawTest, AnHttp10KeepAliveConnectionStaysOpenInAnySpelling) {
    for (const std::string value : {"keep-alive", "KEEP-ALIVE", "foo, Keep-Alive", "Keep-Alive"}) {
        const std::string two = gateway_->HandleRaw("GET /healthz HTTP/1.0\r\nConnection: " + value +
                                                    "\r\n\r\nGET /healthz HTTP/1.0\r\n\r\n");
        const auto first = two.find("HTTP/1.1 200 OK\r\n");
        ASSERT_EQ(first, 0u) << two;
        const auto second = two.find("HTTP/1.1 200 OK\r\n", first + 1);
        ASSERT_NE(second, std::string::npos) << value << ":\n" << two;
        EXPECT_EQ(two.substr(0, second).find("Connection: close"), std::string::npos) << two;  // the first stays open
        EXPECT_NE(two.find("Connection: close", second), std::string::npos) << two;  // the second, without, closes
    }
    // HTTP/1.1 "Connection: Close": closed, and the answer says so.
    const std::string closed =
        gateway_->HandleRaw("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: Close\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_NE(closed.find("Connection: close\r\n"), std::string::npos) << closed;
    EXPECT_EQ(closed.find("HTTP/1.1", 1), std::string::npos) << closed;
}

// Found by fuzz_gateway_requests: only the first Accept-Encoding header was narrowed to gzip, so a second one
// offering "br" had httplib compress at brotli quality 11, the cost the narrowing exists to avoid.
TEST_F(HandleRawTest, EveryAcceptEncodingHeaderIsNarrowedToGzip) {
    const std::string br = gateway_->HandleRaw(
        "GET /v1/openapi.json HTTP/1.1\r\nHost: x\r\nAccept-Encoding: identity\r\nAccept-Encoding: br\r\n"
        "Connection: close\r\n\r\n");
    ASSERT_EQ(br.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << br;
    EXPECT_EQ(br.find("Content-Encoding:"), std::string::npos) << br.substr(0, br.find("\r\n\r\n"));
    const std::string gzip = gateway_->HandleRaw(
        "GET /v1/openapi.json HTTP/1.1\r\nHost: x\r\nAccept-Encoding: identity\r\nAccept-Encoding: gzip, br\r\n"
        "Connection: close\r\n\r\n");
    EXPECT_NE(gzip.find("Content-Encoding: gzip\r\n"), std::string::npos) << gzip.substr(0, gzip.find("\r\n\r\n"));
}

}  // namespace
}  // namespace gw::test
