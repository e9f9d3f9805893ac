// The deploy engine (engine.hpp). Index:
// [SECTION] helpers       step names, kinds, redaction
// [SECTION] lifecycle     Register, Start, Shutdown, the three loops
// [SECTION] requests      Deploy, Destroy, Backup, Enqueue
// [SECTION] reads         Get, List, Status, Connection, Password
// [SECTION] jobs          RunJob: one job as a state machine over the target's steps
// [SECTION] monitor       MonitorOnce
#include "deploy/engine.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <fstream>

#include "crypto.hpp"
#include "plan/json.hpp"

namespace gw::deploy {
namespace {

using nlohmann::json;

// [SECTION] helpers

std::optional<Step> StepNamed(std::string_view name) {
    for (Step s : kSteps) {
        if (ToString(s) == name) return s;
    }
    return std::nullopt;
}

std::vector<std::string> DeploySteps() {
    std::vector<std::string> names;
    for (Step s : kSteps) names.emplace_back(ToString(s));
    return names;
}

// Secrets never leave through events or errors, whatever a target wrote into them.
std::string Redact(std::string text, const std::string& secret) {
    if (secret.empty()) return text;
    for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
        text.replace(at, secret.size(), "[redacted]");
    }
    return text;
}

std::string Seconds(TimeMs ms) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(ms) / 1000.0);
    return text;
}

std::string Capitalised(std::string text) {
    if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
    return text;
}

// The orange light's reason while a job runs: what the plan is going through, in words.
std::string OrangeReason(const std::string& kind, const std::string& step) {
    if (kind == "destroy") return "Destroying.";
    if (kind == "backup") return "Backing up.";
    return "Deploying: " + step + ".";
}

// The light a health check gives (the monitor's, and the one after a backup job).
PlanLight LightFromHealth(const Health& health, const std::string& secret) {
    PlanLight light;
    light.light = health.ok ? "green" : "red";
    light.reason = health.ok ? "Running; the last checks passed."
                             : Redact(health.reason.empty() ? "The last check failed." : health.reason, secret);
    return light;
}

std::string BootId() {
    std::ifstream in("/proc/sys/kernel/random/boot_id");
    std::string id;
    std::getline(in, id);
    return id.empty() ? "noboot" : id.substr(0, 8);
}

std::string HostName() {
    char name[256] = {};
    if (gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "nohost";
    std::string host(name);
    std::replace(host.begin(), host.end(), ':', '_');
    return host;
}

}  // namespace

std::string NewOwnerId() {
    return "gw:" + BootId() + ":" + HostName() + ":" + std::to_string(getpid()) + ":" + RandomId("").substr(0, 8);
}

bool IsDeadLocalOwner(const std::string& owner) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t at = owner.find(':'); ; at = owner.find(':', start)) {
        parts.push_back(owner.substr(start, at == std::string::npos ? std::string::npos : at - start));
        if (at == std::string::npos) break;
        start = at + 1;
    }
    if (parts.size() != 5 || parts[0] != "gw" || parts[1] != BootId() || parts[2] != HostName()) return false;
    if (parts[3].empty() || parts[3].find_first_not_of("0123456789") != std::string::npos || parts[3].size() > 9) {
        return false;
    }
    const pid_t pid = static_cast<pid_t>(std::stol(parts[3]));
    if (pid == getpid()) return false;  // this very process (another engine in it) is alive
    // ESRCH: no such process. A reused pid (EPERM or 0) reads as alive: the lease then just expires.
    return pid > 0 && kill(pid, 0) != 0 && errno == ESRCH;
}

// [SECTION] lifecycle

Engine::Engine(DeploymentStore& store, SecretBox secrets, Log& log, EngineOptions options)
    : store_(store), secrets_(std::move(secrets)), log_(log), options_(std::move(options)) {
    if (options_.owner_id.empty()) options_.owner_id = NewOwnerId();
    if (!options_.clock) options_.clock = SystemNowMs;
    options_.workers = std::max(1, options_.workers);
    options_.lease_ms = std::max(300, options_.lease_ms);
}

