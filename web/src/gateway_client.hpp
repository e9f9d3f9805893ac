#pragma once
// Typed, non-blocking calls to the gateway's HTTP API (docs/api.md). Each call returns at once; its
// callback runs later from Poll(), which the app calls once per frame before drawing, so state only
// changes at one known point of the frame. Errors are values: every callback gets an ApiResult.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "platform/platform.hpp"

namespace ui {

// One entry of the error envelope's "details": which field, which rule, what to do.
struct ErrorDetail {
    std::string path;
    std::string code;
    std::string message;
};

// A failed call: the envelope's code and message, or a client-side code when there was no envelope
// ("client.network" when the gateway did not answer, "client.bad_response" for unreadable JSON).
struct ApiError {
    int status = 0;  // HTTP status; 0 for network failures
    std::string code;
    std::string message;
    std::vector<ErrorDetail> details;
    // The message plus each detail's message, one per line, for showing to a person.
    std::string Describe() const;
};

template <class T>
struct ApiResult {
    std::optional<T> value;  // set on success
    ApiError error;          // meaningful when !value
    bool ok() const { return value.has_value(); }
};

struct Empty {};

struct Session {
    std::string token;
    std::string email;
    // Log-in, sign-up and verify only: this device's key for the account (docs/accounts.md), kept by the
    // app and sent with later log-ins so that others' failed guesses never slow this device down.
    std::string device_token;
    // GET /v1/me only: the cloud the gateway starts a new plan on ("" when it does not say: older gateways).
    std::string new_plan_provider;
    std::string new_plan_region;
};

// What a sign-up answered: a session at once, or a link mailed (202 "check_email").
struct SignupOutcome {
    std::optional<Session> session;  // 201: signed in
    std::string email;               // 202: the address the link went to
    std::string mail;                // 202: "smtp" or "outbox" (the gateway has no mail server)
    std::string message;             // 202: what to do now, in the gateway's words
};

// "grey" (never deployed), "orange", "green" or "red", and why, shown on hover.
// Absent (an older gateway) reads as grey with no reason.
struct StatusLight {
    std::string light = "grey";
    std::string reason;
    std::string last_deployed_at;  // RFC 3339; "" when never deployed
    std::string step;              // while orange: the step running, e.g. "install"
    double progress = 0;           // while orange: 0..1 of the whole job
    std::string deployment_id;     // the plan's latest job, once one ran
    std::string checked_at;        // the monitor's last look (RFC 3339); "" before the first
    nlohmann::json checks;         // the target's last health checks (last backup, validation, ...); null if none
};

// One row of GET /v1/plan/.
struct PlanSummary {
    std::string id;
    std::string name;
    std::string environment;
    std::int64_t revision = 0;
    std::string updated_at;  // RFC 3339, UTC
    StatusLight status;
};

// GET/POST/PUT /v1/plan/...: server fields plus the cs-json document, kept as JSON so fields this
// client does not know survive a rename untouched.
struct PlanResource {
    std::string id;
    std::int64_t revision = 0;
    std::string created_at;
    std::string updated_at;
    StatusLight status;
    nlohmann::json document;  // the "plan" member: cs-json
};

// One step of a deployment: render, provision, install, configure, verify, monitor (or destroy/backup).
struct DeploymentStep {
    std::string name;
    std::string state;        // pending | running | done | failed
    std::string started_at;   // RFC 3339; "" when not started
    std::string finished_at;
    int runs = 0;             // 2 after a resume
};

struct DeploymentEvent {
    std::string at;       // RFC 3339
    std::string level;    // info | warning | error
    std::string message;
};

// A deployment (docs/deploy.md), as much of it as the editor shows.
struct Deployment {
    std::string id;
    std::string kind;      // deploy | redeploy | destroy | backup
    std::int64_t revision = 0;
    std::string state;     // queued | running | succeeded | failed
    std::string step;      // current or failed step, e.g. "install"
    double progress = 0;   // 0..1
    std::string error;     // plain-language reason when failed
    std::string created_at;
    std::string finished_at;
    std::vector<DeploymentStep> steps;
    std::vector<DeploymentEvent> events;  // empty in listings (the gateway omits them there)
};

// GET /v1/plan/{id}/connection: where the deployed PostgreSQL answers. No password (asked separately).
struct ConnectionEndpoint {
    std::string role;  // primary | replica
    std::string host;
    int port = 0;
};
struct ConnectionDetails {
    std::vector<ConnectionEndpoint> endpoints;  // primary first
    std::string database;
    std::string user;
};

// GET/PUT /v1/account/aws (docs/aws.md "Your AWS account").
struct AwsAccountInfo {
    std::string external_id;
    std::string role_arn;                  // "" when not set
    std::string gateway_principal;         // "" when the operator has not set it
    std::string quick_create_url;          // "" when unavailable...
    std::string quick_create_unavailable;  // ...and why
    std::string template_path;             // the role template's API path
};

template <class T>
using ApiCallback = std::function<void(ApiResult<T>)>;

class GatewayClient {
public:
    // Bearer token sent with every later call; empty for none.
    void SetToken(std::string token) { token_ = std::move(token); }
    const std::string& Token() const { return token_; }

