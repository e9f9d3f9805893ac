// Plans: create (full, short, default), list, get, update at a revision, delete, ownership, verbatim
// storage of awkward strings.
#include "gateway_fixture.hpp"

namespace gw::test {
namespace {

class PlansTest : public GatewayTest {
protected:
    void SetUp() override {
        GatewayTest::SetUp();
        token_ = SignUp("owner@example.com");
    }
    json Create(const json& body) {
        auto r = PostJson("/v1/plan/", body, token_);
        EXPECT_TRUE(r);
        if (!r) return nullptr;
        EXPECT_EQ(r->status, 201) << r->body;
        return Body(r);
    }
    std::string token_;
};

TEST_F(PlansTest, CrudRoundTrip) {
    json created = Create({{"name", "orders-db"}});
    const std::string id = created["id"];
    EXPECT_EQ(id.rfind("p_", 0), 0u);
    EXPECT_EQ(id.size(), 18u);
    EXPECT_EQ(created["revision"], 1);
    EXPECT_EQ(created["status"]["light"], "grey");
    EXPECT_EQ(created["status"]["reason"], "Not deployed yet.");
    EXPECT_TRUE(created["warnings"].is_array());
    // The server's fields are set into the stored cs-json too.
    EXPECT_EQ(created["plan"]["id"], id);
    EXPECT_EQ(created["plan"]["revision"], 1);
    EXPECT_EQ(created["plan"]["name"], "orders-db");
    EXPECT_EQ(created["plan"]["components"].size(), 2u);  // the default plan: one VM hosting PostgreSQL

    auto got = Get("/v1/plan/" + id, token_);
    ASSERT_TRUE(got);
    ASSERT_EQ(got->status, 200);
    EXPECT_EQ(Body(got)["plan"], created["plan"]);
    EXPECT_EQ(Get("/v1/plan/" + id + "/", token_)->status, 200);  // trailing slash accepted

    json edited = created["plan"];
    edited["name"] = "orders-db-renamed";
    edited["environment"] = "production";
    auto put = PutJson("/v1/plan/" + id, {{"revision", 1}, {"plan", edited}}, token_);
    ASSERT_TRUE(put);
    ASSERT_EQ(put->status, 200) << put->body;
    json updated = Body(put);
    EXPECT_EQ(updated["revision"], 2);
    EXPECT_EQ(updated["plan"]["revision"], 2);
    EXPECT_EQ(updated["plan"]["name"], "orders-db-renamed");
    EXPECT_EQ(updated["created_at"], created["created_at"]);

    auto list = Get("/v1/plan/", token_);
    ASSERT_TRUE(list);
    ASSERT_EQ(list->status, 200);
    json items = Body(list)["items"];
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0]["id"], id);
    EXPECT_EQ(items[0]["name"], "orders-db-renamed");
    EXPECT_EQ(items[0]["environment"], "production");
    EXPECT_EQ(items[0]["revision"], 2);
    EXPECT_TRUE(Body(list)["next_cursor"].is_null());

    auto del = Delete("/v1/plan/" + id, token_);
    ASSERT_TRUE(del);
    EXPECT_EQ(del->status, 204);
    EXPECT_EQ(Get("/v1/plan/" + id, token_)->status, 404);
    EXPECT_EQ(Delete("/v1/plan/" + id, token_)->status, 404);
}

TEST_F(PlansTest, EmptyBodyCreatesTheDefaultPlan) {
    json created = Create(json::object());
    EXPECT_EQ(created["plan"]["name"], "Untitled plan");
    EXPECT_EQ(created["plan"]["components"][0]["kind"], "vm");
    EXPECT_EQ(created["plan"]["components"][1]["kind"], "postgres");
    // Without the trailing slash too.
    auto r = PostJson("/v1/plan", json::object(), token_);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 201);
}

TEST_F(PlansTest, ShortBodyIsNormalised) {
    json created = Create({{"os", "linux"},
                           {"hardware", {{"instance_type", "t3.large"}, {"storage", "ssd"}, {"ami", "ami-0abc1234"}}},
                           {"db", {{"flavor", "pg"}, {"version", "15"}, {"backup", "needed"}}}});
    const json& components = created["plan"]["components"];
    ASSERT_EQ(components.size(), 2u);
    const json& vm = components[0];
    const json& pg = components[1];
    EXPECT_EQ(vm["kind"], "vm");
    EXPECT_EQ(vm["hardware"]["instance_type"], "t3.large");
    EXPECT_EQ(vm["image_id"], "ami-0abc1234");
    EXPECT_EQ(vm["disk"]["type"], "ssd");
    EXPECT_EQ(pg["kind"], "postgres");
    EXPECT_EQ(pg["version"], "15");
    EXPECT_EQ(pg["backups"]["enabled"], true);
    EXPECT_EQ(pg["host"], vm["id"]);
}