Engine::~Engine() { Shutdown(); }

void Engine::Register(std::unique_ptr<Target> target) {
    std::string name(target->Name());
    RegisterFor(std::move(name), std::move(target));
}

void Engine::RegisterFor(std::string provider, std::unique_ptr<Target> target) {
    targets_[std::move(provider)] = std::move(target);
}

bool Engine::Serves(const std::string& provider) const { return TargetFor(provider) != nullptr; }

Target* Engine::TargetFor(const std::string& provider) const {
    auto it = targets_.find(provider);
    return it == targets_.end() ? nullptr : it->second.get();
}

void Engine::Start() {
    if (started_) return;
    started_ = true;
    try {
        for (const std::string& owner : store_.LeaseOwners()) {
            if (owner == options_.owner_id || !IsDeadLocalOwner(owner)) continue;
            const int plans = store_.ExpireLeasesOf(owner);
            log_.Info("deploy.lease_reclaimed", {{"dead_owner", owner}, {"plans", plans}});
        }
    } catch (const std::exception& e) {
        log_.Error("deploy.reclaim_failed", "", e.what());
    }
    AdoptStoredState();
    std::vector<std::string> providers;
    for (const auto& [name, target] : targets_) providers.push_back(name);
    log_.Info("deploy.engine_start", {{"owner_id", options_.owner_id},
                                      {"workers", options_.workers},
                                      {"lease_ms", options_.lease_ms},
                                      {"monitor_interval_ms", options_.monitor_interval_ms},
                                      {"targets", providers}});
    for (int i = 0; i < options_.workers; ++i) threads_.emplace_back([this] { WorkerLoop(); });
    threads_.emplace_back([this] { HeartbeatLoop(); });
    if (options_.monitor_interval_ms > 0) threads_.emplace_back([this] { MonitorLoop(); });
}

void Engine::AdoptStoredState() {
    // Before any worker can hand out a new resource (a local port): what the store says is in use is
    // taken back first, also for servers that are stopped now and so hold nothing a probe could see.
    try {
        for (const std::string& plan_id : store_.PlanIdsWithState()) {
            const auto row = store_.GetPlanTarget(plan_id);
            Target* target = row ? TargetFor(row->provider) : nullptr;
            if (!target) continue;
            const json state = json::parse(row->state, nullptr, false);
            if (state.is_discarded() || state.is_null()) continue;
            try {
                for (const std::string& problem : target->Adopt(plan_id, state)) {
                    log_.Info("deploy.adopt_problem", {{"plan_id", plan_id}, {"provider", row->provider},
                                                       {"problem", problem}});
                }
            } catch (const std::exception& e) {
                log_.Error("deploy.adopt_failed", "", plan_id + ": " + e.what());
            }
        }
    } catch (const std::exception& e) {
        log_.Error("deploy.adopt_failed", "", e.what());
    }
}

void Engine::Shutdown() {
    {
        std::lock_guard lock(wake_mutex_);
        if (stopping_.exchange(true)) return;
    }
    wake_.notify_all();
    for (std::thread& t : threads_) t.join();
    threads_.clear();
}

void Engine::WorkerLoop() {
    while (!stopping_) {
        std::optional<Deployment> job;
        try {
            const TimeMs now = options_.clock();
            job = store_.ClaimJob(options_.owner_id, now, now + options_.lease_ms);
        } catch (const std::exception& e) {
            log_.Error("deploy.claim_failed", "", e.what());
        }
        if (job) {
            RunJob(std::move(*job));
            continue;
        }
        std::unique_lock lock(wake_mutex_);
        wake_.wait_for(lock, std::chrono::milliseconds(options_.poll_ms), [this] { return stopping_.load(); });
    }
}

