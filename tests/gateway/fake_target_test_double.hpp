#pragma once
// FakeTargetTestDouble: a scriptable deploy Target for the engine's tests. It deploys nothing; it records
// every call (per step, in order, with the password and redeploy flag it was given) and can be told to
// fail a step, answer Wait once, or block a step until released (honouring should_stop, as a real
// target must). Copies made with Clone() share one script and one record, so two engines on one store
// can be counted together.
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "deploy/target.hpp"

namespace gw::test {

class FakeTargetTestDouble final : public deploy::Target {
public:
    struct Script {
        std::mutex mutex;
        std::condition_variable changed;
        std::map<std::string, std::string> fail;   // step -> reason
        std::map<std::string, int> wait_once_ms;    // step -> delay of one Wait answer
        std::map<std::string, bool> blocked;        // step -> blocks while true
        std::map<std::string, int> calls;           // step|check|backup|destroy -> count
        std::vector<std::string> order;
        std::vector<std::string> passwords;         // ctx.secrets.db_password of each call
        std::vector<bool> redeploys;
        bool healthy = true;
        std::string unhealthy_reason = "server down: connection refused";
        std::optional<deploy::DueBackup> due_backup;  // Check reports it until a backup is attempted
        std::vector<bool> backup_validates;            // the `validate` of each Backup call
        std::map<std::string, std::string> adopted;    // plan id -> the state Adopt was given (dumped)
        int host_servers_per_postgres = 0;             // HostServers: this many per postgres component
        std::vector<std::string> plans_run;            // the plan id of each RunStep call, in order
    };

    explicit FakeTargetTestDouble(std::string name = "fake")
        : name_(std::move(name)), script_(std::make_shared<Script>()) {}
    std::unique_ptr<FakeTargetTestDouble> Clone() const {
        auto copy = std::make_unique<FakeTargetTestDouble>(name_);
        copy->script_ = script_;
        return copy;
    }

    void FailStep(const std::string& step, const std::string& reason) { Set([&](Script& s) { s.fail[step] = reason; }); }
    void ClearFailures() { Set([](Script& s) { s.fail.clear(); }); }
    void WaitOnce(const std::string& step, int ms) { Set([&](Script& s) { s.wait_once_ms[step] = ms; }); }
    void Block(const std::string& step) { Set([&](Script& s) { s.blocked[step] = true; }); }
    void Release(const std::string& step) { Set([&](Script& s) { s.blocked[step] = false; }); }
    void SetHealth(bool ok, const std::string& reason = "") {
        Set([&](Script& s) {
            s.healthy = ok;
            if (!reason.empty()) s.unhealthy_reason = reason;
        });
    }
    // Check says a scheduled backup is due (as the local target does when the plan's cron fired).
    void ScheduleBackup(bool validate, const std::string& why) {
        Set([&](Script& s) { s.due_backup = deploy::DueBackup{validate, why}; });
    }
    // HostServers answers `n` per postgres component, as a target running servers on the gateway's host would.
    void SetHostServersPerPostgres(int n) { Set([&](Script& s) { s.host_servers_per_postgres = n; }); }
    std::vector<std::string> PlansRun() {
        std::lock_guard lock(script_->mutex);
        return script_->plans_run;
    }
    std::vector<bool> BackupValidates() {
        std::lock_guard lock(script_->mutex);
        return script_->backup_validates;
    }
    std::map<std::string, std::string> Adopted() {
        std::lock_guard lock(script_->mutex);
        return script_->adopted;
    }
    int Calls(const std::string& what) {
        std::lock_guard lock(script_->mutex);
        return script_->calls[what];
    }
    std::vector<std::string> Order() {
        std::lock_guard lock(script_->mutex);
        return script_->order;
    }
    std::vector<std::string> Passwords() {
        std::lock_guard lock(script_->mutex);
        return script_->passwords;
    }
    std::vector<bool> Redeploys() {
        std::lock_guard lock(script_->mutex);
        return script_->redeploys;
    }
    // Waits until `what` was called at least `n` times; false after `timeout`.
    bool WaitForCalls(const std::string& what, int n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
        std::unique_lock lock(script_->mutex);
        return script_->changed.wait_for(lock, timeout, [&] { return script_->calls[what] >= n; });
    }

    std::string_view Name() const override { return name_; }

