#include "offline/local_plans.hpp"

#include <algorithm>
#include <set>

#include "json_fields.hpp"

namespace ui {
namespace {

using nlohmann::json;

json SummaryJson(const PlanSummary& s) {
    return {{"id", s.id},
            {"name", s.name},
            {"environment", s.environment},
            {"revision", s.revision},
            {"updated_at", s.updated_at},
            {"status",
             {{"light", s.status.light}, {"reason", s.status.reason}, {"last_deployed_at", s.status.last_deployed_at}}}};
}

PlanSummary SummaryFrom(const json& j) {
    PlanSummary s;
    s.id = Str(j, "id");
    s.name = Str(j, "name");
    s.environment = Str(j, "environment");
    s.revision = Int(j, "revision");
    s.updated_at = Str(j, "updated_at");
    if (auto status = j.find("status"); status != j.end() && status->is_object()) {
        if (auto light = Str(*status, "light"); !light.empty()) s.status.light = light;
        s.status.reason = Str(*status, "reason");
        s.status.last_deployed_at = Str(*status, "last_deployed_at");
    }
    return s;
}

}  // namespace

std::string LocalPlan::Name() const {
    if (HasDocument()) {
        if (auto name = Str(document, "name"); !name.empty()) return name;
    }
    return summary.name.empty() ? std::string("Untitled plan") : summary.name;
}

std::string LocalPlan::Environment() const {
    if (HasDocument()) {
        if (auto environment = Str(document, "environment"); !environment.empty()) return environment;
    }
    return summary.environment;
}

void LocalPlans::Load(const std::vector<std::pair<std::string, std::string>>& rows, const std::string& prefix) {
    plans_.clear();
    for (const auto& [storage_key, text] : rows) {
        if (storage_key.compare(0, prefix.size(), prefix) != 0) continue;
        const json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
        if (!j.is_object()) continue;  // written by an older or broken build: the server still has it
        LocalPlan plan;
        plan.key = storage_key.substr(prefix.size());
        plan.server_id = Str(j, "server_id");
        plan.base_revision = Int(j, "base_revision");
        if (auto document = j.find("document"); document != j.end() && document->is_object()) plan.document = *document;
        if (auto summary = j.find("summary"); summary != j.end() && summary->is_object()) plan.summary = SummaryFrom(*summary);
        plan.pending = static_cast<int>(Int(j, "pending"));
        plan.sync_error = Str(j, "sync_error");
        plan.changed_at = Str(j, "changed_at");
        plan.deleted = j.value("deleted", false) && !plan.server_id.empty();
        if (auto conflict = j.find("conflict"); conflict != j.end() && conflict->is_object()) {
            ServerVersion theirs;
            theirs.revision = Int(*conflict, "revision");
            theirs.deleted = conflict->value("deleted", false);
            theirs.updated_at = Str(*conflict, "updated_at");
            if (auto document = conflict->find("document"); document != conflict->end()) theirs.document = *document;
            plan.conflict = std::move(theirs);
        }
        plans_[plan.key] = std::move(plan);
    }
}

std::string LocalPlans::Serialize(const LocalPlan& plan) {
    json j = {{"server_id", plan.server_id},        {"base_revision", plan.base_revision},
              {"document", plan.document},          {"summary", SummaryJson(plan.summary)},
              {"pending", plan.pending},            {"sync_error", plan.sync_error},
              {"changed_at", plan.changed_at}};
    if (plan.deleted) j["deleted"] = true;
    if (plan.conflict) {
        j["conflict"] = {{"revision", plan.conflict->revision},
                         {"document", plan.conflict->document},
                         {"deleted", plan.conflict->deleted},
                         {"updated_at", plan.conflict->updated_at}};
    }
    return j.dump();
}

LocalPlan* LocalPlans::Find(const std::string& key) {
    auto it = plans_.find(key);
    return it == plans_.end() ? nullptr : &it->second;
}

LocalPlan* LocalPlans::FindByServerId(const std::string& server_id) {
    if (server_id.empty()) return nullptr;
    for (auto& [key, plan] : plans_) {
        if (plan.server_id == server_id) return &plan;
    }
    return nullptr;
}

std::vector<std::string> LocalPlans::MergeListing(const std::vector<PlanSummary>& listing) {
    std::vector<std::string> fetch;
    std::set<std::string> listed;
    for (const PlanSummary& summary : listing) {
        listed.insert(summary.id);
        LocalPlan* plan = FindByServerId(summary.id);
        if (plan == nullptr) {
            LocalPlan fresh;
            fresh.key = fresh.server_id = summary.id;
            plan = &(plans_[fresh.key] = std::move(fresh));
        }
        plan->summary = summary;
        if (plan->conflict && plan->conflict->deleted) plan->conflict.reset();  // it is back after all
        // Ours is behind the server and has no edits: fetch theirs. With edits, the PUT will tell; a
        // tombstone's delete checks the revision itself.
        if (plan->pending == 0 && !plan->deleted && (!plan->HasDocument() || plan->base_revision != summary.revision)) {
            fetch.push_back(plan->key);
        }
    }
    for (auto it = plans_.begin(); it != plans_.end();) {
        LocalPlan& plan = it->second;
        if (plan.server_id.empty() || listed.count(plan.server_id) != 0) {
            ++it;
        } else if (plan.pending == 0 || plan.deleted) {
            it = plans_.erase(it);  // deleted elsewhere: nothing of ours to lose, or what we wanted anyway
        } else {
            if (!plan.conflict) plan.conflict = ServerVersion{0, nullptr, true, {}};
            ++it;
        }
    }
    return fetch;
}

std::string LocalPlans::Accept(const std::string& key, const PlanResource& resource, int sent_pending) {
    LocalPlan plan;  // a plan first seen in this answer (e.g. just created online) starts empty
    plan.key = key;
    if (auto it = plans_.find(key); it != plans_.end()) {
        plan = std::move(it->second);
        plans_.erase(it);
    }
    const bool newer_edits = plan.pending > sent_pending;
    if (sent_pending > 0 || plan.pending == 0) {
        plan.base_revision = resource.revision;
        plan.pending = std::max(0, plan.pending - sent_pending);
        if (!newer_edits) {
            plan.document = resource.document;  // the server's normalised form
            plan.sync_error.clear();
        }
    }
    plan.server_id = resource.id;
    plan.key = resource.id;
    plan.summary.id = resource.id;
    plan.summary.revision = resource.revision;
    plan.summary.updated_at = resource.updated_at;
    plan.summary.status = resource.status;
    plan.summary.name = Str(resource.document, "name");
    plan.summary.environment = Str(resource.document, "environment");
    const std::string new_key = plan.key;
    plans_[new_key] = std::move(plan);
    return new_key;
}

void LocalPlans::Save(const std::string& key, nlohmann::json document, const std::string& now) {
    LocalPlan& plan = plans_[key];
    plan.key = key;
    plan.document = std::move(document);
    ++plan.pending;
    plan.sync_error.clear();
    plan.changed_at = now;
}

void LocalPlans::SetConflict(const std::string& key, ServerVersion theirs) {
    if (LocalPlan* plan = Find(key)) plan->conflict = std::move(theirs);
}

void LocalPlans::Resolve(const std::string& key, bool keep_mine) {
    LocalPlan* plan = Find(key);
    if (plan == nullptr || !plan->conflict) return;
    ServerVersion theirs = std::move(*plan->conflict);
    plan->conflict.reset();
    if (plan->deleted) {
        if (theirs.deleted) {
            plans_.erase(key);  // gone on both sides
        } else if (keep_mine) {
            plan->base_revision = theirs.revision;  // delete exactly the version the user saw
            plan->summary.revision = theirs.revision;
        } else {
            plan->deleted = false;
            plan->document = std::move(theirs.document);
            plan->base_revision = plan->summary.revision = theirs.revision;
            plan->pending = 0;
            plan->sync_error.clear();
        }
        return;
    }
    if (theirs.deleted) {
        if (keep_mine) {
            plan->server_id.clear();  // sent again with POST: a new plan with our content
            plan->base_revision = 0;
        } else {
            plans_.erase(key);
        }
        return;
    }
    plan->base_revision = theirs.revision;
    plan->summary.revision = theirs.revision;
    if (!keep_mine) {
        plan->document = std::move(theirs.document);
        plan->pending = 0;
        plan->sync_error.clear();
    }
}

void LocalPlans::Remove(const std::string& key) { plans_.erase(key); }

bool LocalPlans::MarkDeleted(const std::string& key, const std::string& now) {
    LocalPlan* plan = Find(key);
    if (plan == nullptr) return false;
    if (plan->server_id.empty()) {
        plans_.erase(key);
        return false;
    }
    plan->deleted = true;
    plan->base_revision = plan->SeenRevision();
    plan->pending = 0;
    plan->sync_error.clear();
    plan->changed_at = now;
    return true;
}

int LocalPlans::PendingCount() const {
    int count = 0;
    for (const auto& [key, plan] : plans_) {
        if (!plan.conflict) count += plan.deleted ? 1 : plan.pending;
    }
    return count;
}

int LocalPlans::ConflictCount() const {
    return static_cast<int>(std::count_if(plans_.begin(), plans_.end(),
                                          [](const auto& entry) { return entry.second.conflict.has_value(); }));
}

std::vector<std::string> LocalPlans::ToSync() const {
    std::vector<const LocalPlan*> ready;
    for (const auto& [key, plan] : plans_) {
        if (plan.pending > 0 && !plan.deleted && !plan.conflict && plan.sync_error.empty() && plan.HasDocument()) {
            ready.push_back(&plan);
        }
    }
    // RFC 3339 UTC strings of one format sort by time.
    std::sort(ready.begin(), ready.end(), [](const LocalPlan* a, const LocalPlan* b) { return a->changed_at < b->changed_at; });
    std::vector<std::string> keys;
    for (const LocalPlan* plan : ready) keys.push_back(plan->key);
    return keys;
}

std::vector<std::string> LocalPlans::ToDelete() const {
    std::vector<const LocalPlan*> ready;
    for (const auto& [key, plan] : plans_) {
        if (plan.deleted && !plan.conflict) ready.push_back(&plan);
    }
    std::sort(ready.begin(), ready.end(), [](const LocalPlan* a, const LocalPlan* b) { return a->changed_at < b->changed_at; });
    std::vector<std::string> keys;
    for (const LocalPlan* plan : ready) keys.push_back(plan->key);
    return keys;
}

}  // namespace ui