void Engine::HeartbeatLoop() {
    // Renewing at a third of the lease leaves two chances before it can expire under us.
    const auto period = std::chrono::milliseconds(std::max(50, options_.lease_ms / 3));
    while (!stopping_) {
        {
            std::unique_lock lock(wake_mutex_);
            wake_.wait_for(lock, period, [this] { return stopping_.load(); });
        }
        std::vector<std::pair<std::string, std::shared_ptr<Held>>> held;
        {
            std::lock_guard lock(held_mutex_);
            held.assign(held_.begin(), held_.end());
        }
        for (auto& [plan_id, h] : held) {
            try {
                if (!store_.RenewLease(plan_id, options_.owner_id, options_.clock() + options_.lease_ms)) {
                    h->lost = true;
                    log_.Info("deploy.lease_lost", {{"plan_id", plan_id}, {"owner_id", options_.owner_id}});
                }
            } catch (const std::exception& e) {
                log_.Error("deploy.renew_failed", "", e.what());
            }
        }
    }
}

void Engine::MonitorLoop() {
    while (!stopping_) {
        {
            std::unique_lock lock(wake_mutex_);
            wake_.wait_for(lock, std::chrono::milliseconds(options_.monitor_interval_ms),
                           [this] { return stopping_.load(); });
        }
        if (stopping_) break;
        try {
            MonitorOnce();
        } catch (const std::exception& e) {
            log_.Error("deploy.monitor_failed", "", e.what());
        }
    }
}

std::shared_ptr<Engine::Held> Engine::Hold(const std::string& plan_id) {
    std::lock_guard lock(held_mutex_);
    auto held = std::make_shared<Held>();
    held_[plan_id] = held;
    return held;
}

void Engine::Unhold(const std::string& plan_id) {
    std::lock_guard lock(held_mutex_);
    held_.erase(plan_id);
}

// [SECTION] requests

JobRequest Engine::Deploy(const PlanRecord& plan, const plan::Plan& parsed, const JobLimits& limits) {
    const std::string& provider = parsed.cloud.provider;
    if (!Serves(provider)) {
        JobRequest r;
        r.outcome = JobRequest::Outcome::NoTarget;
        r.message = "This gateway has no deploy target for cloud.provider \"" + provider +
                    "\"; choose a provider it serves (e.g. \"local\") or configure that cloud.";
        return r;
    }
    const auto existing = store_.GetPlanTarget(plan.id);
    if (existing && existing->deployed && existing->provider != provider) {
        JobRequest r;
        r.outcome = JobRequest::Outcome::Busy;
        r.message = "The plan is deployed on \"" + existing->provider + "\"; destroy it first to move it to \"" +
                    provider + "\".";
        return r;
    }
    const bool redeploy = existing && existing->deployed;
    const JobQuota quota{limits.max_active_jobs, TargetFor(provider)->HostServers(parsed), limits.max_host_servers};
    return Enqueue(plan, redeploy ? "redeploy" : "deploy", provider, json::object(), DeploySteps(), quota);
}

JobRequest Engine::Destroy(const PlanRecord& plan, bool final_backup, const JobLimits& limits) {
    const auto existing = store_.GetPlanTarget(plan.id);
    // A failed first deployment can leave resources (state not null): destroy cleans those up too.
    if (!existing || (!existing->deployed && existing->state == "null")) {
        JobRequest r;
        r.outcome = JobRequest::Outcome::NotDeployed;
        r.message = "Nothing of this plan is deployed.";
        return r;
    }
    PlanRecord deployed = plan;
    if (!existing->document.empty()) {
        deployed.document = existing->document;
        deployed.revision = existing->revision;
    }
    return Enqueue(deployed, "destroy", existing->provider, {{"final_backup", final_backup}}, {"destroy"},
                   JobQuota{limits.max_active_jobs, 0, 0});
}

JobRequest Engine::Backup(const PlanRecord& plan, bool validate, const JobLimits& limits) {
    const auto existing = store_.GetPlanTarget(plan.id);
    if (!existing || !existing->deployed) {
        JobRequest r;
        r.outcome = JobRequest::Outcome::NotDeployed;
        r.message = "The plan is not deployed; deploy it before taking a backup.";
        return r;
    }
    PlanRecord deployed = plan;
    deployed.document = existing->document;
    deployed.revision = existing->revision;
    return Enqueue(deployed, "backup", existing->provider, {{"validate", validate}}, {"backup"},
                   JobQuota{limits.max_active_jobs, 0, 0});
}