    // POST /v1/auth/signup: a session (the first account of a gateway without mail), or "check your email".
    void Signup(const std::string& email, const std::string& password, ApiCallback<SignupOutcome> done);
    // POST /v1/auth/verify: the token of a sign-up link creates the account and gives its session.
    void Verify(const std::string& token, ApiCallback<Session> done);
    // POST /v1/auth/login, with this device's token for the account when it has one ("" = none).
    void Login(const std::string& email, const std::string& password, const std::string& device_token,
               ApiCallback<Session> done);
    void Logout(ApiCallback<Empty> done);
    // GET /v1/me: checks a stored token and gives the account's email back.
    void Me(ApiCallback<Session> done);

    // All the user's plans, most recently changed first: follows next_cursor page by page (200 a page).
    void ListPlans(ApiCallback<std::vector<PlanSummary>> done);
    // POST /v1/plan/ {"name"}: the gateway fills in the default plan.
    void CreatePlan(const std::string& name, ApiCallback<PlanResource> done);
    // POST /v1/plan/ with a whole cs-json document (a plan made offline); its id/revision are ignored.
    void CreatePlanFrom(const nlohmann::json& document, ApiCallback<PlanResource> done);
    void GetPlan(const std::string& id, ApiCallback<PlanResource> done);
    // PUT with the revision the edit was based on; a stale one fails with code "plan.revision_conflict".
    void UpdatePlan(const std::string& id, std::int64_t revision, const nlohmann::json& document,
                    ApiCallback<PlanResource> done);
    // DELETE ?revision=N: only if the plan is still at the revision this device last saw (0: any); a plan
    // changed meanwhile fails with code "plan.revision_conflict" and is not deleted.
    void DeletePlan(const std::string& id, std::int64_t revision, ApiCallback<Empty> done);
    // POST /v1/plan/{id}/deploy: starts a deployment of the plan's saved revision.
    void DeployPlan(const std::string& plan_id, ApiCallback<Deployment> done);
    // GET /v1/deployments/{id}: progress of one deployment, with its steps and events.
    void GetDeployment(const std::string& deployment_id, ApiCallback<Deployment> done);
    // GET /v1/plan/{id}/deployments: the plan's jobs, newest first, without events.
    void ListDeployments(const std::string& plan_id, ApiCallback<std::vector<Deployment>> done);
    // POST /v1/plan/{id}/destroy (with a final backup): a destroy job; 409 "not_deployed" when nothing runs.
    void DestroyPlan(const std::string& plan_id, ApiCallback<Deployment> done);
    // POST /v1/plan/{id}/backup (validated): a backup job; 409 "not_deployed" when nothing runs.
    void BackupPlan(const std::string& plan_id, ApiCallback<Deployment> done);
    // GET /v1/plan/{id}/connection: host, port, database and user; 404 when the plan is not deployed.
    void GetConnection(const std::string& plan_id, ApiCallback<ConnectionDetails> done);
    // POST /v1/plan/{id}/connection/password: the database password, on the owner's deliberate request.
    // The caller keeps it in memory only (never storage) and wipes it when it is hidden.
    void RevealPassword(const std::string& plan_id, ApiCallback<std::string> done);

    // GET /v1/account/aws (the first call makes the user's ExternalId).
    void GetAwsAccount(ApiCallback<AwsAccountInfo> done);
    // PUT /v1/account/aws {"role_arn"}; "" sends null (clears it). A bad ARN fails with details at /role_arn.
    void SetAwsRole(const std::string& role_arn, ApiCallback<AwsAccountInfo> done);

    // Runs the callbacks of every answer that arrived since the last call, in arrival order.
    void Poll();
    // Requests sent and not yet delivered by Poll().
    int InFlight() const { return in_flight_; }

private:
    // Sends one request; `deliver` turns the raw response into a typed callback call.
    void ListPage(std::string cursor, std::shared_ptr<std::vector<PlanSummary>> so_far,
                  ApiCallback<std::vector<PlanSummary>> done);
    void Send(const char* method, std::string path, std::optional<nlohmann::json> body,
              std::function<void(const platform::HttpResponse&)> deliver);

    std::string token_;
    int in_flight_ = 0;
    std::vector<std::function<void()>> ready_;
};

}  // namespace ui
