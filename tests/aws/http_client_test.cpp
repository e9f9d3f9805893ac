// HttpClient against real local servers: retries (throttling, 5xx, timeouts), the retry quota, connection
// reuse, error documents. Sleeps and jitter are injected, so the tests run without waiting.
#include "aws/http_client.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <vector>

#include "aws/aws_error.hpp"
#include "local_server.hpp"

namespace gw::aws::test {
namespace {

using std::chrono::milliseconds;

class HttpClientTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(server_.Start()); }

    HttpClientOptions InstantOptions() {
        HttpClientOptions o;
        o.sleep = [this](milliseconds d) {
            std::lock_guard lock(mu_);
            sleeps_.push_back(d);
        };
        o.random = [] { return 0.5; };
        return o;
    }
    HttpRequest Get(const std::string& path) {
        HttpRequest r;
        r.url_base = server_.url();
        r.path = path;
        r.headers = {{"Host", server_.host()}};
        return r;
    }

    LocalServer server_;
    std::mutex mu_;
    std::vector<milliseconds> sleeps_;
};

constexpr const char* kThrottleXml =
    "<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><Error><Type>Sender</Type>"
    "<Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>req-1</RequestId></ErrorResponse>";

TEST_F(HttpClientTest, RetriesThrottlingThenSucceedsWithBackoff) {
    std::atomic<int> hits{0};
    server_.server().Get("/x", [&](const httplib::Request&, httplib::Response& res) {
        if (++hits <= 2) {
            res.status = 400;
            res.set_content(kThrottleXml, "text/xml");
        } else {
            res.set_content("ok", "text/plain");
        }
    });
    HttpClient client(InstantOptions());
    const auto r = client.Send(Get("/x"));
    ASSERT_TRUE(r.ok()) << r.error().code;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "ok");
    EXPECT_EQ(hits.load(), 3);
    // Full jitter with random 0.5: 0.5 * 100 ms, then 0.5 * 200 ms.
    EXPECT_EQ(sleeps_, (std::vector<milliseconds>{milliseconds(50), milliseconds(100)}));
    // Two retries took 5 each; the successful retry gives its 5 back.
    EXPECT_EQ(client.quota().available(), 500 - 10 + 5);
}

TEST_F(HttpClientTest, GivesUpAfterThreeAttemptsWithTheServiceError) {
    std::atomic<int> hits{0};
    server_.server().Get("/x", [&](const httplib::Request&, httplib::Response& res) {
        ++hits;
        res.status = 400;
        res.set_header("x-amzn-RequestId", "hdr-id");
        res.set_content(kThrottleXml, "text/xml");
    });
    HttpClient client(InstantOptions());
    const auto r = client.Send(Get("/x"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(hits.load(), 3);
    EXPECT_EQ(r.error().http_status, 400);
    EXPECT_EQ(r.error().code, "Throttling");
    EXPECT_EQ(r.error().message, "Rate exceeded");
    EXPECT_EQ(r.error().request_id, "hdr-id");  // the header wins over the body
    EXPECT_TRUE(r.error().retryable);
}

TEST_F(HttpClientTest, DoesNotRetryClientErrors) {
    std::atomic<int> hits{0};
    server_.server().Post("/", [&](const httplib::Request&, httplib::Response& res) {
        ++hits;
        res.status = 400;
        res.set_header("x-amzn-RequestId", "ssm-req");
        res.set_content(R"({"__type":"com.amazonaws.ssm#ParameterNotFound","message":"no such parameter"})",
                        "application/x-amz-json-1.1");
    });
    HttpClient client(InstantOptions());
    HttpRequest req = Get("/");
    req.method = "POST";
    req.body = "{}";
    const auto r = client.Send(req);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(hits.load(), 1);
    EXPECT_EQ(r.error().code, "ParameterNotFound");
    EXPECT_EQ(r.error().message, "no such parameter");
    EXPECT_EQ(r.error().request_id, "ssm-req");
    EXPECT_FALSE(r.error().retryable);
    EXPECT_TRUE(sleeps_.empty());
}

TEST_F(HttpClientTest, ServerErrorsDrainTheQuotaThenStopRetrying) {
    std::atomic<int> hits{0};
    server_.server().Get("/x", [&](const httplib::Request&, httplib::Response& res) {
        ++hits;
        res.status = 500;
        res.set_content("<Error><Code>InternalError</Code><Message>boom</Message></Error>", "text/xml");
    });
    HttpClient client(InstantOptions());
    // Each failing call makes 3 attempts and pays 2 retries x 5 tokens: 500 tokens last 50 calls.
    for (int i = 0; i < 50; ++i) {
        const auto r = client.Send(Get("/x"));
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, "InternalError");
    }
    EXPECT_EQ(hits.load(), 150);
    EXPECT_EQ(client.quota().available(), 0);
    const auto last = client.Send(Get("/x"));
    ASSERT_FALSE(last.ok());
    EXPECT_EQ(hits.load(), 151);  // one attempt, no retry: the bucket is empty
    EXPECT_NE(last.error().message.find("retry quota exhausted"), std::string::npos);
}

TEST_F(HttpClientTest, TimeoutsAreRetriedAndCostMore) {
    std::atomic<int> hits{0};
    server_.server().Get("/slow", [&](const httplib::Request&, httplib::Response& res) {
        ++hits;
        std::this_thread::sleep_for(milliseconds(400));
        res.set_content("late", "text/plain");
    });
    HttpClientOptions o = InstantOptions();
    o.total_timeout = milliseconds(100);
    HttpClient client(o);
    const auto r = client.Send(Get("/slow"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, kErrTimeout);
    EXPECT_EQ(r.error().http_status, 0);
    // The client gave up on each attempt after 100 ms, maybe before the server's thread (busy on a loaded
    // machine) had taken the request: the server still handles each one, so wait for it to count them.
    for (int i = 0; i < 1000 && hits.load() < 3; ++i) std::this_thread::sleep_for(milliseconds(10));
    EXPECT_EQ(hits.load(), 3);
    EXPECT_EQ(client.quota().available(), 500 - 2 * 10);
}

TEST_F(HttpClientTest, ConnectionRefusedIsARetryableNetworkError) {
    LocalServer closed;
    ASSERT_TRUE(closed.Start());
    const std::string url = closed.url();
    closed.Stop();  // nothing listens on that port any more
    HttpClient client(InstantOptions());
    HttpRequest req = Get("/");
    req.url_base = url;
    const auto r = client.Send(req);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, kErrNetwork);
    EXPECT_TRUE(r.error().retryable);
    EXPECT_EQ(sleeps_.size(), 2u);
}

TEST_F(HttpClientTest, ReusesOneConnectionAcrossCalls) {
    std::mutex mu;
    std::set<int> client_ports;
    server_.server().Get("/x", [&](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(mu);
        client_ports.insert(req.remote_port);
        res.set_content("ok", "text/plain");
    });
    HttpClient client(InstantOptions());
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(client.Send(Get("/x")).ok());
    EXPECT_EQ(client_ports.size(), 1u) << "each call opened a new connection";
}

TEST_F(HttpClientTest, SendsMethodHeadersBodyAndEncodedQuery) {
    httplib::Request seen;
    server_.server().Put("/a%20b/c", [&](const httplib::Request& req, httplib::Response& res) {
        seen = req;
        res.status = 204;
    });
    // httplib decodes the path before routing, so register the decoded form too.
    server_.server().Put("/a b/c", [&](const httplib::Request& req, httplib::Response& res) {
        seen = req;
        res.status = 204;
    });
    HttpClient client(InstantOptions());
    HttpRequest req = Get("/a%20b/c");
    req.method = "PUT";
    req.query = {{"k", "v w"}, {"ü", "&"}};
    req.headers.push_back({"X-Amz-Target", "Test.Op"});
    req.body = "payload";
    const auto r = client.Send(req);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->status, 204);
    EXPECT_EQ(seen.method, "PUT");
    EXPECT_EQ(seen.body, "payload");
    EXPECT_EQ(seen.get_header_value("X-Amz-Target"), "Test.Op");
    EXPECT_EQ(seen.get_param_value("k"), "v w");
    EXPECT_EQ(seen.get_param_value("ü"), "&");
    EXPECT_FALSE(seen.has_header("Expect"));
}

