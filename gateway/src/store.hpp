#pragma once
// Persistence behind interfaces: routes never see SQL. The SQLite store (store_sqlite.cpp) is the one in
// use; a PostgreSQL store for several gateways behind a load balancer implements the same interfaces.
//
// Contract for every implementation:
// - Thread-safe: httplib serves requests on a thread pool and calls these concurrently.
// - Expected outcomes (not found, email taken, stale revision) are values. Unexpected database failures
//   throw StoreError; the server's single exception handler turns that into a 500 with a request id.
// - Each call is atomic: a multi-statement write runs in one transaction, nothing is half-written.
// - Times are passed in (milliseconds since the epoch): stores never read the clock.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "clock.hpp"

namespace gw {

struct StoreError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct User {
    std::string id;             // "u_…"
    std::string email;          // normalised (trimmed, lowercase)
    std::string password_hash;  // Argon2id string from crypto_pwhash_str
    TimeMs created_at = 0;
};

class UserStore {
public:
    virtual ~UserStore() = default;
    // Inserts `user`; false when the email is already registered (nothing written).
    virtual bool CreateUser(const User& user) = 0;
    virtual std::optional<User> FindUserByEmail(const std::string& email) = 0;
    virtual std::optional<User> FindUserById(const std::string& id) = 0;
    // Remembers a session token by its SHA-256 digest (hex), valid until `expires_at`.
    virtual void AddToken(const std::string& digest, const std::string& user_id, TimeMs created_at,
                          TimeMs expires_at) = 0;
    // The user id owning a token digest that is neither expired at `now` nor revoked.
    virtual std::optional<std::string> UserForToken(const std::string& digest, TimeMs now) = 0;
    // Revokes a token; false when it was unknown or already revoked.
    virtual bool RevokeToken(const std::string& digest) = 0;
};

// A sign-up waiting for its mailed link (docs/accounts.md). The token itself is never stored.
struct PendingSignup {
    std::string email;          // normalised
    std::string password_hash;  // Argon2id, computed at sign-up
    std::string token_digest;   // TokenDigest of the link's one-time token
    TimeMs created_at = 0;
    TimeMs expires_at = 0;
};

// What following a sign-up link did.
struct CompletedSignup {
    enum class Status { Created, Invalid, EmailTaken } status = Status::Invalid;
    User user;  // Created: the new account
};

class SignupStore {
public:
    virtual ~SignupStore() = default;
    // Inserts `user` only while no account exists at all (the operator's own first account on a gateway
    // without mail); false when there is one already (nothing written). Atomic: of two racing, one wins.
    virtual bool CreateFirstUser(const User& user) = 0;
    // Stores `pending`, replacing any pending sign-up of the same email (its older link stops working),
    // and drops every pending sign-up expired at pending.created_at.
    virtual void SavePendingSignup(const PendingSignup& pending) = 0;
    // Consumes the pending sign-up with `token_digest` and, if it is unexpired at `now`, creates its account
    // with id `new_user_id` (Created), unless the email has an account by then (EmailTaken). Invalid when
    // there is none: unknown, used, replaced or expired. One transaction: a link works once.
    virtual CompletedSignup CompleteSignup(const std::string& token_digest, const std::string& new_user_id,
                                           TimeMs now) = 0;
    // True (and remembers `now`) when no "someone tried to sign up with your address" mail went to `email`
    // within `min_interval_ms` before `now`; false otherwise (send none).
    virtual bool ClaimSignupNotice(const std::string& email, TimeMs now, TimeMs min_interval_ms) = 0;
};

// A stored plan. `document` is the cs-json text, stored and returned byte for byte.
struct PlanRecord {
    std::string id;        // "p_…"
    std::string owner_id;
    std::string name;      // copies of document fields, for listing and search
    std::string environment;
    std::int64_t revision = 0;
    std::string document;
    TimeMs created_at = 0;
    TimeMs updated_at = 0;
};

struct PlanListQuery {
    std::string owner_id;
    int limit = 50;             // 1..200, checked by the caller
    std::string cursor;         // "" = first page; otherwise a next_cursor from an earlier page
    std::string name_contains;  // "" = no filter; otherwise case-insensitive substring of the name
};

struct PlanPage {
    bool bad_cursor = false;           // the cursor was not one this store issued (nothing listed)
    std::vector<PlanRecord> items;     // newest change first; `document` is left empty
    std::optional<std::string> next_cursor;
};

struct InsertPlanResult {
    bool inserted = false;  // false: the owner already had max_plans plans, nothing was written
    int plans = 0;          // the owner's plans before this insert
};

struct UpdateResult {
    enum class Status { Updated, NotFound, Conflict } status = Status::NotFound;
    std::int64_t current_revision = 0;  // with Conflict: the revision actually stored
};

class PlanStore {
public:
    virtual ~PlanStore() = default;
    // Inserts a new plan (its id is fresh; a duplicate id throws StoreError) unless its owner already has
    // `max_plans` plans (0 = no limit); the count and the insert are one transaction, so two creates racing
    // for the last free place cannot both have it.
    virtual InsertPlanResult InsertPlan(const PlanRecord& plan, int max_plans) = 0;
    // The plan `id` if it belongs to `owner_id`; another owner's plan is indistinguishable from none.
    virtual std::optional<PlanRecord> GetPlan(const std::string& owner_id, const std::string& id) = 0;
    // Replaces name, environment, document and updated_at, and sets revision to expected_revision + 1,
    // only if the stored revision is `expected_revision` (one conditional write: no lost updates).
    virtual UpdateResult UpdatePlan(const PlanRecord& next, std::int64_t expected_revision) = 0;
    // Deletes the plan if it belongs to `owner_id`, nothing of it is deployed or deploying (its deployments
    // go with it) and, when `expected_revision` > 0, it is still at that revision (one conditional write: a
    // change landing after the client read the plan is never deleted unseen; 0 deletes any revision).
    // false when there was none, it is deployed or it is at another revision (the caller tells which).
    virtual bool DeletePlan(const std::string& owner_id, const std::string& id, std::int64_t expected_revision) = 0;
    virtual PlanPage ListPlans(const PlanListQuery& query) = 0;
};


// ---- Deployments (docs/deploy.md). The deploy engine is the only writer; routes read through it. ----

// One step of a deployment as recorded.
struct DeploymentStep {
    std::string name;               // "render" … "monitor", or "destroy" / "backup"
    std::string state = "pending";  // pending | running | done | failed
    TimeMs started_at = 0;          // 0 = not started
    TimeMs finished_at = 0;         // 0 = not finished
    int runs = 0;                   // how many times the step was started (a resumed step runs again)
};

struct DeploymentEvent {
    TimeMs at = 0;
    std::string level;    // info | warning | error
    std::string message;  // never holds a secret
};

// A deployment job: deploy, redeploy, destroy or backup of one plan.
struct Deployment {
    std::string id;        // "d_…"
    std::string plan_id;
    std::string owner_id;
    std::int64_t revision = 0;
    std::string kind;      // deploy | redeploy | destroy | backup
    std::string state = "queued";  // queued | running | succeeded | failed
    std::string step;      // the current (or last) step's name
    double progress = 0;   // 0..1 over the whole job
    std::vector<DeploymentStep> steps;
    std::vector<DeploymentEvent> events;  // filled by GetDeployment(with_events = true) only
    std::string error;     // failed: plain-language reason
    std::string document;  // the cs-json of the revision being deployed (a snapshot)
    std::string options = "{}";  // JSON: {"final_backup": bool} for destroy, {"validate": bool} for backup
    TimeMs created_at = 0;
    TimeMs finished_at = 0;  // 0 while unfinished
    TimeMs not_before = 0;   // a job waiting on a step (StepResult::Wait) is not claimed before this
};

// What a plan's deployments leave behind: the target's state, the sealed secret, the status light and
// the lease that serialises all work on the plan (jobs and monitor checks) across gateways.
struct PlanTarget {
    std::string plan_id;
    std::string owner_id;
    std::string provider;           // the target serving it ("local", "aws", …)
    std::string state = "null";     // the target's JSON memory
    std::string sealed_secret;      // AES-256-GCM sealed database password ("" before the first deploy)
    std::string document;           // cs-json of the revision last deployed successfully
    std::int64_t revision = 0;      // … and its revision
    bool deployed = false;          // something is deployed (set by a successful deploy, cleared by destroy)
    std::string light = "grey";     // grey | orange | green | red
    std::string reason;             // plain language, for the light
    std::string step;               // orange: the running step
    double progress = 0;            // orange: 0..1
    std::string deployment_id;      // the latest deploy/redeploy/destroy job
    TimeMs last_deployed_at = 0;
    std::string checks = "null";    // JSON of the monitor's last Health.checks
    TimeMs checked_at = 0;
};

// The light part of PlanTarget, written by the engine.
struct PlanLight {
    std::string light;
    std::string reason;
    std::string step;
    double progress = 0;
};

// What the end of a job does to its plan, written by DeploymentStore::FinishJob together with the job.
struct JobOutcome {
    // Deployed: something is deployed now, at the job's revision and document, since d.finished_at.
    // Destroyed: nothing is deployed, the target's state is null and the monitor's checks are cleared.
    enum class PlanChange { None, Deployed, Destroyed } change = PlanChange::None;
    std::optional<PlanLight> light;        // the plan's light afterwards; nullopt leaves it as it is
    std::optional<DeploymentEvent> event;  // the job's last event ("Deploy of revision 3 succeeded.")
    int host_servers = 0;                  // Deployed: the servers the revision runs on the gateway's host
};

// Fair-use limits CreateDeployment checks in its own transaction (docs/api.md "Quotas"); 0 = no limit.
struct JobQuota {
    int max_active_jobs = 0;   // the owner's queued + running jobs, the new one included
    // deploy/redeploy: the servers this revision runs on the gateway's own host (Target::HostServers), and
    // the most the owner may have there over all plans, this plan's included. A plan counts what it may
    // still run: the larger of what it had and what the new revision runs, until the job ends.
    int host_servers = 0;
    int max_host_servers = 0;
};

struct CreateDeploymentResult {
    enum class Status { Created, Busy, NoPlan, TooManyJobs, TooManyHostServers } status = Status::NoPlan;
    std::string active_id;  // Busy: the deployment that is queued or running
    int limit = 0;          // TooMany*: the quota's limit ...
    int in_use = 0;         // ... and the owner's use before this job (jobs, or servers on other plans + this one's)
};

class DeploymentStore {
public:
    virtual ~DeploymentStore() = default;