    deploy::StepResult RunStep(deploy::Step step, deploy::StepContext& ctx) override {
        const std::string name(deploy::ToString(step));
        {
            std::lock_guard lock(script_->mutex);
            script_->plans_run.push_back(ctx.plan_id);
        }
        Record(name, ctx);
        {
            std::unique_lock lock(script_->mutex);
            if (!WaitWhileBlocked(name, ctx, lock)) return deploy::StepResult::Interrupted();
            if (auto it = script_->wait_once_ms.find(name); it != script_->wait_once_ms.end()) {
                const int ms = it->second;
                script_->wait_once_ms.erase(it);
                return deploy::StepResult::Wait(ms);
            }
            if (auto it = script_->fail.find(name); it != script_->fail.end()) {
                return deploy::StepResult::Failed(it->second);
            }
        }
        if (step == deploy::Step::Provision) {
            if (!ctx.state.is_object()) ctx.state = nlohmann::json::object();
            ctx.state["port"] = 6543;
            ctx.state["provisions"] = ctx.state.value("provisions", 0) + 1;
            ctx.save();
        }
        ctx.progress(0.5);
        ctx.event("info", "fake " + name + " ran");
        return deploy::StepResult::Done();
    }

    deploy::Health Check(deploy::StepContext& ctx) override {
        Record("check", ctx);
        std::lock_guard lock(script_->mutex);
        deploy::Health h;
        h.ok = script_->healthy;
        if (!h.ok) h.reason = script_->unhealthy_reason;
        h.checks = {{"select1", h.ok}};
        h.backup_due = script_->due_backup;
        return h;
    }

    deploy::StepResult Backup(deploy::StepContext& ctx, bool validate) override {
        {
            // Before Record, which wakes WaitForCalls("backup"): the waiter then sees these too.
            std::lock_guard lock(script_->mutex);
            script_->backup_validates.push_back(validate);
            script_->due_backup.reset();  // attempted: the schedule's next time is in the future
        }
        Record("backup", ctx);
        std::unique_lock lock(script_->mutex);
        if (!WaitWhileBlocked("backup", ctx, lock)) return deploy::StepResult::Interrupted();
        if (auto it = script_->fail.find("backup"); it != script_->fail.end()) return deploy::StepResult::Failed(it->second);
        return deploy::StepResult::Done();
    }

    deploy::StepResult Destroy(deploy::StepContext& ctx, bool) override {
        Record("destroy", ctx);
        ctx.state = nullptr;
        return deploy::StepResult::Done();
    }

    // Holds the caller while `name` is blocked; false when the engine asked it to stop meanwhile.
    static bool WaitWhileBlocked(const std::string& name, deploy::StepContext& ctx, std::unique_lock<std::mutex>& lock,
                                 Script& script) {
        while (script.blocked[name]) {
            lock.unlock();
            if (ctx.should_stop()) return false;
            lock.lock();
            script.changed.wait_for(lock, std::chrono::milliseconds(20));
        }
        return true;
    }
    bool WaitWhileBlocked(const std::string& name, deploy::StepContext& ctx, std::unique_lock<std::mutex>& lock) {
        return WaitWhileBlocked(name, ctx, lock, *script_);
    }

    std::vector<std::string> Adopt(const std::string& plan_id, const nlohmann::json& state) override {
        {
            std::lock_guard lock(script_->mutex);
            script_->adopted[plan_id] = state.dump();
            ++script_->calls["adopt"];
            script_->order.push_back("adopt");
        }
        script_->changed.notify_all();
        return {};
    }

    int HostServers(const plan::Plan& plan) const override {
        int postgres = 0;
        for (const plan::Component& c : plan.components) postgres += c.IsPostgres() ? 1 : 0;
        std::lock_guard lock(script_->mutex);
        return postgres * script_->host_servers_per_postgres;
    }

    deploy::ConnectionInfo Connection(const nlohmann::json& state) const override {
        deploy::ConnectionInfo info;
        if (state.is_object() && state.contains("port")) {
            info.endpoints.push_back({"primary", "127.0.0.1", state["port"].get<int>()});
            info.database = "app";
            info.user = "app_owner";
        }
        return info;
    }

private:
    template <class F>
    void Set(F change) {
        {
            std::lock_guard lock(script_->mutex);
            change(*script_);
        }
        script_->changed.notify_all();
    }
    void Record(const std::string& what, deploy::StepContext& ctx) {
        {
            std::lock_guard lock(script_->mutex);
            ++script_->calls[what];
            script_->order.push_back(what);
            script_->passwords.push_back(ctx.secrets.db_password);
            script_->redeploys.push_back(ctx.redeploy);
        }
        script_->changed.notify_all();
    }

    std::string name_;
    std::shared_ptr<Script> script_;
};

}  // namespace gw::test