TEST_F(HttpClientTest, RejectsOversizedResponses) {
    server_.server().Get("/big", [&](const httplib::Request&, httplib::Response& res) {
        res.set_content(std::string(4096, 'x'), "text/plain");
    });
    HttpClientOptions o = InstantOptions();
    o.max_response_bytes = 1024;
    HttpClient client(o);
    const auto r = client.Send(Get("/big"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, kErrMalformedResponse);
    EXPECT_FALSE(r.error().retryable);
}

TEST(AwsErrorTest, ParsesEveryDocumentShape) {
    HttpResponse ec2{503, {}, "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>slow down</Message>"
                              "</Error></Errors><RequestID>ec2-id</RequestID></Response>"};
    const AwsError e1 = ParseAwsError(ec2);
    EXPECT_EQ(e1.code, "RequestLimitExceeded");
    EXPECT_EQ(e1.request_id, "ec2-id");
    EXPECT_TRUE(e1.retryable);

    HttpResponse s3{403, {{"x-amz-request-id", "s3-id"}},
                    "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code><Message>no</Message></Error>"};
    const AwsError e2 = ParseAwsError(s3);
    EXPECT_EQ(e2.code, "AccessDenied");
    EXPECT_EQ(e2.request_id, "s3-id");
    EXPECT_FALSE(e2.retryable);

    HttpResponse json_header{400, {{"x-amzn-errortype", "ThrottlingException:http://internal"}}, "{}"};
    EXPECT_EQ(ParseAwsError(json_header).code, "ThrottlingException");
    EXPECT_TRUE(ParseAwsError(json_header).retryable);

    HttpResponse garbage{502, {}, "<html>bad gateway"};
    const AwsError e3 = ParseAwsError(garbage);
    EXPECT_EQ(e3.code, kErrUnknown);
    EXPECT_TRUE(e3.retryable);  // 502 is transient whatever the body says

    HttpResponse too_many{429, {}, ""};
    EXPECT_TRUE(ParseAwsError(too_many).retryable);
}

TEST(AwsErrorTest, XmlEntitiesAreNotExpandedFromOutside) {
    // An external entity must not be fetched or inlined (XXE): the Code stays empty, not the file's content.
    HttpResponse xxe{400, {}, "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>"
                              "<ErrorResponse><Error><Code>&x;</Code></Error></ErrorResponse>"};
    const AwsError e = ParseAwsError(xxe);
    EXPECT_TRUE(e.code.empty() || e.code == kErrUnknown) << e.code;
}

TEST(RetryTest, BackoffIsCappedFullJitter) {
    RetryPolicy p;
    EXPECT_EQ(BackoffDelay(p, 1, 0.0), milliseconds(0));
    EXPECT_EQ(BackoffDelay(p, 1, 0.999), milliseconds(99));
    EXPECT_EQ(BackoffDelay(p, 3, 0.5), milliseconds(200));
    EXPECT_EQ(BackoffDelay(p, 20, 0.5), milliseconds(10000));  // 0.5 * the 20 s cap
}

}  // namespace
}  // namespace gw::aws::test
