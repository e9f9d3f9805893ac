// The SQLite DeploymentStore: deployments, their steps and events, and per plan the target's state, the
// sealed secret, the status light and the plan's lease. Every call takes the store's one mutex and runs
// in one transaction where it writes more than one row, so a kill -9 leaves either all or none of it.
#include "store_sqlite_deploy.hpp"

#include <algorithm>

#include "sqlite_util.hpp"

namespace gw {
namespace {

using sqlite::Statement;
using sqlite::Transaction;

// An active job holds the plan: no second deploy, no monitor check, no plan deletion meanwhile.
constexpr const char* kActive = "state IN ('queued', 'running')";

constexpr const char* kDeploymentColumns =
    "id, plan_id, owner_id, revision, kind, state, step, progress, error, document, options, created_at,"
    " finished_at, not_before";

constexpr const char* kTargetColumns =
    "plan_id, owner_id, provider, state, sealed_secret, document, revision, deployed, light, reason, step,"
    " progress, deployment_id, last_deployed_at, checks, checked_at";

class SqliteDeploymentStore final : public DeploymentStore {
public:
    SqliteDeploymentStore(sqlite3* db, std::mutex& mutex) : db_(db), mutex_(mutex) {}

    CreateDeploymentResult CreateDeployment(const Deployment& d, const std::string& provider,
                                            const JobQuota& quota) override {
        std::lock_guard lock(mutex_);
        Transaction tx(db_);
        CreateDeploymentResult result;
        {
            Statement s(db_, "SELECT 1 FROM plans WHERE id = ? AND owner_id = ?");
            s.Bind(1, d.plan_id).Bind(2, d.owner_id);
            if (!s.Step()) return result;  // NoPlan; the transaction rolls back
        }
        {
            Statement s(db_, std::string("SELECT id FROM deployments WHERE plan_id = ? AND ") + kActive);
            s.Bind(1, d.plan_id);
            if (s.Step()) {
                result.status = CreateDeploymentResult::Status::Busy;
                result.active_id = s.Text(0);
                return result;
            }
        }
        if (quota.max_active_jobs > 0) {
            Statement s(db_, std::string("SELECT COUNT(*) FROM deployments WHERE owner_id = ? AND ") + kActive);
            s.Bind(1, d.owner_id);
            const int active = s.Step() ? static_cast<int>(s.Int(0)) : 0;
            if (active >= quota.max_active_jobs) {
                result.status = CreateDeploymentResult::Status::TooManyJobs;
                result.limit = quota.max_active_jobs;
                result.in_use = active;
                return result;
            }
        }
        const bool deploys = d.kind == "deploy" || d.kind == "redeploy";
        int host_servers = 0;  // what the plan counts from now on
        if (deploys) {
            Statement s(db_,
                        "SELECT COALESCE(SUM(CASE WHEN plan_id = ? THEN host_servers END), 0),"
                        " COALESCE(SUM(CASE WHEN plan_id <> ? THEN host_servers END), 0)"
                        " FROM plan_targets WHERE owner_id = ?");
            s.Bind(1, d.plan_id).Bind(2, d.plan_id).Bind(3, d.owner_id);
            const int mine = s.Step() ? static_cast<int>(s.Int(0)) : 0;
            const int others = static_cast<int>(s.Int(1));
            // Until the job ends the plan may run both its old servers and the new revision's.
            host_servers = std::max(mine, quota.host_servers);
            // Only growth is refused: a redeploy that keeps or shrinks a plan stays possible over a lowered limit.
            if (quota.max_host_servers > 0 && host_servers > mine && others + host_servers > quota.max_host_servers) {
                result.status = CreateDeploymentResult::Status::TooManyHostServers;
                result.limit = quota.max_host_servers;
                result.in_use = others + mine;
                return result;
            }
        }
        {
            Statement s(db_,
                        "INSERT INTO plan_targets(plan_id, owner_id, provider) VALUES(?, ?, ?)"
                        " ON CONFLICT(plan_id) DO UPDATE SET provider = excluded.provider");
            s.Bind(1, d.plan_id).Bind(2, d.owner_id).Bind(3, provider);
            Run(s, "upsert plan target");
        }
        if (deploys) {
            Statement s(db_, "UPDATE plan_targets SET host_servers = ? WHERE plan_id = ?");
            s.Bind(1, static_cast<std::int64_t>(host_servers)).Bind(2, d.plan_id);
            Run(s, "count host servers");
        }
        {
            Statement s(db_, std::string("INSERT INTO deployments(") + kDeploymentColumns +
                                 ", seq) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                                 " (SELECT COALESCE(MAX(seq), 0) + 1 FROM deployments))");
            BindDeployment(s, d);
            Run(s, "insert deployment");
        }
        WriteSteps(d);
        for (const DeploymentEvent& e : d.events) {  // its first lines, before any worker can claim it
            Statement s(db_, "INSERT INTO deployment_events(deployment_id, at, level, message) VALUES(?, ?, ?, ?)");
            s.Bind(1, d.id).Bind(2, e.at).Bind(3, e.level).Bind(4, e.message);
            Run(s, "add event");
        }
        if (d.kind != "backup") {
            Statement s(db_,
                        "UPDATE plan_targets SET light = 'orange', reason = ?, step = '', progress = 0,"
                        " deployment_id = ? WHERE plan_id = ?");
            s.Bind(1, std::string(d.kind == "destroy" ? "Destroying." : "Deploying.")).Bind(2, d.id).Bind(3, d.plan_id);
            Run(s, "set light");
        } else {
            // A backup is orange too, but the plan's deployment_id keeps naming its last deploy.
            Statement s(db_, "UPDATE plan_targets SET light = 'orange', reason = 'Backing up.', step = '', progress = 0"
                             " WHERE plan_id = ?");
            s.Bind(1, d.plan_id);
            Run(s, "set light");
        }
        tx.Commit();
        result.status = CreateDeploymentResult::Status::Created;
        return result;
    }

