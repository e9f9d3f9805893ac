#include "deploy/test_double_target.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

namespace gw::deploy {
namespace {

class TestDoubleTarget final : public Target {
public:
    explicit TestDoubleTarget(std::filesystem::path dir) : dir_(std::move(dir)) {
        std::error_code ec;
        std::filesystem::create_directories(dir_, ec);
    }

    std::string_view Name() const override { return "test-double"; }

    StepResult RunStep(Step step, StepContext& ctx) override {
        const std::string name(ToString(step));
        Record(ctx.plan_id, name);
        while (Exists("hold-" + name)) {
            if (ctx.should_stop()) return StepResult::Interrupted();
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        if (Exists("fail-" + name)) return StepResult::Failed(Read("fail-" + name));
        if (step == Step::Provision) {
            if (!ctx.state.is_object()) ctx.state = nlohmann::json::object();
            ctx.state["host"] = "127.0.0.1";
            ctx.state["port"] = 5432;
            ctx.state["provisioned_by"] = "test-double";
        }
        ctx.event("info", "test-double: " + name + " did nothing, as scripted.");
        return StepResult::Done();
    }

    Health Check(StepContext& ctx) override {
        Record(ctx.plan_id, "check");
        Health h;
        h.ok = !Exists("unhealthy");
        if (!h.ok) h.reason = Read("unhealthy");
        h.checks = {{"test_double", true}};
        return h;
    }

    StepResult Backup(StepContext& ctx, bool) override {
        Record(ctx.plan_id, "backup");
        if (Exists("fail-backup")) return StepResult::Failed(Read("fail-backup"));
        return StepResult::Done();
    }

    StepResult Destroy(StepContext& ctx, bool) override {
        Record(ctx.plan_id, "destroy");
        ctx.state = nullptr;
        return StepResult::Done();
    }

    // As the local target it stands in for counts them: one per PostgreSQL primary and replica.
    int HostServers(const plan::Plan& plan) const override {
        int servers = 0;
        for (const plan::Component& c : plan.components) {
            if (!c.IsPostgres()) continue;
            const auto& pg = std::get<plan::PostgresSpec>(c.spec);
            servers += 1 + (pg.topology == plan::Topology::PrimaryReplicas ? std::max(0, pg.replicas) : 0);
        }
        return servers;
    }

    ConnectionInfo Connection(const nlohmann::json& state) const override {
        ConnectionInfo info;
        if (!state.is_object() || !state.contains("port")) return info;
        info.endpoints.push_back({"primary", state.value("host", "127.0.0.1"), state.value("port", 0)});
        info.database = "app";
        info.user = "app";
        return info;
    }

private:
    bool Exists(const std::string& name) const {
        std::error_code ec;
        return std::filesystem::exists(dir_ / name, ec);
    }
    std::string Read(const std::string& name) const {
        std::ifstream in(dir_ / name);
        std::stringstream text;
        text << in.rdbuf();
        std::string s = text.str();
        while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
        return s.empty() ? name : s;
    }
    void Record(const std::string& plan_id, const std::string& what) const {
        const std::string line = plan_id + " " + what + "\n";
        const int fd = open((dir_ / "calls.log").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (fd < 0) return;
        [[maybe_unused]] const ssize_t n = write(fd, line.data(), line.size());
        close(fd);
    }

    std::filesystem::path dir_;
};

}  // namespace

std::unique_ptr<Target> MakeTestDoubleTarget(const std::filesystem::path& dir) {
    return std::make_unique<TestDoubleTarget>(dir);
}

}  // namespace gw::deploy
