// The DeploymentStore contract on the SQLite store, without an engine: how a job ends (FinishJob writes the
// job, the plan's state, light and last event together, and nothing at all without a live lease), fair-use
// quotas checked in the same transaction as the write (also by two gateways on one file), and fair claiming
// between users.
#include <sqlite3.h>

#include <thread>

#include "gateway_fixture.hpp"
#include "plan/json.hpp"

namespace gw::test {
namespace {

class DeployStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        store_ = OpenSqliteStore(dir_.path() / "store.sqlite3");
        ASSERT_TRUE(store_->CreateUser({"u_a", "a@example.com", "hash", 1}));
        ASSERT_TRUE(store_->CreateUser({"u_b", "b@example.com", "hash", 1}));
    }

    DeploymentStore& deployments() { return store_->deployments(); }

    PlanRecord NewPlan(const std::string& id, const std::string& owner = "u_a") {
        plan::Plan p = plan::DefaultPlan("store test");
        p.id = id;
        p.revision = 1;
        PlanRecord r{id, owner, p.name, "development", 1, plan::DumpPlan(p), kNow, kNow};
        EXPECT_TRUE(store_->InsertPlan(r, 0).inserted);
        return r;
    }

    // A queued deploy of `plan` with the usual six steps.
    Deployment Queue(const PlanRecord& plan, const std::string& id, const std::string& kind = "deploy") {
        Deployment d = Job(plan, id, kind);
        EXPECT_EQ(deployments().CreateDeployment(d, "aws", {}).status, CreateDeploymentResult::Status::Created);
        return d;
    }

