// The plan list's kept answers (response_cache.hpp) are never stale: every change, by this gateway or by another
// process writing the same database, shows in the very next list.
#include "gateway_fixture.hpp"
#include "response_cache.hpp"

namespace gw::test {
namespace {

class PlanListCacheTest : public GatewayTest {
protected:
    json List(const std::string& token, const std::string& query = "") {
        auto r = Get("/v1/plan/" + query, token);
        EXPECT_TRUE(r);
        if (!r) return nullptr;
        EXPECT_EQ(r->status, 200) << r->body;
        return Body(r);
    }
    static std::vector<std::string> Names(const json& list) {
        std::vector<std::string> names;
        for (const json& item : list["items"]) names.push_back(item["name"]);
        return names;
    }
};

TEST_F(PlanListCacheTest, EveryChangeShowsInTheNextList) {
    const std::string token = SignUp("lists@example.com");
    auto created = PostJson("/v1/plan/", {{"name", "first"}}, token);
    ASSERT_EQ(created->status, 201);
    const json plan = Body(created);
    EXPECT_EQ(Names(List(token)), std::vector<std::string>{"first"});
    EXPECT_EQ(Names(List(token)), std::vector<std::string>{"first"});  // a kept answer, same bytes

    json document = plan["plan"];
    document["name"] = "renamed";
    auto updated = PutJson("/v1/plan/" + plan["id"].get<std::string>(), {{"revision", 1}, {"plan", document}}, token);
    ASSERT_EQ(updated->status, 200) << updated->body;
    EXPECT_EQ(Names(List(token)), std::vector<std::string>{"renamed"});

    ASSERT_EQ(PostJson("/v1/plan/", {{"name", "second"}}, token)->status, 201);
    EXPECT_EQ(Names(List(token)), (std::vector<std::string>{"second", "renamed"}));
    EXPECT_EQ(Names(List(token, "?limit=1")), std::vector<std::string>{"second"});  // another question, its own answer
    EXPECT_EQ(Names(List(token, "?q=ren")), std::vector<std::string>{"renamed"});

    // Another user's list is theirs, whatever is kept for the first.
    const std::string other = SignUp("other-lists@example.com");
    EXPECT_TRUE(List(other)["items"].empty());

    // A change by another process (here a second connection to the same file) shows too, though nothing changed
    // through the gateway's own connection since its answer was kept.
    EXPECT_EQ(Names(List(token)), (std::vector<std::string>{"second", "renamed"}));
    {
        auto second = OpenSqliteStore(std::filesystem::path(config_.data_dir) / "cloudsketch.sqlite3");
        const auto page = second->ListPlans(PlanListQuery{Body(Get("/v1/me", token))["id"], 50, "", ""});
        ASSERT_EQ(page.items.size(), 2u);
        auto full = second->GetPlan(page.items[1].owner_id, page.items[1].id);
        ASSERT_TRUE(full);
        PlanRecord next = *full;
        next.name = "changed elsewhere";
        next.updated_at += 1;
        ASSERT_EQ(second->UpdatePlan(next, full->revision).status, UpdateResult::Status::Updated);
    }
    EXPECT_EQ(Names(List(token)), (std::vector<std::string>{"changed elsewhere", "second"}));
}

TEST(ResponseCacheTest, AnswersOnlyAtTheStampItWasFiledUnderAndStaysBounded) {
    ResponseCache cache(2);
    cache.Put("a", 1, "one");
    EXPECT_EQ(cache.Find("a", 1), "one");
    EXPECT_FALSE(cache.Find("a", 2));
    EXPECT_FALSE(cache.Find("b", 1));
    cache.Put("b", 2, "two");
    cache.Put("c", 2, "three");  // full: the entry of an older stamp goes first
    EXPECT_FALSE(cache.Find("a", 1));
    EXPECT_EQ(cache.Find("b", 2), "two");
    EXPECT_EQ(cache.Find("c", 2), "three");
}

}  // namespace
}  // namespace gw::test
