// The deployment API over the REAL local target (Debian's PostgreSQL) in an in-process gateway, for what
// only the HTTP API shows: a deployment whose PostgreSQL cannot start because its port is taken goes red
// with that reason, and a redeploy once the port is free turns it green; requests without a body
// (curl -X POST, no -d) are answered instead of hanging into a bare 400; and a desktop-workload plan
// (PGTune's minimal WAL) still takes its base backup.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "deploy/local/local_target.hpp"
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

// The real local target, wrapped so that the test can take the port the provision step reserved before
// the configure step starts the server (the moment another program could take it). Everything else is
// the real target's.
class PortTakenAfterProvisionTestDouble final : public deploy::Target {
public:
    explicit PortTakenAfterProvisionTestDouble(std::unique_ptr<deploy::Target> real) : real_(std::move(real)) {}
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
    deploy::StepResult Backup(deploy::StepContext& ctx, bool validate) override { return real_->Backup(ctx, validate); }
    deploy::StepResult Destroy(deploy::StepContext& ctx, bool final_backup) override {
        return real_->Destroy(ctx, final_backup);
    }
    deploy::ConnectionInfo Connection(const nlohmann::json& state) const override { return real_->Connection(state); }

    void TakeThePortAfterTheNextProvision() { take_next_ = true; }
    bool Holding() const { return holder_ && holder_->ok(); }
    void FreeThePort() { holder_.reset(); }

private:
    std::unique_ptr<deploy::Target> real_;
    std::atomic<bool> take_next_{false};
    std::unique_ptr<PortHolder> holder_;
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
        // Ports of its own, apart from the LocalTargetTest blocks (35432-37431) and the port-lock test.
        options.port_first = 39000 + static_cast<int>(getpid() % 100) * 10;
        options.port_last = options.port_first + 9;
        auto wrapped = std::make_unique<PortTakenAfterProvisionTestDouble>(deploy::MakeLocalTarget(options));
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
        auto r = PostJson("/v1/plan/", {{"name", "local api"}}, token);
        EXPECT_TRUE(r && r->status == 201) << (r ? r->body : "no response");
        json created = Body(r);
        EXPECT_EQ(created["plan"]["cloud"]["provider"], "local") << created.dump();
        const std::string id = created["id"];
        if (!workload.empty()) {
            json plan = created["plan"];
            for (json& c : plan["components"]) {
                if (c["kind"] == "postgres") c["workload"] = workload;
            }
            auto put = PutJson("/v1/plan/" + id, {{"revision", created["revision"]}, {"plan", plan}}, token);
            EXPECT_TRUE(put && put->status == 200) << (put ? put->body : "no response");
        }
        return id;
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

    PortTakenAfterProvisionTestDouble* target_ = nullptr;
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

}  // namespace
}  // namespace gw::test