    // Inserts `d` (queued, with its steps) unless the plan has a queued or running job (Busy), does not
    // belong to d.owner_id (NoPlan), or `quota` would be exceeded (TooManyJobs, TooManyHostServers, with
    // the limit and the use). Creates the plan's PlanTarget row for `provider` if missing; for
    // deploy/redeploy it records the plan's host servers (JobQuota), for deploy/redeploy/destroy it turns the
    // light orange. One transaction: the checks and the insert cannot be split by a racing request. d.events are
    // its first events, written in the same transaction (so they come before anything a worker writes).
    virtual CreateDeploymentResult CreateDeployment(const Deployment& d, const std::string& provider,
                                                    const JobQuota& quota) = 0;
    // The deployment `id` if it belongs to `owner_id` ("" = any owner: the engine's own reads).
    virtual std::optional<Deployment> GetDeployment(const std::string& owner_id, const std::string& id,
                                                    bool with_events) = 0;
    // The plan's deployments, newest first, without events.
    virtual std::vector<Deployment> ListDeployments(const std::string& owner_id, const std::string& plan_id,
                                                    int limit) = 0;

    // Takes a queued/running job that is due at `now` and whose plan lease is free or expired, and leases
    // its plan to `owner` until `lease_until`. Fair between users: the oldest such job of the user with the
    // fewest plans leased now (jobs in progress), then the least recently served user, then the oldest job;
    // so one user's thousand queued jobs delay another's by about one job. Atomic across processes.
    virtual std::optional<Deployment> ClaimJob(const std::string& owner, TimeMs now, TimeMs lease_until) = 0;
    // Leases an idle plan (deployed, no queued/running job, lease free or expired) to `owner`: the monitor.
    virtual bool TryLeasePlan(const std::string& plan_id, const std::string& owner, TimeMs now,
                              TimeMs lease_until) = 0;
    // Extends `owner`'s lease; false when it no longer holds it (expired and taken over).
    virtual bool RenewLease(const std::string& plan_id, const std::string& owner, TimeMs lease_until) = 0;
    // Gives the lease up if `owner` holds it.
    virtual void ReleaseLease(const std::string& plan_id, const std::string& owner) = 0;
    // The owners holding any plan lease now (expired or not).
    virtual std::vector<std::string> LeaseOwners() = 0;
    // Marks every lease of `owner` expired (a gateway known to be dead); returns how many.
    virtual int ExpireLeasesOf(const std::string& owner) = 0;