    std::optional<Deployment> GetDeployment(const std::string& owner_id, const std::string& id,
                                            bool with_events) override {
        std::lock_guard lock(mutex_);
        Statement s(db_, std::string("SELECT ") + kDeploymentColumns +
                             " FROM deployments WHERE id = ? AND (? = '' OR owner_id = ?)");
        s.Bind(1, id).Bind(2, owner_id).Bind(3, owner_id);
        if (!s.Step()) return std::nullopt;
        Deployment d = ReadDeployment(s);
        ReadSteps(d);
        if (with_events) {
            Statement e(db_, "SELECT at, level, message FROM deployment_events WHERE deployment_id = ? ORDER BY id");
            e.Bind(1, d.id);
            while (e.Step()) d.events.push_back({e.Int(0), e.Text(1), e.Text(2)});
        }
        return d;
    }

    std::vector<Deployment> ListDeployments(const std::string& owner_id, const std::string& plan_id,
                                            int limit) override {
        std::lock_guard lock(mutex_);
        Statement s(db_, std::string("SELECT ") + kDeploymentColumns +
                             " FROM deployments WHERE plan_id = ? AND owner_id = ? ORDER BY seq DESC LIMIT ?");
        s.Bind(1, plan_id).Bind(2, owner_id).Bind(3, static_cast<std::int64_t>(limit));
        std::vector<Deployment> out;
        while (s.Step()) out.push_back(ReadDeployment(s));
        for (Deployment& d : out) ReadSteps(d);
        return out;
    }

