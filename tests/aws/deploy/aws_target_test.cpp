// The "aws" deploy target against the AWS test double (tests/aws/double): every request signed and
// checked with an independent SigV4 signer, every template checked by the strict validator and cfn-lint,
// CloudFormation's state machine played out. Deploy, re-deploy with a change, no-change re-deploy,
// rollbacks (create and update) with the first failure's reason, throttling and 5xx retried, destroy,
// idempotency after a lost checkpoint, credentials from env, a profile file and AssumeRole, and the awscli
// from Debian seeing the stack the gateway made. One double for the whole binary (node + the CloudFormation
// spec load once); each test uses its own plan id, so stacks never collide.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include "aws/cloudformation.hpp"
#include "aws/operations.hpp"
#include "aws/s3.hpp"
#include "deploy/aws/aws_target.hpp"
#include "double_process.hpp"
#include "tls_postgres.hpp"
#include "plan/plan.hpp"
#include "plan/transform.hpp"

namespace gw::aws::test {
namespace {

using deploy::Step;
using deploy::StepResult;
using nlohmann::json;

DoubleProcess* g_double = nullptr;

class DoubleEnvironment : public ::testing::Environment {
public:
    void SetUp() override { double_ = std::make_unique<DoubleProcess>(); g_double = double_.get(); }
    void TearDown() override { g_double = nullptr; double_.reset(); }

private:
    std::unique_ptr<DoubleProcess> double_;
};
[[maybe_unused]] auto* const g_env = ::testing::AddGlobalTestEnvironment(new DoubleEnvironment);

Env DoubleEnv() {
    return {{"AWS_ENDPOINT_URL", g_double->url()}, {"AWS_ACCESS_KEY_ID", kDoubleKeyId},
            {"AWS_SECRET_ACCESS_KEY", kDoubleSecret}, {"AWS_EC2_METADATA_DISABLED", "true"},
            {"AWS_REGION", "eu-west-1"}, {"HOME", "/nonexistent"}};
}

deploy::AwsTargetOptions FastOptions(Env env = DoubleEnv()) {
    deploy::AwsTargetOptions o;
    o.env = std::move(env);
    o.poll_initial_ms = 2;
    o.poll_max_ms = 10;
    o.http.sleep = [](std::chrono::milliseconds) {};  // retries without the real backoff sleep
    return o;
}

plan::Plan TestPlan(const std::string& id) {
    plan::Plan p = plan::DefaultPlan("aws test " + id);
    p.id = id;
    p.revision = 1;
    p.cloud.region = "eu-west-1";
    return p;
}

// One deployment's run of the steps, as the engine would drive them (Wait -> run the step again).
struct Deployment {
    deploy::Target& target;
    plan::Plan plan;
    std::string deployment_id;
    json state;
    deploy::Secrets secrets{"s3cret-Passw0rd-for-tests"};
    std::vector<std::pair<std::string, std::string>> events;
    int saves = 0;
    double last_progress = 0;
    std::function<void(const json&)> on_save;  // sees every checkpoint the target asks for
    std::chrono::milliseconds slept{0};        // time spent waiting between polls (not the gateway's work)

