#pragma once
// The seam between the deploy engine (engine.*: job queue, leases, step records, status lights, monitor)
// and the places a plan can be deployed to (local/: PostgreSQL on this host; aws/: CloudFormation in the
// user's account). The engine owns ordering, persistence, retries and the light; a target owns what
// each step does to the world.
//
// Contract for every target:
// - Steps are idempotent. The engine records a step as done only after RunStep returns Done, so after a
//   crash (kill -9) between a step's side effects and that record the step runs again. A step looks at
//   the world and at `state` and finishes the job instead of doing it twice (a cluster that already
//   exists is reused, a stack that already exists is followed, not created again).
// - `state` is the target's own JSON memory for one plan's deployment (ports, data folders, stack id,
//   change set id). The engine stores it after every step and whenever the step calls ctx.save(), and
//   hands the latest stored value to later steps, the monitor and destroy, also after a restart.
// - Secrets (the database password) arrive in ctx.secrets and never go into state, events or errors.
// - One Target object serves every plan and may be called from several engine threads at once, but
//   never for the same plan concurrently (the engine holds the plan's lease).
// - Long steps call ctx.should_stop() now and then and return Interrupted when it says so (the gateway
//   is shutting down or lost the lease); the step runs again later, wherever the lease goes.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "clock.hpp"
#include "plan/plan.hpp"

namespace gw::deploy {

// The steps of a deployment, in order. A target for which a step means nothing returns Done at once
// with an event saying why (e.g. AWS "install" happens inside the stack and is followed by "provision").
enum class Step { Render, Provision, Install, Configure, Verify, Monitor };
inline constexpr Step kSteps[] = {Step::Render, Step::Provision, Step::Install,
                                  Step::Configure, Step::Verify, Step::Monitor};
inline std::string_view ToString(Step step) {
    constexpr std::string_view kNames[] = {"render", "provision", "install", "configure", "verify", "monitor"};
    return kNames[static_cast<int>(step)];
}

struct Secrets {
    std::string db_password;  // the application role's password, generated once per plan deployment
};

// What a target reports about one action while it runs.
using EventSink = std::function<void(std::string_view level /* info|warning|error */, std::string message)>;

struct StepContext {
    std::string deployment_id;
    std::string plan_id;
    std::string owner_id;
    const plan::Plan& plan;          // the revision being deployed; already passed plan::Validate
    std::int64_t revision = 0;
    bool redeploy = false;           // an earlier deployment of this plan exists: apply the changes
    const Secrets& secrets;
    nlohmann::json& state;           // the target's memory (see above); starts as null
    EventSink event;                 // shown to the user in the deployment's events
    std::function<void(double fraction)> progress;  // 0..1 within the current step
    std::function<void()> save;                     // store `state` now (checkpoint inside a long step)
    std::function<bool()> should_stop;              // true: return StepResult::Interrupted() soon
    Clock clock = SystemNowMs;
};

struct StepResult {
    enum class Kind { Done, Wait, Failed, Interrupted } kind = Kind::Done;
    std::string error;        // Failed: a plain-language reason, shown with the red light
    int retry_after_ms = 0;   // Wait: run this step again after this long (polling a cloud)

    static StepResult Done() { return {}; }
    static StepResult Wait(int ms) { return {Kind::Wait, {}, ms}; }
    static StepResult Failed(std::string reason) { return {Kind::Failed, std::move(reason), 0}; }
    static StepResult Interrupted() { return {Kind::Interrupted, {}, 0}; }
};

// Where clients connect. The password is not here: the API gives it to the owner on request only.
struct Endpoint {
    std::string role;   // "primary" or "replica"
    std::string host;
    int port = 0;
};
struct ConnectionInfo {
    std::vector<Endpoint> endpoints;  // primary first
    std::string database;
    std::string user;
};

// A backup the plan's own schedule says is due (see Health::backup_due).
struct DueBackup {
    bool validate = true;  // the plan's backups.validate: restore it into a scratch server and check it
    std::string why;       // plain language for the job's events: "the schedule (0 3 * * *) is due"
};

// One periodic look at a deployed plan.
struct Health {
    bool ok = false;
    std::string reason;      // when !ok, plain language: "server down", "backup validation failed: ..."
    nlohmann::json checks;   // details for the API, e.g. {"select1":true,"replication_lag_bytes":[0],
                             //  "last_backup_at":"...","last_validation":{"at":"...","ok":true}}
    // Set by targets that schedule backups themselves (local) when one is due at ctx.clock(). Check never
    // takes it: the engine queues a backup job, exactly as POST /backup does, so a scheduled backup shows
    // the same orange "Backing up." and ends the same way (green, or red with the reason).
    std::optional<DueBackup> backup_due;
};

class Target {
public:
    virtual ~Target() = default;
    virtual std::string_view Name() const = 0;  // the plan's cloud.provider it serves: "local", "aws"

    virtual StepResult RunStep(Step step, StepContext& ctx) = 0;

    // Called by the monitor loop for every deployed plan (about every 15 s by default), and once after a
    // backup job: checks health and, for targets that schedule backups themselves (local), says whether
    // one is due at ctx.clock() (Health::backup_due; the engine then runs Backup as a job). Quick: it
    // takes nothing itself. May update ctx.state (ctx.save() stores it).
    virtual Health Check(StepContext& ctx) = 0;

    // Takes a backup now and, with `validate`, restores it into a scratch server and checks it.
    virtual StepResult Backup(StepContext& ctx, bool validate) = 0;

    // Stops and removes everything the deployment made, after a last backup when `final_backup`.
    // Idempotent like the steps.
    virtual StepResult Destroy(StepContext& ctx, bool final_backup) = 0;

    // Called by Engine::Start, before any job or monitor check runs, with the stored state of every plan
    // that has one (deployed, failed part-way, or in the middle of a job): takes back what this process
    // must hold for it and lost when the previous gateway process ended (the local target's port locks).
    // Returns one plain-language problem per thing it could not take back (the engine logs them).
    virtual std::vector<std::string> Adopt(const std::string& plan_id, const nlohmann::json& state) {
        (void)plan_id;
        (void)state;
        return {};
    }

    // How many servers `plan` runs on the gateway's own host once deployed (the local target: one per
    // PostgreSQL primary and replica); the engine counts them against the owner's fair-use quota. 0 for a
    // cloud, whose servers run in the user's own account.
    virtual int HostServers(const plan::Plan& plan) const {
        (void)plan;
        return 0;
    }

    // Connection details from the stored state (empty endpoints when nothing is deployed).
    virtual ConnectionInfo Connection(const nlohmann::json& state) const = 0;
};

}  // namespace gw::deploy