    std::optional<Deployment> ClaimJob(const std::string& owner, TimeMs now, TimeMs lease_until) override {
        std::lock_guard lock(mutex_);
        // BEGIN IMMEDIATE takes SQLite's write lock first, so two gateways on one file cannot both see the
        // lease free and both take it.
        Transaction tx(db_);
        std::string id, plan_id;
        {
            // Per user: the oldest claimable job. Then the user with the fewest plans leased now (their jobs in
            // progress), the least recently served (the latest claim_seq of their plans), the oldest job.
            Statement s(db_,
                        "WITH due AS (SELECT d.owner_id, MIN(d.seq) AS first_seq FROM deployments d"
                        " JOIN plan_targets t ON t.plan_id = d.plan_id"
                        " WHERE d.state IN ('queued', 'running') AND d.not_before <= ?1"
                        " AND (t.lease_owner = '' OR t.lease_expires_at <= ?1) GROUP BY d.owner_id)"
                        " SELECT d.id, d.plan_id FROM due JOIN deployments d ON d.seq = due.first_seq"
                        " ORDER BY (SELECT COUNT(*) FROM plan_targets r WHERE r.owner_id = due.owner_id"
                        " AND r.lease_owner <> '' AND r.lease_expires_at > ?1),"
                        " (SELECT MAX(r.claim_seq) FROM plan_targets r WHERE r.owner_id = due.owner_id),"
                        " due.first_seq LIMIT 1");
            s.Bind(1, now);
            if (!s.Step()) return std::nullopt;
            id = s.Text(0);
            plan_id = s.Text(1);
        }
        {
            Statement s(db_,
                        "UPDATE plan_targets SET lease_owner = ?, lease_expires_at = ?,"
                        " claim_seq = (SELECT MAX(claim_seq) + 1 FROM plan_targets) WHERE plan_id = ?");
            s.Bind(1, owner).Bind(2, lease_until).Bind(3, plan_id);
            Run(s, "take lease");
        }
        Statement s(db_, std::string("SELECT ") + kDeploymentColumns + " FROM deployments WHERE id = ?");
        s.Bind(1, id);
        if (!s.Step()) throw StoreError("claimed deployment vanished");
        Deployment d = ReadDeployment(s);
        ReadSteps(d);
        tx.Commit();
        return d;
    }

    bool TryLeasePlan(const std::string& plan_id, const std::string& owner, TimeMs now,
                      TimeMs lease_until) override {
        std::lock_guard lock(mutex_);
        Statement s(db_, std::string("UPDATE plan_targets SET lease_owner = ?, lease_expires_at = ?"
                                     " WHERE plan_id = ? AND deployed = 1 AND (lease_owner = '' OR lease_expires_at <= ?)"
                                     " AND NOT EXISTS (SELECT 1 FROM deployments WHERE plan_id = ? AND ") +
                             kActive + ")");
        s.Bind(1, owner).Bind(2, lease_until).Bind(3, plan_id).Bind(4, now).Bind(5, plan_id);
        Run(s, "lease plan");
        return sqlite3_changes(db_) == 1;
    }

    bool RenewLease(const std::string& plan_id, const std::string& owner, TimeMs lease_until) override {
        std::lock_guard lock(mutex_);
        Statement s(db_, "UPDATE plan_targets SET lease_expires_at = ? WHERE plan_id = ? AND lease_owner = ?");
        s.Bind(1, lease_until).Bind(2, plan_id).Bind(3, owner);
        Run(s, "renew lease");
        return sqlite3_changes(db_) == 1;
    }

    void ReleaseLease(const std::string& plan_id, const std::string& owner) override {
        std::lock_guard lock(mutex_);
        Statement s(db_,
                    "UPDATE plan_targets SET lease_owner = '', lease_expires_at = 0 WHERE plan_id = ? AND lease_owner = ?");
        s.Bind(1, plan_id).Bind(2, owner);
        Run(s, "release lease");
    }

    std::vector<std::string> LeaseOwners() override {
        std::lock_guard lock(mutex_);
        Statement s(db_, "SELECT DISTINCT lease_owner FROM plan_targets WHERE lease_owner != ''");
        std::vector<std::string> out;
        while (s.Step()) out.push_back(s.Text(0));
        return out;
    }

    int ExpireLeasesOf(const std::string& owner) override {
        std::lock_guard lock(mutex_);
        Statement s(db_, "UPDATE plan_targets SET lease_expires_at = 0 WHERE lease_owner = ?");
        s.Bind(1, owner);
        Run(s, "expire leases");
        return sqlite3_changes(db_);
    }

    bool SaveDeployment(const Deployment& d, const std::string& owner) override {
        std::lock_guard lock(mutex_);
        Transaction tx(db_);
        if (!Holds(d.plan_id, owner)) return false;
        {
            Statement s(db_,
                        "UPDATE deployments SET state = ?, step = ?, progress = ?, error = ?, finished_at = ?,"
                        " not_before = ? WHERE id = ?");
            s.Bind(1, d.state).Bind(2, d.step).Bind(3, d.progress).Bind(4, d.error).Bind(5, d.finished_at);
            s.Bind(6, d.not_before).Bind(7, d.id);
            Run(s, "save deployment");
        }
        WriteSteps(d);
        tx.Commit();
        return true;
    }