TEST_F(PlansTest, InvalidPlanIs422WithPointers) {
    json plan = Create({{"name", "to-break"}})["plan"];
    plan["components"][0]["disk"]["size_gib"] = 2;
    auto r = PostJson("/v1/plan/", plan, token_);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 422);
    json error = Body(r)["error"];
    EXPECT_EQ(error["code"], "plan.invalid");
    ASSERT_FALSE(error["details"].empty());
    EXPECT_EQ(error["details"][0]["path"], "/components/0/disk/size_gib");
    EXPECT_FALSE(error["details"][0]["code"].get<std::string>().empty());
    // Short body problems point into the short body.
    auto short_bad = PostJson("/v1/plan/", {{"os", "linux"}, {"hardware", {{"storage", "floppy"}}}}, token_);
    ASSERT_TRUE(short_bad);
    EXPECT_EQ(short_bad->status, 422);
    EXPECT_EQ(Body(short_bad)["error"]["details"][0]["path"], "/hardware/storage");
}

TEST_F(PlansTest, WrongFieldTypesAre422WithThePointer) {
    auto name = PostJson("/v1/plan/", {{"name", 42}}, token_);
    ASSERT_TRUE(name);
    EXPECT_EQ(name->status, 422);
    EXPECT_EQ(Body(name)["error"]["details"][0]["path"], "/name");

    json plan = Create({{"name", "typed"}})["plan"];
    const std::string id = plan["id"];
    auto revision = PutJson("/v1/plan/" + id, {{"revision", "one"}, {"plan", plan}}, token_);
    ASSERT_TRUE(revision);
    EXPECT_EQ(revision->status, 422);
    EXPECT_EQ(Body(revision)["error"]["code"], "request.invalid");
    EXPECT_EQ(Body(revision)["error"]["details"][0]["path"], "/revision");

    plan["components"][0]["disk"]["size_gib"] = "big";
    auto nested = PutJson("/v1/plan/" + id, {{"revision", 1}, {"plan", plan}}, token_);
    ASSERT_TRUE(nested);
    EXPECT_EQ(nested->status, 422);
    EXPECT_EQ(Body(nested)["error"]["details"][0]["path"], "/components/0/disk/size_gib");
}

TEST_F(PlansTest, StaleRevisionIs409AndChangesNothing) {
    json plan = Create({{"name", "contended"}})["plan"];
    const std::string id = plan["id"];
    plan["name"] = "first-writer";
    ASSERT_EQ(PutJson("/v1/plan/" + id, {{"revision", 1}, {"plan", plan}}, token_)->status, 200);
    plan["name"] = "second-writer";
    auto stale = PutJson("/v1/plan/" + id, {{"revision", 1}, {"plan", plan}}, token_);
    ASSERT_TRUE(stale);
    EXPECT_EQ(stale->status, 409);
    json error = Body(stale)["error"];
    EXPECT_EQ(error["code"], "plan.revision_conflict");
    EXPECT_EQ(error["details"][0]["current_revision"], 2);
    json now = Body(Get("/v1/plan/" + id, token_));
    EXPECT_EQ(now["revision"], 2);
    EXPECT_EQ(now["plan"]["name"], "first-writer");
}

TEST_F(PlansTest, ConcurrentUpdatesAtOneRevisionHaveOneWinner) {
    json plan = Create({{"name", "race"}})["plan"];
    const std::string id = plan["id"];
    std::atomic<int> ok{0};
    std::atomic<int> conflicts{0};
    std::vector<std::thread> writers;
    for (int i = 0; i < 6; ++i) {
        writers.emplace_back([&, i] {
            json mine = plan;
            mine["name"] = "writer-" + std::to_string(i);
            auto r = PutJson("/v1/plan/" + id, {{"revision", 1}, {"plan", mine}}, token_);
            if (r && r->status == 200) ++ok;
            if (r && r->status == 409) ++conflicts;
        });
    }
    for (auto& w : writers) w.join();
    EXPECT_EQ(ok.load(), 1);
    EXPECT_EQ(conflicts.load(), 5);
    EXPECT_EQ(Body(Get("/v1/plan/" + id, token_))["revision"], 2);
}