    // Writes d's state, step, progress, error, finished_at, not_before and steps, only while `owner`
    // holds the plan's lease; false (nothing written) otherwise.
    virtual bool SaveDeployment(const Deployment& d, const std::string& owner) = 0;
    virtual void AddEvent(const std::string& deployment_id, const DeploymentEvent& event) = 0;

    // The plan's PlanTarget row (any owner: the engine's own reads).
    virtual std::optional<PlanTarget> GetPlanTarget(const std::string& plan_id) = 0;
    // The rows of these plans that belong to `owner_id`, for status in plan lists: every field but state,
    // sealed_secret and document, which are left empty.
    virtual std::vector<PlanTarget> GetPlanTargets(const std::string& owner_id,
                                                   const std::vector<std::string>& plan_ids) = 0;
    // Plans with something deployed, for the monitor.
    virtual std::vector<std::string> DeployedPlanIds() = 0;
    // Plans whose target state is not null (deployed, failed part-way, or mid-job), for Engine::Start.
    virtual std::vector<std::string> PlanIdsWithState() = 0;
    // Stores the target's state JSON while `owner` holds the lease; false otherwise.
    virtual bool SaveTargetState(const std::string& plan_id, const std::string& owner, const std::string& state) = 0;
    // Stores `sealed` as the plan's secret unless one is stored; returns the stored one (generated once).
    virtual std::string EnsureSecret(const std::string& plan_id, const std::string& sealed) = 0;
    // Sets the light; with `unless_busy` (the monitor) only while no job of the plan is queued or running.
    virtual void SetLight(const std::string& plan_id, const PlanLight& light, bool unless_busy) = 0;
    // Ends job `d` in ONE transaction, only while `owner` holds the plan's lease and it has not expired at
    // `now`: writes d's state, error, progress, finished_at and steps, applies `outcome` to the plan (see
    // JobOutcome; a plan destroyed, or left with no state and nothing deployed, holds no host servers any
    // more), sets its light and adds its last event. false when the lease is lost or expired: then
    // nothing at all is written and the worker must stop (whoever takes the lease finishes the job).
    virtual bool FinishJob(const Deployment& d, const std::string& owner, TimeMs now, const JobOutcome& outcome) = 0;
    // The monitor's last look.
    virtual void SaveChecks(const std::string& plan_id, const std::string& checks, TimeMs at) = 0;
};

// ---- A user's link to their own cloud account (docs/aws.md, "Your AWS account"). ----

struct AwsAccountLink {
    std::string user_id;
    std::string external_id;  // generated by the gateway once per user and never changed or chosen by the user
    std::string role_arn;     // "" until the user sets it
    TimeMs updated_at = 0;
};

class CloudAccountStore {
public:
    virtual ~CloudAccountStore() = default;
    // The user's link, created with `new_external_id` when the user has none yet; otherwise the stored one
    // (new_external_id is then ignored), so the ExternalId is generated once and stays.
    virtual AwsAccountLink EnsureAwsLink(const std::string& user_id, const std::string& new_external_id, TimeMs now) = 0;
    virtual std::optional<AwsAccountLink> GetAwsLink(const std::string& user_id) = 0;
    // Sets the role ARN ("" clears it); false when the user has no link yet (call EnsureAwsLink first).
    virtual bool SetAwsRoleArn(const std::string& user_id, const std::string& role_arn, TimeMs now) = 0;
};

class Store : public UserStore, public PlanStore {
public:
    // Deployments, jobs, leases and secrets; shares this store's database.
    virtual DeploymentStore& deployments() = 0;
    // Users' links to their cloud accounts; shares this store's database.
    virtual CloudAccountStore& cloud_accounts() = 0;
    // Pending sign-ups and the first account; shares this store's database.
    virtual SignupStore& signups() = 0;
    // True when the database answers a trivial query (readiness).
    virtual bool Ping() = 0;
    // A value that differs whenever anything this store holds may have changed since it was last read, by this
    // process or another; nullopt when the store cannot tell (then callers must not reuse earlier answers).
    // Read it BEFORE the data it vouches for, so an answer is never filed under a newer stamp than its data.
    virtual std::optional<std::uint64_t> ChangeStamp() = 0;
};

// Opens (creating if needed) the SQLite database at `file` and applies pending migrations.
// Throws StoreError with a readable message when the file cannot be opened or migrated.
std::unique_ptr<Store> OpenSqliteStore(const std::filesystem::path& file);

}  // namespace gw
