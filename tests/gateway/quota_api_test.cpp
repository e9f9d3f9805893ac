// Fair use through the API (docs/api.md "Quotas"), on a real in-process gateway with small limits: plans per
// user (also under parallel creates), components per plan, active jobs per user and servers on this host per
// user. Each refusal is the one error envelope with code quota.exceeded, the limit and the current use.
#include "fake_target_test_double.hpp"
#include "gateway_fixture.hpp"

namespace gw::test {
namespace {

class QuotaApiTest : public GatewayTest {
protected:
    void Configure(Config& config) override {
        config.max_plans_per_user = 3;
        config.max_components_per_plan = 2;
        config.max_active_jobs_per_user = 1;
        config.max_local_servers_per_user = 3;
    }
    void RegisterTargets(deploy::Engine& engine) override {
        // The default plan's provider, standing in for a target that runs 2 servers per database on this host.
        auto fake = std::make_unique<FakeTargetTestDouble>("aws");
        fake->SetHostServersPerPostgres(2);
        fake_ = fake.get();
        engine.Register(std::move(fake));
    }

    // POST /v1/plan/ {"name"}: the default plan (one VM, one database: 2 components).
    httplib::Result Create(const std::string& token, const std::string& name) {
        return PostJson("/v1/plan/", {{"name", name}}, token);
    }
    std::string NewPlan(const std::string& token, const std::string& name) {
        auto r = Create(token, name);
        EXPECT_TRUE(r && r->status == 201) << (r ? r->body : "no response");
        return r ? Body(r).value("id", "") : "";
    }
    json WaitFinished(const std::string& token, const std::string& id) {
        for (int i = 0; i < 1500; ++i) {
            json d = Body(Get("/v1/deployments/" + id, token))["deployment"];
            if (d.is_object() && (d["state"] == "succeeded" || d["state"] == "failed")) return d;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        ADD_FAILURE() << "deployment " << id << " did not finish";
        return nullptr;
    }
    std::string Job(const std::string& token, const std::string& plan, const std::string& action) {
        auto r = PostJson("/v1/plan/" + plan + "/" + action, json::object(), token);
        EXPECT_TRUE(r && r->status == 202) << action << ": " << (r ? r->body : "no response");
        return r ? Body(r)["deployment"].value("id", "") : "";
    }
    // Checks `r` is the quota refusal: status, code, and the detail with the quota, limit and use.
    static void ExpectQuota(const httplib::Result& r, int status, const std::string& quota, int limit, int in_use,
                            const std::string& path = "") {
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, status) << r->body;
        const json error = Body(r)["error"];
        EXPECT_EQ(error["code"], "quota.exceeded") << r->body;
        ASSERT_EQ(error["details"].size(), 1u) << r->body;
        const json detail = error["details"][0];
        EXPECT_EQ(detail["code"], "quota." + quota);
        EXPECT_EQ(detail["path"], path);
        EXPECT_EQ(detail["limit"], limit);
        EXPECT_EQ(detail["in_use"], in_use);
        // The message names the limit and the use in words, and how to get under it.
        const std::string message = error["message"];
        EXPECT_NE(message.find(std::to_string(limit)), std::string::npos) << message;
        EXPECT_NE(message.find(std::to_string(in_use)), std::string::npos) << message;
        EXPECT_EQ(detail["message"], message);
    }

    FakeTargetTestDouble* fake_ = nullptr;
};

TEST_F(QuotaApiTest, PlansPerUserAreCappedUntilOneIsDeleted) {
    const std::string ada = SignUp("ada@example.com");
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) ids.push_back(NewPlan(ada, "plan " + std::to_string(i)));
    auto refused = Create(ada, "one too many");
    ExpectQuota(refused, 409, "plans_per_user", 3, 3);
    EXPECT_NE(Body(refused)["error"]["message"].get<std::string>().find("delete"), std::string::npos);
    EXPECT_EQ(Body(Get("/v1/plan/", ada))["items"].size(), 3u) << "nothing was stored";

