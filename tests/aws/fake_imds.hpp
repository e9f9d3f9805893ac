#pragma once
// FakeImdsForTest: a local IMDSv2 test double. Like real IMDSv2 it hands out a token on
// PUT /latest/api/token (TTL header required) and answers GETs only when they carry that token.
#include <atomic>
#include <string>

#include "local_server.hpp"

namespace gw::aws::test {

class FakeImdsForTest {
public:
    std::string role = "cloudsketch-gateway";
    std::string access_key_id = "ASIAIMDSEXAMPLE12345";
    std::string expiration = "2030-01-01T00:00:00Z";
    std::atomic<int> token_requests{0}, unauthorised_gets{0}, credential_fetches{0};

    bool Start() {
        auto& s = server_.server();
        s.Put("/latest/api/token", [this](const httplib::Request& req, httplib::Response& res) {
            ++token_requests;
            if (!req.has_header("X-aws-ec2-metadata-token-ttl-seconds")) {
                res.status = 400;
                return;
            }
            res.set_content(kToken, "text/plain");
        });
        s.Get(R"(/latest/meta-data/iam/security-credentials/(.*))", [this](const httplib::Request& req,
                                                                           httplib::Response& res) {
            if (req.get_header_value("X-aws-ec2-metadata-token") != kToken) {
                ++unauthorised_gets;
                res.status = 401;
                return;
            }
            const std::string asked = req.matches[1];
            if (asked.empty()) {
                res.set_content(role, "text/plain");
            } else if (asked == role) {
                ++credential_fetches;
                res.set_content(R"({"Code":"Success","LastUpdated":"2026-11-23T23:00:00Z","Type":"AWS-HMAC",)"
                                R"("AccessKeyId":")" + access_key_id + R"(","SecretAccessKey":"imds-secret",)"
                                R"("Token":"imds-token","Expiration":")" + expiration + R"("})",
                                "text/plain");
            } else {
                res.status = 404;
            }
        });
        return server_.Start();
    }
    std::string url() const { return server_.url(); }

private:
    static constexpr const char* kToken = "AQAEAFakeImdsSessionToken==";
    LocalServer server_;
};

}  // namespace gw::aws::test
