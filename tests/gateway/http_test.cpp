// HTTP hygiene: the error envelope for bad bodies and unknown routes, request ids, security headers.
#include <sqlite3.h>

#include "gateway_fixture.hpp"

namespace gw::test {
namespace {

class HttpTest : public GatewayTest {
protected:
    void SetUp() override {
        GatewayTest::SetUp();
        token_ = SignUp("http@example.com");
    }
    std::string token_;
};

void ExpectEnvelope(const httplib::Result& r, int status, const std::string& code) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, status) << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
    json body = Body(r);
    ASSERT_TRUE(body.is_object()) << r->body;
    EXPECT_EQ(body["error"]["code"], code) << r->body;
    EXPECT_FALSE(body["error"]["message"].get<std::string>().empty());
    EXPECT_EQ(body["error"]["request_id"], r->get_header_value("X-Request-Id"));
    EXPECT_TRUE(body["error"]["details"].is_array());
}

TEST_F(HttpTest, MalformedJsonIs400WithOffset) {
    auto client = Client();
    auto r = client.Post("/v1/plan/", Auth(token_), "{\"name\": \"x\",,}", "application/json");
    ExpectEnvelope(r, 400, "request.malformed_json");
    EXPECT_NE(Body(r)["error"]["message"].get<std::string>().find("byte 13"), std::string::npos) << r->body;
    EXPECT_EQ(Body(r)["error"]["details"][0]["offset"], 13);
}

// Issue 12, item 11: a number beyond a double was an uncaught out_of_range: 500 instead of naming the field.
TEST_F(HttpTest, NumberTooLargeIs422NamingTheField) {
    auto client = Client();
    auto r = client.Post("/v1/plan/", Auth(token_), R"({"name": "x", "components": [{"position": {"x": 1e999}}]})",
                         "application/json");
    ExpectEnvelope(r, 422, "request.invalid");
    const json detail = Body(r)["error"]["details"][0];
    EXPECT_EQ(detail["code"], "json.number_too_large") << r->body;
    EXPECT_EQ(detail["path"], "/components/0/position/x") << r->body;
    EXPECT_EQ(detail["offset"], 48) << r->body;
    // Before login too (the body is read before the route runs), and for a bare number.
    ExpectEnvelope(client.Post("/v1/auth/login", "222e2222", "application/json"), 422, "request.invalid");
    EXPECT_EQ(Get("/healthz")->status, 200);
}

TEST_F(HttpTest, DeeplyNestedJsonIsRefused) {
    auto client = Client();
    auto r = client.Post("/v1/plan/", Auth(token_), std::string(100000, '[') + std::string(100000, ']'),
                         "application/json");
    ExpectEnvelope(r, 400, "request.malformed_json");
}

TEST_F(HttpTest, HugeBodyIs413WithTheEnvelope) {
    auto client = Client();
    const std::string huge = "{\"name\": \"" + std::string(config_.max_body_bytes + 10, 'a') + "\"}";
    auto r = client.Post("/v1/plan/", Auth(token_), huge, "application/json");
    ExpectEnvelope(r, 413, "request.too_large");
    // The server is still fine afterwards.
    EXPECT_EQ(Get("/healthz")->status, 200);
}

TEST_F(HttpTest, WrongOrMissingContentTypeIs415) {
    auto client = Client();
    ExpectEnvelope(client.Post("/v1/plan/", Auth(token_), "{}", "text/plain"), 415, "request.unsupported_media_type");
    ExpectEnvelope(client.Post("/v1/auth/login", "{\"email\":\"a@b.co\",\"password\":\"x\"}", "application/x-www-form-urlencoded"),
                   415, "request.unsupported_media_type");
    // Parameters after the media type are fine.
    auto ok = client.Post("/v1/plan/", Auth(token_), "{}", "application/json; charset=utf-8");
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, 201);
}

TEST_F(HttpTest, NonObjectBodiesAre422) {
    ExpectEnvelope(PostJson("/v1/plan/", json::array({1, 2}), token_), 422, "request.invalid");
    ExpectEnvelope(PostJson("/v1/auth/login", "just a string"), 422, "request.invalid");
}