JobRequest Engine::Enqueue(const PlanRecord& plan, std::string kind, std::string provider, json options,
                           std::vector<std::string> steps, const JobQuota& quota, std::string why) {
    JobRequest r;
    Deployment& d = r.deployment;
    d.id = RandomId("d_");
    d.plan_id = plan.id;
    d.owner_id = plan.owner_id;
    d.revision = plan.revision;
    d.kind = std::move(kind);
    d.document = plan.document;
    d.options = options.dump();
    d.created_at = options_.clock();
    for (std::string& name : steps) d.steps.push_back({std::move(name)});
    // Written with the job itself: a worker may claim it the moment it is committed, and a line added after that
    // could come after the job's own (or meet a store that is gone).
    d.events.push_back({d.created_at, "info",
                        Capitalised(d.kind) + " of revision " + std::to_string(d.revision) + " queued" +
                            (why.empty() ? "." : ": " + why + ".")});
    const CreateDeploymentResult created = store_.CreateDeployment(d, provider, quota);
    switch (created.status) {
        case CreateDeploymentResult::Status::NoPlan:
            r.outcome = JobRequest::Outcome::NotFound;
            r.message = "No plan with this id.";
            return r;
        case CreateDeploymentResult::Status::Busy:
            r.outcome = JobRequest::Outcome::Busy;
            r.message = "Deployment " + created.active_id + " of this plan is still queued or running; wait for it "
                        "to finish (GET /v1/deployments/" + created.active_id + ").";
            return r;
        case CreateDeploymentResult::Status::TooManyJobs:
            r.outcome = JobRequest::Outcome::QuotaExceeded;
            r.quota = "active_jobs_per_user";
            r.limit = created.limit;
            r.in_use = created.in_use;
            r.message = "You have " + std::to_string(created.in_use) + " deployments, destroys or backups queued or "
                        "running, the most this gateway runs for one user at a time (" + std::to_string(created.limit) +
                        "); wait for one to finish, then ask again.";
            return r;
        case CreateDeploymentResult::Status::TooManyHostServers:
            r.outcome = JobRequest::Outcome::QuotaExceeded;
            r.quota = "local_servers_per_user";
            r.limit = created.limit;
            r.in_use = created.in_use;
            r.message = "This deployment would run " + std::to_string(quota.host_servers) + " PostgreSQL server" +
                        (quota.host_servers == 1 ? "" : "s") + " on this machine, and your plans already run or hold " +
                        std::to_string(created.in_use) + " of the " + std::to_string(created.limit) +
                        " this gateway allows one user; destroy a local deployment or use fewer replicas.";
            return r;
        case CreateDeploymentResult::Status::Created:
            break;
    }
    r.outcome = JobRequest::Outcome::Queued;
    log_.Info("deploy.queued", {{"deployment_id", d.id}, {"plan_id", d.plan_id}, {"kind", d.kind}});
    wake_.notify_all();
    return r;
}

// [SECTION] reads

std::optional<Deployment> Engine::Get(const std::string& owner_id, const std::string& deployment_id) {
    if (owner_id.empty()) return std::nullopt;  // "" means any owner to the store; never from a route
    return store_.GetDeployment(owner_id, deployment_id, true);
}

std::vector<Deployment> Engine::List(const std::string& owner_id, const std::string& plan_id, int limit) {
    return store_.ListDeployments(owner_id, plan_id, limit);
}