    void AddEvent(const std::string& deployment_id, const DeploymentEvent& e) override {
        std::lock_guard lock(mutex_);
        Statement s(db_, "INSERT INTO deployment_events(deployment_id, at, level, message) VALUES(?, ?, ?, ?)");
        s.Bind(1, deployment_id).Bind(2, e.at).Bind(3, e.level).Bind(4, e.message);
        Run(s, "add event");
    }

    std::optional<PlanTarget> GetPlanTarget(const std::string& plan_id) override {
        std::lock_guard lock(mutex_);
        Statement s(db_, std::string("SELECT ") + kTargetColumns + " FROM plan_targets WHERE plan_id = ?");
        s.Bind(1, plan_id);
        if (!s.Step()) return std::nullopt;
        return ReadTarget(s);
    }

    std::vector<PlanTarget> GetPlanTargets(const std::string& owner_id,
                                           const std::vector<std::string>& plan_ids) override {
        std::vector<PlanTarget> out;
        if (plan_ids.empty()) return out;
        // The status columns only: state, document and the sealed secret are kilobytes a list does not show.
        std::string sql =
            "SELECT plan_id, owner_id, provider, revision, deployed, light, reason, step, progress, deployment_id,"
            " last_deployed_at, checks, checked_at FROM plan_targets WHERE owner_id = ? AND plan_id IN (";
        for (std::size_t i = 0; i < plan_ids.size(); ++i) sql += i ? ", ?" : "?";
        sql += ")";
        std::lock_guard lock(mutex_);
        Statement s(db_, sql);
        s.Bind(1, owner_id);
        for (std::size_t i = 0; i < plan_ids.size(); ++i) s.Bind(static_cast<int>(i) + 2, plan_ids[i]);
        while (s.Step()) {
            PlanTarget t;
            t.plan_id = s.Text(0);
            t.owner_id = s.Text(1);
            t.provider = s.Text(2);
            t.revision = s.Int(3);
            t.deployed = s.Int(4) != 0;
            t.light = s.Text(5);
            t.reason = s.Text(6);
            t.step = s.Text(7);
            t.progress = s.Double(8);
            t.deployment_id = s.Text(9);
            t.last_deployed_at = s.Int(10);
            t.checks = s.Text(11);
            t.checked_at = s.Int(12);
            out.push_back(std::move(t));
        }
        return out;
    }

    std::vector<std::string> DeployedPlanIds() override {
        std::lock_guard lock(mutex_);
        Statement s(db_, "SELECT plan_id FROM plan_targets WHERE deployed = 1 ORDER BY checked_at");
        std::vector<std::string> out;
        while (s.Step()) out.push_back(s.Text(0));
        return out;
    }

    std::vector<std::string> PlanIdsWithState() override {
        std::lock_guard lock(mutex_);
        Statement s(db_, "SELECT plan_id FROM plan_targets WHERE state <> 'null' ORDER BY plan_id");
        std::vector<std::string> out;
        while (s.Step()) out.push_back(s.Text(0));
        return out;
    }

    bool SaveTargetState(const std::string& plan_id, const std::string& owner, const std::string& state) override {
        std::lock_guard lock(mutex_);
        Statement s(db_, "UPDATE plan_targets SET state = ? WHERE plan_id = ? AND lease_owner = ?");
        s.Bind(1, state).Bind(2, plan_id).Bind(3, owner);
        Run(s, "save target state");
        return sqlite3_changes(db_) == 1;
    }

    std::string EnsureSecret(const std::string& plan_id, const std::string& sealed) override {
        std::lock_guard lock(mutex_);
        Transaction tx(db_);
        {
            Statement s(db_, "UPDATE plan_targets SET sealed_secret = ? WHERE plan_id = ? AND sealed_secret = ''");
            s.Bind(1, sealed).Bind(2, plan_id);
            Run(s, "store secret");
        }
        Statement s(db_, "SELECT sealed_secret FROM plan_targets WHERE plan_id = ?");
        s.Bind(1, plan_id);
        if (!s.Step()) throw StoreError("no plan target for " + plan_id);
        std::string stored = s.Text(0);
        tx.Commit();
        return stored;
    }

