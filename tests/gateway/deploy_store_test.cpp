// The DeploymentStore contract on the SQLite store, without an engine: how a job ends (FinishJob writes the
// job, the plan's state, light and last event together, and nothing at all without a live lease).
#include "gateway_fixture.hpp"
#include "plan/json.hpp"

namespace gw::test {
namespace {

class DeployStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        store_ = OpenSqliteStore(dir_.path() / "store.sqlite3");
        ASSERT_TRUE(store_->CreateUser({"u_a", "a@example.com", "hash", 1}));
    }

    DeploymentStore& deployments() { return store_->deployments(); }

    PlanRecord NewPlan(const std::string& id, const std::string& owner = "u_a") {
        plan::Plan p = plan::DefaultPlan("store test");
        p.id = id;
        p.revision = 1;
        PlanRecord r{id, owner, p.name, "development", 1, plan::DumpPlan(p), kNow, kNow};
        store_->InsertPlan(r);
        return r;
    }

    // A queued deploy of `plan` with the usual six steps.
    Deployment Queue(const PlanRecord& plan, const std::string& id, const std::string& kind = "deploy") {
        Deployment d;
        d.id = id;
        d.plan_id = plan.id;
        d.owner_id = plan.owner_id;
        d.revision = plan.revision;
        d.kind = kind;
        d.document = plan.document;
        d.created_at = kNow;
        for (const char* step : {"render", "provision", "install", "configure", "verify", "monitor"}) {
            d.steps.push_back({step});
        }
        EXPECT_EQ(deployments().CreateDeployment(d, "aws").status, CreateDeploymentResult::Status::Created);
        return d;
    }

    // `d` with every step done and the job succeeded, as a worker ends it.
    static Deployment Succeeded(Deployment d) {
        for (DeploymentStep& s : d.steps) s = {s.name, "done", kNow, kNow + 1, 1};
        d.state = "succeeded";
        d.step = "monitor";
        d.progress = 1;
        d.finished_at = kNow + 2;
        return d;
    }

    static JobOutcome DeployedOutcome() {
        JobOutcome outcome;
        outcome.change = JobOutcome::PlanChange::Deployed;
        outcome.light = PlanLight{"green", "Revision 1 deployed.", "", 0};
        outcome.event = DeploymentEvent{kNow + 2, "info", "Deploy of revision 1 succeeded."};
        return outcome;
    }

    static constexpr TimeMs kNow = 1'800'000'000'000;
    static constexpr TimeMs kLease = 30000;
    TempDir dir_;
    std::unique_ptr<Store> store_;
};

TEST_F(DeployStoreTest, FinishJobWritesTheJobThePlanTheLightAndTheEventTogether) {
    const PlanRecord plan = NewPlan("p_finish");
    Queue(plan, "d_finish");
    auto claimed = deployments().ClaimJob("gw_a", kNow, kNow + kLease);
    ASSERT_TRUE(claimed);
    ASSERT_TRUE(deployments().FinishJob(Succeeded(*claimed), "gw_a", kNow + 10, DeployedOutcome()));

    const Deployment d = *deployments().GetDeployment("", "d_finish", true);
    EXPECT_EQ(d.state, "succeeded");
    EXPECT_EQ(d.finished_at, kNow + 2);
    EXPECT_EQ(d.steps.back().state, "done");
    ASSERT_FALSE(d.events.empty());
    EXPECT_EQ(d.events.back().message, "Deploy of revision 1 succeeded.");
    const PlanTarget t = *deployments().GetPlanTarget("p_finish");
    EXPECT_TRUE(t.deployed);
    EXPECT_EQ(t.revision, 1);
    EXPECT_EQ(t.document, plan.document);
    EXPECT_EQ(t.last_deployed_at, kNow + 2);
    EXPECT_EQ(t.light, "green");
    EXPECT_EQ(t.reason, "Revision 1 deployed.");

    // A destroy ends the same way: nothing deployed, no state, grey.
    ASSERT_TRUE(deployments().SaveTargetState("p_finish", "gw_a", R"({"port":6543})"));
    deployments().ReleaseLease("p_finish", "gw_a");
    Queue(plan, "d_destroy", "destroy");
    auto destroy = deployments().ClaimJob("gw_a", kNow + 20, kNow + 20 + kLease);
    ASSERT_TRUE(destroy);
    ASSERT_EQ(destroy->id, "d_destroy");
    destroy->state = "succeeded";
    destroy->finished_at = kNow + 30;
    JobOutcome destroyed;
    destroyed.change = JobOutcome::PlanChange::Destroyed;
    destroyed.light = PlanLight{"grey", "Destroyed.", "", 0};
    ASSERT_TRUE(deployments().FinishJob(*destroy, "gw_a", kNow + 30, destroyed));
    const PlanTarget gone = *deployments().GetPlanTarget("p_finish");
    EXPECT_FALSE(gone.deployed);
    EXPECT_EQ(gone.state, "null");
    EXPECT_EQ(gone.light, "grey");
}

TEST_F(DeployStoreTest, FinishJobWithALostOrExpiredLeaseWritesNothing) {
    const PlanRecord plan = NewPlan("p_lost");
    Queue(plan, "d_lost");
    auto claimed = deployments().ClaimJob("gw_a", kNow, kNow + kLease);
    ASSERT_TRUE(claimed);
    const Deployment before = *deployments().GetDeployment("", "d_lost", true);
    const PlanTarget target_before = *deployments().GetPlanTarget("p_lost");

    auto unchanged = [&](const char* when) {
        SCOPED_TRACE(when);
        const Deployment d = *deployments().GetDeployment("", "d_lost", true);
        EXPECT_EQ(d.state, before.state);
        EXPECT_EQ(d.finished_at, 0);
        EXPECT_EQ(d.events.size(), before.events.size());
        for (const DeploymentStep& s : d.steps) EXPECT_EQ(s.state, "pending") << s.name;
        const PlanTarget t = *deployments().GetPlanTarget("p_lost");
        EXPECT_FALSE(t.deployed);
        EXPECT_EQ(t.document, "");
        EXPECT_EQ(t.light, target_before.light);
        EXPECT_EQ(t.reason, target_before.reason);
    };

    // Expired (nobody took it over yet): the worker's time is up all the same.
    EXPECT_FALSE(deployments().FinishJob(Succeeded(*claimed), "gw_a", kNow + kLease, DeployedOutcome()));
    unchanged("expired lease");
    // Lost: another gateway took the plan after the lease expired.
    auto taken = deployments().ClaimJob("gw_b", kNow + kLease + 1, kNow + 2 * kLease);
    ASSERT_TRUE(taken);
    EXPECT_FALSE(deployments().FinishJob(Succeeded(*claimed), "gw_a", kNow + kLease + 2, DeployedOutcome()));
    unchanged("lease taken by another gateway");
    // Never held at all.
    EXPECT_FALSE(deployments().FinishJob(Succeeded(*claimed), "gw_stranger", kNow + kLease + 2, DeployedOutcome()));
    unchanged("a stranger");
    // The holder ends it.
    EXPECT_TRUE(deployments().FinishJob(Succeeded(*taken), "gw_b", kNow + kLease + 3, DeployedOutcome()));
    EXPECT_TRUE(deployments().GetPlanTarget("p_lost")->deployed);
}

}  // namespace
}  // namespace gw::test
