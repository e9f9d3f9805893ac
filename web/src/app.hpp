#pragma once
// The application: owns the state and the gateway client, draws one screen per frame and carries out
// what the views asked for. Platform-free: main.cpp drives it, platform/ gives it the browser.
#include "app_state.hpp"
#include "gateway_client.hpp"

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
    void SubmitAuth();
    void SignedIn(Session session);
    void SignOut(std::string notice);
    void LoadPlans();
    void CreatePlan();
    void OpenPlan(const std::string& id);
    void ShowPlan(PlanResource resource);
    void RenamePlan();
    // What a save is for: a rename alone (a conflict then reloads theirs) or the editor's edits.
    enum class SaveKind { Rename, Edits };
    void SavePlan(SaveKind kind);
    void SendSave(std::int64_t revision, SaveKind kind);
    void KeepMine();
    void DeployPlan();
    void ShowDeployment(const Deployment& deployment);
    void PollDeployment();
    void OpenPlanStatus();
    void DeletePlan(const std::string& id);
    // True (and back to the login screen) when `error` says the session is no longer valid.
    bool SessionLost(const ApiError& error);

    AppState state_;
    GatewayClient client_;
    unsigned frame_ = 0;
};

}  // namespace ui