    void SetLight(const std::string& plan_id, const PlanLight& l, bool unless_busy) override {
        std::lock_guard lock(mutex_);
        Statement s(db_, std::string("UPDATE plan_targets SET light = ?, reason = ?, step = ?, progress = ?"
                                     " WHERE plan_id = ? AND (? = 0 OR NOT EXISTS (SELECT 1 FROM deployments"
                                     " WHERE plan_id = ? AND ") + kActive + "))");
        s.Bind(1, l.light).Bind(2, l.reason).Bind(3, l.step).Bind(4, l.progress).Bind(5, plan_id);
        s.Bind(6, static_cast<std::int64_t>(unless_busy ? 1 : 0)).Bind(7, plan_id);
        Run(s, "set light");
    }

    bool FinishJob(const Deployment& d, const std::string& owner, TimeMs now, const JobOutcome& outcome) override {
        std::lock_guard lock(mutex_);
        // BEGIN IMMEDIATE: the lease check and every write below are one unit, also against another
        // gateway on the same file taking the expired lease in between.
        Transaction tx(db_);
        {
            Statement s(db_, "SELECT 1 FROM plan_targets WHERE plan_id = ? AND lease_owner = ? AND lease_expires_at > ?");
            s.Bind(1, d.plan_id).Bind(2, owner).Bind(3, now);
            if (!s.Step()) return false;  // rolls back: nothing written
        }
        {
            Statement s(db_,
                        "UPDATE deployments SET state = ?, step = ?, progress = ?, error = ?, finished_at = ?,"
                        " not_before = ? WHERE id = ?");
            s.Bind(1, d.state).Bind(2, d.step).Bind(3, d.progress).Bind(4, d.error).Bind(5, d.finished_at);
            s.Bind(6, d.not_before).Bind(7, d.id);
            Run(s, "finish deployment");
        }
        WriteSteps(d);
        if (outcome.change == JobOutcome::PlanChange::Deployed) {
            Statement s(db_,
                        "UPDATE plan_targets SET deployed = 1, revision = ?, document = ?, last_deployed_at = ?,"
                        " host_servers = ? WHERE plan_id = ?");
            s.Bind(1, d.revision).Bind(2, d.document).Bind(3, d.finished_at);
            s.Bind(4, static_cast<std::int64_t>(outcome.host_servers)).Bind(5, d.plan_id);
            Run(s, "mark deployed");
        } else if (outcome.change == JobOutcome::PlanChange::Destroyed) {
            Statement s(db_,
                        "UPDATE plan_targets SET deployed = 0, state = 'null', checks = 'null', checked_at = 0,"
                        " host_servers = 0 WHERE plan_id = ?");
            s.Bind(1, d.plan_id);
            Run(s, "mark destroyed");
        }
        {
            // A first deploy that failed before the target kept any state started nothing on the host.
            Statement s(db_, "UPDATE plan_targets SET host_servers = 0 WHERE plan_id = ? AND deployed = 0 AND state = 'null'");
            s.Bind(1, d.plan_id);
            Run(s, "release host servers");
        }
        if (outcome.light) {
            Statement s(db_, "UPDATE plan_targets SET light = ?, reason = ?, step = ?, progress = ? WHERE plan_id = ?");
            s.Bind(1, outcome.light->light).Bind(2, outcome.light->reason).Bind(3, outcome.light->step);
            s.Bind(4, outcome.light->progress).Bind(5, d.plan_id);
            Run(s, "set light");
        }
        if (outcome.event) {
            Statement s(db_, "INSERT INTO deployment_events(deployment_id, at, level, message) VALUES(?, ?, ?, ?)");
            s.Bind(1, d.id).Bind(2, outcome.event->at).Bind(3, outcome.event->level).Bind(4, outcome.event->message);
            Run(s, "add event");
        }
        tx.Commit();
        return true;
    }

