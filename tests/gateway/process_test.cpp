// The built cs-gateway binary as an operator runs it: --port 0 prints the port, data survives a SIGTERM
// and a restart on the same data dir, bad config exits 2.
#include "gateway_process.hpp"

namespace gw::test {
namespace {

TEST(ProcessTest, PlansSurviveARestart) {
    TempDir dir;
    const std::vector<std::string> args = {"--port", "0", "--bind", "127.0.0.1", "--data-dir", (dir.path() / "data").string(),
                                           "--site-dir", (dir.path() / "site").string()};
    std::string plan_id;
    {
        GatewayProcess first(args, dir.path() / "stderr-1.log");
        const std::string line = first.ReadLine();
        const int port = PortFrom(line);
        ASSERT_GT(port, 0) << "startup line: " << line;
        httplib::Client client("127.0.0.1", port);
        auto signup = client.Post("/v1/auth/signup", json{{"email", "proc@example.com"}, {"password", "restart-me-123"}}.dump(),
                                  "application/json");
        ASSERT_TRUE(signup);
        ASSERT_EQ(signup->status, 201) << signup->body;
        const std::string token = json::parse(signup->body)["token"];
        auto created = client.Post("/v1/plan/", {{"Authorization", "Bearer " + token}},
                                   json{{"name", "survivor \xE2\x9C\x93"}}.dump(), "application/json");
        ASSERT_TRUE(created);
        ASSERT_EQ(created->status, 201) << created->body;
        plan_id = json::parse(created->body)["id"];
        EXPECT_EQ(first.Terminate(), 0);  // SIGTERM is a clean shutdown
    }
    {
        GatewayProcess second(args, dir.path() / "stderr-2.log");
        const int port = PortFrom(second.ReadLine());
        ASSERT_GT(port, 0);
        httplib::Client client("127.0.0.1", port);
        auto login = client.Post("/v1/auth/login", json{{"email", "proc@example.com"}, {"password", "restart-me-123"}}.dump(),
                                 "application/json");
        ASSERT_TRUE(login);
        ASSERT_EQ(login->status, 200) << login->body;
        const std::string token = json::parse(login->body)["token"];
        auto list = client.Get("/v1/plan/", {{"Authorization", "Bearer " + token}});
        ASSERT_TRUE(list);
        json items = json::parse(list->body)["items"];
        ASSERT_EQ(items.size(), 1u);
        EXPECT_EQ(items[0]["id"], plan_id);
        EXPECT_EQ(items[0]["name"], "survivor \xE2\x9C\x93");
        auto got = client.Get(("/v1/plan/" + plan_id).c_str(), {{"Authorization", "Bearer " + token}});
        ASSERT_TRUE(got);
        EXPECT_EQ(got->status, 200);
        EXPECT_EQ(second.Terminate(), 0);
    }
    // The access log went to stderr as JSON lines.
    std::ifstream log(dir.path() / "stderr-1.log");
    std::string first_line;
    std::getline(log, first_line);
    EXPECT_TRUE(json::parse(first_line, nullptr, false).is_object()) << first_line;
}

TEST(ProcessTest, BadConfigExitsWith2) {
    TempDir dir;
    GatewayProcess bad({"--port", "not-a-port"}, dir.path() / "stderr.log");
    EXPECT_EQ(bad.Wait(), 2);
    std::ifstream err(dir.path() / "stderr.log");
    std::string message((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
    EXPECT_NE(message.find("port"), std::string::npos) << message;
}

}  // namespace
}  // namespace gw::test
