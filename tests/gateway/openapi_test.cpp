// /v1/openapi.json and the route table agree: every documented route answers (never the "no such route"
// 404), every route in the table is documented, and the check itself catches a route that is missing.
#include <regex>
#include <set>

#include "gateway_fixture.hpp"
#include "routes.hpp"

namespace gw::test {
namespace {

class OpenApiTest : public GatewayTest {
protected:
    // Documented (method, path) pairs whose request lands on the "no such route" 404 or 405.
    std::vector<std::string> UnservedRoutes(const json& doc, const std::string& token) {
        std::vector<std::string> unserved;
        auto client = Client();
        for (auto& [path, operations] : doc["paths"].items()) {
            const std::string concrete = std::regex_replace(path, std::regex("\\{[^}]+\\}"), "p_probe");
            for (auto& [method, op] : operations.items()) {
                (void)op;
                httplib::Headers headers = {{"Authorization", "Bearer " + token}};
                httplib::Result r = method == "post"   ? client.Post(concrete.c_str(), headers, "{}", "application/json")
                                    : method == "put"    ? client.Put(concrete.c_str(), headers, "{}", "application/json")
                                    : method == "delete" ? client.Delete(concrete.c_str(), headers)
                                                         : client.Get(concrete.c_str(), headers);
                const json body = Body(r);
                const bool no_route = !r || r->status == 405 ||
                                      (r->status == 404 && body.is_object() &&
                                       body["error"]["details"].size() == 1 &&
                                       body["error"]["details"][0]["code"] == "route.not_found");
                if (no_route) unserved.push_back(method + " " + path);
            }
        }
        return unserved;
    }
};

TEST_F(OpenApiTest, EveryDocumentedRouteIsServed) {
    auto r = Get("/v1/openapi.json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200);
    json doc = Body(r);
    EXPECT_EQ(doc["openapi"], "3.0.3");
    EXPECT_GE(doc["paths"].size(), 8u);
    const std::string token = SignUp("openapi@example.com");
    EXPECT_EQ(UnservedRoutes(doc, token), std::vector<std::string>{});
}

TEST_F(OpenApiTest, TheCheckCatchesARouteTheServerDoesNotHave) {
    json doc = Body(Get("/v1/openapi.json"));
    doc["paths"]["/v1/ghost/{id}"]["get"] = {{"summary", "not implemented"}};
    doc["paths"]["/v1/me"]["delete"] = {{"summary", "not implemented"}};
    const auto unserved = UnservedRoutes(doc, "no-token");
    EXPECT_EQ(std::set<std::string>(unserved.begin(), unserved.end()),
              (std::set<std::string>{"delete /v1/me", "get /v1/ghost/{id}"}));
}

TEST_F(OpenApiTest, EveryRouteInTheTableIsDocumentedAndViceVersa) {
    json doc = Body(Get("/v1/openapi.json"));
    std::set<std::string> from_table;
    for (const Route& route : RouteTable()) {
        std::string method(route.method);
        for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        from_table.insert(method + " " + std::string(route.path));
    }
    std::set<std::string> from_doc;
    for (auto& [path, operations] : doc["paths"].items()) {
        for (auto& [method, op] : operations.items()) {
            from_doc.insert(method + " " + path);
            EXPECT_TRUE(op.contains("responses")) << path;
        }
    }
    EXPECT_EQ(from_table, from_doc);
    // Every route of docs/api.md is in the table.
    for (const char* expected : {"post /v1/auth/signup", "post /v1/auth/login", "post /v1/auth/logout", "get /v1/me",
                                 "post /v1/plan/", "get /v1/plan/", "get /v1/plan/{id}", "put /v1/plan/{id}",
                                 "delete /v1/plan/{id}", "get /healthz", "get /readyz", "get /v1/openapi.json"}) {
        EXPECT_TRUE(from_doc.count(expected)) << expected;
    }
}

// The query parameters the handlers read are documented on their operations (and each one documented is
// one a real request may carry: the gateway answers it without a 422 for the parameter's name).
TEST_F(OpenApiTest, QueryParametersAreDocumented) {
    json doc = Body(Get("/v1/openapi.json"));
    auto query_names = [&doc](const char* path, const char* method) {
        std::set<std::string> names;
        for (const json& parameter : doc["paths"][path][method].value("parameters", json::array())) {
            if (parameter["in"] == "query") {
                EXPECT_EQ(parameter["required"], false) << parameter;
                EXPECT_TRUE(parameter["schema"].contains("type")) << parameter;
                names.insert(parameter["name"].get<std::string>());
            }
        }
        return names;
    };
    EXPECT_EQ(query_names("/v1/plan/", "get"), (std::set<std::string>{"limit", "cursor", "q"}));
    EXPECT_EQ(query_names("/v1/plan/{id}", "delete"), (std::set<std::string>{"revision"}));
    EXPECT_EQ(query_names("/v1/plan/{id}", "get"), std::set<std::string>{});
    // The path parameter is still there beside the query one.
    EXPECT_EQ(doc["paths"]["/v1/plan/{id}"]["delete"]["parameters"][0]["in"], "path");

    const std::string token = SignUp("openapi-query@example.com");
    auto client = Client();
    httplib::Headers headers = {{"Authorization", "Bearer " + token}};
    httplib::Result listed = client.Get("/v1/plan/?limit=5&q=x", headers);
    ASSERT_TRUE(listed);
    EXPECT_EQ(listed->status, 200) << listed->body;
    httplib::Result bad = client.Get("/v1/plan/?limit=0", headers);
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 422) << bad->body;  // the documented range is enforced
}

TEST(FindRouteTest, ParametersTrailingSlashAndAllowedMethods) {
    RouteMatch plan = FindRoute("GET", "/v1/plan/p_abc");
    ASSERT_NE(plan.route, nullptr);
    EXPECT_EQ(plan.route->path, "/v1/plan/{id}");
    EXPECT_EQ(plan.params, std::vector<std::string>{"p_abc"});
    EXPECT_NE(FindRoute("GET", "/v1/plan/p_abc/").route, nullptr);
    EXPECT_EQ(FindRoute("GET", "/v1/plan/").route->path, "/v1/plan/");
    EXPECT_EQ(FindRoute("GET", "/v1/plan").route->path, "/v1/plan/");
    EXPECT_EQ(FindRoute("GET", "/v1/plan/a/b").route, nullptr);
    EXPECT_EQ(FindRoute("GET", "/v1/planx").route, nullptr);
    EXPECT_EQ(FindRoute("GET", "/v1/openapiXjson").route, nullptr);
    EXPECT_EQ(FindRoute("HEAD", "/healthz").route->path, "/healthz");
    RouteMatch deploy = FindRoute("POST", "/v1/plan/p_1/deploy");
    ASSERT_NE(deploy.route, nullptr);
    EXPECT_EQ(deploy.params, std::vector<std::string>{"p_1"});
    // A path that exists under other methods names them; an unknown one names none.
    RouteMatch wrong = FindRoute("PATCH", "/v1/plan/p_1");
    EXPECT_EQ(wrong.route, nullptr);
    EXPECT_EQ(wrong.allowed, "GET, PUT, DELETE");
    EXPECT_EQ(FindRoute("GET", "/v1/nothing").allowed, "");
    // Long client paths cost a linear scan, never a regular expression's recursion.
    const std::string long_path = "/v1/plan/" + std::string(200000, 'a');
    EXPECT_NE(FindRoute("GET", long_path).route, nullptr);
}

}  // namespace
}  // namespace gw::test
