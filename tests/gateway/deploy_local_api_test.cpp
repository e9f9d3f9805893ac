// The deployment API over the REAL local target (Debian's PostgreSQL) in an in-process gateway, for what
// only the HTTP API shows: a deployment whose PostgreSQL cannot start because its port is taken goes red
// with that reason, and a redeploy once the port is free turns it green; requests without a body
// (curl -X POST, no -d) are answered instead of hanging into a bare 400; a desktop-workload plan
// (PGTune's minimal WAL) still takes its base backup; a backup the plan's schedule makes due turns the
// light orange ("Backing up.") and back to green, like "Back up now"; and a stopped server's port stays
// its own across two gateway runs.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <functional>

#include "deploy/local/local_target.hpp"
#include "deploy/local/port_lock.hpp"
#include "gateway_fixture.hpp"

namespace gw::test {
namespace {

// A listening socket on 127.0.0.1:port, closed on destruction: "someone else" holding the port.
class PortHolder {
public:
    explicit PortHolder(int port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ok_ = bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 && listen(fd_, 1) == 0;
    }
    ~PortHolder() { Close(); }
    void Close() {
        if (fd_ >= 0) close(fd_);
        fd_ = -1;
    }
    bool ok() const { return ok_; }

private:
    int fd_;
    bool ok_ = false;
};

// The real local target, wrapped so that the test can act at two moments: take the port the provision
// step reserved before the configure step starts the server (the moment another program could take it),
// and hold a backup until the test has seen the light it gives. Everything else is the real target's.
class LocalTargetWithHooksTestDouble final : public deploy::Target {
public:
    explicit LocalTargetWithHooksTestDouble(std::unique_ptr<deploy::Target> real) : real_(std::move(real)) {}
    std::string_view Name() const override { return real_->Name(); }
    deploy::StepResult RunStep(deploy::Step step, deploy::StepContext& ctx) override {
        deploy::StepResult r = real_->RunStep(step, ctx);
        if (step == deploy::Step::Provision && take_next_ && r.kind == deploy::StepResult::Kind::Done) {
            take_next_ = false;
            const auto info = real_->Connection(ctx.state);
            if (!info.endpoints.empty()) holder_ = std::make_unique<PortHolder>(info.endpoints[0].port);
        }
        return r;
    }
    deploy::Health Check(deploy::StepContext& ctx) override { return real_->Check(ctx); }
    deploy::StepResult Backup(deploy::StepContext& ctx, bool validate) override {
        ++backups_started_;
        while (hold_backups_) {
            if (ctx.should_stop()) return deploy::StepResult::Interrupted();
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return real_->Backup(ctx, validate);
    }
    deploy::StepResult Destroy(deploy::StepContext& ctx, bool final_backup) override {
        return real_->Destroy(ctx, final_backup);
    }
    std::vector<std::string> Adopt(const std::string& plan_id, const nlohmann::json& state) override {
        return real_->Adopt(plan_id, state);
    }
    deploy::ConnectionInfo Connection(const nlohmann::json& state) const override { return real_->Connection(state); }

    void TakeThePortAfterTheNextProvision() { take_next_ = true; }
    bool Holding() const { return holder_ && holder_->ok(); }
    void FreeThePort() { holder_.reset(); }
    void HoldBackups(bool hold) { hold_backups_ = hold; }
    int BackupsStarted() const { return backups_started_; }

private:
    std::unique_ptr<deploy::Target> real_;
    std::atomic<bool> take_next_{false};
    std::unique_ptr<PortHolder> holder_;
    std::atomic<bool> hold_backups_{false};
    std::atomic<int> backups_started_{0};
};

class DeployLocalApiTest : public GatewayTest {
protected:
    void Configure(Config& config) override {
        config.default_provider = "local";
        // PostgreSQL's user (postgres, when the tests run as root) walks down to data/local.
        ::chmod(data_.path().c_str(), 0711);
    }
    void RegisterTargets(deploy::Engine& engine) override {
        deploy::LocalTargetOptions options;
        options.root = (data_.path() / "data" / "local").string();
        // Ports of its own (31000-31999), apart from the LocalTargetTest blocks (29000-30999) and the
        // port-lock test (28000-28399), and below the ephemeral range (32768-60999): a connection's local
        // port there would make a port of the block unbindable for a moment.
        options.port_first = 31000 + static_cast<int>(getpid() % 100) * 10;
        options.port_last = options.port_first + 9;
        auto wrapped = std::make_unique<LocalTargetWithHooksTestDouble>(deploy::MakeLocalTarget(options));
        target_ = wrapped.get();
        engine.Register(std::move(wrapped));
    }
    void TearDown() override {
        GatewayTest::TearDown();
        // Whatever a failed test left running under the data folder: stopped by the PID in postmaster.pid.
        std::error_code ec;
        for (auto it = std::filesystem::recursive_directory_iterator(data_.path(), ec);
             it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
            if (it->path().filename() != "postmaster.pid") continue;
            std::ifstream in(it->path());
            pid_t pid = 0;
            if (in >> pid && pid > 0) kill(pid, SIGQUIT);
        }
    }

