// PUT /v1/account/aws through the real route: role ARNs of any length get an answer, never a crash (a
// std::regex once overflowed a server thread's stack on a 40,000-character ARN and took the process down).
#include "gateway_fixture.hpp"

namespace gw::test {
namespace {

// A role ARN of exactly `length` characters whose shape is otherwise right (a very long role name).
std::string LongRoleArn(std::size_t length) {
    std::string arn = "arn:aws:iam::123456789012:role/cloudsketch-deployer";
    arn.resize(length, 'a');
    return arn;
}

TEST_F(GatewayTest, HugeRoleArnsAre422AndTheGatewayStaysUp) {
    const std::string token = SignUp("huge-arn@example.com");
    for (const std::size_t length : {std::size_t{40'000}, std::size_t{1'000'000}}) {
        auto r = PutJson("/v1/account/aws", {{"role_arn", LongRoleArn(length)}}, token);
        ASSERT_TRUE(r) << length << " characters: no answer (" << httplib::to_string(r.error()) << ")";
        ASSERT_EQ(r->status, 422) << r->body.substr(0, 500);
        const json detail = Body(r)["error"]["details"][0];
        EXPECT_EQ(detail["path"], "/role_arn");
        EXPECT_EQ(detail["code"], "aws.role_arn_invalid");
        const std::string message = detail["message"];
        EXPECT_NE(message.find(std::to_string(length) + " characters long"), std::string::npos) << message;
        EXPECT_NE(message.find("at most 2048"), std::string::npos) << message;
        EXPECT_LT(r->body.size(), 2000u) << "the reply must not echo the ARN back";
    }
    // A role path of thousands of segments (the regex's recursion grew with each one).
    std::string deep = "arn:aws:iam::123456789012:role/";
    for (int i = 0; i < 20'000; ++i) deep += "a/";
    deep += "cloudsketch-deployer";
    auto r = PutJson("/v1/account/aws", {{"role_arn", deep}}, token);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 422) << r->body.substr(0, 500);

    auto health = Get("/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    auto link = Get("/v1/account/aws", token);
    ASSERT_TRUE(link);
    EXPECT_TRUE(Body(link)["role_arn"].is_null()) << "nothing was stored";
}

TEST_F(GatewayTest, RoleArnAtIamLimitsIsAcceptedAndOneMoreIsNot) {
    const std::string token = SignUp("limit-arn@example.com");
    // IAM: role name at most 64 characters, path at most 512, ARN at most 2048.
    std::string name = "cloudsketch-deployer";
    name.resize(64, 'x');
    std::string path = "/";
    while (path.size() + 4 <= 512) path += "abc/";
    path.resize(511, 'p');
    path += "/";  // exactly 512 characters
    ASSERT_EQ(path.size(), 512u);
    const std::string at_limit = "arn:aws:iam::123456789012:role" + path + name;
    auto ok = PutJson("/v1/account/aws", {{"role_arn", at_limit}}, token);
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, 200) << ok->body;
    EXPECT_EQ(Body(ok)["role_arn"], at_limit);

    auto long_name = PutJson("/v1/account/aws", {{"role_arn", "arn:aws:iam::123456789012:role/" + name + "x"}}, token);
    ASSERT_TRUE(long_name);
    EXPECT_EQ(long_name->status, 422);
    EXPECT_NE(Body(long_name)["error"]["details"][0]["message"].get<std::string>().find("at most 64"), std::string::npos);
    auto long_path = PutJson("/v1/account/aws", {{"role_arn", "arn:aws:iam::123456789012:role/q" + path + name}}, token);
    ASSERT_TRUE(long_path);
    EXPECT_EQ(long_path->status, 422);
    EXPECT_NE(Body(long_path)["error"]["details"][0]["message"].get<std::string>().find("at most 512"), std::string::npos);
}

}  // namespace
}  // namespace gw::test
