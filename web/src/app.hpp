#pragma once
// The application: owns the state and the gateway client, draws one screen per frame and carries out
// what the views asked for. Platform-free: main.cpp drives it, platform/ gives it the browser.
#include <functional>
#include <set>
#include <vector>

#include "app_state.hpp"
#include "gateway_client.hpp"
#include "offline/local_plans.hpp"

namespace ui {

class App {
public:
    // Restores the session token from storage; with one, checks it (GET /v1/me) before showing anything.
    App();

    // One frame: deliver network answers, draw the current screen inside the current ImGui frame,
    // act on the intents, publish the widget rectangles for tests.
    void Frame();

    const AppState& State() const { return state_; }

private:
    void Apply(const Intent& intent);
    // Leaving the plan screen: with unsaved edits the dialog asks first (Save / Discard / Keep editing);
    // otherwise Go. The answer comes back as a Leave* intent.
    void Leave(LeaveRequest to);
    void Go(const LeaveRequest& to);
    void AnswerLeave(Intent::Kind answer);
    void Logout();
    // The address bar (one history entry per screen): the browser moved to `route` (Back, Forward, a link);
    // PublishRoute shows the current screen's route once a frame.
    void FollowRoute(const std::string& route);
    void PublishRoute();
    void SubmitAuth();
    // Follows a sign-up link's token (POST /v1/auth/verify): signed in as the new account, or the sign-up
    // form with the gateway's reason.
    void FollowSignupLink(const std::string& token);
    // `offline`: the gateway could not be reached to confirm a stored session; work from this device.
    void SignedIn(Session session, bool offline = false);
    void SignOut(std::string notice);
    void LoadPlans();
    void CreatePlan();
    void OpenPlan(std::string id);  // by value: callers pass state_.plan.id, which it resets
    void ShowPlan(PlanResource resource);
    void RenamePlan();
    // What a save is for (only the notice differs): a rename, or the editor's edits.
    enum class SaveKind { Rename, Edits };
    void SavePlan(SaveKind kind);
    // Puts the editor's plan in the device's store and queues it for the gateway (app_sync.cpp).
    void SaveLocally(SaveKind kind);
    // Deployments of the plan on screen (app_deploy.cpp): jobs, the status light, connection details.
    void DeployPlan();
    void DestroyPlan();
    void BackupPlan();
    void ShowPassword();
    // Starts a deploy/destroy/backup request and shows its job, or the gateway's reason for refusing.
    void StartJob(const char* what, void (GatewayClient::*call)(const std::string&, ApiCallback<Deployment>));
    void ShowJob(const Deployment& job);
    void TickDeploy();           // once a frame: polls the running job and the plan's light
    void RefreshStatus();        // GET /v1/plan/{id}: the engine's light, without touching the editor
    void LoadConnection();
    void DeletePlan(const std::string& id);
    void OpenAwsAccount();
    void SaveAwsRole();
    // True (and back to the login screen) when `error` says the session is no longer valid.
    bool SessionLost(const ApiError& error);

    // Offline and sync (app_sync.cpp): plans on this device, the queue of saves, conflicts.
    void LoadLocal();
    void Persist(const std::string& key);
    void ShowLocal(const LocalPlan& plan);
    // The server accepted the shown plan's save: new revision and id, without reloading the editor.
    void ShowSynced(const std::string& key, const PlanResource& accepted);
    void SaveDocument(const std::string& key, nlohmann::json document);
    void CreateLocalPlan(const std::string& name);
    // Keeps /v1/me's new-plan cloud in localStorage, so a plan made offline starts where an online one would.
    void RememberNewPlanCloud(const Session& me);
    void Prefetch(const std::string& key);
    void SyncPending();
    void SendChange(const std::string& key);
    void SendDelete(const std::string& key);   // a tombstone: DELETE at the revision the user deleted
    // A delete refused with 409 plan.revision_conflict: kept as a tombstone beside the server's version, so
    // the conflict dialog asks ("Delete anyway" / "Keep theirs").
    void AskAboutDelete(const std::string& key);
    void DeleteOnDevice(const std::string& id);  // offline: the delete waits as a tombstone
    void DeletedFromServer(const std::string& key);  // forget it here too; leave its screen
    void FetchConflict(const std::string& key);
    void Resolve(const std::string& key, bool keep_mine);
    void WentOffline();
    void MaybeSync();          // once a frame: retries while offline, sends what is queued
    void RefreshRows();        // dashboard rows from local_
    void PublishSyncState();   // state_.sync for the indicator and the conflict dialog

    AppState state_;
    GatewayClient client_;
    unsigned frame_ = 0;

    LocalPlans local_;
    std::string db_prefix_;          // "plans/<email>/": each account's plans apart on a shared browser
    bool local_loaded_ = false;
    std::uint64_t saved_state_ = 0;  // the editor state last saved on the device (marked saved on sync)
    SaveKind saved_kind_ = SaveKind::Edits;
    bool online_ = true;             // the last gateway call got an answer
    double next_probe_at_ = 0;       // while offline: when to try the gateway again
    std::set<std::string> sending_;  // keys with a change on its way
    std::vector<std::function<void()>> db_ready_;  // storage answers, run at the start of a frame
    std::string created_offline_key_;     // the last plan made offline, and the notice that says so: the
    std::string created_offline_notice_;  // notice goes once that plan has reached the server
    bool route_push_ = false;        // the next route change is a new history entry (the user went somewhere)
    bool warn_before_unload_ = false;  // what platform::WarnBeforeUnload was last told
    double leaving_since_ = 0;       // when a save on the way out (sign out) started waiting for the server
};

}  // namespace ui
