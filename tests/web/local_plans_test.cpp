// The offline store's rules (web/src/offline/local_plans.hpp): what is queued, what a server answer
// does to it, how a conflict is kept and resolved, and that a record survives storage unchanged.
#include "offline/local_plans.hpp"

#include <gtest/gtest.h>

namespace ui {
namespace {

using nlohmann::json;

json Doc(const std::string& name) { return json{{"name", name}, {"environment", "dev"}, {"components", json::array()}}; }

PlanResource Resource(const std::string& id, std::int64_t revision, const std::string& name) {
    PlanResource r;
    r.id = id;
    r.revision = revision;
    r.updated_at = "2026-11-24T03:00:00Z";
    r.document = Doc(name);
    return r;
}

PlanSummary Summary(const std::string& id, std::int64_t revision, const std::string& name) {
    PlanSummary s;
    s.id = id;
    s.name = name;
    s.revision = revision;
    return s;
}

TEST(LocalPlans, PlanMadeOfflineIsQueuedThenKnownByItsServerId) {
    LocalPlans plans;
    plans.Save("local-1", Doc("Orders"), "2026-11-24T03:00:00.000Z");
    ASSERT_EQ(plans.ToSync(), std::vector<std::string>{"local-1"});
    EXPECT_EQ(plans.PendingCount(), 1);
    EXPECT_TRUE(plans.Find("local-1")->server_id.empty());

    const std::string key = plans.Accept("local-1", Resource("p_a", 1, "Orders"), 1);
    EXPECT_EQ(key, "p_a");
    EXPECT_EQ(plans.Find("local-1"), nullptr);
    const LocalPlan* plan = plans.Find("p_a");
    ASSERT_NE(plan, nullptr);
    EXPECT_EQ(plan->server_id, "p_a");
    EXPECT_EQ(plan->base_revision, 1);
    EXPECT_EQ(plan->pending, 0);
    EXPECT_TRUE(plans.ToSync().empty());
}

TEST(LocalPlans, SaveMadeWhileOneTravelsStaysQueuedOnTheNewRevision) {
    LocalPlans plans;
    plans.Accept("p_a", Resource("p_a", 3, "A"), 0);
    plans.Save("p_a", Doc("A1"), "2026-11-24T03:00:00.000Z");
    const int sent = plans.Find("p_a")->pending;
    plans.Save("p_a", Doc("A2"), "2026-11-24T03:00:01.000Z");
    plans.Accept("p_a", Resource("p_a", 4, "A1"), sent);
    const LocalPlan* plan = plans.Find("p_a");
    EXPECT_EQ(plan->base_revision, 4);
    EXPECT_EQ(plan->pending, 1);
    EXPECT_EQ(plan->Name(), "A2") << "the newer local save is not replaced by the older answer";
    EXPECT_EQ(plans.ToSync(), std::vector<std::string>{"p_a"});
}

TEST(LocalPlans, RefreshDoesNotOverwriteLocalEdits) {
    LocalPlans plans;
    plans.Accept("p_a", Resource("p_a", 1, "A"), 0);
    plans.Save("p_a", Doc("mine"), "2026-11-24T03:00:00.000Z");
    plans.Accept("p_a", Resource("p_a", 2, "theirs"), 0);
    EXPECT_EQ(plans.Find("p_a")->Name(), "mine");
    EXPECT_EQ(plans.Find("p_a")->base_revision, 1) << "still based on what was edited";
}

TEST(LocalPlans, ListingFetchesStaleDropsDeletedAndKeepsEditedDeletedAsConflict) {
    LocalPlans plans;
    plans.Accept("p_same", Resource("p_same", 2, "Same"), 0);
    plans.Accept("p_stale", Resource("p_stale", 1, "Stale"), 0);
    plans.Accept("p_gone", Resource("p_gone", 1, "Gone"), 0);
    plans.Accept("p_edited", Resource("p_edited", 1, "Edited"), 0);
    plans.Save("p_edited", Doc("Edited here"), "2026-11-24T03:00:00.000Z");
    plans.Save("local-9", Doc("New here"), "2026-11-24T03:00:00.000Z");

    const auto fetch = plans.MergeListing({Summary("p_same", 2, "Same"), Summary("p_stale", 5, "Stale"),
                                           Summary("p_new", 1, "New there")});
    EXPECT_EQ(fetch, (std::vector<std::string>{"p_stale", "p_new"}));
    EXPECT_EQ(plans.Find("p_gone"), nullptr);
    ASSERT_NE(plans.Find("p_edited"), nullptr);
    ASSERT_TRUE(plans.Find("p_edited")->conflict.has_value());
    EXPECT_TRUE(plans.Find("p_edited")->conflict->deleted);
    EXPECT_NE(plans.Find("local-9"), nullptr) << "a plan made offline is not the server's to drop";
    EXPECT_EQ(plans.ToSync(), std::vector<std::string>{"local-9"}) << "a conflict waits for the user";
    EXPECT_EQ(plans.ConflictCount(), 1);
}

TEST(LocalPlans, KeepMineRebasesOnTheirRevisionAndStaysQueued) {
    LocalPlans plans;
    plans.Accept("p_a", Resource("p_a", 1, "A"), 0);
    plans.Save("p_a", Doc("mine"), "2026-11-24T03:00:00.000Z");
    plans.SetConflict("p_a", ServerVersion{2, Doc("theirs"), false});
    EXPECT_TRUE(plans.ToSync().empty());
    plans.Resolve("p_a", /*keep_mine=*/true);
    const LocalPlan* plan = plans.Find("p_a");
    EXPECT_FALSE(plan->conflict.has_value());
    EXPECT_EQ(plan->base_revision, 2);
    EXPECT_EQ(plan->Name(), "mine");
    EXPECT_EQ(plans.ToSync(), std::vector<std::string>{"p_a"});
}

// A plan in conflict is one thing for the user to do: counted as a conflict, not also as unsynced saves.
// The server version's time is kept across reloads (the dialog says when it was changed).
TEST(LocalPlans, AConflictCountsOnlyAsAConflict) {
    LocalPlans plans;
    plans.Accept("p_a", Resource("p_a", 1, "A"), 0);
    plans.Accept("p_b", Resource("p_b", 1, "B"), 0);
    plans.Save("p_a", Doc("mine"), "2026-11-24T03:00:00.000Z");
    plans.Save("p_b", Doc("mine too"), "2026-11-24T03:00:01.000Z");
    EXPECT_EQ(plans.PendingCount(), 2);
    ServerVersion theirs{2, Doc("theirs"), false};
    theirs.updated_at = "2026-11-24T02:59:00Z";
    plans.SetConflict("p_a", theirs);
    EXPECT_EQ(plans.ConflictCount(), 1);
    EXPECT_EQ(plans.PendingCount(), 1) << "only p_b's save is an unsynced change";
    LocalPlans loaded;
    loaded.Load({{"plans/u@x/p_a", LocalPlans::Serialize(*plans.Find("p_a"))}}, "plans/u@x/");
    ASSERT_TRUE(loaded.Find("p_a")->conflict.has_value());
    EXPECT_EQ(loaded.Find("p_a")->conflict->updated_at, "2026-11-24T02:59:00Z");
    plans.Resolve("p_a", /*keep_mine=*/true);
    EXPECT_EQ(plans.PendingCount(), 2) << "kept mine: it is an unsynced change again";
}

TEST(LocalPlans, TakeTheirsReplacesOursAndNothingIsQueued) {
    LocalPlans plans;
    plans.Accept("p_a", Resource("p_a", 1, "A"), 0);
    plans.Save("p_a", Doc("mine"), "2026-11-24T03:00:00.000Z");
    plans.SetConflict("p_a", ServerVersion{2, Doc("theirs"), false});
    plans.Resolve("p_a", /*keep_mine=*/false);
    const LocalPlan* plan = plans.Find("p_a");
    EXPECT_EQ(plan->Name(), "theirs");
    EXPECT_EQ(plan->base_revision, 2);
    EXPECT_EQ(plan->pending, 0);
    EXPECT_TRUE(plans.ToSync().empty());
}

TEST(LocalPlans, DeletedElsewhereKeepMineIsCreatedAgainTakeTheirsDrops) {
    LocalPlans keep;
    keep.Accept("p_a", Resource("p_a", 1, "A"), 0);
    keep.Save("p_a", Doc("mine"), "2026-11-24T03:00:00.000Z");
    keep.SetConflict("p_a", ServerVersion{0, nullptr, true});
    keep.Resolve("p_a", true);
    EXPECT_TRUE(keep.Find("p_a")->server_id.empty()) << "sent with POST as a new plan";
    EXPECT_EQ(keep.ToSync(), std::vector<std::string>{"p_a"});

    LocalPlans drop;
    drop.Accept("p_a", Resource("p_a", 1, "A"), 0);
    drop.Save("p_a", Doc("mine"), "2026-11-24T03:00:00.000Z");
    drop.SetConflict("p_a", ServerVersion{0, nullptr, true});
    drop.Resolve("p_a", false);
    EXPECT_EQ(drop.Find("p_a"), nullptr);
}

// Offline deletes: a tombstone, hidden work for the sync, checked against the revision the user deleted.
TEST(LocalPlans, DeleteOfAPlanTheServerNeverHadIsImmediate) {
    LocalPlans plans;
    plans.Save("local-1", Doc("Draft"), "2026-11-24T03:00:00.000Z");
    EXPECT_FALSE(plans.MarkDeleted("local-1", "2026-11-24T03:00:01.000Z"));
    EXPECT_EQ(plans.Find("local-1"), nullptr);
    EXPECT_EQ(plans.PendingCount(), 0);
    EXPECT_TRUE(plans.ToDelete().empty());
}

TEST(LocalPlans, DeleteOfASyncedPlanIsATombstoneToSend) {
    LocalPlans plans;
    plans.Accept("p_a", Resource("p_a", 3, "A"), 0);
    plans.Save("p_a", Doc("edited, then deleted"), "2026-11-24T03:00:00.000Z");
    plans.Accept("p_b", Resource("p_b", 1, "B"), 0);
    EXPECT_TRUE(plans.MarkDeleted("p_b", "2026-11-24T03:00:02.000Z"));
    EXPECT_TRUE(plans.MarkDeleted("p_a", "2026-11-24T03:00:03.000Z"));
    const LocalPlan* a = plans.Find("p_a");
    ASSERT_NE(a, nullptr);
    EXPECT_TRUE(a->deleted);
    EXPECT_EQ(a->pending, 0) << "its unsynced save is dropped with it";
    EXPECT_EQ(a->base_revision, 3) << "deleted at the revision the user had";
    EXPECT_TRUE(plans.ToSync().empty());
    EXPECT_EQ(plans.ToDelete(), (std::vector<std::string>{"p_b", "p_a"})) << "oldest delete first";
    EXPECT_EQ(plans.PendingCount(), 2) << "one unsynced change per tombstone";

    // A listing that still has them neither fetches nor revives them; one without p_b ends its tombstone.
    EXPECT_TRUE(plans.MergeListing({Summary("p_a", 3, "A"), Summary("p_b", 1, "B")}).empty());
    EXPECT_TRUE(plans.Find("p_a")->deleted);
    plans.MergeListing({Summary("p_a", 4, "A changed")});
    EXPECT_EQ(plans.Find("p_b"), nullptr) << "gone from the server too: nothing left to do";
    EXPECT_EQ(plans.Find("p_a")->base_revision, 3) << "the listing does not move what the user deleted";
}

TEST(LocalPlans, DeleteBeforeTheDocumentArrivedIsAtTheListedRevision) {
    LocalPlans plans;
    plans.MergeListing({Summary("p_a", 4, "A")});  // listed; its document not fetched yet
    EXPECT_EQ(plans.Find("p_a")->SeenRevision(), 4) << "the revision the dashboard row shows";
    EXPECT_TRUE(plans.MarkDeleted("p_a", "2026-11-24T03:00:00.000Z"));
    EXPECT_EQ(plans.Find("p_a")->base_revision, 4) << "never 0, which would delete any revision";
}

TEST(LocalPlans, TombstoneChangedElsewhereDeleteAnywayOrKeepTheirs) {
    auto tombstone = [] {
        LocalPlans plans;
        plans.Accept("p_a", Resource("p_a", 1, "A"), 0);
        plans.MarkDeleted("p_a", "2026-11-24T03:00:00.000Z");
        plans.SetConflict("p_a", ServerVersion{2, Doc("theirs"), false});
        return plans;
    };
    LocalPlans anyway = tombstone();
    EXPECT_TRUE(anyway.ToDelete().empty()) << "nothing is sent while the user has not chosen";
    EXPECT_EQ(anyway.ConflictCount(), 1);
    anyway.Resolve("p_a", /*keep_mine=*/true);
    EXPECT_EQ(anyway.ToDelete(), std::vector<std::string>{"p_a"});
    EXPECT_EQ(anyway.Find("p_a")->base_revision, 2) << "deletes exactly the version the user saw";

    LocalPlans keep = tombstone();
    keep.Resolve("p_a", /*keep_mine=*/false);
    const LocalPlan* back = keep.Find("p_a");
    ASSERT_NE(back, nullptr);
    EXPECT_FALSE(back->deleted);
    EXPECT_EQ(back->Name(), "theirs");
    EXPECT_EQ(back->base_revision, 2);
    EXPECT_EQ(keep.PendingCount(), 0);
    EXPECT_TRUE(keep.ToDelete().empty());
}

TEST(LocalPlans, TombstoneSurvivesStorage) {
    LocalPlans plans;
    plans.Accept("p_a", Resource("p_a", 5, "A"), 0);
    plans.MarkDeleted("p_a", "2026-11-24T03:00:00.000Z");
    LocalPlans loaded;
    loaded.Load({{"plans/u@x/p_a", LocalPlans::Serialize(*plans.Find("p_a"))}}, "plans/u@x/");
    ASSERT_NE(loaded.Find("p_a"), nullptr);
    EXPECT_TRUE(loaded.Find("p_a")->deleted);
    EXPECT_EQ(loaded.Find("p_a")->base_revision, 5);
    EXPECT_EQ(loaded.ToDelete(), std::vector<std::string>{"p_a"});
}

TEST(LocalPlans, QueueIsOldestChangeFirst) {
    LocalPlans plans;
    plans.Save("local-b", Doc("B"), "2026-11-24T03:00:02.000Z");
    plans.Save("local-a", Doc("A"), "2026-11-24T03:00:01.000Z");
    EXPECT_EQ(plans.ToSync(), (std::vector<std::string>{"local-a", "local-b"}));
    plans.Find("local-a")->sync_error = "invalid";
    EXPECT_EQ(plans.ToSync(), std::vector<std::string>{"local-b"}) << "a refused change waits for an edit";
}

TEST(LocalPlans, RecordsSurviveStorage) {
    LocalPlans plans;
    plans.Accept("p_a", Resource("p_a", 1, "A"), 0);
    plans.Find("p_a")->summary.status = StatusLight{"red", "backup failed", "2026-11-24T02:00:00Z"};
    plans.Save("p_a", Doc("mine \"quoted\" ünï"), "2026-11-24T03:00:00.000Z");
    plans.SetConflict("p_a", ServerVersion{2, Doc("theirs"), false});

    std::vector<std::pair<std::string, std::string>> rows;
    for (const auto& [key, plan] : plans.All()) rows.push_back({"plans/u@x/" + key, LocalPlans::Serialize(plan)});
    rows.push_back({"plans/u@x/broken", "{not json"});
    rows.push_back({"plans/other@x/p_b", LocalPlans::Serialize(*plans.Find("p_a"))});

    LocalPlans loaded;
    loaded.Load(rows, "plans/u@x/");
    ASSERT_EQ(loaded.All().size(), 1u) << "unreadable rows and other accounts' rows are skipped";
    const LocalPlan* plan = loaded.Find("p_a");
    ASSERT_NE(plan, nullptr);
    EXPECT_EQ(plan->Name(), "mine \"quoted\" ünï");
    EXPECT_EQ(plan->pending, 1);
    EXPECT_EQ(plan->base_revision, 1);
    EXPECT_EQ(plan->summary.status.light, "red");
    EXPECT_EQ(plan->summary.status.last_deployed_at, "2026-11-24T02:00:00Z");
    ASSERT_TRUE(plan->conflict.has_value());
    EXPECT_EQ(plan->conflict->revision, 2);
    EXPECT_EQ(plan->conflict->document["name"], "theirs");
}

}  // namespace
}  // namespace ui
