// App, part two: plans on this device (IndexedDB) and their sync with the gateway. The rules are in
// offline/local_plans.hpp; this file does the I/O: loads and writes records, sends the queue of saves
// (POST for plans made offline, PUT with the base revision otherwise), turns a 409 into a conflict the
// user decides, and notices when the gateway is unreachable and when it is back.
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <utility>

#include "app.hpp"
#include "editor/field_words.hpp"
#include "plan/json.hpp"
#include "platform/platform.hpp"

namespace ui {
namespace {

// While offline, how often to ask the gateway whether it is back (a cheap list call).
constexpr double kProbeSeconds = 3.0;
// localStorage: {"provider", "region"} of the gateway's new plans (GET /v1/me), for plans made offline.
constexpr const char* kNewPlanCloudKey = "cloudsketch.new_plan_cloud";

std::string NowRfc3339(double unix_seconds) {
    const std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    // Milliseconds keep several saves within one second in order.
    const int millis = static_cast<int>((unix_seconds - static_cast<double>(t)) * 1000);
    char with_ms[40];
    std::snprintf(with_ms, sizeof with_ms, "%.19s.%03dZ", text, millis);
    return with_ms;
}

// The canonical, readable form when plan_core can read the document; the raw JSON otherwise.
std::string Readable(const nlohmann::json& document) {
    if (!document.is_object()) return "";
    plan::ParseOutcome outcome = plan::PlanFromJson(document);
    return outcome.plan ? plan::DumpPlan(*outcome.plan) : document.dump(2);
}

// An RFC 3339 time as the user's clock shows it ("14:02 on 4 Dec 2026"): Emscripten's localtime asks the
// browser, so it is in the browser's time zone. "" when the text is not a time.
std::string LocalTimeWords(const std::string& rfc3339) {
    std::tm utc{};
    if (std::sscanf(rfc3339.c_str(), "%d-%d-%dT%d:%d:%d", &utc.tm_year, &utc.tm_mon, &utc.tm_mday, &utc.tm_hour,
                    &utc.tm_min, &utc.tm_sec) != 6) {
        return "";
    }
    utc.tm_year -= 1900;
    utc.tm_mon -= 1;
    const std::time_t t = timegm(&utc);
    std::tm local{};
    localtime_r(&t, &local);
    char text[48];
    std::strftime(text, sizeof text, "%H:%M on %d %b %Y", &local);
    std::string words(text);
    if (const auto on = words.find(" on 0"); on != std::string::npos) words.erase(on + 4, 1);  // "4 Dec", not "04 Dec"
    return words;
}

std::string NameOf(const nlohmann::json& document) {
    auto it = document.is_object() ? document.find("name") : document.end();
    return it != document.end() && it->is_string() ? it->get<std::string>() : std::string("Untitled plan");
}

}  // namespace

void App::LoadLocal() {
    db_prefix_ = "plans/" + state_.session.email + "/";
    const std::string prefix = db_prefix_;
    platform::DbLoadPrefix(prefix, [this, prefix](platform::DbRows rows) {
        db_ready_.push_back([this, prefix, rows = std::move(rows)] {
            if (prefix != db_prefix_) return;  // signed out (or in as someone else) meanwhile
            local_.Load(rows, prefix);
            local_loaded_ = true;
            state_.dashboard.loaded = true;
            RefreshRows();
            if (state_.screen == Screen::Plan) OpenPlan(state_.plan.id);
            LoadPlans();
        });
    });
}

void App::Persist(const std::string& key) {
    if (const LocalPlan* plan = local_.Find(key)) platform::DbPut(db_prefix_ + key, LocalPlans::Serialize(*plan));
}

void App::ShowLocal(const LocalPlan& plan) {
    state_.plan.id = plan.key;
    PlanResource resource;
    resource.id = plan.server_id.empty() ? plan.key : plan.server_id;
    resource.revision = plan.base_revision;
    resource.updated_at = plan.summary.updated_at;
    resource.status = plan.summary.status;
    resource.document = plan.document;
    ShowPlan(std::move(resource));
}

void App::SaveDocument(const std::string& key, nlohmann::json document) {
    local_.Save(key, std::move(document), NowRfc3339(state_.now_unix));
    Persist(key);
    RefreshRows();
    SyncPending();
}

void App::ShowSynced(const std::string& key, const PlanResource& accepted) {
    PlanViewState& view = state_.plan;
    view.id = key;  // a plan made offline is known by the server's id from now on
    if (view.resource) {
        view.resource->id = accepted.id;
        view.resource->revision = accepted.revision;
        view.resource->updated_at = accepted.updated_at;
        view.resource->status = accepted.status;
        view.resource->document = accepted.document;
    }
    // The editor keeps its history; the saved state now carries the server's revision (later edits stay dirty).
    if (view.readable) view.editor.doc.MarkSaved(accepted.revision, saved_state_);
    view.notice = saved_kind_ == SaveKind::Rename
                      ? "Renamed to \"" + NameOf(accepted.document) + "\"."
                      : "Saved as revision " + std::to_string(accepted.revision) + ".";
}

void App::RememberNewPlanCloud(const Session& me) {
    if (me.new_plan_provider.empty()) return;  // an older gateway: keep what we knew
    platform::StorageSet(kNewPlanCloudKey,
                         nlohmann::json{{"provider", me.new_plan_provider}, {"region", me.new_plan_region}}.dump());
}

void App::CreateLocalPlan(const std::string& name) {
    // The same default plan the gateway would make, from the same plan_core, on the cloud the gateway last
    // said it starts new plans on (a gateway without cloud credentials makes local plans).
    plan::Plan fresh = plan::DefaultPlan(name);
    if (auto text = platform::StorageGet(kNewPlanCloudKey)) {
        const nlohmann::json cloud = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
        if (cloud.is_object() && cloud.value("provider", "") != "" && cloud.value("region", "") != "") {
            fresh.cloud = {cloud.value("provider", ""), cloud.value("region", "")};
        }
    }
    nlohmann::json document = nlohmann::json::parse(plan::DumpPlan(fresh));
    char key[48];
    std::snprintf(key, sizeof key, "local-%.0f-%u", state_.now_unix * 1000, frame_);
    SaveDocument(key, std::move(document));
    state_.dashboard.notice = "Created \"" + name + "\" on this device; it syncs when you are back online.";
    created_offline_key_ = key;
    created_offline_notice_ = state_.dashboard.notice;
    state_.dashboard.new_plan_name.clear();
}

void App::Prefetch(const std::string& key) {
    const LocalPlan* plan = local_.Find(key);
    if (plan == nullptr || plan->server_id.empty()) return;
    client_.GetPlan(plan->server_id, [this, key](ApiResult<PlanResource> result) {
        if (!result.ok() || local_.Find(key) == nullptr) return;  // the next listing tries again
        Persist(local_.Accept(key, *result.value, 0));
    });
}

void App::SyncPending() {
    if (!online_ || !local_loaded_) return;
    for (const std::string& key : local_.ToSync()) {
        if (sending_.count(key) == 0) SendChange(key);
    }
    for (const std::string& key : local_.ToDelete()) {
        if (sending_.count(key) == 0) SendDelete(key);
    }
}

void App::SendChange(const std::string& key) {
    const LocalPlan* plan = local_.Find(key);
    if (plan == nullptr) return;
    const int sent = plan->pending;
    sending_.insert(key);
    auto done = [this, key, sent](ApiResult<PlanResource> result) {
        sending_.erase(key);
        if (local_.Find(key) == nullptr) return;  // deleted meanwhile
        if (result.ok()) {
            online_ = true;
            const std::string now_key = local_.Accept(key, *result.value, sent);
            if (now_key != key) {
                platform::DbDelete(db_prefix_ + key);
                // 'Created "x" on this device; it syncs when you are back online' is no longer true.
                if (key == created_offline_key_ && state_.dashboard.notice == created_offline_notice_) {
                    state_.dashboard.notice.clear();
                }
            }
            Persist(now_key);
            if (state_.screen == Screen::Plan && state_.plan.id == key) ShowSynced(now_key, *result.value);
            RefreshRows();
            SyncPending();  // saves made while this one travelled
            return;
        }
        const ApiError& error = result.error;
        if (error.status == 0) return WentOffline();
        if (SessionLost(error)) return;
        if (error.code == "plan.revision_conflict") return FetchConflict(key);
        if (error.status == 404) {
            local_.SetConflict(key, ServerVersion{0, nullptr, true, {}});
        } else if (LocalPlan* failed = local_.Find(key)) {
            failed->sync_error = error.Describe();  // e.g. invalid: waits for the user's next edit
            if (state_.screen == Screen::Plan && state_.plan.id == key) {
                state_.plan.error = "The server did not accept your saved change: " + failed->sync_error;
            }
        }
        Persist(key);
        RefreshRows();
    };
    if (plan->server_id.empty()) {
        client_.CreatePlanFrom(plan->document, done);
    } else {
        client_.UpdatePlan(plan->server_id, plan->base_revision, plan->document, done);
    }
}

void App::DeleteOnDevice(const std::string& id) {
    const LocalPlan* local = local_.Find(id);
    if (local == nullptr) return;
    const std::string name = local->Name();
    if (local_.MarkDeleted(id, NowRfc3339(state_.now_unix))) {
        Persist(id);
        state_.dashboard.notice = "Deleted \"" + name + "\" on this device; the server forgets it when you are back "
                                  "online (unless it was changed there meanwhile).";
    } else {  // never reached the server: nothing to ask it
        platform::DbDelete(db_prefix_ + id);
        state_.dashboard.notice = "Deleted \"" + name + "\".";
    }
    if (state_.screen == Screen::Plan && state_.plan.id == id) {
        state_.screen = Screen::Dashboard;
        state_.plan = PlanViewState{};
    }
    RefreshRows();
    SyncPending();
}

void App::DeletedFromServer(const std::string& key) {
    if (local_.Find(key) != nullptr) {
        local_.Remove(key);
        platform::DbDelete(db_prefix_ + key);
        RefreshRows();
    }
    if (state_.screen == Screen::Plan && state_.plan.id == key) {
        state_.screen = Screen::Dashboard;
        state_.plan = PlanViewState{};
    }
}

// The tombstone's revision goes with the DELETE (?revision=N), checked by the gateway in the same write
// that deletes: a plan changed elsewhere since the user deleted it here is not deleted but becomes a
// conflict the user decides.
void App::SendDelete(const std::string& key) {
    const LocalPlan* plan = local_.Find(key);
    if (plan == nullptr || !plan->deleted) return;
    sending_.insert(key);
    client_.DeletePlan(plan->server_id, plan->base_revision, [this, key](ApiResult<Empty> result) {
        sending_.erase(key);
        if (result.ok() || result.error.status == 404) {  // gone already (deleted elsewhere too) is done too
            online_ = true;
            DeletedFromServer(key);
            return SyncPending();
        }
        if (result.error.status == 0) return WentOffline();
        if (SessionLost(result.error)) return;
        if (result.error.code == "plan.revision_conflict") return AskAboutDelete(key);
        // Refused (e.g. 409 plan.deployed: it runs and must be destroyed first): the plan comes back.
        if (LocalPlan* refused = local_.Find(key)) {
            refused->deleted = false;
            Persist(key);
            state_.dashboard.error = "\"" + refused->Name() + "\" was not deleted: " + result.error.Describe();
        }
        RefreshRows();
        LoadPlans();  // its document may be behind: the listing fetches it
    });
}

void App::AskAboutDelete(const std::string& key) {
    const LocalPlan* plan = local_.Find(key);
    if (plan == nullptr || !plan->deleted) return;
    sending_.insert(key);  // nothing else is sent for it until the user has chosen
    client_.GetPlan(plan->server_id, [this, key](ApiResult<PlanResource> current) {
        sending_.erase(key);
        const LocalPlan* plan = local_.Find(key);
        if (plan == nullptr || !plan->deleted) return;
        if (current.ok()) {
            local_.SetConflict(key, ServerVersion{current.value->revision, current.value->document, false,
                                                  current.value->updated_at});
            Persist(key);
            RefreshRows();
            return;
        }
        if (current.error.status == 404) {  // deleted elsewhere in the meantime: what the user wanted
            DeletedFromServer(key);
            return SyncPending();
        }
        if (current.error.status == 0) return WentOffline();
        SessionLost(current.error);  // otherwise the next sync sends the delete (and asks) again
    });
}

void App::FetchConflict(const std::string& key) {
    const LocalPlan* plan = local_.Find(key);
    if (plan == nullptr) return;
    client_.GetPlan(plan->server_id, [this, key](ApiResult<PlanResource> result) {
        if (local_.Find(key) == nullptr) return;
        if (result.ok()) {
            local_.SetConflict(key, ServerVersion{result.value->revision, result.value->document, false,
                                                  result.value->updated_at});
        } else if (result.error.status == 404) {
            local_.SetConflict(key, ServerVersion{0, nullptr, true, {}});
        } else {
            if (result.error.status == 0) WentOffline();
            return;  // asked again on the next sync
        }
        Persist(key);
        RefreshRows();
        if (state_.screen == Screen::Plan && state_.plan.id == key) {
            state_.plan.notice.clear();  // "...it syncs when you are back online" is not what happens now
            state_.plan.warning = "This plan was changed elsewhere while you edited it. Choose which version to keep.";
        }
    });
}

void App::Resolve(const std::string& key, bool keep_mine) {
    LocalPlan* plan = local_.Find(key);
    if (plan == nullptr || !plan->conflict) return;
    const bool deleted = plan->conflict->deleted;
    const bool tombstone = plan->deleted;
    const std::string name = keep_mine ? plan->Name() : NameOf(plan->conflict->document);
    local_.Resolve(key, keep_mine);
    if (tombstone && local_.Find(key) != nullptr) {
        Persist(key);
        state_.dashboard.notice = keep_mine ? "Deleting \"" + name + "\" as you asked."
                                            : "\"" + name + "\" is back, as it was changed elsewhere.";
        RefreshRows();
        SyncPending();
        return;
    }
    const bool viewing = state_.screen == Screen::Plan && state_.plan.id == key;
    if (viewing) state_.plan.warning.clear();
    if (viewing) state_.plan.editor.conflict = false;
    if (local_.Find(key) == nullptr) {  // took "theirs" of a deleted plan: it is gone here too
        platform::DbDelete(db_prefix_ + key);
        if (viewing) {
            state_.screen = Screen::Dashboard;
            state_.plan = PlanViewState{};
        }
        state_.dashboard.notice = "The plan was deleted elsewhere, so it was removed here too.";
    } else {
        Persist(key);
        if (viewing) {
            // Theirs replaces the editor's plan; keeping ours leaves the editor (and its undo history) as is.
            if (!keep_mine) ShowLocal(*local_.Find(key));
            state_.plan.notice = keep_mine ? (deleted ? "Your version will be saved as a new plan."
                                                      : "Kept your version: it replaces theirs on the server.")
                                           : "Now showing their version of \"" + name + "\".";
        }
    }
    RefreshRows();
    SyncPending();
}

void App::WentOffline() {
    online_ = false;
    next_probe_at_ = state_.now_unix + kProbeSeconds;
}

void App::MaybeSync() {
    if (!local_loaded_ || state_.session.token.empty()) return;
    if (!platform::BrowserOnline()) {
        if (online_) WentOffline();
        return;
    }
    // The browser says it may be online again: the listing tells for sure, then the queue is sent.
    if (!online_ && state_.now_unix >= next_probe_at_ && !state_.dashboard.loading) {
        next_probe_at_ = state_.now_unix + kProbeSeconds;
        LoadPlans();
    }
}

void App::RefreshRows() {
    std::vector<PlanRow> rows;
    for (const auto& [key, plan] : local_.All()) {
        if (plan.deleted) continue;  // deleted on this device: gone from view at once
        PlanRow row;
        row.key = key;
        row.summary = plan.summary;
        row.summary.name = plan.Name();
        row.summary.environment = plan.Environment();
        if (plan.Unsynced() && !plan.changed_at.empty()) row.summary.updated_at = plan.changed_at;
        row.pending = plan.pending;
        row.conflict = plan.conflict.has_value();
        row.local_only = plan.server_id.empty();
        rows.push_back(std::move(row));
    }
    state_.dashboard.plans = std::move(rows);
}

void App::PublishSyncState() {
    SyncState& sync = state_.sync;
    sync.online = online_ && platform::BrowserOnline();
    sync.syncing = !sending_.empty();
    sync.pending = local_.PendingCount();
    sync.conflicts = local_.ConflictCount();
    // The plan on screen: Deploy waits until the server has every saved change (it deploys its revision).
    if (state_.screen == Screen::Plan) {
        const LocalPlan* viewed = local_.Find(state_.plan.id);
        state_.plan.unsynced = viewed != nullptr ? viewed->pending : 0;
        state_.plan.sync_conflict = viewed != nullptr && viewed->conflict.has_value();
    }
    // One conflict at a time: the one on screen first, else the oldest by key.
    const LocalPlan* shown = nullptr;
    if (state_.screen == Screen::Plan) {
        const LocalPlan* viewed = local_.Find(state_.plan.id);
        if (viewed != nullptr && viewed->conflict) shown = viewed;
    }
    if (shown == nullptr) {
        for (const auto& [key, plan] : local_.All()) {
            if (plan.conflict) {
                shown = &plan;
                break;
            }
        }
    }
    if (shown == nullptr) {
        sync.conflict.reset();
        return;
    }
    if (sync.conflict && sync.conflict->key == shown->key) return;  // already rendered to text
    ConflictView view;
    view.key = shown->key;
    view.mine_name = shown->Name();
    view.mine_deleted = shown->deleted;
    view.mine_json = shown->deleted ? "" : Readable(shown->document);
    view.deleted = shown->conflict->deleted;
    view.theirs_revision = shown->conflict->revision;
    view.theirs_when = LocalTimeWords(shown->conflict->updated_at);
    if (!view.deleted && !view.mine_deleted) {
        view.lines = editor::DescribeDifferences(
            shown->document, shown->conflict->document, view.theirs_when.empty() ? "" : ", changed at " + view.theirs_when);
    }
    if (!view.deleted) {
        view.theirs_name = NameOf(shown->conflict->document);
        view.theirs_json = Readable(shown->conflict->document);
        // nlohmann's diff is an RFC 6902 patch: its paths are where the two versions part.
        for (const auto& op : shown->deleted ? nlohmann::json::array()
                                             : nlohmann::json::diff(shown->conflict->document, shown->document)) {
            const std::string path = op.value("path", "");
            if (path == "/revision" || path == "/id" || view.differences.size() >= 8) continue;
            if (std::find(view.differences.begin(), view.differences.end(), path) == view.differences.end()) {
                view.differences.push_back(path);
            }
        }
    }
    sync.conflict = std::move(view);
}

}  // namespace ui
