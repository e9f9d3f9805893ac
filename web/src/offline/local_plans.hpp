#pragma once
// The user's plans as kept in the browser (IndexedDB through platform::Db*), so the dashboard and the
// plan screen work with no network, and the rules for reconciling them with the gateway. Pure data and
// decisions: no network, no storage, no ImGui (App in app_sync.cpp does the I/O).
//
// Sync rules (docs/web.md, "Offline"):
// - A save always lands here first (`pending` counts the saves the server has not accepted yet).
// - A plan made offline has no server id: it is sent with POST, and then known by the server's id.
// - An edited plan is sent with PUT and the revision it was based on. A 409 means the server changed
//   meanwhile: nothing is overwritten; the server's version is kept beside ours (`conflict`) until the
//   user chooses. "Keep mine" rebases ours on their revision (the next PUT wins); "take theirs"
//   replaces ours. A plan deleted on the server while edited here is a conflict too.
// - Plans without local edits simply follow the server.
// - A delete made offline is a tombstone (`deleted`): the plan is hidden here at once, and the server is
//   asked to delete it when it is reachable, only if it is still at the revision the user deleted
//   (`base_revision`). Changed meanwhile: a conflict like an edit's ("delete anyway" / "keep theirs").
//   Gone from the server already: the tombstone has done its job and goes too.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway_client.hpp"

namespace ui {

// The server's version of a plan that disagrees with ours. deleted: the server no longer has it.
struct ServerVersion {
    std::int64_t revision = 0;
    nlohmann::json document;
    bool deleted = false;
    std::string updated_at;  // RFC 3339: when the server's version was saved ("" when unknown)
};

struct LocalPlan {
    std::string key;             // the server id, or "local-…" until the first sync creates the plan
    std::string server_id;       // "" until the server has it
    std::int64_t base_revision = 0;  // server revision `document` derives from (0: not on the server)
    nlohmann::json document;     // the latest version on this device; null when only the summary is known
    PlanSummary summary;         // the server's list entry (status, updated_at) as last seen
    int pending = 0;             // saves not yet accepted by the server
    std::optional<ServerVersion> conflict;  // set when the server changed meanwhile; sync waits for a choice
    std::string sync_error;      // the server refused the change (e.g. invalid); retried after the next save
    std::string changed_at;      // RFC 3339 time of the last local save (or of the delete)
    bool deleted = false;        // tombstone: deleted on this device, the server still has it

    bool HasDocument() const { return document.is_object(); }
    bool Unsynced() const { return pending > 0 || deleted; }
    // The server revision the user last saw: the document's, or the listing's while only the summary is
    // here (the dashboard row shows it). What a delete is made at.
    std::int64_t SeenRevision() const { return base_revision > 0 ? base_revision : summary.revision; }
    // The name to show: ours when we have a document, else the server's.
    std::string Name() const;
    std::string Environment() const;
};

class LocalPlans {
public:
    // Records from storage (values written by Serialize); unreadable ones are skipped.
    void Load(const std::vector<std::pair<std::string, std::string>>& rows, const std::string& prefix);

    LocalPlan* Find(const std::string& key);
    LocalPlan* FindByServerId(const std::string& server_id);
    const std::map<std::string, LocalPlan>& All() const { return plans_; }

    // A full listing from the server (every page). Updates summaries, adds plans first seen, drops plans
    // the server no longer has unless they carry local edits (those become a "deleted" conflict).
    // Returns the keys whose document must be (re)fetched: unknown, or older than the listed revision.
    std::vector<std::string> MergeListing(const std::vector<PlanSummary>& listing);

    // A plan resource from the server (GET, or the answer to POST/PUT) for a plan without local edits,
    // or the acknowledgement of the save that was sent with `sent_pending` saves counted.
    // Re-keys a local-only plan to its server id; returns the key it is known by now.
    std::string Accept(const std::string& key, const PlanResource& resource, int sent_pending);

    // A save on this device (offline or not). Creates the record when `key` is new.
    void Save(const std::string& key, nlohmann::json document, const std::string& now);

    void SetConflict(const std::string& key, ServerVersion theirs);
    // The user's choice. keep_mine: ours goes to the server over their revision (or is re-created when
    // they deleted it). Otherwise theirs replaces ours (or ours is dropped when they deleted it).
    // For a tombstone, keep_mine is "delete anyway" (over their revision) and otherwise theirs comes back.
    void Resolve(const std::string& key, bool keep_mine);

    void Remove(const std::string& key);

    // The user deleted the plan on this device. One the server never had is simply removed (returns false);
    // otherwise it becomes a tombstone, to be deleted on the server at its base revision (returns true).
    // Its unsynced saves are dropped: the user chose to delete what they had.
    bool MarkDeleted(const std::string& key, const std::string& now);

    // Saves not yet on the server, across plans, not counting plans waiting for a conflict choice (a plan
    // in conflict is one thing to do, not two); and those plans.
    int PendingCount() const;
    int ConflictCount() const;
    // The next plan to send (oldest local change first) that is not waiting for a choice or an edit.
    // Tombstones are not among them (see ToDelete).
    std::vector<std::string> ToSync() const;
    // Tombstones to delete on the server (oldest first), not waiting for a choice.
    std::vector<std::string> ToDelete() const;

    // Storage form of one record (JSON text) and its storage key under `prefix`.
    static std::string Serialize(const LocalPlan& plan);
    static std::string StorageKey(const std::string& prefix, const std::string& key) { return prefix + key; }

private:
    std::map<std::string, LocalPlan> plans_;
};

}  // namespace ui
