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

}  // namespace
}  // namespace gw::test