    // A new default plan (provider local, from default_provider); `workload` replaces its postgres workload.
    std::string NewPlan(const std::string& token, const std::string& workload = "") {
        if (workload.empty()) return NewPlanWith(token, nullptr);
        return NewPlanWith(token, [&](json& postgres) { postgres["workload"] = workload; });
    }
    // A new default plan whose postgres component `edit` changes (saved with PUT as the editor would).
    std::string NewPlanWith(const std::string& token, const std::function<void(json& postgres)>& edit) {
        auto r = PostJson("/v1/plan/", {{"name", "local api"}}, token);
        EXPECT_TRUE(r && r->status == 201) << (r ? r->body : "no response");
        json created = Body(r);
        EXPECT_EQ(created["plan"]["cloud"]["provider"], "local") << created.dump();
        const std::string id = created["id"];
        if (edit) {
            json plan = created["plan"];
            for (json& c : plan["components"]) {
                if (c["kind"] == "postgres") edit(c);
            }
            auto put = PutJson("/v1/plan/" + id, {{"revision", created["revision"]}, {"plan", plan}}, token);
            EXPECT_TRUE(put && put->status == 200) << (put ? put->body : "no response");
        }
        return id;
    }

    // Deploys `plan` and waits for its green light; the deployment as it finished.
    json DeployToGreen(const std::string& token, const std::string& plan) {
        auto r = PostJson("/v1/plan/" + plan + "/deploy", json::object(), token);
        EXPECT_TRUE(r && r->status == 202) << (r ? r->body : "no response");
        if (!r || r->status != 202) return json::object();
        const json d = WaitFinished(token, Body(r)["deployment"]["id"]);
        EXPECT_EQ(d["state"], "succeeded") << d.dump(2);
        EXPECT_EQ(WaitLight(token, plan, "green")["light"], "green");
        return d;
    }

    json WaitFinished(const std::string& token, const std::string& id) {
        for (int i = 0; i < 1200; ++i) {  // up to 120 s on a loaded machine
            auto r = Get("/v1/deployments/" + id, token);
            if (r && r->status == 200) {
                json d = Body(r)["deployment"];
                if (d["state"] == "succeeded" || d["state"] == "failed") return d;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        ADD_FAILURE() << "deployment " << id << " did not finish";
        return json::object();
    }

    json WaitLight(const std::string& token, const std::string& plan, const std::string& light) {
        json status;
        for (int i = 0; i < 600; ++i) {  // up to 30 s on a loaded machine
            status = Body(Get("/v1/plan/" + plan, token))["status"];
            if (status["light"] == light) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return status;
    }

    // One HTTP/1.1 request written byte for byte, as curl -X POST without -d sends it (no Content-Length);
    // returns the whole response ("" when the gateway did not answer within 10 s).
    std::string Raw(const std::string& request) {
        const int fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port_));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        timeval timeout{10, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        std::string response;
        if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
            send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size())) {
            char buffer[4096];
            for (ssize_t n; (n = recv(fd, buffer, sizeof buffer, 0)) > 0;) response.append(buffer, n);
        }
        close(fd);
        return response;
    }
    std::string BodylessPost(const std::string& path, const std::string& token) {
        return Raw("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
                   "\r\nConnection: close\r\n\r\n");
    }
    static json RawBody(const std::string& response) {
        const std::size_t at = response.find("\r\n\r\n");
        return at == std::string::npos ? json() : json::parse(response.substr(at + 4), nullptr, false);
    }

    LocalTargetWithHooksTestDouble* target_ = nullptr;
};

TEST_F(DeployLocalApiTest, PortTakenBeforePostgresStartsTurnsTheLightRedWithThatReason) {
    const std::string token = SignUp("ada@example.com");
    // A desktop workload: PGTune's minimal WAL, which pg_basebackup refuses, so the final backup at the
    // end also checks that backups raise wal_level (server_config.cpp).
    const std::string plan = NewPlan(token, "desktop");
    target_->TakeThePortAfterTheNextProvision();
    auto r = PostJson("/v1/plan/" + plan + "/deploy", json::object(), token);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 202) << r->body;
    const json failed = WaitFinished(token, Body(r)["deployment"]["id"]);
    ASSERT_TRUE(target_->Holding());
    // The port the deployment reserved, from its own events ("pg-1/primary: port N").
    int port = 0;
    for (const json& e : failed.value("events", json::array())) {
        const std::string m = e["message"];
        const std::string marker = "/primary: port ";
        if (const std::size_t at = m.find(marker); at != std::string::npos) port = std::stoi(m.substr(at + marker.size()));
    }
    ASSERT_GT(port, 0) << failed.dump(2);
    EXPECT_EQ(failed["state"], "failed") << failed.dump(2);
    EXPECT_EQ(failed["step"], "configure");
    const std::string error = failed["error"];
    EXPECT_EQ(error.rfind("Step configure failed: primary did not start on port " + std::to_string(port) + ": ", 0), 0u)
        << error;
    EXPECT_NE(error.find("Address already in use"), std::string::npos) << error;

