// The deployment API over a real in-process gateway and SQLite, with a FakeTargetTestDouble serving the
// default plan's provider: step order, recorded events and progress, 409 on a second deploy, ownership
// 404s, the red light with its reason, re-deploy, destroy, backup, connection and password, and the
// secret sealed at rest.
#include <fstream>
#include <sstream>

#include "fake_target_test_double.hpp"
#include "gateway_fixture.hpp"
#include "plan/json.hpp"

namespace gw::test {
namespace {

class DeployApiTest : public GatewayTest {
protected:
    void RegisterTargets(deploy::Engine& engine) override {
        auto fake = std::make_unique<FakeTargetTestDouble>("aws");
        fake_ = fake.get();
        engine.Register(std::move(fake));
    }

    // A new plan (the default one: provider aws, served here by the fake); returns its id.
    std::string NewPlan(const std::string& token, const std::string& name = "orders") {
        auto r = PostJson("/v1/plan/", {{"name", name}}, token);
        EXPECT_TRUE(r && r->status == 201) << (r ? r->body : "no response");
        return Body(r)["id"].get<std::string>();
    }

    // Polls the deployment until it has finished; returns it (null on timeout).
    json WaitFinished(const std::string& token, const std::string& id) {
        for (int i = 0; i < 1500; ++i) {  // up to 30 s and more on a loaded machine
            auto r = Get("/v1/deployments/" + id, token);
            if (r && r->status == 200) {
                json d = Body(r)["deployment"];
                if (d["state"] == "succeeded" || d["state"] == "failed") return d;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        ADD_FAILURE() << "deployment " << id << " did not finish";
        return nullptr;
    }

    json Status(const std::string& token, const std::string& plan_id) {
        return Body(Get("/v1/plan/" + plan_id, token))["status"];
    }

    // The light is written a moment after the job's final state: poll it (up to 30 s on a loaded machine);
    // returns the status last seen.
    json WaitLight(const std::string& token, const std::string& plan_id, const std::string& light) {
        json status;
        for (int i = 0; i < 1500; ++i) {
            status = Status(token, plan_id);
            if (status["light"] == light) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return status;
    }

    std::string Deploy(const std::string& token, const std::string& plan_id) {
        auto r = PostJson("/v1/plan/" + plan_id + "/deploy", json::object(), token);
        EXPECT_TRUE(r && r->status == 202) << (r ? r->body : "no response");
        return r ? Body(r)["deployment"].value("id", "") : "";
    }

    FakeTargetTestDouble* fake_ = nullptr;
};

TEST_F(DeployApiTest, DeployRunsEveryStepInOrderAndRecordsIt) {
    const std::string token = SignUp("ada@example.com");
    const std::string plan = NewPlan(token);
    EXPECT_EQ(Status(token, plan)["light"], "grey");

    auto r = PostJson("/v1/plan/" + plan + "/deploy", json::object(), token);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 202) << r->body;
    const json queued = Body(r)["deployment"];
    EXPECT_EQ(queued["kind"], "deploy");
    EXPECT_EQ(queued["revision"], 1);
    EXPECT_EQ(r->get_header_value("Location"), "/v1/deployments/" + queued["id"].get<std::string>());

    const json d = WaitFinished(token, queued["id"]);
    ASSERT_EQ(d["state"], "succeeded") << d.dump();
    EXPECT_EQ(fake_->Order(), (std::vector<std::string>{"render", "provision", "install", "configure", "verify",
                                                         "monitor"}));
    ASSERT_EQ(d["steps"].size(), 6u);
    for (const json& step : d["steps"]) {
        EXPECT_EQ(step["state"], "done") << step.dump();
        EXPECT_EQ(step["runs"], 1);
        EXPECT_TRUE(step["started_at"].is_string());
        EXPECT_TRUE(step["finished_at"].is_string());
    }
    EXPECT_DOUBLE_EQ(d["progress"].get<double>(), 1.0);
    EXPECT_TRUE(d["error"].is_null());
    EXPECT_TRUE(d["finished_at"].is_string());
    // The engine's own events and the target's, in order.
    std::vector<std::string> messages;
    for (const json& e : d["events"]) messages.push_back(e["message"]);
    ASSERT_GE(messages.size(), 8u);
    EXPECT_EQ(messages.front(), "Deploy of revision 1 queued.");
    EXPECT_NE(std::find(messages.begin(), messages.end(), "fake install ran"), messages.end());
    EXPECT_EQ(messages.back(), "Deploy of revision 1 succeeded.");

    const json status = Status(token, plan);
    EXPECT_EQ(status["light"], "green") << status.dump();
    EXPECT_EQ(status["deployment_id"], queued["id"]);
    EXPECT_TRUE(status["last_deployed_at"].is_string());

    // The list shows it, newest first, without events; the plan list carries the same light.
    const json list = Body(Get("/v1/plan/" + plan + "/deployments", token));
    ASSERT_EQ(list["items"].size(), 1u);
    EXPECT_FALSE(list["items"][0].contains("events"));
    EXPECT_EQ(Body(Get("/v1/plan/", token))["items"][0]["status"]["light"], "green");
}

TEST_F(DeployApiTest, SecondDeployWhileOneRunsIs409AndOrangeShowsTheStep) {
    const std::string token = SignUp("ada@example.com");
    const std::string plan = NewPlan(token);
    fake_->Block("install");
    const std::string id = Deploy(token, plan);
    ASSERT_TRUE(fake_->WaitForCalls("install", 1));

    const json status = Status(token, plan);
    EXPECT_EQ(status["light"], "orange");
    EXPECT_EQ(status["step"], "install");
    EXPECT_GT(status["progress"].get<double>(), 0.3);  // two of six steps done

    auto again = PostJson("/v1/plan/" + plan + "/deploy", json::object(), token);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 409);
    EXPECT_EQ(Body(again)["error"]["code"], "deployment_running");
    // Deleting a plan that is deploying is refused too.
    auto del = Delete("/v1/plan/" + plan, token);
    EXPECT_EQ(del->status, 409);
    EXPECT_NE(Body(del)["error"]["message"].get<std::string>().find("destroy it first"), std::string::npos);

    fake_->Release("install");
    EXPECT_EQ(WaitFinished(token, id)["state"], "succeeded");
    EXPECT_EQ(fake_->Calls("install"), 1);
}

TEST_F(DeployApiTest, AnotherUsersPlanAndDeploymentAre404) {
    const std::string ada = SignUp("ada@example.com");
    const std::string eve = SignUp("eve@example.com");
    const std::string plan = NewPlan(ada);
    const std::string id = Deploy(ada, plan);
    WaitFinished(ada, id);

    EXPECT_EQ(PostJson("/v1/plan/" + plan + "/deploy", json::object(), eve)->status, 404);
    EXPECT_EQ(Get("/v1/plan/" + plan + "/deployments", eve)->status, 404);
    EXPECT_EQ(Get("/v1/deployments/" + id, eve)->status, 404);
    EXPECT_EQ(PostJson("/v1/plan/" + plan + "/destroy", json::object(), eve)->status, 404);
    EXPECT_EQ(PostJson("/v1/plan/" + plan + "/backup", json::object(), eve)->status, 404);
    EXPECT_EQ(Get("/v1/plan/" + plan + "/connection", eve)->status, 404);
    EXPECT_EQ(PostJson("/v1/plan/" + plan + "/connection/password", json::object(), eve)->status, 404);
    EXPECT_EQ(Get("/v1/deployments/d_nosuchdeployment", ada)->status, 404);
    // Without a token: 401, not a peek.
    EXPECT_EQ(Get("/v1/deployments/" + id)->status, 401);
    EXPECT_EQ(fake_->Calls("render"), 1);  // eve's attempts deployed nothing
}

TEST_F(DeployApiTest, FailedStepTurnsTheLightRedWithTheReasonAndRedeployRecovers) {
    const std::string token = SignUp("ada@example.com");
    const std::string plan = NewPlan(token);
    fake_->FailStep("configure", "port 5432 is already in use");
    const json failed = WaitFinished(token, Deploy(token, plan));
    EXPECT_EQ(failed["state"], "failed");
    EXPECT_EQ(failed["error"], "Step configure failed: port 5432 is already in use");
    EXPECT_EQ(failed["steps"][3]["state"], "failed");
    EXPECT_EQ(failed["steps"][4]["state"], "pending");
    EXPECT_EQ(fake_->Calls("verify"), 0);
    const json red = Status(token, plan);
    EXPECT_EQ(red["light"], "red");
    EXPECT_EQ(red["reason"], "Step configure failed: port 5432 is already in use");

    // Fixed: deploy again (still a first deploy: nothing was deployed) and it goes green.
    fake_->ClearFailures();
    const json ok = WaitFinished(token, Deploy(token, plan));
    EXPECT_EQ(ok["state"], "succeeded");
    EXPECT_EQ(ok["kind"], "deploy");
    EXPECT_EQ(Status(token, plan)["light"], "green");

    // A change and a re-deploy: kind redeploy, the target is told so, the same password.
    json current = Body(Get("/v1/plan/" + plan, token));
    current["plan"]["name"] = "orders v2";
    ASSERT_EQ(PutJson("/v1/plan/" + plan, {{"revision", current["revision"]}, {"plan", current["plan"]}}, token)->status,
              200);
    const json again = WaitFinished(token, Deploy(token, plan));
    EXPECT_EQ(again["kind"], "redeploy");
    EXPECT_EQ(again["revision"], 2);
    EXPECT_EQ(again["state"], "succeeded");
    const auto redeploys = fake_->Redeploys();
    EXPECT_FALSE(redeploys.front());
    EXPECT_TRUE(redeploys.back());
    const auto passwords = fake_->Passwords();
    EXPECT_GE(passwords.front().size(), 24u);
    EXPECT_EQ(passwords.front(), passwords.back());  // generated once per plan
    EXPECT_EQ(Body(Get("/v1/plan/" + plan + "/deployments", token))["items"].size(), 3u);
}

TEST_F(DeployApiTest, InvalidPlanIs422WithDiagnostics) {
    const std::string token = SignUp("ada@example.com");
    const std::string user = Body(Get("/v1/me", token))["id"];
    // Rules evolve, so a stored plan can become invalid; one is written straight into the store here
    // (a second connection to the gateway's own SQLite file), as an older gateway might have left it.
    plan::Plan bad = plan::DefaultPlan("too small");
    bad.id = "p_invalidplan0000";
    bad.revision = 1;
    std::get<plan::VmSpec>(bad.components[0].spec).disk.size_gib = 2;
    auto store = OpenSqliteStore(std::filesystem::path(config_.data_dir) / "cloudsketch.sqlite3");
    ASSERT_TRUE(store->InsertPlan({bad.id, user, bad.name, "development", 1, plan::DumpPlan(bad), now_, now_}, 0).inserted);

    auto r = PostJson("/v1/plan/" + bad.id + "/deploy", json::object(), token);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 422) << r->body;
    const json error = Body(r)["error"];
    EXPECT_EQ(error["code"], "plan.invalid");
    ASSERT_FALSE(error["details"].empty());
    EXPECT_NE(error["details"][0]["path"].get<std::string>().find("/disk/size_gib"), std::string::npos)
        << error.dump();
    EXPECT_EQ(fake_->Calls("render"), 0);
    EXPECT_EQ(Status(token, bad.id)["light"], "grey");
}

TEST_F(DeployApiTest, ConnectionPasswordBackupAndDestroy) {
    const std::string token = SignUp("ada@example.com");
    const std::string plan = NewPlan(token);
    EXPECT_EQ(Get("/v1/plan/" + plan + "/connection", token)->status, 404);
    EXPECT_EQ(PostJson("/v1/plan/" + plan + "/connection/password", json::object(), token)->status, 404);
    EXPECT_EQ(PostJson("/v1/plan/" + plan + "/destroy", json::object(), token)->status, 409);
    EXPECT_EQ(PostJson("/v1/plan/" + plan + "/backup", json::object(), token)->status, 409);
    WaitFinished(token, Deploy(token, plan));

    const json conn = Body(Get("/v1/plan/" + plan + "/connection", token));
    ASSERT_EQ(conn["endpoints"].size(), 1u) << conn.dump();
    EXPECT_EQ(conn["endpoints"][0]["role"], "primary");
    EXPECT_EQ(conn["endpoints"][0]["port"], 6543);
    EXPECT_EQ(conn["user"], "app_owner");
    EXPECT_FALSE(conn.contains("password"));

    auto pw = PostJson("/v1/plan/" + plan + "/connection/password", json::object(), token);
    ASSERT_EQ(pw->status, 200);
    const std::string password = Body(pw)["password"];
    EXPECT_EQ(password, fake_->Passwords().front());
    EXPECT_EQ(pw->get_header_value("Cache-Control"), "no-store");

    // At rest, the password is sealed: its bytes are nowhere in the database files; and never logged.
    std::string bytes;
    for (const auto& entry : std::filesystem::directory_iterator(config_.data_dir)) {
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream s;
        s << in.rdbuf();
        bytes += s.str();
    }
    EXPECT_NE(bytes.find(plan), std::string::npos);  // the search itself works
    EXPECT_EQ(bytes.find(password), std::string::npos);
    for (const std::string& line : LogLines()) EXPECT_EQ(line.find(password), std::string::npos) << line;

    // Backup: a job of its own; the light is orange ("Backing up.") while it runs, and afterwards what a
    // health check right after it says (green here); a failed backup turns the light red with why.
    const std::string deployed_by = Status(token, plan)["deployment_id"];
    const int checks_before = fake_->Calls("check");
    fake_->Block("backup");
    auto b = PostJson("/v1/plan/" + plan + "/backup", {{"validate", true}}, token);
    ASSERT_EQ(b->status, 202) << b->body;
    ASSERT_TRUE(fake_->WaitForCalls("backup", 1));
    json backing_up = Status(token, plan);
    EXPECT_EQ(backing_up["light"], "orange") << backing_up.dump();
    EXPECT_EQ(backing_up["reason"], "Backing up.");
    EXPECT_EQ(backing_up["step"], "backup");
    EXPECT_EQ(backing_up["deployment_id"], deployed_by);  // still names the deploy, not the backup job
    fake_->Release("backup");
    EXPECT_EQ(WaitFinished(token, Body(b)["deployment"]["id"])["state"], "succeeded");
    EXPECT_EQ(fake_->Calls("backup"), 1);
    EXPECT_EQ(fake_->Calls("check"), checks_before + 1);
    EXPECT_EQ(WaitLight(token, plan, "green")["reason"], "Running; the last checks passed.");
    fake_->FailStep("backup", "bucket folder is full");
    b = PostJson("/v1/plan/" + plan + "/backup", json::object(), token);
    EXPECT_EQ(WaitFinished(token, Body(b)["deployment"]["id"])["state"], "failed");
    EXPECT_EQ(Status(token, plan)["reason"], "Backup failed: bucket folder is full");
    EXPECT_EQ(PostJson("/v1/plan/" + plan + "/backup", {{"validate", "yes"}}, token)->status, 422);

    // A deployed plan cannot be deleted; destroy first, then it can.
    EXPECT_EQ(Delete("/v1/plan/" + plan, token)->status, 409);
    auto d = PostJson("/v1/plan/" + plan + "/destroy", {{"final_backup", false}}, token);
    ASSERT_EQ(d->status, 202) << d->body;
    const json destroyed = WaitFinished(token, Body(d)["deployment"]["id"]);
    EXPECT_EQ(destroyed["kind"], "destroy");
    EXPECT_EQ(destroyed["state"], "succeeded");
    EXPECT_EQ(Status(token, plan)["light"], "grey");
    EXPECT_EQ(Get("/v1/plan/" + plan + "/connection", token)->status, 404);
    EXPECT_EQ(Delete("/v1/plan/" + plan, token)->status, 204);
}

TEST_F(DeployApiTest, MonitorMovesTheLight) {
    const std::string token = SignUp("ada@example.com");
    const std::string plan = NewPlan(token);
    WaitFinished(token, Deploy(token, plan));
    fake_->SetHealth(false, "server down: connection refused on 127.0.0.1:6543");
    // The deploy's worker lets go of the plan a moment after the job's final state, and until then the
    // monitor skips it (checks 0 plans): on a loaded machine that moment is long enough to be seen here.
    int checked = 0;
    for (const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
         checked == 0 && std::chrono::steady_clock::now() < deadline;) {
        checked = gateway_->engine().MonitorOnce();
        if (checked == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(checked, 1);
    json status = Status(token, plan);
    EXPECT_EQ(status["light"], "red");
    EXPECT_EQ(status["reason"], "server down: connection refused on 127.0.0.1:6543");
    EXPECT_EQ(status["checks"]["select1"], false);
    fake_->SetHealth(true);
    EXPECT_EQ(gateway_->engine().MonitorOnce(), 1);
    EXPECT_EQ(Status(token, plan)["light"], "green");
}

}  // namespace
}  // namespace gw::test