std::map<std::string, PlanStatus> Engine::Statuses(const std::string& owner_id,
                                                   const std::vector<std::string>& plan_ids) {
    std::map<std::string, PlanStatus> out;
    for (const std::string& id : plan_ids) out[id] = PlanStatus{};
    for (const PlanTarget& t : store_.GetPlanTargets(owner_id, plan_ids)) {
        PlanStatus& s = out[t.plan_id];
        s.light = t.light;
        s.reason = t.reason;
        if (s.light == "grey" && s.reason.empty()) s.reason = "Not deployed yet.";
        if (s.light == "orange") {
            s.step = t.step;
            s.progress = t.progress;
        }
        s.deployment_id = t.deployment_id;
        s.last_deployed_at = t.last_deployed_at;
        s.checked_at = t.checked_at;
        if (t.checks != "null") {  // most plans were never checked; parsing costs on every list
            s.checks = json::parse(t.checks, nullptr, false);
            if (s.checks.is_discarded()) s.checks = nullptr;
        }
    }
    return out;
}

PlanStatus Engine::Status(const std::string& owner_id, const std::string& plan_id) {
    return Statuses(owner_id, {plan_id})[plan_id];
}

std::optional<ConnectionInfo> Engine::Connection(const std::string& owner_id, const std::string& plan_id) {
    const auto t = store_.GetPlanTarget(plan_id);
    if (!t || t->owner_id != owner_id || !t->deployed) return std::nullopt;
    const Target* target = TargetFor(t->provider);
    if (!target) return std::nullopt;
    json state = json::parse(t->state, nullptr, false);
    if (state.is_discarded()) return std::nullopt;
    ConnectionInfo info = target->Connection(state);
    if (info.endpoints.empty()) return std::nullopt;
    return info;
}

std::optional<std::string> Engine::Password(const std::string& owner_id, const std::string& plan_id) {
    const auto t = store_.GetPlanTarget(plan_id);
    if (!t || t->owner_id != owner_id || !t->deployed || t->sealed_secret.empty()) return std::nullopt;
    return OpenSecret(*t);
}

std::optional<std::string> Engine::OpenSecret(const PlanTarget& t) {
    return secrets_.Open(t.sealed_secret, t.plan_id);
}

void Engine::Event(const Deployment& d, std::string_view level, std::string message, const std::string& secret) {
    store_.AddEvent(d.id, {options_.clock(), std::string(level), Redact(std::move(message), secret)});
}

// [SECTION] jobs

