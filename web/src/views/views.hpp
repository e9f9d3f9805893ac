#pragma once
// One function per screen. A view draws AppState with ImGui and appends Intents; it never calls the
// network or changes anything but its own form fields (App carries the intents out).
#include <string>

#include "app_state.hpp"

namespace ui {

// Shown while a stored session is being checked.
void DrawStarting(const AppState& state);

// Log-in and sign-up share one form; state.screen says which (Screen::Login or Screen::Signup).
// Probe ids: <login|signup>/{email,password,submit,switch,error,notice}.
void DrawAuth(AppState& state, Intents& intents);
// After a sign-up: "check your email" (or, without a mail server, where the operator finds the link).
void DrawCheckEmail(const AppState& state, Intents& intents);

// The user's plans. Probe ids: dashboard/{new-plan-name,new-plan,refresh,logout,empty,error,notice},
// dashboard/plan/<name> (+ /status, /open, /delete), confirm/{delete,cancel}.
void DrawDashboard(AppState& state, Intents& intents);

// One plan, in the editor (editor_view.cpp; panels in editor_views.hpp). Probe ids: plan/{back,title,
// revision,status,name-input,rename,delete,component/<id>,json,diagnostics,error,notice,warning},
// editor/{undo,redo,save,deploy,deploy-reason,deployment,dirty,keep-mine,load-theirs,canvas,tab/<id>},
// confirm/{delete,cancel}; the Deployment tab's ids are in editor_views.hpp (DrawDeployment).
void DrawPlanView(AppState& state, Intents& intents);

// The user's AWS account (views/account_aws.cpp): ExternalId, quick-create link, role ARN. Probe ids:
// aws/{back,external-id,principal,quick-create,quick-create-url,quick-create-unavailable,template,role-arn,
// save,clear,error,notice,role}.
void DrawAwsAccount(AppState& state, Intents& intents);

// Online/offline and unsynced saves, on the current line: the screens pass it to TopBar, so it sits in
// the top bar beside the product name. Probe id: sync/indicator ("Offline  ·  2 unsynced changes").
void DrawSyncIndicator(const AppState& state);
std::string SyncIndicatorText(const SyncState& sync);

// Modal while state.sync.conflict is set: both versions side by side, "Keep mine" / "Take theirs".
// Probe ids: conflict/{message,mine,theirs,keep-mine,take-theirs}.
void DrawConflict(const AppState& state, Intents& intents);

}  // namespace ui