    // Per user: another account is not affected.
    NewPlan(SignUp("bob@example.com"), "bob's");
    // Deleting one frees its place.
    auto deleted = Delete("/v1/plan/" + ids[0], ada);
    ASSERT_TRUE(deleted);
    EXPECT_EQ(deleted->status, 204);
    NewPlan(ada, "fits again");
}

TEST_F(QuotaApiTest, ParallelCreatesCannotBothTakeTheLastPlace) {
    const std::string ada = SignUp("ada@example.com");
    NewPlan(ada, "first");
    NewPlan(ada, "second");
    std::atomic<int> created{0}, refused{0}, other{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&, i] {
            auto r = Create(ada, "racer " + std::to_string(i));
            if (r && r->status == 201) {
                ++created;
            } else if (r && r->status == 409) {
                ++refused;
            } else {
                ++other;
            }
        });
    }
    for (std::thread& t : threads) t.join();
    EXPECT_EQ(created, 1);
    EXPECT_EQ(refused, 7);
    EXPECT_EQ(other, 0);
    EXPECT_EQ(Body(Get("/v1/plan/", ada))["items"].size(), 3u);
}

TEST_F(QuotaApiTest, ComponentsPerPlanAreCappedOnCreateAndUpdate) {
    const std::string ada = SignUp("ada@example.com");
    auto r = Create(ada, "two components");
    ASSERT_TRUE(r && r->status == 201);
    const std::string id = Body(r)["id"];
    json plan = Body(r)["plan"];
    ASSERT_EQ(plan["components"].size(), 2u);
    json vm = plan["components"][0];
    vm["id"] = "vm-2";
    vm["name"] = "second vm";
    plan["components"].push_back(vm);

    ExpectQuota(PutJson("/v1/plan/" + id, {{"revision", 1}, {"plan", plan}}, ada), 422, "components_per_plan", 2, 3,
                "/components");
    EXPECT_EQ(Body(Get("/v1/plan/" + id, ada))["revision"], 1) << "nothing was stored";
    plan.erase("id");
    plan.erase("revision");
    ExpectQuota(PostJson("/v1/plan/", plan, ada), 422, "components_per_plan", 2, 3, "/components");
}

TEST_F(QuotaApiTest, ActiveJobsPerUserAreCappedWhileOneRuns) {
    const std::string ada = SignUp("ada@example.com");
    fake_->SetHostServersPerPostgres(0);  // only the job count matters here
    const std::string a = NewPlan(ada, "a");
    const std::string b = NewPlan(ada, "b");
    fake_->Block("render");
    const std::string running = Job(ada, a, "deploy");
    ASSERT_TRUE(fake_->WaitForCalls("render", 1));
    auto refused = PostJson("/v1/plan/" + b + "/deploy", json::object(), ada);
    ExpectQuota(refused, 409, "active_jobs_per_user", 1, 1);
    EXPECT_EQ(Body(Get("/v1/plan/" + b + "/deployments", ada))["items"].size(), 0u) << "nothing was queued";
    // Another user's queue is their own.
    const std::string bob = SignUp("bob@example.com");
    const std::string bobs = NewPlan(bob, "bob's");
    const std::string bobs_job = Job(bob, bobs, "deploy");

    fake_->Release("render");
    EXPECT_EQ(WaitFinished(ada, running)["state"], "succeeded");
    EXPECT_EQ(WaitFinished(bob, bobs_job)["state"], "succeeded");
    EXPECT_EQ(WaitFinished(ada, Job(ada, b, "deploy"))["state"], "succeeded");
}

TEST_F(QuotaApiTest, ServersOnThisHostPerUserAreCappedUntilADestroy) {
    const std::string ada = SignUp("ada@example.com");
    const std::string a = NewPlan(ada, "a");
    const std::string b = NewPlan(ada, "b");
    EXPECT_EQ(WaitFinished(ada, Job(ada, a, "deploy"))["state"], "succeeded");  // 2 servers of 3
    ExpectQuota(PostJson("/v1/plan/" + b + "/deploy", json::object(), ada), 409, "local_servers_per_user", 3, 2);
    // Re-deploying what runs already needs nothing more.
    EXPECT_EQ(WaitFinished(ada, Job(ada, a, "deploy"))["state"], "succeeded");
    // A destroy gives the servers back.
    EXPECT_EQ(WaitFinished(ada, Job(ada, a, "destroy"))["state"], "succeeded");
    EXPECT_EQ(WaitFinished(ada, Job(ada, b, "deploy"))["state"], "succeeded");
}

}  // namespace
}  // namespace gw::test