void Engine::RunJob(Deployment d) {
    const std::string& owner = options_.owner_id;
    const Clock& clock = options_.clock;
    auto held = Hold(d.plan_id);
    Secrets secrets;
    std::string& password = secrets.db_password;
    // Whatever happens below, the lease goes back (so the job is due again at once, here or elsewhere)
    // and the plaintext password is wiped.
    struct Cleanup {
        Engine* engine;
        const std::string& plan_id;
        std::string& password;
        ~Cleanup() {
            Wipe(password);
            try {
                engine->store_.ReleaseLease(plan_id, engine->options_.owner_id);
            } catch (const std::exception& e) {
                engine->log_.Error("deploy.release_failed", "", e.what());
            }
            engine->Unhold(plan_id);
        }
    } cleanup{this, d.plan_id, password};

    const bool is_deploy = d.kind == "deploy" || d.kind == "redeploy";
    int host_servers = 0;  // what the deployed revision runs on this host, once known (fair-use quota)
    const std::size_t n = std::max<std::size_t>(1, d.steps.size());
    const bool was_waiting = d.not_before != 0;
    d.not_before = 0;

    // `after_backup`: the light once a backup succeeded (from a health check run right after it).
    // The job's end, what it did to the plan, the light and the last event are one write under the lease
    // (DeploymentStore::FinishJob): a crash can never leave a succeeded deploy whose plan is not deployed.
    auto finish = [&](bool ok, std::string reason, std::optional<PlanLight> after_backup = std::nullopt) {
        d.state = ok ? "succeeded" : "failed";
        d.error = ok ? "" : Redact(reason, password);
        d.finished_at = clock();
        if (ok) d.progress = 1;
        JobOutcome outcome;
        auto said = [&](std::string level, std::string message) {
            outcome.event = DeploymentEvent{d.finished_at, std::move(level), Redact(std::move(message), password)};
        };
        if (!ok) {
            outcome.light = PlanLight{"red", d.error, "", 0};
            said("error", d.error);
        } else if (is_deploy) {
            outcome.change = JobOutcome::PlanChange::Deployed;
            outcome.host_servers = host_servers;
            outcome.light = PlanLight{"green", "Revision " + std::to_string(d.revision) + " deployed.", "", 0};
            said("info", Capitalised(d.kind) + " of revision " + std::to_string(d.revision) + " succeeded.");
        } else if (d.kind == "destroy") {
            outcome.change = JobOutcome::PlanChange::Destroyed;
            outcome.light = PlanLight{"grey", "Destroyed.", "", 0};
            said("info", "Destroyed.");
        } else {
            said("info", "Backup finished.");
            outcome.light = after_backup;  // orange goes back to what the server's checks say
        }
        if (!store_.FinishJob(d, owner, clock(), outcome)) {
            held->lost = true;
            log_.Info("deploy.abandoned", {{"deployment_id", d.id}, {"reason", "lease lost before the job's end was recorded"}});
            return;
        }
        log_.Info("deploy.finished", {{"deployment_id", d.id}, {"plan_id", d.plan_id}, {"kind", d.kind},
                                      {"state", d.state}});
    };

    try {
        const auto row = store_.GetPlanTarget(d.plan_id);
        Target* target = row ? TargetFor(row->provider) : nullptr;
        plan::ParseOutcome parsed = plan::ParsePlan(d.document);
        if (!row || !target) {
            return finish(false, "No deploy target for cloud.provider \"" + (row ? row->provider : std::string("?")) +
                                     "\" runs on this gateway any more; start it with that target enabled.");
        }
        if (!parsed.plan) return finish(false, "The plan revision being deployed could not be read.");
        host_servers = target->HostServers(*parsed.plan);

        std::string sealed = row->sealed_secret;
        if (sealed.empty()) {
            std::string fresh = GeneratePassword();
            sealed = store_.EnsureSecret(d.plan_id, secrets_.Seal(fresh, d.plan_id));
            Wipe(fresh);
        }
        auto opened = secrets_.Open(sealed, d.plan_id);
        if (!opened) {
            return finish(false, "The plan's stored database password cannot be decrypted with this gateway's "
                                 "secret key; was secret_key_file changed?");
        }
        password = std::move(*opened);
        Wipe(*opened);
        json state = json::parse(row->state, nullptr, false);
        if (state.is_discarded()) state = nullptr;
        const json options = json::parse(d.options, nullptr, false);

        if (d.state == "queued") {
            d.state = "running";
            Event(d, "info", Capitalised(d.kind) + " started on gateway " + owner + ".", "");
        }
        for (std::size_t i = 0; i < d.steps.size(); ++i) {
            DeploymentStep& step = d.steps[i];
            if (step.state == "done") continue;
            const bool polling = step.state == "running" && was_waiting;
            if (!polling) {
                if (step.state == "running") {
                    Event(d, "warning", "Running " + step.name + " again: its previous run was interrupted.", "");
                }
                step.state = "running";
                ++step.runs;
                if (step.started_at == 0) step.started_at = clock();
                if (step.runs == 1) Event(d, "info", Capitalised(step.name) + " started.", "");
            }
            d.step = step.name;
            d.progress = static_cast<double>(i) / static_cast<double>(n);
            if (!store_.SaveDeployment(d, owner)) return;
            store_.SetLight(d.plan_id, {"orange", OrangeReason(d.kind, step.name), d.step, d.progress}, false);

            auto last_write = std::chrono::steady_clock::now() - std::chrono::seconds(1);
            StepContext ctx{d.id, d.plan_id, d.owner_id, *parsed.plan, d.revision, d.kind == "redeploy",
                            secrets, state, {}, {}, {}, {}, clock};
            ctx.event = [&](std::string_view level, std::string message) {
                Event(d, level, std::move(message), password);
            };
            ctx.progress = [&](double fraction) {
                d.progress = (static_cast<double>(i) + std::clamp(fraction, 0.0, 1.0)) / static_cast<double>(n);
                // Targets may report often; a write every quarter second is plenty for a light.
                const auto now = std::chrono::steady_clock::now();
                if (now - last_write < std::chrono::milliseconds(250)) return;
                last_write = now;
                if (!store_.SaveDeployment(d, owner)) {
                    held->lost = true;
                    return;
                }
                store_.SetLight(d.plan_id, {"orange", OrangeReason(d.kind, step.name), d.step, d.progress}, false);
            };
            ctx.save = [&] {
                if (!store_.SaveTargetState(d.plan_id, owner, state.dump())) held->lost = true;
            };
            ctx.should_stop = [&] { return stopping_.load() || held->lost.load(); };

            StepResult result;
            try {
                if (d.kind == "destroy") {
                    result = target->Destroy(ctx, options.value("final_backup", true));
                } else if (d.kind == "backup") {
                    result = target->Backup(ctx, options.value("validate", true));
                } else if (auto s = StepNamed(step.name)) {
                    result = target->RunStep(*s, ctx);
                } else {
                    result = StepResult::Failed("unknown step " + step.name);
                }
            } catch (const std::exception& e) {
                // A target bug must not take the gateway down; the operator log keeps the detail.
                log_.Error("deploy.step_exception", "", d.id + " " + step.name + ": " + Redact(e.what(), password));
                result = StepResult::Failed("internal error in the " + step.name + " step (see the gateway log)");
            }
            if (held->lost) {
                log_.Info("deploy.abandoned", {{"deployment_id", d.id}, {"reason", "lease lost"}});
                return;  // another gateway owns the job now: write nothing more
            }
            if (!store_.SaveTargetState(d.plan_id, owner, state.dump())) return;

            switch (result.kind) {
                case StepResult::Kind::Done:
                    step.state = "done";
                    step.finished_at = clock();
                    d.progress = static_cast<double>(i + 1) / static_cast<double>(n);
                    Event(d, "info", Capitalised(step.name) + " done in " + Seconds(step.finished_at - step.started_at) + ".", "");
                    if (!store_.SaveDeployment(d, owner)) return;
                    break;
                case StepResult::Kind::Wait:
                    // The job goes back to the queue, due after the delay; the lease is released below.
                    d.not_before = clock() + std::max(0, result.retry_after_ms);
                    store_.SaveDeployment(d, owner);
                    return;
                case StepResult::Kind::Interrupted:
                    Event(d, "warning", Capitalised(step.name) + " interrupted (the gateway is stopping); it resumes.", "");
                    store_.SaveDeployment(d, owner);
                    return;
                case StepResult::Kind::Failed: {
                    step.state = "failed";
                    step.finished_at = clock();
                    const std::string why = result.error.empty() ? std::string("no reason given") : result.error;
                    std::string reason;
                    if (d.kind == "destroy") {
                        reason = "Destroy failed: " + why;
                    } else if (d.kind == "backup") {
                        // The local target already says "backup failed: ..." or "backup validation failed: ...".
                        reason = why.rfind("backup", 0) == 0 ? Capitalised(why) : "Backup failed: " + why;
                    } else {
                        reason = "Step " + step.name + " failed: " + why;
                    }
                    return finish(false, reason);
                }
            }
        }
        if (d.kind != "backup") return finish(true, "");
        // The light went orange for the backup; it goes back to what a health check says now (normally
        // green, or red if the server went down meanwhile), and the checks are those of this look.
        StepContext ctx{d.id, d.plan_id, d.owner_id, *parsed.plan, d.revision, false, secrets, state,
                        [](std::string_view, std::string) {}, [](double) {}, [] {}, [&] { return stopping_.load(); },
                        clock};
        Health health;
        try {
            health = target->Check(ctx);
        } catch (const std::exception& e) {
            log_.Error("deploy.check_exception", "", d.plan_id + ": " + Redact(e.what(), password));
            health.reason = "The health check itself failed (see the gateway log).";
        }
        if (!store_.SaveTargetState(d.plan_id, owner, state.dump())) return;
        store_.SaveChecks(d.plan_id, health.checks.dump(), clock());
        finish(true, "", LightFromHealth(health, password));
    } catch (const std::exception& e) {
        // A store failure mid-job: the lease is released by Cleanup, so the job is retried (here or on
        // another gateway) from its last recorded step.
        log_.Error("deploy.job_failed", "", d.id + ": " + Redact(e.what(), password));
    }
}