TEST_F(PlansTest, AnotherUsersPlanIsNotFound) {
    json mine = Create({{"name", "mine"}});
    const std::string id = mine["id"];
    const std::string other = SignUp("intruder@example.com");
    Create({{"name", "ours"}});
    auto other_create = PostJson("/v1/plan/", {{"name", "theirs"}}, other);
    ASSERT_EQ(other_create->status, 201);

    EXPECT_EQ(Get("/v1/plan/" + id, other)->status, 404);
    EXPECT_EQ(PutJson("/v1/plan/" + id, {{"revision", 1}, {"plan", mine["plan"]}}, other)->status, 404);
    EXPECT_EQ(Delete("/v1/plan/" + id, other)->status, 404);
    // Identical to a plan that never existed.
    EXPECT_EQ(Get("/v1/plan/" + id, other)->body.find("No plan"), Get("/v1/plan/p_doesnotexist", other)->body.find("No plan"));

    json their_list = Body(Get("/v1/plan/", other))["items"];
    ASSERT_EQ(their_list.size(), 1u);
    EXPECT_EQ(their_list[0]["name"], "theirs");
    json my_list = Body(Get("/v1/plan/", token_))["items"];
    EXPECT_EQ(my_list.size(), 2u);
    // Still there for its owner.
    EXPECT_EQ(Get("/v1/plan/" + id, token_)->status, 200);
}

TEST_F(PlansTest, ListIsNewestFirstPagedAndSearchable) {
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) ids.push_back(Create({{"name", "plan-" + std::to_string(i) + (i % 2 ? "-odd" : "")}})["id"]);
    std::vector<std::string> seen;
    std::string cursor;
    int pages = 0;
    do {
        auto r = Get("/v1/plan/?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor), token_);
        ASSERT_TRUE(r);
        ASSERT_EQ(r->status, 200) << r->body;
        json body = Body(r);
        EXPECT_LE(body["items"].size(), 2u);
        for (const json& item : body["items"]) seen.push_back(item["id"]);
        cursor = body["next_cursor"].is_null() ? "" : body["next_cursor"].get<std::string>();
        ++pages;
    } while (!cursor.empty() && pages < 10);
    EXPECT_EQ(pages, 3);
    EXPECT_EQ(seen, std::vector<std::string>(ids.rbegin(), ids.rend()));

    json odd = Body(Get("/v1/plan/?q=ODD", token_))["items"];
    ASSERT_EQ(odd.size(), 2u);
    EXPECT_EQ(odd[0]["name"], "plan-3-odd");

    EXPECT_EQ(Get("/v1/plan/?limit=0", token_)->status, 422);
    EXPECT_EQ(Get("/v1/plan/?cursor=garbage", token_)->status, 422);
}

TEST_F(PlansTest, AwkwardStringsAreStoredVerbatim) {
    const std::vector<std::string> names = {
        "Robert'); DROP TABLE plans;--",
        "say \"hello\" \\ back\\slash",
        "1' OR '1'='1",
        "Base de données \xE2\x80\x94 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x90\x98",  // é, em dash, 日本, 🐘
    };
    for (const std::string& name : names) {
        json created = Create({{"name", name}});
        ASSERT_TRUE(created.is_object());
        auto got = Get("/v1/plan/" + created["id"].get<std::string>(), token_);
        ASSERT_TRUE(got);
        EXPECT_EQ(Body(got)["plan"]["name"].get<std::string>(), name);
    }
    json items = Body(Get("/v1/plan/?limit=10", token_))["items"];
    ASSERT_EQ(items.size(), names.size());
    EXPECT_EQ(items[names.size() - 1]["name"], names[0]);
    // Search with SQL wildcards and quotes finds exactly the plan that contains them.
    auto search = Body(Get("/v1/plan/?q=%27%3D%27", token_))["items"];
    ASSERT_EQ(search.size(), 1u);
    EXPECT_EQ(search[0]["name"], names[2]);
    // The tables survived.
    EXPECT_EQ(Get("/readyz")->status, 200);
}

TEST_F(PlansTest, PlansNeedAToken) {
    EXPECT_EQ(Get("/v1/plan/")->status, 401);
    EXPECT_EQ(PostJson("/v1/plan/", json::object())->status, 401);
}

}  // namespace
}  // namespace gw::test
