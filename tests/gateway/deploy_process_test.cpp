// The real cs-gateway process killed with SIGKILL in the middle of a deployment, then started again on the
// same data dir: the deployment completes and every step that had finished ran exactly once (the one
// that was running when the process died runs once more). Uses the test-double target, enabled only by
// --enable-test-double-target, which records each call in a file that outlives the process.
#include <fstream>
#include <map>
#include <sstream>

#include "gateway_process.hpp"

namespace gw::test {
namespace {

std::map<std::string, int> CallsOf(const std::filesystem::path& log, const std::string& plan_id) {
    std::map<std::string, int> calls;
    std::ifstream in(log);
    std::string plan, what;
    while (in >> plan >> what) {
        if (plan == plan_id) ++calls[what];
    }
    return calls;
}

TEST(DeployProcessTest, KilledMidDeploymentResumesOnRestartWithoutRepeatingFinishedSteps) {
    TempDir dir;
    const auto data = dir.path() / "data";
    const auto doubles = data / "test-double";
    // The default 30 s lease: the restarted gateway must see that the killed one (same machine) is dead and
    // take its lease back at once, not wait for it to expire (the loop below gives it 10 s).
    WriteFile(data / "gateway.json", R"({"monitor_interval_seconds": 3600})");
    WriteFile(doubles / "hold-install", "");
    const std::vector<std::string> args = {"--port", "0", "--data-dir", data.string(), "--site-dir",
                                           (dir.path() / "site").string(), "--enable-test-double-target"};

    std::string token, plan_id, deployment_id;
    {
        GatewayProcess first(args, dir.path() / "stderr-1.log");
        const int port = PortFrom(first.ReadLine());
        ASSERT_GT(port, 0);
        httplib::Client client("127.0.0.1", port);
        auto signup = client.Post("/v1/auth/signup", json{{"email", "kill@example.com"}, {"password", "kill-me-9-please"}}.dump(),
                                  "application/json");
        ASSERT_TRUE(signup && signup->status == 201);
        token = json::parse(signup->body)["token"];
        const httplib::Headers auth = {{"Authorization", "Bearer " + token}};
        auto created = client.Post("/v1/plan/", auth, json{{"name", "kill -9"}}.dump(), "application/json");
        ASSERT_TRUE(created && created->status == 201);
        json resource = json::parse(created->body);
        plan_id = resource["id"];
        resource["plan"]["cloud"] = {{"provider", "local"}, {"region", "local"}};
        auto put = client.Put(("/v1/plan/" + plan_id).c_str(), auth,
                              json{{"revision", 1}, {"plan", resource["plan"]}}.dump(), "application/json");
        ASSERT_TRUE(put);
        ASSERT_EQ(put->status, 200) << put->body;
        auto deploy = client.Post(("/v1/plan/" + plan_id + "/deploy").c_str(), auth, "", "application/json");
        ASSERT_TRUE(deploy);
        ASSERT_EQ(deploy->status, 202) << deploy->body;
        deployment_id = json::parse(deploy->body)["deployment"]["id"];

        for (int i = 0; i < 1200 && CallsOf(doubles / "calls.log", plan_id)["install"] == 0; ++i) {  // <= 30 s
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
        }
        ASSERT_EQ(CallsOf(doubles / "calls.log", plan_id)["install"], 1);
        first.Kill();
    }
    std::filesystem::remove(doubles / "hold-install");

    GatewayProcess second(args, dir.path() / "stderr-2.log");
    const int port = PortFrom(second.ReadLine());
    ASSERT_GT(port, 0);
    httplib::Client client("127.0.0.1", port);
    const httplib::Headers auth = {{"Authorization", "Bearer " + token}};
    json d;
    for (int i = 0; i < 2400; ++i) {  // up to 60 s on a loaded machine
        auto r = client.Get(("/v1/deployments/" + deployment_id).c_str(), auth);
        ASSERT_TRUE(r);
        d = json::parse(r->body)["deployment"];
        if (d["state"] == "succeeded" || d["state"] == "failed") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    ASSERT_EQ(d["state"], "succeeded") << d.dump(2);

    const auto calls = CallsOf(doubles / "calls.log", plan_id);
    EXPECT_EQ(calls.at("render"), 1);
    EXPECT_EQ(calls.at("provision"), 1);
    EXPECT_EQ(calls.at("install"), 2);  // killed during it, so it runs again
    EXPECT_EQ(calls.at("configure"), 1);
    EXPECT_EQ(calls.at("verify"), 1);
    EXPECT_EQ(calls.at("monitor"), 1);
    EXPECT_EQ(d["steps"][2]["runs"], 2);
    auto status = client.Get(("/v1/plan/" + plan_id).c_str(), auth);
    EXPECT_EQ(json::parse(status->body)["status"]["light"], "green");
    EXPECT_EQ(second.Terminate(), 0);
}

}  // namespace
}  // namespace gw::test