// [SECTION] monitor

int Engine::MonitorOnce() {
    int checked = 0;
    for (const std::string& plan_id : store_.DeployedPlanIds()) {
        if (stopping_) break;
        const TimeMs now = options_.clock();
        if (!store_.TryLeasePlan(plan_id, options_.owner_id, now, now + options_.lease_ms)) continue;
        auto held = Hold(plan_id);
        Secrets secrets;
        std::string& password = secrets.db_password;
        bool queued_backup = false;
        try {
            const auto row = store_.GetPlanTarget(plan_id);
            Target* target = row ? TargetFor(row->provider) : nullptr;
            plan::ParseOutcome parsed = row ? plan::ParsePlan(row->document) : plan::ParseOutcome{};
            Health health;
            json state = row ? json::parse(row->state, nullptr, false) : json();
            if (state.is_discarded()) state = nullptr;
            if (!target) {
                health.reason = "No deploy target for \"" + (row ? row->provider : std::string("?")) +
                                "\" runs on this gateway; it cannot be checked.";
            } else if (!parsed.plan) {
                health.reason = "The deployed revision could not be read.";
            } else {
                auto opened = secrets_.Open(row->sealed_secret, plan_id);
                if (opened) password = std::move(*opened);
                StepContext ctx{row->deployment_id, plan_id, row->owner_id, *parsed.plan, row->revision,
                                false, secrets, state, {}, {}, {}, {}, options_.clock};
                ctx.event = [](std::string_view, std::string) {};  // the monitor has no deployment to log into
                ctx.progress = [](double) {};
                ctx.save = [&] { store_.SaveTargetState(plan_id, options_.owner_id, state.dump()); };
                ctx.should_stop = [&] { return stopping_.load() || held->lost.load(); };
                try {
                    health = target->Check(ctx);
                } catch (const std::exception& e) {
                    log_.Error("deploy.check_exception", "", plan_id + ": " + Redact(e.what(), password));
                    health.ok = false;
                    health.reason = "The health check itself failed (see the gateway log).";
                }
                store_.SaveTargetState(plan_id, options_.owner_id, state.dump());
            }
            store_.SaveChecks(plan_id, health.checks.dump(), options_.clock());
            if (target && health.backup_due) {
                // The same job as POST /backup (one mechanism): it turns the light orange now, and the job
                // sets green or red when it ends. It is claimed once the lease is released below.
                PlanRecord deployed;
                deployed.id = plan_id;
                deployed.owner_id = row->owner_id;
                deployed.revision = row->revision;
                deployed.document = row->document;
                const JobRequest job = Enqueue(deployed, "backup", row->provider,
                                               {{"validate", health.backup_due->validate}, {"scheduled", true}},
                                               {"backup"}, JobQuota{},
                                               health.backup_due->why.empty() ? "scheduled" : health.backup_due->why);
                if (job.outcome == JobRequest::Outcome::Queued) queued_backup = true;
            }
            const PlanLight light = LightFromHealth(health, password);
            // A job queued while we checked (or the backup just queued) owns the light now: leave it alone.
            store_.SetLight(plan_id, light, true);
            ++checked;
        } catch (const std::exception& e) {
            log_.Error("deploy.monitor_failed", "", plan_id + ": " + e.what());
        }
        Wipe(password);
        store_.ReleaseLease(plan_id, options_.owner_id);
        Unhold(plan_id);
        if (queued_backup) wake_.notify_all();  // the lease is free now: a worker can claim the backup at once
    }
    return checked;
}

}  // namespace gw::deploy