    void SaveChecks(const std::string& plan_id, const std::string& checks, TimeMs at) override {
        std::lock_guard lock(mutex_);
        Statement s(db_, "UPDATE plan_targets SET checks = ?, checked_at = ? WHERE plan_id = ?");
        s.Bind(1, checks).Bind(2, at).Bind(3, plan_id);
        Run(s, "save checks");
    }

private:
    void Run(Statement& s, const char* what) {
        if (s.Run() != SQLITE_DONE) throw StoreError(std::string(what) + " failed: " + sqlite3_errmsg(db_));
    }

    bool Holds(const std::string& plan_id, const std::string& owner) {
        Statement s(db_, "SELECT 1 FROM plan_targets WHERE plan_id = ? AND lease_owner = ?");
        s.Bind(1, plan_id).Bind(2, owner);
        return s.Step();
    }

    static void BindDeployment(Statement& s, const Deployment& d) {
        s.Bind(1, d.id).Bind(2, d.plan_id).Bind(3, d.owner_id).Bind(4, d.revision).Bind(5, d.kind);
        s.Bind(6, d.state).Bind(7, d.step).Bind(8, d.progress).Bind(9, d.error).Bind(10, d.document);
        s.Bind(11, d.options).Bind(12, d.created_at).Bind(13, d.finished_at).Bind(14, d.not_before);
    }

    static Deployment ReadDeployment(const Statement& s) {
        Deployment d;
        d.id = s.Text(0);
        d.plan_id = s.Text(1);
        d.owner_id = s.Text(2);
        d.revision = s.Int(3);
        d.kind = s.Text(4);
        d.state = s.Text(5);
        d.step = s.Text(6);
        d.progress = s.Double(7);
        d.error = s.Text(8);
        d.document = s.Text(9);
        d.options = s.Text(10);
        d.created_at = s.Int(11);
        d.finished_at = s.Int(12);
        d.not_before = s.Int(13);
        return d;
    }

    static PlanTarget ReadTarget(const Statement& s) {
        PlanTarget t;
        t.plan_id = s.Text(0);
        t.owner_id = s.Text(1);
        t.provider = s.Text(2);
        t.state = s.Text(3);
        t.sealed_secret = s.Text(4);
        t.document = s.Text(5);
        t.revision = s.Int(6);
        t.deployed = s.Int(7) != 0;
        t.light = s.Text(8);
        t.reason = s.Text(9);
        t.step = s.Text(10);
        t.progress = s.Double(11);
        t.deployment_id = s.Text(12);
        t.last_deployed_at = s.Int(13);
        t.checks = s.Text(14);
        t.checked_at = s.Int(15);
        return t;
    }

    void WriteSteps(const Deployment& d) {
        for (std::size_t i = 0; i < d.steps.size(); ++i) {
            const DeploymentStep& st = d.steps[i];
            Statement s(db_,
                        "INSERT INTO deployment_steps(deployment_id, position, name, state, started_at, finished_at, runs)"
                        " VALUES(?, ?, ?, ?, ?, ?, ?) ON CONFLICT(deployment_id, position) DO UPDATE SET"
                        " state = excluded.state, started_at = excluded.started_at,"
                        " finished_at = excluded.finished_at, runs = excluded.runs");
            s.Bind(1, d.id).Bind(2, static_cast<std::int64_t>(i)).Bind(3, st.name).Bind(4, st.state);
            s.Bind(5, st.started_at).Bind(6, st.finished_at).Bind(7, static_cast<std::int64_t>(st.runs));
            Run(s, "write step");
        }
    }

    void ReadSteps(Deployment& d) {
        Statement s(db_,
                    "SELECT name, state, started_at, finished_at, runs FROM deployment_steps WHERE deployment_id = ?"
                    " ORDER BY position");
        s.Bind(1, d.id);
        d.steps.clear();
        while (s.Step()) d.steps.push_back({s.Text(0), s.Text(1), s.Int(2), s.Int(3), static_cast<int>(s.Int(4))});
    }

    sqlite3* db_;
    std::mutex& mutex_;
};

}  // namespace

std::unique_ptr<DeploymentStore> MakeSqliteDeploymentStore(sqlite3* db, std::mutex& mutex) {
    return std::make_unique<SqliteDeploymentStore>(db, mutex);
}

}  // namespace gw
