#pragma once
// The deploy engine: a persistent job queue in the store worked by a bounded pool of threads, each job a
// state machine over a Target's steps recorded as it goes; plan leases so that several gateways sharing
// one store take over each other's work; the status light of every plan; the monitor loop. docs/deploy.md
// describes the states, leases, resume and secrets; target.hpp the contract with the targets.
//
// Threads: `workers` job threads, one lease heartbeat, one monitor. All state lives in the store, so a
// gateway killed at any point resumes on restart (after the dead instance's lease expires) without
// repeating a finished step.
#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "clock.hpp"
#include "deploy/secret_box.hpp"
#include "deploy/target.hpp"
#include "log.hpp"
#include "store.hpp"

namespace gw::deploy {

// A lease owner id for this process: "gw:<boot id>:<host>:<pid>:<random>". The random part makes every
// start unique; boot id, host and pid let a gateway restarted on the same machine see that the previous
// owner is dead (IsDeadLocalOwner) instead of waiting for its leases to expire.
std::string NewOwnerId();
// True when `owner` names a process on this machine, since this boot, that no longer exists. Owners from
// other machines (or unknown shapes) are never called dead: their leases simply expire.
bool IsDeadLocalOwner(const std::string& owner);

struct EngineOptions {
    std::string owner_id;              // this instance's lease owner id; "" = NewOwnerId()
    int workers = 2;                   // job threads (config deploy_workers)
    int lease_ms = 30000;              // a plan lease lasts this long unless renewed (config deploy_lease_seconds)
    int poll_ms = 500;                 // idle workers look for due jobs this often (new jobs wake them at once)
    int monitor_interval_ms = 15000;   // the monitor checks every deployed plan this often (0 = no monitor thread)
    Clock clock = SystemNowMs;
};

// A plan's light as the API shows it (docs/deploy.md "Plan status").
struct PlanStatus {
    std::string light = "grey";
    std::string reason = "Not deployed yet.";
    std::string step;
    double progress = 0;
    std::string deployment_id;
    TimeMs last_deployed_at = 0;
    TimeMs checked_at = 0;
    nlohmann::json checks;  // the monitor's last Health.checks (null before the first check)
};

// Fair-use limits on the jobs a user asks for (Config max_active_jobs_per_user, max_local_servers_per_user;
// docs/api.md "Quotas"); 0 = no limit. Jobs the engine queues itself (scheduled backups) have none.
struct JobLimits {
    int max_active_jobs = 0;   // the user's queued + running jobs
    int max_host_servers = 0;  // the user's servers on the gateway's own host (Target::HostServers), all plans
};

// What asking for a job gives.
struct JobRequest {
    enum class Outcome { Queued, Busy, NotFound, NoTarget, NotDeployed, QuotaExceeded } outcome = Outcome::NotFound;
    Deployment deployment;  // Queued: the new job
    std::string message;    // otherwise: plain language for the API
    // QuotaExceeded: which ("active_jobs_per_user" | "local_servers_per_user"), its limit and the use now.
    std::string quota;
    int limit = 0;
    int in_use = 0;
};

class Engine {
public:
    Engine(DeploymentStore& store, SecretBox secrets, Log& log, EngineOptions options);
    ~Engine();  // Shutdown()
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // Makes `target` serve plans whose cloud.provider is target->Name(). Call before Start().
    void Register(std::unique_ptr<Target> target);
    // Makes `target` serve `provider` whatever its Name() (the test-double target stands in for "local").
    void RegisterFor(std::string provider, std::unique_ptr<Target> target);
    // True when a target serves `provider`.
    bool Serves(const std::string& provider) const;

    // Expires the leases of dead gateways on this machine (a kill -9 before this start), lets each target
    // take back what the stored deployments own (Target::Adopt: the local target's port locks), then
    // starts the worker, heartbeat and monitor threads.
    void Start();
    // Asks running steps to stop (they return Interrupted and stay due), joins every thread, and gives
    // this instance's leases back so another gateway (or the next start) continues at once. Idempotent.
    void Shutdown();

    // Queues a deploy (or a redeploy when something is deployed) of `plan` at its current revision.
    // `parsed` has passed plan::Validate. Busy when a job of the plan is queued or running; QuotaExceeded
    // when it would pass one of `limits` (checked and queued in one store transaction).
    JobRequest Deploy(const PlanRecord& plan, const plan::Plan& parsed, const JobLimits& limits = {});
    // Queues a destroy (after a last backup when `final_backup`). NotDeployed when nothing is there.
    JobRequest Destroy(const PlanRecord& plan, bool final_backup, const JobLimits& limits = {});
    // Queues a backup (and its validation when `validate`). NotDeployed when nothing is deployed.
    JobRequest Backup(const PlanRecord& plan, bool validate, const JobLimits& limits = {});

    std::optional<Deployment> Get(const std::string& owner_id, const std::string& deployment_id);
    std::vector<Deployment> List(const std::string& owner_id, const std::string& plan_id, int limit = 50);
    // The light of each of these plans of `owner_id` (grey for a plan never deployed).
    std::map<std::string, PlanStatus> Statuses(const std::string& owner_id, const std::vector<std::string>& plan_ids);
    PlanStatus Status(const std::string& owner_id, const std::string& plan_id);
    // Connection details of a deployed plan; nullopt when nothing is deployed (or no target serves it).
    std::optional<ConnectionInfo> Connection(const std::string& owner_id, const std::string& plan_id);
    // The plan's database password (decrypted for the owner, on request only); nullopt when none exists.
    std::optional<std::string> Password(const std::string& owner_id, const std::string& plan_id);

    // One monitor pass over every deployed idle plan, now, on the calling thread (the monitor thread
    // calls this every monitor_interval_ms): sets each light from Target::Check and queues a backup job
    // for each plan whose target says a scheduled backup is due. Returns how many plans were checked.
    int MonitorOnce();

    const std::string& owner_id() const { return options_.owner_id; }

private:
    struct Held {
        std::atomic<bool> lost{false};
    };

    // `why`, when given, ends the "queued" event ("Backup of revision 3 queued: scheduled, ...").
    JobRequest Enqueue(const PlanRecord& plan, std::string kind, std::string provider, nlohmann::json options,
                       std::vector<std::string> steps, const JobQuota& quota, std::string why = "");
    void AdoptStoredState();
    void WorkerLoop();
    void HeartbeatLoop();
    void MonitorLoop();
    void RunJob(Deployment job);
    Target* TargetFor(const std::string& provider) const;
    std::shared_ptr<Held> Hold(const std::string& plan_id);
    void Unhold(const std::string& plan_id);
    void Event(const Deployment& d, std::string_view level, std::string message, const std::string& secret);
    std::optional<std::string> OpenSecret(const PlanTarget& target);

    DeploymentStore& store_;
    SecretBox secrets_;
    Log& log_;
    EngineOptions options_;
    std::map<std::string, std::unique_ptr<Target>> targets_;

    std::atomic<bool> stopping_{false};
    bool started_ = false;
    std::mutex wake_mutex_;
    std::condition_variable wake_;
    std::vector<std::thread> threads_;
    std::mutex held_mutex_;
    std::map<std::string, std::shared_ptr<Held>> held_;  // plans whose lease this instance holds
};

}  // namespace gw::deploy