    // The job Queue would insert, not inserted.
    static Deployment Job(const PlanRecord& plan, const std::string& id, const std::string& kind = "deploy") {
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

TEST_F(DeployStoreTest, TwoGatewaysOnOneFileCannotBothInsertTheLastPlan) {
    // Two connections, as two gateway processes sharing the file would have; each races 10 inserts.
    auto other = OpenSqliteStore(dir_.path() / "store.sqlite3");
    NewPlan("p_existing");
    std::atomic<int> inserted{0}, refused{0};
    auto race = [&](Store& store, const std::string& prefix) {
        for (int i = 0; i < 10; ++i) {
            PlanRecord r{prefix + std::to_string(i), "u_a", "racer", "development", 1, "{}", kNow, kNow};
            const InsertPlanResult result = store.InsertPlan(r, 5);
            if (result.inserted) {
                ++inserted;
            } else {
                ++refused;
                EXPECT_EQ(result.plans, 5);
            }
        }
    };
    std::thread a([&] { race(*store_, "p_a"); });
    std::thread b([&] { race(*other, "p_b"); });
    a.join();
    b.join();
    EXPECT_EQ(inserted, 4);
    EXPECT_EQ(refused, 16);
    PlanListQuery all;
    all.owner_id = "u_a";
    all.limit = 200;
    EXPECT_EQ(store_->ListPlans(all).items.size(), 5u);
    // 0 means no limit; the limit is per owner.
    EXPECT_TRUE(store_->InsertPlan({"p_b_own", "u_b", "b", "development", 1, "{}", kNow, kNow}, 1).inserted);
    EXPECT_TRUE(store_->InsertPlan({"p_unlimited", "u_a", "x", "development", 1, "{}", kNow, kNow}, 0).inserted);
}

TEST_F(DeployStoreTest, ActiveJobsAndHostServersAreCountedPerOwnerInTheInsert) {
    const PlanRecord a1 = NewPlan("p_a1"), a2 = NewPlan("p_a2"), a3 = NewPlan("p_a3");
    const PlanRecord b1 = NewPlan("p_b1", "u_b");
    // Active jobs: queued and running count, finished ones do not.
    const JobQuota two_jobs{2, 0, 0};
    EXPECT_EQ(deployments().CreateDeployment(Job(a1, "d_a1"), "aws", two_jobs).status, CreateDeploymentResult::Status::Created);
    EXPECT_EQ(deployments().CreateDeployment(Job(a2, "d_a2"), "aws", two_jobs).status, CreateDeploymentResult::Status::Created);
    CreateDeploymentResult third = deployments().CreateDeployment(Job(a3, "d_a3"), "aws", two_jobs);
    EXPECT_EQ(third.status, CreateDeploymentResult::Status::TooManyJobs);
    EXPECT_EQ(third.limit, 2);
    EXPECT_EQ(third.in_use, 2);
    EXPECT_FALSE(deployments().GetDeployment("", "d_a3", false)) << "nothing was inserted";
    EXPECT_EQ(deployments().CreateDeployment(Job(b1, "d_b1"), "aws", two_jobs).status, CreateDeploymentResult::Status::Created);
    // A finished job frees its place.
    auto claimed = deployments().ClaimJob("gw", kNow, kNow + kLease);
    ASSERT_TRUE(claimed);
    ASSERT_EQ(claimed->id, "d_a1");
    ASSERT_TRUE(deployments().FinishJob(Succeeded(*claimed), "gw", kNow, {}));
    EXPECT_EQ(deployments().CreateDeployment(Job(a3, "d_a3"), "aws", two_jobs).status,
              CreateDeploymentResult::Status::Created);
}

TEST_F(DeployStoreTest, HostServersCountWhatEachPlanMayRunUntilItIsDestroyed) {
    const PlanRecord a1 = NewPlan("p_a1"), a2 = NewPlan("p_a2");
    const PlanRecord b1 = NewPlan("p_b1", "u_b");
    auto finish = [&](const std::string& plan_id, JobOutcome outcome) {
        auto claimed = deployments().ClaimJob("gw", kNow, kNow + kLease);
        ASSERT_TRUE(claimed);
        ASSERT_EQ(claimed->plan_id, plan_id);
        ASSERT_TRUE(deployments().SaveTargetState(plan_id, "gw", R"({"servers":1})"));
        ASSERT_TRUE(deployments().FinishJob(Succeeded(*claimed), "gw", kNow, outcome));
        deployments().ReleaseLease(plan_id, "gw");
    };
    JobOutcome three_deployed;
    three_deployed.change = JobOutcome::PlanChange::Deployed;
    three_deployed.host_servers = 3;

    ASSERT_EQ(deployments().CreateDeployment(Job(a1, "d_1"), "local", {0, 3, 4}).status,
              CreateDeploymentResult::Status::Created);
    finish("p_a1", three_deployed);
    // 3 of 4 used: 2 more do not fit, for this owner only.
    CreateDeploymentResult refused = deployments().CreateDeployment(Job(a2, "d_2"), "local", {0, 2, 4});
    EXPECT_EQ(refused.status, CreateDeploymentResult::Status::TooManyHostServers);
    EXPECT_EQ(refused.limit, 4);
    EXPECT_EQ(refused.in_use, 3);
    EXPECT_EQ(deployments().CreateDeployment(Job(b1, "d_b"), "local", {0, 2, 4}).status,
              CreateDeploymentResult::Status::Created);
    finish("p_b1", {});
    // Growing a1 from 3 to 5 does not fit; keeping 3 (a redeploy) does, even over a lower limit.
    EXPECT_EQ(deployments().CreateDeployment(Job(a1, "d_3", "redeploy"), "local", {0, 5, 4}).status,
              CreateDeploymentResult::Status::TooManyHostServers);
    EXPECT_EQ(deployments().CreateDeployment(Job(a1, "d_4", "redeploy"), "local", {0, 3, 2}).status,
              CreateDeploymentResult::Status::Created);
    finish("p_a1", three_deployed);
    // The destroy gives them back.
    ASSERT_EQ(deployments().CreateDeployment(Job(a1, "d_5", "destroy"), "local", {0, 0, 4}).status,
              CreateDeploymentResult::Status::Created);
    JobOutcome destroyed;
    destroyed.change = JobOutcome::PlanChange::Destroyed;
    finish("p_a1", destroyed);
    EXPECT_EQ(deployments().CreateDeployment(Job(a2, "d_6"), "local", {0, 4, 4}).status,
              CreateDeploymentResult::Status::Created);
}

TEST_F(DeployStoreTest, MigrationCountsTheServersOfLocalDeploymentsMadeBeforeIt) {
    // A local deployment (primary + replica) and an AWS one, stored before migration 4 existed.
    const PlanRecord local = NewPlan("p_local"), aws = NewPlan("p_aws");
    ASSERT_EQ(deployments().CreateDeployment(Job(local, "d_local"), "local", {}).status,
              CreateDeploymentResult::Status::Created);
    ASSERT_EQ(deployments().CreateDeployment(Job(aws, "d_aws"), "aws", {}).status, CreateDeploymentResult::Status::Created);
    auto claimed = deployments().ClaimJob("gw", kNow, kNow + kLease);
    ASSERT_TRUE(claimed);
    ASSERT_TRUE(deployments().SaveTargetState(
        "p_local", "gw",
        R"({"components":[{"id":"db","servers":[{"name":"primary","port":25432},{"name":"replica-1","port":25433}]}]})"));
    store_.reset();
    {
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open((dir_.path() / "store.sqlite3").c_str(), &db), SQLITE_OK);
        ASSERT_EQ(sqlite3_exec(db,
                               "DROP INDEX deployments_owner_active;"
                               "ALTER TABLE plan_targets DROP COLUMN host_servers;"
                               "ALTER TABLE plan_targets DROP COLUMN claim_seq;"
                               "DELETE FROM schema_migrations WHERE version = 4;",
                               nullptr, nullptr, nullptr),
                  SQLITE_OK)
            << sqlite3_errmsg(db);
        sqlite3_close(db);
    }
    store_ = OpenSqliteStore(dir_.path() / "store.sqlite3");  // applies migration 4 again
    // 2 servers counted for the local plan: 2 more fit under 4, 3 do not.
    const PlanRecord next = NewPlan("p_next");
    EXPECT_EQ(deployments().CreateDeployment(Job(next, "d_3"), "local", {0, 3, 4}).status,
              CreateDeploymentResult::Status::TooManyHostServers);
    EXPECT_EQ(deployments().CreateDeployment(Job(next, "d_4"), "local", {0, 2, 4}).status,
              CreateDeploymentResult::Status::Created);
}

TEST_F(DeployStoreTest, ClaimingIsFairBetweenOwners) {
    // Owner a queues five jobs before owner b queues one.
    std::vector<PlanRecord> plans;
    for (int i = 0; i < 5; ++i) {
        plans.push_back(NewPlan("p_a" + std::to_string(i)));
        Queue(plans.back(), "d_a" + std::to_string(i));
    }
    Queue(NewPlan("p_b", "u_b"), "d_b");

    // Nobody served yet: the oldest job. Then b, who has nothing in progress while a has one.
    auto first = deployments().ClaimJob("gw_1", kNow, kNow + kLease);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->id, "d_a0");
    auto second = deployments().ClaimJob("gw_2", kNow, kNow + kLease);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->id, "d_b") << "one owner's queue held another's single job back";
    // With a's first job done, a has nothing in progress and b one: a's next.
    ASSERT_TRUE(deployments().FinishJob(Succeeded(*first), "gw_1", kNow, {}));
    deployments().ReleaseLease(first->plan_id, "gw_1");
    auto third = deployments().ClaimJob("gw_1", kNow, kNow + kLease);
    ASSERT_TRUE(third);
    EXPECT_EQ(third->id, "d_a1");
    // Both have one in progress; b queues again: b was served less recently than a, so b's goes first.
    Queue(NewPlan("p_b2", "u_b"), "d_b2");
    auto fourth = deployments().ClaimJob("gw_3", kNow, kNow + kLease);
    ASSERT_TRUE(fourth);
    EXPECT_EQ(fourth->id, "d_b2");
}

}  // namespace
}  // namespace gw::test
