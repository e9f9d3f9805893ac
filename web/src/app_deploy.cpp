// App, part three: the deployments of the plan on screen (docs/deploy.md). Starts deploy, destroy and
// backup jobs, follows the running job (GET /v1/deployments/{id} every second) and the plan's light
// (GET /v1/plan/{id}), loads the connection details once the plan is deployed and the password only when
// the owner asks. The header's light follows the job at once: orange with its step and progress from the
// 202 answer on, then whatever the engine says when the job ends (green, red, or grey after a destroy).
#include <algorithm>
#include <utility>

#include "app.hpp"
#include "views/editor_views.hpp"

namespace ui {
namespace {

// While a job runs: how often its record is read. Its steps take seconds, so once a second is live
// enough and costs the gateway one small query.
constexpr double kJobPollSeconds = 1.0;
// Otherwise: how often the plan's light is read again, to follow the monitor (green <-> red).
constexpr double kStatusPollSeconds = 10.0;

}  // namespace

void App::DeployPlan() {
    PlanViewState& view = state_.plan;
    if (!view.resource || view.deploy.requesting || view.saving) return;
    if (!editor::DeployBlocker(view).empty()) return;  // the button says why; a shortcut must not bypass it
    StartJob("deploy", &GatewayClient::DeployPlan);
}

void App::DestroyPlan() {
    PlanViewState& view = state_.plan;
    if (!view.resource || view.deploy.requesting || view.deploy.JobRunning()) return;
    view.deploy.password.Wipe();
    StartJob("destroy", &GatewayClient::DestroyPlan);
}

void App::BackupPlan() {
    PlanViewState& view = state_.plan;
    if (!view.resource || view.deploy.requesting || view.deploy.JobRunning()) return;
    StartJob("backup", &GatewayClient::BackupPlan);
}

void App::StartJob(const char* what, void (GatewayClient::*call)(const std::string&, ApiCallback<Deployment>)) {
    PlanViewState& view = state_.plan;
    view.deploy.requesting = true;
    view.deploy.message.clear();
    view.deploy.show_tab = true;
    const std::string key = view.id;
    const std::string kind = what;
    (client_.*call)(view.resource->id, [this, key, kind](ApiResult<Deployment> result) {
        if (state_.screen != Screen::Plan || state_.plan.id != key) return;  // the user moved on
        DeployState& deploy = state_.plan.deploy;
        deploy.requesting = false;
        if (!result.ok()) {
            if (SessionLost(result.error)) return;
            if (result.error.status == 0) WentOffline();
            const bool no_route = result.error.status == 405 ||
                std::any_of(result.error.details.begin(), result.error.details.end(),
                            [](const ErrorDetail& d) { return d.code == "route.not_found"; });
            deploy.message = no_route ? "Deployments are not available on this gateway yet."
                                      : "Could not " + kind + ": " + result.error.Describe();
            return;
        }
        ShowJob(*result.value);
    });
}

void App::ShowJob(const Deployment& job) {
    PlanViewState& view = state_.plan;
    DeployState& deploy = view.deploy;
    const bool was_running = deploy.JobRunning() && deploy.job->id == job.id;
    std::vector<DeploymentEvent> events;
    if (job.events.empty() && deploy.job && deploy.job->id == job.id) events = deploy.job->events;  // a listing has none
    deploy.job = job;
    if (!events.empty()) deploy.job->events = std::move(events);
    if (deploy.JobRunning()) {
        // Orange at once, with the job's own step and progress: the engine sets the same light (a backup
        // leaves the light as it is, docs/deploy.md).
        if (job.kind != "backup" && view.resource) {
            StatusLight& status = view.resource->status;
            status.light = "orange";
            status.step = job.step;
            status.progress = job.progress;
            status.deployment_id = job.id;
            status.reason = std::string(job.kind == "destroy" ? "Destroying" : "Deploying") +
                            (job.step.empty() ? std::string(": queued") : ": " + job.step);
        }
        deploy.next_job_poll = state_.now_unix + kJobPollSeconds;
        return;
    }
    deploy.next_job_poll = 0;
    if (!was_running) return;
    // The job just ended: the engine's light says how it went; the connection follows what now runs.
    RefreshStatus();
    if (job.kind == "destroy" && job.state == "succeeded") {
        deploy.connection.reset();
        deploy.connection_asked = false;
        deploy.password.Wipe();
    } else if (job.state == "succeeded" && job.kind != "backup") {
        LoadConnection();
    }
}

void App::TickDeploy() {
    PlanViewState& view = state_.plan;
    if (state_.screen != Screen::Plan || !view.resource || !online_) return;
    const LocalPlan* local = local_.Find(view.id);
    if (local != nullptr && local->server_id.empty()) return;  // made offline: the server has no jobs for it yet
    DeployState& deploy = view.deploy;
    const std::string key = view.id;
    const std::string plan_id = view.resource->id;
    if (!deploy.listed) {
        deploy.listed = true;
        deploy.next_status_poll = state_.now_unix + kStatusPollSeconds;
        client_.ListDeployments(plan_id, [this, key](ApiResult<std::vector<Deployment>> result) {
            if (state_.screen != Screen::Plan || state_.plan.id != key || !result.ok()) return;
            if (result.value->empty()) return;
            DeployState& deploy = state_.plan.deploy;
            if (deploy.job) return;  // a job started from here meanwhile is newer
            deploy.job = result.value->front();
            deploy.next_job_poll = state_.now_unix;  // read it whole once (steps and events), then while it runs
        });
        if (view.resource->status.light != "grey") LoadConnection();
    }
    if (deploy.job && deploy.next_job_poll != 0 && state_.now_unix >= deploy.next_job_poll) {
        deploy.next_job_poll = 0;  // one request at a time; the answer schedules the next
        client_.GetDeployment(deploy.job->id, [this, key](ApiResult<Deployment> result) {
            if (state_.screen != Screen::Plan || state_.plan.id != key) return;
            if (result.ok()) return ShowJob(*result.value);
            if (SessionLost(result.error)) return;
            if (result.error.status == 0) WentOffline();
            state_.plan.deploy.next_job_poll = state_.now_unix + 5;  // a blip should not stop the progress display
        });
    }
    if (state_.now_unix >= deploy.next_status_poll) {
        deploy.next_status_poll = state_.now_unix + (deploy.JobRunning() ? kJobPollSeconds * 2 : kStatusPollSeconds);
        RefreshStatus();
    }
}

void App::RefreshStatus() {
    if (!state_.plan.resource) return;
    const std::string key = state_.plan.id;
    client_.GetPlan(state_.plan.resource->id, [this, key](ApiResult<PlanResource> result) {
        if (state_.screen != Screen::Plan || state_.plan.id != key || !result.ok() || !state_.plan.resource) return;
        PlanViewState& view = state_.plan;
        DeployState& deploy = view.deploy;
        const StatusLight& status = result.value->status;
        // A read that started before our job's 202 must not turn the light back from orange.
        if (deploy.JobRunning() && deploy.job->kind != "backup" && status.light != "orange") return;
        view.resource->status = status;
        if (LocalPlan* local = local_.Find(key)) local->summary.status = status;  // the dashboard shows it at once
        if (status.light == "orange" && !status.deployment_id.empty() && !deploy.JobRunning() &&
            (!deploy.job || deploy.job->id != status.deployment_id)) {
            // Someone started a job elsewhere (another tab, the API): follow it too.
            Deployment job;
            job.id = status.deployment_id;
            job.state = "queued";
            deploy.job = job;
            deploy.next_job_poll = state_.now_unix;
        }
        if (status.light != "grey" && !deploy.connection && !deploy.connection_asked) LoadConnection();
    });
}

void App::LoadConnection() {
    PlanViewState& view = state_.plan;
    if (!view.resource) return;
    view.deploy.connection_asked = true;
    const std::string key = view.id;
    client_.GetConnection(view.resource->id, [this, key](ApiResult<ConnectionDetails> result) {
        if (state_.screen != Screen::Plan || state_.plan.id != key) return;
        DeployState& deploy = state_.plan.deploy;
        if (result.ok() && !result.value->endpoints.empty()) {
            deploy.connection = *result.value;
        } else {
            deploy.connection.reset();  // 404: nothing deployed (yet); asked again when a deploy succeeds
        }
    });
}

void App::ShowPassword() {
    PlanViewState& view = state_.plan;
    DeployState& deploy = view.deploy;
    if (!view.resource || !deploy.connection || deploy.password_loading) return;
    deploy.password_loading = true;
    const std::string key = view.id;
    client_.RevealPassword(view.resource->id, [this, key](ApiResult<std::string> result) {
        if (state_.screen != Screen::Plan || state_.plan.id != key) return;
        DeployState& deploy = state_.plan.deploy;
        deploy.password_loading = false;
        if (!result.ok()) {
            if (!SessionLost(result.error)) deploy.message = "Could not show the password: " + result.error.Describe();
            return;
        }
        deploy.password.Set(std::move(*result.value));
    });
}

}  // namespace ui
