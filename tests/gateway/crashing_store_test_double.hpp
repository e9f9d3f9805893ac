#pragma once
// CrashingStoreTestDouble: a DeploymentStore that forwards every call to a real one until it "dies"; from
// then on every call throws StoreError and writes nothing, as if the gateway process had been killed at that
// instant: what its engine wrote before stays, and so does its lease, until the lease expires. It is armed to
// die at the end of a job, just before or just after the write that records the job as succeeded or failed
// (FinishJob), which is where a crash used to leave a succeeded deploy on a plan never marked deployed.
#include <atomic>

#include "store.hpp"

namespace gw::test {

class CrashingStoreTestDouble final : public DeploymentStore {
public:
    enum class DieAt { Never, BeforeJobEnd, AfterJobEnd };

    CrashingStoreTestDouble(DeploymentStore& real, DieAt die_at) : real_(real), die_at_(die_at) {}

    bool dead() const { return dead_; }

    CreateDeploymentResult CreateDeployment(const Deployment& d, const std::string& provider,
                                            const JobQuota& quota) override {
        Alive();
        return real_.CreateDeployment(d, provider, quota);
    }
    std::optional<Deployment> GetDeployment(const std::string& owner_id, const std::string& id,
                                            bool with_events) override {
        Alive();
        return real_.GetDeployment(owner_id, id, with_events);
    }
    std::vector<Deployment> ListDeployments(const std::string& owner_id, const std::string& plan_id,
                                            int limit) override {
        Alive();
        return real_.ListDeployments(owner_id, plan_id, limit);
    }
    std::optional<Deployment> ClaimJob(const std::string& owner, TimeMs now, TimeMs lease_until) override {
        Alive();
        return real_.ClaimJob(owner, now, lease_until);
    }
    bool TryLeasePlan(const std::string& plan_id, const std::string& owner, TimeMs now, TimeMs lease_until) override {
        Alive();
        return real_.TryLeasePlan(plan_id, owner, now, lease_until);
    }
    bool RenewLease(const std::string& plan_id, const std::string& owner, TimeMs lease_until) override {
        Alive();
        return real_.RenewLease(plan_id, owner, lease_until);
    }
    void ReleaseLease(const std::string& plan_id, const std::string& owner) override {
        Alive();
        real_.ReleaseLease(plan_id, owner);
    }
    std::vector<std::string> LeaseOwners() override {
        Alive();
        return real_.LeaseOwners();
    }
    int ExpireLeasesOf(const std::string& owner) override {
        Alive();
        return real_.ExpireLeasesOf(owner);
    }
    bool SaveDeployment(const Deployment& d, const std::string& owner) override {
        Alive();
        return real_.SaveDeployment(d, owner);
    }
    void AddEvent(const std::string& deployment_id, const DeploymentEvent& event) override {
        Alive();
        real_.AddEvent(deployment_id, event);
    }
    std::optional<PlanTarget> GetPlanTarget(const std::string& plan_id) override {
        Alive();
        return real_.GetPlanTarget(plan_id);
    }
    std::vector<PlanTarget> GetPlanTargets(const std::string& owner_id,
                                           const std::vector<std::string>& plan_ids) override {
        Alive();
        return real_.GetPlanTargets(owner_id, plan_ids);
    }
    std::vector<std::string> DeployedPlanIds() override {
        Alive();
        return real_.DeployedPlanIds();
    }
    std::vector<std::string> PlanIdsWithState() override {
        Alive();
        return real_.PlanIdsWithState();
    }
    bool SaveTargetState(const std::string& plan_id, const std::string& owner, const std::string& state) override {
        Alive();
        return real_.SaveTargetState(plan_id, owner, state);
    }
    std::string EnsureSecret(const std::string& plan_id, const std::string& sealed) override {
        Alive();
        return real_.EnsureSecret(plan_id, sealed);
    }
    void SetLight(const std::string& plan_id, const PlanLight& light, bool unless_busy) override {
        Alive();
        real_.SetLight(plan_id, light, unless_busy);
    }
    bool FinishJob(const Deployment& d, const std::string& owner, TimeMs now, const JobOutcome& outcome) override {
        Alive();
        if (die_at_ == DieAt::BeforeJobEnd) Die();
        const bool written = real_.FinishJob(d, owner, now, outcome);
        if (die_at_ == DieAt::AfterJobEnd) Die();
        return written;
    }
    void SaveChecks(const std::string& plan_id, const std::string& checks, TimeMs at) override {
        Alive();
        real_.SaveChecks(plan_id, checks, at);
    }

private:
    void Alive() const {
        if (dead_) throw StoreError("test double: this gateway is dead");
    }
    [[noreturn]] void Die() {
        dead_ = true;
        throw StoreError("test double: the gateway died here");
    }

    DeploymentStore& real_;
    DieAt die_at_;
    std::atomic<bool> dead_{false};
};

}  // namespace gw::test