TEST_F(HttpTest, UnknownRouteIs404JsonAndWrongMethodIs405) {
    auto missing = Get("/v1/nope");
    ExpectEnvelope(missing, 404, "not_found");
    EXPECT_EQ(Body(missing)["error"]["details"][0]["code"], "route.not_found");
    auto client = Client();
    ExpectEnvelope(client.Post("/v1/nope", "{}", "application/json"), 404, "not_found");

    auto wrong = Get("/v1/auth/signup");
    ExpectEnvelope(wrong, 405, "method_not_allowed");
    EXPECT_EQ(wrong->get_header_value("Allow"), "POST");
    auto wrong_plan = client.Post("/v1/plan/p_abc", Auth(token_), "{}", "application/json");
    ExpectEnvelope(wrong_plan, 405, "method_not_allowed");
    EXPECT_EQ(wrong_plan->get_header_value("Allow"), "GET, PUT, DELETE");
    ExpectEnvelope(client.Delete("/v1/plan/", Auth(token_)), 405, "method_not_allowed");
}

TEST_F(HttpTest, RequestIdsAreGeneratedOrEchoed) {
    auto generated = Get("/healthz");
    ASSERT_TRUE(generated);
    EXPECT_EQ(generated->get_header_value("X-Request-Id").size(), 16u);
    EXPECT_NE(generated->get_header_value("X-Request-Id"), Get("/healthz")->get_header_value("X-Request-Id"));
    auto client = Client();
    auto echoed = client.Get("/healthz", {{"X-Request-Id", "trace-abc.123"}});
    EXPECT_EQ(echoed->get_header_value("X-Request-Id"), "trace-abc.123");
    // Something we would not want in a log is replaced, not echoed.
    auto refused = client.Get("/healthz", {{"X-Request-Id", "evil\"id with spaces"}});
    EXPECT_EQ(refused->get_header_value("X-Request-Id").size(), 16u);
}

TEST_F(HttpTest, SecurityHeadersOnEveryResponse) {
    auto client = Client();
    std::vector<httplib::Result> results;
    results.push_back(Get("/"));
    results.push_back(Get("/healthz"));
    results.push_back(Get("/v1/nope"));
    results.push_back(Get("/v1/me"));
    results.push_back(client.Post("/v1/plan/", Auth(token_), "{", "application/json"));
    for (const auto& r : results) {
        ASSERT_TRUE(r);
        EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff") << r->status;
        EXPECT_EQ(r->get_header_value("Referrer-Policy"), "no-referrer");
        const std::string csp = r->get_header_value("Content-Security-Policy");
        EXPECT_NE(csp.find("script-src 'self' 'wasm-unsafe-eval'"), std::string::npos) << csp;
        EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
    }
    EXPECT_EQ(Get("/v1/me", token_)->get_header_value("Cache-Control"), "no-store");
}

TEST_F(HttpTest, ConcurrentWritersAllSucceed) {
    std::vector<std::thread> threads;
    std::atomic<int> created{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 5; ++i) {
                auto client = Client();
                auto r = client.Post("/v1/plan/", Auth(token_),
                                     json{{"name", "t" + std::to_string(t) + "-" + std::to_string(i)}}.dump(),
                                     "application/json");
                if (r && r->status == 201) ++created;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(created.load(), 20);
    EXPECT_EQ(Body(Get("/v1/plan/?limit=200", token_))["items"].size(), 20u);
}

}  // namespace
}  // namespace gw::test

namespace gw::test {
namespace {

// A database failure mid-request (here: a table dropped behind the gateway's back) is a 500 with the
// request id in the body and the detail only in the log; the server keeps serving.
TEST_F(HttpTest, UnexpectedFailuresAre500AndLogged) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((std::filesystem::path(config_.data_dir) / "cloudsketch.sqlite3").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "DROP TABLE plans", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);

    auto r = Get("/v1/plan/", token_);
    ExpectEnvelope(r, 500, "internal");
    const std::string id = r->get_header_value("X-Request-Id");
    EXPECT_NE(Body(r)["error"]["message"].get<std::string>().find(id), std::string::npos);
    EXPECT_EQ(r->body.find("plans"), std::string::npos) << "the detail stays in the log: " << r->body;
    bool logged = false;
    for (const std::string& line : LogLines()) {
        logged |= line.find("\"event\":\"exception\"") != std::string::npos && line.find(id) != std::string::npos &&
                  line.find("no such table") != std::string::npos;
    }
    EXPECT_TRUE(logged);
    EXPECT_EQ(Get("/healthz")->status, 200);
    EXPECT_EQ(Get("/v1/me", token_)->status, 200);
}

}  // namespace
}  // namespace gw::test
