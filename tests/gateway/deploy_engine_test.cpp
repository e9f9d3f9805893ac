// The deploy engine against a real SQLite store, without HTTP: lease expiry takeover by a second engine,
// resume after a crash (a "running" step runs once more, finished ones never), Wait re-queues with its
// delay, shutdown interrupts and hands the job on, two live engines never run one step twice, a backup
// the schedule says is due runs as a backup job (orange, then green or red), stored state is handed to
// the target's Adopt before any job runs, and the AES-256-GCM secret box.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>

#include "deploy/engine.hpp"
#include "deploy/secret_box.hpp"
#include "crashing_store_test_double.hpp"
#include "fake_target_test_double.hpp"
#include "gateway_fixture.hpp"
#include "plan/json.hpp"

namespace gw::test {
namespace {

using deploy::Engine;
using deploy::EngineOptions;

class DeployEngineTest : public ::testing::Test {
protected:
    void SetUp() override {
        store_ = OpenSqliteStore(dir_.path() / "store.sqlite3");
        ASSERT_TRUE(store_->CreateUser({"u_owner", "owner@example.com", "hash", 1}));
        ASSERT_TRUE(store_->CreateUser({"u_other", "other@example.com", "hash", 1}));
        std::array<unsigned char, 32> key{};
        key.fill(7);
        box_.emplace(key);
    }

    // `store`: the deployments store the engine uses (default: the real one; a test double wraps it).
    std::unique_ptr<Engine> NewEngine(const std::string& owner, int workers = 1, DeploymentStore* store = nullptr) {
        EngineOptions options;
        options.owner_id = owner;
        options.workers = workers;
        options.lease_ms = kLeaseMs;
        options.poll_ms = 20;
        options.monitor_interval_ms = 0;
        options.clock = [this] { return now_.load(); };
        auto engine = std::make_unique<Engine>(store ? *store : store_->deployments(), *box_, log_, options);
        engine->Register(fake_.Clone());
        return engine;
    }

    PlanRecord NewPlan(const std::string& id, const std::string& owner = "u_owner") {
        plan::Plan p = plan::DefaultPlan("engine test");
        p.id = id;
        p.revision = 1;
        PlanRecord r{id, owner, p.name, "development", 1, plan::DumpPlan(p), now_, now_};
        EXPECT_TRUE(store_->InsertPlan(r, 0).inserted);
        return r;
    }

    std::string Deploy(Engine& engine, const PlanRecord& record) {
        auto parsed = plan::ParsePlan(record.document);
        auto job = engine.Deploy(record, *parsed.plan);
        EXPECT_EQ(job.outcome, deploy::JobRequest::Outcome::Queued) << job.message;
        return job.deployment.id;
    }

    Deployment Load(const std::string& id) { return *store_->deployments().GetDeployment("", id, true); }

    // Waits (real time, generous for a loaded CI machine) until the deployment reaches `state`.
    bool WaitState(const std::string& id, const std::string& state, int ms = 30000) {
        return WaitFor([&] { return Load(id).state == state; }, ms);
    }

    // Waits (real time) until `done()` holds; false after `ms`. For what the engine's threads record.
    template <typename Done>
    static bool WaitFor(Done done, int ms = 30000) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
        while (!done()) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return true;
    }

