#pragma once
// Everything the views draw from, and the intents they hand back. No ImGui and no network here:
// views read AppState and append Intents; App (app.cpp) turns intents into gateway calls.
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "editor/editor_state.hpp"
#include "gateway_client.hpp"
#include "plan/diagnostic.hpp"
#include "plan/plan.hpp"

namespace ui {

enum class Screen { Starting, Login, Signup, CheckEmail, Dashboard, Plan, AwsAccount };

// Stable names for tests and window.csUi.screen(): "starting", "login", "signup", "check-email", "dashboard",
// "plan", "aws-account".
std::string_view ScreenName(Screen screen);

struct AuthForm {
    std::string email;
    std::string password;
    std::string error;   // shown under the form; empty when there is nothing to say
    std::string notice;  // neutral information, e.g. "You have been signed out."
    bool busy = false;   // a request is in flight: the submit button is disabled
    bool focus_email = true;  // put the cursor in the email field on the next frame
    // After a sign-up answered "check your email" (Screen::CheckEmail): where the link went and what to do.
    std::string sent_to;
    std::string sent_message;
    bool sent_to_outbox = false;  // the gateway has no mail server: its operator has the link
    bool verifying = false;       // a sign-up link from the address bar is being followed
};

// One dashboard row: the server's summary merged with what this device holds (offline.md rules in
// offline/local_plans.hpp). `key` is what OpenPlan/DeletePlan take.
struct PlanRow {
    std::string key;
    PlanSummary summary;   // name and environment are the local ones when edited here
    int pending = 0;       // saves not yet on the server
    bool conflict = false; // waiting for "keep mine" / "take theirs"
    bool local_only = false;  // made offline, not on the server yet
};

enum class PlanSort { LastChange, Name, Status };

struct DashboardState {
    std::vector<PlanRow> plans;
    std::string search;                       // case-insensitive substring of the name
    PlanSort sort = PlanSort::LastChange;
    bool loaded = false;   // at least one answer arrived (distinguishes "no plans" from "loading")
    bool loading = false;
    bool creating = false;
    std::string error;
    std::string notice;
    std::string new_plan_name;
    std::string confirm_delete_id;  // non-empty while the delete confirmation is open
    std::string confirm_delete_name;
};

// A password held in memory only: its bytes are overwritten before it is replaced or freed, so leaving
// the plan screen (which replaces PlanViewState) or hiding it does not leave it lying in the heap.
class Secret {
public:
    Secret() = default;
    Secret(const Secret&) = delete;
    Secret& operator=(const Secret&) = delete;
    Secret(Secret&& other) noexcept : text_(std::move(other.text_)) { other.Wipe(); }
    Secret& operator=(Secret&& other) noexcept {
        if (this != &other) {
            Wipe();
            text_.swap(other.text_);
        }
        return *this;
    }
    ~Secret() { Wipe(); }
    void Set(std::string text) {
        Wipe();
        text_.swap(text);
        for (char& c : text) c = '\0';
    }
    void Wipe() {
        for (char& c : text_) c = '\0';
        text_.clear();
    }
    bool empty() const { return text_.empty(); }
    const std::string& str() const { return text_; }

private:
    std::string text_;
};

// The plan's deployments as the plan screen shows them (header light, Deployment tab): kept by App
// (app_deploy.cpp), drawn by editor_view.cpp and editor_deploy.cpp. Memory only: the password is never
// written to storage; it is wiped when hidden, when the tab is left and when the plan is closed.
struct DeployState {
    std::optional<Deployment> job;        // the plan's newest job (with its steps and events), if any
    bool listed = false;                  // the plan's jobs were asked for once since it was opened
    bool requesting = false;              // a POST deploy/destroy/backup is on its way
    std::string message;                  // why the last request was refused (the gateway's words)
    double next_job_poll = 0;             // unix seconds of the next GET /v1/deployments/{id}; 0 = none
    double next_status_poll = 0;          // unix seconds of the next GET /v1/plan/{id} for the light
    std::optional<ConnectionDetails> connection;  // while deployed
    bool connection_asked = false;
    Secret password;                      // empty unless the owner pressed "Show password"
    bool password_loading = false;
    bool confirm_destroy = false;         // the destroy confirmation is open
    bool show_tab = false;                // bring the Deployment tab to the front on the next frame
    int copy_ticket = 0;                  // the last Copy's (platform::CopyStatus), 0 = none
    std::string copy_what;                // what it copied, in words ("psql line"), for its outcome line
    bool JobRunning() const { return job && (job->state == "queued" || job->state == "running"); }
};

// Where the user asked to go from the plan screen while it had unsaved edits: the "Save / Discard / Keep
// editing" dialog is open while PlanViewState::leave holds one.
struct LeaveRequest {
    enum class To { Dashboard, Plan, AwsAccount, Logout };
    To to = To::Dashboard;
    std::string id;             // To::Plan: the plan to open
    bool from_history = false;  // the browser's Back/Forward: the address bar already shows where it goes
};

struct PlanViewState {
    std::string id;                         // the plan being shown
    std::optional<PlanResource> resource;   // last answer from the gateway
    bool readable = false;                  // plan_core could read resource->document; editor.doc holds it
    plan::Diagnostics diagnostics;          // structural problems when the document could not be read
    std::string raw_json;                   // the document as received, shown when it could not be read
    editor::EditorState editor;             // the canvas editor over the readable plan
    std::string rename_to;
    bool loading = false;
    bool saving = false;
    bool confirm_delete = false;
    std::string error;
    std::string notice;
    std::string warning;  // something the user should know before acting again (e.g. a reload after a conflict)
    std::set<std::string> last_selection;  // the canvas selection last frame (a new one shows Properties)
    int unsynced = 0;     // saves of this plan on the device that the server does not have yet
    bool sync_conflict = false;  // this plan waits for "keep mine" / "take theirs"
    std::optional<LeaveRequest> leave;  // asked to leave with unsaved edits: the dialog asks first
    bool leaving = false;       // saved on the way out (sign out): waits for the save to reach the server
    DeployState deploy;
};

// The user's AWS account link (GET/PUT /v1/account/aws), shown by views/account_aws.cpp.
struct AwsAccountViewState {
    std::optional<AwsAccountInfo> info;  // last answer
    std::string role_arn;                // the input field
    bool loading = false;
    bool saving = false;
    std::string error;                   // the API's message, and its details' messages
    std::string notice;
};

// Online/offline and unsynced changes, for the indicator; and the conflict the user must decide on.
struct ConflictView {
    std::string key;
    std::string mine_name, theirs_name;
    std::string mine_json, theirs_json;   // both versions, shown side by side
    std::vector<std::string> differences; // JSON pointers where they differ (id/revision aside)
    // The same differences in the properties panel's words, one line each (editor/field_words.hpp):
    // "Disk size: 250 GiB (this device) / 350 GiB (server, changed at 14:02 on 4 Dec) · VM "vm-1"".
    std::vector<std::string> lines;
    std::string theirs_when;              // the server version's time, local ("14:02 on 4 Dec"); "" if unknown
    std::int64_t theirs_revision = 0;
    bool deleted = false;                 // the server no longer has the plan
    bool mine_deleted = false;            // the user deleted it on this device; it changed on the server
};

struct SyncState {
    bool online = true;
    bool syncing = false;   // a change is on its way to the server
    int pending = 0;        // saves on this device not yet on the server
    int conflicts = 0;
    std::optional<ConflictView> conflict;  // the first one, shown as a modal until resolved
};

struct AppState {
    Screen screen = Screen::Starting;
    Session session;
    AuthForm auth;
    DashboardState dashboard;
    PlanViewState plan;
    AwsAccountViewState aws_account;
    SyncState sync;
    double now_unix = 0;  // wall clock at the start of the frame, for "updated 5 min ago"
    // The editor's share of its height given to the problems/preview pane below the canvas; the user drags
    // the splitter between them, and the share stays for every plan opened afterwards. 0 until the user
    // drags it: the default then follows the window's height (views/editor_view.cpp).
    float preview_share = 0;
    // The text of the browser's paste event that came with this frame's Ctrl+V (platform::TakePastedText),
    // for the canvas to paste components copied in another tab; ImGui's text fields get it as the clipboard.
    std::optional<std::string> pasted;
};

// What a view asks for. `id` is a plan id where one is needed.
struct Intent {
    enum class Kind {
        SubmitAuth,     // log in or sign up, by the current screen, with state.auth
        SwitchAuthMode, // login <-> signup
        BackToLogin,    // from "check your email" to the sign-in form
        Logout,
        RefreshPlans,
        CreatePlan,     // with state.dashboard.new_plan_name
        OpenPlan,
        BackToDashboard,
        RenamePlan,     // state.plan.id to state.plan.rename_to
        DeletePlan,     // confirmed already
        SavePlan,       // state.plan.editor.doc (Ctrl+S): saved on this device, then synced (app_sync.cpp)
        KeepMine,       // conflict on plan `id` (or the one shown): our version goes over theirs
        LoadTheirs,     // conflict on plan `id` (or the one shown): their version replaces ours
        DeployPlan,     // POST /v1/plan/{id}/deploy
        DestroyPlan,    // POST /v1/plan/{id}/destroy (confirmed already)
        BackupPlan,     // POST /v1/plan/{id}/backup
        ShowPassword,   // POST /v1/plan/{id}/connection/password, kept in state.plan.deploy.password
        Download,       // offer state.plan.editor.preview as a file
        OpenAwsAccount, // the AWS account screen (loads GET /v1/account/aws)
        SaveAwsRole,    // PUT /v1/account/aws with state.aws_account.role_arn ("" clears it)
        OpenLink,       // open `id` (an https URL) in a new browser tab
        LeaveSave,      // the unsaved-changes dialog: save, then go where the user asked
        LeaveDiscard,   // ... drop the edits and go
        LeaveCancel,    // ... stay in the editor ("Keep editing", Escape)
    };
    Kind kind;
    std::string id;
};

using Intents = std::vector<Intent>;

}  // namespace ui
