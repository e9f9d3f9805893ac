#include "app.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include <imgui.h>

#include "plan/json.hpp"
#include "plan/validate.hpp"
#include "platform/platform.hpp"
#include "ui_probe.hpp"
#include "views/editor_views.hpp"
#include "views/views.hpp"

namespace ui {
namespace {

constexpr const char* kSessionKey = "cloudsketch.session";
constexpr const char* kDevicePrefix = "cloudsketch.device.";  // + email: this device's token for the account

// This device's token for `email` (docs/accounts.md), kept across sign-outs: it is not a session, only what
// keeps others' failed guesses from slowing this device down.
std::string DeviceToken(const std::string& email) {
    return platform::StorageGet(kDevicePrefix + email).value_or("");
}

std::string Trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

void SaveSession(const Session& session) {
    platform::StorageSet(kSessionKey, nlohmann::json{{"token", session.token}, {"email", session.email}}.dump());
}

// A stored session that cannot be read is treated as none: the user simply signs in again.
Session LoadSession() {
    Session session;
    auto text = platform::StorageGet(kSessionKey);
    if (!text) return session;
    const auto stored = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (!stored.is_object()) return session;
    if (auto token = stored.find("token"); token != stored.end() && token->is_string()) session.token = *token;
    if (auto email = stored.find("email"); email != stored.end() && email->is_string()) session.email = *email;
    return session;
}

// Ctrl+C / Ctrl+X in any ImGui text field (a preview, a connection line): Emscripten's GLFW drops clipboard
// text, so it goes to the system clipboard through platform::CopyText (the key press is the user gesture;
// no box to leave it in if the browser refuses). Ctrl+V pastes the system clipboard: the browser hands its
// text over only in the paste event that follows Ctrl+V's keydown (platform::CapturePaste), which App::Frame
// takes before the views run, so ImGui reads it here in the same frame. Without one (a browser that sent
// none), the last text copied in the app.
std::string& LastCopied() {
    static std::string text;
    return text;
}

void RouteImGuiClipboard() {
    ImGuiIO& io = ImGui::GetIO();
    io.SetClipboardTextFn = [](void*, const char* text) {
        LastCopied() = text ? text : "";
        platform::CopyText(LastCopied(), 0, 0, 0, 0);
    };
    io.GetClipboardTextFn = [](void*) -> const char* { return LastCopied().c_str(); };
}

// The address bar's fragment for each screen (docs/web.md, "Address bar and history"): what Back and
// Forward move between, and what a reload reopens.
std::string RouteOf(const AppState& state) {
    switch (state.screen) {
        case Screen::Plan: return "#plan/" + state.plan.id;
        case Screen::AwsAccount: return "#account/aws";
        default: return "#app";  // the dashboard, and the sign-in forms in front of it
    }
}

// Where a fragment leads; nullopt for one that is not the app's (the landing page's own anchors).
std::optional<LeaveRequest> ParseRoute(const std::string& route) {
    constexpr std::string_view kPlan = "#plan/";
    if (route == "#app") return LeaveRequest{LeaveRequest::To::Dashboard, {}, false};
    if (route == "#account/aws") return LeaveRequest{LeaveRequest::To::AwsAccount, {}, false};
    if (route.size() > kPlan.size() && route.compare(0, kPlan.size(), kPlan) == 0) {
        return LeaveRequest{LeaveRequest::To::Plan, route.substr(kPlan.size()), false};
    }
    return std::nullopt;
}

}  // namespace

std::string_view ScreenName(Screen screen) {
    switch (screen) {
        case Screen::Starting: return "starting";
        case Screen::Login: return "login";
        case Screen::Signup: return "signup";
        case Screen::CheckEmail: return "check-email";
        case Screen::Dashboard: return "dashboard";
        case Screen::Plan: return "plan";
        case Screen::AwsAccount: return "aws-account";
    }
    return "unknown";
}

App::App() {
    platform::CaptureEditorShortcuts();
    platform::CapturePaste();
    RouteImGuiClipboard();
    // Opened from a sign-up link: that account, whatever session this browser had.
    if (auto token = platform::TakeVerifyToken()) {
        FollowSignupLink(*token);
        return;
    }
    Session stored = LoadSession();
    if (stored.token.empty()) {
        state_.screen = platform::StartMode() == "signup" ? Screen::Signup : Screen::Login;
        return;
    }
    // Show who we think is signed in while /v1/me confirms the token is still good.
    state_.session = stored;
    client_.SetToken(stored.token);
    client_.Me([this, stored](ApiResult<Session> result) {
        if (result.ok()) {
            Session session = *result.value;
            RememberNewPlanCloud(session);
            if (session.email.empty()) session.email = stored.email;
            SignedIn(std::move(session));
        } else if (result.error.status == 0) {
            // No network: the stored session is all we know; work from this device until it answers.
            SignedIn(stored, /*offline=*/true);
        } else if (!SessionLost(result.error)) {
            state_.screen = Screen::Login;
            state_.auth.error = result.error.Describe();
        }
    });
}

void App::Frame() {
    state_.now_unix = platform::NowUnixSeconds();
    // A sign-up link pasted into the address bar of a running app (assets/boot.js hands it over).
    if (auto token = platform::TakeVerifyToken()) FollowSignupLink(*token);
    if (auto route = platform::TakeRouteChange()) FollowRoute(*route);
    client_.Poll();
    std::vector<std::function<void()>> stored;
    stored.swap(db_ready_);
    for (auto& run : stored) run();
    MaybeSync();
    PublishSyncState();

    state_.pasted = platform::TakePastedText();
    if (state_.pasted) LastCopied() = *state_.pasted;

    ProbeBeginFrame();
    Intents intents;
    switch (state_.screen) {
        case Screen::Starting: DrawStarting(state_); break;
        case Screen::Login:
        case Screen::Signup: DrawAuth(state_, intents); break;
        case Screen::CheckEmail: DrawCheckEmail(state_, intents); break;
        case Screen::Dashboard: DrawDashboard(state_, intents); break;
        case Screen::Plan: DrawPlanView(state_, intents); break;
        case Screen::AwsAccount: DrawAwsAccount(state_, intents); break;
    }
    if (state_.screen == Screen::Dashboard || state_.screen == Screen::Plan) DrawConflict(state_, intents);
    for (const Intent& intent : intents) Apply(intent);
    TickDeploy();
    // Saved on the way out (sign out): out once the server has the save, or it cannot get it now (it waits
    // on this device and is sent at the next sign-in), or after 10 s at most.
    if (state_.screen == Screen::Plan && state_.plan.leaving) {
        const LocalPlan* plan = local_.Find(state_.plan.id);
        if (!online_ || plan == nullptr || plan->pending == 0 || plan->conflict || !plan->sync_error.empty() ||
            state_.now_unix - leaving_since_ > 10) {
            Logout();
        }
    }
    PublishRoute();
    const bool unsaved = state_.screen == Screen::Plan && state_.plan.readable && state_.plan.editor.doc.Dirty();
    if (unsaved != warn_before_unload_) platform::WarnBeforeUnload(unsaved);
    warn_before_unload_ = unsaved;
    platform::PublishProbe(ProbeFrameJson(), std::string(ScreenName(state_.screen)), ++frame_);
}

// The AWS account screen (views/account_aws.cpp): GET /v1/account/aws, and PUT with the role ARN; the API's
// error and its details are shown as they come.
void App::OpenAwsAccount() {
    state_.screen = Screen::AwsAccount;
    state_.aws_account = AwsAccountViewState{};
    state_.aws_account.loading = true;
    client_.GetAwsAccount([this](ApiResult<AwsAccountInfo> result) {
        AwsAccountViewState& view = state_.aws_account;
        view.loading = false;
        if (!result.ok()) {
            if (!SessionLost(result.error)) view.error = result.error.Describe();
            return;
        }
        view.role_arn = result.value->role_arn;
        view.info = std::move(result.value);
    });
}

void App::SaveAwsRole() {
    AwsAccountViewState& view = state_.aws_account;
    view.saving = true;
    view.error.clear();
    view.notice.clear();
    client_.SetAwsRole(Trim(view.role_arn), [this](ApiResult<AwsAccountInfo> result) {
        AwsAccountViewState& view = state_.aws_account;
        view.saving = false;
        if (!result.ok()) {
            if (!SessionLost(result.error)) view.error = result.error.Describe();
            return;
        }
        view.notice = result.value->role_arn.empty() ? "Role removed: deployments use the gateway's own AWS access."
                                                     : "Saved. Your AWS plans now deploy through this role.";
        view.role_arn = result.value->role_arn;
        view.info = std::move(result.value);
    });
}

void App::Apply(const Intent& intent) {
    switch (intent.kind) {
        case Intent::Kind::SubmitAuth: SubmitAuth(); break;
        case Intent::Kind::SwitchAuthMode:
            state_.screen = state_.screen == Screen::Login ? Screen::Signup : Screen::Login;
            state_.auth.error.clear();
            state_.auth.notice.clear();
            state_.auth.focus_email = true;
            break;
        case Intent::Kind::BackToLogin:
            state_.screen = Screen::Login;
            state_.auth.error.clear();
            state_.auth.notice.clear();
            state_.auth.focus_email = true;
            break;
        case Intent::Kind::Logout: Leave({LeaveRequest::To::Logout, {}, false}); break;
        case Intent::Kind::RefreshPlans: LoadPlans(); break;
        case Intent::Kind::CreatePlan: CreatePlan(); break;
        case Intent::Kind::OpenPlan:
            route_push_ = true;
            OpenPlan(intent.id);
            break;
        case Intent::Kind::BackToDashboard:
            route_push_ = true;
            Leave({LeaveRequest::To::Dashboard, {}, false});
            break;
        case Intent::Kind::LeaveSave:
        case Intent::Kind::LeaveDiscard:
        case Intent::Kind::LeaveCancel: AnswerLeave(intent.kind); break;
        case Intent::Kind::RenamePlan: RenamePlan(); break;
        case Intent::Kind::DeletePlan: DeletePlan(intent.id); break;
        case Intent::Kind::SavePlan: SavePlan(SaveKind::Edits); break;
        case Intent::Kind::KeepMine: Resolve(intent.id.empty() ? state_.plan.id : intent.id, true); break;
        case Intent::Kind::LoadTheirs: Resolve(intent.id.empty() ? state_.plan.id : intent.id, false); break;
        case Intent::Kind::DeployPlan: DeployPlan(); break;
        case Intent::Kind::OpenAwsAccount:
            route_push_ = true;
            OpenAwsAccount();
            break;
        case Intent::Kind::SaveAwsRole: SaveAwsRole(); break;
        case Intent::Kind::OpenLink: platform::OpenUrl(intent.id); break;
        case Intent::Kind::DestroyPlan: DestroyPlan(); break;
        case Intent::Kind::BackupPlan: BackupPlan(); break;
        case Intent::Kind::ShowPassword: ShowPassword(); break;
        case Intent::Kind::Download:
            if (const auto& preview = state_.plan.editor.preview; preview && !preview->filename.empty()) {
                platform::Download(preview->filename, preview->media_type, preview->text);
            }
            break;
    }
}

void App::Leave(LeaveRequest to) {
    PlanViewState& view = state_.plan;
    if (state_.screen == Screen::Plan && view.readable && view.editor.doc.Dirty()) {
        view.leave = std::move(to);  // the dialog asks (views/editor_view.cpp)
        return;
    }
    Go(to);
}

void App::Go(const LeaveRequest& to) {
    switch (to.to) {
        case LeaveRequest::To::Dashboard:
            state_.screen = Screen::Dashboard;
            state_.plan = PlanViewState{};
            LoadPlans();
            break;
        case LeaveRequest::To::Plan: OpenPlan(to.id); break;
        case LeaveRequest::To::AwsAccount: OpenAwsAccount(); break;
        case LeaveRequest::To::Logout: Logout(); break;
    }
}

void App::AnswerLeave(Intent::Kind answer) {
    PlanViewState& view = state_.plan;
    if (!view.leave) return;
    const LeaveRequest to = *view.leave;
    view.leave.reset();
    // Staying after Back/Forward: the address bar shows this plan again (a new entry, so Back asks again).
    const bool restore_route = to.from_history;
    if (answer == Intent::Kind::LeaveCancel) {
        route_push_ = restore_route;
        return;
    }
    if (answer == Intent::Kind::LeaveSave) {
        SavePlan(SaveKind::Edits);
        if (view.editor.doc.Dirty()) {  // not saved (a problem to fix first): stay, with SavePlan's reason
            route_push_ = restore_route;
            return;
        }
        if (to.to == LeaveRequest::To::Logout && online_) {
            // Signing out forgets this device's queue until the next sign-in: let this save reach the server.
            view.leaving = true;
            leaving_since_ = state_.now_unix;
            view.notice = "Saved; signing out once it has reached CloudSketch...";
            return;
        }
    }
    route_push_ = !to.from_history && to.to != LeaveRequest::To::Logout;
    Go(to);
}

void App::Logout() {
    // The token dies on the server too, but the user is signed out here whatever it answers.
    client_.Logout([](ApiResult<Empty>) {});
    SignOut("You have been signed out.");
}

void App::FollowRoute(const std::string& route) {
    std::optional<LeaveRequest> to = ParseRoute(route);
    if (!to) return;  // the landing page (assets/boot.js shows it; the app waits behind it)
    // Signing in: PublishRoute puts the form's "#app" back; a plan's address is opened after sign-in only
    // when the page was loaded with it.
    if (state_.screen != Screen::Dashboard && state_.screen != Screen::Plan && state_.screen != Screen::AwsAccount) return;
    if (RouteOf(state_) == route) return;  // e.g. Forward back to the plan after "Keep editing"
    to->from_history = true;
    Leave(std::move(*to));
}

void App::PublishRoute() {
    if (state_.screen == Screen::Starting) return;  // a reloaded "#plan/<id>" is opened once signed in
    // The address bar shows where Back/Forward went until the user has answered the dialog.
    if (state_.plan.leave && state_.plan.leave->from_history) return;
    platform::SetRoute(RouteOf(state_), route_push_);
    route_push_ = false;
}

void App::SubmitAuth() {
    AuthForm& form = state_.auth;
    const std::string email = Trim(form.email);
    form.notice.clear();
    if (email.empty() || form.password.empty()) {
        form.error = "Enter your email address and a password.";
        return;
    }
    if (email.find('@') == std::string::npos) {
        form.error = "That does not look like an email address.";
        return;
    }
    form.error.clear();
    form.busy = true;
    auto signed_in = [this](Session session) {
        state_.auth.password.clear();
        SignedIn(std::move(session));
        // Log-in answers do not say where new plans start; /v1/me does (for "New plan" offline later).
        client_.Me([this](ApiResult<Session> me) {
            if (me.ok()) RememberNewPlanCloud(*me.value);
        });
    };
    if (state_.screen == Screen::Signup) {
        client_.Signup(email, form.password, [this, signed_in](ApiResult<SignupOutcome> result) {
            state_.auth.busy = false;
            if (!result.ok()) {
                state_.auth.error = result.error.Describe();
                return;
            }
            if (result.value->session) return signed_in(*result.value->session);
            // A link went out (or, for an address with an account, a note to its owner: the same answer).
            AuthForm& auth = state_.auth;
            auth.password.clear();
            auth.sent_to = result.value->email;
            auth.sent_message = result.value->message;
            auth.sent_to_outbox = result.value->mail == "outbox";
            state_.screen = Screen::CheckEmail;
        });
    } else {
        client_.Login(email, form.password, DeviceToken(email), [this, signed_in](ApiResult<Session> result) {
            state_.auth.busy = false;
            if (!result.ok()) {
                state_.auth.error = result.error.Describe();
                return;
            }
            signed_in(*result.value);
        });
    }
}

// The link of a sign-up mail: POST /v1/auth/verify makes the account and signs this browser in as it.
void App::FollowSignupLink(const std::string& token) {
    if (!state_.session.token.empty()) SignOut({});
    state_.screen = Screen::Starting;
    state_.auth.verifying = true;
    client_.Verify(token, [this](ApiResult<Session> result) {
        state_.auth.verifying = false;
        if (!result.ok()) {
            state_.screen = Screen::Signup;
            state_.auth.error = result.error.Describe();
            return;
        }
        SignedIn(*result.value);
        client_.Me([this](ApiResult<Session> me) {
            if (me.ok()) RememberNewPlanCloud(*me.value);
        });
    });
}

void App::SignedIn(Session session, bool offline) {
    client_.SetToken(session.token);
    if (!session.device_token.empty()) platform::StorageSet(kDevicePrefix + session.email, session.device_token);
    SaveSession(session);
    state_.session = std::move(session);
    state_.auth = AuthForm{};
    state_.dashboard = DashboardState{};
    state_.screen = Screen::Dashboard;
    online_ = !offline;
    if (offline) WentOffline();
    // The page was loaded (or reloaded) at a plan's or the account's address: that screen, not the dashboard.
    if (std::optional<LeaveRequest> to = ParseRoute(platform::CurrentRoute())) {
        if (to->to == LeaveRequest::To::Plan) {
            state_.screen = Screen::Plan;
            state_.plan.id = to->id;
            state_.plan.loading = true;
        } else if (to->to == LeaveRequest::To::AwsAccount) {
            OpenAwsAccount();
        }
    }
    LoadLocal();  // then LoadPlans(), and the plan on screen from the device
}

void App::SignOut(std::string notice) {
    platform::StorageRemove(kSessionKey);
    client_.SetToken({});
    const std::string email = state_.session.email;
    // What is on this device stays there (under the account's prefix) and syncs at the next sign-in.
    local_ = LocalPlans{};
    local_loaded_ = false;
    sending_.clear();
    state_ = AppState{};
    state_.screen = Screen::Login;
    state_.auth.email = email;  // most people sign back in with the same address
    state_.auth.notice = std::move(notice);
}

bool App::SessionLost(const ApiError& error) {
    if (error.status != 401) return false;
    SignOut("Your session has ended. Please sign in again.");
    return true;
}

void App::LoadPlans() {
    if (!local_loaded_) return;  // LoadLocal() lists once the device's plans are in
    state_.dashboard.loading = true;
    client_.ListPlans([this](ApiResult<std::vector<PlanSummary>> result) {
        DashboardState& dashboard = state_.dashboard;
        dashboard.loading = false;
        if (!result.ok()) {
            if (result.error.status == 0) return WentOffline();  // the plans on this device are shown
            if (!SessionLost(result.error)) dashboard.error = result.error.Describe();
            return;
        }
        online_ = true;
        dashboard.error.clear();
        std::set<std::string> before;
        for (const auto& [key, plan] : local_.All()) before.insert(key);
        const std::vector<std::string> fetch = local_.MergeListing(*result.value);
        for (const std::string& key : before) {
            if (local_.Find(key) == nullptr) platform::DbDelete(db_prefix_ + key);
        }
        for (const auto& [key, plan] : local_.All()) Persist(key);
        // Every plan's document comes down too, so it can be opened and edited offline later.
        for (const std::string& key : fetch) Prefetch(key);
        RefreshRows();
        SyncPending();
    });
}

void App::CreatePlan() {
    DashboardState& dashboard = state_.dashboard;
    std::string name = Trim(dashboard.new_plan_name);
    if (name.empty()) name = "Untitled plan";
    dashboard.error.clear();
    dashboard.notice.clear();
    if (!online_) return CreateLocalPlan(name);
    dashboard.creating = true;
    client_.CreatePlan(name, [this, name](ApiResult<PlanResource> result) {
        DashboardState& dashboard = state_.dashboard;
        dashboard.creating = false;
        if (!result.ok()) {
            if (result.error.status == 0) {
                WentOffline();
                return CreateLocalPlan(name);
            }
            if (!SessionLost(result.error)) dashboard.error = result.error.Describe();
            return;
        }
        Persist(local_.Accept(result.value->id, *result.value, 0));
        const auto name_it = result.value->document.find("name");
        const std::string created =
            name_it != result.value->document.end() && name_it->is_string() ? name_it->get<std::string>() : "plan";
        dashboard.notice = "Created \"" + created + "\".";
        dashboard.new_plan_name.clear();
        LoadPlans();
    });
}

void App::OpenPlan(std::string id) {
    state_.plan = PlanViewState{};
    state_.plan.id = id;
    state_.screen = Screen::Plan;
    const LocalPlan* plan = local_.Find(id);
    if (plan != nullptr && plan->HasDocument()) ShowLocal(*plan);
    // Plans with edits here are not refreshed: the server's version would come as a conflict, if any.
    if (plan != nullptr && (plan->server_id.empty() || plan->Unsynced() || plan->conflict)) return;
    // Not on the device (an address opened before the device had it): LoadLocal opens it again once the
    // device's plans are in; then it comes from the server by its id.
    state_.plan.loading = plan == nullptr || !plan->HasDocument();
    if (plan == nullptr && !local_loaded_) return;
    const std::string server_id = plan != nullptr ? plan->server_id : id;
    client_.GetPlan(server_id, [this, id](ApiResult<PlanResource> result) {
        if (state_.screen != Screen::Plan || state_.plan.id != id) return;  // the user moved on
        state_.plan.loading = false;
        if (!result.ok()) {
            if (result.error.status == 0) {
                WentOffline();
                if (!state_.plan.resource) {
                    state_.plan.error = "This plan has not been downloaded to this device yet. Connect to the "
                                        "internet to open it.";
                }
                return;
            }
            if (!SessionLost(result.error)) state_.plan.error = result.error.Describe();
            return;
        }
        const std::string key = local_.Accept(id, *result.value, 0);
        Persist(key);
        if (state_.plan.readable && state_.plan.editor.doc.Dirty()) return;  // never under the user's edits
        if (const LocalPlan* fresh = local_.Find(key)) ShowLocal(*fresh);
    });
}

void App::ShowPlan(PlanResource resource) {
    PlanViewState& view = state_.plan;
    // plan_core reads the document exactly as the gateway will: the problems match what a save would say.
    plan::ParseOutcome outcome = plan::PlanFromJson(resource.document);
    view.readable = outcome.plan.has_value();
    view.diagnostics = outcome.diagnostics;
    view.raw_json = resource.document.dump(2);
    if (outcome.plan) {
        outcome.plan->id = resource.id;
        outcome.plan->revision = resource.revision;
        view.rename_to = outcome.plan->name;
        view.editor.doc.Load(std::move(*outcome.plan));
        view.editor.conflict = false;
    } else if (auto name = resource.document.find("name"); name != resource.document.end() && name->is_string()) {
        view.rename_to = name->get<std::string>();
    }
    view.resource = std::move(resource);
}

void App::RenamePlan() {
    PlanViewState& view = state_.plan;
    if (!view.resource || !view.readable || view.saving) return;
    const std::string name = Trim(view.rename_to);
    if (name.empty()) {
        view.error = "A plan needs a name.";
        return;
    }
    editor::Document& doc = view.editor.doc;
    // With nothing else unsaved, a conflict can simply reload theirs: the rename is all there is to lose.
    const bool rename_only = !doc.Dirty();
    editor::PlanHeader header{name, doc.Plan().environment, doc.Plan().cloud};
    doc.SetHeader(header, "Rename plan");
    SavePlan(rename_only ? SaveKind::Rename : SaveKind::Edits);
}

void App::SavePlan(SaveKind kind) {
    PlanViewState& view = state_.plan;
    if (!view.resource || !view.readable || view.saving) return;
    view.error.clear();
    view.notice.clear();
    view.warning.clear();
    editor::Document& doc = view.editor.doc;
    if (doc.HasErrors()) {
        view.error = "Not saved: fix the problems marked in red first (CloudSketch only stores plans that pass "
                     "every check).";
        return;
    }
    if (!doc.Dirty() && !view.editor.conflict && kind != SaveKind::Rename) {
        view.notice = "Nothing to save: no changes since the last save.";
        return;
    }
    SaveLocally(kind);
}

void App::SaveLocally(SaveKind kind) {
    PlanViewState& view = state_.plan;
    editor::Document& doc = view.editor.doc;
    const std::uint64_t state = doc.StateId();
    // On this device first (app_sync.cpp sends it, now or when the network is back): a save never waits.
    SaveDocument(view.id, nlohmann::json::parse(plan::DumpPlan(doc.Plan())));
    doc.MarkSaved(view.resource->revision, state);
    saved_state_ = state;
    saved_kind_ = kind;
    const std::string what = kind == SaveKind::Rename ? "Renamed to \"" + doc.Plan().name + "\"" : "Saved";
    view.notice = online_ ? what + "; sending it to CloudSketch..."
                          : what + " on this device; it syncs when you are back online.";
}

void App::DeletePlan(const std::string& id) {
    const LocalPlan* local = local_.Find(id);
    if (local != nullptr && (local->server_id.empty() || !online_)) return DeleteOnDevice(id);
    const std::string server_id = local != nullptr ? local->server_id : id;
    // The revision this device last saw goes with the delete: a change that landed on the server since
    // (another browser, the API) is not deleted unseen.
    std::int64_t revision = local != nullptr ? local->SeenRevision() : 0;
    if (revision == 0 && state_.plan.id == id && state_.plan.resource) revision = state_.plan.resource->revision;
    client_.DeletePlan(server_id, revision, [this, id](ApiResult<Empty> result) {
        if (!result.ok() && result.error.status == 0) {  // no answer: kept like an offline delete
            WentOffline();
            return DeleteOnDevice(id);
        }
        if (!result.ok() && result.error.code == "plan.revision_conflict" && local_.Find(id) != nullptr) {
            // Changed elsewhere meanwhile: kept as a tombstone, whose sync (the same DELETE, refused again)
            // brings the conflict dialog with the server's version: "Delete anyway" or "Keep theirs".
            const std::string name = local_.Find(id)->Name();
            DeleteOnDevice(id);
            state_.dashboard.notice = "\"" + name + "\" was changed elsewhere since this device last saw it, "
                                      "so it was not deleted: choose which version wins.";
            return;
        }
        if (!result.ok() && result.error.status != 404) {  // already gone is what the user wanted
            if (SessionLost(result.error)) return;
            if (state_.screen == Screen::Plan) {
                state_.plan.error = result.error.Describe();
            } else {
                state_.dashboard.error = result.error.Describe();
            }
            return;
        }
        std::string name = "the plan";
        if (const LocalPlan* gone = local_.Find(id)) {
            name = "\"" + gone->Name() + "\"";
        } else if (state_.plan.readable && state_.plan.id == id) {
            name = "\"" + state_.plan.editor.doc.Plan().name + "\"";
        }
        DeletedFromServer(id);
        state_.dashboard.notice = "Deleted " + name + ".";
        LoadPlans();
    });
}

}  // namespace ui