    // One monitor pass that checked the plan: a worker releases the plan's lease a moment after it
    // recorded the job's end, and until then the monitor skips the plan (returns 0).
    int MonitorUntilChecked(Engine& engine) {
        int checked = 0;
        for (int i = 0; i < 500 && checked == 0; ++i) {
            checked = engine.MonitorOnce();
            if (checked == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return checked;
    }

    static constexpr int kLeaseMs = 30000;
    TempDir dir_;
    std::unique_ptr<Store> store_;
    std::optional<deploy::SecretBox> box_;
    Log log_{[](const std::string&) {}};
    FakeTargetTestDouble fake_{"aws"};
    std::atomic<TimeMs> now_{1'800'000'000'000};
};

TEST_F(DeployEngineTest, ExpiredLeaseOfADeadGatewayIsTakenOverByAnother) {
    const PlanRecord plan = NewPlan("p_lease");
    auto queueing = NewEngine("gw_queue");  // never started: only queues
    const std::string id = Deploy(*queueing, plan);
    // A gateway took the job and died at once: its lease stays in the store until it expires.
    ASSERT_TRUE(store_->deployments().ClaimJob("gw_dead", now_, now_ + kLeaseMs));

    auto survivor = NewEngine("gw_survivor");
    survivor->Start();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_EQ(fake_.Calls("render"), 0) << "took a lease that had not expired";
    EXPECT_EQ(Load(id).state, "queued");

    now_ += kLeaseMs + 1;
    ASSERT_TRUE(WaitState(id, "succeeded"));
    EXPECT_EQ(fake_.Calls("render"), 1);
    EXPECT_EQ(fake_.Calls("monitor"), 1);
    // The survivor releases the lease when done (a moment after it recorded "succeeded"): the monitor (any
    // gateway) can take the plan then.
    bool leased = false;
    for (int i = 0; i < 200 && !leased; ++i) {
        leased = store_->deployments().TryLeasePlan("p_lease", "gw_other", now_, now_ + kLeaseMs);
        if (!leased) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_TRUE(leased);
}

// The owner id `NewOwnerId()` would give a process with `pid`, host `host` on this boot.
std::string OwnerLike(pid_t pid, const std::string& host = "") {
    std::string id = deploy::NewOwnerId();  // gw:<boot>:<host>:<pid>:<random>
    const auto p1 = id.find(':', 3), p2 = id.find(':', p1 + 1), p3 = id.find(':', p2 + 1);
    return id.substr(0, p1 + 1) + (host.empty() ? id.substr(p1 + 1, p2 - p1 - 1) : host) + ":" + std::to_string(pid) +
           id.substr(p3);
}

TEST_F(DeployEngineTest, LeasesOfADeadGatewayOnThisMachineAreTakenBackAtStart) {
    const pid_t child = fork();
    if (child == 0) _exit(0);
    waitpid(child, nullptr, 0);  // a pid that existed and is gone, like a gateway after kill -9
    EXPECT_TRUE(deploy::IsDeadLocalOwner(OwnerLike(child)));
    EXPECT_FALSE(deploy::IsDeadLocalOwner(OwnerLike(getpid())));
    EXPECT_FALSE(deploy::IsDeadLocalOwner(OwnerLike(child, "another-host")));
    EXPECT_FALSE(deploy::IsDeadLocalOwner("gw_dead"));

    const PlanRecord mine = NewPlan("p_dead_here");
    const PlanRecord theirs = NewPlan("p_elsewhere");
    auto queueing = NewEngine("gw_queue");
    const std::string here = Deploy(*queueing, mine);
    const std::string elsewhere = Deploy(*queueing, theirs);
    ASSERT_TRUE(store_->deployments().ClaimJob(OwnerLike(child), now_, now_ + kLeaseMs));
    ASSERT_TRUE(store_->deployments().ClaimJob(OwnerLike(child, "another-host"), now_, now_ + kLeaseMs));

    auto restarted = NewEngine("");
    restarted->Start();  // no clock change: the dead local owner's lease is broken, the remote one is not
    ASSERT_TRUE(WaitState(here, "succeeded"));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(Load(elsewhere).state, "queued");
    EXPECT_EQ(fake_.Calls("render"), 1);
}

TEST_F(DeployEngineTest, ResumeAfterCrashRerunsTheRunningStepOnceAndNoFinishedStep) {
    const PlanRecord plan = NewPlan("p_crash");
    auto queueing = NewEngine("gw_queue");
    const std::string id = Deploy(*queueing, plan);
    // What a kill -9 during "install" leaves: render and provision done, install running, lease held.
    auto claimed = store_->deployments().ClaimJob("gw_killed", now_, now_ + kLeaseMs);
    ASSERT_TRUE(claimed);
    claimed->state = "running";
    claimed->step = "install";
    for (int i = 0; i < 2; ++i) claimed->steps[i] = {claimed->steps[i].name, "done", now_, now_, 1};
    claimed->steps[2] = {"install", "running", now_, 0, 1};
    ASSERT_TRUE(store_->deployments().SaveDeployment(*claimed, "gw_killed"));
    ASSERT_TRUE(store_->deployments().SaveTargetState("p_crash", "gw_killed", R"({"port":6543,"provisions":1})"));

    auto restarted = NewEngine("gw_restarted");
    restarted->Start();
    now_ += kLeaseMs + 1;
    ASSERT_TRUE(WaitState(id, "succeeded"));
    EXPECT_EQ(fake_.Calls("render"), 0);
    EXPECT_EQ(fake_.Calls("provision"), 0);
    EXPECT_EQ(fake_.Calls("install"), 1);
    EXPECT_EQ(fake_.Calls("configure"), 1);
    EXPECT_EQ(fake_.Calls("monitor"), 1);
    const Deployment d = Load(id);
    EXPECT_EQ(d.steps[0].runs, 1);
    EXPECT_EQ(d.steps[2].runs, 2);  // once before the crash, once after
    EXPECT_EQ(d.steps[3].runs, 1);
    bool said_so = false;
    for (const auto& e : d.events) said_so |= e.message == "Running install again: its previous run was interrupted.";
    EXPECT_TRUE(said_so);
    // The state written before the crash reached the steps after it.
    EXPECT_EQ(store_->deployments().GetPlanTarget("p_crash")->state, R"({"port":6543,"provisions":1})");
}

TEST_F(DeployEngineTest, WaitRequeuesTheStepWithItsDelay) {
    const PlanRecord plan = NewPlan("p_wait");
    fake_.WaitOnce("provision", 60000);
    auto engine = NewEngine("gw_a");
    engine->Start();
    const std::string id = Deploy(*engine, plan);
    ASSERT_TRUE(fake_.WaitForCalls("provision", 1));
    // The engine records the re-queue after the step has returned: wait for that, not a fixed time.
    ASSERT_TRUE(WaitFor([&] { return Load(id).not_before != 0; })) << "the wait was never recorded";
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // room for a wrong early poll to show
    Deployment d = Load(id);
    EXPECT_EQ(d.state, "running");
    EXPECT_EQ(d.steps[1].state, "running");
    EXPECT_EQ(d.not_before, now_ + 60000);
    EXPECT_EQ(fake_.Calls("provision"), 1) << "polled before the delay";
    // While waiting, no gateway holds the plan: any of them may pick the job up when it is due.
    now_ += 60000;
    ASSERT_TRUE(WaitState(id, "succeeded"));
    EXPECT_EQ(fake_.Calls("provision"), 2);
    EXPECT_EQ(Load(id).steps[1].runs, 1);  // a poll is not a new run
}

TEST_F(DeployEngineTest, ShutdownInterruptsAndTheNextEngineContinuesAtOnce) {
    const PlanRecord plan = NewPlan("p_stop");
    fake_.Block("install");
    auto first = NewEngine("gw_first");
    first->Start();
    const std::string id = Deploy(*first, plan);
    ASSERT_TRUE(fake_.WaitForCalls("install", 1));
    first->Shutdown();  // the blocked step sees should_stop and returns Interrupted
    EXPECT_EQ(Load(id).state, "running");
    fake_.Release("install");

    auto second = NewEngine("gw_second");
    second->Start();  // no clock change: the lease was handed back, not left to expire
    ASSERT_TRUE(WaitState(id, "succeeded"));
    EXPECT_EQ(fake_.Calls("render"), 1);
    EXPECT_EQ(fake_.Calls("install"), 2);
}

TEST_F(DeployEngineTest, TwoLiveEnginesShareTheQueueWithoutRunningAStepTwice) {
    std::vector<std::string> ids;
    auto a = NewEngine("gw_a", 2);
    auto b = NewEngine("gw_b", 2);
    for (int i = 0; i < 6; ++i) ids.push_back(Deploy(*a, NewPlan("p_many" + std::to_string(i))));
    a->Start();
    b->Start();
    for (const std::string& id : ids) ASSERT_TRUE(WaitState(id, "succeeded"));
    for (const char* step : {"render", "provision", "install", "configure", "verify", "monitor"}) {
        EXPECT_EQ(fake_.Calls(step), 6) << step;
    }
}

TEST_F(DeployEngineTest, AScheduledBackupIsABackupJobWithTheSameOrangeLightAndItsOutcome) {
    const PlanRecord plan = NewPlan("p_scheduled");
    auto engine = NewEngine("gw_a");
    engine->Start();
    const std::string deployed = Deploy(*engine, plan);
    ASSERT_TRUE(WaitState(deployed, "succeeded"));
    EXPECT_EQ(MonitorUntilChecked(*engine), 1);
    EXPECT_EQ(engine->Status("u_owner", "p_scheduled").light, "green");
    EXPECT_EQ(fake_.Calls("backup"), 0) << "nothing was due";

    // The schedule fired: the monitor queues a backup job (it takes none itself), and the light is the
    // one POST /backup gives, for as long as the backup runs.
    fake_.Block("backup");
    fake_.ScheduleBackup(false, "the schedule (0 3 * * *) was due at 2027-01-15T03:00:00Z");
    EXPECT_EQ(MonitorUntilChecked(*engine), 1);
    auto jobs = engine->List("u_owner", "p_scheduled");
    ASSERT_EQ(jobs.size(), 2u);
    const Deployment backup = jobs.front();
    EXPECT_EQ(backup.kind, "backup");
    deploy::PlanStatus status = engine->Status("u_owner", "p_scheduled");
    EXPECT_EQ(status.light, "orange");
    EXPECT_EQ(status.reason, "Backing up.");
    ASSERT_TRUE(fake_.WaitForCalls("backup", 1));
    EXPECT_EQ(engine->Status("u_owner", "p_scheduled").light, "orange");  // still running (blocked)
    EXPECT_EQ(fake_.BackupValidates(), std::vector<bool>{false}) << "the plan's validate flag reaches Backup";
    EXPECT_EQ(engine->MonitorOnce(), 0) << "the monitor leaves a plan alone while its job runs";
    fake_.Release("backup");
    ASSERT_TRUE(WaitState(backup.id, "succeeded"));
    bool said_why = false;
    for (const auto& e : Load(backup.id).events) {
        said_why |= e.message == "Backup of revision 1 queued: the schedule (0 3 * * *) was due at 2027-01-15T03:00:00Z.";
    }
    EXPECT_TRUE(said_why);
    // Green again once the job's own health check passed, as after an on-demand backup.
    for (int i = 0; i < 200 && engine->Status("u_owner", "p_scheduled").light != "green"; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(engine->Status("u_owner", "p_scheduled").light, "green");
    EXPECT_EQ(MonitorUntilChecked(*engine), 1);
    EXPECT_EQ(fake_.Calls("backup"), 1) << "one backup per time the schedule fired";

    // A failed validation turns the light red with the target's reason (said once, capitalised).
    fake_.FailStep("backup", "backup validation failed: the restored server has no database app");
    fake_.ScheduleBackup(true, "the schedule (0 3 * * *) was due at 2027-01-16T03:00:00Z");
    EXPECT_EQ(MonitorUntilChecked(*engine), 1);
    const std::string failing = engine->List("u_owner", "p_scheduled").front().id;
    ASSERT_NE(failing, backup.id);
    ASSERT_TRUE(WaitState(failing, "failed"));
    for (int i = 0; i < 200 && engine->Status("u_owner", "p_scheduled").light != "red"; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    status = engine->Status("u_owner", "p_scheduled");
    EXPECT_EQ(status.light, "red");
    EXPECT_EQ(status.reason, "Backup validation failed: the restored server has no database app");
    EXPECT_EQ(fake_.BackupValidates(), (std::vector<bool>{false, true}));
}

TEST_F(DeployEngineTest, StartHandsEveryStoredStateToItsTargetBeforeAnyJobRuns) {
    const PlanRecord deployed = NewPlan("p_adopt");
    const PlanRecord never = NewPlan("p_never");
    {
        auto first = NewEngine("gw_first");
        first->Start();
        ASSERT_TRUE(WaitState(Deploy(*first, deployed), "succeeded"));
    }
    EXPECT_EQ(fake_.Calls("adopt"), 0) << "nothing was stored when the first engine started";
    // The next run: a queued job must not run before Adopt took back what the stored state owns.
    fake_.Block("render");
    auto queueing = NewEngine("gw_queue");
    const std::string queued = Deploy(*queueing, never);
    auto second = NewEngine("gw_second");
    second->Start();
    ASSERT_TRUE(fake_.WaitForCalls("render", 2));
    const auto order = fake_.Order();
    const auto adopt_at = std::find(order.begin(), order.end(), "adopt");
    const auto second_render = std::find(order.rbegin(), order.rend(), "render").base() - 1;
    EXPECT_LT(adopt_at, second_render) << "a job ran before the stored state was adopted";
    EXPECT_EQ(fake_.Calls("adopt"), 1);
    const auto adopted = fake_.Adopted();
    ASSERT_EQ(adopted.count("p_adopt"), 1u);
    EXPECT_EQ(adopted.count("p_never"), 0u) << "a plan with no state yet has nothing to adopt";
    EXPECT_EQ(adopted.at("p_adopt"), R"({"port":6543,"provisions":1})");
    fake_.Release("render");
    ASSERT_TRUE(WaitState(queued, "succeeded"));
}

// One user's backlog does not hold another's single job back: with one worker, the other user's job runs
// right after the job in progress, not after the backlog.
TEST_F(DeployEngineTest, OneUsersBacklogDelaysAnothersJobByOneJobAtMost) {
    auto queueing = NewEngine("gw_queue");  // never started: only queues
    std::vector<std::string> ids;
    for (int i = 0; i < 8; ++i) ids.push_back(Deploy(*queueing, NewPlan("p_backlog" + std::to_string(i))));
    const std::string single = Deploy(*queueing, NewPlan("p_single", "u_other"));
    auto engine = NewEngine("gw_one_worker", 1);
    engine->Start();
    ASSERT_TRUE(WaitState(single, "succeeded"));
    for (const std::string& id : ids) ASSERT_TRUE(WaitState(id, "succeeded"));
    std::vector<std::string> started;  // plans in the order their first step ran
    for (const std::string& plan : fake_.PlansRun()) {
        if (std::find(started.begin(), started.end(), plan) == started.end()) started.push_back(plan);
    }
    ASSERT_EQ(started.size(), 9u);
    const auto at = std::find(started.begin(), started.end(), "p_single") - started.begin();
    EXPECT_LE(at, 1) << "the other user's job started after " << at << " jobs of the backlog";
}

// A gateway killed as a job ends, just before or just after recording the end: the plan's state is never
// half-written (a succeeded deploy on a plan not marked deployed, an orange light forever), and the next
// gateway to take the lease finishes what is missing without running a finished step again.
TEST_F(DeployEngineTest, AGatewayKilledAsAJobEndsLeavesThePlanConsistentForTheNext) {
    using DieAt = CrashingStoreTestDouble::DieAt;
    for (const DieAt die_at : {DieAt::BeforeJobEnd, DieAt::AfterJobEnd}) {
        const bool after = die_at == DieAt::AfterJobEnd;
        SCOPED_TRACE(after ? "killed just after the end was written" : "killed just before the end was written");
        const PlanRecord plan = NewPlan(after ? "p_end_after" : "p_end_before");
        const int monitors_before = fake_.Calls("monitor");
        CrashingStoreTestDouble dying_store(store_->deployments(), die_at);
        auto dying = NewEngine(after ? "gw_dying_after" : "gw_dying_before", 1, &dying_store);
        dying->Start();
        const std::string id = Deploy(*dying, plan);
        ASSERT_TRUE(WaitFor([&] { return dying_store.dead(); })) << "the job never reached its end";
        dying->Shutdown();

        // What the dead gateway left must already be consistent: a job recorded as succeeded means a
        // deployed plan with its light.
        Deployment left = Load(id);
        PlanTarget target = *store_->deployments().GetPlanTarget(plan.id);
        EXPECT_EQ(left.state, after ? "succeeded" : "running");
        EXPECT_EQ(target.deployed, left.state == "succeeded");
        EXPECT_EQ(target.light, left.state == "succeeded" ? "green" : "orange") << target.reason;

        // The next gateway, once the dead one's lease has expired.
        now_ += kLeaseMs + 1;
        auto next = NewEngine(after ? "gw_next_after" : "gw_next_before");
        next->Start();
        ASSERT_TRUE(WaitState(id, "succeeded"));
        ASSERT_TRUE(WaitFor([&] { return store_->deployments().GetPlanTarget(plan.id)->light == "green"; }))
            << store_->deployments().GetPlanTarget(plan.id)->reason;
        target = *store_->deployments().GetPlanTarget(plan.id);
        EXPECT_TRUE(target.deployed);
        EXPECT_EQ(target.revision, 1);
        EXPECT_EQ(target.document, plan.document);
        EXPECT_EQ(target.reason, "Revision 1 deployed.");
        EXPECT_EQ(fake_.Calls("monitor"), monitors_before + 1) << "a finished step ran again";
        int said = 0;
        for (const auto& e : Load(id).events) said += e.message == "Deploy of revision 1 succeeded.";
        EXPECT_EQ(said, 1) << "the job's end is said once";
        next->Shutdown();
    }
}

TEST_F(DeployEngineTest, AProviderWithoutATargetIsRefusedAndNothingIsQueued) {
    const PlanRecord record = NewPlan("p_gcp");
    plan::Plan parsed = *plan::ParsePlan(record.document).plan;
    parsed.cloud.provider = "gcp";
    auto engine = NewEngine("gw_a");
    const auto job = engine->Deploy(record, parsed);
    EXPECT_EQ(job.outcome, deploy::JobRequest::Outcome::NoTarget);
    EXPECT_NE(job.message.find("\"gcp\""), std::string::npos) << job.message;
    EXPECT_TRUE(store_->deployments().ListDeployments("u_owner", "p_gcp", 10).empty());
}

TEST(SecretBoxTest, SealsWithFreshNoncesAndOpensOnlyForTheSamePlanAndKey) {
    TempDir dir;
    bool created = false;
    std::string error;
    auto box = deploy::SecretBox::LoadOrCreate(dir.path() / "secret.key", created, error);
    ASSERT_TRUE(box) << error;
    EXPECT_TRUE(created);
    struct stat info {};
    ASSERT_EQ(stat((dir.path() / "secret.key").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    EXPECT_EQ(info.st_size, 32);

    const std::string password = deploy::GeneratePassword();
    EXPECT_GE(password.size(), 24u);
    EXPECT_EQ(password.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    EXPECT_NE(password, deploy::GeneratePassword());

    const std::string a = box->Seal(password, "p_one");
    const std::string b = box->Seal(password, "p_one");
    EXPECT_NE(a, b);  // a fresh nonce each time
    EXPECT_EQ(a.find(password), std::string::npos);
    EXPECT_EQ(box->Open(a, "p_one"), password);
    EXPECT_FALSE(box->Open(a, "p_two"));  // bound to its plan
    std::string tampered = a;
    tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(box->Open(tampered, "p_one"));
    EXPECT_FALSE(box->Open("not sealed at all", "p_one"));

    // The same key file on the next start opens it; another key does not.
    auto again = deploy::SecretBox::LoadOrCreate(dir.path() / "secret.key", created, error);
    ASSERT_TRUE(again);
    EXPECT_FALSE(created);
    EXPECT_EQ(again->Open(a, "p_one"), password);
    auto other = deploy::SecretBox::LoadOrCreate(dir.path() / "other.key", created, error);
    EXPECT_FALSE(other->Open(a, "p_one"));

    // A key file others can read, or of the wrong size, is refused with the reason.
    chmod((dir.path() / "other.key").c_str(), 0644);
    EXPECT_FALSE(deploy::SecretBox::LoadOrCreate(dir.path() / "other.key", created, error));
    EXPECT_NE(error.find("chmod 600"), std::string::npos);
    WriteFile(dir.path() / "short.key", "too short");
    chmod((dir.path() / "short.key").c_str(), 0600);
    EXPECT_FALSE(deploy::SecretBox::LoadOrCreate(dir.path() / "short.key", created, error));
    EXPECT_NE(error.find("exactly 32 bytes"), std::string::npos);
}

}  // namespace
}  // namespace gw::test