    const json status = WaitLight(token, plan, "red");
    EXPECT_EQ(status["light"], "red") << status.dump();
    EXPECT_EQ(status["reason"], error);

    // Once the port is free again, a redeploy (no body, as curl -X POST sends it) starts the server there.
    target_->FreeThePort();
    const std::string response = BodylessPost("/v1/plan/" + plan + "/deploy", token);
    ASSERT_EQ(response.rfind("HTTP/1.1 202", 0), 0u) << response;
    const json fixed = WaitFinished(token, RawBody(response)["deployment"]["id"]);
    EXPECT_EQ(fixed["state"], "succeeded") << fixed.dump(2);
    EXPECT_EQ(WaitLight(token, plan, "green")["light"], "green");
    const json conn = Body(Get("/v1/plan/" + plan + "/connection", token));
    EXPECT_EQ(conn["endpoints"][0]["port"], port);

    // Destroy without a body too: its default (a final backup, kept) applies.
    std::string d = BodylessPost("/v1/plan/" + plan + "/destroy", token);
    ASSERT_EQ(d.rfind("HTTP/1.1 202", 0), 0u) << d;
    EXPECT_EQ(WaitFinished(token, RawBody(d)["deployment"]["id"])["state"], "succeeded");
    EXPECT_EQ(WaitLight(token, plan, "grey")["light"], "grey");
    EXPECT_TRUE(std::filesystem::exists(data_.path() / "data" / "local" / plan / "backups" / "pg-1"))
        << "final backup kept";
}

TEST_F(DeployLocalApiTest, MalformedOrUnknownDeployOptionsSayWhatIsWrong) {
    const std::string token = SignUp("ada@example.com");
    const std::string plan = NewPlan(token);
    auto client = Client();
    auto r = client.Post(("/v1/plan/" + plan + "/deploy").c_str(), Auth(token), "{\"oops\"", "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_EQ(Body(r)["error"]["code"], "request.malformed_json") << r->body;
    EXPECT_NE(Body(r)["error"]["message"].get<std::string>().find("not valid JSON"), std::string::npos) << r->body;

    r = client.Post(("/v1/plan/" + plan + "/deploy").c_str(), Auth(token), "[]", "application/json");
    EXPECT_EQ(r->status, 422);
    EXPECT_EQ(Body(r)["error"]["message"], "The body must be a JSON object (or empty).");

    r = PostJson("/v1/plan/" + plan + "/deploy", {{"force", true}}, token);
    EXPECT_EQ(r->status, 422);
    EXPECT_EQ(Body(r)["error"]["message"], "Unknown option \"force\"; this request takes none: send {} or no body.");
    EXPECT_EQ(Body(r)["error"]["details"][0]["path"], "/force");

    r = PostJson("/v1/plan/" + plan + "/destroy", {{"final_bakup", false}}, token);
    EXPECT_EQ(r->status, 422);
    EXPECT_EQ(Body(r)["error"]["message"], "Unknown option \"final_bakup\"; this request takes: final_backup.");
    r = client.Post(("/v1/plan/" + plan + "/backup").c_str(), Auth(token), "{}", "text/plain");
    EXPECT_EQ(r->status, 415);  // a body must say it is JSON

    // Nothing was queued by any of these; whitespace alone is no body.
    EXPECT_EQ(Body(Get("/v1/plan/" + plan + "/deployments", token))["items"].size(), 0u);
    r = client.Post(("/v1/plan/" + plan + "/backup").c_str(), Auth(token), " \n", "application/json");
    EXPECT_EQ(r->status, 409);  // reached the route: not deployed
    EXPECT_EQ(Body(r)["error"]["code"], "not_deployed");
}

// A local target's monitor with a short period, to see what a schedule makes it do.
class ScheduledBackupApiTest : public DeployLocalApiTest {
protected:
    void Configure(Config& config) override {
        DeployLocalApiTest::Configure(config);
        config.monitor_interval_seconds = 1;
    }
};

TEST_F(ScheduledBackupApiTest, ADueScheduledBackupTurnsTheLightOrangeLikeBackUpNowThenGreen) {
    const std::string token = SignUp("ada@example.com");
    const std::string plan = NewPlanWith(token, [](json& postgres) {
        postgres["backups"]["enabled"] = true;
        postgres["backups"]["schedule"] = "*/5 * * * *";
        postgres["backups"]["validate"] = true;
    });
    DeployToGreen(token, plan);
    ASSERT_EQ(Body(Get("/v1/plan/" + plan + "/deployments", token))["items"].size(), 1u);

    // This fixture's clock stands still until moved: six minutes on, the schedule has fired. The monitor
    // (every second) queues the backup, held here until the test has seen the light it gives.
    target_->HoldBackups(true);
    AdvanceClock(6 * 60 * 1000);
    json status = WaitLight(token, plan, "orange");
    ASSERT_EQ(status["light"], "orange") << status.dump();
    EXPECT_EQ(status["reason"], "Backing up.");
    const json items = Body(Get("/v1/plan/" + plan + "/deployments", token))["items"];
    ASSERT_EQ(items.size(), 2u) << items.dump(2);
    EXPECT_EQ(items[0]["kind"], "backup");
    const std::string job = items[0]["id"];
    const json queued = Body(Get("/v1/deployments/" + job, token))["deployment"];
    ASSERT_FALSE(queued["events"].empty()) << queued.dump(2);
    const std::string said = queued["events"][0]["message"];
    EXPECT_EQ(said.rfind("Backup of revision 2 queued: the schedule (*/5 * * * *) was due at ", 0), 0u) << said;

    // Orange for as long as the backup runs, not just while it is queued.
    for (int i = 0; i < 3000 && target_->BackupsStarted() == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(target_->BackupsStarted(), 1) << "no worker started the backup job within 30 s";
    EXPECT_EQ(Body(Get("/v1/plan/" + plan, token))["status"]["light"], "orange");
    target_->HoldBackups(false);

    // Then green, from the health check the job runs, with the backup and its validation in the checks.
    const json done = WaitFinished(token, job);
    EXPECT_EQ(done["state"], "succeeded") << done.dump(2);
    status = WaitLight(token, plan, "green");
    EXPECT_EQ(status["light"], "green") << status.dump();
    EXPECT_EQ(status["checks"]["last_backup_ok"], true) << status.dump();
    EXPECT_EQ(status["checks"]["last_validation"]["ok"], true) << status.dump();
    std::size_t backups = 0;
    for (const auto& e : std::filesystem::directory_iterator(data_.path() / "data" / "local" / plan / "backups" / "pg-1")) {
        backups += std::filesystem::exists(e.path() / "base.tar.gz");
    }
    EXPECT_EQ(backups, 1u);
}

// Run 1 deploys a plan; between the runs its server stops too (a reboot, an operator's pg_ctl stop), so
// its port is neither bound nor locked. Run 2 must still treat that port as the plan's.
TEST_F(DeployLocalApiTest, AStoppedServersPortStaysItsOwnAcrossTwoGatewayRuns) {
    const std::string token = SignUp("ada@example.com");
    const std::string first = NewPlan(token);
    DeployToGreen(token, first);
    const int port = Body(Get("/v1/plan/" + first + "/connection", token))["endpoints"][0]["port"];
    ASSERT_GT(port, 0);

    StopGateway();
    pid_t postmaster = 0;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(data_.path() / "data" / "local" / first, ec);
         it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (it->path().filename() == "postmaster.pid") std::ifstream(it->path()) >> postmaster;
    }
    ASSERT_GT(postmaster, 0);
    ASSERT_EQ(kill(postmaster, SIGINT), 0);  // PostgreSQL's fast shutdown
    bool free = false;
    for (int i = 0; i < 3000 && !free; ++i) {
        free = deploy::local::LoopbackPortFree(port);
        if (!free) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE(free) << "the stopped server still holds port " << port;

    StartGateway();
    // The port is locked by this gateway again, before any deployment asked for one.
    deploy::local::PortLocks someone_else(deploy::LocalTargetOptions{}.port_lock_dir, port, port);
    const std::string refused = someone_else.Acquire(port);
    EXPECT_NE(refused.find("locked by another process"), std::string::npos) << "port " << port << ": " << refused;

    // A new plan gets another port, and the first plan's server comes back on its own one.
    const std::string second = NewPlan(token);
    DeployToGreen(token, second);
    EXPECT_NE(Body(Get("/v1/plan/" + second + "/connection", token))["endpoints"][0]["port"], port);
    DeployToGreen(token, first);
    EXPECT_EQ(Body(Get("/v1/plan/" + first + "/connection", token))["endpoints"][0]["port"], port);
}

}  // namespace
}  // namespace gw::test