    deploy::StepContext Context() {
        return deploy::StepContext{deployment_id, plan.id, "u_owner1", plan, plan.revision, false, secrets, state,
                                   [this](std::string_view level, std::string m) { events.emplace_back(level, std::move(m)); },
                                   [this](double f) { last_progress = f; }, [this] { ++saves; if (on_save) on_save(state); },
                                   [] { return false; }};
    }
    StepResult Drive(deploy::Step step) {
        for (int i = 0; i < 500; ++i) {
            auto ctx = Context();
            StepResult r = target.RunStep(step, ctx);
            if (r.kind != StepResult::Kind::Wait) return r;
            const auto pause = std::chrono::milliseconds(std::min(r.retry_after_ms, 5));
            std::this_thread::sleep_for(pause);
            slept += pause;
        }
        return StepResult::Failed("still waiting after 500 polls");
    }
    // Every step in order; the first that does not finish is returned.
    StepResult All() {
        for (Step s : deploy::kSteps) {
            StepResult r = Drive(s);
            if (r.kind != StepResult::Kind::Done) return r;
        }
        return StepResult::Done();
    }
    StepResult Destroy() {
        for (int i = 0; i < 500; ++i) {
            auto ctx = Context();
            StepResult r = target.Destroy(ctx, true);
            if (r.kind != StepResult::Kind::Wait) return r;
            std::this_thread::sleep_for(std::chrono::milliseconds(std::min(r.retry_after_ms, 5)));
        }
        return StepResult::Failed("still waiting after 500 polls");
    }
    StepResult Backup() {
        for (int i = 0; i < 500; ++i) {
            auto ctx = Context();
            StepResult r = target.Backup(ctx, true);
            if (r.kind != StepResult::Kind::Wait) return r;
            std::this_thread::sleep_for(std::chrono::milliseconds(std::min(r.retry_after_ms, 5)));
        }
        return StepResult::Failed("still waiting after 500 polls");
    }
    bool HasEvent(std::string_view part) const {
        for (const auto& [level, m] : events) {
            if (m.find(part) != std::string::npos) return true;
        }
        return false;
    }
    std::string Events() const {
        std::string out;
        for (const auto& [level, m] : events) out += "  [" + level + "] " + m + "\n";
        return out;
    }
};

json StackOf(const std::string& name) {
    json found;
    const json state = g_double->Control("GET", "state");
    for (const auto& s : state["stacks"]) {
        if (s["name"] == name) found = s;  // the newest with that name
    }
    if (found.is_null()) ADD_FAILURE() << "the double has no stack " << name;
    return found;
}

int CountLog(const std::string& action, int status = 0) {
    int n = 0;
    for (const auto& e : g_double->Control("GET", "log")) {
        if (e["action"] == action && (status == 0 || e["status"] == status)) ++n;
    }
    return n;
}

std::string RunCommand(const std::string& command, int& status) {
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return out;
    char buf[4096];
    for (std::size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
    status = pclose(pipe);
    return out;
}

TEST(AwsTarget, DeploysRedeploysWithAChangeAndDestroys) {
    auto target = deploy::MakeAwsTarget(FastOptions());
    Deployment run{*target, TestPlan("p_deploy1"), "d_first"};
    const std::size_t calls_before = g_double->Control("GET", "log").size();
    const auto started = std::chrono::steady_clock::now();
    StepResult r = run.All();
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    ASSERT_EQ(r.kind, StepResult::Kind::Done) << r.error << "\n" << run.Events();
    {
        // Figures for docs/aws.md: which calls a first deployment makes, and the time outside the polls' waits
        // (the gateway's work plus the double's answers, including its template checks).
        const json log = g_double->Control("GET", "log");
        std::map<std::string, int> by_action;
        double double_ms = 0;
        for (std::size_t i = calls_before; i < log.size(); ++i) {
            ++by_action[log[i]["action"].get<std::string>()];
            double_ms += log[i].value("ms", 0.0);
        }
        std::string summary;
        for (const auto& [a, n] : by_action) summary += " " + a + "=" + std::to_string(n);
        std::cout << "[ figures  ] first deployment: " << (log.size() - calls_before) << " AWS calls (" << summary
                  << " ), " << (took - run.slept).count() << " ms outside poll waits, of which the double answering "
                  << static_cast<int>(double_ms) << " ms (template checks included)\n";
    }

    // The password went to SSM as a SecureString under the name the template reads.
    const json params = g_double->Control("GET", "state")["parameters"];
    const std::string pname = "/cloudsketch/p_deploy1/development/pg-1/app-password";
    ASSERT_TRUE(params.contains(pname)) << params.dump();
    EXPECT_EQ(params[pname]["type"], "SecureString");
    EXPECT_EQ(params[pname]["value"], run.secrets.db_password);
    // ...and never into state or events.
    EXPECT_EQ(run.state.dump().find(run.secrets.db_password), std::string::npos);
    EXPECT_EQ(run.Events().find(run.secrets.db_password), std::string::npos);

    // The change set's changes are kept and shown; stack events became deployment events.
    EXPECT_EQ(run.state["change_set_type"], "CREATE");
    EXPECT_EQ(run.state["changes"].size(), 7u) << run.state["changes"].dump();
    EXPECT_TRUE(run.HasEvent("change: Add Pg1Primary (AWS::EC2::Instance)")) << run.Events();
    EXPECT_TRUE(run.HasEvent("Pg1Primary (AWS::EC2::Instance): CREATE_COMPLETE")) << run.Events();
    EXPECT_TRUE(run.HasEvent("is CREATE_COMPLETE")) << run.Events();
    EXPECT_GT(run.saves, 3);

    // Outputs became the connection details.
    auto info = target->Connection(run.state);
    ASSERT_EQ(info.endpoints.size(), 1u);
    EXPECT_EQ(info.endpoints[0].role, "primary");
    EXPECT_TRUE(info.endpoints[0].host.starts_with("ip-10-0-")) << info.endpoints[0].host;
    EXPECT_TRUE(info.endpoints[0].host.ends_with(".eu-west-1.compute.internal")) << info.endpoints[0].host;
    EXPECT_EQ(info.endpoints[0].port, 5432);
    EXPECT_EQ(info.database, "app");
    const json stack = StackOf("cloudsketch-p-deploy1-development");
    EXPECT_EQ(stack["status"], "CREATE_COMPLETE");
    EXPECT_EQ(stack["params"]["VpcId"], "vpc-0defa17c0ffee0001");
    EXPECT_EQ(stack["params"]["SubnetId"], "subnet-0defa171000000001") << "the first default subnet by zone (a)";

    // Health: stack complete, EC2 status checks ok; impaired instance -> not ok, with the reason.
    {
        auto ctx = run.Context();
        auto h = target->Check(ctx);
        EXPECT_TRUE(h.ok) << h.reason;
        EXPECT_EQ(h.checks["stack_status"], "CREATE_COMPLETE");
        ASSERT_EQ(h.checks["instances"].size(), 1u);
        // The server's private DNS name does not resolve here: reported, and the light stays green.
        ASSERT_EQ(h.checks["postgres"].size(), 1u) << h.checks.dump();
        EXPECT_EQ(h.checks["postgres"][0]["result"], "not reachable from the gateway") << h.checks.dump();
        EXPECT_EQ(h.checks["postgres"][0]["host"], info.endpoints[0].host);
        g_double->Control("POST", "instance", {{"system", "impaired"}});
        auto bad = target->Check(ctx);
        g_double->Control("POST", "instance", {{"system", "ok"}});
        EXPECT_FALSE(bad.ok);
        EXPECT_NE(bad.reason.find("EC2 status check failed"), std::string::npos) << bad.reason;
    }

    // Re-deploy with a change: an UPDATE change set listing what changes; only this update's events.
    Deployment second{*target, run.plan, "d_second", run.state};
    std::get<plan::PostgresSpec>(second.plan.components[1].spec).max_connections = 300;
    second.plan.revision = 2;
    r = second.All();
    ASSERT_EQ(r.kind, StepResult::Kind::Done) << r.error << "\n" << second.Events();
    EXPECT_EQ(second.state["change_set_type"], "UPDATE");
    EXPECT_TRUE(second.HasEvent("change: Modify Pg1Primary")) << second.Events();
    EXPECT_FALSE(second.HasEvent("CREATE_COMPLETE")) << "events of the first deployment were repeated:\n" << second.Events();
    EXPECT_TRUE(second.HasEvent("is UPDATE_COMPLETE")) << second.Events();
    EXPECT_EQ(StackOf("cloudsketch-p-deploy1-development")["status"], "UPDATE_COMPLETE");

    // The same revision again: CloudFormation finds nothing to change; the deployment still succeeds.
    Deployment third{*target, second.plan, "d_third", second.state};
    r = third.All();
    ASSERT_EQ(r.kind, StepResult::Kind::Done) << r.error << "\n" << third.Events();
    EXPECT_TRUE(third.HasEvent("no changes")) << third.Events();
    EXPECT_EQ(target->Connection(third.state).endpoints.size(), 1u);

    // Destroy: stack gone, parameter gone, bucket kept (DeletionPolicy Retain -> DELETE_SKIPPED).
    Deployment destroy{*target, third.plan, "d_destroy", third.state};
    r = destroy.Destroy();
    ASSERT_EQ(r.kind, StepResult::Kind::Done) << r.error << "\n" << destroy.Events();
    EXPECT_EQ(StackOf("cloudsketch-p-deploy1-development")["status"], "DELETE_COMPLETE");
    EXPECT_FALSE(g_double->Control("GET", "state")["parameters"].contains(pname));
    EXPECT_TRUE(destroy.HasEvent("Pg1BackupBucket (AWS::S3::Bucket): DELETE_SKIPPED")) << destroy.Events();
    EXPECT_TRUE(destroy.HasEvent("kept the backup bucket")) << destroy.Events();
    EXPECT_TRUE(target->Connection(destroy.state).endpoints.empty());
    // Destroying again is harmless.
    Deployment again{*target, third.plan, "d_destroy2", destroy.state};
    r = again.Destroy();
    EXPECT_EQ(r.kind, StepResult::Kind::Done) << r.error;
}

TEST(AwsTarget, FailedCreationRollsBackWithTheFirstFailureInPlainWordsThenRetriesCleanly) {
    auto target = deploy::MakeAwsTarget(FastOptions());
    g_double->Control("POST", "fail", {{"logical_id", "Pg1Primary"}, {"on", "create"},
        {"reason", "API: ec2:RunInstances You are not authorized to perform this operation. Encoded authorization failure message: xyz"}});
    Deployment run{*target, TestPlan("p_rollback1"), "d_fail"};
    StepResult r = run.All();
    ASSERT_EQ(r.kind, StepResult::Kind::Failed) << run.Events();
    EXPECT_NE(r.error.find("rolled back"), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("Pg1Primary (AWS::EC2::Instance): not authorized to perform ec2:RunInstances"), std::string::npos) << r.error;
    EXPECT_EQ(r.error.find("cancelled"), std::string::npos) << "a consequence was reported, not the cause: " << r.error;
    EXPECT_EQ(StackOf("cloudsketch-p-rollback1-development")["status"], "ROLLBACK_COMPLETE");

    // Deploying again deletes the rolled-back stack first (CloudFormation cannot update it) and succeeds.
    Deployment retry{*target, run.plan, "d_retry", run.state};
    r = retry.All();
    ASSERT_EQ(r.kind, StepResult::Kind::Done) << r.error << "\n" << retry.Events();
    EXPECT_TRUE(retry.HasEvent("from an earlier failed creation; deleting it first")) << retry.Events();
    EXPECT_EQ(StackOf("cloudsketch-p-rollback1-development")["status"], "CREATE_COMPLETE");
}

TEST(AwsTarget, FailedUpdateLeavesThePreviousVersionAndSaysSo) {
    auto target = deploy::MakeAwsTarget(FastOptions());
    Deployment run{*target, TestPlan("p_updfail1"), "d_one"};
    ASSERT_EQ(run.All().kind, StepResult::Kind::Done) << run.Events();
    const std::string host = target->Connection(run.state).endpoints.at(0).host;

    g_double->Control("POST", "fail", {{"logical_id", "Pg1Primary"}, {"on", "update"},
        {"reason", "Failed to receive 1 resource signal(s) within the specified duration"}});
    Deployment update{*target, run.plan, "d_two", run.state};
    std::get<plan::PostgresSpec>(update.plan.components[1].spec).max_connections = 250;
    update.plan.revision = 2;
    StepResult r = update.All();
    ASSERT_EQ(r.kind, StepResult::Kind::Failed) << update.Events();
    EXPECT_NE(r.error.find("previous version is still running (UPDATE_ROLLBACK_COMPLETE)"), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("timed out waiting for PostgreSQL to signal"), std::string::npos) << r.error;
    EXPECT_EQ(StackOf("cloudsketch-p-updfail1-development")["status"], "UPDATE_ROLLBACK_COMPLETE");
    // The old server still answers: health is fine and the connection details are unchanged.
    auto ctx = update.Context();
    auto h = target->Check(ctx);
    EXPECT_TRUE(h.ok) << h.reason;
    EXPECT_EQ(target->Connection(update.state).endpoints.at(0).host, host);
}

TEST(AwsTarget, ThrottlingAndServerErrorsAreRetried) {
    auto target = deploy::MakeAwsTarget(FastOptions());
    const int before_cs = CountLog("CreateChangeSet", 400);
    const int before_ds = CountLog("DescribeStacks", 500);
    g_double->Control("POST", "fault", {{"action", "CreateChangeSet"}, {"kind", "throttle"}, {"count", 2}});
    g_double->Control("POST", "fault", {{"action", "DescribeStacks"}, {"kind", "http500"}, {"count", 1}});
    g_double->Control("POST", "fault", {{"action", "PutParameter"}, {"kind", "throttle"}, {"count", 1}});
    Deployment run{*target, TestPlan("p_throttle1"), "d_thr"};
    StepResult r = run.All();
    ASSERT_EQ(r.kind, StepResult::Kind::Done) << r.error << "\n" << run.Events();
    EXPECT_EQ(CountLog("CreateChangeSet", 400) - before_cs, 2) << "both throttled attempts reached the double";
    EXPECT_EQ(CountLog("DescribeStacks", 500) - before_ds, 1);
    // Throttled beyond the client's 3 attempts: the step waits and runs again instead of failing.
    g_double->Control("POST", "fault", {{"action", "DescribeStacks"}, {"kind", "throttle"}, {"count", 4}});
    auto ctx = run.Context();
    r = target->RunStep(Step::Verify, ctx);
    EXPECT_EQ(r.kind, StepResult::Kind::Wait);
    EXPECT_TRUE(run.HasEvent("Throttling")) << run.Events();
    EXPECT_EQ(run.Drive(Step::Verify).kind, StepResult::Kind::Done);
}

TEST(AwsTarget, LostCheckpointAfterCreateChangeSetReusesTheChangeSet) {
    auto target = deploy::MakeAwsTarget(FastOptions());
    Deployment run{*target, TestPlan("p_idem1"), "d_idem"};
    ASSERT_EQ(run.Drive(Step::Render).kind, StepResult::Kind::Done);
    // Provision until the change set exists, then forget everything after the validate checkpoint, as if
    // the gateway were killed (kill -9) before storing the change set id.
    const int created_before = CountLog("CreateChangeSet", 200);
    json checkpoint;
    run.on_save = [&](const json& saved) {
        if (saved.value("phase", "") == "change_set") checkpoint = saved;
    };
    for (int i = 0; i < 50 && run.state.value("phase", "") != "describe" && run.state.value("phase", "") != "executed"; ++i) {
        auto ctx = run.Context();
        target->RunStep(Step::Provision, ctx);
    }
    ASSERT_EQ(CountLog("CreateChangeSet", 200) - created_before, 1);
    ASSERT_FALSE(checkpoint.is_null());
    run.state = checkpoint;
    Deployment resumed{*target, run.plan, "d_idem", checkpoint};
    StepResult r = resumed.All();
    ASSERT_EQ(r.kind, StepResult::Kind::Done) << r.error << "\n" << resumed.Events();
    EXPECT_EQ(CountLog("CreateChangeSet", 200) - created_before, 1) << "a second change set was created";
    EXPECT_EQ(StackOf("cloudsketch-p-idem1-development")["status"], "CREATE_COMPLETE");
}

TEST(AwsTarget, CredentialsFromAProfileFile) {
    const auto dir = std::filesystem::temp_directory_path() / ("cs-aws-profile-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "credentials") << "[default]\naws_access_key_id = AKIDNOTKNOWN\naws_secret_access_key = x\n\n"
                                       << "[deploy]\naws_access_key_id = " << kProfileKeyId
                                       << "\naws_secret_access_key = " << kProfileSecret << "\n";
    Env env = {{"AWS_ENDPOINT_URL", g_double->url()}, {"AWS_EC2_METADATA_DISABLED", "true"},
               {"AWS_SHARED_CREDENTIALS_FILE", (dir / "credentials").string()},
               {"AWS_CONFIG_FILE", (dir / "config").string()}, {"AWS_PROFILE", "deploy"}};
    auto target = deploy::MakeAwsTarget(FastOptions(env));
    Deployment run{*target, TestPlan("p_profile1"), "d_prof"};
    StepResult r = run.All();
    std::filesystem::remove_all(dir);
    ASSERT_EQ(r.kind, StepResult::Kind::Done) << r.error << "\n" << run.Events();
    int with_profile_key = 0;
    for (const auto& e : g_double->Control("GET", "log")) with_profile_key += e["access_key_id"] == kProfileKeyId;
    EXPECT_GT(with_profile_key, 5);
}

TEST(AwsTarget, PerUserRoleThroughAssumeRoleWithTheUsersExternalId) {
    const std::string arn = "arn:aws:iam::123456789012:role/cloudsketch-deployer-u1";
    g_double->Control("POST", "role", {{"arn", arn}, {"external_id", "cs-ext-u_owner1-8f3a"}});
    auto options = FastOptions();
    options.user_role = [&](std::string_view owner) -> std::optional<deploy::AwsUserRole> {
        if (owner == "u_owner1") return deploy::AwsUserRole{arn, "cs-ext-u_owner1-8f3a"};
        return std::nullopt;
    };
    auto target = deploy::MakeAwsTarget(options);
    const int assumed_before = CountLog("AssumeRole", 200);
    Deployment run{*target, TestPlan("p_role1"), "d_role"};
    StepResult r = run.All();
    ASSERT_EQ(r.kind, StepResult::Kind::Done) << r.error << "\n" << run.Events();
    EXPECT_EQ(CountLog("AssumeRole", 200) - assumed_before, 1) << "temporary credentials are cached";
    const json log = g_double->Control("GET", "log");
    int temporary = 0;
    for (const auto& e : log) temporary += e["action"] == "CreateChangeSet" && e["access_key_id"].get<std::string>().starts_with("ASIA");
    EXPECT_EQ(temporary, 1) << "the stack was made with the role's credentials";

    // Another user's ExternalId does not open this role.
    auto wrong = FastOptions();
    wrong.user_role = [&](std::string_view) { return std::optional<deploy::AwsUserRole>({arn, "cs-ext-someone-else"}); };
    auto target2 = deploy::MakeAwsTarget(wrong);
    Deployment denied{*target2, TestPlan("p_role2"), "d_denied"};
    ASSERT_EQ(denied.Drive(Step::Render).kind, StepResult::Kind::Done);
    r = denied.Drive(Step::Provision);
    ASSERT_EQ(r.kind, StepResult::Kind::Failed);
    EXPECT_NE(r.error.find("AccessDenied"), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("sts:AssumeRole"), std::string::npos) << r.error;
}

TEST(AwsTarget, WrongSecretIsRejectedBySignatureCheck) {
    Env env = DoubleEnv();
    env["AWS_SECRET_ACCESS_KEY"] = "not-the-secret-the-double-knows-000000000";
    auto target = deploy::MakeAwsTarget(FastOptions(env));
    Deployment run{*target, TestPlan("p_badsig1"), "d_badsig"};
    ASSERT_EQ(run.Drive(Step::Render).kind, StepResult::Kind::Done);
    StepResult r = run.Drive(Step::Provision);
    ASSERT_EQ(r.kind, StepResult::Kind::Failed);
    EXPECT_NE(r.error.find("The request signature we calculated does not match"), std::string::npos) << r.error;
    EXPECT_EQ(r.error.find("not-the-secret"), std::string::npos) << "a secret leaked into an error";
}

TEST(AwsTarget, AwsCliSeesTheStackTheGatewayMade) {
    if (!std::filesystem::exists("/usr/bin/aws")) {
        GTEST_SKIP() << "Debian's awscli is not installed (scripts/deps installs it): /usr/bin/aws missing";
    }
    auto target = deploy::MakeAwsTarget(FastOptions());
    Deployment run{*target, TestPlan("p_cli1"), "d_cli"};
    ASSERT_EQ(run.All().kind, StepResult::Kind::Done) << run.Events();
    const std::string command =
        std::string("env -i PATH=/usr/bin:/bin HOME=/nonexistent AWS_EC2_METADATA_DISABLED=true AWS_ACCESS_KEY_ID=") +
        kDoubleKeyId + " AWS_SECRET_ACCESS_KEY=" + kDoubleSecret +
        " AWS_DEFAULT_REGION=eu-west-1 /usr/bin/aws --endpoint-url " + g_double->url() +
        " --output json cloudformation describe-stacks --stack-name cloudsketch-p-cli1-development 2>&1";
    int status = 0;
    const std::string out = RunCommand(command, status);
    ASSERT_EQ(status, 0) << out;
    const json j = json::parse(out, nullptr, false);
    ASSERT_TRUE(j.is_object()) << out;
    const json& s = j["Stacks"][0];
    EXPECT_EQ(s["StackName"], "cloudsketch-p-cli1-development");
    EXPECT_EQ(s["StackId"], run.state["stack_id"]);
    EXPECT_EQ(s["StackStatus"], "CREATE_COMPLETE");
    std::string endpoint;
    for (const auto& o : s["Outputs"]) {
        if (o["OutputKey"] == "Pg1Endpoint") endpoint = o["OutputValue"];
    }
    EXPECT_EQ(endpoint, target->Connection(run.state).endpoints.at(0).host);
}

TEST(AwsTarget, DriftDetectionOnRequest) {
    auto target = deploy::MakeAwsTarget(FastOptions());
    Deployment run{*target, TestPlan("p_drift1"), "d_drift"};
    ASSERT_EQ(run.All().kind, StepResult::Kind::Done) << run.Events();
    HttpClient http;
    CallContext ctx{&http, {}, "eu-west-1", DoubleEnv(), SystemNow};
    ctx.credentials.access_key_id = kDoubleKeyId;
    ctx.credentials.secret_access_key = SecretString(kDoubleSecret);
    auto id = cfn::DetectStackDrift(ctx, run.state["stack_id"]);
    ASSERT_TRUE(id) << id.error().message;
    cfn::DriftStatus s;
    for (int i = 0; i < 10; ++i) {
        auto st = cfn::DescribeStackDriftDetectionStatus(ctx, *id);
        ASSERT_TRUE(st) << st.error().message;
        s = *st;
        if (s.detection_status != "DETECTION_IN_PROGRESS") break;
    }
    EXPECT_EQ(s.detection_status, "DETECTION_COMPLETE");
    EXPECT_EQ(s.drift_status, "IN_SYNC");
}

TEST(AwsTarget, OnDemandBackupRunsTheInstancesBackupScriptThroughSsmRunCommand) {
    auto target = deploy::MakeAwsTarget(FastOptions());
    Deployment run{*target, TestPlan("p_backup1"), "d_bk"};
    ASSERT_EQ(run.All().kind, StepResult::Kind::Done) << run.Events();
    const std::string primary = run.state["backup_instance_ids"].at(0);
    Deployment backup{*target, run.plan, "d_bk_now", run.state};
    StepResult r = backup.Backup();
    ASSERT_EQ(r.kind, StepResult::Kind::Done) << r.error << "\n" << backup.Events();
    bool ran = false;
    const json commands = g_double->Control("GET", "state")["commands"];
    for (const auto& [id, c] : commands.items()) {
        ran = ran || (c["instances"] == json::array({primary}) && c["commands"] == json::array({"/usr/local/bin/cloudsketch-backup"}));
    }
    EXPECT_TRUE(ran) << "the backup script was not run on the primary " << primary << ": " << commands.dump();
    EXPECT_TRUE(backup.HasEvent("backup finished")) << backup.Events();
    // The deployment's own memory survives a backup job.
    EXPECT_EQ(target->Connection(backup.state).endpoints.size(), 1u);

    // The script fails on the server: its stderr is the reason.
    g_double->Control("POST", "ssm", {{"fail", "pg_basebackup: error: could not write to file: No space left on device"}});
    Deployment failing{*target, run.plan, "d_bk_fail", backup.state};
    r = failing.Backup();
    g_double->Control("POST", "ssm", {{"fail", ""}});
    ASSERT_EQ(r.kind, StepResult::Kind::Failed) << failing.Events();
    EXPECT_NE(r.error.find("No space left on device"), std::string::npos) << r.error;

    // Servers Systems Manager does not manage: said plainly, with what to turn on.
    g_double->Control("POST", "ssm", {{"managed", false}});
    Deployment unmanaged{*target, run.plan, "d_bk_unmanaged", failing.state};
    r = unmanaged.Backup();
    g_double->Control("POST", "ssm", {{"managed", true}});
    ASSERT_EQ(r.kind, StepResult::Kind::Failed);
    EXPECT_NE(r.error.find("needs the SSM agent"), std::string::npos) << r.error;
}

// `databases` VMs each hosting one PostgreSQL: enough of them make a template over 51,200 bytes.
plan::Plan ManyDatabases(const std::string& id, int databases) {
    plan::Plan p = TestPlan(id);
    const plan::Component vm = p.components[0], pg = p.components[1];
    p.components.clear();
    for (int i = 0; i < databases; ++i) {
        plan::Component v = vm, d = pg;
        v.id = "vm-" + std::to_string(i);
        d.id = "pg-" + std::to_string(i);
        std::get<plan::PostgresSpec>(d.spec).host = v.id;
        p.components.push_back(v);
        p.components.push_back(d);
    }
    return p;
}

std::size_t TemplateBytes(const plan::Plan& p) {
    return plan::Transform(p, plan::Target::AwsCloudFormation).documents.at(0).text.size();
}

deploy::AwsTargetOptions WithRole(const std::string& arn, const std::string& external_id) {
    g_double->Control("POST", "role", {{"arn", arn}, {"external_id", external_id}});
    auto o = FastOptions();
    o.user_role = [=](std::string_view) { return std::optional<deploy::AwsUserRole>({arn, external_id}); };
    return o;
}

TEST(AwsTarget, TemplateOver51200BytesIsStagedInS3AndReadByTemplateUrl) {
    const plan::Plan big = ManyDatabases("p_large1", 4);
    ASSERT_GT(TemplateBytes(big), cfn::kMaxTemplateBodyBytes) << "the test plan must need S3";
    auto target = deploy::MakeAwsTarget(WithRole("arn:aws:iam::210987654321:role/cloudsketch-deployer", "cs-ext-large"));
    const int created_before = CountLog("CreateBucket", 200), put_before = CountLog("PutObject", 200),
              deleted_before = CountLog("DeleteObject", 204);
    Deployment run{*target, big, "d_large"};
    StepResult r = run.All();
    ASSERT_EQ(r.kind, StepResult::Kind::Done) << r.error << "\n" << run.Events();

    // CloudFormation (the double) read the template from S3 by URL, from a bucket of the role's account in
    // the plan's region, created on first use; the object is gone once the change set ran.
    const std::string bucket = "cloudsketch-templates-210987654321-eu-west-1";
    const json state = g_double->Control("GET", "state");
    const std::string url = g_double->url() + "/" + bucket + "/templates/p_large1/d_large.json";
    int reads = 0;
    for (const auto& u : state["template_urls"]) reads += u == url;
    EXPECT_EQ(reads, 2) << "ValidateTemplate and CreateChangeSet both by TemplateURL: " << state["template_urls"].dump();
    ASSERT_TRUE(state["buckets"].contains(bucket)) << state["buckets"].dump();
    EXPECT_EQ(state["buckets"][bucket]["owner"], "210987654321");
    EXPECT_EQ(state["buckets"][bucket]["region"], "eu-west-1");
    EXPECT_TRUE(state["buckets"][bucket]["objects"].empty()) << "the staged template was not removed";
    EXPECT_EQ(CountLog("CreateBucket", 200) - created_before, 1);
    EXPECT_EQ(CountLog("PutObject", 200) - put_before, 1);
    EXPECT_EQ(CountLog("DeleteObject", 204) - deleted_before, 1);
    EXPECT_FALSE(run.state.contains("staged_template"));
    EXPECT_TRUE(run.HasEvent("staged at s3://" + bucket)) << run.Events();
    const json stack = StackOf("cloudsketch-p-large1-development");
    EXPECT_EQ(stack["status"], "CREATE_COMPLETE");
    EXPECT_EQ(stack["resources"].size(), 4u * 7u);
    EXPECT_EQ(target->Connection(run.state).endpoints.size(), 4u);

    // A re-deploy with a change reuses the bucket (no second CreateBucket) and stages a new object.
    Deployment second{*target, run.plan, "d_large2", run.state};
    std::get<plan::PostgresSpec>(second.plan.components[1].spec).max_connections = 300;
    second.plan.revision = 2;
    r = second.All();
    ASSERT_EQ(r.kind, StepResult::Kind::Done) << r.error << "\n" << second.Events();
    EXPECT_EQ(CountLog("CreateBucket", 200) - created_before, 1);
    EXPECT_EQ(CountLog("PutObject", 200) - put_before, 2);
    EXPECT_TRUE(g_double->Control("GET", "state")["buckets"][bucket]["objects"].empty());
    EXPECT_EQ(StackOf("cloudsketch-p-large1-development")["status"], "UPDATE_COMPLETE");
}

TEST(AwsTarget, LargeTemplateWithoutAStagingBucketOrWithASquattedNameFailsWithTheFix) {
    const plan::Plan big = ManyDatabases("p_large2", 4);
    // The gateway's own credentials and no CS_AWS_TEMPLATE_BUCKET: nowhere to stage.
    auto plain = deploy::MakeAwsTarget(FastOptions());
    Deployment run{*plain, big, "d_nobucket"};
    StepResult r = run.All();
    ASSERT_EQ(r.kind, StepResult::Kind::Failed) << run.Events();
    EXPECT_NE(r.error.find("above the 51,200 bytes"), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("CS_AWS_TEMPLATE_BUCKET"), std::string::npos) << r.error;

    // Another account already owns the per-account bucket name: S3 refuses the write (expected bucket owner).
    HttpClient http;
    CallContext other{&http, {}, "eu-west-1", DoubleEnv(), SystemNow};
    other.credentials.access_key_id = kDoubleKeyId;
    other.credentials.secret_access_key = SecretString(kDoubleSecret);
    ASSERT_TRUE(s3::CreateBucket(other, "cloudsketch-templates-333333333333-eu-west-1"));
    auto target = deploy::MakeAwsTarget(WithRole("arn:aws:iam::333333333333:role/cloudsketch-deployer", "cs-ext-squat"));
    Deployment squatted{*target, ManyDatabases("p_large3", 4), "d_squat"};
    r = squatted.All();
    ASSERT_EQ(r.kind, StepResult::Kind::Failed) << squatted.Events();
    EXPECT_NE(r.error.find("another AWS account owns the bucket name"), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("AccessDenied"), std::string::npos) << r.error;
    EXPECT_EQ(g_double->Control("GET", "state")["buckets"]["cloudsketch-templates-333333333333-eu-west-1"]["objects"].size(), 0u)
        << "the template went into another account's bucket";
}

// No end path leaves a staged template in S3: CloudFormation rejecting the template, a change set that cannot
// be made, a gateway killed mid-upload that resumes, a deployment given up half-way (the next one removes its
// object), and a rollback. New staging buckets expire what is left anyway (the lifecycle rule S3 checks).
TEST(AwsTarget, StagedTemplatesAreRemovedOnEveryEndPathAndTheBucketExpiresThem) {
    static int round = 0;  // a fresh account (so a new bucket) and plan on every run against the same double
    const std::string n = std::to_string(10 + ++round);
    const std::string account = "4444555566" + n, bucket = "cloudsketch-templates-" + account + "-eu-west-1";
    const std::string plan_id = "p_unstage" + n, key = "templates/" + plan_id + "/";
    auto options = WithRole("arn:aws:iam::" + account + ":role/cloudsketch-deployer", "cs-ext-unstage");
    auto target = deploy::MakeAwsTarget(options);
    auto objects = [&] { return g_double->Control("GET", "state")["buckets"][bucket]["objects"]; };
    const int rules_before = CountLog("PutBucketLifecycleConfiguration", 200);

    // CloudFormation rejects the template (not retryable): the object goes; the new bucket got its rule.
    g_double->Control("POST", "fault", {{"action", "ValidateTemplate"}, {"kind", "error"}, {"code", "ValidationError"},
                                        {"message", "Template format error: the test double says no"}});
    Deployment rejected{*target, ManyDatabases(plan_id, 4), "d_rejected"};
    StepResult r = rejected.All();
    ASSERT_EQ(r.kind, StepResult::Kind::Failed) << rejected.Events();
    EXPECT_NE(r.error.find("the test double says no"), std::string::npos) << r.error;
    EXPECT_TRUE(objects().empty()) << objects().dump();
    EXPECT_TRUE(rejected.HasEvent("removed the staged template s3://" + bucket + "/" + key + "d_rejected.json")) << rejected.Events();
    EXPECT_FALSE(rejected.state.contains("staged_template"));
    const json rules = g_double->Control("GET", "state")["buckets"][bucket]["lifecycle"];
    ASSERT_EQ(rules.size(), 1u) << rules.dump();
    EXPECT_EQ(rules[0]["status"], "Enabled");
    EXPECT_EQ(rules[0]["prefix"], "templates/");
    EXPECT_EQ(rules[0]["expiration_days"], 1);
    EXPECT_EQ(CountLog("PutBucketLifecycleConfiguration", 200) - rules_before, 1);

    // The change set cannot be made: removed too.
    g_double->Control("POST", "fault", {{"action", "CreateChangeSet"}, {"kind", "error"},
                                        {"code", "InsufficientCapabilitiesException"},
                                        {"message", "Requires capabilities : [CAPABILITY_NAMED_IAM]"}});
    Deployment refused{*target, rejected.plan, "d_refused", rejected.state};
    r = refused.All();
    ASSERT_EQ(r.kind, StepResult::Kind::Failed) << refused.Events();
    EXPECT_NE(r.error.find("CAPABILITY_NAMED_IAM"), std::string::npos) << r.error;
    EXPECT_TRUE(objects().empty()) << objects().dump();

    // Killed during the upload: the checkpoint taken before PutObject names the object; a restarted gateway (a new
    // target) resumes from it, deploys, and removes the object.
    json checkpoint;
    Deployment killed{*target, rejected.plan, "d_killed", refused.state};
    killed.on_save = [&](const json& saved) {
        if (checkpoint.is_null() && saved.contains("staged_template")) checkpoint = saved;
    };
    ASSERT_EQ(killed.Drive(Step::Render).kind, StepResult::Kind::Done);
    // CloudFormation answers 500 to all three attempts: the step stops after the upload, to be run again.
    g_double->Control("POST", "fault", {{"action", "ValidateTemplate"}, {"kind", "http500"}, {"count", 3}});
    {
        auto ctx = killed.Context();
        ASSERT_EQ(target->RunStep(Step::Provision, ctx).kind, StepResult::Kind::Wait) << killed.Events();
    }
    ASSERT_FALSE(checkpoint.is_null()) << killed.Events();
    EXPECT_EQ(checkpoint["staged_template"]["key"], key + "d_killed.json");
    EXPECT_EQ(objects(), json::array({key + "d_killed.json"})) << killed.Events();
    auto restarted = deploy::MakeAwsTarget(options);
    Deployment resumed{*restarted, rejected.plan, "d_killed", checkpoint};
    r = resumed.All();
    ASSERT_EQ(r.kind, StepResult::Kind::Done) << r.error << "\n" << resumed.Events();
    EXPECT_TRUE(objects().empty()) << objects().dump();

    // Given up half-way (staged, never validated): the next deployment of the plan removes its object,
    // and a rollback removes that deployment's own.
    Deployment ghost{*restarted, rejected.plan, "d_ghost", resumed.state};
    std::get<plan::PostgresSpec>(ghost.plan.components[1].spec).max_connections = 222;
    ghost.plan.revision = 2;
    ASSERT_EQ(ghost.Drive(Step::Render).kind, StepResult::Kind::Done);
    g_double->Control("POST", "fault", {{"action", "ValidateTemplate"}, {"kind", "http500"}, {"count", 3}});
    {
        auto ctx = ghost.Context();
        ASSERT_EQ(restarted->RunStep(Step::Provision, ctx).kind, StepResult::Kind::Wait) << ghost.Events();
    }
    ASSERT_EQ(ghost.state["phase"], "validate") << ghost.state.dump();
    ASSERT_EQ(objects(), json::array({key + "d_ghost.json"})) << ghost.Events();
    g_double->Control("POST", "fail", {{"logical_id", "Pg0Primary"}, {"on", "update"}, {"reason", "the test double fails this update"}});
    Deployment next{*restarted, ghost.plan, "d_next", ghost.state};
    std::get<plan::PostgresSpec>(next.plan.components[1].spec).max_connections = 333;
    next.plan.revision = 3;
    r = next.All();
    ASSERT_EQ(r.kind, StepResult::Kind::Failed) << next.Events();
    EXPECT_NE(r.error.find("rolled back"), std::string::npos) << r.error;
    EXPECT_TRUE(next.HasEvent("removed the staged template s3://" + bucket + "/" + key + "d_ghost.json")) << next.Events();
    EXPECT_TRUE(objects().empty()) << objects().dump();
    EXPECT_FALSE(next.state.contains("staged_leftovers"));
}

// Lines of the server's log that record the monitor's logins (log_connections is on).
int MonitorLogins(const TlsPostgresForTest& pg, std::string_view with) {
    int n = 0;
    std::istringstream in(pg.Log());
    for (std::string line; std::getline(in, line);) {
        n += line.find("connection authorized: user=app database=app application_name=cloudsketch-monitor") != std::string::npos &&
             line.find(with) != std::string::npos;
    }
    return n;
}

// The monitor's PostgreSQL check against a real server: the stack's Outputs (the double's) point at a local
// Debian PostgreSQL with TLS on and the plan's role and password.
TEST(AwsTarget, MonitorLogsIntoPostgresOverTlsAndSaysWhyNot) {
    const std::string password = "pg 'check' \\ Passw0rd";  // quotes, backslash, spaces: libpq takes it as a value
    TlsPostgresForTest pg("app", password);
    auto target = deploy::MakeAwsTarget(FastOptions());
    Deployment deployed{*target, TestPlan("p_pgcheck1"), "d_pg"};
    deployed.secrets.db_password = password;
    ASSERT_EQ(deployed.All().kind, StepResult::Kind::Done) << deployed.Events();
    g_double->Control("POST", "outputs", {{"stack", "cloudsketch-p-pgcheck1-development"},
                                          {"values", {{"Pg1Endpoint", "127.0.0.1"}, {"Pg1Port", std::to_string(pg.port())}}}});
    ASSERT_EQ(deployed.Drive(Step::Verify).kind, StepResult::Kind::Done) << deployed.Events();
    ASSERT_EQ(target->Connection(deployed.state).endpoints.at(0).port, pg.port());

    // Green: the application role logged in over TLS with the stored password and SELECT 1 answered.
    auto ctx = deployed.Context();
    auto h = target->Check(ctx);
    ASSERT_EQ(h.checks["postgres"].size(), 1u) << h.checks.dump();
    EXPECT_EQ(h.checks["postgres"][0]["result"], "ok") << h.checks.dump();
    EXPECT_TRUE(h.ok) << h.reason;
    EXPECT_EQ(MonitorLogins(pg, "SSL enabled"), 1) << "the server did not see one TLS login:\n" << pg.Log();

    // Red on a wrong password, with PostgreSQL's reason and never the password.
    deployed.secrets.db_password = "Wr0ng-password-for-the-check";
    auto wrong_ctx = deployed.Context();
    auto wrong = target->Check(wrong_ctx);
    EXPECT_FALSE(wrong.ok);
    EXPECT_EQ(wrong.checks["postgres"][0]["result"], "failed") << wrong.checks.dump();
    EXPECT_NE(wrong.reason.find("password authentication failed for user \"app\""), std::string::npos) << wrong.reason;
    EXPECT_NE(wrong.reason.find("127.0.0.1:" + std::to_string(pg.port())), std::string::npos) << wrong.reason;
    for (const std::string& secret : {deployed.secrets.db_password, password}) {
        EXPECT_EQ(wrong.reason.find(secret), std::string::npos) << "the password leaked into the reason";
        EXPECT_EQ(wrong.checks.dump().find(secret), std::string::npos) << "the password leaked into the checks";
    }
    deployed.secrets.db_password = password;

    // Red when the server does not offer TLS: the password is not sent in clear, so no login happens at all.
    pg.SetSsl(false);
    const int logins_before = MonitorLogins(pg, "");
    auto plain_ctx = deployed.Context();
    auto plain = target->Check(plain_ctx);
    EXPECT_FALSE(plain.ok);
    EXPECT_EQ(plain.checks["postgres"][0]["result"], "failed") << "a server refusing TLS is not 'unreachable': "
                                                               << plain.checks.dump();
    EXPECT_NE(plain.reason.find("does not offer TLS"), std::string::npos) << plain.reason;
    EXPECT_EQ(plain.reason.find(password), std::string::npos);
    EXPECT_EQ(MonitorLogins(pg, ""), logins_before) << "the monitor logged in without TLS:\n" << pg.Log();

    // Nothing listening: "not reachable from the gateway", and the light stays green (EC2's checks pass).
    const int fd = socket(AF_INET, SOCK_STREAM, 0);  // bound, never listening: connections to it are refused
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    g_double->Control("POST", "outputs", {{"stack", "cloudsketch-p-pgcheck1-development"},
                                          {"values", {{"Pg1Port", std::to_string(ntohs(a.sin_port))}}}});
    ASSERT_EQ(deployed.Drive(Step::Verify).kind, StepResult::Kind::Done) << deployed.Events();
    auto gone_ctx = deployed.Context();
    auto gone = target->Check(gone_ctx);
    close(fd);
    EXPECT_EQ(gone.checks["postgres"][0]["result"], "not reachable from the gateway") << gone.checks.dump();
    EXPECT_TRUE(gone.ok) << gone.reason;
}

// Runs last (gtest runs tests in file order): everything the target asked AWS for is in the operation table
// that docs/aws.md's policy is checked against.
TEST(AwsTarget, EveryCallMadeIsInTheOperationTable) {
    std::set<std::string> known;
    for (const auto& op : AllOperations()) known.insert(std::string(op.iam_action));
    std::set<std::string> called;
    for (const auto& e : g_double->Control("GET", "log")) called.insert(e["iam_action"].get<std::string>());
    ASSERT_GT(called.size(), 8u);
    for (const auto& a : called) EXPECT_TRUE(known.contains(a)) << a << " was called but is not in AllOperations()";
}

}  // namespace
}  // namespace gw::aws::test
