#pragma once
// Everything the views draw from, and the intents they hand back. No ImGui and no network here:
// views read AppState and append Intents; App (app.cpp) turns intents into gateway calls.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "editor/editor_state.hpp"
#include "gateway_client.hpp"
#include "plan/diagnostic.hpp"
#include "plan/plan.hpp"

namespace ui {

enum class Screen { Starting, Login, Signup, Dashboard, Plan };

// Stable names for tests and window.csUi.screen(): "starting", "login", "signup", "dashboard", "plan".
std::string_view ScreenName(Screen screen);

struct AuthForm {
    std::string email;
    std::string password;
    std::string error;   // shown under the form; empty when there is nothing to say
    std::string notice;  // neutral information, e.g. "You have been signed out."
    bool busy = false;   // a request is in flight: the submit button is disabled
    bool focus_email = true;  // put the cursor in the email field on the next frame
};

struct DashboardState {
    std::vector<PlanSummary> plans;
    bool loaded = false;   // at least one answer arrived (distinguishes "no plans" from "loading")
    bool loading = false;
    bool creating = false;
    std::string error;
    std::string notice;
    std::string new_plan_name;
    std::string confirm_delete_id;  // non-empty while the delete confirmation is open
    std::string confirm_delete_name;
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
};

struct AppState {
    Screen screen = Screen::Starting;
    Session session;
    AuthForm auth;
    DashboardState dashboard;
    PlanViewState plan;
    double now_unix = 0;  // wall clock at the start of the frame, for "updated 5 min ago"
};

// What a view asks for. `id` is a plan id where one is needed.
struct Intent {
    enum class Kind {
        SubmitAuth,     // log in or sign up, by the current screen, with state.auth
        SwitchAuthMode, // login <-> signup
        Logout,
        RefreshPlans,
        CreatePlan,     // with state.dashboard.new_plan_name
        OpenPlan,
        BackToDashboard,
        RenamePlan,     // state.plan.id to state.plan.rename_to
        DeletePlan,     // confirmed already
        SavePlan,       // PUT state.plan.editor.doc at the revision it was loaded from (Ctrl+S)
        KeepMine,       // after a conflict: save the editor's plan over the newest revision
        LoadTheirs,     // after a conflict: drop local edits and reload the plan
        DeployPlan,     // POST /v1/plan/{id}/deploy
        Download,       // offer state.plan.editor.preview as a file
    };
    Kind kind;
    std::string id;
};

using Intents = std::vector<Intent>;

}  // namespace ui
